#include "registry/diary.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/utf8.hpp"
#include "epcis/document.hpp"
#include "gs1/ai.hpp"
#include "gs1/digital_link.hpp"
#include "registry/internal/audit.hpp"
#include "registry/validation.hpp"
#include "registry/xlsx.hpp"

namespace vntrace::registry {
namespace {

using T = DiaryFieldType;
namespace json = boost::json;

constexpr int kVietnamOffset = 7 * 60;
constexpr std::int64_t kNanosPerDay = 86'400LL * 1'000'000'000LL;

// ---- templates

constexpr DiaryField kPlace{"facility", "Nơi thực hiện", "Place", T::kFacility, true};
constexpr DiaryField kWhen{"occurred_at", "Thời gian", "Date and time", T::kDateTime, false};
constexpr DiaryField kNote{"note", "Ghi chú", "Note", T::kText, false};
constexpr DiaryField kCrop{"product", "Cây trồng / sản phẩm", "Crop / product", T::kProduct, true};
constexpr DiaryField kLotField{"lot", "Lô hàng", "Lot", T::kLot, true};
constexpr DiaryField kQuantity{"quantity", "Số lượng", "Quantity", T::kNumber, true};
constexpr DiaryField kUnit{"unit", "Đơn vị", "Unit", T::kUnit, true, false, "kg"};
constexpr DiaryField kDose{"dose", "Liều lượng", "Dose", T::kNumber, true};
constexpr DiaryField kInputLot{"input_lot", "Lô vật tư", "Input lot", T::kText, false};

constexpr std::array kPrepareLandFields = {
    kPlace, kWhen, kCrop, DiaryField{"method", "Cách làm đất", "Method", T::kText, false}, kNote};
constexpr std::array kPlantFields = {
    kPlace,
    kWhen,
    kCrop,
    DiaryField{"variety", "Giống", "Variety", T::kText, false},
    DiaryField{"seed_quantity", "Lượng giống", "Seed quantity", T::kNumber, false},
    DiaryField{"seed_unit", "Đơn vị giống", "Seed unit", T::kUnit, false, false, "kg"},
    DiaryField{"seed_lot", "Lô giống", "Seed lot", T::kText, false},
    kNote};
constexpr std::array kFertiliseFields = {
    kPlace,
    kWhen,
    kCrop,
    DiaryField{"input_name", "Tên phân bón", "Fertiliser", T::kText, true},
    kDose,
    DiaryField{"dose_unit", "Đơn vị liều lượng", "Dose unit", T::kUnit, true, false, "kg/sào"},
    kInputLot,
    kNote};
constexpr std::array kSprayFields = {
    kPlace,
    kWhen,
    kCrop,
    DiaryField{"pesticide", "Tên thuốc BVTV", "Pesticide", T::kText, true},
    DiaryField{"active_ingredient", "Hoạt chất", "Active ingredient", T::kText, false},
    DiaryField{"target", "Đối tượng phòng trừ", "Target pest or disease", T::kText, false},
    kDose,
    DiaryField{"dose_unit", "Đơn vị liều lượng", "Dose unit", T::kUnit, true, false, "ml/bình"},
    kInputLot,
    DiaryField{"phi_days", "Thời gian cách ly", "Pre-harvest interval", T::kInteger, true, false,
               "ngày"},
    kNote};
constexpr std::array kHarvestFields = {
    kPlace,
    kWhen,
    kCrop,
    DiaryField{"quantity", "Sản lượng", "Quantity harvested", T::kNumber, true},
    kUnit,
    DiaryField{"lot_code", "Mã lô", "Lot code", T::kText, false},
    DiaryField{"expires_on", "Hạn sử dụng", "Expiry date", T::kDate, false},
    kNote};
constexpr std::array kReceiveInputsFields = {
    kPlace,
    kWhen,
    DiaryField{"lot", "Lô nguyên liệu", "Input lot", T::kLot, true, true},
    DiaryField{"quantity", "Số lượng", "Quantity", T::kNumber, true, true},
    DiaryField{"unit", "Đơn vị", "Unit", T::kUnit, true, true, "kg"},
    DiaryField{"supplier", "Nhà cung cấp", "Supplier", T::kOrganisation, false},
    kNote};
constexpr std::array kProcessFields = {
    kPlace,
    kWhen,
    DiaryField{"input_lot", "Lô nguyên liệu", "Input lot", T::kLot, true, true},
    DiaryField{"input_quantity", "Lượng nguyên liệu", "Input quantity", T::kNumber, true, true},
    DiaryField{"input_unit", "Đơn vị nguyên liệu", "Input unit", T::kUnit, true, true, "kg"},
    DiaryField{"product", "Sản phẩm đầu ra", "Output product", T::kProduct, true},
    DiaryField{"quantity", "Sản lượng đầu ra", "Output quantity", T::kNumber, true},
    kUnit,
    DiaryField{"lot_code", "Mã lô đầu ra", "Output lot code", T::kText, false},
    DiaryField{"expires_on", "Hạn sử dụng", "Expiry date", T::kDate, false},
    DiaryField{"method", "Phương pháp (sấy, chế biến...)", "Method", T::kText, false},
    kNote};
constexpr std::array kPackFields = {
    kPlace,    kWhen, kLotField,
    kQuantity, kUnit, DiaryField{"package", "Quy cách đóng gói", "Packaging", T::kText, false},
    kNote};
constexpr std::array kShipFields = {
    kPlace,
    kWhen,
    kLotField,
    kQuantity,
    kUnit,
    DiaryField{"receiver", "Bên nhận", "Receiver", T::kOrganisation, true},
    DiaryField{"receiver_location", "Địa điểm nhận", "Receiving location", T::kText, false},
    kNote};
constexpr std::array kReceiveFields = {
    kPlace,    kWhen, kLotField,
    kQuantity, kUnit, DiaryField{"sender", "Bên giao", "Sender", T::kOrganisation, false},
    kNote};
constexpr std::array kSellFields = {
    kPlace,    kWhen, kLotField,
    kQuantity, kUnit, DiaryField{"buyer", "Người mua", "Buyer", T::kText, false},
    kNote};

const std::array kTemplates = {
    DiaryTemplate{"prepare_land", "Làm đất", "Prepare land", DiaryKind::kCrop, "other",
                  kPrepareLandFields},
    DiaryTemplate{"plant", "Gieo trồng", "Sow / plant", DiaryKind::kCrop, "commissioning",
                  kPlantFields},
    DiaryTemplate{"fertilise", "Bón phân", "Fertilise", DiaryKind::kCrop, "other",
                  kFertiliseFields},
    DiaryTemplate{"spray", "Phun thuốc BVTV", "Spray pesticide", DiaryKind::kCrop, "other",
                  kSprayFields},
    DiaryTemplate{"harvest", "Thu hoạch", "Harvest", DiaryKind::kCrop, "commissioning",
                  kHarvestFields},
    DiaryTemplate{"receive_inputs", "Nhận nguyên liệu", "Receive inputs", DiaryKind::kProcessing,
                  "receiving", kReceiveInputsFields},
    DiaryTemplate{"process", "Sơ chế / chế biến", "Dry / process", DiaryKind::kProcessing,
                  "creating_class_instance", kProcessFields},
    DiaryTemplate{"pack", "Đóng gói", "Pack", DiaryKind::kProcessing, "packing", kPackFields},
    DiaryTemplate{"ship", "Xuất hàng", "Ship", DiaryKind::kTrade, "shipping", kShipFields},
    DiaryTemplate{"receive", "Nhận hàng", "Receive", DiaryKind::kTrade, "receiving",
                  kReceiveFields},
    DiaryTemplate{"sell", "Bán hàng", "Sell", DiaryKind::kTrade, "retail_selling", kSellFields},
};

// ---- small helpers

std::string Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// "YYYY-MM-DD" of `t` in Vietnam.
std::string VietnamDate(core::Timestamp t) {
  return core::FormatRfc3339(t.WithUtcOffset(kVietnamOffset), 0).substr(0, 10);
}

// UN/CEFACT Rec. 20 code of a unit of measure; empty for counts (quả, gói, hộp...).
std::string UomOf(std::string_view unit) {
  static const std::map<std::string, std::string, std::less<>> kUoms = {
      {"kg", "KGM"},  {"kilogram", "KGM"}, {"g", "GRM"},  {"gram", "GRM"}, {"tấn", "TNE"},
      {"tan", "TNE"}, {"t", "TNE"},        {"l", "LTR"},  {"lít", "LTR"},  {"lit", "LTR"},
      {"ml", "MLT"},  {"m2", "MTK"},       {"m²", "MTK"}, {"ha", "HAR"},   {"tạ", "DTN"},
  };
  auto it = kUoms.find(Lower(unit));
  return it == kUoms.end() ? std::string() : it->second;
}

// The party identifier of an organisation in source/destination lists: its GLN as a Digital
// Link (AI 417), or its platform id.
std::string PartyId(const store::Organisation& org) {
  return org.gln.empty() ? org.id : std::string(gs1::kCanonicalStem) + "/417/" + org.gln;
}

std::string NewUuid(core::Random& random) {
  std::array<std::byte, 16> bytes{};
  random.Fill(bytes);
  bytes[6] = (bytes[6] & std::byte{0x0f}) | std::byte{0x40};
  bytes[8] = (bytes[8] & std::byte{0x3f}) | std::byte{0x80};
  std::string hex;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      hex += '-';
    }
    hex += fmt::format("{:02x}", static_cast<unsigned>(bytes[i]));
  }
  return hex;
}

bool IsUuid(std::string_view id) {
  if (id.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') {
        return false;
      }
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// A short random lot code: "TH260302-K3M9" (prefix, date yymmdd, 4 letters/digits).
std::string NewLotCode(std::string_view prefix, std::string_view date, core::Random& random) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string code = std::string(prefix) + std::string(date.substr(2, 2)) +
                     std::string(date.substr(5, 2)) + std::string(date.substr(8, 2)) + "-";
  for (int i = 0; i < 4; ++i) {
    code += kAlphabet[random.UniformBelow(kAlphabet.size())];
  }
  return code;
}

// ---- field validation

struct Issue {
  std::string field;
  core::Error error;
};

core::Error Invalid(std::string_view field, std::string_view rule, std::string message) {
  return core::InvalidArgument(std::move(message), std::string(field) + "." + std::string(rule));
}

core::Result<double> ParseNumber(std::string_view field, std::string value) {
  if (value.find('.') == std::string::npos) {
    std::replace(value.begin(), value.end(), ',', '.');
  }
  double out = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) {
    return Invalid(field, "format", std::string(field) + " must be a number; got '" + value + "'");
  }
  if (out <= 0 || out > 1e9) {
    return Invalid(field, "positive", std::string(field) + " must be a positive number");
  }
  return out;
}

// An occurred_at value: "YYYY-MM-DD" (noon in Vietnam, or now when that is today and noon is
// still ahead), "YYYY-MM-DD HH:MM" / "YYYY-MM-DDTHH:MM[:SS]" in Vietnam time, or RFC 3339.
core::Result<core::Timestamp> ParseOccurredAt(std::string_view value, const core::Clock& clock) {
  const core::Timestamp now = clock.Now();
  std::string text(value);
  if (text.size() > 10 && text[10] == ' ') {
    text[10] = 'T';
  }
  core::Result<core::Timestamp> parsed = core::InvalidArgument("");
  if (text.size() == 10) {
    if (!ValidateDate(text, "occurred_at").ok()) {
      return Invalid("occurred_at", "format", "occurred_at must be a date YYYY-MM-DD or a time");
    }
    parsed = core::ParseRfc3339(text + "T12:00:00+07:00");
    if (parsed.ok() && text == VietnamDate(now) && *parsed > now) {
      parsed = now;
    }
  } else if (text.size() == 16 || text.size() == 19) {
    parsed = core::ParseRfc3339(text + (text.size() == 16 ? ":00" : "") + "+07:00");
  } else {
    parsed = core::ParseRfc3339(text);
  }
  if (!parsed.ok()) {
    return Invalid("occurred_at", "format",
                   "occurred_at must be YYYY-MM-DD, YYYY-MM-DD HH:MM or an RFC 3339 time");
  }
  if (parsed->unix_nanos() > now.unix_nanos() + 10LL * 60 * 1'000'000'000) {
    return Invalid("occurred_at", "future", "occurred_at is in the future");
  }
  if (VietnamDate(*parsed) < "2000-01-01") {
    return Invalid("occurred_at", "range", "occurred_at is before 2000");
  }
  return parsed->WithUtcOffset(kVietnamOffset);
}

// Lots created earlier in the same batch (CSV import), and entry ids used in it.
struct Batch {
  std::vector<store::Lot> new_lots;
  std::set<std::string> entry_ids;
};

// What a step's fields resolve to.
struct Resolved {
  core::Timestamp occurred_at;
  store::Facility facility;
  std::optional<store::Product> product;
  std::map<std::string, std::vector<std::string>> values;  // normalised text
  std::map<std::string, std::vector<double>> numbers;
  std::map<std::string, std::vector<store::Lot>> lots;
  std::map<std::string, store::Organisation> orgs;

  std::string Get(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? std::string() : it->second.front();
  }
  double Number(const std::string& name, std::size_t i = 0) const {
    auto it = numbers.find(name);
    return it == numbers.end() || it->second.size() <= i ? 0 : it->second[i];
  }
};

core::Result<store::Lot> ResolveLot(const Context& ctx, std::string_view org_id,
                                    std::string_view field, const std::string& value,
                                    const Batch* batch) {
  if (value.starts_with("https://") || value.starts_with("http://")) {
    core::Result<store::Lot> lot = ctx.store.GetLot(value);
    if (lot.ok() || lot.error().code != core::ErrorCode::kNotFound) {
      return lot;
    }
  }
  std::vector<store::Lot> matches;
  if (batch != nullptr) {
    for (const store::Lot& lot : batch->new_lots) {
      if (lot.code == value || lot.id == value) {
        matches.push_back(lot);
      }
    }
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Product> products, ctx.store.ListProducts(org_id));
  for (const store::Product& product : products) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Lot> lots, ctx.store.ListLots(product.id));
    for (store::Lot& lot : lots) {
      if (lot.code == value || lot.identifier == value) {
        matches.push_back(std::move(lot));
      }
    }
  }
  if (matches.size() > 1) {
    return Invalid(field, "ambiguous",
                   "several lots have the code '" + value + "'; give the lot's id instead");
  }
  if (matches.empty()) {
    return core::NotFound("no lot '" + value + "'", std::string(field) + ".not_found");
  }
  return matches.front();
}

// Validates one field's values; appends issues.
void ResolveField(const Context& ctx, const store::Organisation& org, const DiaryField& field,
                  const std::vector<std::string>& values, const Batch* batch, Resolved& out,
                  std::vector<Issue>& issues) {
  const std::string name(field.name);
  auto fail = [&](core::Error error) { issues.push_back({name, std::move(error)}); };
  for (const std::string& value : values) {
    const std::size_t max = field.name == "note" ? 2000 : (field.type == T::kUnit ? 20 : 300);
    core::Status text = ValidateText(value, name, max, false);
    if (!text.ok()) {
      fail(std::move(text).error());
      return;
    }
    if (field.name != "note" && value.find_first_of("\r\n") != std::string::npos) {
      fail(Invalid(name, "format", name + " must be one line"));
      return;
    }
    switch (field.type) {
      case T::kText:
      case T::kUnit:
        break;
      case T::kNumber: {
        core::Result<double> number = ParseNumber(name, value);
        if (!number.ok()) {
          fail(std::move(number).error());
          return;
        }
        out.numbers[name].push_back(*number);
        out.values[name].push_back(fmt::format("{}", *number));
        continue;
      }
      case T::kInteger: {
        int number = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc() || ptr != value.data() + value.size()) {
          fail(Invalid(name, "format", name + " must be a whole number"));
          return;
        }
        if (number < 0 || number > 365) {
          fail(Invalid(name, "range", name + " must be 0 to 365"));
          return;
        }
        out.numbers[name].push_back(number);
        break;
      }
      case T::kDate: {
        core::Status date = ValidateDate(value, name);
        if (!date.ok()) {
          fail(std::move(date).error());
          return;
        }
        break;
      }
      case T::kDateTime: {
        core::Result<core::Timestamp> when = ParseOccurredAt(value, ctx.clock);
        if (!when.ok()) {
          fail(std::move(when).error());
          return;
        }
        out.occurred_at = *when;
        out.values[name].push_back(core::FormatRfc3339(*when));
        continue;
      }
      case T::kFacility: {
        core::Result<store::Facility> facility = ctx.store.GetFacility(value);
        if (!facility.ok() || facility->org_id != org.id) {
          facility = core::NotFound("");
          core::Result<std::vector<store::Facility>> all = ctx.store.ListFacilities(org.id);
          if (all.ok()) {
            for (store::Facility& f : *all) {
              if (f.name == value) {
                facility = std::move(f);
                break;
              }
            }
          }
        }
        if (!facility.ok()) {
          fail(core::NotFound("no facility '" + value + "' in this organisation",
                              name + ".not_found"));
          return;
        }
        out.facility = *facility;
        out.values[name].push_back(facility->id);
        continue;
      }
      case T::kProduct: {
        core::Result<store::Product> product = ctx.store.GetProduct(value);
        if (!product.ok() || product->org_id != org.id) {
          product = core::NotFound("");
          core::Result<std::vector<store::Product>> all = ctx.store.ListProducts(org.id);
          if (all.ok()) {
            for (store::Product& p : *all) {
              if (p.name == value) {
                product = std::move(p);
                break;
              }
            }
          }
        }
        if (!product.ok()) {
          fail(core::NotFound("no product '" + value + "' in this organisation",
                              name + ".not_found"));
          return;
        }
        out.product = *product;
        out.values[name].push_back(product->id);
        continue;
      }
      case T::kLot: {
        core::Result<store::Lot> lot = ResolveLot(ctx, org.id, name, value, batch);
        if (!lot.ok()) {
          fail(std::move(lot).error());
          return;
        }
        out.values[name].push_back(lot->id);
        out.lots[name].push_back(std::move(lot).value());
        continue;
      }
      case T::kOrganisation: {
        core::Result<store::Organisation> other = ctx.store.GetOrganisation(value);
        if (!other.ok()) {
          fail(core::NotFound("no organisation '" + value + "'", name + ".not_found"));
          return;
        }
        if (other->id == org.id) {
          fail(Invalid(name, "self", name + " must be another organisation"));
          return;
        }
        out.orgs[name] = *other;
        break;
      }
    }
    out.values[name].push_back(value);
  }
}

// ---- events

json::object Quantity(const std::string& epc_class, double quantity, const std::string& unit) {
  json::object q{{"epcClass", epc_class}, {"quantity", quantity}};
  std::string uom = UomOf(unit);
  if (!uom.empty()) {
    q["uom"] = uom;
  }
  return q;
}

json::array LotQuantities(const Resolved& r, const std::string& lot_field,
                          const std::string& quantity_field, const std::string& unit_field) {
  json::array out;
  auto lots = r.lots.find(lot_field);
  auto units = r.values.find(unit_field);
  if (lots == r.lots.end()) {
    return out;
  }
  for (std::size_t i = 0; i < lots->second.size(); ++i) {
    const std::string unit =
        units != r.values.end() && i < units->second.size() ? units->second[i] : "";
    out.push_back(Quantity(lots->second[i].identifier, r.Number(quantity_field, i), unit));
  }
  return out;
}

// The diary fields as extension members "vntrace:{name}" (references excluded: they are in the
// standard fields).
void AddExtensions(json::object& event, const DiaryTemplate& t, const Resolved& r,
                   std::string_view entry_id) {
  event["vntrace:diaryTemplate"] = t.id;
  event["vntrace:diaryEntry"] = entry_id;
  for (const DiaryField& field : t.fields) {
    if (field.type == T::kFacility || field.type == T::kDateTime || field.type == T::kLot ||
        field.type == T::kProduct || field.type == T::kOrganisation) {
      continue;
    }
    auto it = r.values.find(std::string(field.name));
    if (it == r.values.end() || it->second.empty()) {
      continue;
    }
    const std::string key = "vntrace:" + std::string(field.name);
    if (field.type == T::kNumber || field.type == T::kInteger) {
      if (field.repeated) {
        continue;  // in the quantity lists
      }
      event[key] = r.Number(std::string(field.name));
    } else if (!field.repeated) {
      event[key] = it->second.front();
    }
  }
}

json::object Ilmd(const store::Lot& lot, std::string_view harvest_date) {
  json::object ilmd{{"cbvmda:lotNumber", lot.code}};
  if (!harvest_date.empty()) {
    ilmd["cbvmda:harvestStartDate"] = harvest_date;
  }
  if (!lot.expires_on.empty()) {
    ilmd["cbvmda:itemExpirationDate"] = lot.expires_on;
  }
  return ilmd;
}

core::Result<epcis::Event> DecodeOne(const Context& ctx, json::object event) {
  json::object document{
      {"@context", json::array{"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                               json::object{{"vntrace", kDiaryNamespace}}}},
      {"type", "EPCISDocument"},
      {"schemaVersion", "2.0"},
      {"creationDate", core::FormatRfc3339(ctx.clock.Now().ToUtc())},
      {"epcisBody", json::object{{"eventList", json::array{std::move(event)}}}},
  };
  epcis::DecodeResult decoded =
      epcis::DecodeDocument(json::serialize(document), {.record_time = ctx.clock.Now().ToUtc()});
  if (!decoded.issues.empty() || decoded.events.size() != 1) {
    std::string message = "the diary step does not make a valid EPCIS event";
    for (const epcis::ValidationIssue& issue : decoded.issues) {
      message += "; " + issue.ToString();
    }
    return core::Internal(std::move(message));
  }
  return std::move(decoded.events.front());
}

json::object BaseEvent(std::string_view type, const DiaryTemplate& t, const Resolved& r) {
  json::object event{
      {"type", type},
      {"eventTime", core::FormatRfc3339(r.occurred_at)},
      {"eventTimeZoneOffset", "+07:00"},
      {"bizStep", t.biz_step},
      {"readPoint", json::object{{"id", r.facility.identifier}}},
      {"bizLocation", json::object{{"id", r.facility.identifier}}},
  };
  return event;
}

std::string LotFieldsJson(const store::Lot& l) {
  return internal::CreatedJson({{"product_id", l.product_id},
                                {"code", l.code},
                                {"identifier", l.identifier},
                                {"produced_on", l.produced_on},
                                {"expires_on", l.expires_on},
                                {"quantity", l.quantity ? fmt::format("{}", *l.quantity) : ""},
                                {"unit", l.unit}});
}

// The new lot of a harvest or process step, with its checks.
core::Result<store::Lot> NewLot(const Context& ctx, const Resolved& r, std::string_view prefix,
                                const Batch* batch, std::vector<Issue>& issues) {
  const store::Product& product = *r.product;
  store::Lot lot;
  lot.org_id = product.org_id;
  lot.product_id = product.id;
  lot.produced_on = VietnamDate(r.occurred_at);
  lot.code = r.Get("lot_code");
  if (lot.code.empty()) {
    lot.code = NewLotCode(prefix, lot.produced_on, ctx.random);
  } else if (!product.gtin.empty()) {
    const gs1::AiDefinition* batch_ai = gs1::FindAi("10");
    if (batch_ai == nullptr || !gs1::ValidateAiValue(*batch_ai, lot.code).ok()) {
      issues.push_back({"lot_code", Invalid("lot_code", "format",
                                            "a lot code of a GTIN product is 1 to 20 characters "
                                            "of GS1 AI 82")});
    }
  } else if (lot.code.size() > 40) {
    issues.push_back({"lot_code", Invalid("lot_code", "too_long", "a lot code is at most 40")});
  }
  lot.expires_on = r.Get("expires_on");
  if (!lot.expires_on.empty() && lot.expires_on < lot.produced_on) {
    issues.push_back({"expires_on", Invalid("expires_on", "before_produced",
                                            "the lot expires before it was produced")});
  }
  lot.quantity = r.Number("quantity");
  lot.unit = r.Get("unit");
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Lot> existing, ctx.store.ListLots(product.id));
  bool taken = std::any_of(existing.begin(), existing.end(),
                           [&](const store::Lot& l) { return l.code == lot.code; });
  if (batch != nullptr) {
    taken = taken ||
            std::any_of(batch->new_lots.begin(), batch->new_lots.end(), [&](const store::Lot& l) {
              return l.product_id == lot.product_id && l.code == lot.code;
            });
  }
  if (taken) {
    issues.push_back({"lot_code", core::AlreadyExists("product '" + product.name +
                                                          "' already has a lot " + lot.code,
                                                      "lot_code.taken")});
  }
  lot.id = ctx.ids.Issue(IdKind::kLot, ctx.random);
  lot.identifier = product.gtin.empty() ? lot.id
                                        : std::string(gs1::kCanonicalStem) + "/01/" + product.gtin +
                                              "/10/" + gs1::PercentEncodeDlValue(lot.code);
  lot.created_at = ctx.clock.Now();
  return lot;
}

// Builds the write of one step, or the issues of its fields.
core::Result<store::DiaryWrite> BuildStep(const Context& ctx, const Actor& actor,
                                          const store::Organisation& org, const DiaryTemplate& t,
                                          const DiaryStepInput& input, const std::string& entry_id,
                                          const Batch* batch, std::vector<Issue>& issues) {
  // Group the values by field.
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& [name, raw] : input.fields) {
    // (A structured binding cannot be captured by a lambda before C++20 in clang 14.)
    const std::string& field_name = name;
    auto field = std::find_if(t.fields.begin(), t.fields.end(),
                              [&](const DiaryField& f) { return f.name == field_name; });
    if (field == t.fields.end()) {
      issues.push_back(
          {name, Invalid(name, "unknown",
                         "the template " + std::string(t.id) + " has no field '" + name + "'")});
      continue;
    }
    std::string value = Trim(raw);
    if (value.empty()) {
      continue;
    }
    std::vector<std::string>& values = given[name];
    if (!values.empty() && !field->repeated) {
      issues.push_back({name, Invalid(name, "repeated", name + " takes one value")});
      continue;
    }
    values.push_back(std::move(value));
  }
  Resolved r;
  r.occurred_at = ctx.clock.Now().WithUtcOffset(kVietnamOffset);
  std::optional<std::size_t> group_size;
  std::string group_first;
  for (const DiaryField& field : t.fields) {
    const std::string name(field.name);
    auto it = given.find(name);
    if (it == given.end()) {
      if (field.required) {
        issues.push_back({name, Invalid(name, "required", name + " is required")});
      }
      continue;
    }
    if (field.repeated) {
      if (!group_size.has_value()) {
        group_size = it->second.size();
        group_first = name;
      } else if (*group_size != it->second.size()) {
        issues.push_back({name, Invalid(name, "count",
                                        name + " needs one value per " + group_first + " (" +
                                            std::to_string(*group_size) + ")")});
        continue;
      }
    }
    ResolveField(ctx, org, field, it->second, batch, r, issues);
  }
  // Template rules across fields.
  if (r.values.contains("seed_quantity") && r.Get("seed_unit").empty()) {
    issues.push_back(
        {"seed_unit", Invalid("seed_unit", "required", "a seed quantity needs a unit")});
  }
  if (auto receiver = r.orgs.find("receiver"); receiver != r.orgs.end()) {
    const std::string location = r.Get("receiver_location");
    if (!location.empty()) {
      core::Result<store::Facility> place = ctx.store.GetFacility(location);
      if (!place.ok() || place->org_id != receiver->second.id) {
        issues.push_back(
            {"receiver_location", core::NotFound("no facility '" + location + "' of the receiver",
                                                 "receiver_location.not_found")});
      }
    }
  }
  if (!issues.empty()) {
    return core::InvalidArgument("the diary step has errors", issues.front().error.details);
  }

  store::DiaryWrite write;
  json::object event;
  const std::string id(t.id);
  const std::string vn_date = VietnamDate(r.occurred_at);
  if (t.kind == DiaryKind::kCrop && id != "harvest") {
    event = BaseEvent("ObjectEvent", t, r);
    event["action"] = "OBSERVE";
    event["quantityList"] = json::array{json::object{{"epcClass", r.product->identifier}}};
  } else if (id == "harvest") {
    VNTRACE_ASSIGN_OR_RETURN(store::Lot lot, NewLot(ctx, r, "TH", batch, issues));
    if (!issues.empty()) {
      return core::InvalidArgument("the diary step has errors", issues.front().error.details);
    }
    event = BaseEvent("ObjectEvent", t, r);
    event["action"] = "ADD";
    event["disposition"] = "active";
    event["quantityList"] =
        json::array{Quantity(lot.identifier, r.Number("quantity"), r.Get("unit"))};
    event["ilmd"] = Ilmd(lot, vn_date);
    write.new_lots.push_back(std::move(lot));
  } else if (id == "process") {
    VNTRACE_ASSIGN_OR_RETURN(store::Lot lot, NewLot(ctx, r, "CB", batch, issues));
    if (!issues.empty()) {
      return core::InvalidArgument("the diary step has errors", issues.front().error.details);
    }
    event = BaseEvent("TransformationEvent", t, r);
    event["inputQuantityList"] = LotQuantities(r, "input_lot", "input_quantity", "input_unit");
    event["outputQuantityList"] =
        json::array{Quantity(lot.identifier, r.Number("quantity"), r.Get("unit"))};
    event["ilmd"] = Ilmd(lot, "");
    write.new_lots.push_back(std::move(lot));
  } else {
    event = BaseEvent("ObjectEvent", t, r);
    event["action"] = "OBSERVE";
    event["quantityList"] = LotQuantities(r, "lot", "quantity", "unit");
    const json::object own_party{{"type", "owning_party"}, {"source", PartyId(org)}};
    const json::object own_location{{"type", "location"}, {"source", r.facility.identifier}};
    if (id == "ship") {
      const store::Organisation& receiver = r.orgs.at("receiver");
      event["disposition"] = "in_transit";
      event["sourceList"] = json::array{own_party, own_location};
      json::array destinations{
          json::object{{"type", "owning_party"}, {"destination", PartyId(receiver)}}};
      if (const std::string location = r.Get("receiver_location"); !location.empty()) {
        VNTRACE_ASSIGN_OR_RETURN(store::Facility place, ctx.store.GetFacility(location));
        destinations.push_back(
            json::object{{"type", "location"}, {"destination", place.identifier}});
      }
      event["destinationList"] = std::move(destinations);
    } else if (id == "receive" || id == "receive_inputs") {
      event["disposition"] = "in_progress";
      const std::string from = id == "receive" ? "sender" : "supplier";
      if (auto sender = r.orgs.find(from); sender != r.orgs.end()) {
        event["sourceList"] = json::array{
            json::object{{"type", "owning_party"}, {"source", PartyId(sender->second)}}};
      }
      event["destinationList"] =
          json::array{json::object{{"type", "owning_party"}, {"destination", PartyId(org)}},
                      json::object{{"type", "location"}, {"destination", r.facility.identifier}}};
    } else if (id == "sell") {
      event["disposition"] = "retail_sold";
    } else if (id == "pack") {
      event["disposition"] = "in_progress";
    }
  }
  AddExtensions(event, t, r, entry_id);
  VNTRACE_ASSIGN_OR_RETURN(epcis::Event built, DecodeOne(ctx, std::move(event)));

  const core::Timestamp now = ctx.clock.Now();
  for (const store::Lot& lot : write.new_lots) {
    write.lot_audits.push_back(
        internal::MakeAudit(now, actor, org.id, "create", "lot", lot.id, LotFieldsJson(lot)));
  }
  json::object fields;
  for (const DiaryField& field : t.fields) {
    auto it = r.values.find(std::string(field.name));
    if (it == r.values.end() || it->second.empty()) {
      continue;
    }
    if (field.repeated) {
      json::array values;
      for (const std::string& v : it->second) {
        values.push_back(json::value(v));
      }
      fields[field.name] = std::move(values);
    } else {
      fields[field.name] = it->second.front();
    }
  }
  store::DiaryEntry& e = write.entry;
  e.id = entry_id;
  e.org_id = org.id;
  e.template_id = id;
  e.facility_id = r.facility.id;
  e.product_id = r.product.has_value() ? r.product->id : std::string();
  if (!write.new_lots.empty()) {
    e.lot_id = write.new_lots.front().id;
  } else if (auto lots = r.lots.find(id == "process" ? "input_lot" : "lot");
             lots != r.lots.end() && !lots->second.empty()) {
    e.lot_id = lots->second.front().id;
    if (e.product_id.empty()) {
      e.product_id = lots->second.front().product_id;
    }
  }
  e.actor = actor.AuditName();
  e.occurred_at = r.occurred_at;
  e.recorded_at = now.ToUtc();
  e.fields_json = json::serialize(fields);
  e.event_id = built.event_id;
  write.entry_audit =
      internal::MakeAudit(now, actor, org.id, "create", "diary_entry", e.id, e.fields_json);
  write.events.push_back(std::move(built));
  return write;
}

// ---- warnings

std::optional<int> PhiDays(const store::DiaryEntry& spray) {
  boost::system::error_code ec;
  json::value fields = json::parse(spray.fields_json, ec);
  if (ec || !fields.is_object()) {
    return std::nullopt;
  }
  const json::value* phi = fields.as_object().if_contains("phi_days");
  if (phi == nullptr || !phi->is_string()) {
    return std::nullopt;
  }
  int days = 0;
  const json::string& text = phi->as_string();
  auto [ptr, err] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (err != std::errc()) {
    return std::nullopt;
  }
  return days;
}

// Days between the Vietnam calendar dates of two instants (b - a).
std::int64_t DayDifference(core::Timestamp a, core::Timestamp b) {
  auto day = [](core::Timestamp t) {
    const std::int64_t local = t.unix_nanos() + kVietnamOffset * 60LL * 1'000'000'000LL;
    return local >= 0 ? local / kNanosPerDay : (local - kNanosPerDay + 1) / kNanosPerDay;
  };
  return day(b) - day(a);
}

// Harvests inside the PHI of an earlier spray on the same facility.
void CheckPhi(const std::vector<store::DiaryEntry>& entries, const store::DiaryEntry& harvest,
              std::vector<DiaryWarning>& out) {
  for (const store::DiaryEntry& spray : entries) {
    if (spray.template_id != "spray" || spray.facility_id != harvest.facility_id ||
        spray.occurred_at.unix_nanos() > harvest.occurred_at.unix_nanos()) {
      continue;
    }
    const std::optional<int> phi = PhiDays(spray);
    if (!phi.has_value()) {
      continue;
    }
    const std::int64_t days = DayDifference(spray.occurred_at, harvest.occurred_at);
    if (days < *phi) {
      out.push_back(DiaryWarning{
          .code = "harvest.within_phi",
          .message = fmt::format("harvest on {} is {} days after a pesticide spray on {} whose "
                                 "pre-harvest interval is {} days",
                                 VietnamDate(harvest.occurred_at), days,
                                 VietnamDate(spray.occurred_at), *phi),
          .entry_id = harvest.id,
          .related_entry_id = spray.id,
          .facility_id = harvest.facility_id,
          .lot_id = harvest.lot_id});
    }
  }
}

// A shipment of a lot before the step that created it, or before its production date.
void CheckShipBeforeHarvest(const Context& ctx, const std::vector<store::DiaryEntry>& entries,
                            const store::DiaryEntry& ship, std::vector<DiaryWarning>& out) {
  if (ship.lot_id.empty()) {
    return;
  }
  for (const store::DiaryEntry& made : entries) {
    if ((made.template_id == "harvest" || made.template_id == "process") &&
        made.lot_id == ship.lot_id &&
        made.occurred_at.unix_nanos() > ship.occurred_at.unix_nanos()) {
      out.push_back(DiaryWarning{
          .code = "ship.before_harvest",
          .message = fmt::format("the lot was shipped on {} but harvested or produced on {}",
                                 VietnamDate(ship.occurred_at), VietnamDate(made.occurred_at)),
          .entry_id = ship.id,
          .related_entry_id = made.id,
          .facility_id = ship.facility_id,
          .lot_id = ship.lot_id});
      return;
    }
  }
  core::Result<store::Lot> lot = ctx.store.GetLot(ship.lot_id);
  if (lot.ok() && !lot->produced_on.empty() && VietnamDate(ship.occurred_at) < lot->produced_on) {
    out.push_back(DiaryWarning{
        .code = "ship.before_harvest",
        .message = fmt::format("the lot was shipped on {} but harvested or produced on {}",
                               VietnamDate(ship.occurred_at), lot->produced_on),
        .entry_id = ship.id,
        .facility_id = ship.facility_id,
        .lot_id = ship.lot_id});
  }
}

// Crop diaries (per facility, one season ends with a harvest) of at least 4 steps with the
// same templates at the same day intervals as another facility's or season's.
void CheckCopiedIntervals(std::vector<store::DiaryEntry> entries, std::vector<DiaryWarning>& out) {
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::pair(a.occurred_at.unix_nanos(), a.recorded_at.unix_nanos()) <
           std::pair(b.occurred_at.unix_nanos(), b.recorded_at.unix_nanos());
  });
  struct Season {
    std::string facility_id;
    std::vector<const store::DiaryEntry*> steps;
  };
  std::map<std::string, std::vector<Season>> by_facility;
  for (const store::DiaryEntry& e : entries) {
    const DiaryTemplate* t = FindDiaryTemplate(e.template_id);
    if (t == nullptr || t->kind != DiaryKind::kCrop) {
      continue;
    }
    std::vector<Season>& seasons = by_facility[e.facility_id];
    if (seasons.empty() ||
        (!seasons.back().steps.empty() && seasons.back().steps.back()->template_id == "harvest" &&
         e.template_id != "harvest")) {
      seasons.push_back(Season{e.facility_id, {}});
    }
    seasons.back().steps.push_back(&e);
  }
  std::map<std::string, const Season*> seen;  // signature → first season with it
  for (const auto& [facility, seasons] : by_facility) {
    for (const Season& season : seasons) {
      if (season.steps.size() < 4) {
        continue;
      }
      std::string signature;
      for (std::size_t i = 0; i < season.steps.size(); ++i) {
        signature += season.steps[i]->template_id;
        if (i > 0) {
          signature += fmt::format(
              "+{}", DayDifference(season.steps[i - 1]->occurred_at, season.steps[i]->occurred_at));
        }
        signature += ";";
      }
      auto [it, inserted] = seen.emplace(signature, &season);
      if (inserted) {
        continue;
      }
      const Season& first = *it->second;
      out.push_back(DiaryWarning{
          .code = "diary.copied_intervals",
          .message = fmt::format("the {} steps from {} repeat, day for day, the diary that "
                                 "starts on {}{}",
                                 season.steps.size(), VietnamDate(season.steps[0]->occurred_at),
                                 VietnamDate(first.steps[0]->occurred_at),
                                 first.facility_id == season.facility_id ? " on the same facility"
                                                                         : " on another facility"),
          .entry_id = season.steps[0]->id,
          .related_entry_id = first.steps[0]->id,
          .facility_id = season.facility_id});
    }
  }
}

core::Result<std::vector<store::DiaryEntry>> AllEntries(const Context& ctx,
                                                        std::string_view org_id) {
  return ctx.store.ListDiaryEntries({.org_id = std::string(org_id), .limit = 100'000});
}

// The warnings of freshly written entries.
core::Result<std::vector<DiaryWarning>> WarningsFor(const Context& ctx, std::string_view org_id,
                                                    const std::vector<store::DiaryEntry>& fresh) {
  std::vector<DiaryWarning> out;
  if (std::none_of(fresh.begin(), fresh.end(), [](const store::DiaryEntry& e) {
        return e.template_id == "harvest" || e.template_id == "ship";
      })) {
    return out;
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::DiaryEntry> all, AllEntries(ctx, org_id));
  for (const store::DiaryEntry& e : fresh) {
    if (e.template_id == "harvest") {
      CheckPhi(all, e, out);
    } else if (e.template_id == "ship") {
      CheckShipBeforeHarvest(ctx, all, e, out);
    }
  }
  return out;
}

core::Status CheckRead(const Context& ctx, const Actor& actor, std::string_view org_id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, ctx.store.GetOrganisation(org_id));
  if (!CanReadPrivate(actor, org)) {
    return core::PermissionDenied(actor.AuditName() + " may not read the diary of '" +
                                  std::string(org_id) + "'");
  }
  return core::Ok();
}

core::Result<store::Organisation> OrgForDiary(const Context& ctx, const Actor& actor,
                                              std::string_view org_id) {
  if (!CanWriteOrgData(actor, org_id)) {
    return core::PermissionDenied(actor.AuditName() + " may not write the diary of '" +
                                  std::string(org_id) + "'");
  }
  return ctx.store.GetOrganisation(org_id);
}

// Checks the entry id; returns the stored entry when it was recorded already.
core::Result<std::optional<store::DiaryEntry>> Existing(const Context& ctx,
                                                        const std::string& entry_id,
                                                        std::string_view org_id) {
  if (!IsUuid(entry_id)) {
    return Invalid("entry_id", "format", "entry_id must be a UUID");
  }
  core::Result<store::DiaryEntry> stored = ctx.store.GetDiaryEntry(Lower(entry_id));
  if (!stored.ok()) {
    if (stored.error().code == core::ErrorCode::kNotFound) {
      return std::optional<store::DiaryEntry>();
    }
    return std::move(stored).error();
  }
  if (stored->org_id != org_id) {
    return core::AlreadyExists("entry id " + entry_id + " is taken", "entry_id.taken");
  }
  return std::optional<store::DiaryEntry>(std::move(stored).value());
}

// ---- CSV

struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> cells{};
};

core::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.size() > kMaxCsvBytes) {
    return core::InvalidArgument("the file is larger than 2 MiB", "csv.too_large");
  }
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  if (!core::IsValidUtf8(text)) {
    return core::InvalidArgument("the file is not UTF-8 text", "csv.encoding");
  }
  // The separator: ',' unless the header line has more ';' than ',' (spreadsheets set to
  // Vietnamese write ';').
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const char separator = std::count(first_line.begin(), first_line.end(), ';') >
                                 std::count(first_line.begin(), first_line.end(), ',')
                             ? ';'
                             : ',';
  std::vector<CsvRecord> records;
  CsvRecord record{.line = 1};
  std::string cell;
  std::size_t line = 1;
  bool quoted = false;
  bool cell_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') {
          ++line;
        }
        cell += c;
      }
      continue;
    }
    if (c == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (c == '"') {
      return core::InvalidArgument(fmt::format("line {}: a quote inside an unquoted cell", line),
                                   "csv.quote");
    } else if (c == separator) {
      record.cells.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      record.cells.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
      records.push_back(std::move(record));
      ++line;
      record = CsvRecord{.line = line};
      if (records.size() > kMaxCsvRows + 1) {
        return core::InvalidArgument("the file has more than 2000 rows", "csv.too_many_rows");
      }
    } else {
      cell += c;
      cell_started = true;
    }
  }
  if (quoted) {
    return core::InvalidArgument(fmt::format("line {}: a quoted cell is not closed", record.line),
                                 "csv.quote");
  }
  if (cell_started || !record.cells.empty()) {
    record.cells.push_back(std::move(cell));
    records.push_back(std::move(record));
  }
  if (records.size() > kMaxCsvRows + 1) {
    return core::InvalidArgument("the file has more than 2000 rows", "csv.too_many_rows");
  }
  return records;
}

std::string CsvCell(std::string_view value) {
  std::string v(value);
  // A cell a spreadsheet would run as a formula is written as text.
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(",;\"\r\n") == std::string::npos) {
    return v;
  }
  std::string out = "\"";
  for (char c : v) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::string HeaderLabel(const DiaryField& f) {
  std::string label = std::string(f.label_vi) + " / " + std::string(f.label_en);
  if (!f.unit_hint.empty() && f.type != T::kUnit) {
    label += " [" + std::string(f.unit_hint) + "]";
  }
  return label + " (" + std::string(f.name) + ")";
}

// The field key a header cell names, or empty.
std::string HeaderKey(const DiaryTemplate& t, std::string_view cell) {
  std::string text = Trim(cell);
  if (!text.empty() && text.back() == ')') {
    const std::size_t open = text.rfind('(');
    if (open != std::string::npos) {
      const std::string key = text.substr(open + 1, text.size() - open - 2);
      if (key == "entry_id") {
        return key;
      }
      for (const DiaryField& f : t.fields) {
        if (f.name == key) {
          return key;
        }
      }
    }
  }
  const std::string lower = Lower(text);
  if (lower == "entry_id") {
    return lower;
  }
  for (const DiaryField& f : t.fields) {
    if (lower == f.name || lower == Lower(f.label_en) || text == f.label_vi) {
      return std::string(f.name);
    }
  }
  return {};
}

}  // namespace

std::string_view DiaryKindName(DiaryKind kind) {
  switch (kind) {
    case DiaryKind::kCrop:
      return "crop";
    case DiaryKind::kProcessing:
      return "processing";
    case DiaryKind::kTrade:
      return "trade";
  }
  return "unknown";
}

std::span<const DiaryTemplate> DiaryTemplates() { return kTemplates; }

const DiaryTemplate* FindDiaryTemplate(std::string_view id) {
  for (const DiaryTemplate& t : kTemplates) {
    if (t.id == id) {
      return &t;
    }
  }
  return nullptr;
}

core::Result<DiaryStepResult> RecordStep(const Context& ctx, const Actor& actor,
                                         const DiaryStepInput& input) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, OrgForDiary(ctx, actor, input.org_id));
  const DiaryTemplate* t = FindDiaryTemplate(input.template_id);
  if (t == nullptr) {
    return core::NotFound("no diary template '" + input.template_id + "'", "template.not_found");
  }
  std::string entry_id = Lower(input.entry_id);
  if (entry_id.empty()) {
    entry_id = NewUuid(ctx.random);
  } else {
    VNTRACE_ASSIGN_OR_RETURN(std::optional<store::DiaryEntry> stored,
                             Existing(ctx, entry_id, org.id));
    if (stored.has_value()) {
      return DiaryStepResult{.entry = std::move(*stored), .replayed = true, .warnings = {}};
    }
  }
  std::vector<Issue> issues;
  core::Result<store::DiaryWrite> write =
      BuildStep(ctx, actor, org, *t, input, entry_id, nullptr, issues);
  if (!issues.empty()) {
    return std::move(issues.front().error);
  }
  if (!write.ok()) {
    return std::move(write).error();
  }
  core::Status stored = ctx.store.RecordDiary(std::span<const store::DiaryWrite>(&*write, 1));
  if (!stored.ok() && stored.error().code == core::ErrorCode::kAlreadyExists) {
    // Another request with the same entry id won the race: answer as a replay.
    core::Result<store::DiaryEntry> first = ctx.store.GetDiaryEntry(entry_id);
    if (first.ok() && first->org_id == org.id) {
      return DiaryStepResult{.entry = std::move(first).value(), .replayed = true, .warnings = {}};
    }
  }
  VNTRACE_RETURN_IF_ERROR(stored);
  DiaryStepResult result{.entry = write->entry, .replayed = false, .warnings = {}};
  VNTRACE_ASSIGN_OR_RETURN(result.warnings, WarningsFor(ctx, org.id, {result.entry}));
  return result;
}

core::Result<std::vector<store::DiaryEntry>> ListDiary(const Context& ctx, const Actor& actor,
                                                       std::string_view org_id,
                                                       const DiaryFilter& filter) {
  VNTRACE_RETURN_IF_ERROR(CheckRead(ctx, actor, org_id));
  return ctx.store.ListDiaryEntries({.org_id = std::string(org_id),
                                     .facility_id = filter.facility_id,
                                     .template_id = filter.template_id,
                                     .lot_id = filter.lot_id,
                                     .from = filter.from,
                                     .to = filter.to,
                                     .limit = std::clamp<std::size_t>(filter.limit, 1, 1000)});
}

core::Result<store::DiaryEntry> GetDiaryEntry(const Context& ctx, const Actor& actor,
                                              std::string_view entry_id) {
  VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry entry, ctx.store.GetDiaryEntry(Lower(entry_id)));
  VNTRACE_RETURN_IF_ERROR(CheckRead(ctx, actor, entry.org_id));
  return entry;
}

core::Result<std::vector<DiaryWarning>> ReviewDiary(const Context& ctx, const Actor& actor,
                                                    std::string_view org_id) {
  VNTRACE_RETURN_IF_ERROR(CheckRead(ctx, actor, org_id));
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::DiaryEntry> all, AllEntries(ctx, org_id));
  std::vector<DiaryWarning> out;
  for (const store::DiaryEntry& e : all) {
    if (e.template_id == "harvest") {
      CheckPhi(all, e, out);
    } else if (e.template_id == "ship") {
      CheckShipBeforeHarvest(ctx, all, e, out);
    }
  }
  CheckCopiedIntervals(all, out);
  return out;
}

core::Result<std::string> DiaryCsvTemplate(std::string_view template_id) {
  const DiaryTemplate* t = FindDiaryTemplate(template_id);
  if (t == nullptr) {
    return core::NotFound("no diary template '" + std::string(template_id) + "'",
                          "template.not_found");
  }
  std::string out = "\xEF\xBB\xBF";
  for (const DiaryField& f : t->fields) {
    out += (f.name == "facility" ? "" : ",") + CsvCell(HeaderLabel(f));
  }
  out += "," + CsvCell("Mã bản ghi (không bắt buộc) / Entry id, optional UUID (entry_id)");
  return out + "\r\n";
}

namespace {

// The rows of a bulk file (CSV or XLSX, header first) validated and stored as ImportDiaryCsv
// describes: the one validation path of both formats.
core::Result<DiaryImportResult> ImportRecords(const Context& ctx, const Actor& actor,
                                              const store::Organisation& org,
                                              const DiaryTemplate* t,
                                              const std::vector<CsvRecord>& records) {
  if (records.empty()) {
    return core::InvalidArgument("the file is empty", "csv.empty");
  }
  std::vector<std::string> keys;
  for (const std::string& cell : records.front().cells) {
    std::string key = HeaderKey(*t, cell);
    if (key.empty() && !Trim(cell).empty()) {
      return core::InvalidArgument(
          "unknown column '" + cell + "' for template " + std::string(t->id), "csv.header");
    }
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) != keys.end()) {
      return core::InvalidArgument("column '" + key + "' appears twice", "csv.header");
    }
    keys.push_back(std::move(key));
  }
  for (const DiaryField& f : t->fields) {
    if (f.required && std::find(keys.begin(), keys.end(), f.name) == keys.end()) {
      return core::InvalidArgument("the file has no column for '" + std::string(f.name) + "'",
                                   "csv.header");
    }
  }

  DiaryImportResult result;
  Batch batch;
  std::vector<store::DiaryWrite> writes;
  std::vector<store::DiaryEntry> replayed;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (std::all_of(record.cells.begin(), record.cells.end(),
                    [](const std::string& c) { return Trim(c).empty(); })) {
      continue;
    }
    if (record.cells.size() > keys.size()) {
      result.errors.push_back({record.line, "", "csv.columns",
                               fmt::format("the row has {} cells; the header has {}",
                                           record.cells.size(), keys.size())});
      continue;
    }
    DiaryStepInput input{.org_id = org.id, .template_id = std::string(t->id)};
    for (std::size_t c = 0; c < record.cells.size(); ++c) {
      if (keys[c].empty()) {
        continue;
      }
      if (keys[c] == "entry_id") {
        input.entry_id = Lower(Trim(record.cells[c]));
        continue;
      }
      const DiaryField* field = nullptr;
      for (const DiaryField& f : t->fields) {
        if (f.name == keys[c]) {
          field = &f;
        }
      }
      if (field != nullptr && field->repeated) {
        std::string_view rest = record.cells[c];
        while (true) {
          const std::size_t semi = rest.find(';');
          input.fields.emplace_back(keys[c], std::string(rest.substr(0, semi)));
          if (semi == std::string_view::npos) {
            break;
          }
          rest.remove_prefix(semi + 1);
        }
      } else {
        input.fields.emplace_back(keys[c], record.cells[c]);
      }
    }
    std::string entry_id = input.entry_id;
    if (entry_id.empty()) {
      entry_id = NewUuid(ctx.random);
    } else {
      core::Result<std::optional<store::DiaryEntry>> stored = Existing(ctx, entry_id, org.id);
      if (!stored.ok()) {
        result.errors.push_back(
            {record.line, "entry_id", stored.error().details, stored.error().message});
        continue;
      }
      if (stored->has_value()) {
        replayed.push_back(std::move(**stored));
        continue;
      }
      if (!batch.entry_ids.insert(entry_id).second) {
        result.errors.push_back({record.line, "entry_id", "entry_id.duplicate",
                                 "the entry id appears on an earlier row"});
        continue;
      }
    }
    std::vector<Issue> issues;
    core::Result<store::DiaryWrite> write =
        BuildStep(ctx, actor, org, *t, input, entry_id, &batch, issues);
    for (Issue& issue : issues) {
      result.errors.push_back({record.line, issue.field, issue.error.details, issue.error.message});
    }
    if (issues.empty() && !write.ok()) {
      result.errors.push_back({record.line, "", write.error().details, write.error().message});
    }
    if (issues.empty() && write.ok()) {
      for (const store::Lot& lot : write->new_lots) {
        batch.new_lots.push_back(lot);
      }
      writes.push_back(std::move(write).value());
    }
  }
  if (!result.errors.empty()) {
    return result;
  }
  VNTRACE_RETURN_IF_ERROR(ctx.store.RecordDiary(writes));
  std::vector<store::DiaryEntry> fresh;
  for (const store::DiaryWrite& w : writes) {
    fresh.push_back(w.entry);
  }
  VNTRACE_ASSIGN_OR_RETURN(result.warnings, WarningsFor(ctx, org.id, fresh));
  result.entries = std::move(replayed);
  result.entries.insert(result.entries.end(), fresh.begin(), fresh.end());
  return result;
}

// The template, after checking the actor may write the organisation's diary.
core::Result<std::pair<store::Organisation, const DiaryTemplate*>> ImportTarget(
    const Context& ctx, const Actor& actor, std::string_view org_id, std::string_view template_id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, OrgForDiary(ctx, actor, org_id));
  const DiaryTemplate* t = FindDiaryTemplate(template_id);
  if (t == nullptr) {
    return core::NotFound("no diary template '" + std::string(template_id) + "'",
                          "template.not_found");
  }
  return std::pair<store::Organisation, const DiaryTemplate*>(std::move(org), t);
}

}  // namespace

core::Result<DiaryImportResult> ImportDiaryCsv(const Context& ctx, const Actor& actor,
                                               std::string_view org_id,
                                               std::string_view template_id,
                                               std::string_view csv_text) {
  VNTRACE_ASSIGN_OR_RETURN(auto target, ImportTarget(ctx, actor, org_id, template_id));
  VNTRACE_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(csv_text));
  return ImportRecords(ctx, actor, target.first, target.second, records);
}

core::Result<DiaryImportResult> ImportDiaryXlsx(const Context& ctx, const Actor& actor,
                                                std::string_view org_id,
                                                std::string_view template_id,
                                                std::string_view xlsx_bytes) {
  VNTRACE_ASSIGN_OR_RETURN(auto target, ImportTarget(ctx, actor, org_id, template_id));
  VNTRACE_ASSIGN_OR_RETURN(
      std::vector<XlsxRow> rows,
      ReadXlsx(xlsx_bytes, {.max_file_bytes = kMaxCsvBytes, .max_rows = kMaxCsvRows + 1}));
  std::vector<CsvRecord> records;
  records.reserve(rows.size());
  for (XlsxRow& row : rows) {
    records.push_back({.line = row.row, .cells = std::move(row.cells)});
  }
  return ImportRecords(ctx, actor, target.first, target.second, records);
}

core::Result<DiaryImportResult> ImportDiaryFile(const Context& ctx, const Actor& actor,
                                                std::string_view org_id,
                                                std::string_view template_id,
                                                std::string_view file) {
  if (LooksLikeZip(file)) {
    return ImportDiaryXlsx(ctx, actor, org_id, template_id, file);
  }
  return ImportDiaryCsv(ctx, actor, org_id, template_id, file);
}

core::Result<std::string> DiaryXlsxTemplate(std::string_view template_id) {
  const DiaryTemplate* t = FindDiaryTemplate(template_id);
  if (t == nullptr) {
    return core::NotFound("no diary template '" + std::string(template_id) + "'",
                          "template.not_found");
  }
  XlsxSheet sheet{.name = std::string(t->name_vi)};
  auto add = [&sheet](std::string header) {
    // Wide enough for the Vietnamese label, the column a little wider than its longest line.
    std::size_t chars = 0;
    for (char c : header) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    sheet.columns.push_back(
        {.header = std::move(header), .width = std::clamp<double>(chars * 0.9 + 2, 14, 48)});
  };
  for (const DiaryField& f : t->fields) {
    add(HeaderLabel(f));
  }
  add("Mã bản ghi (không bắt buộc) / Entry id, optional UUID (entry_id)");
  return WriteXlsx(sheet);
}

core::Result<std::string> ExportProductsForGs1(const Context& ctx, const Actor& actor,
                                               std::string_view org_id) {
  VNTRACE_ASSIGN_OR_RETURN(store::Organisation org, ctx.store.GetOrganisation(org_id));
  if (!CanReadPrivate(actor, org)) {
    return core::PermissionDenied(actor.AuditName() + " may not export the products of '" +
                                  std::string(org_id) + "'");
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Product> products, ctx.store.ListProducts(org_id));
  std::string out =
      "\xEF\xBB\xBFGTIN,Tên sản phẩm / Product name,Nhãn hiệu / Brand,Mô tả / Description,"
      "Nhóm sản phẩm / Product group,Doanh nghiệp / Company,Thị trường mục tiêu / Target market,"
      "Hình ảnh / Image\r\n";
  for (const store::Product& p : products) {
    std::string image = p.image_ref;
    if (!image.empty() && !image.starts_with("https://") && !image.starts_with("http://")) {
      image = ctx.ids.base_url() + "/" + (image.front() == '/' ? image.substr(1) : image);
    }
    const std::array<std::string, 8> cells = {
        p.gtin,     p.name,
        p.brand,    p.description,
        p.category, org.name + (org.tax_code.empty() ? "" : " (MST " + org.tax_code + ")"),
        "Việt Nam", image};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += (i == 0 ? "" : ",") + CsvCell(cells[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace vntrace::registry
