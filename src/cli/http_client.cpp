#include "cli/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <utility>

#include <openssl/err.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace vntrace::cli {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

constexpr std::uint64_t kBodyLimit = 256ull << 20;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

core::Result<BaseUrl> BaseUrl::Parse(std::string_view text) {
  BaseUrl url;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    url.tls = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return core::InvalidArgument("'" + std::string(text) + "' is not an http:// or https:// URL");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return core::InvalidArgument("the server URL '" + std::string(text) +
                                 "' must not hold a query or fragment");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    url.prefix = std::string(rest.substr(slash));
    while (!url.prefix.empty() && url.prefix.back() == '/') {
      url.prefix.pop_back();
    }
  }
  if (authority.find('@') != std::string_view::npos) {
    return core::InvalidArgument("the server URL must not hold user information");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return core::InvalidArgument("'" + std::string(text) + "' has a malformed IPv6 address");
    }
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        return core::InvalidArgument("'" + std::string(text) + "' has a malformed host");
      }
      port = authority.substr(close + 2);
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    return core::InvalidArgument("'" + std::string(text) + "' names no host");
  }
  if (!port.empty() && (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        }))) {
    return core::InvalidArgument("'" + std::string(text) + "' has a malformed port");
  }
  url.host = std::string(host);
  url.port = port.empty() ? (url.tls ? "443" : "80") : std::string(port);
  return url;
}

std::string BaseUrl::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out = std::string(tls ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host);
  if (port != (tls ? "443" : "80")) {
    out += ":" + port;
  }
  return out + prefix;
}

std::string HttpReply::Header(std::string_view name) const {
  auto found = headers.find(Lower(name));
  return found == headers.end() ? std::string() : found->second;
}

std::string EncodeQueryValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// One connection to the server, plain or TLS. Throws boost::system::system_error; Exchange
// turns that into kUnavailable.
class HttpClient::Connection {
 public:
  Connection(const BaseUrl& base, std::chrono::seconds timeout)
      : timeout_(timeout), tls_context_(ssl::context::tls_client) {
    net::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(base.host, base.port);
    if (base.tls) {
      tls_context_.set_default_verify_paths();
      tls_context_.set_verify_mode(ssl::verify_peer);
      tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io_, tls_context_);
      if (!SSL_set_tlsext_host_name(tls_->native_handle(), base.host.c_str())) {
        throw boost::system::system_error(boost::system::error_code(
            static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()));
      }
      tls_->set_verify_callback(ssl::host_name_verification(base.host));
      beast::get_lowest_layer(*tls_).expires_after(timeout_);
      beast::get_lowest_layer(*tls_).connect(endpoints);
      beast::get_lowest_layer(*tls_).expires_after(timeout_);
      tls_->handshake(ssl::stream_base::client);
    } else {
      tcp_ = std::make_unique<beast::tcp_stream>(io_);
      tcp_->expires_after(timeout_);
      tcp_->connect(endpoints);
    }
  }

  bhttp::response<bhttp::string_body> Send(bhttp::request<bhttp::string_body>& request) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    if (tls_ != nullptr) {
      beast::get_lowest_layer(*tls_).expires_after(timeout_);
      bhttp::write(*tls_, request);
      bhttp::read(*tls_, buffer_, parser);
    } else {
      tcp_->expires_after(timeout_);
      bhttp::write(*tcp_, request);
      bhttp::read(*tcp_, buffer_, parser);
    }
    return parser.release();
  }

 private:
  const std::chrono::seconds timeout_;
  net::io_context io_;
  ssl::context tls_context_;
  std::unique_ptr<beast::tcp_stream> tcp_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

HttpClient::HttpClient(BaseUrl base, std::chrono::seconds timeout)
    : base_(std::move(base)), timeout_(timeout) {}

HttpClient::~HttpClient() = default;

core::Result<HttpReply> HttpClient::Get(std::string_view target,
                                        const std::map<std::string, std::string>& headers) {
  return Exchange("GET", target, "", "", headers);
}

core::Result<HttpReply> HttpClient::Post(std::string_view target, std::string_view body,
                                         std::string_view content_type) {
  return Exchange("POST", target, body, content_type, {});
}

core::Result<HttpReply> HttpClient::Exchange(std::string_view method, std::string_view target,
                                             std::string_view body, std::string_view content_type,
                                             const std::map<std::string, std::string>& headers) {
  bhttp::request<bhttp::string_body> request{bhttp::string_to_verb(method),
                                             base_.prefix + std::string(target), 11};
  const bool default_port = base_.port == (base_.tls ? "443" : "80");
  const bool ipv6 = base_.host.find(':') != std::string::npos;
  request.set(bhttp::field::host, (ipv6 ? "[" + base_.host + "]" : base_.host) +
                                      (default_port ? "" : ":" + base_.port));
  request.set(bhttp::field::user_agent, "vntrace");
  request.set(bhttp::field::accept, "application/json, application/ld+json, */*");
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  if (method == "POST") {
    request.set(bhttp::field::content_type, content_type);
    request.body() = std::string(body);
    request.prepare_payload();
  }
  // A kept-alive connection the server has closed meanwhile fails at once: open a new one and
  // send once more.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = connection_ != nullptr;
    try {
      if (connection_ == nullptr) {
        connection_ = std::make_unique<Connection>(base_, timeout_);
      }
      bhttp::response<bhttp::string_body> response = connection_->Send(request);
      HttpReply reply;
      reply.status = static_cast<int>(response.result_int());
      for (const auto& field : response) {
        reply.headers[Lower(field.name_string())] = std::string(field.value());
      }
      reply.body = std::move(response.body());
      if (!response.keep_alive()) {
        connection_.reset();
      }
      return reply;
    } catch (const std::exception& e) {
      connection_.reset();
      if (!reused || attempt == 1) {
        return core::Unavailable("cannot reach " + base_.ToString() + std::string(target) + ": " +
                                 e.what());
      }
    }
  }
  return core::Unavailable("cannot reach " + base_.ToString());
}

}  // namespace vntrace::cli
