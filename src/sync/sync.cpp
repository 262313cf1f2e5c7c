#include "sync/sync.hpp"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/log.hpp"
#include "core/time.hpp"

namespace vntrace::sync {
namespace {

constexpr std::string_view kEpcisContext =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
constexpr std::size_t kMaxErrorText = 300;

std::string Shorten(std::string_view text) {
  std::string out(text.substr(0, kMaxErrorText));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

// The EPCISDocument of `changes`, each event once (an event and its later declaration in the
// same batch are the same stored JSON).
core::Result<std::string> Document(const std::vector<store::SyncChange>& changes,
                                   const core::Clock& clock) {
  boost::json::array events;
  std::set<std::string_view> seen;
  for (const store::SyncChange& change : changes) {
    if (!seen.insert(change.event_id).second) continue;
    boost::system::error_code ec;
    boost::json::value event = boost::json::parse(change.json, ec);
    if (ec || !event.is_object()) {
      return core::Internal("stored event '" + change.event_id + "' is not a JSON object");
    }
    events.push_back(std::move(event));
  }
  boost::json::object body;
  body["eventList"] = std::move(events);
  boost::json::object document;
  document["@context"] = boost::json::array{boost::json::string(kEpcisContext)};
  document["type"] = "EPCISDocument";
  document["schemaVersion"] = "2.0";
  document["creationDate"] = core::FormatRfc3339UtcMillis(clock.Now());
  document["epcisBody"] = std::move(body);
  return boost::json::serialize(document);
}

// The path (from the origin's root) of a Location header answered to a POST to `capture_path`:
// an absolute URL on the same origin, a path from the root, or a path relative to the capture
// resource. kFailedPrecondition for another origin.
core::Result<std::string> ResolveLocation(std::string_view location, std::string_view origin,
                                          std::string_view capture_path) {
  if (location.starts_with("http://") || location.starts_with("https://")) {
    if (!location.starts_with(origin) ||
        (location.size() > origin.size() && location[origin.size()] != '/')) {
      return core::FailedPrecondition("the capture job is on another server: " +
                                      std::string(location));
    }
    return std::string(location.substr(origin.size()));
  }
  if (location.starts_with("/")) return std::string(location);
  return std::string(capture_path) + "/" + std::string(location);
}

// Follows the capture job at `job_path` until it ends: Ok when it succeeded.
core::Status AwaitJob(Transport& transport, const std::string& job_path,
                      const std::map<std::string, std::string>& headers,
                      const SyncOptions& options) {
  for (int attempt = 0; attempt < options.job_poll_limit; ++attempt) {
    VNTRACE_ASSIGN_OR_RETURN(Reply reply, transport.Send("GET", job_path, {}, headers));
    if (reply.status != 200) {
      return core::Unavailable("capture job " + job_path + ": HTTP " +
                               std::to_string(reply.status) + " " + Shorten(reply.body));
    }
    boost::system::error_code ec;
    const boost::json::value job = boost::json::parse(reply.body, ec);
    const boost::json::object* o = ec ? nullptr : job.if_object();
    const boost::json::value* running = o ? o->if_contains("running") : nullptr;
    const boost::json::value* success = o ? o->if_contains("success") : nullptr;
    if (running == nullptr || !running->is_bool()) {
      return core::Unavailable("capture job " + job_path +
                               " is not a capture job: " + Shorten(reply.body));
    }
    if (!running->as_bool()) {
      if (success != nullptr && success->is_bool() && success->as_bool()) return core::Ok();
      const boost::json::value* errors = o->if_contains("errors");
      return core::FailedPrecondition(
          "the receiver refused the events: " +
          Shorten(errors != nullptr ? boost::json::serialize(*errors) : reply.body));
    }
    std::this_thread::sleep_for(options.job_poll);
  }
  return core::Unavailable("capture job " + job_path + " still running after " +
                           std::to_string(options.job_poll_limit) + " reads");
}

core::Status Deliver(const std::vector<store::SyncChange>& changes,
                     const store::SyncDestination& destination, Transport& transport,
                     const core::Clock& clock, const SyncOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(DestinationUrl url, SplitDestinationUrl(destination.url));
  VNTRACE_ASSIGN_OR_RETURN(std::string document, Document(changes, clock));
  std::map<std::string, std::string> headers = {{"Accept", "application/json"}};
  if (!destination.authorization.empty()) headers["Authorization"] = destination.authorization;
  std::map<std::string, std::string> post_headers = headers;
  post_headers["Content-Type"] = "application/ld+json";
  const std::string capture_path = url.path + "/capture";
  VNTRACE_ASSIGN_OR_RETURN(Reply reply,
                           transport.Send("POST", capture_path, document, post_headers));
  if (reply.status == 202) {
    auto location = reply.headers.find("location");
    if (location == reply.headers.end()) {
      return core::Unavailable("the receiver accepted the capture without a Location");
    }
    VNTRACE_ASSIGN_OR_RETURN(std::string job,
                             ResolveLocation(location->second, url.origin, capture_path));
    return AwaitJob(transport, job, headers, options);
  }
  if (reply.status >= 200 && reply.status < 300) return core::Ok();
  std::string what = "HTTP " + std::to_string(reply.status) + " " + Shorten(reply.body);
  // A request the receiver refuses as such (4xx other than rate limits and timeouts) will be
  // refused again: still retried, but reported as the receiver's refusal.
  if (reply.status >= 400 && reply.status < 500 && reply.status != 408 && reply.status != 429) {
    return core::FailedPrecondition("the receiver refused the events: " + what);
  }
  return core::Unavailable(what);
}

}  // namespace

core::Result<DestinationUrl> SplitDestinationUrl(std::string_view url) {
  std::string_view rest;
  std::string_view scheme;
  if (url.starts_with("https://")) {
    scheme = "https://";
  } else if (url.starts_with("http://")) {
    scheme = "http://";
  } else {
    return core::InvalidArgument("a destination URL starts with http:// or https://", "sync.url");
  }
  rest = url.substr(scheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos ||
      rest.find_first_of(" \t\r\n") != std::string_view::npos) {
    return core::InvalidArgument("a destination URL has no query, fragment or spaces", "sync.url");
  }
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (authority.empty() || authority.front() == ':' ||
      authority.find('@') != std::string_view::npos) {
    return core::InvalidArgument("a destination URL names a host (without credentials)",
                                 "sync.url");
  }
  DestinationUrl out{.origin = std::string(scheme) + std::string(authority)};
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    out.path = std::string(path);
  }
  return out;
}

std::chrono::milliseconds Backoff(const SyncOptions& options, int failures) {
  std::chrono::milliseconds wait = options.first_backoff;
  for (int i = 1; i < failures && wait < options.max_backoff; ++i) wait *= 2;
  return std::min(wait, options.max_backoff);
}

core::Result<std::size_t> DeliverOnce(store::Store& store,
                                      const store::SyncDestination& destination,
                                      Transport& transport, const core::Clock& clock,
                                      const SyncOptions& options) {
  store::SyncStore& sync = store.sync();
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::SyncChange> changes,
                           sync.ReadEventChanges(destination.cursor, options.batch_events));
  if (changes.empty()) return std::size_t{0};
  core::Status delivered = Deliver(changes, destination, transport, clock, options);
  if (!delivered.ok()) {
    VNTRACE_RETURN_IF_ERROR(
        sync.RecordSyncFailure(destination.id, delivered.error().message, clock.Now()));
    return std::move(delivered).error();
  }
  VNTRACE_RETURN_IF_ERROR(sync.RecordSyncSuccess(destination.id, changes.back().leaf_index,
                                                 static_cast<std::int64_t>(changes.size()),
                                                 clock.Now()));
  return changes.size();
}

SyncService::SyncService(store::Store& store, const core::Clock& clock, TransportFactory transports,
                         SyncOptions options)
    : store_(store), clock_(clock), transports_(std::move(transports)), options_(options) {}

SyncService::~SyncService() { Stop(); }

void SyncService::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void SyncService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SyncService::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool SyncService::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [this] { return stopping_ || woken_; });
  woken_ = false;
  return !stopping_;
}

void SyncService::Run() {
  struct State {
    std::string origin;
    std::unique_ptr<Transport> transport;
    std::chrono::steady_clock::time_point next_attempt{};
  };
  std::map<std::string, State> states;  // by destination id
  while (true) {
    bool more = false;
    core::Result<std::vector<store::SyncDestination>> destinations =
        store_.sync().ListSyncDestinations();
    if (!destinations.ok()) {
      core::LogWarning("sync", {{"error", destinations.error().ToString()}});
    }
    const auto now = std::chrono::steady_clock::now();
    for (const store::SyncDestination& d :
         destinations.ok() ? *destinations : std::vector<store::SyncDestination>{}) {
      if (!d.enabled) continue;
      State& state = states[d.id];
      if (now < state.next_attempt) continue;
      core::Result<DestinationUrl> url = SplitDestinationUrl(d.url);
      if (!url.ok()) {
        (void)store_.sync().RecordSyncFailure(d.id, url.error().message, clock_.Now());
        state.next_attempt = now + options_.max_backoff;
        continue;
      }
      if (!state.transport || state.origin != url->origin) {
        core::Result<std::unique_ptr<Transport>> made = transports_(url->origin);
        if (!made.ok()) {
          (void)store_.sync().RecordSyncFailure(d.id, made.error().message, clock_.Now());
          state.next_attempt = now + options_.max_backoff;
          continue;
        }
        state.transport = std::move(*made);
        state.origin = url->origin;
      }
      core::Result<std::size_t> delivered =
          DeliverOnce(store_, d, *state.transport, clock_, options_);
      if (!delivered.ok()) {
        state.transport.reset();  // a fresh connection next time
        state.next_attempt = std::chrono::steady_clock::now() + Backoff(options_, d.failures + 1);
        core::LogWarning("sync", {{"destination", d.id}, {"error", delivered.error().message}});
      } else if (*delivered == options_.batch_events) {
        more = true;  // a full batch: there may be more right away
      }
    }
    if (!Wait(more ? std::chrono::milliseconds(0) : options_.idle_poll)) return;
  }
}

}  // namespace vntrace::sync
