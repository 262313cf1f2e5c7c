#include "epcis/internal/precise_json.hpp"

#include <charconv>
#include <string>
#include <system_error>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value_stack.hpp>

namespace vntrace::epcis::internal {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxDepth = 64;

// A basic_parser handler that builds a value on a value_stack, as boost::json::parser does,
// except for doubles.
class PreciseHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  explicit PreciseHandler(json::storage_ptr storage) : storage_(std::move(storage)) {}

  json::value Release() { return stack_.release(); }

  bool on_document_begin(json::error_code&) {
    stack_.reset(storage_);
    return true;
  }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) {
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number_.clear();
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number_.clear();
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    std::string_view text(s.data(), s.size());
    if (!number_.empty()) {
      number_.append(s.data(), s.size());
      text = number_;
    }
    double precise = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), precise);
    // Out of range (e.g. 1e999): keep Boost's value, an infinity or zero as the parser decided.
    if (ec == std::errc() && end == text.data() + text.size()) d = precise;
    number_.clear();
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  json::storage_ptr storage_;
  json::value_stack stack_;
  std::string number_;  // the earlier parts of a number split across buffers
};

}  // namespace

core::Result<json::value> ParsePreciseJson(std::string_view text, json::storage_ptr storage) {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  json::basic_parser<PreciseHandler> parser(options, std::move(storage));
  json::error_code ec;
  try {
    const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used != text.size()) ec = json::error::extra_data;
    if (ec) {
      return core::InvalidArgument(
          "invalid JSON at offset " + std::to_string(used) + ": " + ec.message(),
          "offset=" + std::to_string(used));
    }
    return parser.handler().Release();
  } catch (const std::bad_alloc&) {
    return core::ResourceExhausted("out of memory while parsing JSON");
  } catch (const std::exception& e) {
    // value_stack throws when a limit of Boost.JSON is exceeded (e.g. an object too large).
    return core::InvalidArgument(std::string("JSON not accepted: ") + e.what());
  }
}

}  // namespace vntrace::epcis::internal
