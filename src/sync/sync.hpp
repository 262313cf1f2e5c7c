// sync: outbound sync of the stored events to other EPCIS 2.0 repositories — the national
// traceability portal, a province's or a buyer's repository (store/sync_store.hpp).
//
// Each destination has a cursor in the tamper-evident log. A delivery reads the changes after it
// (new events and error declarations, in acceptance order), sends them as one EPCISDocument to
// the destination's capture interface (POST {url}/capture), follows the capture job it answers
// with until the job ends, and only then moves the cursor. A failure (refused connection,
// timeout, a 4xx/5xx answer, a job that failed) leaves the cursor where it was and is retried
// with exponential back-off. Delivery is at least once: a crash between the receiver storing a
// batch and the cursor moving sends that batch again, and the receiver skips the eventIDs it
// already has (EPCIS capture is idempotent by eventID).
//
// Layering: sync uses store, epcis and core; the HTTP client comes from the composition root as a
// Transport (cli/http_client in the server), so tests drive deliveries with a fake receiver.
//
// Thread-safety: DeliverOnce is a plain function (one call per destination at a time);
// SyncService runs one thread and is safe to Stop from another.
//
// Example (the server's composition root):
//   sync::SyncService service(store, clock, [](std::string_view origin) { return
//   MakeTransport(origin); }); service.Start();
//   ...
//   service.Stop();
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace vntrace::sync {

struct Reply {
  int status = 0;
  std::string body{};
  std::map<std::string, std::string> headers{};  // names in lower case
};

// A connection to one origin ("https://portal.example:443"). Any HTTP status is a reply;
// kUnavailable when the exchange fails (refused, reset, timed out).
class Transport {
 public:
  virtual ~Transport() = default;
  // `target` is the path and query from the origin's root ("/epcis/capture").
  virtual core::Result<Reply> Send(std::string_view method, std::string_view target,
                                   std::string_view body,
                                   const std::map<std::string, std::string>& headers) = 0;
};

// Makes the transport for an origin; kInvalidArgument when it cannot.
using TransportFactory =
    std::function<core::Result<std::unique_ptr<Transport>>(std::string_view origin)>;

// "https://portal.example/epcis" → origin "https://portal.example", path "/epcis". http and
// https only, a host, no query or fragment; the path loses its trailing '/'. kInvalidArgument
// otherwise.
struct DestinationUrl {
  std::string origin{};
  std::string path{};
};
core::Result<DestinationUrl> SplitDestinationUrl(std::string_view url);

struct SyncOptions {
  std::size_t batch_events = 500;             // changes per EPCISDocument
  std::chrono::milliseconds idle_poll{1000};  // how often an up-to-date destination is checked
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::milliseconds max_backoff{60000};
  std::chrono::milliseconds job_poll{50};  // between reads of a running capture job
  int job_poll_limit = 600;                // reads before a running job counts as a failure
};

// The wait before the next attempt after `failures` consecutive failures (≥ 1): first_backoff
// doubled for each further failure, at most max_backoff.
std::chrono::milliseconds Backoff(const SyncOptions& options, int failures);

// One delivery to `destination`: up to options.batch_events changes after its cursor. Returns how
// many changes were delivered (0 when it is up to date), having recorded the success in the
// store; on failure records it (SyncStore::RecordSyncFailure) and returns the error
// (kUnavailable for the receiver, kFailedPrecondition for a capture the receiver refused).
core::Result<std::size_t> DeliverOnce(store::Store& store,
                                      const store::SyncDestination& destination,
                                      Transport& transport, const core::Clock& clock,
                                      const SyncOptions& options = {});

// Delivers to every enabled destination on one background thread, each destination's failures
// backing off on their own, until Stop.
class SyncService {
 public:
  SyncService(store::Store& store, const core::Clock& clock, TransportFactory transports,
              SyncOptions options = {});
  ~SyncService();  // stops
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  void Start();
  // Ends the current delivery's wait and the thread; the cursor of a delivery under way is not
  // moved unless it completed.
  void Stop();
  // Checks the destinations now rather than at the next poll (after a capture).
  void Wake();

 private:
  void Run();
  bool Wait(std::chrono::milliseconds timeout);  // false once stopping

  store::Store& store_;
  const core::Clock& clock_;
  TransportFactory transports_;
  const SyncOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool woken_ = false;     // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace vntrace::sync
