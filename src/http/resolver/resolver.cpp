#include "http/resolver/resolver.hpp"

#include <algorithm>
#include <array>
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
#include "http/pages/internal/assets.hpp"
#include "http/pages/internal/view.hpp"
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

// The Digital Link of the request: uncompressed, compressed, or kInvalidArgument.
core::Result<gs1::DigitalLink> RequestedLink(const ResolverContext& ctx, const Request& req) {
  std::string uri = ctx.base_url + (req.target.empty() ? req.path : req.target);
  const gs1::DigitalLinkOptions options{.permit_zero_suppressed_gtin = true};
  std::string_view path = req.path;
  if (path.size() > 1 && path.find('/', 1) == std::string_view::npos) {
    return gs1::DecompressDigitalLink(uri, options);
  }
  return gs1::ParseDigitalLink(uri, options);
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
    if (p.image_ref.starts_with("https://") || p.image_ref.starts_with("/")) {
      product.set("image", p.image_ref);
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
    data.set("product", product);
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
                                     "The backward and forward trace as JSON.", "traceability")}};
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
       link_type("Truy xuất nguồn gốc", "Truy xuất ngược và xuôi dạng JSON.", "traceability")}};
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
