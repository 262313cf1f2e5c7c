#include "http/report_api/report_api.hpp"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/auth.hpp"
#include "http/internal/target.hpp"
#include "report/report_fixture.hpp"

namespace vntrace::http {
namespace {

class ReportApiTest : public report::testing::ReportFixture {
 protected:
  ReportApiTest() : context_{*store_, clock_, random_, ids_} {
    RegisterReportApi(router_, context_);
    system_key_ = CreateApiKey(*store_, clock_, random_, "ministry").value();
    org_key_ = CreateApiKey(*store_, clock_, random_, "erp", a_.id).value();
  }

  Response Get(const std::string& target, const std::string& key) {
    Request req;
    req.method = Method::kGet;
    req.target = target;
    internal::ParsedTarget parsed = internal::ParseTarget(target).value();
    req.path = parsed.path;
    req.query = parsed.query;
    if (!key.empty()) req.headers["Authorization"] = "Bearer " + key;
    return router_.Handle(req);
  }

  ReportApiContext context_;
  Router router_;
  std::string system_key_, org_key_;
};

// "Quảng Ngãi", "Xã Ba Tơ" percent-encoded.
constexpr char kQuangNgai[] = "Qu%E1%BA%A3ng%20Ng%C3%A3i";
constexpr char kBaTo[] = "X%C3%A3%20Ba%20T%C6%A1";

TEST_F(ReportApiTest, Adoption) {
  const std::string target = std::string("/api/v1/report/adoption?province=") + kQuangNgai;
  Response ok = Get(target, system_key_);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.headers["Content-Type"], "application/json");
  boost::json::value json = boost::json::parse(ok.body);
  EXPECT_EQ(json.at("organisations").as_int64(), 2);
  EXPECT_EQ(json.at("adoption").at("qrStamps").as_int64(), 1);
  EXPECT_EQ(json.at("adoption").at("nationalPortalStatus").as_string(), "not_connected");
  EXPECT_EQ(json.at("ocop").at("meetingTraceability").as_int64(), 1);

  Response commune = Get(target + "&commune=" + kBaTo, system_key_);
  ASSERT_EQ(commune.status, 200) << commune.body;
  EXPECT_EQ(boost::json::parse(commune.body).at("organisations").as_int64(), 1);

  Response no_key = Get(target, "");
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(no_key.headers["WWW-Authenticate"], "Bearer realm=\"vntrace\"");
  Response org_key = Get(target, org_key_);
  EXPECT_EQ(org_key.status, 403) << org_key.body;
  EXPECT_EQ(org_key.headers["Content-Type"], "application/problem+json");
  Response missing = Get("/api/v1/report/adoption", system_key_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("QueryParameterException"), std::string::npos) << missing.body;
  EXPECT_NE(missing.body.find("province"), std::string::npos) << missing.body;
  EXPECT_EQ(Get(target + "&province=x", system_key_).status, 400);
}

TEST_F(ReportApiTest, SelfAssessment) {
  const std::string own = "/api/v1/orgs/self-assessment?org=" + a_.id;
  Response ok = Get(own, org_key_);
  ASSERT_EQ(ok.status, 200) << ok.body;
  boost::json::value json = boost::json::parse(ok.body);
  EXPECT_EQ(json.at("score").as_int64(), 100);
  EXPECT_EQ(json.at("org").at("id").as_string(), a_.id);
  EXPECT_EQ(json.at("criteria").as_array().size(), 7u);

  Response gaps = Get("/api/v1/orgs/self-assessment?org=" + b_.id, system_key_);
  ASSERT_EQ(gaps.status, 200) << gaps.body;
  EXPECT_EQ(boost::json::serialize(boost::json::parse(gaps.body).at("gaps")),
            R"(["one_step_forward","data_types","minimum_data"])");

  EXPECT_EQ(Get("/api/v1/orgs/self-assessment?org=" + b_.id, org_key_).status, 403);
  EXPECT_EQ(Get(own, "").status, 401);
  EXPECT_EQ(Get("/api/v1/orgs/self-assessment", system_key_).status, 400);
  Response unknown = Get("/api/v1/orgs/self-assessment?org=nope", system_key_);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

}  // namespace
}  // namespace vntrace::http
