#include "trace/generator.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "gs1/keys.hpp"

namespace vntrace::trace {
namespace {

constexpr std::int64_t kMinute = 60'000'000'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr int kOffsetMinutes = 420;  // Vietnam, +07:00
constexpr std::size_t kMaxOrganisations = 999'999;
constexpr std::string_view kStem = "https://id.gs1.org";
constexpr std::string_view kVntContext = R"("@context":[{"vnt":"https://vntrace.vn/voc/"}])";

// xoshiro256** seeded by splitmix64: fast, and the same sequence on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (std::uint64_t& s : state_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }
  // [0, bound); the tiny modulo bias is irrelevant for test data.
  std::uint64_t Below(std::uint64_t bound) { return bound == 0 ? 0 : Next() % bound; }
  // [lo, hi]
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

std::string Digits(std::uint64_t value, int width) {
  std::string s = std::to_string(value);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::string WithCheckDigit(std::string body) {
  const int check = gs1::ComputeCheckDigit(body);
  VNTRACE_ASSERT(check >= 0);  // bodies are built from digits here
  body.push_back(static_cast<char>('0' + check));
  return body;
}

// Hundredths of a kilogram as a JSON number: 51230 -> 512.3, 50000 -> 500.
std::string Kg(std::int64_t hundredths) {
  std::string s = std::to_string(hundredths / 100);
  const std::int64_t fraction = hundredths % 100;
  if (fraction != 0) {
    s += '.';
    s += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) s += static_cast<char>('0' + fraction % 10);
  }
  return s;
}

enum class Tier { kFarm, kCollector, kProcessor, kPacker, kDistributor, kRetailer };

struct Org {
  Tier tier;
  std::string gcp;  // 9 digits: 893 + 6
  std::string party_gln;
  std::string location_gln;
  bool prefers_urn = false;
  std::uint64_t counter = 0;  // lots, serials, SSCCs, documents
};

std::string Party(const Org& org) {
  return org.prefers_urn ? "urn:epc:id:pgln:" + org.gcp + ".000"
                         : std::string(kStem) + "/417/" + org.party_gln;
}
std::string Location(const Org& org) {
  return org.prefers_urn ? "urn:epc:id:sgln:" + org.gcp + ".001.0"
                         : std::string(kStem) + "/414/" + org.location_gln;
}

// A trade item of an organisation: GTIN 0 + GCP + 3-digit item reference + check digit.
struct Product {
  std::string gcp;
  std::string item_ref;  // 3 digits
  std::string gtin;
};

Product MakeProduct(const Org& org, int item) {
  Product p{org.gcp, Digits(static_cast<std::uint64_t>(item), 3), {}};
  p.gtin = WithCheckDigit("0" + p.gcp + p.item_ref);
  return p;
}

std::string LotDl(const Product& p, const std::string& lot) {
  return std::string(kStem) + "/01/" + p.gtin + "/10/" + lot;
}
std::string LotClass(const Product& p, const std::string& lot, bool urn) {
  return urn ? "urn:epc:class:lgtin:" + p.gcp + ".0" + p.item_ref + "." + lot : LotDl(p, lot);
}

struct Item {
  const Product* product;
  std::string serial;
  std::string lot;
};

enum class ItemForm { kUrn, kDl, kDlWithLot };

std::string ItemId(const Item& item, ItemForm form) {
  switch (form) {
    case ItemForm::kUrn:
      return "urn:epc:id:sgtin:" + item.product->gcp + ".0" + item.product->item_ref + "." +
             item.serial;
    case ItemForm::kDl:
      return std::string(kStem) + "/01/" + item.product->gtin + "/21/" + item.serial;
    case ItemForm::kDlWithLot:
      return std::string(kStem) + "/01/" + item.product->gtin + "/10/" + item.lot + "/21/" +
             item.serial;
  }
  return {};
}

struct Sscc {
  std::string gcp;
  std::string ext_and_serial;  // extension digit + 7-digit serial reference
  std::string digits;
};

Sscc MakeSscc(Org& org) {
  const std::uint64_t n = org.counter++;
  Sscc s{org.gcp, Digits(n % 10, 1) + Digits((n / 10) % 10'000'000, 7), {}};
  s.digits = WithCheckDigit(s.ext_and_serial.substr(0, 1) + s.gcp + s.ext_and_serial.substr(1));
  return s;
}

std::string SsccId(const Sscc& s, bool urn) {
  return urn ? "urn:epc:id:sscc:" + s.gcp + "." + s.ext_and_serial
             : std::string(kStem) + "/00/" + s.digits;
}

struct ProductLine {
  std::string_view raw_name;
  std::string_view dried_name;
  std::string_view packed_name;
  std::string_view code;         // two letters in lot numbers
  int yield_percent;             // dried mass per raw mass
  std::int64_t pack_hundredths;  // net mass of one consumer item
};

constexpr std::array<ProductLine, 4> kLines = {{
    {"Khổ qua rừng tươi", "Khổ qua rừng sấy khô (xá)", "Khổ qua rừng sấy khô 250g", "KQ", 12, 25},
    {"Thịt bò tươi", "Bò khô Nghĩa Ân (xá)", "Bò khô Nghĩa Ân 200g", "BK", 45, 20},
    {"Ớt chỉ thiên tươi", "Ớt sấy khô (xá)", "Ớt sấy khô 100g", "OT", 20, 10},
    {"Xoài cát Hòa Lộc", "Xoài sấy dẻo (xá)", "Xoài sấy dẻo 200g", "XS", 15, 20},
}};

// A quantity of a lot held somewhere.
struct Stock {
  const Product* product;
  std::string lot;
  std::int64_t hundredths;
  std::int64_t since;  // when it arrived, Unix nanoseconds
};

// The shape of one harvest-to-shelf cycle.
struct Shape {
  int min_farms, max_farms;
  int collectors;
  int max_runs;
  int min_cases, max_cases;
  int items_per_case;
  int min_retailers, max_retailers;
};

constexpr Shape kMiniShape{2, 2, 1, 1, 2, 2, 6, 2, 2};
constexpr Shape kFullShape{3, 6, 2, 2, 4, 8, 12, 2, 4};

// Appends JSON text. Strings here are built by this file, but escaped anyway.
class Json {
 public:
  Json& Raw(std::string_view text) {
    out_ += text;
    return *this;
  }
  Json& Key(std::string_view key) {
    if (need_comma_) out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
    need_comma_ = false;
    return *this;
  }
  Json& Str(std::string_view value) {
    if (need_comma_) out_ += ',';
    out_ += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
    need_comma_ = true;
    return *this;
  }
  Json& Num(std::string_view number) {
    if (need_comma_) out_ += ',';
    out_ += number;
    need_comma_ = true;
    return *this;
  }
  Json& Open(char bracket) {
    if (need_comma_) out_ += ',';
    out_ += bracket;
    need_comma_ = false;
    return *this;
  }
  Json& Close(char bracket) {
    out_ += bracket;
    need_comma_ = true;
    return *this;
  }
  Json& Field(std::string_view key, std::string_view value) { return Key(key).Str(value); }
  Json& StrList(std::string_view key, const std::vector<std::string>& values) {
    Key(key).Open('[');
    for (const std::string& v : values) Str(v);
    return Close(']');
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
  bool need_comma_ = false;
};

struct QuantityElement {
  std::string epc_class;
  std::int64_t hundredths;
};

struct Movement {
  Org* from;
  Org* to;
};

class ChainGenerator {
 public:
  ChainGenerator(const ChainOptions& options, const ChainEventSink& sink)
      : options_(options), sink_(sink), rng_(options.seed), id_rng_(options.seed ^ 0x5eed) {}

  core::Result<ChainSummary> Run() {
    VNTRACE_RETURN_IF_ERROR(Setup());
    std::int64_t t = options_.start.unix_nanos();
    do {
      const std::int64_t next =
          t + std::max<std::int64_t>(
                  1, static_cast<std::int64_t>(cycle_interval_ns_ * (0.5 + rng_.Unit())));
      Cycle(t);
      ++summary_.cycles;
      VNTRACE_RETURN_IF_ERROR(Flush(next));
      t = next;
    } while (queued_ + cycle_estimate_ / 2 < options_.target_events);
    VNTRACE_RETURN_IF_ERROR(Flush(INT64_MAX));
    return summary_;
  }

 private:
  struct Pending {
    std::int64_t key;
    std::uint64_t seq;
    std::string json;
    bool operator>(const Pending& o) const { return key != o.key ? key > o.key : seq > o.seq; }
  };

  core::Status Setup() {
    const std::uint64_t n = options_.target_events;
    if (n == 0) return core::InvalidArgument("target_events must be at least 1");
    if (!(options_.late_fraction >= 0 && options_.late_fraction <= 1) ||
        !(options_.error_fraction >= 0 && options_.error_fraction <= 1)) {
      return core::InvalidArgument("late_fraction and error_fraction must be within [0, 1]");
    }
    const bool default_cases = options_.min_cases == 0 && options_.max_cases == 0;
    if (!default_cases && !(options_.min_cases >= 1 && options_.min_cases <= options_.max_cases &&
                            options_.max_cases <= 10'000)) {
      return core::InvalidArgument(
          "min_cases and max_cases must both be 0 or satisfy 1 <= min_cases <= max_cases <= "
          "10000");
    }
    auto pick = [n](std::size_t given, std::uint64_t per, std::uint64_t lo, std::uint64_t hi) {
      return given != 0 ? given : static_cast<std::size_t>(std::clamp(n / per, lo, hi));
    };
    const std::size_t counts[] = {
        pick(options_.farms, 150, 8, 4000),         pick(options_.collectors, 1500, 2, 400),
        pick(options_.processors, 5000, 4, 200),    pick(options_.packers, 5000, 2, 200),
        pick(options_.distributors, 20000, 2, 100), pick(options_.retailers, 500, 4, 3000)};
    std::size_t total = 0;
    for (std::size_t c : counts) total += c;
    if (total > kMaxOrganisations) {
      return core::InvalidArgument("at most 999999 organisations");
    }
    std::uint64_t number = rng_.Below(100'000);  // first company prefix 893 + number
    for (std::size_t tier = 0; tier < std::size(counts); ++tier) {
      auto& orgs = tiers_[tier];
      orgs.reserve(counts[tier]);
      for (std::size_t i = 0; i < counts[tier]; ++i) {
        Org org{static_cast<Tier>(tier),
                "893" + Digits(number % 1'000'000, 6),
                {},
                {},
                rng_.Chance(0.5),
                0};
        number += 1 + rng_.Below(7);
        org.party_gln = WithCheckDigit(org.gcp + "000");
        org.location_gln = WithCheckDigit(org.gcp + "001");
        orgs.push_back(std::move(org));
      }
    }
    summary_.organisations = total;
    // Products: farms sell raw produce, processors bulk dried goods, packers consumer items.
    for (const auto& org : tiers_[0]) {
      for (std::size_t line = 0; line < kLines.size(); ++line) {
        raw_.push_back(MakeProduct(org, 10 + static_cast<int>(line)));
      }
    }
    for (const auto& org : tiers_[2]) {
      for (std::size_t line = 0; line < kLines.size(); ++line) {
        dried_.push_back(MakeProduct(org, 20 + static_cast<int>(line)));
      }
    }
    for (const auto& org : tiers_[3]) {
      for (std::size_t line = 0; line < kLines.size(); ++line) {
        packed_.push_back(MakeProduct(org, 30 + static_cast<int>(line)));
      }
    }
    stock_.resize(tiers_[1].size() * kLines.size());
    shape_ = n < 400 ? kMiniShape : kFullShape;
    if (!default_cases) {
      shape_.min_cases = options_.min_cases;
      shape_.max_cases = options_.max_cases;
    }
    cycle_estimate_ = n < 400 ? 32 : 110;
    // Events per simulated day grow with the size up to 5,000, which bounds the events in
    // flight (a cycle lasts up to about two weeks).
    const double per_day = std::clamp(static_cast<double>(n) / 30.0, 100.0, 5000.0);
    cycle_interval_ns_ = static_cast<double>(cycle_estimate_) / per_day * kDay;
    return core::Ok();
  }

  // ---- Event text ----

  std::string NewEventId() {
    const std::uint64_t a = id_rng_.Next();
    const std::uint64_t b = id_rng_.Next();
    char buffer[48];
    std::snprintf(buffer, sizeof(buffer), "urn:uuid:%08x-%04x-4%03x-%04x-%012llx",
                  static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                  static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buffer;
  }

  static std::string Time(std::int64_t nanos) {
    return core::FormatRfc3339(core::Timestamp::FromUnixNanos(nanos, kOffsetMinutes), 3);
  }

  // Starts an event object: type, eventID, eventTime, offset (and an extension context).
  Json Begin(std::string_view type, std::int64_t time, const std::string& id, bool vnt = false) {
    Json j;
    j.Open('{');
    if (vnt) j.Raw(kVntContext).Raw(",");
    j.Field("type", type).Field("eventID", id).Field("eventTime", Time(time));
    j.Field("eventTimeZoneOffset", "+07:00");
    return j;
  }

  static void Where(Json& j, const Org& org) {
    j.Key("readPoint").Open('{').Field("id", Location(org)).Close('}');
    j.Key("bizLocation").Open('{').Field("id", Location(org)).Close('}');
  }

  static void Quantities(Json& j, std::string_view key, const std::vector<QuantityElement>& q) {
    j.Key(key).Open('[');
    for (const QuantityElement& e : q) {
      j.Open('{').Field("epcClass", e.epc_class).Key("quantity").Num(Kg(e.hundredths));
      j.Field("uom", "KGM").Close('}');
    }
    j.Close(']');
  }

  void Movements(Json& j, const Movement& m, std::uint64_t document) {
    j.Key("bizTransactionList").Open('[').Open('{').Field("type", "desadv");
    j.Field("bizTransaction",
            "urn:epcglobal:cbv:bt:" + m.from->party_gln + ":" + std::to_string(document));
    j.Close('}').Close(']');
    j.Key("sourceList").Open('[');
    j.Open('{').Field("type", "owning_party").Field("source", Party(*m.from)).Close('}');
    j.Open('{').Field("type", "location").Field("source", Location(*m.from)).Close('}');
    j.Close(']');
    j.Key("destinationList").Open('[');
    j.Open('{').Field("type", "owning_party").Field("destination", Party(*m.to)).Close('}');
    j.Open('{').Field("type", "location").Field("destination", Location(*m.to)).Close('}');
    j.Close(']');
  }

  // Queues an event recorded at `time`, or later when it is one of the late ones.
  void Emit(std::int64_t time, Json&& j, bool may_be_late = true) {
    j.Close('}');
    std::int64_t key = time;
    if (may_be_late && rng_.Chance(options_.late_fraction)) {
      key += rng_.Between(6 * kHour, 3 * kDay);
      ++summary_.late_events;
    }
    Queue(key, std::move(j.text()));
  }

  void Queue(std::int64_t key, std::string&& json) {
    pending_.push_back(Pending{key, seq_++, std::move(json)});
    std::push_heap(pending_.begin(), pending_.end(), std::greater<>());
    ++queued_;
  }

  core::Status Flush(std::int64_t before) {
    while (!pending_.empty() && pending_.front().key < before) {
      std::pop_heap(pending_.begin(), pending_.end(), std::greater<>());
      Pending p = std::move(pending_.back());
      pending_.pop_back();
      ++summary_.events;
      VNTRACE_RETURN_IF_ERROR(sink_(GeneratedEvent{
          std::move(p.json), core::Timestamp::FromUnixNanos(p.key, kOffsetMinutes)}));
    }
    return core::Ok();
  }

  // ---- Events ----

  std::string NewLot(Org& org, std::string_view prefix, std::string_view code, std::int64_t time) {
    const std::string date = Time(time);  // YYYY-MM-DDT…
    return std::string(prefix) + std::string(code) + date.substr(2, 2) + date.substr(5, 2) +
           date.substr(8, 2) + "-" + std::to_string(++org.counter);
  }

  void Harvest(std::int64_t time, const Org& farm, const Product& p, const std::string& lot,
               std::int64_t hundredths, const ProductLine& line) {
    Json j = Begin("ObjectEvent", time, NewEventId(), true);
    j.Field("action", "ADD").Field("bizStep", "commissioning").Field("disposition", "active");
    Quantities(j, "quantityList", {{LotClass(p, lot, farm.prefers_urn), hundredths}});
    Where(j, farm);
    j.Key("ilmd").Open('{').Field("cbvmda:lotNumber", lot);
    j.Field("cbvmda:harvestStartDate", Time(time - 4 * kHour));
    j.Field("cbvmda:harvestEndDate", Time(time));
    j.Field("cbvmda:countryOfOrigin", "VN").Field("vnt:productName", line.raw_name);
    j.Close('}');
    ++summary_.object_events;
    Emit(time, std::move(j), false);
  }

  // A shipping event at `from` and the receiving event at `to`; returns the receipt time.
  std::int64_t Move(std::int64_t ship_time, const Movement& m,
                    const std::vector<QuantityElement>& quantities,
                    const std::vector<std::string>& epcs, bool may_err) {
    const std::uint64_t document = 100000 + ++m.from->counter;
    const std::int64_t receive_time = ship_time + rng_.Between(1 * kHour, 8 * kHour);
    for (int leg = 0; leg < 2; ++leg) {
      const bool ship = leg == 0;
      const Org& at = ship ? *m.from : *m.to;
      const std::int64_t time = ship ? ship_time : receive_time;
      auto build = [&](const std::string& id, const std::vector<QuantityElement>& q) {
        Json j = Begin("ObjectEvent", time, id);
        if (!epcs.empty()) j.StrList("epcList", epcs);
        j.Field("action", "OBSERVE").Field("bizStep", ship ? "shipping" : "receiving");
        j.Field("disposition", ship ? "in_transit" : "in_progress");
        if (!q.empty()) Quantities(j, "quantityList", q);
        Where(j, at);
        Movements(j, m, document);
        return j;
      };
      ++summary_.object_events;
      const bool wrong =
          !ship && may_err && !quantities.empty() && rng_.Chance(options_.error_fraction);
      if (!wrong) {
        Emit(time, build(NewEventId(), quantities));
        continue;
      }
      // Recorded with a slipped digit; declared erroneous and corrected a few days later.
      std::vector<QuantityElement> typo = quantities;
      typo[0].hundredths *= 10;
      const std::string id = NewEventId();
      const std::string corrective_id = NewEventId();
      Json original = build(id, typo);
      Json declared = original;
      const std::int64_t declared_at = time + rng_.Between(1 * kDay, 4 * kDay);
      declared.Key("errorDeclaration").Open('{').Field("declarationTime", Time(declared_at));
      declared.Field("reason", "incorrect_data");
      declared.StrList("correctiveEventIDs", {corrective_id}).Close('}').Close('}');
      Emit(time, std::move(original), false);
      Queue(declared_at, std::move(declared.text()));
      Emit(declared_at, build(corrective_id, quantities), false);
      ++summary_.error_declarations;
      ++summary_.object_events;  // the corrective event
    }
    return receive_time;
  }

  std::vector<std::size_t> Choose(std::size_t count, std::size_t k) {
    std::vector<std::size_t> chosen;
    k = std::min(k, count);
    while (chosen.size() < k) {
      const std::size_t i = rng_.Below(count);
      if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
    }
    return chosen;
  }

  void Cycle(std::int64_t t0) {
    const std::size_t line_index = rng_.Below(kLines.size());
    const ProductLine& line = kLines[line_index];
    auto& farms = tiers_[0];
    auto& collectors = tiers_[1];
    auto& processors = tiers_[2];
    auto& packers = tiers_[3];
    auto& distributors = tiers_[4];
    auto& retailers = tiers_[5];

    // The plan: what leaves the packer decides what must be harvested.
    const int runs = static_cast<int>(rng_.Between(1, shape_.max_runs));
    std::vector<int> cases_per_run;
    std::int64_t items_total = 0;
    for (int r = 0; r < runs; ++r) {
      cases_per_run.push_back(static_cast<int>(rng_.Between(shape_.min_cases, shape_.max_cases)));
      items_total += cases_per_run.back() * shape_.items_per_case;
    }
    const std::int64_t dried_needed = items_total * line.pack_hundredths;
    const std::int64_t raw_needed = dried_needed * 100 / line.yield_percent;
    const int farm_count = static_cast<int>(rng_.Between(shape_.min_farms, shape_.max_farms));

    // Farms harvest and ship parts of each lot to the cycle's collectors.
    const std::vector<std::size_t> collector_ids = Choose(collectors.size(), shape_.collectors);
    std::int64_t latest_receipt = t0;
    std::int64_t first_receipt = INT64_MAX;
    for (std::size_t f : Choose(farms.size(), farm_count)) {
      Org& farm = farms[f];
      const Product& p = raw_[f * kLines.size() + line_index];
      const std::int64_t harvest_time = t0 + rng_.Between(0, 6 * kHour);
      const std::string lot = NewLot(farm, "H", line.code, harvest_time);
      const std::int64_t amount =
          raw_needed / farm_count * rng_.Between(130, 200) / 100 / 10 * 10 + 1000;
      Harvest(harvest_time, farm, p, lot, amount, line);
      if (summary_.farm_lot.empty()) summary_.farm_lot = LotDl(p, lot);
      // Split the lot between collectors; a little stays at the farm.
      const std::size_t parts = collector_ids.size() == 1 ? 1 : rng_.Between(1, 2);
      std::int64_t left = amount * rng_.Between(85, 100) / 100;
      for (std::size_t part = 0; part < parts; ++part) {
        const std::size_t c = collector_ids[(part + f) % collector_ids.size()];
        const std::int64_t share =
            part + 1 == parts ? left : left * rng_.Between(30, 70) / 100 / 10 * 10;
        left -= share;
        const std::int64_t ship_time = harvest_time + rng_.Between(2 * kHour, 20 * kHour);
        const std::int64_t received = Move(ship_time, {&farm, &collectors[c]},
                                           {{LotClass(p, lot, farm.prefers_urn), share}}, {}, true);
        latest_receipt = std::max(latest_receipt, received);
        first_receipt = std::min(first_receipt, received);
        stock_[c * kLines.size() + line_index].push_back(Stock{&p, lot, share, received});
      }
    }

    // Collectors ship most of what they hold (older leftovers first) to one processor.
    // Processors specialise in one product line when there are enough of them.
    const std::size_t proc_index =
        processors.size() < kLines.size()
            ? rng_.Below(processors.size())
            : line_index +
                  kLines.size() * rng_.Below((processors.size() - line_index + kLines.size() - 1) /
                                             kLines.size());
    Org& processor = processors[proc_index];
    std::vector<std::vector<QuantityElement>> deliveries;  // per collector, as the processor sees
    std::int64_t at_processor = latest_receipt;
    for (std::size_t c : collector_ids) {
      Org& collector = collectors[c];
      const std::int64_t ship_time = latest_receipt + rng_.Between(2 * kHour, 20 * kHour);
      auto& held = stock_[c * kLines.size() + line_index];
      std::vector<QuantityElement> shipped;
      std::vector<Stock> kept;
      std::vector<QuantityElement> seen;
      for (Stock& s : held) {
        if (s.since >= ship_time) {
          kept.push_back(std::move(s));
          continue;
        }
        const bool fresh = s.since >= first_receipt;
        std::int64_t share = fresh ? s.hundredths * rng_.Between(60, 100) / 100 : s.hundredths;
        share = std::max<std::int64_t>(share, 1);
        if (share < s.hundredths)
          kept.push_back(Stock{s.product, s.lot, s.hundredths - share, s.since});
        shipped.push_back({LotClass(*s.product, s.lot, collector.prefers_urn), share});
        seen.push_back({LotClass(*s.product, s.lot, processor.prefers_urn), share});
      }
      held = std::move(kept);
      if (shipped.empty()) continue;
      at_processor =
          std::max(at_processor, Move(ship_time, {&collector, &processor}, shipped, {}, false));
      deliveries.push_back(std::move(seen));
    }

    // Drying: all deliveries into one dried lot, sometimes in two steps sharing an ID.
    const Product& dried = dried_[proc_index * kLines.size() + line_index];
    std::int64_t input_total = 0;
    std::vector<QuantityElement> inputs;
    for (const auto& d : deliveries) {
      for (const auto& e : d) {
        input_total += e.hundredths;
        inputs.push_back(e);
      }
    }
    std::int64_t dried_amount = std::max<std::int64_t>(
        input_total * line.yield_percent / 100 * rng_.Between(95, 105) / 100, 1);
    const std::int64_t dried_time = at_processor + rng_.Between(6 * kHour, 24 * kHour);
    const std::string dried_lot = NewLot(processor, "P", line.code, dried_time);
    const std::vector<QuantityElement> output = {
        {LotClass(dried, dried_lot, processor.prefers_urn), dried_amount}};
    if (inputs.size() >= 2 && rng_.Chance(0.3)) {
      const std::string transformation_id =
          "urn:epc:id:gdti:" + processor.gcp + ".001." + std::to_string(++processor.counter);
      const std::size_t half = inputs.size() / 2;
      const std::vector<QuantityElement> first(inputs.begin(), inputs.begin() + half);
      const std::vector<QuantityElement> second(inputs.begin() + half, inputs.end());
      Transform(dried_time - 4 * kHour, processor, first, {}, transformation_id, {}, {});
      Transform(dried_time, processor, second, output, transformation_id, dried_lot,
                line.dried_name);
    } else {
      Transform(dried_time, processor, inputs, output, {}, dried_lot, line.dried_name);
    }
    std::vector<std::pair<const Product*, std::string>> bulk_lots = {{&dried, dried_lot}};
    std::vector<std::int64_t> bulk_amounts = {dried_amount};
    std::int64_t bulk_ready = dried_time;
    if (rng_.Chance(0.08)) {
      // Rework: part of the lot goes through the dryer again and becomes a new lot.
      const std::int64_t rework = dried_amount * rng_.Between(10, 30) / 100;
      const std::int64_t rework_time = dried_time + rng_.Between(4 * kHour, 12 * kHour);
      const std::string rework_lot = NewLot(processor, "R", line.code, rework_time);
      const std::int64_t reworked = rework * 95 / 100;
      Transform(rework_time, processor,
                {{LotClass(dried, dried_lot, processor.prefers_urn), rework}},
                {{LotClass(dried, rework_lot, processor.prefers_urn), reworked}}, {}, rework_lot,
                line.dried_name);
      bulk_amounts[0] -= rework;
      bulk_lots.push_back({&dried, rework_lot});
      bulk_amounts.push_back(reworked);
      bulk_ready = rework_time;
    }

    // To the packer.
    Org& packer = packers[rng_.Below(packers.size())];
    const std::size_t packer_index = static_cast<std::size_t>(&packer - packers.data());
    const Product& packed = packed_[packer_index * kLines.size() + line_index];
    std::vector<QuantityElement> to_packer;
    std::vector<QuantityElement> at_packer;
    for (std::size_t i = 0; i < bulk_lots.size(); ++i) {
      to_packer.push_back(
          {LotClass(*bulk_lots[i].first, bulk_lots[i].second, processor.prefers_urn),
           bulk_amounts[i]});
      at_packer.push_back({LotClass(*bulk_lots[i].first, bulk_lots[i].second, packer.prefers_urn),
                           bulk_amounts[i]});
    }
    std::int64_t t = Move(bulk_ready + rng_.Between(2 * kHour, 12 * kHour), {&processor, &packer},
                          to_packer, {}, false);

    // Packing runs: items, cases, pallets; each pallet to a distributor, cases to retailers.
    for (int r = 0; r < runs; ++r) {
      t += rng_.Between(2 * kHour, 8 * kHour);
      const std::string lot = NewLot(packer, "L", line.code, t);
      const std::string lot_dl = LotDl(packed, lot);
      if (summary_.product_lot.empty()) summary_.product_lot = lot_dl;
      const int item_count = cases_per_run[r] * shape_.items_per_case;
      std::vector<Item> items;
      items.reserve(item_count);
      for (int i = 0; i < item_count; ++i) {
        items.push_back(Item{&packed, std::to_string(1'000'000 + ++packer.counter), lot});
      }
      summary_.items += items.size();
      std::vector<std::string> item_ids;
      for (const Item& item : items) {
        const std::uint64_t form = rng_.Below(10);
        item_ids.push_back(ItemId(item, form < 4   ? ItemForm::kUrn
                                        : form < 8 ? ItemForm::kDl
                                                   : ItemForm::kDlWithLot));
      }
      // Inputs: this run's share of every bulk lot.
      std::vector<QuantityElement> used;
      for (const QuantityElement& e : at_packer) {
        used.push_back({e.epc_class, std::max<std::int64_t>(e.hundredths / runs, 1)});
      }
      const std::string expiry = Time(t + 365 * kDay).substr(0, 10);
      if (rng_.Chance(0.5)) {
        // One TransformationEvent: bulk in, serialised items out, lot in its ILMD.
        Json j = Begin("TransformationEvent", t, NewEventId(), true);
        Quantities(j, "inputQuantityList", used);
        j.StrList("outputEPCList", item_ids);
        j.Field("bizStep", "commissioning").Field("disposition", "active");
        Where(j, packer);
        PackedIlmd(j, lot, expiry, line);
        ++summary_.transformation_events;
        Emit(t, std::move(j));
      } else {
        // A class-level transformation, then the items commissioned into that lot.
        Transform(t, packer, used,
                  {{LotClass(packed, lot, packer.prefers_urn), item_count * line.pack_hundredths}},
                  {}, lot, line.packed_name);
        Json j = Begin("ObjectEvent", t + 10 * kMinute, NewEventId(), true);
        j.StrList("epcList", item_ids);
        j.Field("action", "ADD").Field("bizStep", "commissioning").Field("disposition", "active");
        Where(j, packer);
        PackedIlmd(j, lot, expiry, line);
        ++summary_.object_events;
        Emit(t + 10 * kMinute, std::move(j));
      }
      t += 20 * kMinute;
      // Cases of items_per_case, then one pallet.
      std::vector<Sscc> cases;
      std::vector<std::string> case_ids;
      for (int c = 0; c < cases_per_run[r]; ++c) {
        cases.push_back(MakeSscc(packer));
        case_ids.push_back(SsccId(cases.back(), packer.prefers_urn));
        const auto first = item_ids.begin() + c * shape_.items_per_case;
        Aggregate(t + c * kMinute, packer, case_ids.back(), {first, first + shape_.items_per_case},
                  "ADD", "packing", "in_progress");
      }
      const Sscc pallet = MakeSscc(packer);
      if (summary_.pallet.empty()) summary_.pallet = SsccId(pallet, false);
      t += cases_per_run[r] * kMinute + 10 * kMinute;
      Aggregate(t, packer, SsccId(pallet, packer.prefers_urn), case_ids, "ADD", "packing",
                "in_progress");

      Org& distributor = distributors[rng_.Below(distributors.size())];
      std::int64_t dt = Move(t + rng_.Between(1 * kHour, 12 * kHour), {&packer, &distributor}, {},
                             {SsccId(pallet, packer.prefers_urn)}, false);
      dt += rng_.Between(1 * kHour, 3 * kHour);
      std::vector<std::string> dist_case_ids;
      for (const Sscc& s : cases) dist_case_ids.push_back(SsccId(s, distributor.prefers_urn));
      Aggregate(dt, distributor, SsccId(pallet, distributor.prefers_urn), dist_case_ids, "DELETE",
                "unpacking", "in_progress");

      // Cases go round-robin to a few retailers.
      const std::vector<std::size_t> shops = Choose(
          retailers.size(),
          static_cast<std::size_t>(rng_.Between(shape_.min_retailers, shape_.max_retailers)));
      for (std::size_t s = 0; s < shops.size(); ++s) {
        Org& shop = retailers[shops[s]];
        std::vector<std::size_t> mine;
        for (std::size_t c = s; c < cases.size(); c += shops.size()) mine.push_back(c);
        if (mine.empty()) continue;
        std::vector<std::string> ids;
        for (std::size_t c : mine) ids.push_back(SsccId(cases[c], distributor.prefers_urn));
        std::int64_t st =
            Move(dt + rng_.Between(1 * kHour, 12 * kHour), {&distributor, &shop}, {}, ids, false);
        for (std::size_t c : mine) {
          st += rng_.Between(30 * kMinute, 3 * kHour);
          std::vector<std::string> children;
          std::vector<const Item*> shelf;
          for (int i = 0; i < shape_.items_per_case; ++i) {
            const Item& item = items[c * shape_.items_per_case + i];
            children.push_back(ItemId(item, shop.prefers_urn ? ItemForm::kUrn : ItemForm::kDl));
            shelf.push_back(&item);
          }
          Aggregate(st, shop, SsccId(cases[c], shop.prefers_urn), children, "DELETE", "unpacking",
                    "sellable_accessible");
          Sell(st, shop, shelf);
        }
      }
    }
  }

  void PackedIlmd(Json& j, const std::string& lot, const std::string& expiry,
                  const ProductLine& line) {
    j.Key("ilmd").Open('{').Field("cbvmda:lotNumber", lot);
    j.Field("cbvmda:itemExpirationDate", expiry).Field("cbvmda:countryOfOrigin", "VN");
    j.Field("vnt:productName", line.packed_name).Close('}');
  }

  void Transform(std::int64_t time, const Org& at, const std::vector<QuantityElement>& inputs,
                 const std::vector<QuantityElement>& outputs, const std::string& id,
                 const std::string& output_lot, std::string_view product_name) {
    Json j = Begin("TransformationEvent", time, NewEventId(), !output_lot.empty());
    if (!inputs.empty()) Quantities(j, "inputQuantityList", inputs);
    if (!outputs.empty()) Quantities(j, "outputQuantityList", outputs);
    if (!id.empty()) j.Field("transformationID", id);
    j.Field("bizStep", outputs.empty() ? "other" : "creating_class_instance");
    j.Field("disposition", "in_progress");
    Where(j, at);
    if (!output_lot.empty()) {
      j.Key("ilmd").Open('{').Field("cbvmda:lotNumber", output_lot);
      j.Field("vnt:productName", product_name).Close('}');
    }
    ++summary_.transformation_events;
    Emit(time, std::move(j));
  }

  void Aggregate(std::int64_t time, const Org& at, const std::string& parent,
                 const std::vector<std::string>& children, std::string_view action,
                 std::string_view biz_step, std::string_view disposition) {
    Json j = Begin("AggregationEvent", time, NewEventId());
    j.Field("parentID", parent).StrList("childEPCs", children);
    j.Field("action", action).Field("bizStep", biz_step).Field("disposition", disposition);
    Where(j, at);
    ++summary_.aggregation_events;
    Emit(time, std::move(j));
  }

  // Items of one case sold over the following days, one to four at a time.
  void Sell(std::int64_t time, const Org& shop, const std::vector<const Item*>& shelf) {
    std::size_t i = 0;
    while (i < shelf.size()) {
      const std::size_t n = std::min<std::size_t>(shelf.size() - i, 1 + rng_.Below(4));
      time += rng_.Between(1 * kHour, 30 * kHour);
      std::vector<std::string> sold;
      for (std::size_t k = 0; k < n; ++k) {
        const ItemForm form = shop.prefers_urn   ? ItemForm::kUrn
                              : rng_.Chance(0.3) ? ItemForm::kDlWithLot
                                                 : ItemForm::kDl;
        sold.push_back(ItemId(*shelf[i + k], form));
      }
      if (summary_.retail_item.empty()) summary_.retail_item = ItemId(*shelf[i], ItemForm::kDl);
      i += n;
      Json j = Begin("ObjectEvent", time, NewEventId());
      j.StrList("epcList", sold);
      j.Field("action", "OBSERVE").Field("bizStep", "retail_selling");
      j.Field("disposition", "retail_sold");
      Where(j, shop);
      ++summary_.object_events;
      Emit(time, std::move(j));
    }
  }

  const ChainOptions& options_;
  const ChainEventSink& sink_;
  Rng rng_;
  Rng id_rng_;
  std::array<std::vector<Org>, 6> tiers_;
  std::vector<Product> raw_, dried_, packed_;  // [org * kLines.size() + line]
  std::vector<std::vector<Stock>> stock_;      // [collector * kLines.size() + line]
  Shape shape_ = kFullShape;
  std::uint64_t cycle_estimate_ = 0;
  double cycle_interval_ns_ = 0;
  std::vector<Pending> pending_;  // a min-heap on (key, seq)
  std::uint64_t seq_ = 0;
  std::uint64_t queued_ = 0;
  ChainSummary summary_;
};

}  // namespace

core::Result<ChainSummary> GenerateChain(const ChainOptions& options, const ChainEventSink& sink) {
  return ChainGenerator(options, sink).Run();
}

core::Result<ChainSummary> GenerateChainDocuments(const ChainOptions& options,
                                                  std::size_t per_document,
                                                  const ChainDocumentSink& sink) {
  if (per_document == 0) return core::InvalidArgument("per_document must be at least 1");
  std::string document;
  std::size_t in_document = 0;
  std::uint64_t documents = 0;
  core::Timestamp last;
  auto finish = [&]() -> core::Status {
    document += "]}}\n";
    ++documents;
    const std::string head =
        R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)"
        R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":")" +
        core::FormatRfc3339(last, 3) + R"(","epcisBody":{"eventList":[)";
    document.insert(0, head);
    VNTRACE_RETURN_IF_ERROR(sink(std::move(document)));
    document.clear();
    in_document = 0;
    return core::Ok();
  };
  core::Result<ChainSummary> summary =
      GenerateChain(options, [&](GeneratedEvent&& event) -> core::Status {
        if (in_document > 0) document += ",\n";
        document += event.json;
        last = event.recorded;
        if (++in_document == per_document) return finish();
        return core::Ok();
      });
  if (!summary.ok()) return summary;
  if (in_document > 0) VNTRACE_RETURN_IF_ERROR(finish());
  summary->documents = documents;
  return summary;
}

}  // namespace vntrace::trace
