#include "trace/generator.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "epcis/document.hpp"
#include "gs1/epc_urn.hpp"

namespace vntrace::trace {
namespace {

namespace json = boost::json;

std::vector<std::string> Documents(const ChainOptions& options, std::size_t per_document,
                                   ChainSummary* summary = nullptr) {
  std::vector<std::string> documents;
  auto result = GenerateChainDocuments(options, per_document, [&](std::string&& doc) {
    documents.push_back(std::move(doc));
    return core::Ok();
  });
  EXPECT_TRUE(result.ok()) << result.error().ToString();
  if (summary != nullptr && result.ok()) *summary = *result;
  return documents;
}

std::vector<epcis::Event> Decode(const std::vector<std::string>& documents) {
  std::vector<epcis::Event> events;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    epcis::DecodeResult r = epcis::DecodeDocument(documents[d], {});
    for (std::size_t i = 0; i < r.issues.size() && i < 5; ++i) {
      ADD_FAILURE() << "document " << d << ": " << r.issues[i].ToString();
    }
    for (epcis::Event& e : r.events) events.push_back(std::move(e));
  }
  return events;
}

struct SizeCase {
  std::uint64_t seed;
  std::uint64_t target;
  std::size_t per_document;
};

class GeneratorValidity : public testing::TestWithParam<SizeCase> {};

TEST_P(GeneratorValidity, EveryEventPassesTheValidator) {
  const SizeCase c = GetParam();
  ChainSummary summary;
  const std::vector<std::string> documents =
      Documents({.seed = c.seed, .target_events = c.target}, c.per_document, &summary);
  const std::vector<epcis::Event> events = Decode(documents);
  EXPECT_EQ(events.size(), summary.events);
  EXPECT_EQ(documents.size(), summary.documents);
  EXPECT_EQ(documents.size(), (summary.events + c.per_document - 1) / c.per_document);
  EXPECT_GE(summary.events, c.target * 8 / 10);
  EXPECT_LE(summary.events, c.target * 13 / 10 + 40);
  EXPECT_EQ(summary.events, summary.object_events + summary.aggregation_events +
                                summary.transformation_events + summary.error_declarations);
}

INSTANTIATE_TEST_SUITE_P(Sizes, GeneratorValidity,
                         testing::Values(SizeCase{1, 30, 1000}, SizeCase{2, 100, 7},
                                         SizeCase{3, 1000, 100}, SizeCase{4, 5000, 1000},
                                         SizeCase{5, 20000, 1000}));

TEST(Generator, SameSeedSameBytesOtherSeedOtherBytes) {
  const ChainOptions options{.seed = 42, .target_events = 3000};
  EXPECT_EQ(Documents(options, 500), Documents(options, 500));
  ChainOptions other = options;
  other.seed = 43;
  EXPECT_NE(Documents(options, 500), Documents(other, 500));
}

TEST(Generator, EventsComeInRecordedOrder) {
  std::vector<core::Timestamp> times;
  std::uint64_t out_of_event_time_order = 0;
  core::Timestamp latest_event_time;
  auto result = GenerateChain({.seed = 9, .target_events = 5000}, [&](GeneratedEvent&& e) {
    times.push_back(e.recorded);
    const json::object o = json::parse(e.json).as_object();
    auto t = core::ParseRfc3339(o.at("eventTime").as_string());
    EXPECT_TRUE(t.ok());
    if (t->unix_nanos() < latest_event_time.unix_nanos()) ++out_of_event_time_order;
    if (t->unix_nanos() > latest_event_time.unix_nanos()) latest_event_time = *t;
    EXPECT_LE(t->unix_nanos(), e.recorded.unix_nanos());
    return core::Ok();
  });
  ASSERT_TRUE(result.ok());
  for (std::size_t i = 1; i < times.size(); ++i) {
    ASSERT_LE(times[i - 1].unix_nanos(), times[i].unix_nanos()) << i;
  }
  // Late events and error declarations break eventTime order, and only they do.
  EXPECT_GT(result->late_events, 0u);
  EXPECT_GT(out_of_event_time_order, 0u);
  EXPECT_LE(out_of_event_time_order, result->late_events + 2 * result->error_declarations);
}

// The canonical Digital Link of an SGTIN given as an EPC URN or a Digital Link (with or without
// its lot), or "" for anything else.
std::string CanonicalItem(std::string_view id) {
  if (id.starts_with("urn:epc:id:sgtin:")) {
    auto dl = gs1::EpcUrnToDigitalLink(id);
    return dl.ok() ? gs1::CanonicalDigitalLink(*dl) : "";
  }
  if (id.starts_with("https://id.gs1.org/01/") && id.find("/21/") != std::string_view::npos) {
    const std::size_t lot = id.find("/10/");
    if (lot == std::string_view::npos) return std::string(id);
    return std::string(id.substr(0, lot)) + std::string(id.substr(id.find("/21/")));
  }
  return "";
}

TEST(Generator, ItemsAppearInBothFormsAndBelongToTheirLot) {
  ChainSummary summary;
  const std::vector<epcis::Event> events =
      Decode(Documents({.seed = 11, .target_events = 4000}, 1000, &summary));
  std::set<std::string> as_urn, as_dl, as_dl_with_lot, with_lot;
  std::set<std::string> transformation_ids_seen_twice, transformation_ids;
  std::set<std::string> biz_steps;
  std::size_t class_inputs_max = 0;
  std::size_t declarations = 0;
  std::map<std::string, int> event_ids;
  for (const epcis::Event& e : events) {
    ++event_ids[e.event_id];
    biz_steps.insert(e.biz_step);
    if (e.error_declaration_time.has_value()) ++declarations;
    for (std::string_view list : {"epcList", "childEPCs", "outputEPCList"}) {
      const json::value* ids = e.json.if_contains(list);
      if (ids == nullptr) continue;
      for (const json::value& id : ids->as_array()) {
        const std::string_view s = id.as_string();
        if (s.find("sscc") != s.npos || s.starts_with("https://id.gs1.org/00/")) continue;
        const std::string canonical = CanonicalItem(s);
        ASSERT_FALSE(canonical.empty()) << s;
        (s.starts_with("urn:")      ? as_urn
         : s.find("/10/") != s.npos ? as_dl_with_lot
                                    : as_dl)
            .insert(canonical);
      }
    }
    std::size_t class_inputs = 0;
    for (const epcis::IndexEntry& i : e.index) {
      if (i.kind == epcis::IndexKind::kInstanceLot) with_lot.insert(i.type);
      if (i.kind == epcis::IndexKind::kInputEpcClass) ++class_inputs;
      if (i.kind == epcis::IndexKind::kTransformationId &&
          !transformation_ids.insert(i.value).second) {
        transformation_ids_seen_twice.insert(i.value);
      }
    }
    class_inputs_max = std::max(class_inputs_max, class_inputs);
  }
  std::size_t both = 0;
  for (const std::string& item : as_urn) both += as_dl.count(item) + as_dl_with_lot.count(item);
  EXPECT_GT(both, 100u);
  EXPECT_FALSE(as_dl_with_lot.empty());
  // Every item seen anywhere was commissioned into a lot.
  for (const auto* set : {&as_urn, &as_dl, &as_dl_with_lot}) {
    for (const std::string& item : *set) ASSERT_TRUE(with_lot.count(item)) << item;
  }
  EXPECT_EQ(with_lot.size(), summary.items);
  EXPECT_FALSE(transformation_ids_seen_twice.empty());
  EXPECT_GE(class_inputs_max, 3u);
  for (std::string step : {"commissioning", "shipping", "receiving", "creating_class_instance",
                           "packing", "unpacking", "retail_selling"}) {
    EXPECT_TRUE(biz_steps.count(step)) << step;
  }
  // An error declaration repeats the eventID of the event it declares erroneous.
  EXPECT_EQ(declarations, summary.error_declarations);
  EXPECT_GT(declarations, 0u);
  std::size_t repeated = 0;
  for (const auto& [id, n] : event_ids) repeated += n == 2 ? 1 : 0;
  EXPECT_EQ(repeated, declarations);
  // The sample identifiers are canonical Digital Links.
  EXPECT_TRUE(summary.farm_lot.starts_with("https://id.gs1.org/01/")) << summary.farm_lot;
  EXPECT_NE(summary.product_lot.find("/10/L"), std::string::npos) << summary.product_lot;
  EXPECT_TRUE(with_lot.count(summary.retail_item)) << summary.retail_item;
  EXPECT_TRUE(summary.pallet.starts_with("https://id.gs1.org/00/")) << summary.pallet;
}

TEST(Generator, CasesPerRunSetThePackingRunSize) {
  // 10 cases of 12 items in every run: every packing run commissions 120 items.
  std::map<std::string, std::set<std::string>> items_per_lot;
  ChainSummary summary;
  const std::vector<epcis::Event> events = Decode(Documents(
      {.seed = 5, .target_events = 3000, .min_cases = 10, .max_cases = 10}, 1000, &summary));
  for (const epcis::Event& e : events) {
    for (const epcis::IndexEntry& entry : e.index) {
      if (entry.kind == epcis::IndexKind::kInstanceLot) {
        items_per_lot[entry.value].insert(entry.type);
      }
    }
  }
  ASSERT_FALSE(items_per_lot.empty());
  for (const auto& [lot, items] : items_per_lot) EXPECT_EQ(items.size(), 120u) << lot;
  EXPECT_EQ(summary.items, items_per_lot.size() * 120);
}

TEST(Generator, RefusesBadOptionsAndStopsOnSinkError) {
  auto ok_sink = [](GeneratedEvent&&) { return core::Ok(); };
  EXPECT_EQ(GenerateChain({.target_events = 0}, ok_sink).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(GenerateChain({.target_events = 10, .late_fraction = 2}, ok_sink).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(GenerateChain({.target_events = 10, .farms = 1'000'000}, ok_sink).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      GenerateChain({.target_events = 10, .min_cases = 5, .max_cases = 4}, ok_sink).error().code,
      core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      GenerateChain({.target_events = 10, .min_cases = 0, .max_cases = 3}, ok_sink).error().code,
      core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(GenerateChainDocuments({}, 0, [](std::string&&) { return core::Ok(); }).error().code,
            core::ErrorCode::kInvalidArgument);
  int calls = 0;
  auto failing = GenerateChain({.target_events = 1000}, [&](GeneratedEvent&&) -> core::Status {
    if (++calls == 3) return core::Unavailable("disk full");
    return core::Ok();
  });
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(failing.error().message, "disk full");
  EXPECT_EQ(calls, 3);
}

// Generation speed: run in a release build with --gtest_also_run_disabled_tests.
TEST(Generator, DISABLED_MillionEvents) {
  std::uint64_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  auto summary =
      GenerateChainDocuments({.seed = 1, .target_events = 1'000'000}, 1000, [&](std::string&& doc) {
        bytes += doc.size();
        return core::Ok();
      });
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(summary.ok());
  std::printf("%llu events, %llu MB in %.2f s\n", static_cast<unsigned long long>(summary->events),
              static_cast<unsigned long long>(bytes >> 20), took.count());
}

}  // namespace
}  // namespace vntrace::trace
