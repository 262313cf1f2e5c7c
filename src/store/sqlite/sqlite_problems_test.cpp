// SQLite-specific tests of the product versions migration: existing products get version 1 when
// a database written by an older vntrace is opened, and products and lots cannot be deleted.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "store/contract/fixture.hpp"
#include "store/migrations/sqlite_migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace vntrace::store::sqlite {
namespace {

// The version of the migration that added product_versions.
int VersionsMigration() {
  for (const migrations::Migration& m : migrations::SqliteMigrations()) {
    if (m.sql.find("CREATE TABLE product_versions") != std::string_view::npos) return m.version;
  }
  return 0;
}

TEST(SqliteProductVersions, ExistingProductsGetVersionOneFromTheirRow) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "old.db").string();
  const int versions_migration = VersionsMigration();
  ASSERT_GT(versions_migration, 1);
  {
    // A database as the vntrace before that migration left it, with one product.
    std::unique_ptr<Connection> raw = Connection::Open(path, true).value();
    static constexpr std::string_view kSchemaVersion =
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)";
    ASSERT_TRUE(raw->Execute(kSchemaVersion).ok());
    static constexpr std::string_view kRecord =
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?1, ?2, 'then')";
    for (const migrations::Migration& m : migrations::SqliteMigrations()) {
      if (m.version >= versions_migration) break;
      ASSERT_TRUE(raw->ExecuteScript(m.sql).ok()) << m.name;
      BoundStatement record = raw->Prepare(kRecord).value();
      record.BindInt64(1, m.version);
      record.BindText(2, m.name);
      ASSERT_TRUE(record.Run().ok());
    }
    static constexpr std::string_view kOrg =
        "INSERT INTO organisations (id, kind, name, province, district, commune, street, phone, "
        "gs1_company_prefix, gln, representative, created_at_ns, updated_at_ns) VALUES "
        "('o', 2, 'HTX Ba Tơ', 'Quảng Ngãi', '', 'Ba Tơ', '', '', '', '', '', 1, 1)";
    static constexpr std::string_view kProduct =
        "INSERT INTO products (id, org_id, identifier, gtin, name, description, image_ref, "
        "category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, "
        "ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns) VALUES ('p', 'o', "
        "'p', '', 'Mật ong rừng', 'Mô tả', '', '', 'chai', 'Ba Tơ', 'Quảng Ngãi', "
        "'VietGAP\nTCVN 12850:2019', 3, '12/QĐ', '2025-01-01', '', 1000000000, 5000000000)";
    ASSERT_TRUE(raw->Execute(kOrg).ok());
    ASSERT_TRUE(raw->Execute(kProduct).ok());
  }
  std::unique_ptr<SqliteStore> store = SqliteStore::Open({.path = path}).value();
  const Product product = store->GetProduct("p").value();
  const std::vector<ProductVersion> versions = store->ListProductVersions("p").value();
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[0].valid_from, core::Timestamp::FromUnixSeconds(1));  // its creation
  EXPECT_EQ(versions[0].product, product);
  EXPECT_EQ(versions[0].product.standards,
            (std::vector<std::string>{"VietGAP", "TCVN 12850:2019"}));
}

TEST(SqliteProductVersions, ProductsLotsAndVersionsCannotBeDeleted) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "v.db").string();
  std::unique_ptr<SqliteStore> store = SqliteStore::Open({.path = path}).value();
  const AuditEntry audit{.actor = "cli", .action = "create"};
  ASSERT_TRUE(store->CreateOrganisation({.id = "o", .name = "HTX"}, audit).ok());
  ASSERT_TRUE(
      store->CreateProduct({.id = "p", .org_id = "o", .identifier = "p", .name = "Mật"}, audit)
          .ok());
  ASSERT_TRUE(
      store
          ->CreateLot(
              {.id = "l", .org_id = "o", .product_id = "p", .code = "L1", .identifier = "l"}, audit)
          .ok());
  std::unique_ptr<Connection> raw = Connection::Open(path, false).value();
  static constexpr std::string_view kDeleteLot = "DELETE FROM lots WHERE id = 'l'";
  static constexpr std::string_view kDeleteProduct = "DELETE FROM products WHERE id = 'p'";
  static constexpr std::string_view kDeleteVersion = "DELETE FROM product_versions";
  static constexpr std::string_view kRewriteVersion = "UPDATE product_versions SET name = 'x'";
  EXPECT_FALSE(raw->Execute(kDeleteLot).ok());
  EXPECT_FALSE(raw->Execute(kDeleteProduct).ok());
  EXPECT_FALSE(raw->Execute(kDeleteVersion).ok());
  EXPECT_FALSE(raw->Execute(kRewriteVersion).ok());
  raw.reset();
  EXPECT_TRUE(store->GetLot("l").ok());
  EXPECT_EQ(store->ListProductVersions("p")->size(), 1u);
}

}  // namespace
}  // namespace vntrace::store::sqlite
