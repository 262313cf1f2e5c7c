// Outbound sync against a receiver in the test: a second store behind a fake Transport that
// answers as the EPCIS capture interface does (202 and a capture job), with faults on demand.
#include "sync/sync.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "epcis/document.hpp"
#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"
#include "store/store.hpp"

namespace vntrace::sync {
namespace {

using store::testing::EventBuilder;

core::Timestamp T(std::int64_t seconds) { return core::Timestamp::FromUnixSeconds(seconds); }

std::unique_ptr<store::Store> OpenIn(const store::testing::TempDir& dir) {
  core::Result<std::unique_ptr<store::Store>> opened =
      store::OpenStore({.location = "sqlite:" + (dir.path() / "db").string()});
  EXPECT_TRUE(opened.ok()) << opened.error().ToString();
  return std::move(opened).value();
}

// The receiving repository: decodes each captured document as the capture interface does and
// stores it; `fail_next` answers refuse the connection, `status_next` answers that status.
class Receiver final : public Transport {
 public:
  explicit Receiver(store::Store& store) : store_(store) {}

  core::Result<Reply> Send(std::string_view method, std::string_view target, std::string_view body,
                           const std::map<std::string, std::string>& headers) override {
    requests.push_back(std::string(method) + " " + std::string(target));
    last_headers = headers;
    if (fail_next > 0) {
      --fail_next;
      return core::Unavailable("connection refused");
    }
    if (method == "GET") {
      auto job = jobs_.find(std::string(target));
      if (job == jobs_.end()) return Reply{.status = 404};
      return Reply{.status = 200, .body = job->second};
    }
    if (target != "/epcis/capture") return Reply{.status = 404};
    if (status_next != 0) {
      Reply reply{.status = status_next, .body = "{\"title\":\"busy\"}"};
      status_next = 0;
      return reply;
    }
    epcis::DecodeResult decoded = epcis::DecodeDocument(body, {.record_time = T(9'000)});
    const std::string id = "/epcis/capture/job" + std::to_string(jobs_.size() + 1);
    if (!decoded.issues.empty() || refuse_next) {
      refuse_next = false;
      jobs_[id] = R"({"running":false,"success":false,"errors":[{"type":"ValidationException"}]})";
    } else {
      core::Result<store::CaptureOutcome> stored =
          store_.CaptureDocument(decoded.events, decoded.master_data);
      if (!stored.ok()) return Reply{.status = 500, .body = stored.error().ToString()};
      documents.push_back(decoded.events.size());
      jobs_[id] = R"({"running":false,"success":true,"errors":[]})";
    }
    return Reply{.status = 202, .headers = {{"location", id}}};
  }

  std::vector<std::string> requests;
  std::vector<std::size_t> documents;  // events per stored document
  std::map<std::string, std::string> last_headers;
  int fail_next = 0;
  int status_next = 0;
  bool refuse_next = false;

 private:
  store::Store& store_;
  std::map<std::string, std::string> jobs_;
};

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = OpenIn(source_dir_);
    target_ = OpenIn(target_dir_);
    receiver_ = std::make_unique<Receiver>(*target_);
    ASSERT_TRUE(source_->sync()
                    .CreateSyncDestination({.id = "portal",
                                            .name = "Cổng quốc gia",
                                            .url = "https://portal.example/epcis/",
                                            .authorization = "Bearer k",
                                            .national_portal = true,
                                            .created_at = T(1)},
                                           {.at = T(1),
                                            .actor = "cli",
                                            .action = "create",
                                            .entity = "sync_destination",
                                            .entity_id = "portal"})
                    .ok());
  }

  void Capture(int from, int to) {
    std::vector<epcis::Event> events;
    for (int i = from; i < to; ++i) {
      events.push_back(EventBuilder("urn:uuid:e" + std::to_string(i))
                           .EventTimeSeconds(1000 + i)
                           .Epc("urn:epc:id:sgtin:0614141.107346." + std::to_string(i))
                           .BizStep("shipping")
                           .Build());
    }
    ASSERT_TRUE(source_->CaptureEvents(events).ok());
  }

  store::SyncDestination Destination() { return *source_->sync().GetSyncDestination("portal"); }

  core::Result<std::size_t> Deliver(std::size_t batch = 500) {
    return DeliverOnce(*source_, Destination(), *receiver_, clock_,
                       {.batch_events = batch, .job_poll = std::chrono::milliseconds(1)});
  }

  std::int64_t Stored(store::Store& s) {
    core::Result<store::EventPage> page = s.QueryEvents({}, {.limit = 10000});
    EXPECT_TRUE(page.ok());
    return page.ok() ? static_cast<std::int64_t>(page->events.size()) : -1;
  }

  core::FakeClock clock_{T(5000)};
  store::testing::TempDir source_dir_, target_dir_;
  std::unique_ptr<store::Store> source_, target_;
  std::unique_ptr<Receiver> receiver_;
};

TEST(SyncUrlTest, SplitsOriginAndPath) {
  core::Result<DestinationUrl> url = SplitDestinationUrl("https://portal.example:8443/epcis/");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->origin, "https://portal.example:8443");
  EXPECT_EQ(url->path, "/epcis");
  EXPECT_EQ(SplitDestinationUrl("http://127.0.0.1:9")->path, "");
  for (const char* bad : {"ftp://x/epcis", "https://", "https://u:p@x/epcis", "https://x/e?q=1",
                          "portal.example/epcis", "https://x/a b"}) {
    EXPECT_EQ(SplitDestinationUrl(bad).error().details, "sync.url") << bad;
  }
}

TEST(SyncUrlTest, BackoffDoublesUpToTheMaximum) {
  const SyncOptions options{.first_backoff = std::chrono::milliseconds(1000),
                            .max_backoff = std::chrono::milliseconds(60000)};
  EXPECT_EQ(Backoff(options, 1).count(), 1000);
  EXPECT_EQ(Backoff(options, 2).count(), 2000);
  EXPECT_EQ(Backoff(options, 4).count(), 8000);
  EXPECT_EQ(Backoff(options, 7).count(), 60000);
  EXPECT_EQ(Backoff(options, 1000).count(), 60000);
}

TEST_F(SyncTest, DeliversInBatchesInOrderWithTheSecretAndMovesTheCursor) {
  Capture(0, 25);
  ASSERT_EQ(*Deliver(10), 10u);
  EXPECT_EQ(receiver_->requests.front(), "POST /epcis/capture");
  EXPECT_EQ(receiver_->requests.at(1), "GET /epcis/capture/job1");
  EXPECT_EQ(receiver_->last_headers["Authorization"], "Bearer k");
  ASSERT_EQ(*Deliver(10), 10u);
  ASSERT_EQ(*Deliver(10), 5u);
  EXPECT_EQ(*Deliver(10), 0u);  // up to date: nothing sent
  EXPECT_EQ(receiver_->documents, (std::vector<std::size_t>{10, 10, 5}));
  EXPECT_EQ(Stored(*target_), 25);
  const store::SyncDestination d = Destination();
  EXPECT_EQ(d.delivered, 25);
  EXPECT_EQ(d.last_success_at, T(5000));
  EXPECT_EQ(*source_->sync().CountEventChangesAfter(d.cursor), 0);
  // The receiver has the same events, in the same order, with the same content.
  core::Result<store::EventPage> sent = source_->QueryEvents({}, {.limit = 100});
  core::Result<store::EventPage> got = target_->QueryEvents({}, {.limit = 100});
  ASSERT_TRUE(sent.ok() && got.ok());
  for (std::size_t i = 0; i < 25; ++i) {
    EXPECT_EQ(got->events[i].event_id, sent->events[i].event_id);
  }
}

TEST_F(SyncTest, FailuresKeepTheCursorAndARetrySendsEachEventOnce) {
  Capture(0, 5);
  receiver_->fail_next = 1;
  core::Result<std::size_t> refused = Deliver();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
  receiver_->status_next = 503;
  ASSERT_FALSE(Deliver().ok());
  receiver_->refuse_next = true;
  core::Result<std::size_t> job_failed = Deliver();
  ASSERT_FALSE(job_failed.ok());
  EXPECT_EQ(job_failed.error().code, core::ErrorCode::kFailedPrecondition);
  store::SyncDestination d = Destination();
  EXPECT_EQ(d.failures, 3);
  EXPECT_EQ(d.cursor, -1);
  EXPECT_NE(d.last_error.find("ValidationException"), std::string::npos) << d.last_error;

  ASSERT_EQ(*Deliver(), 5u);
  d = Destination();
  EXPECT_EQ(d.failures, 0);
  EXPECT_EQ(d.last_error, "");
  EXPECT_EQ(Stored(*target_), 5);

  // The cursor lost (a crash after the receiver stored, before the cursor moved): the batch
  // goes again and the receiver stores nothing twice.
  store::SyncDestination stale = d;
  stale.cursor = -1;
  ASSERT_EQ(
      *DeliverOnce(*source_, stale, *receiver_, clock_, {.job_poll = std::chrono::milliseconds(1)}),
      5u);
  EXPECT_EQ(Stored(*target_), 5);
}

TEST_F(SyncTest, AnErrorDeclarationMadeAfterDeliveryReachesTheReceiver) {
  Capture(0, 3);
  ASSERT_EQ(*Deliver(), 3u);
  const epcis::Event declaration = EventBuilder("urn:uuid:e1")
                                       .EventTimeSeconds(1001)
                                       .Epc("urn:epc:id:sgtin:0614141.107346.1")
                                       .BizStep("shipping")
                                       .ErrorDeclaration(T(2000), "incorrect_data")
                                       .Build();
  ASSERT_TRUE(source_->CaptureEvents({&declaration, 1}).ok());
  ASSERT_EQ(*Deliver(), 1u);
  core::Result<store::StoredEvent> got = target_->GetEvent("urn:uuid:e1");
  ASSERT_TRUE(got.ok());
  EXPECT_NE(got->json.find("errorDeclaration"), std::string::npos) << got->json;
  EXPECT_EQ(Stored(*target_), 3);
}

TEST_F(SyncTest, TheServiceCatchesUpAndStops) {
  Capture(0, 40);
  std::atomic<int> made{0};
  SyncService service(
      *source_, clock_,
      [&](std::string_view origin) -> core::Result<std::unique_ptr<Transport>> {
        EXPECT_EQ(origin, "https://portal.example");
        ++made;
        // The receiver outlives the service; hand out a forwarding transport.
        struct Forward final : Transport {
          Receiver* r;
          explicit Forward(Receiver* receiver) : r(receiver) {}
          core::Result<Reply> Send(std::string_view m, std::string_view t, std::string_view b,
                                   const std::map<std::string, std::string>& h) override {
            return r->Send(m, t, b, h);
          }
        };
        return std::unique_ptr<Transport>(std::make_unique<Forward>(receiver_.get()));
      },
      {.batch_events = 16,
       .idle_poll = std::chrono::milliseconds(20),
       .job_poll = std::chrono::milliseconds(1)});
  service.Start();
  for (int i = 0; i < 500 && Destination().delivered < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Capture(40, 45);
  service.Wake();
  for (int i = 0; i < 500 && Destination().delivered < 45; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  service.Stop();
  EXPECT_EQ(Destination().delivered, 45);
  EXPECT_EQ(Stored(*target_), 45);
  EXPECT_EQ(made.load(), 1);
}

}  // namespace
}  // namespace vntrace::sync
