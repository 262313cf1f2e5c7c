#include "registry/accounts.hpp"

#include <gtest/gtest.h>

#include "core/sha256.hpp"
#include "registry/internal/testing.hpp"

namespace vntrace::registry {
namespace {

using core::ErrorCode;

class AccountsTest : public internal::RegistryFixture {
 public:
  void SetUp() override {
    a_ = MakeOrg("HTX Nghĩa Ân", "Quảng Ngãi", "0300588569");
    b_ = MakeOrg("HTX Ba Tơ", "Kon Tum", "0100109106");
  }
  store::User MakeUser(const Actor& by, std::string email, Role role, std::string org_id) {
    core::Result<store::User> user = CreateUser(ctx(), by,
                                                {.email = std::move(email),
                                                 .display_name = "Chị Lan",
                                                 .role = role,
                                                 .org_id = std::move(org_id),
                                                 .password = "mật-khẩu-dài"},
                                                FastOptions());
    EXPECT_TRUE(user.ok()) << user.error().ToString();
    return *user;
  }
  core::Result<LoginResult> LoginAs(std::string_view email, std::string_view password,
                                    std::string_view address = "203.0.113.7") {
    return Login(ctx(), email, password, address, FastOptions());
  }

  store::Organisation a_;
  store::Organisation b_;
};

TEST_F(AccountsTest, PasswordsAreArgon2idAndNeverReturned) {
  core::Result<std::string> hash = HashPassword("correct horse", FastOptions());
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horsE"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_EQ(HashPassword("short", FastOptions()).error().details, "password.too_short");

  const store::User user = MakeUser(Actor::CommandLine(), "Lan@HTX.vn", Role::kOrgAdmin, a_.id);
  EXPECT_EQ(user.email, "lan@htx.vn");
  EXPECT_TRUE(user.password_hash.empty());
  EXPECT_TRUE(GetUser(ctx(), Actor::CommandLine(), user.id)->password_hash.empty());
  core::Result<store::User> stored = store_->registry().GetUser(user.id);
  EXPECT_TRUE(stored->password_hash.starts_with("$argon2id$"));
  // The audit log records the user but never the password.
  core::Result<std::vector<store::AuditEntry>> audit =
      ListAudit(ctx(), Actor::CommandLine(), a_.id, 10);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->at(0).entity, "user");
  EXPECT_EQ(audit->at(0).changes_json.find("argon2"), std::string::npos);
}

TEST_F(AccountsTest, RoleRulesForCreatingUsers) {
  const Actor admin_a = Member(a_, Role::kOrgAdmin);
  NewUser staff{
      .email = "s@a.vn", .role = Role::kOrgStaff, .org_id = a_.id, .password = "12345678"};
  EXPECT_TRUE(CreateUser(ctx(), admin_a, staff, FastOptions()).ok());
  NewUser into_b = staff;
  into_b.email = "s@b.vn";
  into_b.org_id = b_.id;
  EXPECT_EQ(CreateUser(ctx(), admin_a, into_b, FastOptions()).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      CreateUser(
          ctx(), Member(a_),
          {.email = "x@a.vn", .role = Role::kOrgStaff, .org_id = a_.id, .password = "12345678"},
          FastOptions())
          .error()
          .code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(CreateUser(ctx(), admin_a,
                       {.email = "root@a.vn", .role = Role::kSystemAdmin, .password = "12345678"},
                       FastOptions())
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(CreateUser(ctx(), Actor::CommandLine(), staff, FastOptions()).error().details,
            "email.taken");
  EXPECT_EQ(
      CreateUser(ctx(), Actor::CommandLine(),
                 {.email = "o@gov.vn", .role = Role::kAuthorityOfficer, .password = "12345678"},
                 FastOptions())
          .error()
          .details,
      "area.required");
  EXPECT_EQ(CreateUser(ctx(), Actor::CommandLine(),
                       {.email = "n@a.vn", .role = Role::kOrgStaff, .password = "12345678"},
                       FastOptions())
                .error()
                .details,
            "org_id.required");
  EXPECT_TRUE(CreateUser(ctx(), Actor::CommandLine(),
                         {.email = "o@gov.vn",
                          .role = Role::kInspector,
                          .area = {.province = "Quảng Ngãi"},
                          .password = "12345678"},
                         FastOptions())
                  .ok());
}

TEST_F(AccountsTest, UsersOfAnotherOrganisationAreInvisible) {
  const store::User lan = MakeUser(Actor::CommandLine(), "lan@a.vn", Role::kOrgStaff, a_.id);
  const store::User binh = MakeUser(Actor::CommandLine(), "binh@b.vn", Role::kOrgAdmin, b_.id);
  EXPECT_EQ(GetUser(ctx(), Member(b_, Role::kOrgAdmin), lan.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(GetUser(ctx(), Member(a_), binh.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListUsers(ctx(), Member(b_, Role::kOrgAdmin), a_.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListUsers(ctx(), Member(a_), a_.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListUsers(ctx(), Officer("Quảng Ngãi"), a_.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListUsers(ctx(), Member(a_, Role::kOrgAdmin), a_.id)->size(), 1u);
  EXPECT_TRUE(GetUser(ctx(), Actor::ForUser(lan), lan.id).ok());
  EXPECT_EQ(SetPassword(ctx(), Member(b_, Role::kOrgAdmin), lan.id, "new-password", FastOptions())
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(SetUserDisabled(ctx(), Member(b_, Role::kOrgAdmin), lan.id, true).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_F(AccountsTest, LoginCreatesASessionWithCsrfToken) {
  const store::User lan = MakeUser(Actor::CommandLine(), "lan@a.vn", Role::kOrgStaff, a_.id);
  core::Result<LoginResult> login = LoginAs("LAN@a.vn", "mật-khẩu-dài");
  ASSERT_TRUE(login.ok()) << login.error().ToString();
  EXPECT_EQ(login->session_token.size(), 43u);
  EXPECT_NE(login->csrf_token, login->session_token);
  // Only the hash of the token is stored.
  EXPECT_EQ(store_->registry().FindSession(login->session_token).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(store_->registry().FindSession(core::Sha256Hex(login->session_token)).ok());

  core::Result<SessionInfo> who = AuthenticateSession(ctx(), login->session_token);
  ASSERT_TRUE(who.ok()) << who.error().ToString();
  EXPECT_EQ(who->actor.id, lan.id);
  EXPECT_EQ(who->actor.org_id, a_.id);
  EXPECT_TRUE(CsrfMatches(*who, login->csrf_token));
  EXPECT_FALSE(CsrfMatches(*who, "forged"));
  EXPECT_FALSE(CsrfMatches(*who, ""));

  clock_.Advance(std::chrono::hours(9));
  EXPECT_EQ(AuthenticateSession(ctx(), login->session_token).error().code,
            ErrorCode::kUnauthenticated);

  core::Result<LoginResult> again = LoginAs("lan@a.vn", "mật-khẩu-dài");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(Logout(ctx(), again->session_token).ok());
  EXPECT_EQ(AuthenticateSession(ctx(), again->session_token).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(AuthenticateSession(ctx(), "nonsense").error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, WrongEmailAndWrongPasswordLookAlike) {
  MakeUser(Actor::CommandLine(), "lan@a.vn", Role::kOrgStaff, a_.id);
  core::Result<LoginResult> wrong_password = LoginAs("lan@a.vn", "sai-mật-khẩu");
  core::Result<LoginResult> wrong_email = LoginAs("nobody@a.vn", "mật-khẩu-dài");
  EXPECT_EQ(wrong_password.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong_email.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong_password.error().message, wrong_email.error().message);
}

TEST_F(AccountsTest, LoginIsRateLimitedPerEmailAndPerAddress) {
  MakeUser(Actor::CommandLine(), "lan@a.vn", Role::kOrgStaff, a_.id);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LoginAs("lan@a.vn", "wrong-password", "10.0.0." + std::to_string(i)).error().code,
              ErrorCode::kUnauthenticated);
  }
  // The e-mail is locked, whatever the address and even with the right password.
  EXPECT_EQ(LoginAs("lan@a.vn", "mật-khẩu-dài", "10.0.0.99").error().code,
            ErrorCode::kResourceExhausted);
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_TRUE(LoginAs("lan@a.vn", "mật-khẩu-dài", "10.0.0.99").ok());

  // One address trying many e-mails is locked too.
  for (int i = 0; i < 5; ++i) {
    (void)LoginAs("user" + std::to_string(i) + "@a.vn", "x-password", "198.51.100.1");
  }
  EXPECT_EQ(LoginAs("lan@a.vn", "mật-khẩu-dài", "198.51.100.1").error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_TRUE(LoginAs("lan@a.vn", "mật-khẩu-dài", "198.51.100.2").ok());
}

TEST_F(AccountsTest, DisablingAndPasswordChangesEndSessions) {
  const store::User lan = MakeUser(Actor::CommandLine(), "lan@a.vn", Role::kOrgStaff, a_.id);
  core::Result<LoginResult> login = LoginAs("lan@a.vn", "mật-khẩu-dài");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(
      SetPassword(ctx(), Actor::ForUser(lan), lan.id, "another-password", FastOptions()).ok());
  EXPECT_FALSE(AuthenticateSession(ctx(), login->session_token).ok());
  EXPECT_FALSE(LoginAs("lan@a.vn", "mật-khẩu-dài").ok());
  login = LoginAs("lan@a.vn", "another-password");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(SetUserDisabled(ctx(), Actor::ForUser(lan), lan.id, true).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(SetUserDisabled(ctx(), Member(a_, Role::kOrgAdmin), lan.id, true).ok());
  EXPECT_FALSE(AuthenticateSession(ctx(), login->session_token).ok());
  EXPECT_EQ(LoginAs("lan@a.vn", "another-password").error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, ApiKeyActors) {
  core::Result<Actor> org_key =
      ActorForApiKey(ctx(), store::ApiKey{.key_id = "k1", .org_id = a_.id});
  ASSERT_TRUE(org_key.ok());
  EXPECT_TRUE(org_key->Is(Role::kOrgStaff));
  EXPECT_EQ(org_key->AuditName(), "apikey:k1");
  core::Result<Actor> system_key = ActorForApiKey(ctx(), store::ApiKey{.key_id = "k0"});
  ASSERT_TRUE(system_key.ok());
  EXPECT_TRUE(system_key->Is(Role::kSystemAdmin));
  EXPECT_EQ(ActorForApiKey(ctx(), store::ApiKey{.key_id = "k2", .org_id = "gone"}).error().code,
            ErrorCode::kUnauthenticated);
}

TEST(Roles, RoundTrip) {
  for (Role role : {Role::kSystemAdmin, Role::kAuthorityOfficer, Role::kInspector, Role::kOrgAdmin,
                    Role::kOrgStaff}) {
    EXPECT_EQ(*ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(ParseRole("root").error().details, "role.invalid");
}

}  // namespace
}  // namespace vntrace::registry
