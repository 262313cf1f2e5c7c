#include "http/epcis_api/epcis_api.hpp"

#include <array>
#include <charconv>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "epcis/document.hpp"
#include "epcis/master_data.hpp"
#include "epcis/query.hpp"
#include "epcis/xml_document.hpp"
#include "http/auth.hpp"
#include "http/negotiation.hpp"

namespace vntrace::http {
namespace {

namespace json = boost::json;

constexpr std::string_view kContext =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
constexpr ErrorMapping kQueryErrors{"QueryParameterException", "QueryTooLargeException"};
constexpr ErrorMapping kCaptureErrors{"ValidationException", "CaptureLimitExceededException"};

// Headers every EPCIS response carries, the automatic OPTIONS answers included.
Headers Gs1Headers(const EpcisApiContext& ctx) {
  Headers h;
  h["GS1-EPCIS-Version"] = "2.0.0";
  h["GS1-CBV-Version"] = "2.0.0";
  h["GS1-Vendor-Version"] = "vntrace-0.1.0";
  h["GS1-EPCIS-Capture-Limit"] = std::to_string(ctx.capture_limit_events);
  h["GS1-EPCIS-Capture-File-Size-Limit"] = std::to_string(ctx.capture_limit_bytes);
  // Both rollback and proceed are supported (the REST binding's way of saying so).
  h["GS1-Capture-Error-Behaviour"] = "all";
  // The bindings a capture body may be in (responses follow Accept: JSON-LD unless XML is
  // preferred).
  h["Accept-Post"] = "application/ld+json, application/json, application/xml, text/xml";
  return h;
}

// Wraps a handler: authentication first.
Handler Guarded(EpcisApiContext& ctx, Handler inner) {
  return [&ctx, inner = std::move(inner)](Request& request) {
    if (ctx.require_api_key) {
      if (core::Result<Principal> who = Authenticate(request, ctx.store); !who.ok()) {
        Response response = ErrorResponse(who.error());
        response.headers["WWW-Authenticate"] = "Bearer realm=\"vntrace\"";
        return response;
      }
    }
    return inner(request);
  };
}

// Percent-encodes a query-string component.
std::string EncodeComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

// "prefix=namespace,prefix2=namespace2" from GS1-Extensions.
std::map<std::string, std::string> ParseExtensions(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      auto trim = [](std::string_view s) {
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
        return s;
      };
      out[std::string(trim(item.substr(0, eq)))] = std::string(trim(item.substr(eq + 1)));
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return out;
}

epcis::EncodeOptions EncodeOptionsFor(const Request& request) {
  epcis::EncodeOptions options;
  std::string_view epc = request.Header("GS1-EPC-Format");
  if (epc == "Always_GS1_Digital_Link") {
    options.epc_format = epcis::EpcFormat::kAlwaysDigitalLink;
  } else if (epc == "Always_EPC_URN") {
    options.epc_format = epcis::EpcFormat::kAlwaysEpcUrn;
  } else if (epc == "Never_Translates") {
    options.epc_format = epcis::EpcFormat::kNeverTranslates;
  }
  std::string_view cbv = request.Header("GS1-CBV-XML-Format");
  if (cbv.empty()) cbv = request.Header("GS1-CBV-Format");
  if (cbv == "Always_Web_URI") {
    options.cbv_format = epcis::CbvFormat::kAlwaysWebUri;
  } else if (cbv == "Always_URN") {
    options.cbv_format = epcis::CbvFormat::kAlwaysUrn;
  } else if (cbv == "Never_Translates") {
    options.cbv_format = epcis::CbvFormat::kNeverTranslates;
  }
  options.namespaces = ParseExtensions(request.Header("GS1-Extensions"));
  return options;
}

Response ValidationFailure(const std::vector<epcis::ValidationIssue>& issues) {
  std::string detail;
  for (std::size_t i = 0; i < issues.size() && i < 20; ++i) {
    if (!detail.empty()) detail += "; ";
    detail += issues[i].ToString();
  }
  if (issues.size() > 20) detail += fmt::format("; and {} more", issues.size() - 20);
  return ProblemResponse(
      Problem{"epcisException:ValidationException", "Invalid EPCIS document", 400, detail, ""});
}

core::Result<std::size_t> PerPage(const Request& request, const EpcisApiContext& ctx) {
  std::optional<std::string_view> text = request.QueryParam("perPage");
  if (!text) return std::size_t{30};
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value == 0) {
    return core::InvalidArgument("perPage must be a positive integer");
  }
  return std::min(value, ctx.max_per_page);
}

// The query parameters minus pagination, plus `extra` (e.g. a path-derived condition).
epcis::QueryParams QueryParamsOf(const Request& request, const epcis::QueryParams& extra = {}) {
  epcis::QueryParams params;
  for (const auto& [name, value] : request.query) {
    if (name == "perPage" || name == "nextPageToken") continue;
    params.emplace_back(name, value);
  }
  params.insert(params.end(), extra.begin(), extra.end());
  return params;
}

// True when the request body is in the XML binding (Content-Type application/xml, text/xml or
// a +xml type); anything else is read as JSON-LD.
bool IsXmlBody(const Request& request) {
  return IsXmlMediaType(MediaTypeOf(request.Header("Content-Type")));
}

// Decodes a capture body in its binding.
epcis::DecodeResult DecodeBody(const Request& request, const epcis::DecodeOptions& options) {
  return IsXmlBody(request) ? epcis::DecodeXmlDocument(request.body, options)
                            : epcis::DecodeDocument(request.body, options);
}

// An EPCISQueryDocument of `jsons` in the binding the client prefers by Accept (q-values):
// JSON-LD by default, EPCIS 2.0 XML (with the creationDate its XSD requires) when
// application/xml or text/xml is preferred.
Response QueryDocumentResponse(const Request& request, EpcisApiContext& ctx,
                               std::span<const std::string> jsons, epcis::EncodeOptions options) {
  const std::string media = PreferredMediaType(
      request.Header("Accept"),
      {"application/json", "application/ld+json", "application/xml", "text/xml"});
  const bool xml = IsXmlMediaType(media);
  if (xml && !options.creation_date.has_value()) options.creation_date = ctx.clock.Now().ToUtc();
  core::Result<std::string> body = xml ? epcis::EncodeXmlQueryDocument(jsons, options)
                                       : epcis::EncodeQueryDocument(jsons, options);
  if (!body.ok()) return ErrorResponse(body.error());
  Response response = xml ? Response::Text(200, std::move(*body), media + "; charset=utf-8")
                          : Response::Json(200, std::move(*body));
  response.headers["Vary"] = "Accept";
  return response;
}

// Runs `params` and renders one page as an EPCISQueryDocument with a Link rel="next".
Response RunQuery(const Request& request, EpcisApiContext& ctx, const epcis::QueryParams& params,
                  std::string_view query_name) {
  core::Result<epcis::EventQuery> query =
      epcis::ParseEventQuery(params, ParseExtensions(request.Header("GS1-Extensions")));
  if (!query.ok()) return ErrorResponse(query.error(), kQueryErrors);
  core::Result<std::size_t> per_page = PerPage(request, ctx);
  if (!per_page.ok()) return ErrorResponse(per_page.error(), kQueryErrors);
  store::PageRequest page{*per_page, std::string(request.QueryParam("nextPageToken").value_or(""))};
  core::Result<store::EventPage> result = ctx.store.QueryEvents(*query, page);
  if (!result.ok()) return ErrorResponse(result.error(), kQueryErrors);
  std::vector<std::string> jsons;
  jsons.reserve(result->events.size());
  for (store::StoredEvent& e : result->events) jsons.push_back(std::move(e.json));
  epcis::EncodeOptions options = EncodeOptionsFor(request);
  options.query_name = std::string(query_name);
  Response response = QueryDocumentResponse(request, ctx, jsons, options);
  if (response.status != 200) return response;
  if (!result->next.empty()) {
    std::string link = request.path + "?";
    for (const auto& [name, value] : request.query) {
      if (name == "perPage" || name == "nextPageToken") continue;
      link += EncodeComponent(name) + "=" + EncodeComponent(value) + "&";
    }
    link += fmt::format("perPage={}&nextPageToken={}", *per_page, EncodeComponent(result->next));
    response.headers["Link"] = fmt::format("<{}>; rel=\"next\"", link);
  }
  return response;
}

std::string JobJson(const store::CaptureJob& job) {
  json::object o;
  o["captureID"] = job.capture_id;
  o["createdAt"] = core::FormatRfc3339(job.created_at.ToUtc());
  if (job.finished_at) o["finishedAt"] = core::FormatRfc3339(job.finished_at->ToUtc());
  o["running"] = job.running;
  o["success"] = job.success;
  o["captureErrorBehaviour"] = job.error_behaviour;
  json::error_code ec;
  json::value errors = json::parse(job.errors_json, ec);
  o["errors"] = ec ? json::value(json::array()) : errors;
  return json::serialize(o);
}

// GS1-Capture-Error-Behaviour: what a capture does with invalid events.
enum class CaptureErrorBehaviour {
  kRollback,  // "rollback" (the default): any invalid event refuses the whole document
  kProceed,   // "proceed": the valid events are stored, the others reported in the job
};

std::string_view NameOf(CaptureErrorBehaviour behaviour) {
  return behaviour == CaptureErrorBehaviour::kProceed ? "proceed" : "rollback";
}

core::Result<CaptureErrorBehaviour> CaptureErrorBehaviourOf(const Request& request) {
  constexpr std::string_view kHeader = "GS1-Capture-Error-Behaviour";
  const std::string_view value = request.Header(kHeader);
  if (value.empty() || value == "rollback") return CaptureErrorBehaviour::kRollback;
  if (value == "proceed") return CaptureErrorBehaviour::kProceed;
  if (value == "all") {
    return core::InvalidArgument(fmt::format(
        "{}: 'all' is only announced by a server that supports both behaviours; a capture "
        "request asks for 'rollback' (the default) or 'proceed'",
        kHeader));
  }
  return core::InvalidArgument(
      fmt::format("{}: expected 'rollback' or 'proceed', got '{}'", kHeader, value));
}

// Decodes, validates and stores a capture body. Returns the events' outcome or a response to
// send instead (validation failure, limit).
struct Captured {
  std::vector<epcis::Event> events;
  store::CaptureOutcome outcome;
  // With kProceed: the refused events' indices and the issues naming them.
  std::vector<std::size_t> rejected_events;
  std::vector<epcis::ValidationIssue> event_issues;
};
core::Result<Captured> DecodeAndStore(const Request& request, EpcisApiContext& ctx,
                                      CaptureErrorBehaviour behaviour,
                                      std::vector<epcis::ValidationIssue>& issues) {
  if (request.body.size() > ctx.capture_limit_bytes) {
    return core::ResourceExhausted(
        fmt::format("the document is larger than {} bytes", ctx.capture_limit_bytes));
  }
  epcis::DecodeOptions options;
  options.record_time = ctx.clock.Now().ToUtc();
  options.max_events = ctx.capture_limit_events;
  options.max_bytes = ctx.capture_limit_bytes;
  options.keep_valid_events = behaviour == CaptureErrorBehaviour::kProceed;
  epcis::DecodeResult decoded = DecodeBody(request, options);
  if (!decoded.issues.empty() && (decoded.document_has_issues || !options.keep_valid_events)) {
    issues = std::move(decoded.issues);
    return core::InvalidArgument("invalid document");
  }
  Captured captured;
  VNTRACE_ASSIGN_OR_RETURN(captured.outcome,
                           ctx.store.CaptureDocument(decoded.events, decoded.master_data));
  captured.events = std::move(decoded.events);
  captured.rejected_events = std::move(decoded.rejected_events);
  captured.event_issues = std::move(decoded.issues);
  return captured;
}

// The capture job's `errors`: one ValidationException per refused event, its detail listing
// the event's issues and its `eventIndex` the event's 0-based index in the eventList.
std::string EventErrorsJson(const Captured& captured) {
  json::array errors;
  for (std::size_t index : captured.rejected_events) {
    std::string detail;
    for (const epcis::ValidationIssue& issue : captured.event_issues) {
      if (issue.event_index != static_cast<int>(index)) continue;
      if (!detail.empty()) detail += "; ";
      detail += issue.ToString();
    }
    if (detail.empty()) {
      detail = fmt::format("event {}: invalid (its issues are past the first {} reported)", index,
                           captured.event_issues.size());
    }
    Problem problem = ProblemOf(core::InvalidArgument(std::move(detail)), kCaptureErrors);
    json::value error = json::parse(ProblemJson(problem));
    error.as_object()["eventIndex"] = index;
    errors.push_back(std::move(error));
  }
  return json::serialize(errors);
}

Response Capture(Request& request, EpcisApiContext& ctx) {
  core::Result<CaptureErrorBehaviour> behaviour = CaptureErrorBehaviourOf(request);
  if (!behaviour.ok()) return ErrorResponse(behaviour.error(), kCaptureErrors);
  std::vector<epcis::ValidationIssue> issues;
  core::Result<Captured> captured = DecodeAndStore(request, ctx, *behaviour, issues);
  if (!issues.empty()) return ValidationFailure(issues);
  if (!captured.ok()) return ErrorResponse(captured.error(), kCaptureErrors);
  store::CaptureJob job;
  job.capture_id = ctx.random.Hex(16);
  job.created_at = ctx.clock.Now().ToUtc();
  job.finished_at = job.created_at;
  job.running = false;
  job.success = captured->rejected_events.empty();
  job.error_behaviour = std::string(NameOf(*behaviour));
  job.errors_json = EventErrorsJson(*captured);
  if (core::Status saved = ctx.store.SaveCaptureJob(job); !saved.ok()) {
    return ErrorResponse(saved.error());
  }
  Response response = Response::Empty(202);
  response.headers["Location"] = "/epcis/capture/" + job.capture_id;
  response.headers["GS1-Capture-Stored"] = std::to_string(captured->outcome.stored);
  return response;
}

Response CaptureOneEvent(Request& request, EpcisApiContext& ctx) {
  std::vector<epcis::ValidationIssue> issues;
  core::Result<Captured> captured =
      DecodeAndStore(request, ctx, CaptureErrorBehaviour::kRollback, issues);
  if (!issues.empty()) return ValidationFailure(issues);
  if (!captured.ok()) return ErrorResponse(captured.error(), kCaptureErrors);
  if (captured->events.size() != 1) {
    return ErrorResponse(core::InvalidArgument("POST /events takes exactly one event"));
  }
  // An error declaration repeats the eventID of the event it declares erroneous: it is
  // recorded on that event, not refused as a duplicate.
  if (captured->outcome.stored == 0 && captured->outcome.declared == 0) {
    return ErrorResponse(core::AlreadyExists(
        fmt::format("an event with eventID {} already exists", captured->events[0].event_id)));
  }
  Response response = Response::Empty(201);
  response.headers["Location"] = "/epcis/events/" + EncodeComponent(captured->events[0].event_id);
  return response;
}

Response GetEvent(Request& request, EpcisApiContext& ctx) {
  core::Result<store::StoredEvent> event = ctx.store.GetEvent(request.PathParam("eventID"));
  if (!event.ok()) return ErrorResponse(event.error());
  std::vector<std::string> jsons{std::move(event->json)};
  return QueryDocumentResponse(request, ctx, jsons, EncodeOptionsFor(request));
}

Response Collection(const std::vector<std::string>& members, const std::string& next_link) {
  json::object o;
  o["@context"] = kContext;
  o["type"] = "Collection";
  json::array arr;
  for (const std::string& m : members) arr.emplace_back(m);
  o["member"] = std::move(arr);
  Response response = Response::Json(200, json::serialize(o));
  if (!next_link.empty()) response.headers["Link"] = fmt::format("<{}>; rel=\"next\"", next_link);
  return response;
}

struct TopLevel {
  std::string_view path;
  store::Vocabulary vocabulary;
  std::string_view param;  // the query parameter that selects the value's events
  // The master data vocabularies of the resource's values (empty: none), served as the value's
  // "masterData" sub-resource.
  std::array<std::string_view, 2> master_data = {};
};
constexpr TopLevel kTopLevel[] = {
    {"eventTypes", store::Vocabulary::kEventTypes, "eventType"},
    {"epcs",
     store::Vocabulary::kEpcs,
     "MATCH_anyEPC",
     {epcis::kEpcInstanceVocabulary, epcis::kEpcClassVocabulary}},
    {"bizSteps", store::Vocabulary::kBizSteps, "EQ_bizStep"},
    {"bizLocations",
     store::Vocabulary::kBizLocations,
     "EQ_bizLocation",
     {epcis::kBusinessLocationVocabulary}},
    {"readPoints", store::Vocabulary::kReadPoints, "EQ_readPoint", {epcis::kReadPointVocabulary}},
    {"dispositions", store::Vocabulary::kDispositions, "EQ_disposition"},
};

// The master data of a top-level resource's value (an EPC or location in any of its forms), from
// each of the resource's vocabularies that has it.
core::Result<std::vector<epcis::VocabularyElement>> MasterDataOf(EpcisApiContext& ctx,
                                                                 const TopLevel& resource,
                                                                 std::string_view value) {
  const std::string id = epcis::CanonicalIdentifier(value);
  std::vector<epcis::VocabularyElement> elements;
  for (std::string_view type : resource.master_data) {
    if (type.empty()) continue;
    core::Result<epcis::VocabularyElement> element = ctx.store.GetVocabularyElement(type, id);
    if (element.ok()) {
      elements.push_back(std::move(*element));
    } else if (element.error().code != core::ErrorCode::kNotFound) {
      return element.error();
    }
  }
  return elements;
}

// GET /epcis/{resource}/{value}: the sub-resources, "masterData" when there is some.
Response SubResources(Request& request, EpcisApiContext& ctx, const TopLevel& resource) {
  core::Result<std::vector<epcis::VocabularyElement>> elements =
      MasterDataOf(ctx, resource, request.PathParam("value"));
  if (!elements.ok()) return ErrorResponse(elements.error());
  return Collection(elements->empty() ? std::vector<std::string>{"events"}
                                      : std::vector<std::string>{"events", "masterData"},
                    "");
}

// GET /epcis/{resource}/{value}/masterData: the value's master data as the standard's master
// data query answers it (an EPCISQueryDocument with a vocabularyList); 404 when there is none.
Response MasterData(Request& request, EpcisApiContext& ctx, const TopLevel& resource) {
  const std::string_view value = request.PathParam("value");
  core::Result<std::vector<epcis::VocabularyElement>> elements = MasterDataOf(ctx, resource, value);
  if (!elements.ok()) return ErrorResponse(elements.error());
  if (elements->empty()) {
    return ErrorResponse(core::NotFound(fmt::format("no master data for {}", value)));
  }
  epcis::EncodeOptions options = EncodeOptionsFor(request);
  options.creation_date = ctx.clock.Now().ToUtc();
  return Response::Json(200, epcis::EncodeMasterDataDocument(*elements, options));
}

Response ListTopLevel(Request& request, EpcisApiContext& ctx, const TopLevel& resource) {
  core::Result<std::size_t> per_page = PerPage(request, ctx);
  if (!per_page.ok()) return ErrorResponse(per_page.error(), kQueryErrors);
  store::PageRequest page{*per_page, std::string(request.QueryParam("nextPageToken").value_or(""))};
  core::Result<store::ValuePage> values = ctx.store.ListVocabulary(resource.vocabulary, page);
  if (!values.ok()) return ErrorResponse(values.error(), kQueryErrors);
  std::string next;
  if (!values->next.empty()) {
    next = fmt::format("{}?perPage={}&nextPageToken={}", request.path, *per_page,
                       EncodeComponent(values->next));
  }
  return Collection(values->values, next);
}

// A named query's JSON "query" object as REST parameters: strings as they are, arrays joined
// with '|', null (the value of an EXISTS_ parameter) as no value, other values in their JSON
// text.
epcis::QueryParams ParamsFromJson(const json::object& query) {
  epcis::QueryParams params;
  for (const auto& [key, value] : query) {
    std::string text;
    if (value.is_null()) {
      // no value
    } else if (value.is_string()) {
      text = std::string(value.as_string());
    } else if (value.is_array()) {
      for (const json::value& item : value.as_array()) {
        if (!text.empty()) text += '|';
        text += item.is_string() ? std::string(item.as_string()) : json::serialize(item);
      }
    } else {
      text = json::serialize(value);
    }
    params.emplace_back(std::string(key), std::move(text));
  }
  return params;
}

Response CreateNamedQuery(Request& request, EpcisApiContext& ctx) {
  json::error_code ec;
  json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("name") ||
      !body.at("name").is_string() || !body.as_object().contains("query") ||
      !body.at("query").is_object()) {
    return ErrorResponse(
        core::InvalidArgument(
            "a named query is a JSON object {\"name\": string, \"query\": {parameters}}"),
        kQueryErrors);
  }
  std::string name(body.at("name").as_string());
  if (name.empty() || name.size() > 200 || name.find('/') != std::string::npos) {
    return ErrorResponse(core::InvalidArgument("query name must be 1-200 characters without '/'"),
                         kQueryErrors);
  }
  epcis::QueryParams params = ParamsFromJson(body.at("query").as_object());
  if (core::Result<epcis::EventQuery> q = epcis::ParseEventQuery(params); !q.ok()) {
    return ErrorResponse(q.error(), kQueryErrors);
  }
  store::NamedQuery query{name, json::serialize(body.at("query")), ctx.clock.Now().ToUtc()};
  if (core::Status created = ctx.store.CreateNamedQuery(query); !created.ok()) {
    return ErrorResponse(created.error(), kQueryErrors);
  }
  Response response = Response::Empty(201);
  response.headers["Location"] = "/epcis/queries/" + EncodeComponent(name);
  return response;
}

// A stored query's parameters, as the REST binding would have sent them.
core::Result<epcis::QueryParams> ParamsOfNamedQuery(const store::NamedQuery& query) {
  json::error_code ec;
  json::value v = json::parse(query.definition_json, ec);
  if (ec || !v.is_object()) return core::Internal("stored named query is not a JSON object");
  return ParamsFromJson(v.as_object());
}

Response NamedQueryJson(const store::NamedQuery& q) {
  json::object o;
  o["name"] = q.name;
  json::error_code ec;
  o["query"] = json::parse(q.definition_json, ec);
  return Response::Json(200, json::serialize(o));
}

}  // namespace

void RegisterEpcisApi(Router& router, EpcisApiContext& ctx) {
  router.AddResponseHeaders("/epcis", Gs1Headers(ctx));
  auto add = [&](Method method, std::string_view pattern, auto fn) {
    router.Add(method, pattern, Guarded(ctx, [&ctx, fn](Request& r) { return fn(r, ctx); }));
  };
  add(Method::kGet, "/epcis", [](Request&, EpcisApiContext&) {
    std::vector<std::string> members = {"capture",    "events",       "eventTypes",
                                        "epcs",       "bizSteps",     "bizLocations",
                                        "readPoints", "dispositions", "queries"};
    return Collection(members, "");
  });
  add(Method::kPost, "/epcis/capture", Capture);
  add(Method::kGet, "/epcis/capture", [](Request& r, EpcisApiContext& c) {
    core::Result<std::size_t> per_page = PerPage(r, c);
    if (!per_page.ok()) return ErrorResponse(per_page.error(), kQueryErrors);
    core::Result<store::CaptureJobPage> jobs = c.store.ListCaptureJobs(
        {*per_page, std::string(r.QueryParam("nextPageToken").value_or(""))});
    if (!jobs.ok()) return ErrorResponse(jobs.error());
    std::string body = "[";
    for (std::size_t i = 0; i < jobs->jobs.size(); ++i) {
      if (i > 0) body += ',';
      body += JobJson(jobs->jobs[i]);
    }
    body += ']';
    return Response::Json(200, std::move(body));
  });
  add(Method::kGet, "/epcis/capture/{captureID}", [](Request& r, EpcisApiContext& c) {
    core::Result<store::CaptureJob> job = c.store.GetCaptureJob(r.PathParam("captureID"));
    if (!job.ok()) return ErrorResponse(job.error());
    return Response::Json(200, JobJson(*job));
  });
  add(Method::kPost, "/epcis/events", CaptureOneEvent);
  add(Method::kGet, "/epcis/events", [](Request& r, EpcisApiContext& c) {
    return RunQuery(r, c, QueryParamsOf(r), "SimpleEventQuery");
  });
  add(Method::kGet, "/epcis/events/{eventID}", GetEvent);
  for (const TopLevel& resource : kTopLevel) {
    std::string base = "/epcis/" + std::string(resource.path);
    add(Method::kGet, base,
        [&resource](Request& r, EpcisApiContext& c) { return ListTopLevel(r, c, resource); });
    add(Method::kGet, base + "/{value}",
        [&resource](Request& r, EpcisApiContext& c) { return SubResources(r, c, resource); });
    if (!resource.master_data[0].empty()) {
      add(Method::kGet, base + "/{value}/masterData",
          [&resource](Request& r, EpcisApiContext& c) { return MasterData(r, c, resource); });
    }
    add(Method::kGet, base + "/{value}/events", [&resource](Request& r, EpcisApiContext& c) {
      epcis::QueryParams extra{{std::string(resource.param), std::string(r.PathParam("value"))}};
      return RunQuery(r, c, QueryParamsOf(r, extra), "SimpleEventQuery");
    });
  }
  add(Method::kPost, "/epcis/queries", CreateNamedQuery);
  add(Method::kGet, "/epcis/queries", [](Request&, EpcisApiContext& c) {
    core::Result<std::vector<store::NamedQuery>> queries = c.store.ListNamedQueries();
    if (!queries.ok()) return ErrorResponse(queries.error());
    json::array arr;
    for (const store::NamedQuery& q : *queries) {
      json::error_code ec;
      arr.emplace_back(
          json::object{{"name", q.name}, {"query", json::parse(q.definition_json, ec)}});
    }
    return Response::Json(200, json::serialize(arr));
  });
  add(Method::kGet, "/epcis/queries/{name}", [](Request& r, EpcisApiContext& c) {
    core::Result<store::NamedQuery> q = c.store.GetNamedQuery(r.PathParam("name"));
    if (!q.ok()) return ErrorResponse(q.error());
    return NamedQueryJson(*q);
  });
  add(Method::kDelete, "/epcis/queries/{name}", [](Request& r, EpcisApiContext& c) {
    if (core::Status s = c.store.DeleteNamedQuery(r.PathParam("name")); !s.ok()) {
      return ErrorResponse(s.error());
    }
    return Response::Empty(204);
  });
  add(Method::kGet, "/epcis/queries/{name}/events", [](Request& r, EpcisApiContext& c) {
    core::Result<store::NamedQuery> q = c.store.GetNamedQuery(r.PathParam("name"));
    if (!q.ok()) return ErrorResponse(q.error());
    core::Result<epcis::QueryParams> params = ParamsOfNamedQuery(*q);
    if (!params.ok()) return ErrorResponse(params.error());
    return RunQuery(r, c, *params, q->name);
  });
}

}  // namespace vntrace::http
