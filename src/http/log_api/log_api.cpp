#include "http/log_api/log_api.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "http/pages/internal/view.hpp"
#include "ledger/merkle.hpp"
#include "ledger/tree_head.hpp"

namespace vntrace::http {
namespace {

namespace json = boost::json;

constexpr ErrorMapping kQueryErrors{"QueryParameterException", "QueryTooLargeException"};
constexpr std::size_t kMaxProofHashes = 64;
constexpr std::size_t kMaxOriginSize = 2048;

using pages::internal::Data;
using pages::internal::View;

const View& TheView() {
  static const View* view = new View();  // never destroyed: used until exit
  return *view;
}

// A public, read-only answer: JSON that any page may fetch.
Response PublicJson(const json::object& body, std::string_view cache_control) {
  Response response = Response::Json(200, json::serialize(body));
  response.headers["Access-Control-Allow-Origin"] = "*";
  response.headers["Cache-Control"] = std::string(cache_control);
  return response;
}

// The one value of parameter `name`: not repeated; nullopt when absent.
core::Result<std::optional<std::string>> Param(const Request& request, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request.query) {
    if (key != name) {
      continue;
    }
    if (found.has_value()) {
      return core::InvalidArgument("the parameter " + std::string(name) + " is given twice");
    }
    found = value;
  }
  return found;
}

// Parameter `name` as a tree size or leaf count: decimal digits; nullopt when absent.
core::Result<std::optional<std::int64_t>> CountParam(const Request& request,
                                                     std::string_view name) {
  VNTRACE_ASSIGN_OR_RETURN(std::optional<std::string> text, Param(request, name));
  if (!text.has_value()) {
    return std::optional<std::int64_t>();
  }
  std::int64_t value = -1;
  const char* end = text->data() + text->size();
  auto [stop, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || stop != end || value < 0) {
    return core::InvalidArgument(std::string(name) + " must be a whole number of leaves, not \"" +
                                 *text + "\"");
  }
  return std::optional<std::int64_t>(value);
}

json::array HashArray(const std::vector<ledger::Hash>& hashes) {
  json::array out;
  for (const ledger::Hash& hash : hashes) {
    out.emplace_back(ledger::Base64(hash));
  }
  return out;
}

json::object HeadJson(const store::TreeHead& head) {
  return json::object{{"tree_size", head.tree_size},
                      {"timestamp", head.timestamp_ms},
                      {"root_hash", ledger::Base64(head.root_hash)},
                      {"signature", ledger::Base64(head.signature)}};
}

core::Error BeyondHead(std::string_view name, std::int64_t size, const store::TreeHead& head) {
  return core::InvalidArgument(std::string(name) + " " + std::to_string(size) +
                               " is beyond the current signed tree head (" +
                               std::to_string(head.tree_size) + " leaves)");
}

Response SthHandler(LogApiContext& ctx) {
  core::Result<store::TreeHead> head = ctx.log.CurrentTreeHead();
  if (!head.ok()) return ErrorResponse(head.error());
  return PublicJson(HeadJson(*head), "no-cache");
}

Response KeyHandler(LogApiContext& ctx) {
  return PublicJson(json::object{{"public_key", ledger::Base64(ctx.log.public_key())}},
                    "public, max-age=3600");
}

Response ProofHandler(const Request& request, LogApiContext& ctx) {
  core::Result<std::optional<std::string>> event_id = Param(request, "eventID");
  if (!event_id.ok()) return ErrorResponse(event_id.error(), kQueryErrors);
  if (!event_id->has_value() || (*event_id)->empty()) {
    return ErrorResponse(core::InvalidArgument("the parameter eventID is required"), kQueryErrors);
  }
  core::Result<std::optional<std::int64_t>> size = CountParam(request, "tree_size");
  if (!size.ok()) return ErrorResponse(size.error(), kQueryErrors);
  core::Result<store::TreeHead> head = ctx.log.CurrentTreeHead();
  if (!head.ok()) return ErrorResponse(head.error());
  const std::int64_t tree_size = size->value_or(head->tree_size);
  if (tree_size > head->tree_size) {
    return ErrorResponse(BeyondHead("tree_size", tree_size, *head), kQueryErrors);
  }
  core::Result<ledger::InclusionProof> proof =
      ledger::ProveEvent(ctx.store.log(), **event_id, tree_size);
  if (!proof.ok()) return ErrorResponse(proof.error(), kQueryErrors);
  return PublicJson(json::object{{"leaf_index", proof->leaf_index},
                                 {"tree_size", proof->tree_size},
                                 {"audit_path", HashArray(proof->audit_path)}},
                    size->has_value() ? "public, max-age=86400" : "no-cache");
}

Response ConsistencyHandler(const Request& request, LogApiContext& ctx) {
  core::Result<std::optional<std::int64_t>> first = CountParam(request, "first");
  if (!first.ok()) return ErrorResponse(first.error(), kQueryErrors);
  core::Result<std::optional<std::int64_t>> second = CountParam(request, "second");
  if (!second.ok()) return ErrorResponse(second.error(), kQueryErrors);
  if (!first->has_value() || !second->has_value()) {
    return ErrorResponse(core::InvalidArgument("the parameters first and second are required"),
                         kQueryErrors);
  }
  core::Result<store::TreeHead> head = ctx.log.CurrentTreeHead();
  if (!head.ok()) return ErrorResponse(head.error());
  if (**second > head->tree_size) {
    return ErrorResponse(BeyondHead("second", **second, *head), kQueryErrors);
  }
  core::Result<std::vector<ledger::Hash>> proof =
      ledger::ProveConsistency(ctx.store.log(), **first, **second);
  if (!proof.ok()) return ErrorResponse(proof.error(), kQueryErrors);
  return PublicJson(json::object{{"consistency", HashArray(*proof)}}, "public, max-age=86400");
}

// ---- witness

core::Result<const json::value*> Member(const json::object& object, std::string_view key,
                                        std::string_view where) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) {
    return core::InvalidArgument(std::string(where) + std::string(key) + " is required");
  }
  return value;
}

core::Result<std::string> StringMember(const json::object& object, std::string_view key,
                                       std::string_view where) {
  VNTRACE_ASSIGN_OR_RETURN(const json::value* value, Member(object, key, where));
  if (!value->is_string()) {
    return core::InvalidArgument(std::string(where) + std::string(key) + " must be a string");
  }
  return std::string(value->as_string());
}

core::Result<std::int64_t> CountMember(const json::object& object, std::string_view key,
                                       std::string_view where) {
  VNTRACE_ASSIGN_OR_RETURN(const json::value* value, Member(object, key, where));
  if (value->is_int64() && value->as_int64() >= 0) {
    return value->as_int64();
  }
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return core::InvalidArgument(std::string(where) + std::string(key) +
                               " must be a whole number from 0");
}

// The witness request of a POST body (docs/ledger.md).
core::Result<ledger::WitnessRequest> ParseWitnessRequest(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    return core::InvalidArgument("the body must be a JSON object");
  }
  const json::object& root = parsed.as_object();
  ledger::WitnessRequest request;
  VNTRACE_ASSIGN_OR_RETURN(request.origin, StringMember(root, "origin", ""));
  if (request.origin.empty() || request.origin.size() > kMaxOriginSize) {
    return core::InvalidArgument("origin must be the log's URL");
  }
  VNTRACE_ASSIGN_OR_RETURN(std::string key, StringMember(root, "public_key", ""));
  VNTRACE_ASSIGN_OR_RETURN(request.head.public_key,
                           ledger::FromBase64(key, "public_key", ledger::kPublicKeySize));
  VNTRACE_ASSIGN_OR_RETURN(const json::value* sth, Member(root, "sth", ""));
  if (!sth->is_object()) {
    return core::InvalidArgument("sth must be a signed tree head object");
  }
  const json::object& head = sth->as_object();
  VNTRACE_ASSIGN_OR_RETURN(request.head.tree_size, CountMember(head, "tree_size", "sth."));
  VNTRACE_ASSIGN_OR_RETURN(request.head.timestamp_ms, CountMember(head, "timestamp", "sth."));
  VNTRACE_ASSIGN_OR_RETURN(std::string root_hash, StringMember(head, "root_hash", "sth."));
  VNTRACE_ASSIGN_OR_RETURN(request.head.root_hash,
                           ledger::HashFromBase64(root_hash, "sth.root_hash"));
  VNTRACE_ASSIGN_OR_RETURN(std::string signature, StringMember(head, "signature", "sth."));
  VNTRACE_ASSIGN_OR_RETURN(request.head.signature,
                           ledger::FromBase64(signature, "sth.signature", ledger::kSignatureSize));
  if (const json::value* proof = root.if_contains("consistency")) {
    if (!proof->is_array() || proof->as_array().size() > kMaxProofHashes) {
      return core::InvalidArgument("consistency must be an array of at most 64 base64 hashes");
    }
    for (const json::value& item : proof->as_array()) {
      if (!item.is_string()) {
        return core::InvalidArgument("consistency must hold base64 strings");
      }
      VNTRACE_ASSIGN_OR_RETURN(ledger::Hash hash,
                               ledger::HashFromBase64(item.as_string(), "a consistency hash"));
      request.consistency.push_back(hash);
    }
  }
  return request;
}

json::object WitnessedJson(const store::WitnessedHead& witnessed) {
  json::object out = HeadJson(witnessed.head);
  out["origin"] = witnessed.origin;
  out["public_key"] = ledger::Base64(witnessed.head.public_key);
  out["witness_public_key"] = ledger::Base64(witnessed.witness_public_key);
  out["cosignature"] = ledger::Base64(witnessed.cosignature);
  return out;
}

Response WitnessHandler(const Request& request, LogApiContext& ctx) {
  core::Result<ledger::WitnessRequest> parsed = ParseWitnessRequest(request.body);
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  core::Result<store::WitnessedHead> cosigned = ctx.witness.CoSign(*parsed);
  if (!cosigned.ok()) return ErrorResponse(cosigned.error());
  return Response::Json(200, json::serialize(WitnessedJson(*cosigned)));
}

Response LastWitnessedHandler(const Request& request, LogApiContext& ctx) {
  core::Result<std::optional<std::string>> key = Param(request, "public_key");
  if (!key.ok()) return ErrorResponse(key.error(), kQueryErrors);
  if (!key->has_value()) {
    return ErrorResponse(core::InvalidArgument("the parameter public_key (base64) is required"),
                         kQueryErrors);
  }
  core::Result<std::string> bytes = ledger::FromBase64(**key, "public_key", ledger::kPublicKeySize);
  if (!bytes.ok()) return ErrorResponse(bytes.error(), kQueryErrors);
  core::Result<std::optional<store::WitnessedHead>> last = ctx.witness.Last(*bytes);
  if (!last.ok()) return ErrorResponse(last.error());
  if (!last->has_value()) {
    return ErrorResponse(core::NotFound("this witness has co-signed no tree head of that log"));
  }
  return PublicJson(WitnessedJson(**last), "no-cache");
}

// ---- the explanation page

std::string Language(const Request& request) {
  if (std::optional<std::string_view> q = request.QueryParam("lang");
      q && (*q == "vi" || *q == "en")) {
    return std::string(*q);
  }
  std::string_view accept = request.Header("Accept-Language");
  while (!accept.empty() && accept.front() == ' ') {
    accept.remove_prefix(1);
  }
  return accept.substr(0, 2) == "en" ? "en" : "vi";
}

Response AboutHandler(const Request& request, LogApiContext& ctx) {
  const std::string lang = Language(request);
  const View& view = TheView();
  Data data;
  data.set("title", view.Text(lang, "log.about.title"));
  data.set("other_lang_href", lang == "en" ? "/log/about?lang=vi" : "/log/about?lang=en");
  core::Result<store::TreeHead> head = ctx.log.CurrentTreeHead();
  if (head.ok()) {
    Data current;
    current.set("tree_size", std::to_string(head->tree_size));
    // "14:05 23/11/2026", Vietnam time.
    const std::string at = core::FormatRfc3339(
        core::Timestamp::FromUnixMillis(head->timestamp_ms).WithUtcOffset(7 * 60), 0);
    current.set("signed_at", at.substr(11, 5) + " " + at.substr(8, 2) + "/" + at.substr(5, 2) +
                                 "/" + at.substr(0, 4));
    current.set("public_key", ledger::Base64(ctx.log.public_key()));
    data.set("head", current);
  }
  Response response =
      Response::Text(200, view.RenderPart("log_about", data, lang), "text/html; charset=utf-8");
  response.headers["Content-Language"] = lang;
  response.headers["Vary"] = "Accept-Language";
  response.headers["Cache-Control"] = "no-cache";
  return response;
}

}  // namespace

void RegisterLogApi(Router& router, LogApiContext& ctx) {
  router.Add(Method::kGet, "/api/v1/log/sth", [&ctx](Request&) { return SthHandler(ctx); });
  router.Add(Method::kGet, "/api/v1/log/key", [&ctx](Request&) { return KeyHandler(ctx); });
  router.Add(Method::kGet, "/api/v1/log/proof",
             [&ctx](Request& request) { return ProofHandler(request, ctx); });
  router.Add(Method::kGet, "/api/v1/log/consistency",
             [&ctx](Request& request) { return ConsistencyHandler(request, ctx); });
  router.Add(Method::kPost, "/api/v1/log/witness",
             [&ctx](Request& request) { return WitnessHandler(request, ctx); });
  router.Add(Method::kGet, "/api/v1/log/witness",
             [&ctx](Request& request) { return LastWitnessedHandler(request, ctx); });
  router.Add(Method::kGet, "/log/about",
             [&ctx](Request& request) { return AboutHandler(request, ctx); });
}

}  // namespace vntrace::http
