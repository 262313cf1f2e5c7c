// trace::testing: a temporary SQLite store and a small EPCIS event writer for the trace tests.
// Events are written as EPCIS 2.0 JSON and captured through the real decoder, so that what the
// tests trace is what a capture over HTTP would have stored.
//
// Thread-safety: test fixtures; one per test.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "core/time.hpp"
#include "epcis/document.hpp"
#include "gs1/keys.hpp"
#include "store/store.hpp"
#include "trace/graph.hpp"

namespace vntrace::trace::testing {

// A GTIN-14 with a valid check digit from 13 digits.
inline std::string Gtin(std::string body13) {
  return body13 + std::to_string(gs1::ComputeCheckDigit(body13));
}
inline std::string LotId(const std::string& gtin, const std::string& lot) {
  return "https://id.gs1.org/01/" + gtin + "/10/" + lot;
}
inline std::string ItemId(const std::string& gtin, const std::string& serial) {
  return "https://id.gs1.org/01/" + gtin + "/21/" + serial;
}
inline std::string SsccId(std::string body17) {
  return "https://id.gs1.org/00/" + body17 + std::to_string(gs1::ComputeCheckDigit(body17));
}
inline std::string GlnId(std::string body12) {
  return "https://id.gs1.org/414/" + body12 + std::to_string(gs1::ComputeCheckDigit(body12));
}
inline std::string PartyId(std::string body12) {
  return "https://id.gs1.org/417/" + body12 + std::to_string(gs1::ComputeCheckDigit(body12));
}

// "2026-03-01T{hour}:00:00+07:00"
inline std::string At(int hour) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "2026-03-%02dT%02d:00:00+07:00", 1 + hour / 24, hour % 24);
  return buffer;
}

inline boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

inline boost::json::array Quantities(const std::vector<std::pair<std::string, double>>& list) {
  boost::json::array out;
  for (const auto& [cls, quantity] : list) {
    out.push_back(boost::json::object{{"epcClass", cls}, {"quantity", quantity}, {"uom", "KGM"}});
  }
  return out;
}

inline boost::json::object Base(std::string_view type, const std::string& id, int hour) {
  return boost::json::object{
      {"type", type}, {"eventID", id}, {"eventTime", At(hour)}, {"eventTimeZoneOffset", "+07:00"}};
}

// `events` as one EPCIS 2.0 document, decoded as a capture decodes it (recordTime: the epoch).
inline epcis::DecodeResult DecodeEvents(std::vector<boost::json::object> events) {
  boost::json::array list;
  for (auto& e : events) list.push_back(std::move(e));
  boost::json::object doc{
      {"@context",
       boost::json::array{"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
      {"type", "EPCISDocument"},
      {"schemaVersion", "2.0"},
      {"creationDate", "2026-04-01T00:00:00Z"},
      {"epcisBody", boost::json::object{{"eventList", std::move(list)}}}};
  return epcis::DecodeDocument(boost::json::serialize(doc),
                               {.record_time = core::Timestamp::FromUnixNanos(0)});
}

class TraceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vntrace-trace-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto opened = store::OpenStore({.location = (dir_ / "t.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Captures `events` as one EPCIS document; fails the test on any validation issue.
  void Capture(std::vector<boost::json::object> events) {
    epcis::DecodeResult decoded = DecodeEvents(std::move(events));
    for (const auto& issue : decoded.issues) {
      ADD_FAILURE() << issue.ToString();
    }
    ASSERT_TRUE(decoded.issues.empty());
    auto outcome = store_->CaptureEvents(decoded.events);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  }

  TraceResult Run(const std::string& id, Direction direction, std::optional<int> depth = {}) {
    TraceOptions options;
    options.direction = direction;
    options.depth = depth;
    auto result = Trace(*store_, id, options);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? std::move(*result) : TraceResult{};
  }

  // The ids of the nodes of `kinds` (all kinds when empty).
  static std::set<std::string> Ids(const TraceResult& r, std::set<NodeKind> kinds = {}) {
    std::set<std::string> out;
    for (const Node& n : r.nodes) {
      if (kinds.empty() || kinds.contains(n.kind)) out.insert(n.id);
    }
    return out;
  }
  static std::set<std::string> Things(const TraceResult& r) {
    return Ids(r, {NodeKind::kLot, NodeKind::kItem, NodeKind::kContainer});
  }
  static const Node* Find(const TraceResult& r, const std::string& id) {
    for (const Node& n : r.nodes) {
      if (n.id == id) return &n;
    }
    return nullptr;
  }
  static bool HasEdge(const TraceResult& r, const std::string& from, const std::string& to,
                      EdgeKind kind) {
    for (const Edge& e : r.edges) {
      if (e.from == from && e.to == to && e.kind == kind) return true;
    }
    return false;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace vntrace::trace::testing
