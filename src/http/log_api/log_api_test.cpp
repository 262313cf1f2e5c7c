#include "http/log_api/log_api.hpp"

#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "http/internal/target.hpp"
#include "ledger/merkle.hpp"
#include "ledger/tree_head.hpp"
#include "store/contract/event_builder.hpp"
#include "store/contract/fixture.hpp"

namespace vntrace::http {
namespace {

namespace json = boost::json;

constexpr std::int64_t kT0 = 1'700'000'000;

std::unique_ptr<store::Store> Open(const std::filesystem::path& path) {
  return std::move(store::OpenStore({.location = path.string()})).value();
}

// A server's log API over its own store and key.
struct Server {
  Server(const std::filesystem::path& path, char seed, const core::Clock& clock)
      : store(Open(path)),
        key(std::move(ledger::SigningKey::FromSeed(std::string(32, seed))).value()),
        log(*store, key, clock),
        witness(*store, key, clock),
        context{*store, log, witness, clock} {
    RegisterLogApi(router, context);
  }

  Response Call(Method method, const std::string& target, std::string body = "") {
    Request req;
    req.method = method;
    req.target = target;
    internal::ParsedTarget parsed = internal::ParseTarget(target).value();
    req.path = parsed.path;
    req.query = parsed.query;
    req.body = std::move(body);
    return router.Handle(req);
  }
  Response Get(const std::string& target) { return Call(Method::kGet, target); }

  std::unique_ptr<store::Store> store;
  ledger::SigningKey key;
  ledger::TransparencyLog log;
  ledger::Witness witness;
  LogApiContext context;
  Router router;
};

std::string Encode(std::string_view value) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

ledger::Hash HashOf(const json::value& value) {
  return ledger::HashFromBase64(value.as_string(), "hash").value();
}

std::vector<ledger::Hash> Hashes(const json::value& array) {
  std::vector<ledger::Hash> out;
  for (const json::value& v : array.as_array()) {
    out.push_back(HashOf(v));
  }
  return out;
}

store::TreeHead HeadOf(const std::string& body, const std::string& public_key) {
  const json::value sth = json::parse(body);
  return store::TreeHead{.tree_size = sth.at("tree_size").as_int64(),
                         .timestamp_ms = sth.at("timestamp").as_int64(),
                         .root_hash = HashOf(sth.at("root_hash")),
                         .signature = *ledger::FromBase64(sth.at("signature").as_string(), "s"),
                         .public_key = public_key};
}

class LogApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<epcis::Event> events;
    for (int i = 0; i < 5; ++i) {
      events.push_back(store::testing::EventBuilder("urn:uuid:event-" + std::to_string(i))
                           .EventTimeSeconds(kT0 + i, 7 * 60)
                           .RecordTimeSeconds(kT0 + 100)
                           .Epc("https://id.gs1.org/01/08935001200017/21/" + std::to_string(i))
                           .BizStep("shipping")
                           .Build());
    }
    ASSERT_TRUE(server_.store->CaptureEvents(events).ok());
  }

  store::testing::TempDir dir_;
  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(kT0)};
  Server server_{dir_.path() / "a.db", 'A', clock_};
};

TEST_F(LogApiTest, TreeHeadAndKeyAreSignedJson) {
  Response key = server_.Get("/api/v1/log/key");
  ASSERT_EQ(key.status, 200);
  EXPECT_EQ(key.headers["Content-Type"], "application/json");
  EXPECT_EQ(key.headers["Access-Control-Allow-Origin"], "*");
  const std::string public_key =
      *ledger::FromBase64(json::parse(key.body).at("public_key").as_string(), "k", 32);
  EXPECT_EQ(public_key, server_.key.public_key());

  Response sth = server_.Get("/api/v1/log/sth");
  ASSERT_EQ(sth.status, 200) << sth.body;
  const json::value object = json::parse(sth.body);
  EXPECT_EQ(object.as_object().size(),
            4u);  // tree_size, timestamp, root_hash, signature: nothing else
  const store::TreeHead head = HeadOf(sth.body, public_key);
  EXPECT_EQ(head.tree_size, 5);
  EXPECT_EQ(head.timestamp_ms, kT0 * 1000);
  EXPECT_TRUE(ledger::VerifyTreeHead(head, public_key).ok());
}

TEST_F(LogApiTest, InclusionProofsOfEveryEventVerify) {
  const store::TreeHead head =
      HeadOf(server_.Get("/api/v1/log/sth").body, server_.key.public_key());
  for (int i = 0; i < 5; ++i) {
    const std::string id = "urn:uuid:event-" + std::to_string(i);
    Response proof = server_.Get("/api/v1/log/proof?eventID=" + Encode(id));
    ASSERT_EQ(proof.status, 200) << proof.body;
    const json::value body = json::parse(proof.body);
    EXPECT_EQ(body.as_object().size(), 3u);
    EXPECT_EQ(body.at("leaf_index").as_int64(), i);
    EXPECT_EQ(body.at("tree_size").as_int64(), 5);
    const store::EventLeaf leaf = *server_.store->log().FindEventLeaf(id);
    EXPECT_TRUE(ledger::VerifyInclusion(store::LogLeafHash(leaf.content_hash_id), i, 5,
                                        Hashes(body.at("audit_path")), head.root_hash)
                    .ok());
  }
  // At an earlier tree size, against that size's root.
  Response earlier = server_.Get("/api/v1/log/proof?eventID=urn%3Auuid%3Aevent-1&tree_size=3");
  ASSERT_EQ(earlier.status, 200) << earlier.body;
  EXPECT_EQ(json::parse(earlier.body).at("tree_size").as_int64(), 3);
  EXPECT_EQ(earlier.headers["Cache-Control"], "public, max-age=86400");
}

TEST_F(LogApiTest, ProofErrorsAreProblems) {
  Response unknown = server_.Get("/api/v1/log/proof?eventID=urn%3Auuid%3Anope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.headers["Content-Type"], "application/problem+json");
  Response beyond = server_.Get("/api/v1/log/proof?eventID=urn%3Auuid%3Aevent-1&tree_size=6");
  EXPECT_EQ(beyond.status, 400);
  EXPECT_NE(beyond.body.find("beyond the current signed tree head (5 leaves)"), std::string::npos)
      << beyond.body;
  Response too_early = server_.Get("/api/v1/log/proof?eventID=urn%3Auuid%3Aevent-4&tree_size=2");
  EXPECT_EQ(too_early.status, 409) << too_early.body;
  EXPECT_EQ(server_.Get("/api/v1/log/proof").status, 400);
  EXPECT_EQ(server_.Get("/api/v1/log/proof?eventID=x&tree_size=-1").status, 400);
  EXPECT_EQ(server_.Get("/api/v1/log/proof?eventID=x&tree_size=2x").status, 400);
  Response twice = server_.Get("/api/v1/log/proof?eventID=a&eventID=b");
  EXPECT_EQ(twice.status, 400);
  EXPECT_NE(twice.body.find("QueryParameterException"), std::string::npos);
}

TEST_F(LogApiTest, ConsistencyProofsVerify) {
  const store::TreeHead first =
      HeadOf(server_.Get("/api/v1/log/sth").body, server_.key.public_key());
  ASSERT_TRUE(server_.store->log().AppendLeaves(std::vector<std::string>{"x", "y", "z"}).ok());
  clock_.Advance(std::chrono::seconds(2));
  const store::TreeHead second =
      HeadOf(server_.Get("/api/v1/log/sth").body, server_.key.public_key());
  ASSERT_EQ(second.tree_size, 8);
  Response proof = server_.Get("/api/v1/log/consistency?first=5&second=8");
  ASSERT_EQ(proof.status, 200) << proof.body;
  EXPECT_TRUE(ledger::VerifyConsistency(5, 8, first.root_hash, second.root_hash,
                                        Hashes(json::parse(proof.body).at("consistency")))
                  .ok());
  EXPECT_EQ(server_.Get("/api/v1/log/consistency?first=5&second=9").status, 400);
  EXPECT_EQ(server_.Get("/api/v1/log/consistency?first=6&second=5").status, 400);
  EXPECT_EQ(server_.Get("/api/v1/log/consistency?first=0&second=5").status, 400);
  EXPECT_EQ(server_.Get("/api/v1/log/consistency?first=5").status, 400);
}

// Server B witnesses server A's log: it co-signs a consistent head and refuses a fork.
TEST_F(LogApiTest, AWitnessCoSignsAndRefusesForks) {
  Server witness(dir_.path() / "w.db", 'W', clock_);
  const std::string key_b64 = ledger::Base64(server_.key.public_key());
  auto request = [&](const std::string& sth, const std::vector<ledger::Hash>& proof) {
    json::array consistency;
    for (const ledger::Hash& h : proof) {
      consistency.emplace_back(ledger::Base64(h));
    }
    return json::serialize(json::object{{"origin", "https://a.example"},
                                        {"public_key", key_b64},
                                        {"sth", json::parse(sth)},
                                        {"consistency", std::move(consistency)}});
  };
  EXPECT_EQ(witness.Get("/api/v1/log/witness?public_key=" + Encode(key_b64)).status, 404);
  const std::string sth5 = server_.Get("/api/v1/log/sth").body;
  Response cosigned = witness.Call(Method::kPost, "/api/v1/log/witness", request(sth5, {}));
  ASSERT_EQ(cosigned.status, 200) << cosigned.body;
  const json::value answer = json::parse(cosigned.body);
  EXPECT_EQ(*ledger::FromBase64(answer.at("witness_public_key").as_string(), "k"),
            witness.key.public_key());
  const store::TreeHead head5 = HeadOf(sth5, server_.key.public_key());
  EXPECT_TRUE(
      ledger::VerifyCosignature(head5, witness.key.public_key(),
                                *ledger::FromBase64(answer.at("cosignature").as_string(), "c"))
          .ok());
  Response last = witness.Get("/api/v1/log/witness?public_key=" + Encode(key_b64));
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(json::parse(last.body).at("tree_size").as_int64(), 5);
  EXPECT_EQ(json::parse(last.body).at("origin").as_string(), "https://a.example");

  // A fork signed with A's key: another store, other leaves, a larger tree.
  Server fork(dir_.path() / "fork.db", 'A', clock_);
  ASSERT_TRUE(fork.store->log().AppendLeaves(std::vector<std::string>(7, "forged")).ok());
  const std::string sth7 = fork.Get("/api/v1/log/sth").body;
  const std::vector<ledger::Hash> proof = *ledger::ProveConsistency(fork.store->log(), 5, 7);
  Response refused = witness.Call(Method::kPost, "/api/v1/log/witness", request(sth7, proof));
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.headers["Content-Type"], "application/problem+json");
  EXPECT_NE(refused.body.find("fork"), std::string::npos) << refused.body;

  EXPECT_EQ(witness.Call(Method::kPost, "/api/v1/log/witness", "{").status, 400);
  EXPECT_EQ(witness.Call(Method::kPost, "/api/v1/log/witness", R"({"origin":"x"})").status, 400);
}

TEST_F(LogApiTest, TheExplanationPageIsVietnameseFirst) {
  Response vi = server_.Get("/log/about");
  ASSERT_EQ(vi.status, 200);
  EXPECT_EQ(vi.headers["Content-Language"], "vi");
  EXPECT_NE(vi.body.find("Lịch sử đã được xác minh"), std::string::npos);
  EXPECT_NE(vi.body.find("<dd>5</dd>"), std::string::npos) << vi.body;
  Response en = server_.Get("/log/about?lang=en");
  EXPECT_EQ(en.headers["Content-Language"], "en");
  EXPECT_NE(en.body.find("History verified"), std::string::npos);
}

}  // namespace
}  // namespace vntrace::http
