#include "report/internal/org_data.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace vntrace::report::internal {
namespace {

using epcis::IndexKind;

constexpr int kVietnamOffsetMinutes = 7 * 60;
constexpr std::size_t kMaxDiaryEntries = 100'000;

constexpr std::array kLocationKinds = {IndexKind::kBizLocation, IndexKind::kReadPoint};
constexpr std::array kLotKinds = {
    IndexKind::kEpc,           IndexKind::kChildEpc,      IndexKind::kParentId,
    IndexKind::kInputEpc,      IndexKind::kOutputEpc,     IndexKind::kEpcClass,
    IndexKind::kChildEpcClass, IndexKind::kInputEpcClass, IndexKind::kOutputEpcClass,
    IndexKind::kInstanceLot};

// A CBV word as stored: the bare word, or a URI ending in it.
bool IsCbv(std::string_view value, std::string_view word) {
  if (value == word) {
    return true;
  }
  if (value.size() <= word.size() || !value.ends_with(word)) {
    return false;
  }
  const char before = value[value.size() - word.size() - 1];
  return before == '-' || before == ':' || before == '/' || before == '#';
}

bool IsProduction(const epcis::Event& e) {
  return IsCbv(e.biz_step, "commissioning") || IsCbv(e.biz_step, "creating_class_instance");
}

bool Names(const epcis::Event& e, IndexKind kind, std::string_view type_word = {}) {
  return std::any_of(e.index.begin(), e.index.end(), [&](const epcis::IndexEntry& entry) {
    return entry.kind == kind && (type_word.empty() || IsCbv(entry.type, type_word));
  });
}

bool NamesWhat(const epcis::Event& e) {
  return std::any_of(e.index.begin(), e.index.end(), [](const epcis::IndexEntry& entry) {
    return entry.kind >= IndexKind::kEpc && entry.kind <= IndexKind::kOutputEpcClass;
  });
}

// Reads events by record once per gathering.
class EventCache {
 public:
  explicit EventCache(store::EventLinkReader& reader) : reader_(reader) {}

  // The non-erroneous events naming `value` under `kinds`, each once.
  template <std::size_t N>
  core::Result<std::vector<const epcis::Event*>> Find(const std::array<IndexKind, N>& kinds,
                                                      std::string_view value) {
    std::vector<std::int64_t> records;
    VNTRACE_RETURN_IF_ERROR(reader_.FindRecords(kinds, value, records));
    std::sort(records.begin(), records.end());
    records.erase(std::unique(records.begin(), records.end()), records.end());
    std::vector<const epcis::Event*> found;
    for (std::int64_t record : records) {
      auto it = events_.find(record);
      if (it == events_.end()) {
        VNTRACE_ASSIGN_OR_RETURN(epcis::Event event, reader_.ReadLinks(record));
        it = events_.emplace(record, std::move(event)).first;
      }
      if (!it->second.error_declaration_time.has_value()) {
        found.push_back(&it->second);
      }
    }
    return found;
  }

 private:
  store::EventLinkReader& reader_;
  std::map<std::int64_t, epcis::Event> events_;
};

struct Gap {
  std::string vi;
  std::string en;
  std::string path;
};

Criterion Make(std::string id, std::string title_vi, std::string title_en, bool passed,
               std::vector<std::pair<std::string, std::int64_t>> evidence, Gap gap) {
  Criterion c{.id = std::move(id),
              .title_vi = std::move(title_vi),
              .title_en = std::move(title_en),
              .passed = passed,
              .evidence = std::move(evidence)};
  if (!passed) {
    c.gap_vi = std::move(gap.vi);
    c.gap_en = std::move(gap.en);
    c.fix_path = std::move(gap.path);
  }
  return c;
}

}  // namespace

std::string VietnamDate(core::Timestamp t) {
  return core::FormatRfc3339(t.WithUtcOffset(kVietnamOffsetMinutes), 0).substr(0, 10);
}

bool StillValid(const std::string& valid_until, const std::string& today) {
  return valid_until.empty() || valid_until >= today;
}

core::Result<OrgData> Gather(store::Store& store, const store::Organisation& org) {
  store::RegistryStore& registry = store.registry();
  OrgData data{.org = org};
  VNTRACE_ASSIGN_OR_RETURN(data.facilities, registry.ListFacilities(org.id));
  VNTRACE_ASSIGN_OR_RETURN(data.certificates, registry.ListCertificates(org.id));
  VNTRACE_ASSIGN_OR_RETURN(
      data.diary, registry.ListDiaryEntries({.org_id = org.id, .limit = kMaxDiaryEntries}));
  VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<store::EventLinkReader> reader, store.OpenLinkReader());
  EventCache cache(*reader);

  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Product> products, registry.ListProducts(org.id));
  for (store::Product& product : products) {
    ProductData p{.product = std::move(product)};
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Lot> lots, registry.ListLots(p.product.id));
    for (store::Lot& lot : lots) {
      LotData l{.lot = std::move(lot)};
      VNTRACE_ASSIGN_OR_RETURN(std::vector<const epcis::Event*> named,
                               cache.Find(kLotKinds, l.lot.identifier));
      l.events = static_cast<std::int64_t>(named.size());
      l.production_recorded = std::any_of(named.begin(), named.end(),
                                          [](const epcis::Event* e) { return IsProduction(*e); });
      VNTRACE_ASSIGN_OR_RETURN(std::vector<store::StampBatch> batches,
                               store.stamps().ListStampBatches(l.lot.id));
      data.active_stamp_batches += std::count_if(
          batches.begin(), batches.end(), [](const store::StampBatch& b) { return b.active; });
      p.lots.push_back(std::move(l));
    }
    data.products.push_back(std::move(p));
  }

  std::set<std::string> seen;
  for (const store::Facility& facility : data.facilities) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<const epcis::Event*> at,
                             cache.Find(kLocationKinds, facility.identifier));
    for (const epcis::Event* e : at) {
      if (seen.insert(e->event_id).second) {
        data.events.push_back(*e);
      }
    }
  }
  std::stable_sort(data.events.begin(), data.events.end(),
                   [](const epcis::Event& a, const epcis::Event& b) {
                     return a.event_time.unix_nanos() < b.event_time.unix_nanos();
                   });
  return data;
}

SelfAssessmentResult Assess(const OrgData& data, core::Timestamp now) {
  SelfAssessmentResult result{.org_id = data.org.id, .org_name = data.org.name, .assessed_at = now};
  std::set<std::string> own_locations;
  for (const store::Facility& f : data.facilities) {
    own_locations.insert(f.identifier);
  }

  // identification
  std::int64_t products = 0, with_gtin = 0, identified = 0, lots = 0, identified_lots = 0;
  for (const ProductData& p : data.products) {
    ++products;
    with_gtin += p.product.gtin.empty() ? 0 : 1;
    identified += p.product.identifier.empty() ? 0 : 1;
    for (const LotData& l : p.lots) {
      ++lots;
      identified_lots += l.lot.identifier.empty() ? 0 : 1;
    }
  }
  {
    Gap gap{"Chưa có sản phẩm hoặc lô nào được định danh bằng mã duy nhất.",
            "No product or lot is identified with a unique code yet.", "/app/products"};
    if (products > 0 && lots == 0) {
      gap = {"Các sản phẩm chưa có lô nào: hãy ghi nhật ký thu hoạch hoặc tạo lô.",
             "No product has a lot yet: record a harvest in the diary or create a lot.",
             "/app/lots"};
    }
    result.criteria.push_back(
        Make("identification", "Sản phẩm và lô được định danh bằng mã duy nhất",
             "Products and lots identified with unique codes",
             products > 0 && lots > 0 && identified == products && identified_lots == lots,
             {{"products", products}, {"productsWithGtin", with_gtin}, {"lots", lots}}, gap));
  }

  // cte_recorded
  std::int64_t events = 0, complete = 0;
  std::int64_t receives = 0, receives_with_source = 0, ships = 0, ships_with_destination = 0;
  std::int64_t productions = 0, transactions = 0;
  for (const epcis::Event& e : data.events) {
    ++events;
    const bool who = Names(e, IndexKind::kSource, "owning_party") ||
                     Names(e, IndexKind::kDestination, "owning_party") ||
                     own_locations.contains(e.biz_location) || own_locations.contains(e.read_point);
    const bool where = !e.biz_location.empty() || !e.read_point.empty();
    const bool when = e.event_time.unix_nanos() != 0;
    const bool why = !e.biz_step.empty();
    complete += who && NamesWhat(e) && where && when && why ? 1 : 0;
    const bool has_source = Names(e, IndexKind::kSource);
    const bool has_destination = Names(e, IndexKind::kDestination);
    if (IsCbv(e.biz_step, "receiving")) {
      ++receives;
      receives_with_source += has_source ? 1 : 0;
    }
    if (IsCbv(e.biz_step, "shipping")) {
      ++ships;
      ships_with_destination += has_destination ? 1 : 0;
    }
    productions += IsProduction(e) ? 1 : 0;
    transactions += (has_source && has_destination) || Names(e, IndexKind::kBizTransaction) ? 1 : 0;
  }
  result.criteria.push_back(Make(
      "cte_recorded", "Mỗi sự kiện trọng yếu ghi đủ ai, cái gì, ở đâu, khi nào, tại sao",
      "Each critical tracking event records who, what, where, when and why",
      events > 0 && complete == events, {{"events", events}, {"completeEvents", complete}},
      events == 0
          ? Gap{"Chưa ghi sự kiện nào: hãy ghi nhật ký sản xuất.",
                "No event is recorded: keep the production diary.", "/app/diary"}
          : Gap{fmt::format("{} sự kiện thiếu thông tin ai, cái gì, ở đâu, khi nào hoặc tại sao.",
                            events - complete),
                fmt::format("{} events lack who, what, where, when or why.", events - complete),
                "/app/diary"}));

  // one_step_back
  result.criteria.push_back(
      Make("one_step_back", "Truy xuất một bước trước: đầu vào từ nhà cung cấp được định danh",
           "One step back: inputs come from identified suppliers",
           (receives > 0 || productions > 0) && receives_with_source == receives,
           {{"receivingEvents", receives},
            {"receivingWithSource", receives_with_source},
            {"productionEvents", productions}},
           receives == receives_with_source
               ? Gap{"Chưa ghi nguồn gốc hàng hoá (thu hoạch, sản xuất hoặc nhận hàng).",
                     "The origin of its goods (harvest, production or receipt) is not recorded.",
                     "/app/diary/new"}
               : Gap{fmt::format("{} lần nhận hàng không ghi nhà cung cấp.",
                                 receives - receives_with_source),
                     fmt::format("{} receiving events do not name the supplier.",
                                 receives - receives_with_source),
                     "/app/diary"}));

  // one_step_forward
  result.criteria.push_back(Make(
      "one_step_forward", "Truy xuất một bước sau: hàng giao cho bên nhận được định danh",
      "One step forward: shipments go to identified receivers",
      ships > 0 && ships_with_destination == ships,
      {{"shippingEvents", ships}, {"shippingWithDestination", ships_with_destination}},
      ships == 0
          ? Gap{"Chưa ghi lần giao hàng nào.", "No shipment is recorded.", "/app/diary/new/ship"}
          : Gap{fmt::format("{} lần giao hàng không ghi bên nhận.", ships - ships_with_destination),
                fmt::format("{} shipping events do not name the receiver.",
                            ships - ships_with_destination),
                "/app/diary"}));

  // data_types
  const auto facilities = static_cast<std::int64_t>(data.facilities.size());
  {
    Gap gap{"Chưa có dữ liệu sự kiện.", "No event data.", "/app/diary"};
    if (facilities == 0) {
      gap = {"Chưa khai báo cơ sở, vùng trồng hoặc kho.",
             "No facility, plot or warehouse is registered.", "/app/facilities"};
    } else if (products == 0) {
      gap = {"Chưa khai báo sản phẩm.", "No product is registered.", "/app/products"};
    } else if (events > 0 && transactions == 0) {
      gap = {"Chưa có dữ liệu giao dịch (giao hoặc nhận hàng giữa các bên).",
             "No transaction data (shipments or receipts between parties).", "/app/diary/new/ship"};
    }
    result.criteria.push_back(Make("data_types",
                                   "Có đủ dữ liệu chủ, dữ liệu giao dịch và dữ liệu sự kiện",
                                   "Master, transaction and event data present",
                                   facilities > 0 && products > 0 && transactions > 0 && events > 0,
                                   {{"facilities", facilities},
                                    {"products", products},
                                    {"transactions", transactions},
                                    {"events", events}},
                                   gap));
  }

  // retention
  std::optional<std::int64_t> oldest;
  auto consider = [&](core::Timestamp t) {
    if (!oldest.has_value() || t.unix_nanos() < *oldest) {
      oldest = t.unix_nanos();
    }
  };
  for (const epcis::Event& e : data.events) {
    consider(e.event_time);
  }
  for (const store::DiaryEntry& d : data.diary) {
    consider(d.occurred_at);
  }
  for (const ProductData& p : data.products) {
    consider(p.product.created_at);
    for (const LotData& l : p.lots) {
      consider(l.lot.created_at);
    }
  }
  if (oldest.has_value()) {
    const std::int64_t nanos = now.unix_nanos() - *oldest;
    result.oldest_record_days =
        nanos <= 0 ? 0 : nanos / std::chrono::nanoseconds(std::chrono::hours(24)).count();
  }
  result.criteria.push_back(Make("retention", "Dữ liệu được lưu giữ", "Data retained", events > 0,
                                 {{"events", events},
                                  {"diaryEntries", static_cast<std::int64_t>(data.diary.size())},
                                  {"oldestRecordDays", result.oldest_record_days}},
                                 {"Chưa có dữ liệu sự kiện nào được lưu giữ.",
                                  "No event data is retained yet.", "/app/diary"}));

  // minimum_data
  std::int64_t complete_products = 0;
  std::string first_missing;
  const bool producer = !data.org.name.empty() && !data.org.address.province.empty();
  for (const ProductData& p : data.products) {
    std::vector<std::string> missing;
    if (p.product.name.empty()) missing.push_back("name");
    if (!producer) missing.push_back("producer");
    if (p.product.origin.empty()) missing.push_back("origin");
    if (p.lots.empty()) missing.push_back("lot");
    if (std::any_of(p.lots.begin(), p.lots.end(),
                    [](const LotData& l) { return l.lot.produced_on.empty(); })) {
      missing.push_back("dates");
    }
    if (missing.empty()) {
      ++complete_products;
    } else if (first_missing.empty()) {
      std::string fields;
      for (const std::string& m : missing) {
        fields += (fields.empty() ? "" : ", ") + m;
      }
      first_missing = p.product.name + " (" + fields + ")";
    }
  }
  result.criteria.push_back(Make(
      "minimum_data", "Đủ thông tin tối thiểu theo Điều 23.5 Nghị định 37/2026/NĐ-CP",
      "Minimum data of Decree 37/2026 Art. 23.5 filled",
      products > 0 && complete_products == products,
      {{"products", products}, {"completeProducts", complete_products}},
      products == 0
          ? Gap{"Chưa khai báo sản phẩm.", "No product is registered.", "/app/products/new"}
          : Gap{fmt::format("{} sản phẩm thiếu thông tin tối thiểu (tên, nhà sản xuất, xuất xứ, "
                            "lô, ngày): {}.",
                            products - complete_products, first_missing),
                fmt::format("{} products lack minimum data (name, producer, origin, lot, "
                            "dates): {}.",
                            products - complete_products, first_missing),
                "/app/products"}));

  const auto total = static_cast<int>(result.criteria.size());
  const auto passed = static_cast<int>(std::count_if(result.criteria.begin(), result.criteria.end(),
                                                     [](const Criterion& c) { return c.passed; }));
  result.score = (100 * passed + total / 2) / total;
  result.passed = result.score >= kSelfAssessmentPassScore;
  return result;
}

}  // namespace vntrace::report::internal
