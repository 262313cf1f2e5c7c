#include "http/resolver/resolver.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/log.hpp"
#include "core/time.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/dl_compression.hpp"
#include "http/pages/form.hpp"
#include "http/pages/internal/assets.hpp"
#include "http/pages/internal/view.hpp"
#include "registry/media.hpp"
#include "report/problem_reports.hpp"
#include "trace/graph.hpp"

namespace vntrace::http {
namespace {

using pages::internal::Data;
using pages::internal::SetText;
using pages::internal::ShowDate;
using pages::internal::ShowVietnamTime;
using pages::internal::View;

constexpr std::string_view kLinksetType = "application/linkset+json";
constexpr std::string_view kLinksetContextLink =
    "<https://ref.gs1.org/standards/resolver/linkset-context>; "
    "rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";
constexpr std::string_view kVoc = "https://gs1.org/voc/";
constexpr int kVietnamOffsetMinutes = 7 * 60;
constexpr std::size_t kMaxJourneySteps = 40;

const View& TheView() {
  static const View* view = new View();  // never destroyed: used until exit
  return *view;
}

// What the resolver found for the identifier of a request.
struct Subject {
  gs1::DigitalLink dl;        // as requested (for platform stamps: empty path)
  std::string code;           // canonical, path only: the stamp code / trace identifier
  std::string path;           // "/01/…/21/…" or "/id/stamp/…": this host's URL of it
  bool claims_stamp = false;  // a serial (AI 21) or a platform stamp URI
  bool platform_stamp = false;
  std::optional<store::Product> product;
  std::optional<store::Organisation> org;
  std::optional<store::Lot> lot;
  std::optional<store::Stamp> stamp;
  std::string trace_root;  // an identifier stored events name; empty when none does
  // Every version of the product, oldest first, and the one the page shows (for a lot or item:
  // the one that held when the lot was made; otherwise the current one).
  std::vector<store::ProductVersion> versions;
  std::optional<store::ProductVersion> version;
  bool known() const { return product.has_value() || lot.has_value() || !trace_root.empty(); }
};

struct Link {
  std::string rel;  // short name: "pip", "epcis", ...
  std::string href;
  std::string title;
  std::string type;
  std::vector<std::string> hreflang;
};

std::string Language(const Request& req) {
  if (std::optional<std::string_view> q = req.QueryParam("lang"); q && (*q == "vi" || *q == "en")) {
    return std::string(*q);
  }
  std::string_view accept = req.Header("Accept-Language");
  std::string_view first = accept.substr(0, accept.find_first_of(",;"));
  while (!first.empty() && first.front() == ' ') {
    first.remove_prefix(1);
  }
  return first.substr(0, 2) == "en" ? "en" : "vi";
}

bool WantsHtml(const Request& req) {
  std::string_view accept = req.Header("Accept");
  return accept.find("text/html") != std::string_view::npos;
}

bool WantsLinkset(const Request& req) {
  std::optional<std::string_view> link_type = req.QueryParam("linkType");
  if (link_type && (*link_type == "all" || *link_type == "linkset")) {
    return true;
  }
  std::string_view accept = req.Header("Accept");
  return accept.find(kLinksetType) != std::string_view::npos ||
         (accept.find("application/json") != std::string_view::npos &&
          accept.find("text/html") == std::string_view::npos);
}

std::string UrlEncode(std::string_view value) { return gs1::PercentEncodeDlValue(value); }

std::string Today(const core::Clock& clock) {
  return core::FormatRfc3339(clock.Now().WithUtcOffset(kVietnamOffsetMinutes), 0).substr(0, 10);
}

std::string Replace(std::string text, std::string_view key, std::string_view value) {
  for (std::size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

// The Digital Link of `target` (a path with its query) on this host: uncompressed, compressed
// (one segment), or kInvalidArgument.
core::Result<gs1::DigitalLink> LinkOfTarget(const ResolverContext& ctx, std::string_view target) {
  const std::string uri = ctx.base_url + std::string(target);
  const gs1::DigitalLinkOptions options{.permit_zero_suppressed_gtin = true};
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (path.size() > 1 && path.find('/', 1) == std::string_view::npos) {
    return gs1::DecompressDigitalLink(uri, options);
  }
  return gs1::ParseDigitalLink(uri, options);
}

// The Digital Link of the request.
core::Result<gs1::DigitalLink> RequestedLink(const ResolverContext& ctx, const Request& req) {
  return LinkOfTarget(ctx, req.target.empty() ? req.path : req.target);
}

// The identifier stored events name, among `candidates`; empty when none.
core::Result<std::string> NamedByEvents(store::Store& store,
                                        const std::vector<std::string>& candidates) {
  static constexpr std::array kKinds = {epcis::IndexKind::kEpc,
                                        epcis::IndexKind::kChildEpc,
                                        epcis::IndexKind::kParentId,
                                        epcis::IndexKind::kInputEpc,
                                        epcis::IndexKind::kOutputEpc,
                                        epcis::IndexKind::kEpcClass,
                                        epcis::IndexKind::kChildEpcClass,
                                        epcis::IndexKind::kInputEpcClass,
                                        epcis::IndexKind::kOutputEpcClass,
                                        epcis::IndexKind::kReadPoint,
                                        epcis::IndexKind::kBizLocation,
                                        epcis::IndexKind::kSource,
                                        epcis::IndexKind::kDestination};
  VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<store::EventLinkReader> reader, store.OpenLinkReader());
  for (const std::string& candidate : candidates) {
    std::vector<std::int64_t> records;
    VNTRACE_RETURN_IF_ERROR(reader->FindRecords(kKinds, candidate, records));
    if (!records.empty()) {
      return candidate;
    }
  }
  return std::string();
}

template <typename T>
core::Result<std::optional<T>> Optional(core::Result<T> found) {
  if (found.ok()) {
    return std::optional<T>(std::move(*found));
  }
  if (found.error().code == core::ErrorCode::kNotFound) {
    return std::optional<T>();
  }
  return found.error();
}

core::Status FillFromStamp(store::Store& store, Subject& subject) {
  VNTRACE_ASSIGN_OR_RETURN(subject.stamp, Optional(store.stamps().FindStamp(subject.code)));
  if (!subject.stamp || subject.lot) {
    return core::Ok();
  }
  VNTRACE_ASSIGN_OR_RETURN(store::StampBatch batch,
                           store.stamps().GetStampBatch(subject.stamp->batch_id));
  VNTRACE_ASSIGN_OR_RETURN(subject.lot, Optional(store.registry().GetLot(batch.lot_id)));
  if (!subject.product) {
    VNTRACE_ASSIGN_OR_RETURN(subject.product,
                             Optional(store.registry().GetProduct(batch.product_id)));
  }
  return core::Ok();
}

// The version that held when `lot` was made: the last one valid before the end of its production
// day (Vietnam time), or, without a production date, at its creation; the first version when
// the product was registered after that. `versions` is not empty, oldest first.
store::ProductVersion VersionWhenMade(const std::vector<store::ProductVersion>& versions,
                                      const store::Lot& lot) {
  core::Timestamp made_before = lot.created_at.Plus(std::chrono::nanoseconds(1));
  if (lot.produced_on.size() >= 10) {
    core::Result<core::Timestamp> day =
        core::ParseRfc3339(lot.produced_on.substr(0, 10) + "T00:00:00+07:00");
    if (day.ok()) {
      made_before = day->Plus(std::chrono::hours(24));
    }
  }
  const store::ProductVersion* chosen = &versions.front();
  for (const store::ProductVersion& v : versions) {
    if (v.valid_from.unix_nanos() < made_before.unix_nanos()) {
      chosen = &v;
    }
  }
  return *chosen;
}

// Looks up what this host knows about a Digital Link (or a platform stamp when `serial`).
core::Result<Subject> Lookup(const ResolverContext& ctx, gs1::DigitalLink dl,
                             std::string_view platform_serial) {
  Subject subject;
  store::Store& store = ctx.store;
  if (!platform_serial.empty()) {
    subject.platform_stamp = true;
    subject.claims_stamp = true;
    subject.code = ctx.stamps.PlatformStampUri(platform_serial);
    subject.path = "/id/stamp/" + UrlEncode(platform_serial);
  } else {
    gs1::DigitalLink path_only = dl;
    path_only.attributes.clear();
    path_only.other_params.clear();
    path_only.fragment.clear();
    subject.code = gs1::CanonicalDigitalLink(path_only);
    subject.path = subject.code.substr(gs1::kCanonicalStem.size());
    subject.claims_stamp = gs1::FindElement(dl.path, "21") != nullptr;
    subject.dl = std::move(dl);
  }
  std::vector<std::string> candidates = {subject.code};
  if (!subject.platform_stamp && subject.dl.primary_key().code() == "01") {
    const std::string gtin_link =
        std::string(gs1::kCanonicalStem) + "/01/" + subject.dl.primary_key().value;
    VNTRACE_ASSIGN_OR_RETURN(subject.product,
                             Optional(store.registry().FindProductByIdentifier(gtin_link)));
    const std::string_view lot_code = gs1::FindValue(subject.dl.path, "10");
    if (subject.product && !lot_code.empty()) {
      VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Lot> lots,
                               store.registry().ListLots(subject.product->id));
      for (store::Lot& lot : lots) {
        if (lot.code == lot_code) {
          subject.lot = std::move(lot);
          break;
        }
      }
    }
    if (!lot_code.empty()) {
      candidates.push_back(gtin_link + "/10/" + UrlEncode(lot_code));
    }
  }
  VNTRACE_RETURN_IF_ERROR(FillFromStamp(store, subject));
  if (subject.lot && subject.lot->identifier != subject.code) {
    candidates.push_back(subject.lot->identifier);
  }
  VNTRACE_ASSIGN_OR_RETURN(subject.trace_root, NamedByEvents(store, candidates));
  if (subject.product) {
    VNTRACE_ASSIGN_OR_RETURN(subject.org,
                             Optional(store.registry().GetOrganisation(subject.product->org_id)));
    VNTRACE_ASSIGN_OR_RETURN(subject.versions,
                             store.registry().ListProductVersions(subject.product->id));
    if (!subject.versions.empty()) {
      subject.version =
          subject.lot ? VersionWhenMade(subject.versions, *subject.lot) : subject.versions.back();
      subject.product = subject.version->product;  // shown as it was then
    }
  }
  return subject;
}

std::string ItemDescription(const Subject& s) {
  if (s.product) {
    return s.product->name;
  }
  return trace::LabelOf(s.code);
}

std::vector<Link> LinksOf(const ResolverContext& ctx, const Subject& s) {
  const std::string page = ctx.base_url + s.path;
  std::vector<Link> links;
  links.push_back({"pip", page, "Thông tin sản phẩm và hành trình", "text/html", {"vi"}});
  links.push_back(
      {"pip", page + "?lang=en", "Product information and journey", "text/html", {"en"}});
  if (s.product) {
    links.push_back({"certificationInfo",
                     page + "#certificates",
                     "Chứng nhận / Certificates",
                     "text/html",
                     {"vi", "en"}});
  }
  if (s.lot) {
    links.push_back({"recallStatus",
                     page + "#recall",
                     "Tình trạng thu hồi / Recall status",
                     "text/html",
                     {"vi", "en"}});
  }
  if (!s.platform_stamp) {
    links.push_back({"epcis",
                     ctx.base_url + "/epcis/events?MATCH_anyEPC=" + UrlEncode(s.code),
                     "EPCIS events",
                     "application/ld+json",
                     {}});
  }
  links.push_back({"traceability",
                   ctx.base_url + "/api/v1/trace?id=" + UrlEncode(s.code),
                   "Truy xuất nguồn gốc / Traceability",
                   "application/json",
                   {}});
  if (s.product) {
    links.push_back({"dpp",
                     ctx.base_url + "/dpp" + s.path,
                     "Hộ chiếu số sản phẩm / Digital product passport",
                     "application/ld+json",
                     {}});
  }
  return links;
}

Response LinksetResponse(const ResolverContext& ctx, const Subject& s) {
  boost::json::object set;
  set["anchor"] = ctx.base_url + s.path;
  set["itemDescription"] = ItemDescription(s);
  std::vector<Link> links = LinksOf(ctx, s);
  set[std::string(kVoc) + "defaultLink"] = boost::json::array{
      boost::json::object{{"href", links.front().href}, {"title", links.front().title}}};
  for (const Link& link : links) {
    boost::json::object entry{{"href", link.href}, {"title", link.title}};
    if (!link.type.empty()) {
      entry["type"] = link.type;
    }
    if (!link.hreflang.empty()) {
      boost::json::array langs;
      for (const std::string& l : link.hreflang) {
        langs.emplace_back(l);
      }
      entry["hreflang"] = std::move(langs);
    }
    boost::json::value& slot = set[std::string(kVoc) + link.rel];
    if (!slot.is_array()) {
      slot = boost::json::array();
    }
    slot.as_array().push_back(std::move(entry));
  }
  Response res = Response::Text(
      200, boost::json::serialize(boost::json::object{{"linkset", boost::json::array{set}}}),
      kLinksetType);
  res.headers["Link"] = std::string(kLinksetContextLink);
  res.headers["Access-Control-Allow-Origin"] = "*";
  res.headers["Vary"] = "Accept, Accept-Language";
  return res;
}

// The short name of a requested link type ("pip" for "gs1:pip" or https://gs1.org/voc/pip).
std::string ShortLinkType(std::string_view link_type) {
  if (link_type.starts_with("gs1:")) {
    return std::string(link_type.substr(4));
  }
  if (link_type.starts_with(kVoc)) {
    return std::string(link_type.substr(kVoc.size()));
  }
  return std::string(link_type);
}

// ---- the page

Response HtmlPage(int status, Data data, const std::string& lang) {
  Response res =
      Response::Text(status, TheView().RenderPart("scan", data, lang), "text/html; charset=utf-8");
  res.headers["Content-Language"] = lang;
  res.headers["Vary"] = "Accept, Accept-Language";
  res.headers["Cache-Control"] = "no-store";
  return res;
}

Response ErrorPage(const Request& req, const core::Error& error, std::string_view key) {
  if (!WantsHtml(req)) {
    return ErrorResponse(error);
  }
  const std::string lang = Language(req);
  const View& view = TheView();
  Data data;
  data.set("title", view.Text(lang, "scan." + std::string(key) + ".title"));
  Data problem;
  problem.set("heading", view.Text(lang, "scan." + std::string(key) + ".title"));
  problem.set("text", view.Text(lang, "scan." + std::string(key) + ".text"));
  problem.set("detail", error.message);
  data.set("problem", problem);
  return HtmlPage(ProblemOf(error).status, std::move(data), lang);
}

std::string StepName(std::string_view biz_step) {
  std::size_t cut = biz_step.find_last_of(":-/");
  return std::string(cut == std::string_view::npos ? biz_step : biz_step.substr(cut + 1));
}

std::string IdOf(const boost::json::object& event, std::string_view field) {
  const boost::json::value* v = event.if_contains(field);
  if (v == nullptr) {
    return {};
  }
  if (v->is_string()) {
    return std::string(v->as_string());
  }
  if (v->is_object()) {
    if (const boost::json::value* id = v->as_object().if_contains("id");
        id != nullptr && id->is_string()) {
      return std::string(id->as_string());
    }
  }
  return {};
}

// The journey: the events of the backward trace, oldest first.
core::Result<Data> Journey(const ResolverContext& ctx, const Subject& s, const std::string& lang,
                           std::vector<std::string>& shown) {
  Data steps = Data::type::list;
  if (s.trace_root.empty()) {
    return steps;
  }
  VNTRACE_ASSIGN_OR_RETURN(
      trace::TraceResult result,
      trace::Trace(
          ctx.store, s.trace_root,
          {.direction = trace::Direction::kBackward, .depth = std::nullopt, .max_nodes = 2000}));
  std::map<std::string, std::string, std::less<>> places;
  if (s.product) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Facility> facilities,
                             ctx.store.registry().ListFacilities(s.product->org_id));
    for (const store::Facility& f : facilities) {
      places[f.identifier] = f.name + (f.address.province.empty() ? "" : ", " + f.address.province);
    }
  }
  std::vector<std::pair<core::Timestamp, std::string>> events;
  for (const trace::Edge& edge : result.edges) {
    if (std::none_of(events.begin(), events.end(),
                     [&](const auto& e) { return e.second == edge.event_id; })) {
      events.emplace_back(edge.time, edge.event_id);
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.first.unix_nanos() < b.first.unix_nanos();
  });
  if (events.size() > kMaxJourneySteps) {
    events.erase(events.begin(), events.end() - kMaxJourneySteps);
  }
  const View& view = TheView();
  for (const auto& [time, event_id] : events) {
    VNTRACE_ASSIGN_OR_RETURN(store::StoredEvent stored, ctx.store.GetEvent(event_id));
    shown.push_back(event_id);
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(stored.json, ec);
    if (ec || !parsed.is_object()) {
      continue;
    }
    const boost::json::object& event = parsed.as_object();
    const std::string step = StepName(IdOf(event, "bizStep"));
    std::string place_id = IdOf(event, "bizLocation");
    if (place_id.empty()) {
      place_id = IdOf(event, "readPoint");
    }
    Data row;
    row.set("date", ShowVietnamTime(time, false));
    const std::string key = "scan.step." + (step.empty() ? std::string("observed") : step);
    const std::string label = view.Text(lang, key);
    row.set("step", label == key ? step : label);
    if (!place_id.empty()) {
      auto place = places.find(place_id);
      if (place == places.end()) {
        // Another organisation's facility (a platform id is its own identifier).
        core::Result<store::Facility> other = ctx.store.registry().GetFacility(place_id);
        std::string name =
            other.ok() ? other->name +
                             (other->address.province.empty() ? "" : ", " + other->address.province)
                       : trace::LabelOf(place_id);
        place = places.emplace(place_id, std::move(name)).first;
      }
      row.set("place", place->second);
    }
    steps.push_back(row);
  }
  return steps;
}

// Whether every event in `shown` is proved unchanged in the log's current (signed) tree head. A
// problem with the log only hides the mention, and is logged; it never breaks the page.
bool HistoryVerified(const ResolverContext& ctx, const std::vector<std::string>& shown) {
  core::Result<store::TreeHead> head = ctx.log->CurrentTreeHead();
  core::Status verified =
      head.ok() ? ledger::VerifyTreeHead(*head, ctx.log->public_key()) : core::Status(head.error());
  for (std::size_t i = 0; i < shown.size() && verified.ok(); ++i) {
    verified = ledger::VerifyEventIncluded(ctx.store.log(), *head, shown[i]);
  }
  if (!verified.ok()) {
    core::LogWarning("scan page: history not verified", {{"reason", verified.error().message}});
    return false;
  }
  return true;
}

Data VerdictData(const label::ScanResult& scan, const std::string& lang) {
  const View& view = TheView();
  const label::Assessment& a = scan.assessment;
  std::string name(label::VerdictName(a.verdict));
  Data verdict;
  verdict.set("class", name);
  verdict.set("heading", view.Text(lang, "scan.verdict." + name));
  std::string text;
  switch (a.verdict) {
    case label::Verdict::kScannedBefore:
      text = view.Text(lang, a.first_province.empty() ? "scan.verdict.scanned_before.text_noarea"
                                                      : "scan.verdict.scanned_before.text");
      text = Replace(text, "{n}", std::to_string(a.previous_scans));
      text = Replace(text, "{date}", a.first_scan ? ShowVietnamTime(*a.first_scan, false) : "");
      text = Replace(text, "{province}", a.first_province);
      break;
    case label::Verdict::kSuspicious:
      text = view.Text(lang,
                       "scan.verdict.suspicious." + std::string(label::SuspicionName(a.suspicion)));
      break;
    case label::Verdict::kRecalled:
      text = view.Text(lang, "scan.verdict.recalled.text");
      if (scan.recall) {
        text = Replace(text, "{date}", ShowVietnamTime(scan.recall->recalled_at, false));
        SetText(verdict, "reason", scan.recall->reason);
      }
      break;
    default:
      text = view.Text(lang, "scan.verdict." + name + ".text");
  }
  verdict.set("text", text);
  verdict.set("alert",
              a.verdict == label::Verdict::kRecalled || a.verdict == label::Verdict::kSuspicious);
  return verdict;
}

bool OffersProblemForm(const ResolverContext& ctx) {
  return ctx.random != nullptr && ctx.form_secret.size() == report::kFormSecretBytes;
}

report::ProblemContext ProblemContextOf(const ResolverContext& ctx) {
  return report::ProblemContext{ctx.store, ctx.clock, *ctx.random, ctx.form_secret};
}

// The "report a problem" form of the page of `s`: a fresh token, and after a refused
// submission the values sent back and the error beside its field.
Data ProblemFormData(const ResolverContext& ctx, const Subject& s, const std::string& lang,
                     const pages::FormData* sent, const core::Error* error) {
  const View& view = TheView();
  Data form;
  form.set("path", s.path);
  form.set("token", report::ProblemFormToken(ProblemContextOf(ctx), s.code));
  form.set("lang", lang);
  form.set("max_mb", std::to_string(report::kMaxProblemPhotoBytes >> 20));
  form.set("max_chars", std::to_string(report::kMaxProblemMessageChars));
  const std::string chosen = sent != nullptr ? std::string(sent->Get("kind")) : std::string();
  Data kinds = Data::type::list;
  for (store::ProblemKind kind : report::AllProblemKinds()) {
    const std::string name(report::ProblemKindName(kind));
    Data option;
    option.set("value", name);
    option.set("label", view.Text(lang, "scan.problem.kind." + name));
    option.set("checked", name == chosen);
    kinds.push_back(option);
  }
  form.set("kinds", kinds);
  if (sent != nullptr) {
    SetText(form, "f_message", std::string(sent->Get("message")));
    SetText(form, "f_contact", std::string(sent->Get("contact")));
  }
  if (error != nullptr) {
    form.set("open", true);
    const std::string& code = error->details;
    std::string field = code.substr(0, code.find('.'));
    if (field == "problem_kind") {
      field = "kind";
    }
    const std::string text = code.empty() ? error->message : view.ErrorText(lang, code);
    if (field == "kind" || field == "message" || field == "contact" || field == "photo") {
      form.set("err_" + field, text);
    } else {
      form.set("err_form", text);
    }
  }
  return form;
}

// The product's versions, newest first (at most kMaxVersionsShown), marking the one shown.
Data VersionList(const Subject& s) {
  Data list = Data::type::list;
  constexpr std::size_t kMaxVersionsShown = 20;
  for (std::size_t i = s.versions.size(); i > 0 && s.versions.size() - i < kMaxVersionsShown; --i) {
    const store::ProductVersion& v = s.versions[i - 1];
    Data row;
    row.set("number", std::to_string(v.version));
    row.set("date", ShowVietnamTime(v.valid_from, false));
    row.set("name", v.product.name);
    row.set("shown", s.version.has_value() && s.version->version == v.version);
    list.push_back(row);
  }
  return list;
}

core::Result<Data> PageData(const ResolverContext& ctx, const Subject& s,
                            const label::ScanResult& scan, const std::string& lang) {
  const View& view = TheView();
  Data data;
  data.set("title", s.product ? s.product->name : view.Text(lang, "scan.unregistered"));
  data.set("verdict", VerdictData(scan, lang));
  data.set("linkset_href", s.path + "?linkType=all");
  data.set("other_lang_href", s.path + (lang == "en" ? "?lang=vi" : "?lang=en"));
  data.set("code", s.code);
  if (s.product) {
    const store::Product& p = *s.product;
    Data product;
    product.set("name", p.name);
    SetText(product, "description", p.description);
    SetText(product, "brand", p.brand);
    SetText(product, "origin", p.origin);
    SetText(product, "gtin", p.gtin);
    if (const std::string_view media = registry::MediaIdOf(p.image_ref); !media.empty()) {
      // An uploaded image: shown at its own proportions within 96 px, loaded lazily.
      core::Result<store::MediaInfo> info = ctx.store.registry().GetMediaInfo(media);
      if (info.ok()) {
        const registry::DisplaySize size = registry::FitInBox(info->width, info->height, 96);
        product.set("image", p.image_ref);
        product.set("image_width", std::to_string(size.width));
        product.set("image_height", std::to_string(size.height));
      }
    } else if (p.image_ref.starts_with("https://") || p.image_ref.starts_with("/")) {
      product.set("image", p.image_ref);
      product.set("image_width", "96");
      product.set("image_height", "96");
    }
    if (p.ocop && p.ocop->stars > 0) {
      Data ocop;
      std::string stars;
      for (int i = 0; i < p.ocop->stars; ++i) {
        stars += "★";
      }
      ocop.set("stars", stars);
      ocop.set("count", std::to_string(p.ocop->stars));
      SetText(ocop, "decision", p.ocop->decision_number);
      product.set("ocop", ocop);
    }
    if (s.version && s.lot) {
      product.set("version_note", Replace(view.Text(lang, "scan.version.note"), "{date}",
                                          ShowVietnamTime(s.version->valid_from, false)));
    }
    data.set("product", product);
    data.set("dpp_href", "/dpp" + s.path);
    data.set("has_versions", !s.versions.empty());
    data.set("versions", VersionList(s));
  }
  if (OffersProblemForm(ctx) && (s.known() || s.stamp || s.platform_stamp)) {
    data.set("problem_form", ProblemFormData(ctx, s, lang, nullptr, nullptr));
  }
  if (s.org) {
    Data org;
    org.set("name", s.org->name);
    std::string address = s.org->address.street;
    for (const std::string* part :
         {&s.org->address.commune, &s.org->address.district, &s.org->address.province}) {
      if (!part->empty()) {
        address += (address.empty() ? "" : ", ") + *part;
      }
    }
    SetText(org, "address", address);
    SetText(org, "phone", s.org->phone);
    data.set("org", org);
  }
  if (s.lot) {
    Data lot;
    lot.set("code", s.lot->code);
    SetText(lot, "produced_on", ShowDate(s.lot->produced_on));
    SetText(lot, "expires_on", ShowDate(s.lot->expires_on));
    data.set("lot", lot);
  } else if (std::string_view code = gs1::FindValue(s.dl.path, "10"); !code.empty()) {
    Data lot;
    lot.set("code", std::string(code));
    data.set("lot", lot);
  }
  if (s.stamp) {
    data.set("serial", s.stamp->serial);
  } else if (std::string_view serial = gs1::FindValue(s.dl.path, "21"); !serial.empty()) {
    data.set("serial", std::string(serial));
  }
  if (std::string_view expiry = gs1::FindValue(s.dl.attributes, "17"); !expiry.empty() && !s.lot) {
    data.set("expiry_ai",
             ShowDate("20" + std::string(expiry.substr(0, 2)) + "-" +
                      std::string(expiry.substr(2, 2)) + "-" + std::string(expiry.substr(4, 2))));
  }
  if (s.product) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Certificate> certificates,
                             ctx.store.registry().ListCertificates(s.product->org_id));
    const std::string today = Today(ctx.clock);
    Data list = Data::type::list;
    for (const store::Certificate& c : certificates) {
      if (!c.product_id.empty() && c.product_id != s.product->id) {
        continue;
      }
      Data row;
      row.set("kind", c.kind);
      SetText(row, "number", c.number);
      SetText(row, "issuer", c.issuer);
      SetText(row, "valid_until", ShowDate(c.valid_until));
      const bool valid = c.valid_until.empty() || c.valid_until >= today;
      row.set("valid", valid);
      row.set("state", view.Text(lang, valid ? "scan.cert.valid" : "scan.cert.expired"));
      if (!registry::MediaIdOf(c.file_ref).empty()) {
        row.set("file", c.file_ref);
      }
      list.push_back(row);
    }
    data.set("has_certificates", !list.is_empty_list());
    data.set("certificates", list);
  }
  std::vector<std::string> shown;
  VNTRACE_ASSIGN_OR_RETURN(Data journey, Journey(ctx, s, lang, shown));
  if (ctx.log != nullptr && !shown.empty() && HistoryVerified(ctx, shown)) {
    Data history;
    history.set("href", "/log/about?lang=" + lang);
    data.set("history_verified", history);
  }
  data.set("has_journey", !journey.is_empty_list());
  data.set("journey", journey);
  return data;
}

std::string Area(const ResolverContext& ctx, const Request& req) {
  if (std::find(ctx.trusted_proxies.begin(), ctx.trusted_proxies.end(), req.remote_address) ==
      ctx.trusted_proxies.end()) {
    return {};
  }
  std::string area(req.Header(ctx.area_header));
  if (area.size() > 64) {
    area.resize(64);
  }
  return area;
}

Response Resolve(ResolverContext& ctx, Request& req, std::string_view platform_serial) {
  gs1::DigitalLink dl;
  if (platform_serial.empty()) {
    core::Result<gs1::DigitalLink> parsed = RequestedLink(ctx, req);
    if (!parsed.ok()) {
      return ErrorPage(req, parsed.error(), "invalid");
    }
    dl = std::move(*parsed);
  }
  core::Result<Subject> found = Lookup(ctx, std::move(dl), platform_serial);
  if (!found.ok()) {
    return ErrorResponse(found.error());
  }
  const Subject& s = *found;
  if (!s.known() && !s.stamp && !s.platform_stamp) {
    return ErrorPage(req, core::NotFound("nothing is known here about " + s.code), "unknown");
  }
  if (WantsLinkset(req)) {
    return LinksetResponse(ctx, s);
  }
  if (std::optional<std::string_view> link_type = req.QueryParam("linkType")) {
    const std::string wanted = ShortLinkType(*link_type);
    for (const Link& link : LinksOf(ctx, s)) {
      if (link.rel == wanted) {
        Response res = Response::Empty(307);
        res.headers["Location"] = link.href;
        res.headers["Cache-Control"] = "no-store";
        return res;
      }
    }
    return ErrorPage(req, core::NotFound("no link of type " + std::string(*link_type)), "no_link");
  }
  if (req.method == Method::kHead) {
    Response res = Response::Text(200, "", "text/html; charset=utf-8");
    return res;
  }
  const std::string lang = Language(req);
  core::Result<label::ScanResult> scan =
      ctx.stamps.RecordScan({.code = s.code,
                             .claims_stamp = s.claims_stamp,
                             .known = s.known(),
                             .lot_id = s.lot ? s.lot->id : std::string(),
                             .province = Area(ctx, req),
                             .user_agent = std::string(req.Header("User-Agent"))});
  if (!scan.ok()) {
    return ErrorResponse(scan.error());
  }
  core::Result<Data> data = PageData(ctx, s, *scan, lang);
  if (!data.ok()) {
    return ErrorResponse(data.error());
  }
  Response res = HtmlPage(200, std::move(*data), lang);
  res.headers["Link"] = "<" + ctx.base_url + s.path +
                        "?linkType=all>; rel=\"linkset\"; type=\"application/linkset+json\"";
  return res;
}

// What this host knows about the page at `path` ("/01/…", a compressed link, or
// "/id/stamp/{serial}"). kInvalidArgument for a malformed path.
core::Result<Subject> LookupPath(const ResolverContext& ctx, std::string_view path) {
  constexpr std::string_view kStampPrefix = "/id/stamp/";
  if (path.starts_with(kStampPrefix)) {
    const std::string_view serial = path.substr(kStampPrefix.size());
    if (serial.empty() || serial.find_first_of("/?#%") != std::string_view::npos) {
      return core::InvalidArgument("not a stamp path: " + std::string(path));
    }
    return Lookup(ctx, gs1::DigitalLink(), serial);
  }
  if (path.empty() || path.front() != '/' || path.find_first_of("?#") != std::string_view::npos) {
    return core::InvalidArgument("not a Digital Link path: " + std::string(path));
  }
  VNTRACE_ASSIGN_OR_RETURN(gs1::DigitalLink dl, LinkOfTarget(ctx, path));
  return Lookup(ctx, std::move(dl), "");
}

// The page that answers a problem report: the confirmation, or the form again with its error.
Response ProblemPage(const ResolverContext& ctx, const Subject& s, const std::string& lang,
                     const pages::FormData* sent, const core::Error* error) {
  const View& view = TheView();
  Data data;
  data.set("title", view.Text(lang, "scan.problem.title"));
  if (s.product) {
    Data product;
    product.set("name", s.product->name);
    data.set("product", product);
  }
  if (error == nullptr) {
    Data sent_note;
    sent_note.set("back", s.path + "?lang=" + lang);
    data.set("problem_sent", sent_note);
    return HtmlPage(200, std::move(data), lang);
  }
  Data form = ProblemFormData(ctx, s, lang, sent, error);
  form.set("standalone", true);
  data.set("problem_form", form);
  return HtmlPage(ProblemOf(*error).status, std::move(data), lang);
}

// POST /problem-report: multipart/form-data (or urlencoded) from the scan page's form.
Response SubmitProblem(ResolverContext& ctx, Request& req) {
  if (!OffersProblemForm(ctx)) {
    return ErrorPage(req, core::NotFound("problem reports are not taken here"), "unknown");
  }
  core::Result<pages::FormData> form =
      pages::ParseForm(req.Header("Content-Type"), req.body,
                       {.max_body_bytes = report::kMaxProblemPhotoBytes + (1u << 20),
                        .max_fields = 16,
                        .max_field_bytes = 32u << 10,
                        .max_file_bytes = report::kMaxProblemPhotoBytes + (512u << 10)});
  std::string lang = Language(req);
  if (form.ok() && (form->Get("lang") == "en" || form->Get("lang") == "vi")) {
    lang = std::string(form->Get("lang"));
  }
  core::Result<Subject> found =
      form.ok() ? LookupPath(ctx, form->Get("path")) : core::Result<Subject>(form.error());
  if (!found.ok()) {
    return ErrorPage(
        req, found.error(),
        found.error().code == core::ErrorCode::kInvalidArgument ? "invalid" : "unknown");
  }
  const Subject& s = *found;
  if (!s.known() && !s.stamp && !s.platform_stamp) {
    return ErrorPage(req, core::NotFound("nothing is known here about " + s.code), "unknown");
  }
  report::ProblemSubmission input{
      .code = s.code,
      .product_id = s.product ? s.product->id : std::string(),
      .lot_id = s.lot ? s.lot->id : std::string(),
      .token = std::string(form->Get("token")),
      .kind = std::string(form->Get("kind")),
      .message = std::string(form->Get("message")),
      .contact = std::string(form->Get("contact")),
      .scan_area = Area(ctx, req),
      .photo = form->file && form->file->field == "photo" ? form->file->content : std::string()};
  core::Result<store::ProblemReport> stored =
      report::SubmitProblemReport(ProblemContextOf(ctx), input);
  if (!stored.ok()) {
    const core::ErrorCode code = stored.error().code;
    if (code != core::ErrorCode::kInvalidArgument && code != core::ErrorCode::kPermissionDenied &&
        code != core::ErrorCode::kResourceExhausted) {
      return ErrorResponse(stored.error());
    }
    return ProblemPage(ctx, s, lang, &*form, &stored.error());
  }
  core::LogInfo("problem report stored", {{"id", stored->id}, {"code", s.code}});
  return ProblemPage(ctx, s, lang, nullptr, nullptr);
}

// The digital product passport of a registered product, lot or item as JSON-LD.
boost::json::object Passport(const ResolverContext& ctx, const Subject& s,
                             const std::vector<store::Certificate>& certificates) {
  const store::Product& p = *s.product;
  boost::json::object dpp{
      {"@context", boost::json::object{{"@vocab", "https://schema.org/"},
                                       {"gs1", std::string(kVoc)},
                                       {"xsd", "http://www.w3.org/2001/XMLSchema#"}}},
      {"@type", boost::json::array{s.stamp || !gs1::FindValue(s.dl.path, "21").empty()
                                       ? "IndividualProduct"
                                       : (s.lot ? "SomeProducts" : "Product"),
                                   "gs1:Product"}},
      {"@id", ctx.base_url + s.path},
      {"name", p.name},
      {"gs1:productName", boost::json::object{{"@value", p.name}, {"@language", "vi"}}},
      {"hasGS1DigitalLink", ctx.base_url + s.path},
      {"gs1:dpp", ctx.base_url + "/dpp" + s.path}};
  if (!p.gtin.empty()) {
    dpp["gtin"] = p.gtin;
    dpp["gs1:gtin"] = p.gtin;
  } else {
    dpp["productID"] = p.identifier;
  }
  if (!p.description.empty()) dpp["description"] = p.description;
  if (!p.brand.empty()) {
    dpp["brand"] = boost::json::object{{"@type", "Brand"}, {"name", p.brand}};
    dpp["gs1:brand"] = boost::json::object{{"gs1:brandName", p.brand}};
  }
  if (!p.category.empty()) dpp["category"] = p.category;
  if (p.image_ref.starts_with("https://")) {
    dpp["image"] = p.image_ref;
  } else if (p.image_ref.starts_with("/")) {
    dpp["image"] = ctx.base_url + p.image_ref;
  }
  if (!p.origin.empty()) {
    dpp["countryOfOrigin"] = boost::json::object{{"@type", "Country"}, {"name", p.origin}};
    dpp["gs1:countryOfOrigin"] = boost::json::object{{"gs1:countryCode", "VN"}};
    dpp["gs1:productionVariantDescription"] = p.origin;
  }
  if (s.org) {
    boost::json::object address{{"@type", "PostalAddress"}, {"addressCountry", "VN"}};
    if (!s.org->address.street.empty()) address["streetAddress"] = s.org->address.street;
    if (!s.org->address.commune.empty()) address["addressLocality"] = s.org->address.commune;
    if (!s.org->address.province.empty()) address["addressRegion"] = s.org->address.province;
    boost::json::object maker{{"@type", "Organization"},
                              {"@id", s.org->id},
                              {"name", s.org->name},
                              {"address", std::move(address)}};
    if (!s.org->gln.empty()) maker["gs1:globalLocationNumber"] = s.org->gln;
    if (!s.org->tax_code.empty()) maker["taxID"] = s.org->tax_code;
    if (!s.org->phone.empty()) maker["telephone"] = s.org->phone;
    dpp["manufacturer"] = maker;
    dpp["gs1:manufacturer"] = boost::json::object{{"@id", s.org->id}};
  }
  if (s.lot) {
    dpp["gs1:hasBatchLotNumber"] = s.lot->code;
    if (!s.lot->produced_on.empty()) {
      dpp["productionDate"] = s.lot->produced_on;
      dpp["gs1:productionDate"] = s.lot->produced_on;
    }
    if (!s.lot->expires_on.empty()) {
      dpp["gs1:expirationDate"] = s.lot->expires_on;
    }
  }
  if (s.stamp) dpp["serialNumber"] = s.stamp->serial;
  const std::string today = Today(ctx.clock);
  boost::json::array certs;
  for (const store::Certificate& c : certificates) {
    if (!c.product_id.empty() && c.product_id != p.id) continue;
    boost::json::object cert{
        {"@type", "gs1:CertificationDetails"},
        {"gs1:certificationStandard", c.kind},
        {"gs1:certificationStatus",
         c.valid_until.empty() || c.valid_until >= today ? "ACTIVE" : "EXPIRED"}};
    if (!c.number.empty()) cert["gs1:certificationIdentification"] = c.number;
    if (!c.issuer.empty()) cert["gs1:certificationAgency"] = c.issuer;
    if (!c.issued_on.empty()) cert["gs1:certificationStartDate"] = c.issued_on;
    if (!c.valid_until.empty()) cert["gs1:certificationEndDate"] = c.valid_until;
    certs.push_back(std::move(cert));
  }
  if (p.ocop && p.ocop->stars > 0) {
    boost::json::object ocop{
        {"@type", "gs1:CertificationDetails"},
        {"gs1:certificationStandard", "OCOP (Quyết định 148/QĐ-TTg)"},
        {"gs1:certificationValue", std::to_string(p.ocop->stars)},
        {"gs1:certificationStatus",
         p.ocop->valid_until.empty() || p.ocop->valid_until >= today ? "ACTIVE" : "EXPIRED"}};
    if (!p.ocop->decision_number.empty()) {
      ocop["gs1:certificationIdentification"] = p.ocop->decision_number;
    }
    if (!p.ocop->decision_date.empty()) ocop["gs1:certificationStartDate"] = p.ocop->decision_date;
    if (!p.ocop->valid_until.empty()) ocop["gs1:certificationEndDate"] = p.ocop->valid_until;
    certs.push_back(ocop);
    dpp["award"] = "OCOP " + std::to_string(p.ocop->stars) + "★";
  }
  if (!certs.empty()) dpp["gs1:certification"] = std::move(certs);
  if (!p.standards.empty()) {
    boost::json::array standards;
    for (const std::string& st : p.standards) standards.emplace_back(st);
    dpp["gs1:productStandards"] = std::move(standards);
  }
  dpp["gs1:traceability"] = ctx.base_url + "/api/v1/trace?id=" + UrlEncode(s.code);
  if (!s.platform_stamp) {
    dpp["gs1:epcis"] = ctx.base_url + "/epcis/events?MATCH_anyEPC=" + UrlEncode(s.code);
  }
  if (s.version) {
    dpp["version"] = std::to_string(s.version->version);
    dpp["dateModified"] = core::FormatRfc3339(s.version->valid_from, 0);
  }
  return dpp;
}

// GET /dpp{path}: the passport of the code at {path} (no scan is recorded).
Response Dpp(const ResolverContext& ctx, Request& req) {
  constexpr std::string_view kPrefix = "/dpp";
  core::Result<Subject> found = LookupPath(ctx, std::string_view(req.path).substr(kPrefix.size()));
  if (!found.ok()) {
    return ErrorResponse(found.error());
  }
  if (!found->product) {
    return ErrorResponse(core::NotFound("no registered product for " + found->code));
  }
  core::Result<std::vector<store::Certificate>> certificates =
      ctx.store.registry().ListCertificates(found->product->org_id);
  if (!certificates.ok()) {
    return ErrorResponse(certificates.error());
  }
  Response res = Response::Text(200, boost::json::serialize(Passport(ctx, *found, *certificates)),
                                "application/ld+json");
  res.headers["Access-Control-Allow-Origin"] = "*";
  res.headers["Cache-Control"] = "no-store";
  return res;
}

Response Description(const ResolverContext& ctx) {
  boost::json::array keys;
  for (const std::string& key : ResolverPrimaryKeys()) {
    keys.emplace_back(key);
  }
  auto link_type = [](std::string_view title, std::string_view description, std::string_view name) {
    return boost::json::object{{"title", title},
                               {"description", description},
                               {"url", std::string(kVoc) + std::string(name)}};
  };
  boost::json::object en{
      {"gs1:pip", link_type("Product Information Page",
                            "The consumer page: product, producer, certificates, journey and "
                            "the stamp's verdict.",
                            "pip")},
      {"gs1:certificationInfo",
       link_type("Certification Information", "The product's certificates.", "certificationInfo")},
      {"gs1:recallStatus",
       link_type("Recall status", "Whether the lot has been recalled.", "recallStatus")},
      {"gs1:epcis", link_type("EPC Information Services (EPCIS) repository",
                              "The EPCIS 2.0 events naming the identifier.", "epcis")},
      {"gs1:traceability", link_type("Traceability information",
                                     "The backward and forward trace as JSON.", "traceability")},
      {"gs1:dpp", link_type("Digital product passport",
                            "The product passport (Decree 37/2026 Art. 32.1) as JSON-LD.", "dpp")}};
  boost::json::object vi{
      {"gs1:pip", link_type("Trang thông tin sản phẩm",
                            "Sản phẩm, nhà sản xuất, chứng nhận, hành trình và kết quả kiểm tra "
                            "tem.",
                            "pip")},
      {"gs1:certificationInfo",
       link_type("Chứng nhận", "Các chứng nhận của sản phẩm.", "certificationInfo")},
      {"gs1:recallStatus",
       link_type("Tình trạng thu hồi", "Lô hàng có bị thu hồi hay không.", "recallStatus")},
      {"gs1:epcis", link_type("Kho sự kiện EPCIS", "Các sự kiện EPCIS 2.0 nêu mã này.", "epcis")},
      {"gs1:traceability",
       link_type("Truy xuất nguồn gốc", "Truy xuất ngược và xuôi dạng JSON.", "traceability")},
      {"gs1:dpp",
       link_type("Hộ chiếu số sản phẩm",
                 "Hộ chiếu số sản phẩm (Nghị định 37/2026 Điều 32.1) dạng JSON-LD.", "dpp")}};
  boost::json::object body{
      {"name", "vntrace"},
      {"resolverRoot", ctx.base_url},
      {"supportedLinkType",
       boost::json::array{boost::json::object{{"namespace", kVoc}, {"prefix", "gs1:"}}}},
      {"supportedPrimaryKeys", std::move(keys)},
      {"linkTypeDefaultCanBeAll", false},
      {"supportsLanguageVariants", true},
      {"supportsSemanticInterpretation", false},
      {"validatesAIcombinations", true},
      {"activeLinkTypes", boost::json::object{{"en", std::move(en)}, {"vi", std::move(vi)}}}};
  Response res = Response::Json(200, boost::json::serialize(body));
  res.headers["Access-Control-Allow-Origin"] = "*";
  res.headers["Cache-Control"] = "public, max-age=3600";
  return res;
}

}  // namespace

const std::vector<std::string>& ResolverPrimaryKeys() {
  static const std::vector<std::string> keys = {"00",   "01",   "253",  "255",  "401",  "402",
                                                "414",  "415",  "417",  "8003", "8004", "8006",
                                                "8010", "8013", "8017", "8018"};
  return keys;
}

void RegisterResolver(Router& router, ResolverContext& ctx) {
  for (const std::string& key : ResolverPrimaryKeys()) {
    router.Add(Method::kGet, "/" + key + "/{rest...}",
               [&ctx](Request& req) { return Resolve(ctx, req, ""); });
  }
  // Compressed Digital Links: one base64url segment. Anything else there is an unknown page.
  router.Add(Method::kGet, "/{compressed}", [&ctx](Request& req) {
    if (!gs1::LooksLikeCompressedDigitalLink(ctx.base_url + req.path)) {
      return ErrorPage(req, core::NotFound("no page " + req.path), "unknown");
    }
    return Resolve(ctx, req, "");
  });
  router.Add(Method::kGet, "/id/stamp/{serial}",
             [&ctx](Request& req) { return Resolve(ctx, req, req.PathParam("serial")); });
  router.Add(Method::kPost, "/problem-report",
             [&ctx](Request& req) { return SubmitProblem(ctx, req); });
  router.Add(Method::kGet, "/dpp/{rest...}", [&ctx](Request& req) { return Dpp(ctx, req); });
  router.Add(Method::kGet, "/.well-known/gs1resolver",
             [&ctx](Request&) { return Description(ctx); });
  router.Add(Method::kGet, "/static/scan.css", [](Request&) {
    std::optional<std::string_view> css = pages::internal::FindAsset("static/scan.css");
    Response res = Response::Text(200, std::string(css.value_or("")), "text/css; charset=utf-8");
    res.headers["Cache-Control"] = "public, max-age=86400";
    return res;
  });
}

}  // namespace vntrace::http
