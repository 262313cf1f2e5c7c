#include "cli/ledger_commands.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "cli/http_client.hpp"
#include "core/clock.hpp"
#include "core/sha256.hpp"
#include "core/time.hpp"
#include "epcis/event_hash.hpp"
#include "ledger/log.hpp"
#include "ledger/merkle.hpp"
#include "ledger/tree_head.hpp"
#include "store/store.hpp"

namespace vntrace::cli {
namespace {

namespace json = boost::json;

constexpr int kExitMismatch = 1;
constexpr int kExitInvalid = 2;
constexpr int kExitUnaudited = 3;
constexpr std::string_view kHashIdPrefix = "ni:///sha-256;";

struct VerifyArgs {
  std::string url;
  int rounds = 1;
  int interval = 60;
  std::string api_key;
  std::vector<std::string> events;
  int max_events = 1000;
  std::string state;
  int timeout = 30;
};

struct LogArgs {
  std::string db = "vntrace.db";
  std::string log_key;
  std::string to;
  std::string origin;
  int timeout = 30;
};

int Fail(int code, const core::Error& error) {
  std::fprintf(stderr, "vntrace: %s\n", error.message.c_str());
  return code;
}

std::string KeyPath(const LogArgs& args) {
  return args.log_key.empty() ? args.db + ".log-key" : args.log_key;
}

std::string ShowTime(std::int64_t unix_ms) {
  return core::FormatRfc3339(core::Timestamp::FromUnixMillis(unix_ms), 3);
}

// The detail of a problem+json answer, or the start of its body.
std::string DetailOf(const HttpReply& reply) {
  boost::system::error_code ec;
  json::value body = json::parse(reply.body, ec);
  if (!ec && body.is_object()) {
    if (const json::value* detail = body.as_object().if_contains("detail");
        detail != nullptr && detail->is_string()) {
      return std::string(detail->as_string());
    }
  }
  return reply.body.substr(0, 200);
}

core::Result<json::object> JsonObject(const HttpReply& reply, std::string_view what) {
  if (reply.status != 200) {
    return core::Unavailable(std::string(what) + " answered " + std::to_string(reply.status) +
                             ": " + DetailOf(reply));
  }
  boost::system::error_code ec;
  json::value body = json::parse(reply.body, ec);
  if (ec || !body.is_object()) {
    return core::Unavailable(std::string(what) + " did not answer a JSON object");
  }
  return std::move(body.as_object());
}

core::Result<std::string> StringField(const json::object& object, std::string_view key,
                                      std::string_view what) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return core::Unavailable(std::string(what) + " has no string \"" + std::string(key) + "\"");
  }
  return std::string(value->as_string());
}

core::Result<std::int64_t> CountField(const json::object& object, std::string_view key,
                                      std::string_view what) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_int64() || value->as_int64() < 0) {
    return core::Unavailable(std::string(what) + " has no whole number \"" + std::string(key) +
                             "\"");
  }
  return value->as_int64();
}

core::Result<std::vector<ledger::Hash>> HashesField(const json::object& object,
                                                    std::string_view key, std::string_view what) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_array()) {
    return core::Unavailable(std::string(what) + " has no array \"" + std::string(key) + "\"");
  }
  std::vector<ledger::Hash> out;
  for (const json::value& item : value->as_array()) {
    if (!item.is_string()) {
      return core::Unavailable(std::string(what) + ": \"" + std::string(key) +
                               "\" must hold base64 strings");
    }
    core::Result<ledger::Hash> hash = ledger::HashFromBase64(item.as_string(), key);
    if (!hash.ok()) {
      return core::Unavailable(std::string(what) + ": " + hash.error().message);
    }
    out.push_back(*hash);
  }
  return out;
}

// A signed tree head as GET /api/v1/log/sth gives it (and --state keeps it).
core::Result<store::TreeHead> ParseHead(const json::object& object, std::string_view what) {
  store::TreeHead head;
  VNTRACE_ASSIGN_OR_RETURN(head.tree_size, CountField(object, "tree_size", what));
  VNTRACE_ASSIGN_OR_RETURN(head.timestamp_ms, CountField(object, "timestamp", what));
  VNTRACE_ASSIGN_OR_RETURN(std::string root, StringField(object, "root_hash", what));
  core::Result<ledger::Hash> root_hash = ledger::HashFromBase64(root, "root_hash");
  if (!root_hash.ok())
    return core::Unavailable(std::string(what) + ": " + root_hash.error().message);
  head.root_hash = *root_hash;
  VNTRACE_ASSIGN_OR_RETURN(std::string signature, StringField(object, "signature", what));
  core::Result<std::string> bytes =
      ledger::FromBase64(signature, "signature", ledger::kSignatureSize);
  if (!bytes.ok()) return core::Unavailable(std::string(what) + ": " + bytes.error().message);
  head.signature = std::move(*bytes);
  return head;
}

json::object HeadJson(const store::TreeHead& head) {
  return json::object{{"tree_size", head.tree_size},
                      {"timestamp", head.timestamp_ms},
                      {"root_hash", ledger::Base64(head.root_hash)},
                      {"signature", ledger::Base64(head.signature)}};
}

// ---- vntrace verify

// An event to prove, with the leaf data its content gives.
struct Tracked {
  std::string event_id;
  std::string leaf_data;
  bool done = false;
};

class Auditor {
 public:
  Auditor(const VerifyArgs& args, HttpClient& client) : args_(args), client_(client) {}

  int Run() {
    core::Status ran = Audit();
    if (!ran.ok()) {
      std::printf("could not finish the audit: %s\n", ran.error().message.c_str());
      return kExitUnaudited;
    }
    std::printf(
        "checked %d tree head signature(s), %d consistency proof(s), %d inclusion proof(s); "
        "%d problem(s)\n",
        heads_, consistency_, included_, problems_);
    if (problems_ > 0) {
      std::printf("MISMATCH: the log of %s does not verify\n", client_.base().ToString().c_str());
      return kExitMismatch;
    }
    std::printf("OK: the log of %s verifies\n", client_.base().ToString().c_str());
    return 0;
  }

 private:
  void Problem(const std::string& text) {
    ++problems_;
    std::printf("MISMATCH %s\n", text.c_str());
  }

  core::Status Audit() {
    VNTRACE_RETURN_IF_ERROR(FetchKey());
    VNTRACE_RETURN_IF_ERROR(LoadState());
    if (!args_.api_key.empty()) {
      VNTRACE_RETURN_IF_ERROR(FetchEvents());
    }
    for (const std::string& id : args_.events) {
      VNTRACE_RETURN_IF_ERROR(FetchEvent(id));
    }
    std::printf("events to prove: %zu\n", tracked_.size());
    for (int round = 0; round < args_.rounds; ++round) {
      if (round > 0) {
        std::fflush(stdout);
        std::this_thread::sleep_for(std::chrono::seconds(args_.interval));
      }
      VNTRACE_RETURN_IF_ERROR(Round(round + 1));
    }
    for (const Tracked& t : tracked_) {
      if (!t.done) {
        Problem("event " + t.event_id + ": in no signed tree head seen in " +
                std::to_string(args_.rounds) + " round(s)");
      }
    }
    if (problems_ == 0 && !args_.state.empty() && last_.has_value()) {
      VNTRACE_RETURN_IF_ERROR(SaveState());
    }
    return core::Ok();
  }

  core::Status FetchKey() {
    VNTRACE_ASSIGN_OR_RETURN(HttpReply reply, client_.Get("/api/v1/log/key"));
    VNTRACE_ASSIGN_OR_RETURN(json::object body, JsonObject(reply, "GET /api/v1/log/key"));
    VNTRACE_ASSIGN_OR_RETURN(std::string key, StringField(body, "public_key", "the key"));
    core::Result<std::string> bytes = ledger::FromBase64(key, "public_key", ledger::kPublicKeySize);
    if (!bytes.ok()) return core::Unavailable(bytes.error().message);
    public_key_ = std::move(*bytes);
    std::printf("log key: %s\n", key.c_str());
    return core::Ok();
  }

  // The head and key the last successful run saw (--state), if any.
  core::Status LoadState() {
    if (args_.state.empty()) {
      return core::Ok();
    }
    std::ifstream in(args_.state);
    if (!in) {
      std::printf("state: %s does not exist yet; it will hold this run's last tree head\n",
                  args_.state.c_str());
      return core::Ok();
    }
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value state = json::parse(text.str(), ec);
    if (ec || !state.is_object() || !state.as_object().contains("sth") ||
        !state.at("sth").is_object()) {
      return core::InvalidArgument("the state file " + args_.state + " is not vntrace's");
    }
    VNTRACE_ASSIGN_OR_RETURN(std::string key,
                             StringField(state.as_object(), "public_key", args_.state));
    VNTRACE_ASSIGN_OR_RETURN(store::TreeHead head,
                             ParseHead(state.at("sth").as_object(), args_.state));
    if (key != ledger::Base64(public_key_)) {
      Problem("the log's public key changed since the last run (it was " + key + ")");
      return core::Ok();
    }
    head.public_key = public_key_;
    std::printf("state: the last run saw the tree head of %lld leaves signed at %s\n",
                static_cast<long long>(head.tree_size), ShowTime(head.timestamp_ms).c_str());
    last_ = std::move(head);
    return core::Ok();
  }

  core::Status SaveState() {
    const std::string text = json::serialize(
        json::object{{"public_key", ledger::Base64(public_key_)}, {"sth", HeadJson(*last_)}});
    const std::string temporary = args_.state + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << text << "\n";
      if (!out) {
        return core::Internal("cannot write " + temporary);
      }
    }
    if (std::rename(temporary.c_str(), args_.state.c_str()) != 0) {
      return core::Internal("cannot replace " + args_.state);
    }
    std::printf("state: saved the tree head of %lld leaves to %s\n",
                static_cast<long long>(last_->tree_size), args_.state.c_str());
    return core::Ok();
  }

  // Tracks the events of an EPCISQueryDocument.
  core::Status TrackDocument(const std::string& body) {
    core::Result<std::vector<std::string>> hashes = epcis::DocumentEventHashIds(body);
    if (!hashes.ok()) {
      return core::Unavailable("the events answered cannot be hashed: " + hashes.error().message);
    }
    boost::system::error_code ec;
    json::value document = json::parse(body, ec);  // DocumentEventHashIds parsed it already
    const json::value* list = nullptr;
    if (const json::object* root = document.if_object()) {
      const json::value* results = root->if_contains("epcisBody");
      results = results != nullptr && results->is_object()
                    ? results->as_object().if_contains("queryResults")
                    : nullptr;
      results = results != nullptr && results->is_object()
                    ? results->as_object().if_contains("resultsBody")
                    : nullptr;
      list = results != nullptr && results->is_object()
                 ? results->as_object().if_contains("eventList")
                 : nullptr;
    }
    if (list == nullptr || !list->is_array() || list->as_array().size() != hashes->size()) {
      return core::Unavailable("the events answered are not an EPCISQueryDocument");
    }
    for (std::size_t i = 0; i < hashes->size(); ++i) {
      const json::value* id = list->as_array()[i].is_object()
                                  ? list->as_array()[i].as_object().if_contains("eventID")
                                  : nullptr;
      if (id == nullptr || !id->is_string()) {
        return core::Unavailable("an event answered has no eventID");
      }
      const std::string event_id(id->as_string());
      const std::string& content = (*hashes)[i];
      if (event_id.starts_with(kHashIdPrefix) && event_id != content) {
        Problem("event " + event_id + ": its content hashes to " + content +
                ", not to its eventID (the event was changed after capture)");
        continue;
      }
      tracked_.push_back({.event_id = event_id, .leaf_data = content});
    }
    return core::Ok();
  }

  core::Status FetchEvents() {
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + args_.api_key}};
    std::string target = "/epcis/events?perPage=" + std::to_string(std::min(args_.max_events, 500));
    while (!target.empty() && static_cast<int>(tracked_.size()) < args_.max_events) {
      VNTRACE_ASSIGN_OR_RETURN(HttpReply reply, client_.Get(target, auth));
      if (reply.status == 401 || reply.status == 403) {
        return core::InvalidArgument("GET /epcis/events refused the API key: " + DetailOf(reply));
      }
      if (reply.status != 200) {
        return core::Unavailable("GET /epcis/events answered " + std::to_string(reply.status) +
                                 ": " + DetailOf(reply));
      }
      VNTRACE_RETURN_IF_ERROR(TrackDocument(reply.body));
      // Link: </epcis/events?...>; rel="next"
      const std::string link = reply.Header("Link");
      const std::size_t open = link.find('<');
      const std::size_t close = link.find('>');
      target = (open != std::string::npos && close != std::string::npos && close > open &&
                link.find("rel=\"next\"") != std::string::npos)
                   ? link.substr(open + 1, close - open - 1)
                   : std::string();
    }
    if (static_cast<int>(tracked_.size()) > args_.max_events) {
      tracked_.resize(static_cast<std::size_t>(args_.max_events));
    }
    std::printf("events read through GET /epcis/events: %zu\n", tracked_.size());
    return core::Ok();
  }

  core::Status FetchEvent(const std::string& id) {
    if (args_.api_key.empty()) {
      // Validated before the run: the eventID is a hash ID, the leaf's data.
      tracked_.push_back({.event_id = id, .leaf_data = id});
      return core::Ok();
    }
    VNTRACE_ASSIGN_OR_RETURN(HttpReply reply,
                             client_.Get("/epcis/events/" + EncodeQueryValue(id),
                                         {{"Authorization", "Bearer " + args_.api_key}}));
    if (reply.status == 404) {
      Problem("event " + id + ": the server does not have it");
      return core::Ok();
    }
    if (reply.status != 200) {
      return core::Unavailable("GET /epcis/events/" + id + " answered " +
                               std::to_string(reply.status) + ": " + DetailOf(reply));
    }
    return TrackDocument(reply.body);
  }

  core::Result<store::TreeHead> FetchHead() {
    VNTRACE_ASSIGN_OR_RETURN(HttpReply reply, client_.Get("/api/v1/log/sth"));
    VNTRACE_ASSIGN_OR_RETURN(json::object body, JsonObject(reply, "GET /api/v1/log/sth"));
    VNTRACE_ASSIGN_OR_RETURN(store::TreeHead head, ParseHead(body, "the tree head"));
    head.public_key = public_key_;
    return head;
  }

  core::Status Round(int round) {
    VNTRACE_ASSIGN_OR_RETURN(store::TreeHead head, FetchHead());
    std::printf("round %d: tree head of %lld leaves, signed at %s, root %s\n", round,
                static_cast<long long>(head.tree_size), ShowTime(head.timestamp_ms).c_str(),
                ledger::Base64(head.root_hash).c_str());
    if (core::Status signature = ledger::VerifyTreeHead(head, public_key_); !signature.ok()) {
      Problem("tree head signature: " + signature.error().message);
      return core::Ok();
    }
    ++heads_;
    std::printf("  signature OK\n");
    if (last_.has_value()) {
      VNTRACE_RETURN_IF_ERROR(CheckConsistency(*last_, head));
    }
    VNTRACE_RETURN_IF_ERROR(CheckInclusion(head));
    last_ = std::move(head);
    return core::Ok();
  }

  core::Status CheckConsistency(const store::TreeHead& before, const store::TreeHead& head) {
    const std::string sizes =
        std::to_string(before.tree_size) + " -> " + std::to_string(head.tree_size) + " leaves";
    if (head.timestamp_ms < before.timestamp_ms) {
      Problem("the tree head is older than one seen before (" + ShowTime(before.timestamp_ms) +
              ")");
    }
    if (head.tree_size < before.tree_size) {
      Problem("the log shrank: " + sizes);
      return core::Ok();
    }
    std::vector<ledger::Hash> proof;
    if (before.tree_size > 0 && before.tree_size < head.tree_size) {
      VNTRACE_ASSIGN_OR_RETURN(
          HttpReply reply,
          client_.Get("/api/v1/log/consistency?first=" + std::to_string(before.tree_size) +
                      "&second=" + std::to_string(head.tree_size)));
      VNTRACE_ASSIGN_OR_RETURN(json::object body, JsonObject(reply, "GET /api/v1/log/consistency"));
      VNTRACE_ASSIGN_OR_RETURN(proof, HashesField(body, "consistency", "the consistency proof"));
    }
    core::Status consistent = ledger::VerifyConsistency(before.tree_size, head.tree_size,
                                                        before.root_hash, head.root_hash, proof);
    if (!consistent.ok()) {
      Problem("consistency " + sizes + ": " + consistent.error().message);
      return core::Ok();
    }
    ++consistency_;
    std::printf("  consistent with the tree head of %lld leaves\n",
                static_cast<long long>(before.tree_size));
    return core::Ok();
  }

  core::Status CheckInclusion(const store::TreeHead& head) {
    int proved = 0;
    int pending = 0;
    for (Tracked& t : tracked_) {
      if (t.done) {
        continue;
      }
      VNTRACE_ASSIGN_OR_RETURN(
          HttpReply reply, client_.Get("/api/v1/log/proof?eventID=" + EncodeQueryValue(t.event_id) +
                                       "&tree_size=" + std::to_string(head.tree_size)));
      if (reply.status == 409) {
        ++pending;  // appended after this head: try the next one
        continue;
      }
      t.done = true;
      if (reply.status == 404) {
        Problem("event " + t.event_id + ": the log has no leaf for it (" + DetailOf(reply) + ")");
        continue;
      }
      VNTRACE_ASSIGN_OR_RETURN(json::object body, JsonObject(reply, "GET /api/v1/log/proof"));
      VNTRACE_ASSIGN_OR_RETURN(std::int64_t index, CountField(body, "leaf_index", "the proof"));
      VNTRACE_ASSIGN_OR_RETURN(std::int64_t size, CountField(body, "tree_size", "the proof"));
      VNTRACE_ASSIGN_OR_RETURN(std::vector<ledger::Hash> path,
                               HashesField(body, "audit_path", "the proof"));
      core::Status included =
          size != head.tree_size
              ? core::Status(core::FailedPrecondition("the proof is for another tree size"))
              : ledger::VerifyInclusion(store::LogLeafHash(t.leaf_data), index, size, path,
                                        head.root_hash);
      if (!included.ok()) {
        Problem("event " + t.event_id + " (leaf " + std::to_string(index) +
                "): " + included.error().message);
        continue;
      }
      ++included_;
      ++proved;
    }
    std::printf(
        "  %d event(s) proved included%s\n", proved,
        pending > 0 ? (", " + std::to_string(pending) + " not yet in this head").c_str() : "");
    return core::Ok();
  }

  const VerifyArgs& args_;
  HttpClient& client_;
  std::string public_key_;
  std::optional<store::TreeHead> last_;
  std::vector<Tracked> tracked_;
  int heads_ = 0;
  int consistency_ = 0;
  int included_ = 0;
  int problems_ = 0;
};

int RunVerify(const VerifyArgs& args) {
  core::Result<BaseUrl> url = BaseUrl::Parse(args.url);
  if (!url.ok()) return Fail(kExitInvalid, url.error());
  if (args.api_key.empty()) {
    for (const std::string& id : args.events) {
      if (!id.starts_with(kHashIdPrefix)) {
        return Fail(kExitInvalid,
                    core::InvalidArgument("--event " + id +
                                          " is not a hash ID (ni:///sha-256;…): its content is "
                                          "needed to know its leaf; pass --api-key"));
      }
    }
  }
  if (args.api_key.empty() && args.events.empty()) {
    std::printf("no --api-key and no --event: checking tree heads only\n");
  }
  HttpClient client(*url, std::chrono::seconds(args.timeout));
  Auditor auditor(args, client);
  return auditor.Run();
}

// ---- vntrace log

core::Result<std::unique_ptr<store::Store>> OpenExisting(const std::string& db) {
  return store::OpenStore({.location = db, .create_if_missing = false});
}

core::Result<ledger::SigningKey> LoadKey(const LogArgs& args) {
  core::Result<ledger::SigningKey> key = ledger::SigningKey::LoadOrCreate(KeyPath(args), false);
  if (!key.ok() && key.error().code == core::ErrorCode::kNotFound) {
    return core::NotFound("no log key at " + KeyPath(args) +
                          ": `vntrace serve` creates it on first start; or pass --log-key FILE");
  }
  return key;
}

int RunLogSth(const LogArgs& args) {
  core::Result<std::unique_ptr<store::Store>> db = OpenExisting(args.db);
  if (!db.ok()) return Fail(kExitMismatch, db.error());
  core::Result<ledger::SigningKey> key = LoadKey(args);
  if (!key.ok()) return Fail(kExitMismatch, key.error());
  core::SystemClock clock;
  ledger::TransparencyLog log(**db, *key, clock);
  core::Result<store::TreeHead> head = log.CurrentTreeHead();
  if (!head.ok()) return Fail(kExitMismatch, head.error());
  std::printf("%s\n", json::serialize(HeadJson(*head)).c_str());
  return 0;
}

// What the witness co-signed last for this log: (tree size, root), or size 0 when nothing.
core::Result<store::TreeHead> LastAtWitness(HttpClient& client, const std::string& public_key) {
  VNTRACE_ASSIGN_OR_RETURN(
      HttpReply reply,
      client.Get("/api/v1/log/witness?public_key=" + EncodeQueryValue(ledger::Base64(public_key))));
  if (reply.status == 404) {
    return store::TreeHead{};
  }
  VNTRACE_ASSIGN_OR_RETURN(json::object body, JsonObject(reply, "GET /api/v1/log/witness"));
  return ParseHead(body, "the witness's last head");
}

int RunLogWitness(const LogArgs& args) {
  core::Result<BaseUrl> url = BaseUrl::Parse(args.to);
  if (!url.ok()) return Fail(kExitInvalid, url.error());
  core::Result<std::unique_ptr<store::Store>> db = OpenExisting(args.db);
  if (!db.ok()) return Fail(kExitMismatch, db.error());
  core::Result<ledger::SigningKey> key = LoadKey(args);
  if (!key.ok()) return Fail(kExitMismatch, key.error());
  core::SystemClock clock;
  ledger::TransparencyLog log(**db, *key, clock);
  core::Result<store::TreeHead> head = log.CurrentTreeHead();
  if (!head.ok()) return Fail(kExitMismatch, head.error());
  HttpClient client(*url, std::chrono::seconds(args.timeout));
  core::Result<store::TreeHead> last = LastAtWitness(client, key->public_key());
  if (!last.ok()) return Fail(kExitUnaudited, last.error());
  if (last->tree_size > head->tree_size) {
    return Fail(kExitMismatch,
                core::FailedPrecondition(
                    "the witness already co-signed a tree of " + std::to_string(last->tree_size) +
                    " leaves of this log, which has " + std::to_string(head->tree_size) +
                    " now: leaves were lost, or another copy of this log (a fork) was witnessed"));
  }
  json::array consistency;
  if (last->tree_size > 0 && last->tree_size < head->tree_size) {
    core::Result<std::vector<ledger::Hash>> proof =
        ledger::ProveConsistency((*db)->log(), last->tree_size, head->tree_size);
    if (!proof.ok()) return Fail(kExitMismatch, proof.error());
    for (const ledger::Hash& hash : *proof) {
      consistency.emplace_back(ledger::Base64(hash));
    }
  }
  const std::string origin =
      !args.origin.empty() ? args.origin
                           : "urn:vntrace:log:" + core::Sha256Hex(key->public_key()).substr(0, 16);
  const std::string body =
      json::serialize(json::object{{"origin", origin},
                                   {"public_key", ledger::Base64(key->public_key())},
                                   {"sth", HeadJson(*head)},
                                   {"consistency", std::move(consistency)}});
  core::Result<HttpReply> reply = client.Post("/api/v1/log/witness", body, "application/json");
  if (!reply.ok()) return Fail(kExitUnaudited, reply.error());
  if (reply->status != 200) {
    std::printf("REFUSED by %s (%d): %s\n", url->ToString().c_str(), reply->status,
                DetailOf(*reply).c_str());
    return kExitMismatch;
  }
  core::Result<json::object> answer = JsonObject(*reply, "POST /api/v1/log/witness");
  if (!answer.ok()) return Fail(kExitUnaudited, answer.error());
  core::Result<std::string> witness_key_text =
      StringField(*answer, "witness_public_key", "the witness's answer");
  core::Result<std::string> cosignature_text =
      StringField(*answer, "cosignature", "the witness's answer");
  if (!witness_key_text.ok()) return Fail(kExitUnaudited, witness_key_text.error());
  if (!cosignature_text.ok()) return Fail(kExitUnaudited, cosignature_text.error());
  core::Result<std::string> witness_key =
      ledger::FromBase64(*witness_key_text, "witness_public_key", ledger::kPublicKeySize);
  core::Result<std::string> cosignature =
      ledger::FromBase64(*cosignature_text, "cosignature", ledger::kSignatureSize);
  if (!witness_key.ok()) return Fail(kExitUnaudited, witness_key.error());
  if (!cosignature.ok()) return Fail(kExitUnaudited, cosignature.error());
  if (core::Status valid = ledger::VerifyCosignature(*head, *witness_key, *cosignature);
      !valid.ok()) {
    return Fail(kExitMismatch, core::FailedPrecondition("the co-signature does not verify: " +
                                                        valid.error().message));
  }
  core::Status saved = (*db)->log().SaveCosignature({.witness = url->ToString(),
                                                     .witness_public_key = *witness_key,
                                                     .tree_size = head->tree_size,
                                                     .timestamp_ms = head->timestamp_ms,
                                                     .root_hash = head->root_hash,
                                                     .cosignature = *cosignature,
                                                     .received_at = clock.Now()});
  if (!saved.ok()) return Fail(kExitMismatch, saved.error());
  std::printf("co-signed by %s (witness key %s): tree head of %lld leaves signed at %s\n",
              url->ToString().c_str(), witness_key_text->c_str(),
              static_cast<long long>(head->tree_size), ShowTime(head->timestamp_ms).c_str());
  return 0;
}

}  // namespace

void AddLedgerCommands(CLI::App& app, int& exit_code) {
  auto verify_args = std::make_shared<VerifyArgs>();
  CLI::App* verify = app.add_subcommand(
      "verify",
      "Audit a vntrace server's tamper-evident log from outside: tree head signatures, "
      "consistency over time, inclusion of events; exit 1 on any mismatch");
  verify->add_option("url", verify_args->url, "the server, e.g. https://truyxuat.example")
      ->required();
  verify->add_option("--rounds", verify_args->rounds, "tree heads to fetch, one per interval")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  verify->add_option("--interval", verify_args->interval, "seconds between rounds")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  verify->add_option("--api-key", verify_args->api_key,
                     "an API key to read the events (GET /epcis/events) and prove each");
  verify->add_option("--event", verify_args->events,
                     "an eventID to prove (repeatable); without --api-key it must be a hash ID");
  verify
      ->add_option("--max-events", verify_args->max_events,
                   "read at most this many events with --api-key")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  verify->add_option("--state", verify_args->state,
                     "a file keeping the last verified tree head between runs: the next run "
                     "checks the log grew from it");
  verify->add_option("--timeout", verify_args->timeout, "seconds per HTTP exchange")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  verify->callback([verify_args, &exit_code] { exit_code = RunVerify(*verify_args); });

  auto log_args = std::make_shared<LogArgs>();
  CLI::App* log = app.add_subcommand("log", "The tamper-evident log of this database");
  log->require_subcommand(1);
  CLI::App* sth = log->add_subcommand("sth", "Print the current signed tree head (JSON)");
  sth->add_option("--db", log_args->db, "SQLite database file")->capture_default_str();
  sth->add_option("--log-key", log_args->log_key, "the signing key file (default DB.log-key)");
  sth->callback([log_args, &exit_code] { exit_code = RunLogSth(*log_args); });
  CLI::App* witness = log->add_subcommand(
      "witness", "Send the current signed tree head to another vntrace server to co-sign");
  witness->add_option("--db", log_args->db, "SQLite database file")->capture_default_str();
  witness->add_option("--to", log_args->to, "the witness server's URL")->required();
  witness->add_option("--log-key", log_args->log_key, "the signing key file (default DB.log-key)");
  witness->add_option("--origin", log_args->origin,
                      "this server's public URL, recorded by the witness (default: an id of "
                      "the log's key)");
  witness->add_option("--timeout", log_args->timeout, "seconds per HTTP exchange")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  witness->callback([log_args, &exit_code] { exit_code = RunLogWitness(*log_args); });
}

}  // namespace vntrace::cli
