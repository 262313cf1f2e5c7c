#include "trace/recall.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "core/markup.hpp"
#include "epcis/query.hpp"

namespace vntrace::trace {
namespace {

namespace json = boost::json;

std::string_view StringAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return v->get_string();
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += "; ";
    out += part;
  }
  return out;
}

// The last path segment of a CBV URI, or the bare word.
std::string BareWord(std::string_view value) {
  const std::string canonical = epcis::CanonicalVocabulary(value);
  return canonical;
}

struct CteName {
  std::string_view biz_step;
  std::string_view english;
  std::string_view vietnamese;
};
constexpr CteName kCteNames[] = {
    {"harvesting", "Harvesting", "Thu hoạch"}, {"commissioning", "Creating", "Tạo lô / gắn mã"},
    {"cooling", "Cooling", "Làm lạnh"},        {"packing", "Packing", "Đóng gói"},
    {"unpacking", "Unpacking", "Mở gói"},      {"shipping", "Shipping", "Giao hàng"},
    {"receiving", "Receiving", "Nhận hàng"},   {"departing", "Shipping", "Giao hàng"},
    {"arriving", "Receiving", "Nhận hàng"},    {"storing", "Storing", "Lưu kho"},
    {"retail_selling", "Selling", "Bán lẻ"},   {"destroying", "Destroying", "Tiêu huỷ"},
    {"inspecting", "Inspecting", "Kiểm tra"},
};

std::string CteOf(const json::object& event, std::string_view type) {
  const std::string step = BareWord(StringAt(event, "bizStep"));
  for (const CteName& name : kCteNames) {
    if (step == name.biz_step) return std::string(name.english);
  }
  if (type == "TransformationEvent") return "Transformation";
  if (step.empty()) return std::string(type);
  return step;
}

std::string_view VietnameseCte(std::string_view english) {
  if (english == "Transformation") return "Chế biến / biến đổi";
  for (const CteName& name : kCteNames) {
    if (english == name.english) return name.vietnamese;
  }
  return english;
}

// The quantity of `thing` an event names (class-level quantity lists), if any.
std::optional<Quantity> QuantityIn(const json::object& event, const std::string& thing) {
  for (std::string_view list :
       {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}) {
    const json::value* v = event.if_contains(list);
    if (v == nullptr || !v->is_array()) continue;
    for (const json::value& element : v->get_array()) {
      const json::object* q = element.if_object();
      if (q == nullptr) continue;
      if (epcis::CanonicalIdentifier(StringAt(*q, "epcClass")) != thing) continue;
      Quantity out;
      if (const json::value* amount = q->if_contains("quantity")) {
        if (amount->is_double()) out.amount = amount->get_double();
        if (amount->is_int64()) out.amount = static_cast<double>(amount->get_int64());
        if (amount->is_uint64()) out.amount = static_cast<double>(amount->get_uint64());
      }
      out.uom = std::string(StringAt(*q, "uom"));
      return out;
    }
  }
  return std::nullopt;
}

// Whether `thing` is created by the event: an output, or commissioned by an ADD.
bool Creates(const json::object& event, std::string_view type, const std::string& thing) {
  auto names = [&](std::string_view list, std::string_view member) {
    const json::value* v = event.if_contains(list);
    if (v == nullptr || !v->is_array()) return false;
    for (const json::value& element : v->get_array()) {
      std::string_view id;
      if (element.is_string()) id = element.get_string();
      if (const json::object* o = element.if_object()) id = StringAt(*o, member);
      if (!id.empty() && epcis::CanonicalIdentifier(id) == thing) return true;
    }
    return false;
  };
  if (type == "TransformationEvent") {
    return names("outputEPCList", "") || names("outputQuantityList", "epcClass");
  }
  if (type == "ObjectEvent" && StringAt(event, "action") == "ADD") {
    return names("epcList", "") || names("quantityList", "epcClass");
  }
  return false;
}

std::string PlaceOf(const json::object& event) {
  for (std::string_view key : {"bizLocation", "readPoint"}) {
    if (const json::value* v = event.if_contains(key); v != nullptr && v->is_object()) {
      const std::string_view id = StringAt(v->get_object(), "id");
      if (!id.empty()) return epcis::CanonicalIdentifier(id);
    }
  }
  return {};
}

std::vector<std::string> Parties(const json::object& event, std::string_view list,
                                 std::string_view member) {
  std::vector<std::string> out;
  const json::value* v = event.if_contains(list);
  if (v == nullptr || !v->is_array()) return out;
  for (const json::value& element : v->get_array()) {
    if (const json::object* o = element.if_object()) {
      const std::string_view id = StringAt(*o, member);
      if (!id.empty()) out.push_back(epcis::CanonicalIdentifier(id));
    }
  }
  return out;
}

struct EventInfo {
  json::object json;
  std::string type;
  core::Timestamp time;
};

std::string FormatAmount(double amount) {
  if (std::floor(amount) == amount && std::fabs(amount) < 1e15) {
    return fmt::format("{}", static_cast<long long>(amount));
  }
  return fmt::format("{}", amount);
}

std::string CsvField(std::string_view value) {
  // Cells that a spreadsheet would read as a formula are prefixed with an apostrophe.
  std::string text(value);
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string QuantityText(const std::optional<Quantity>& q) {
  if (!q) return {};
  return q->uom.empty() ? FormatAmount(q->amount) : FormatAmount(q->amount) + " " + q->uom;
}

}  // namespace

core::Result<RecallReport> BuildRecall(store::Store& store, std::string_view lot,
                                       core::Timestamp now) {
  TraceOptions options;
  options.direction = Direction::kForward;
  VNTRACE_ASSIGN_OR_RETURN(TraceResult trace, Trace(store, lot, options));
  RecallReport report;
  report.lot = trace.root;
  report.generated_at = now;
  report.truncated = trace.truncated;

  // The JSON of every event the trace went through.
  std::map<std::string, EventInfo> events;
  for (const Edge& edge : trace.edges) {
    if (events.contains(edge.event_id)) continue;
    VNTRACE_ASSIGN_OR_RETURN(store::StoredEvent stored, store.GetEvent(edge.event_id));
    boost::system::error_code ec;
    json::value parsed = json::parse(stored.json, ec);
    if (ec || !parsed.is_object()) {
      return core::Internal("stored event '" + edge.event_id + "' is not a JSON object");
    }
    EventInfo info{.json = std::move(parsed.as_object()), .type = {}, .time = edge.time};
    info.type = std::string(StringAt(info.json, "type"));
    events.emplace(edge.event_id, std::move(info));
  }

  std::map<std::string, const Node*> nodes;
  for (const Node& node : trace.nodes) nodes.emplace(node.id, &node);
  auto is_thing = [](NodeKind kind) {
    return kind == NodeKind::kLot || kind == NodeKind::kItem || kind == NodeKind::kContainer;
  };

  // Which events concern which thing, from the edges.
  std::map<std::string, std::set<std::string>> events_of_thing;
  std::map<std::string, Recipient> recipients;
  for (const Edge& edge : trace.edges) {
    for (const std::string* end : {&edge.from, &edge.to}) {
      const Node* node = nodes.at(*end);
      if (is_thing(node->kind)) events_of_thing[*end].insert(edge.event_id);
    }
    const Node* to = nodes.at(edge.to);
    const Node* from = nodes.at(edge.from);
    if ((edge.kind == EdgeKind::kShipped || edge.kind == EdgeKind::kReceived) &&
        !is_thing(to->kind) && is_thing(from->kind)) {
      auto [it, inserted] = recipients.try_emplace(to->id);
      Recipient& r = it->second;
      if (inserted) {
        r.id = to->id;
        r.kind = to->kind;
        r.label = to->label;
        r.first_received = edge.time;
      } else if (edge.time < r.first_received) {
        r.first_received = edge.time;
      }
      if (std::find(r.things.begin(), r.things.end(), from->id) == r.things.end()) {
        r.things.push_back(from->id);
      }
    }
  }

  // Affected things with their quantity, and where each lot code was assigned.
  std::map<std::string, std::string> lot_source;
  for (const Node& node : trace.nodes) {
    if (!is_thing(node.kind)) continue;
    AffectedThing thing{.id = node.id,
                        .kind = node.kind,
                        .label = node.label,
                        .quantity = std::nullopt,
                        .first_seen = node.first_seen};
    std::optional<Quantity> created;
    std::optional<Quantity> largest;
    for (const std::string& event_id : events_of_thing[node.id]) {
      const EventInfo& info = events.at(event_id);
      const std::optional<Quantity> q = QuantityIn(info.json, node.id);
      const bool creates = Creates(info.json, info.type, node.id);
      if (creates && !lot_source.contains(node.id)) lot_source[node.id] = PlaceOf(info.json);
      if (!q) continue;
      if (creates) {
        if (!created) created = Quantity{0, q->uom};
        if (created->uom == q->uom) created->amount += q->amount;
      }
      if (!largest || q->amount > largest->amount) largest = q;
    }
    if (node.kind != NodeKind::kLot) {
      thing.quantity = Quantity{1, ""};
    } else {
      thing.quantity = created ? created : largest;
    }
    report.affected.push_back(std::move(thing));
  }
  std::stable_sort(report.affected.begin() + (report.affected.empty() ? 0 : 1),
                   report.affected.end(), [](const AffectedThing& a, const AffectedThing& b) {
                     return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
                   });

  for (auto& [id, r] : recipients) {
    std::sort(r.things.begin(), r.things.end());
    report.recipients.push_back(std::move(r));
  }
  std::stable_sort(
      report.recipients.begin(), report.recipients.end(),
      [](const Recipient& a, const Recipient& b) { return a.first_received < b.first_received; });

  // One row per CTE and affected thing.
  for (const auto& [thing, event_ids] : events_of_thing) {
    const Node* node = nodes.at(thing);
    for (const std::string& event_id : event_ids) {
      const EventInfo& info = events.at(event_id);
      CteRow row;
      row.cte = CteOf(info.json, info.type);
      row.time = info.time;
      row.lot_code = thing;
      row.lot_source = lot_source.contains(thing) ? lot_source[thing] : std::string();
      row.product = node->label;
      row.quantity = QuantityIn(info.json, thing);
      if (!row.quantity && node->kind != NodeKind::kLot) row.quantity = Quantity{1, ""};
      row.location = PlaceOf(info.json);
      row.ship_from = Join(Parties(info.json, "sourceList", "source"));
      row.ship_to = Join(Parties(info.json, "destinationList", "destination"));
      std::vector<std::string> types;
      std::vector<std::string> numbers;
      if (const json::value* v = info.json.if_contains("bizTransactionList");
          v != nullptr && v->is_array()) {
        for (const json::value& bt : v->get_array()) {
          if (const json::object* o = bt.if_object()) {
            types.push_back(BareWord(StringAt(*o, "type")));
            numbers.emplace_back(StringAt(*o, "bizTransaction"));
          }
        }
      }
      row.reference_type = Join(types);
      row.reference_number = Join(numbers);
      row.event_id = event_id;
      report.rows.push_back(std::move(row));
    }
  }
  std::stable_sort(report.rows.begin(), report.rows.end(), [](const CteRow& a, const CteRow& b) {
    return std::tie(a.time, a.lot_code) < std::tie(b.time, b.lot_code);
  });
  return report;
}

json::object RecallToJson(const RecallReport& report) {
  auto quantity = [](const std::optional<Quantity>& q) -> json::value {
    if (!q) return nullptr;
    json::object o{{"quantity", q->amount}};
    if (!q->uom.empty()) o["uom"] = q->uom;
    return o;
  };
  json::object out;
  out["lot"] = report.lot;
  out["generatedAt"] = core::FormatRfc3339(report.generated_at);
  out["truncated"] = report.truncated;
  json::array affected;
  for (const AffectedThing& a : report.affected) {
    json::object o{{"id", a.id}, {"kind", NodeKindName(a.kind)}, {"label", a.label}};
    o["quantity"] = quantity(a.quantity);
    if (a.first_seen) o["firstSeen"] = core::FormatRfc3339(*a.first_seen);
    affected.push_back(std::move(o));
  }
  out["affected"] = std::move(affected);
  json::array recipients;
  for (const Recipient& r : report.recipients) {
    json::array things;
    for (const std::string& t : r.things) things.emplace_back(t);
    recipients.push_back(json::object{{"id", r.id},
                                      {"kind", NodeKindName(r.kind)},
                                      {"label", r.label},
                                      {"firstReceived", core::FormatRfc3339(r.first_received)},
                                      {"things", std::move(things)}});
  }
  out["recipients"] = std::move(recipients);
  json::array rows;
  for (const CteRow& row : report.rows) {
    json::object o{{"cte", row.cte},
                   {"time", core::FormatRfc3339(row.time)},
                   {"traceabilityLotCode", row.lot_code},
                   {"traceabilityLotCodeSource", row.lot_source},
                   {"product", row.product},
                   {"location", row.location},
                   {"shipFrom", row.ship_from},
                   {"shipTo", row.ship_to},
                   {"referenceDocumentType", row.reference_type},
                   {"referenceDocumentNumber", row.reference_number},
                   {"eventID", row.event_id}};
    o["quantity"] = quantity(row.quantity);
    rows.push_back(std::move(o));
  }
  out["rows"] = std::move(rows);
  return out;
}

std::string RecallCsv(const RecallReport& report) {
  static constexpr std::string_view kHeaders[] = {
      "Loại sự kiện / Critical tracking event",
      "Thời điểm / Event date and time",
      "Mã lô truy xuất / Traceability lot code",
      "Nơi gán mã lô / Traceability lot code source",
      "Mô tả sản phẩm / Product description",
      "Số lượng / Quantity",
      "Đơn vị tính / Unit of measure",
      "Địa điểm / Location",
      "Nơi gửi / Ship from",
      "Nơi nhận / Ship to",
      "Loại chứng từ / Reference document type",
      "Số chứng từ / Reference document number",
      "Mã sự kiện EPCIS / EPCIS event ID",
  };
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < std::size(kHeaders); ++i) {
    if (i > 0) out += ',';
    out += CsvField(kHeaders[i]);
  }
  out += "\r\n";
  for (const CteRow& row : report.rows) {
    const std::string fields[] = {
        row.cte,
        core::FormatRfc3339(row.time),
        row.lot_code,
        row.lot_source,
        row.product,
        row.quantity ? FormatAmount(row.quantity->amount) : std::string(),
        row.quantity ? (row.quantity->uom.empty() ? std::string("EA") : row.quantity->uom)
                     : std::string(),
        row.location,
        row.ship_from,
        row.ship_to,
        row.reference_type,
        row.reference_number,
        row.event_id,
    };
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      if (i > 0) out += ',';
      out += CsvField(fields[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string RecallHtml(const RecallReport& report, Language language) {
  const bool vi = language == Language::kVietnamese;
  auto t = [vi](std::string_view vietnamese, std::string_view english) {
    return std::string(vi ? vietnamese : english);
  };
  auto kind_name = [&](NodeKind kind) {
    switch (kind) {
      case NodeKind::kLot:
        return t("Lô", "Lot");
      case NodeKind::kItem:
        return t("Đơn vị sản phẩm", "Item");
      case NodeKind::kContainer:
        return t("Thùng / pallet", "Container");
      case NodeKind::kLocation:
        return t("Địa điểm", "Location");
      case NodeKind::kParty:
        return t("Tổ chức / cá nhân", "Party");
    }
    return std::string();
  };
  std::string h;
  h += "<!doctype html>\n<html lang=\"" + t("vi", "en") + "\"><head><meta charset=\"utf-8\">";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>" +
       core::EscapeMarkup(t("Báo cáo thu hồi lô ", "Recall report for lot ") + report.lot) +
       "</title>";
  h += "<style>body{font-family:'Noto Sans','DejaVu Sans',sans-serif;margin:1.5em;color:#111}"
       "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}"
       "table{border-collapse:collapse;width:100%;font-size:.85em}"
       "th,td{border:1px solid #999;padding:.25em .4em;text-align:left;vertical-align:top}"
       "th{background:#eee}code{word-break:break-all}.warn{color:#a00;font-weight:bold}"
       "@media print{body{margin:0}a{color:inherit;text-decoration:none}"
       "tr{page-break-inside:avoid}}</style></head><body>\n";
  h += "<h1>" + t("Báo cáo thu hồi", "Recall report") + "</h1>\n";
  h += "<p>" + t("Lô bị thu hồi", "Recalled lot") + ": <code>" + core::EscapeMarkup(report.lot) +
       "</code><br>" + t("Lập lúc", "Generated at") + ": " +
       core::EscapeMarkup(core::FormatRfc3339(report.generated_at, 0)) + "</p>\n";
  h += "<p>" +
       core::EscapeMarkup(
           fmt::format("{} {}, {} {}, {} {}.", report.affected.size(),
                       t("lô/sản phẩm/thùng bị ảnh hưởng", "affected lots, items and containers"),
                       report.recipients.size(), t("nơi đã nhận hàng", "recipients"),
                       report.rows.size(), t("sự kiện truy xuất", "tracking event rows"))) +
       "</p>\n";
  if (report.truncated) {
    h += "<p class=\"warn\">" +
         t("Báo cáo chưa đầy đủ: chuỗi quá lớn, đã dừng ở giới hạn số nút.",
           "Incomplete: the chain is too large; the walk stopped at its node limit.") +
         "</p>\n";
  }
  h += "<h2>" + t("Nơi đã nhận hàng", "Recipients") + "</h2>\n<table><tr><th>" + t("Loại", "Kind") +
       "</th><th>" + t("Mã", "Identifier") + "</th><th>" + t("Nhận lần đầu", "First received") +
       "</th><th>" + t("Đã nhận", "Received") + "</th></tr>\n";
  for (const Recipient& r : report.recipients) {
    std::string things;
    for (const std::string& thing : r.things)
      things += "<code>" + core::EscapeMarkup(thing) + "</code><br>";
    h += "<tr><td>" + kind_name(r.kind) + "</td><td><code>" + core::EscapeMarkup(r.id) +
         "</code><br>" + core::EscapeMarkup(r.label) + "</td><td>" +
         core::EscapeMarkup(core::FormatRfc3339(r.first_received, 0)) + "</td><td>" + things +
         "</td></tr>\n";
  }
  h += "</table>\n<h2>" +
       t("Lô, sản phẩm và thùng bị ảnh hưởng", "Affected lots, items, containers") +
       "</h2>\n<table><tr><th>" + t("Loại", "Kind") + "</th><th>" + t("Mã", "Identifier") +
       "</th><th>" + t("Số lượng", "Quantity") + "</th></tr>\n";
  for (const AffectedThing& a : report.affected) {
    h += "<tr><td>" + kind_name(a.kind) + "</td><td><code>" + core::EscapeMarkup(a.id) +
         "</code><br>" + core::EscapeMarkup(a.label) + "</td><td>" +
         core::EscapeMarkup(QuantityText(a.quantity)) + "</td></tr>\n";
  }
  h += "</table>\n<h2>" + t("Sự kiện truy xuất", "Critical tracking events") +
       "</h2>\n<table><tr><th>" + t("Sự kiện", "Event") + "</th><th>" + t("Thời điểm", "Time") +
       "</th><th>" + t("Mã lô", "Lot code") + "</th><th>" + t("Số lượng", "Quantity") +
       "</th><th>" + t("Địa điểm", "Location") + "</th><th>" + t("Nơi gửi", "Ship from") +
       "</th><th>" + t("Nơi nhận", "Ship to") + "</th><th>" + t("Chứng từ", "Reference") +
       "</th></tr>\n";
  for (const CteRow& row : report.rows) {
    h += "<tr><td>" + core::EscapeMarkup(vi ? std::string(VietnameseCte(row.cte)) : row.cte) +
         "</td><td>" + core::EscapeMarkup(core::FormatRfc3339(row.time, 0)) + "</td><td><code>" +
         core::EscapeMarkup(row.lot_code) + "</code></td><td>" +
         core::EscapeMarkup(QuantityText(row.quantity)) + "</td><td><code>" +
         core::EscapeMarkup(row.location) + "</code></td><td><code>" +
         core::EscapeMarkup(row.ship_from) + "</code></td><td><code>" +
         core::EscapeMarkup(row.ship_to) + "</code></td><td>" +
         core::EscapeMarkup(Join({row.reference_type, row.reference_number})) + "</td></tr>\n";
  }
  h += "</table>\n</body></html>\n";
  return h;
}

}  // namespace vntrace::trace
