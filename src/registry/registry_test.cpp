#include "registry/registry.hpp"

#include <gtest/gtest.h>

#include "gs1/digital_link.hpp"
#include "registry/internal/testing.hpp"

namespace vntrace::registry {
namespace {

using core::ErrorCode;

class RegistryTest : public internal::RegistryFixture {
 public:
  void SetUp() override {
    a_ = MakeOrg("HTX Nghĩa Ân", "Quảng Ngãi", "0300588569");
    b_ = MakeOrg("HTX Ba Tơ", "Kon Tum", "0100109106");
  }

  store::Facility MakeFacility(const store::Organisation& org) {
    core::Result<store::Facility> f =
        CreateFacility(ctx(), Member(org), {.org_id = org.id, .name = "Vườn 1", .crop = "ớt"});
    EXPECT_TRUE(f.ok()) << f.error().ToString();
    return *f;
  }
  store::Product MakeProduct(const store::Organisation& org, std::string gtin = "") {
    core::Result<store::Product> p = CreateProduct(
        ctx(), Member(org),
        {.org_id = org.id, .gtin = std::move(gtin), .name = "Bò khô Nghĩa Ân", .unit = "gói"});
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return *p;
  }
  store::Certificate MakeCertificate(const store::Organisation& org) {
    core::Result<CertificateView> c = CreateCertificate(ctx(), Member(org),
                                                        {.org_id = org.id,
                                                         .kind = "VietGAP",
                                                         .number = "VG-01",
                                                         .issuer = "Trung tâm Chứng nhận",
                                                         .issued_on = "2025-01-01",
                                                         .valid_until = "2027-12-31"});
    EXPECT_TRUE(c.ok()) << c.error().ToString();
    return c->certificate;
  }
  store::Lot MakeLot(const store::Organisation& org, const store::Product& p,
                     std::string code = "L01") {
    core::Result<store::Lot> l = CreateLot(ctx(), Member(org),
                                           {.product_id = p.id,
                                            .code = std::move(code),
                                            .produced_on = "2025-12-20",
                                            .expires_on = "2026-06-20",
                                            .quantity = 120,
                                            .unit = "kg"});
    EXPECT_TRUE(l.ok()) << l.error().ToString();
    return *l;
  }

  store::Organisation a_;
  store::Organisation b_;
};

template <typename T>
void ExpectCode(const core::Result<T>& r, ErrorCode code, std::string_view details = {}) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().ToString();
  if (!details.empty()) {
    EXPECT_EQ(r.error().details, details) << r.error().ToString();
  }
}

TEST_F(RegistryTest, OrganisationsGetPlatformIdsAndAreAudited) {
  EXPECT_TRUE(ids_.IsPlatformId(a_.id)) << a_.id;
  EXPECT_FALSE(gs1::ParseDigitalLink(a_.id).ok());
  EXPECT_EQ(a_.phone, "0912345678");
  core::Result<std::vector<store::AuditEntry>> audit =
      ListAudit(ctx(), Actor::CommandLine(), a_.id, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "create");
  EXPECT_EQ((*audit)[0].actor, "cli");
  EXPECT_NE((*audit)[0].changes_json.find("HTX Nghĩa Ân"), std::string::npos);
}

TEST_F(RegistryTest, OrganisationValidationNamesTheField) {
  store::Organisation bad{.kind = store::OrganisationKind::kEnterprise,
                          .name = "Công ty",
                          .tax_code = "0300588568",
                          .address = {.province = "Quảng Ngãi", .commune = "Xã A"}};
  ExpectCode(CreateOrganisation(ctx(), Actor::CommandLine(), bad), ErrorCode::kInvalidArgument,
             "tax_code.check_digit");
  bad.tax_code = "0300588569";
  ExpectCode(CreateOrganisation(ctx(), Actor::CommandLine(), bad), ErrorCode::kAlreadyExists);
  bad.tax_code = "0101248141";
  bad.gln = "8935001200001";
  ExpectCode(CreateOrganisation(ctx(), Actor::CommandLine(), bad), ErrorCode::kInvalidArgument,
             "gln.invalid");
  bad.gln.clear();
  bad.address.commune.clear();
  ExpectCode(CreateOrganisation(ctx(), Actor::CommandLine(), bad), ErrorCode::kInvalidArgument,
             "address.commune.required");
}

TEST_F(RegistryTest, OnlySystemAdminRegistersOrganisationsAndOrgAdminEditsItsOwn) {
  store::Organisation draft{.kind = store::OrganisationKind::kIndividual,
                            .name = "Bà Hoa",
                            .address = {.province = "Quảng Ngãi", .commune = "Xã A"}};
  ExpectCode(CreateOrganisation(ctx(), Member(a_, Role::kOrgAdmin), draft),
             ErrorCode::kPermissionDenied);
  ExpectCode(CreateOrganisation(ctx(), Officer("Quảng Ngãi"), draft), ErrorCode::kPermissionDenied);
  store::Organisation changed = a_;
  changed.representative = "Nguyễn Văn A";
  ExpectCode(UpdateOrganisation(ctx(), Member(a_), changed), ErrorCode::kPermissionDenied);
  ExpectCode(UpdateOrganisation(ctx(), Member(b_, Role::kOrgAdmin), changed),
             ErrorCode::kPermissionDenied);
  core::Result<store::Organisation> updated =
      UpdateOrganisation(ctx(), Member(a_, Role::kOrgAdmin), changed);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->representative, "Nguyễn Văn A");
  core::Result<std::vector<store::AuditEntry>> audit =
      ListAudit(ctx(), Member(a_, Role::kOrgAdmin), a_.id, 10);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ((*audit)[0].changes_json, R"({"representative":{"from":"","to":"Nguyễn Văn A"}})");
  ExpectCode(ListAudit(ctx(), Member(a_), a_.id, 10), ErrorCode::kPermissionDenied);
  ExpectCode(ListAudit(ctx(), Member(b_, Role::kOrgAdmin), a_.id, 10),
             ErrorCode::kPermissionDenied);
  ExpectCode(ListAudit(ctx(), Member(a_, Role::kOrgAdmin), "", 10), ErrorCode::kPermissionDenied);
}

TEST_F(RegistryTest, OutsidersSeeOnlyThePublicProfileOfAnOrganisation) {
  core::Result<store::Organisation> own = GetOrganisation(ctx(), Member(a_), a_.id);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->tax_code, "0300588569");
  for (const Actor& outsider : {Member(b_), Actor::Anonymous(), Officer("Kon Tum")}) {
    core::Result<store::Organisation> seen = GetOrganisation(ctx(), outsider, a_.id);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->name, a_.name);
    EXPECT_TRUE(seen->tax_code.empty());
    EXPECT_TRUE(seen->phone.empty());
  }
  EXPECT_EQ(GetOrganisation(ctx(), Officer("Quảng Ngãi"), a_.id)->tax_code, "0300588569");
  EXPECT_EQ(ListOrganisations(ctx(), Officer("Quảng Ngãi"))->size(), 1u);
  EXPECT_EQ(ListOrganisations(ctx(), Member(b_))->at(0).id, b_.id);
  EXPECT_EQ(ListOrganisations(ctx(), Actor::CommandLine())->size(), 2u);
  EXPECT_TRUE(ListOrganisations(ctx(), Actor::Anonymous())->empty());
}

TEST_F(RegistryTest, FacilitiesArePrivateToTheOrganisationAndItsArea) {
  const store::Facility farm = MakeFacility(a_);
  EXPECT_EQ(farm.identifier, farm.id);
  EXPECT_TRUE(ids_.IsPlatformId(farm.id));
  ExpectCode(GetFacility(ctx(), Member(b_), farm.id), ErrorCode::kPermissionDenied);
  ExpectCode(GetFacility(ctx(), Actor::Anonymous(), farm.id), ErrorCode::kPermissionDenied);
  ExpectCode(GetFacility(ctx(), Officer("Kon Tum"), farm.id), ErrorCode::kPermissionDenied);
  ExpectCode(ListFacilities(ctx(), Member(b_), a_.id), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(GetFacility(ctx(), Officer("Quảng Ngãi"), farm.id).ok());
  EXPECT_TRUE(GetFacility(ctx(), Officer("Quảng Ngãi", Role::kInspector), farm.id).ok());
  EXPECT_EQ(ListFacilities(ctx(), Member(a_), a_.id)->size(), 1u);

  ExpectCode(CreateFacility(ctx(), Member(b_), {.org_id = a_.id, .name = "X"}),
             ErrorCode::kPermissionDenied);
  ExpectCode(CreateFacility(ctx(), Officer("Quảng Ngãi"), {.org_id = a_.id, .name = "X"}),
             ErrorCode::kPermissionDenied);
  store::Facility changed = farm;
  changed.name = "Vườn đồi";
  ExpectCode(UpdateFacility(ctx(), Member(b_), changed), ErrorCode::kPermissionDenied);
  changed.org_id = b_.id;  // cannot move it either
  core::Result<store::Facility> updated = UpdateFacility(ctx(), Member(a_), changed);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->org_id, a_.id);
  // A plot of B cannot hang under A's farm.
  ExpectCode(CreateFacility(ctx(), Member(b_),
                            {.org_id = b_.id,
                             .kind = store::FacilityKind::kPlot,
                             .name = "Lô 1",
                             .parent_id = farm.id}),
             ErrorCode::kNotFound);
}

TEST_F(RegistryTest, FacilityWithGlnIsIdentifiedByItsDigitalLink) {
  core::Result<store::Facility> f = CreateFacility(ctx(), Member(a_),
                                                   {.org_id = a_.id,
                                                    .kind = store::FacilityKind::kWarehouse,
                                                    .name = "Kho",
                                                    .gln = "8935001200000",
                                                    .gln_extension = "K1",
                                                    .latitude = 15.1,
                                                    .longitude = 108.8});
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_EQ(f->identifier, "https://id.gs1.org/414/8935001200000/254/K1");
  ExpectCode(CreateFacility(ctx(), Member(a_),
                            {.org_id = a_.id, .name = "X", .latitude = 91, .longitude = 1}),
             ErrorCode::kInvalidArgument, "latitude.range");
  ExpectCode(CreateFacility(ctx(), Member(a_), {.org_id = a_.id, .name = "X", .area_m2 = -5}),
             ErrorCode::kInvalidArgument, "area_m2.range");
}

TEST_F(RegistryTest, ProductsArePublicButOnlyTheirOwnerChangesThem) {
  const store::Product p = MakeProduct(a_);
  EXPECT_TRUE(ids_.IsPlatformId(p.identifier));
  for (const Actor& anyone : {Member(b_), Actor::Anonymous(), Officer("Kon Tum")}) {
    EXPECT_TRUE(GetProduct(ctx(), anyone, p.id).ok());
    EXPECT_EQ(ListProducts(ctx(), anyone, a_.id)->size(), 1u);
  }
  store::Product changed = p;
  changed.name = "Bò khô";
  ExpectCode(UpdateProduct(ctx(), Member(b_), changed), ErrorCode::kPermissionDenied);
  ExpectCode(UpdateProduct(ctx(), Actor::Anonymous(), changed), ErrorCode::kPermissionDenied);
  ExpectCode(CreateProduct(ctx(), Member(b_), {.org_id = a_.id, .name = "X"}),
             ErrorCode::kPermissionDenied);
  changed.gtin = "8935001200017";
  changed.ocop = store::OcopRating{.stars = 4,
                                   .decision_number = "123/QĐ-UBND",
                                   .decision_date = "2023-05-10",
                                   .valid_until = "2025-12-31"};
  core::Result<store::Product> updated = UpdateProduct(ctx(), Member(a_), changed);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->identifier, "https://id.gs1.org/01/08935001200017");
  EXPECT_EQ(*GetProduct(ctx(), Actor::Anonymous(), p.id), *updated);
  EXPECT_TRUE(OcopExpired(*updated, clock_));  // 2025-12-31 < 2026-01-01 in Vietnam
  // The same GTIN cannot be registered twice.
  ExpectCode(
      CreateProduct(ctx(), Member(b_), {.org_id = b_.id, .gtin = "08935001200017", .name = "Copy"}),
      ErrorCode::kAlreadyExists, "gtin.taken");
}

TEST_F(RegistryTest, ProductValidation) {
  ExpectCode(
      CreateProduct(ctx(), Member(a_), {.org_id = a_.id, .gtin = "8935001200018", .name = "X"}),
      ErrorCode::kInvalidArgument, "gtin.invalid");
  ExpectCode(CreateProduct(ctx(), Member(a_), {.org_id = a_.id, .name = ""}),
             ErrorCode::kInvalidArgument, "name.required");
  ExpectCode(CreateProduct(ctx(), Member(a_),
                           {.org_id = a_.id,
                            .name = "X",
                            .ocop = store::OcopRating{.stars = 6,
                                                      .decision_number = "1",
                                                      .decision_date = "2024-01-01"}}),
             ErrorCode::kInvalidArgument, "ocop.stars.range");
  ExpectCode(CreateProduct(ctx(), Member(a_),
                           {.org_id = a_.id,
                            .name = "X",
                            .ocop = store::OcopRating{.stars = 3,
                                                      .decision_number = "1",
                                                      .decision_date = "2024-02-30"}}),
             ErrorCode::kInvalidArgument, "ocop.decision_date.format");
}

TEST_F(RegistryTest, CertificatesArePrivateAndMarkedExpired) {
  const store::Certificate c = MakeCertificate(a_);
  ExpectCode(GetCertificate(ctx(), Member(b_), c.id), ErrorCode::kPermissionDenied);
  ExpectCode(GetCertificate(ctx(), Actor::Anonymous(), c.id), ErrorCode::kPermissionDenied);
  ExpectCode(ListCertificates(ctx(), Member(b_), a_.id), ErrorCode::kPermissionDenied);
  ExpectCode(ListCertificates(ctx(), Officer("Kon Tum"), a_.id), ErrorCode::kPermissionDenied);
  ASSERT_TRUE(ListCertificates(ctx(), Officer("Quảng Ngãi"), a_.id).ok());
  store::Certificate changed = c;
  changed.number = "VG-02";
  ExpectCode(UpdateCertificate(ctx(), Member(b_), changed), ErrorCode::kPermissionDenied);
  ExpectCode(CreateCertificate(ctx(), Member(b_), {.org_id = a_.id}), ErrorCode::kPermissionDenied);
  // B cannot attach a certificate to A's product.
  const store::Product pa = MakeProduct(a_);
  store::Certificate other = c;
  other.org_id = b_.id;
  other.product_id = pa.id;
  ExpectCode(CreateCertificate(ctx(), Member(b_), other), ErrorCode::kNotFound);

  core::Result<CertificateView> seen = GetCertificate(ctx(), Member(a_), c.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->expired);
  clock_.Set(core::Timestamp::FromUnixSeconds(1'830'297'600));  // 2028-01-01T00:00:00Z
  EXPECT_TRUE(GetCertificate(ctx(), Member(a_), c.id)->expired);
  EXPECT_TRUE(ListCertificates(ctx(), Member(a_), a_.id)->at(0).expired);
  changed.valid_until = "2024-12-31";  // before issued_on
  ExpectCode(UpdateCertificate(ctx(), Member(a_), changed), ErrorCode::kInvalidArgument,
             "valid_until.before_issued");
}

TEST_F(RegistryTest, LotsArePublicButOnlyTheOwnerAddsOrChangesThem) {
  const store::Product p = MakeProduct(a_, "8935001200017");
  const store::Lot lot = MakeLot(a_, p);
  EXPECT_EQ(lot.identifier, "https://id.gs1.org/01/08935001200017/10/L01");
  EXPECT_EQ(lot.org_id, a_.id);
  for (const Actor& anyone : {Member(b_), Actor::Anonymous()}) {
    EXPECT_TRUE(GetLot(ctx(), anyone, lot.id).ok());
    EXPECT_EQ(ListLots(ctx(), anyone, p.id)->size(), 1u);
  }
  ExpectCode(CreateLot(ctx(), Member(b_),
                       {.product_id = p.id, .code = "L02", .produced_on = "2025-12-21"}),
             ErrorCode::kPermissionDenied);
  ExpectCode(CreateLot(ctx(), Officer("Quảng Ngãi"),
                       {.product_id = p.id, .code = "L02", .produced_on = "2025-12-21"}),
             ErrorCode::kPermissionDenied);
  store::Lot changed = lot;
  changed.quantity = 100;
  ExpectCode(UpdateLot(ctx(), Member(b_), changed), ErrorCode::kPermissionDenied);
  changed.code = "HACKED";  // the code is fixed
  core::Result<store::Lot> updated = UpdateLot(ctx(), Member(a_), changed);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->code, "L01");
  EXPECT_EQ(*GetLot(ctx(), Actor::Anonymous(), lot.id)->quantity, 100);
  ExpectCode(CreateLot(ctx(), Member(a_),
                       {.product_id = p.id, .code = "L01", .produced_on = "2025-12-21"}),
             ErrorCode::kAlreadyExists, "lot_code.taken");
  ExpectCode(CreateLot(ctx(), Member(a_),
                       {.product_id = p.id, .code = "lô 2", .produced_on = "2025-12-21"}),
             ErrorCode::kInvalidArgument, "lot_code.format");
  ExpectCode(CreateLot(ctx(), Member(a_),
                       {.product_id = p.id,
                        .code = "L03",
                        .produced_on = "2025-12-21",
                        .expires_on = "2025-12-01"}),
             ErrorCode::kInvalidArgument, "expires_on.before_produced");
}

TEST_F(RegistryTest, PlatformCodedProductsGetPlatformLotIds) {
  const store::Product p = MakeProduct(a_);
  const store::Lot lot = MakeLot(a_, p, "Lô 1/2026");
  EXPECT_TRUE(ids_.IsPlatformId(lot.identifier)) << lot.identifier;
  EXPECT_NE(lot.identifier.find("/id/lot/"), std::string::npos);
}

TEST_F(RegistryTest, ApiKeysActForTheirOrganisation) {
  const Actor key = Actor::ForApiKey("k1", a_.id);
  EXPECT_TRUE(CreateFacility(ctx(), key, {.org_id = a_.id, .name = "Kho"}).ok());
  ExpectCode(CreateFacility(ctx(), key, {.org_id = b_.id, .name = "Kho"}),
             ErrorCode::kPermissionDenied);
  const Actor system = Actor::ForApiKey("k0", "");
  EXPECT_TRUE(CreateFacility(ctx(), system, {.org_id = b_.id, .name = "Kho"}).ok());
}

}  // namespace
}  // namespace vntrace::registry
