#include "cli/registry_commands.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "registry/accounts.hpp"
#include "registry/registry.hpp"
#include "store/store.hpp"

namespace vntrace::cli {
namespace {

constexpr int kExitInvalid = 2;
constexpr int kExitFailure = 1;

struct RegistryArgs {
  std::string db = "vntrace.db";
  std::string base_url = "http://127.0.0.1:8080";
  // org create
  std::string name;
  std::string type;
  std::string tax_code;
  std::string province;
  std::string district;
  std::string commune;
  std::string phone;
  std::string gs1_prefix;
  std::string gln;
  // user create
  std::string email;
  std::string role;
  std::string org;
  std::string area_province;
  std::string area_commune;
};

int Fail(const core::Error& error) {
  std::fprintf(stderr, "vntrace: %s\n", error.message.c_str());
  return error.code == core::ErrorCode::kInvalidArgument ||
                 error.code == core::ErrorCode::kAlreadyExists ||
                 error.code == core::ErrorCode::kNotFound
             ? kExitInvalid
             : kExitFailure;
}

// Runs `body` with a registry context on the store at args.db.
template <typename Body>
int WithContext(const RegistryArgs& args, Body body) {
  core::Result<registry::PlatformIds> ids = registry::PlatformIds::Create(args.base_url);
  if (!ids.ok()) return Fail(ids.error());
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  const registry::Context ctx{(*db)->registry(), clock, random, *ids};
  return body(ctx);
}

int RunOrgCreate(const RegistryArgs& args) {
  core::Result<store::OrganisationKind> kind = registry::ParseOrganisationKind(args.type);
  if (!kind.ok()) return Fail(kind.error());
  return WithContext(args, [&](const registry::Context& ctx) {
    core::Result<store::Organisation> org = registry::CreateOrganisation(
        ctx, registry::Actor::CommandLine(),
        {.kind = *kind,
         .name = args.name,
         .tax_code = args.tax_code,
         .address = {.province = args.province, .district = args.district, .commune = args.commune},
         .phone = args.phone,
         .gs1_company_prefix = args.gs1_prefix,
         .gln = args.gln});
    if (!org.ok()) return Fail(org.error());
    std::printf("%s\n", org->id.c_str());
    return 0;
  });
}

int RunUserCreate(const RegistryArgs& args) {
  core::Result<store::Role> role = registry::ParseRole(args.role);
  if (!role.ok()) return Fail(role.error());
  std::string password;
  if (!std::getline(std::cin, password)) {
    return Fail(core::InvalidArgument("give the password on standard input (one line)"));
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return WithContext(args, [&](const registry::Context& ctx) {
    core::Result<store::User> user = registry::CreateUser(
        ctx, registry::Actor::CommandLine(),
        {.email = args.email,
         .display_name = args.name,
         .role = *role,
         .org_id = args.org,
         .area = {.province = args.area_province, .commune = args.area_commune},
         .password = std::move(password)},
        registry::AccountOptions{});
    if (!user.ok()) return Fail(user.error());
    std::printf("%s\n", user->id.c_str());
    return 0;
  });
}

}  // namespace

void AddRegistryCommands(CLI::App& app, int& exit_code) {
  // One instance for the program's life: CLI11 binds the options to it.
  static RegistryArgs args;

  CLI::App* org = app.add_subcommand("org", "Manage organisations");
  org->require_subcommand(1);
  CLI::App* org_create = org->add_subcommand("create", "Register an organisation; prints its id");
  org_create->add_option("--db", args.db, "SQLite database file")->capture_default_str();
  org_create->add_option("--base-url", args.base_url, "the deployment's URL, for platform ids")
      ->capture_default_str();
  org_create->add_option("--name", args.name, "name")->required();
  org_create
      ->add_option("--type", args.type, "enterprise, cooperative, household_business or individual")
      ->required();
  org_create->add_option("--tax-code", args.tax_code, "tax code (mã số thuế)");
  org_create->add_option("--province", args.province, "province")->required();
  org_create->add_option("--district", args.district, "district (legacy, optional)");
  org_create->add_option("--commune", args.commune, "commune")->required();
  org_create->add_option("--phone", args.phone, "phone number");
  org_create->add_option("--gs1-prefix", args.gs1_prefix, "GS1 company prefix");
  org_create->add_option("--gln", args.gln, "GLN of the organisation");
  org_create->callback([&exit_code] { exit_code = RunOrgCreate(args); });

  CLI::App* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  CLI::App* user_create = user->add_subcommand(
      "create", "Create a user; reads the password from stdin (one line), prints the user id");
  user_create->add_option("--db", args.db, "SQLite database file")->capture_default_str();
  user_create->add_option("--base-url", args.base_url, "the deployment's URL, for platform ids")
      ->capture_default_str();
  user_create->add_option("--email", args.email, "e-mail (the login)")->required();
  user_create
      ->add_option("--role", args.role,
                   "system_admin, authority_officer, inspector, org_admin or org_staff")
      ->required();
  user_create->add_option("--org", args.org, "organisation id (org_admin, org_staff)");
  user_create->add_option("--name", args.name, "display name");
  user_create->add_option("--area-province", args.area_province,
                          "province covered (authority_officer, inspector)");
  user_create->add_option("--area-commune", args.area_commune, "commune covered (optional)");
  user_create->callback([&exit_code] { exit_code = RunUserCreate(args); });
}

}  // namespace vntrace::cli
