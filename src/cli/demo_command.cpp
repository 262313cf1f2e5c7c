#include "cli/demo_command.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "gs1/keys.hpp"
#include "registry/accounts.hpp"
#include "registry/diary.hpp"
#include "registry/registry.hpp"
#include "registry/validation.hpp"
#include "store/store.hpp"

namespace vntrace::cli {
namespace {

using StepFields = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kProvince = "Quảng Ngãi";
constexpr std::string_view kDemoDomain = "demo.vntrace.vn";

struct DemoArgs {
  std::string db = "vntrace.db";
  std::string base_url = "http://127.0.0.1:8080";
};

struct Login {
  std::string role;
  std::string email;
  std::string password;
};

// Loads the demo through the registry's own functions, as the command line (system_admin) and
// then as each organisation's staff, so every record passes the same checks as in the app.
class DemoLoader {
 public:
  DemoLoader(const registry::Context& ctx, core::Random& random)
      : ctx_(ctx), random_(random), today_(ctx.clock.Now()) {}

  core::Result<std::vector<Login>> Load() {
    const registry::Actor cli = registry::Actor::CommandLine();
    // Authority and platform accounts.
    VNTRACE_RETURN_IF_ERROR(User(cli, "admin", "Quản trị hệ thống", store::Role::kSystemAdmin, ""));
    VNTRACE_RETURN_IF_ERROR(
        User(cli, "sokhcn", "Sở KH&CN Quảng Ngãi", store::Role::kAuthorityOfficer, ""));
    VNTRACE_RETURN_IF_ERROR(
        User(cli, "thanhtra", "Thanh tra ATTP Quảng Ngãi", store::Role::kInspector, ""));

    // Organisations.
    VNTRACE_ASSIGN_OR_RETURN(
        store::Organisation bato,
        Org(store::OrganisationKind::kCooperative, "HTX Nông nghiệp và Dịch vụ Ba Tơ", "Xã Ba Tơ",
            "Thôn Gò Khôn", "0255 3862 118", "Đinh Văn Thành", "", true));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Organisation minhlong,
        Org(store::OrganisationKind::kCooperative, "HTX Nông sản sạch Minh Long", "Xã Minh Long",
            "Thôn Diệp Thượng", "0255 3867 205", "Phạm Văn Long", "", true));
    const std::string prefix = "893999901";
    VNTRACE_ASSIGN_OR_RETURN(
        store::Organisation nghiaan,
        Org(store::OrganisationKind::kEnterprise, "Công ty TNHH Thực phẩm Nghĩa Ân", "Xã Tư Nghĩa",
            "Thôn Trường Thọ", "0255 3845 678", "Nguyễn Thị Ân", prefix, true));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Organisation lanh,
        Org(store::OrganisationKind::kHouseholdBusiness, "Hộ kinh doanh Đinh Văn Lành", "Xã Ba Tơ",
            "Thôn Làng Mâm", "0978 412 356", "Đinh Văn Lành", "", false));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Organisation hoa,
        Org(store::OrganisationKind::kHouseholdBusiness, "Hộ kinh doanh Phạm Thị Hoa",
            "Xã Minh Long", "Thôn Hà Liệt", "0915 207 884", "Phạm Thị Hoa", "", false));

    VNTRACE_RETURN_IF_ERROR(
        User(cli, "bato.admin", "Đinh Văn Thành", store::Role::kOrgAdmin, bato.id));
    VNTRACE_RETURN_IF_ERROR(
        User(cli, "bato.staff", "Đinh Thị Mai", store::Role::kOrgStaff, bato.id));
    VNTRACE_RETURN_IF_ERROR(
        User(cli, "minhlong.admin", "Phạm Văn Long", store::Role::kOrgAdmin, minhlong.id));
    VNTRACE_RETURN_IF_ERROR(
        User(cli, "minhlong.staff", "Phạm Thị Sương", store::Role::kOrgStaff, minhlong.id));
    VNTRACE_RETURN_IF_ERROR(
        User(cli, "nghiaan.admin", "Nguyễn Thị Ân", store::Role::kOrgAdmin, nghiaan.id));
    VNTRACE_RETURN_IF_ERROR(User(cli, "lanh", "Đinh Văn Lành", store::Role::kOrgAdmin, lanh.id));
    VNTRACE_RETURN_IF_ERROR(User(cli, "hoa", "Phạm Thị Hoa", store::Role::kOrgAdmin, hoa.id));

    // Facilities.
    VNTRACE_ASSIGN_OR_RETURN(
        store::Facility bato_farm,
        Place(bato, store::FacilityKind::kFarm, "Vùng trồng khổ qua rừng Gò Khôn", "", "Xã Ba Tơ",
              "khổ qua rừng", 14.7731, 108.7265, 25000));
    VNTRACE_ASSIGN_OR_RETURN(store::Facility kq1,
                             Place(bato, store::FacilityKind::kPlot, "Lô KQ-01", bato_farm.id,
                                   "Xã Ba Tơ", "khổ qua rừng", 14.7742, 108.7251, 5000));
    VNTRACE_ASSIGN_OR_RETURN(store::Facility ot1,
                             Place(bato, store::FacilityKind::kPlot, "Lô ỚT-02", bato_farm.id,
                                   "Xã Ba Tơ", "ớt rừng", 14.7725, 108.7280, 3000));
    VNTRACE_ASSIGN_OR_RETURN(store::Facility bato_dryer,
                             Place(bato, store::FacilityKind::kWorkshop, "Xưởng sấy HTX Ba Tơ", "",
                                   "Xã Ba Tơ", "", 14.7700, 108.7302, std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Facility chuoi1,
        Place(minhlong, store::FacilityKind::kPlot, "Vườn chuối hột Diệp Thượng", "",
              "Xã Minh Long", "chuối hột rừng", 14.9468, 108.6943, 8000));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Facility ml_workshop,
        Place(minhlong, store::FacilityKind::kWorkshop, "Xưởng chế biến HTX Minh Long", "",
              "Xã Minh Long", "", 14.9502, 108.6990, std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Facility na_workshop,
        Place(nghiaan, store::FacilityKind::kWorkshop, "Xưởng chế biến bò khô Nghĩa Ân", "",
              "Xã Tư Nghĩa", "", 15.0989, 108.8060, std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Facility na_shop,
        Place(nghiaan, store::FacilityKind::kShop, "Cửa hàng đặc sản Quảng Ngãi", "",
              "Phường Cẩm Thành", "", 15.1214, 108.8044, std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(store::Facility lanh_plot,
                             Place(lanh, store::FacilityKind::kPlot, "Rẫy khổ qua Làng Mâm", "",
                                   "Xã Ba Tơ", "khổ qua rừng", 14.7810, 108.7188, 2000));
    VNTRACE_ASSIGN_OR_RETURN(store::Facility hoa_plot,
                             Place(hoa, store::FacilityKind::kPlot, "Vườn chuối Hà Liệt", "",
                                   "Xã Minh Long", "chuối hột rừng", 14.9401, 108.7012, 2500));

    // Products (the dried ones carry their OCOP rating).
    VNTRACE_ASSIGN_OR_RETURN(store::Product kq_fresh, Item(bato, "Khổ qua rừng tươi",
                                                           "Rau quả tươi", "kg", "", std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(store::Product ot_fresh,
                             Item(bato, "Ớt rừng tươi", "Rau quả tươi", "kg", "", std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(store::Product kq_dried,
                             Item(bato, "Khổ qua rừng sấy khô", "Nông sản chế biến", "gói", "",
                                  store::OcopRating{.stars = 4,
                                                    .decision_number = "1234/QĐ-UBND",
                                                    .decision_date = "2024-12-20",
                                                    .valid_until = "2027-12-20"}));
    VNTRACE_ASSIGN_OR_RETURN(store::Product ot_dried,
                             Item(bato, "Ớt rừng sấy khô", "Gia vị", "gói", "",
                                  store::OcopRating{.stars = 3,
                                                    .decision_number = "1234/QĐ-UBND",
                                                    .decision_date = "2024-12-20",
                                                    .valid_until = "2027-12-20"}));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Product chuoi_fresh,
        Item(minhlong, "Chuối hột rừng tươi", "Rau quả tươi", "kg", "", std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(store::Product chuoi_dried,
                             Item(minhlong, "Chuối hột rừng sấy khô", "Dược liệu", "gói", "",
                                  store::OcopRating{.stars = 3,
                                                    .decision_number = "2871/QĐ-UBND",
                                                    .decision_date = "2023-11-15",
                                                    .valid_until = "2026-11-15"}));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Product heo_muoi,
        Item(minhlong, "Thịt heo muối Minh Long", "Thực phẩm chế biến", "hũ", "",
             store::OcopRating{.stars = 3,
                               .decision_number = "2871/QĐ-UBND",
                               .decision_date = "2023-11-15",
                               .valid_until = "2026-11-15"}));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Product bo_kho,
        Item(nghiaan, "Bò khô Nghĩa Ân", "Thực phẩm chế biến", "gói", Gtin(prefix, "001"),
             store::OcopRating{.stars = 4,
                               .decision_number = "945/QĐ-UBND",
                               .decision_date = "2025-06-30",
                               .valid_until = "2028-06-30"}));
    VNTRACE_ASSIGN_OR_RETURN(store::Product lanh_kq, Item(lanh, "Khổ qua rừng tươi", "Rau quả tươi",
                                                          "kg", "", std::nullopt));
    VNTRACE_ASSIGN_OR_RETURN(
        store::Product hoa_chuoi,
        Item(hoa, "Chuối hột rừng tươi", "Rau quả tươi", "kg", "", std::nullopt));

    // Certificates: one of them expired.
    VNTRACE_RETURN_IF_ERROR(Certificate(bato, kq_fresh.id, kq1.id, "VietGAP", "VG-QNg-0215",
                                        "Trung tâm Chứng nhận Phù hợp (QUACERT)", Days(-400),
                                        Days(695)));
    VNTRACE_RETURN_IF_ERROR(
        Certificate(minhlong, chuoi_fresh.id, chuoi1.id, "VietGAP", "VG-QNg-0098",
                    "Công ty CP Chứng nhận và Giám định Vinacert", Days(-1200), Days(-65)));
    VNTRACE_RETURN_IF_ERROR(
        Certificate(nghiaan, bo_kho.id, na_workshop.id, "Giấy chứng nhận cơ sở đủ điều kiện ATTP",
                    "215/2024/ATTP-CNĐK", "Sở Y tế Quảng Ngãi", Days(-600), Days(495)));

    // A season on the cooperative's plots, through the diary (each step becomes an event).
    const registry::Actor bato_staff = Staff(bato);
    const registry::Actor ml_staff = Staff(minhlong);
    VNTRACE_RETURN_IF_ERROR(Crop(bato_staff, bato, kq1, kq_fresh, "prepare_land", -120,
                                 {{"method", "Cày ải, lên luống, bón lót vôi"}}));
    VNTRACE_RETURN_IF_ERROR(
        Crop(bato_staff, bato, kq1, kq_fresh, "plant", -112,
             {{"variety", "Khổ qua rừng bản địa"}, {"seed_quantity", "1,2"}, {"seed_unit", "kg"}}));
    VNTRACE_RETURN_IF_ERROR(Crop(bato_staff, bato, kq1, kq_fresh, "fertilise", -90,
                                 {{"input_name", "Phân hữu cơ vi sinh Sông Gianh"},
                                  {"dose", "300"},
                                  {"dose_unit", "kg/sào"}}));
    VNTRACE_RETURN_IF_ERROR(Crop(bato_staff, bato, kq1, kq_fresh, "spray", -45,
                                 {{"pesticide", "Map Green 6SL (sinh học)"},
                                  {"active_ingredient", "Citrus oil"},
                                  {"target", "Bọ trĩ"},
                                  {"dose", "15"},
                                  {"dose_unit", "ml/bình 16 lít"},
                                  {"input_lot", "MG-2503"},
                                  {"phi_days", "3"}}));
    VNTRACE_RETURN_IF_ERROR(
        Crop(bato_staff, bato, kq1, kq_fresh, "fertilise", -38,
             {{"input_name", "NPK 16-16-8 Đầu Trâu"}, {"dose", "10"}, {"dose_unit", "kg/sào"}}));
    VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry kq_harvest,
                             Step(bato_staff, bato, "harvest", -21,
                                  {{"facility", kq1.id},
                                   {"product", kq_fresh.id},
                                   {"quantity", "350"},
                                   {"unit", "kg"},
                                   {"lot_code", "KQ-" + Compact(Days(-21))}}));
    // Chili: a harvest three days after a spray whose interval is seven days (a warning).
    VNTRACE_RETURN_IF_ERROR(
        Crop(bato_staff, bato, ot1, ot_fresh, "plant", -100, {{"variety", "Ớt rừng Ba Tơ"}}));
    VNTRACE_RETURN_IF_ERROR(Crop(bato_staff, bato, ot1, ot_fresh, "spray", -33,
                                 {{"pesticide", "Radiant 60SC"},
                                  {"active_ingredient", "Spinetoram"},
                                  {"target", "Sâu đục quả"},
                                  {"dose", "20"},
                                  {"dose_unit", "ml/bình 16 lít"},
                                  {"phi_days", "7"}}));
    VNTRACE_ASSIGN_OR_RETURN(
        store::DiaryEntry ot_harvest,
        Step(
            bato_staff, bato, "harvest", -30,
            {{"facility", ot1.id}, {"product", ot_fresh.id}, {"quantity", "120"}, {"unit", "kg"}}));

    // The household grows and ships to the cooperative, which receives and dries.
    const registry::Actor lanh_actor = Staff(lanh);
    VNTRACE_RETURN_IF_ERROR(Crop(lanh_actor, lanh, lanh_plot, lanh_kq, "plant", -110, {}));
    VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry lanh_harvest, Step(lanh_actor, lanh, "harvest", -22,
                                                                  {{"facility", lanh_plot.id},
                                                                   {"product", lanh_kq.id},
                                                                   {"quantity", "80"},
                                                                   {"unit", "kg"}}));
    VNTRACE_RETURN_IF_ERROR(Step(lanh_actor, lanh, "ship", -21,
                                 {{"facility", lanh_plot.id},
                                  {"lot", lanh_harvest.lot_id},
                                  {"quantity", "80"},
                                  {"unit", "kg"},
                                  {"receiver", bato.id},
                                  {"receiver_location", bato_dryer.id}}));
    VNTRACE_RETURN_IF_ERROR(Step(bato_staff, bato, "receive_inputs", -21,
                                 {{"facility", bato_dryer.id},
                                  {"lot", lanh_harvest.lot_id},
                                  {"quantity", "80"},
                                  {"unit", "kg"},
                                  {"supplier", lanh.id}}));
    VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry kq_dry,
                             Step(bato_staff, bato, "process", -19,
                                  {{"facility", bato_dryer.id},
                                   {"input_lot", kq_harvest.lot_id},
                                   {"input_quantity", "350"},
                                   {"input_unit", "kg"},
                                   {"input_lot", lanh_harvest.lot_id},
                                   {"input_quantity", "80"},
                                   {"input_unit", "kg"},
                                   {"product", kq_dried.id},
                                   {"quantity", "43"},
                                   {"unit", "kg"},
                                   {"expires_on", Days(346)},
                                   {"method", "Sấy lạnh 45°C trong 18 giờ"}}));
    VNTRACE_RETURN_IF_ERROR(Step(bato_staff, bato, "pack", -18,
                                 {{"facility", bato_dryer.id},
                                  {"lot", kq_dry.lot_id},
                                  {"quantity", "430"},
                                  {"unit", "gói"},
                                  {"package", "Túi zip 100 g"}}));
    VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry ot_dry,
                             Step(bato_staff, bato, "process", -27,
                                  {{"facility", bato_dryer.id},
                                   {"input_lot", ot_harvest.lot_id},
                                   {"input_quantity", "120"},
                                   {"input_unit", "kg"},
                                   {"product", ot_dried.id},
                                   {"quantity", "18"},
                                   {"unit", "kg"},
                                   {"expires_on", Days(338)},
                                   {"method", "Phơi nắng, sấy hoàn thiện"}}));

    // Shipments to the enterprise's shop, received and sold there.
    const registry::Actor na_staff = Staff(nghiaan);
    for (const store::DiaryEntry* lot : {&kq_dry, &ot_dry}) {
      VNTRACE_RETURN_IF_ERROR(Step(bato_staff, bato, "ship", -15,
                                   {{"facility", bato_dryer.id},
                                    {"lot", lot->lot_id},
                                    {"quantity", "100"},
                                    {"unit", "gói"},
                                    {"receiver", nghiaan.id},
                                    {"receiver_location", na_shop.id}}));
      VNTRACE_RETURN_IF_ERROR(Step(na_staff, nghiaan, "receive", -14,
                                   {{"facility", na_shop.id},
                                    {"lot", lot->lot_id},
                                    {"quantity", "100"},
                                    {"unit", "gói"},
                                    {"sender", bato.id}}));
      VNTRACE_RETURN_IF_ERROR(Step(
          na_staff, nghiaan, "sell", -5,
          {{"facility", na_shop.id}, {"lot", lot->lot_id}, {"quantity", "12"}, {"unit", "gói"}}));
    }

    // Minh Long: wild seeded banana from a household, dried at the cooperative.
    const registry::Actor hoa_actor = Staff(hoa);
    VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry hoa_harvest, Step(hoa_actor, hoa, "harvest", -26,
                                                                 {{"facility", hoa_plot.id},
                                                                  {"product", hoa_chuoi.id},
                                                                  {"quantity", "200"},
                                                                  {"unit", "kg"}}));
    VNTRACE_RETURN_IF_ERROR(Step(hoa_actor, hoa, "ship", -25,
                                 {{"facility", hoa_plot.id},
                                  {"lot", hoa_harvest.lot_id},
                                  {"quantity", "200"},
                                  {"unit", "kg"},
                                  {"receiver", minhlong.id}}));
    VNTRACE_ASSIGN_OR_RETURN(store::DiaryEntry chuoi_harvest,
                             Step(ml_staff, minhlong, "harvest", -26,
                                  {{"facility", chuoi1.id},
                                   {"product", chuoi_fresh.id},
                                   {"quantity", "300"},
                                   {"unit", "kg"}}));
    VNTRACE_RETURN_IF_ERROR(Step(ml_staff, minhlong, "receive_inputs", -25,
                                 {{"facility", ml_workshop.id},
                                  {"lot", hoa_harvest.lot_id},
                                  {"quantity", "200"},
                                  {"unit", "kg"},
                                  {"supplier", hoa.id}}));
    VNTRACE_RETURN_IF_ERROR(Step(ml_staff, minhlong, "process", -23,
                                 {{"facility", ml_workshop.id},
                                  {"input_lot", hoa_harvest.lot_id},
                                  {"input_quantity", "200"},
                                  {"input_unit", "kg"},
                                  {"input_lot", chuoi_harvest.lot_id},
                                  {"input_quantity", "300"},
                                  {"input_unit", "kg"},
                                  {"product", chuoi_dried.id},
                                  {"quantity", "95"},
                                  {"unit", "kg"},
                                  {"expires_on", Days(342)},
                                  {"method", "Thái lát, sấy khô"}}));
    // Lots made outside the diary.
    VNTRACE_RETURN_IF_ERROR(registry::CreateLot(ctx_, ml_staff,
                                                {.product_id = heo_muoi.id,
                                                 .code = "HM-" + Compact(Days(-12)),
                                                 .produced_on = Days(-12),
                                                 .expires_on = Days(78),
                                                 .quantity = 60,
                                                 .unit = "hũ"}));
    VNTRACE_RETURN_IF_ERROR(registry::CreateLot(ctx_, na_staff,
                                                {.product_id = bo_kho.id,
                                                 .code = "BK" + Compact(Days(-9)),
                                                 .produced_on = Days(-9),
                                                 .expires_on = Days(171),
                                                 .quantity = 500,
                                                 .unit = "gói"}));
    return std::move(logins_);
  }

 private:
  // "YYYY-MM-DD" `days` from today (Vietnam time).
  std::string Days(int days) const {
    return registry::TodayInVietnam(FixedClock(today_.Plus(std::chrono::hours(24) * days)));
  }
  static std::string Compact(std::string date) {
    std::erase(date, '-');
    return date.substr(2);
  }

  class FixedClock final : public core::Clock {
   public:
    explicit FixedClock(core::Timestamp at) : at_(at) {}
    core::Timestamp Now() const override { return at_; }

   private:
    core::Timestamp at_;
  };

  std::string Password() {
    static constexpr std::string_view kAlphabet =
        "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int i = 0; i < 14; ++i) {
      out += kAlphabet[random_.UniformBelow(kAlphabet.size())];
    }
    return out;
  }

  // A valid tax code of Quảng Ngãi (43...): random body, the check digit that passes.
  std::string TaxCode() {
    while (true) {
      std::string body = "43";
      for (int i = 0; i < 7; ++i) {
        body += static_cast<char>('0' + random_.UniformBelow(10));
      }
      for (char check = '0'; check <= '9'; ++check) {
        if (registry::ValidateTaxCode(body + check).ok()) {
          return body + check;
        }
      }
    }
  }

  static std::string Gtin(const std::string& prefix, const std::string& item) {
    const std::string body = prefix + item;
    return "0" + body + std::to_string(gs1::ComputeCheckDigit(body));
  }

  core::Status User(const registry::Actor& actor, const std::string& name,
                    const std::string& display, store::Role role, const std::string& org_id) {
    Login login{.role = std::string(registry::RoleName(role)),
                .email = name + "@" + std::string(kDemoDomain),
                .password = Password()};
    registry::NewUser user{.email = login.email,
                           .display_name = display,
                           .role = role,
                           .org_id = org_id,
                           .password = login.password};
    if (role == store::Role::kAuthorityOfficer || role == store::Role::kInspector) {
      user.area = {.province = std::string(kProvince)};
    }
    VNTRACE_RETURN_IF_ERROR(
        registry::CreateUser(ctx_, actor, std::move(user), registry::AccountOptions{}));
    logins_.push_back(std::move(login));
    return core::Ok();
  }

  core::Result<store::Organisation> Org(store::OrganisationKind kind, std::string name,
                                        std::string commune, std::string street, std::string phone,
                                        std::string representative, std::string prefix,
                                        bool tax_code) {
    store::Organisation org{.kind = kind,
                            .name = std::move(name),
                            .tax_code = tax_code ? TaxCode() : "",
                            .address = {.province = std::string(kProvince),
                                        .commune = std::move(commune),
                                        .street = std::move(street)},
                            .phone = std::move(phone),
                            .gs1_company_prefix = prefix,
                            .representative = std::move(representative)};
    if (!prefix.empty()) {
      const std::string body = prefix + "000";
      org.gln = body + std::to_string(gs1::ComputeCheckDigit(body));
    }
    return registry::CreateOrganisation(ctx_, registry::Actor::CommandLine(), std::move(org));
  }

  static registry::Actor Staff(const store::Organisation& org) {
    return registry::Actor{.kind = registry::ActorKind::kCommandLine,
                           .id = "demo",
                           .role = store::Role::kOrgStaff,
                           .org_id = org.id};
  }

  core::Result<store::Facility> Place(const store::Organisation& org, store::FacilityKind kind,
                                      std::string name, std::string parent, std::string commune,
                                      std::string crop, double lat, double lon,
                                      std::optional<double> area) {
    return registry::CreateFacility(
        ctx_, Staff(org),
        {.org_id = org.id,
         .kind = kind,
         .name = std::move(name),
         .parent_id = std::move(parent),
         .address = {.province = std::string(kProvince), .commune = std::move(commune)},
         .area_m2 = area,
         .crop = std::move(crop),
         .latitude = lat,
         .longitude = lon});
  }

  core::Result<store::Product> Item(const store::Organisation& org, std::string name,
                                    std::string category, std::string unit, std::string gtin,
                                    std::optional<store::OcopRating> ocop) {
    std::vector<std::string> standards = {"TCVN 12850:2019"};
    if (ocop.has_value()) {
      standards.push_back("TCCS 01:2024/" + std::string(ocop->stars >= 4 ? "OCOP" : "HTX"));
    }
    return registry::CreateProduct(ctx_, Staff(org),
                                   {.org_id = org.id,
                                    .gtin = std::move(gtin),
                                    .name = name,
                                    .description = name + " — đặc sản Quảng Ngãi",
                                    .category = std::move(category),
                                    .unit = std::move(unit),
                                    .brand = org.name,
                                    .origin = "Quảng Ngãi, Việt Nam",
                                    .standards = std::move(standards),
                                    .ocop = std::move(ocop)});
  }

  core::Status Certificate(const store::Organisation& org, std::string product_id,
                           std::string facility_id, std::string kind, std::string number,
                           std::string issuer, std::string issued_on, std::string valid_until) {
    VNTRACE_RETURN_IF_ERROR(registry::CreateCertificate(ctx_, Staff(org),
                                                        {.org_id = org.id,
                                                         .product_id = std::move(product_id),
                                                         .facility_id = std::move(facility_id),
                                                         .kind = std::move(kind),
                                                         .number = std::move(number),
                                                         .issuer = std::move(issuer),
                                                         .issued_on = std::move(issued_on),
                                                         .valid_until = std::move(valid_until)}));
    return core::Ok();
  }

  core::Result<store::DiaryEntry> Step(const registry::Actor& actor, const store::Organisation& org,
                                       std::string template_id, int day, StepFields fields) {
    fields.emplace_back("occurred_at", Days(day) + " 08:30");
    VNTRACE_ASSIGN_OR_RETURN(registry::DiaryStepResult step,
                             registry::RecordStep(ctx_, actor,
                                                  {.org_id = org.id,
                                                   .template_id = std::move(template_id),
                                                   .fields = std::move(fields)}));
    return std::move(step.entry);
  }

  core::Status Crop(const registry::Actor& actor, const store::Organisation& org,
                    const store::Facility& plot, const store::Product& crop,
                    std::string template_id, int day, StepFields fields) {
    fields.emplace_back("facility", plot.id);
    fields.emplace_back("product", crop.id);
    VNTRACE_RETURN_IF_ERROR(Step(actor, org, std::move(template_id), day, std::move(fields)));
    return core::Ok();
  }

  const registry::Context& ctx_;
  core::Random& random_;
  const core::Timestamp today_;
  std::vector<Login> logins_;
};

int RunDemo(const DemoArgs& args) {
  core::Result<registry::PlatformIds> ids = registry::PlatformIds::Create(args.base_url);
  if (!ids.ok()) {
    std::fprintf(stderr, "vntrace demo: %s\n", ids.error().message.c_str());
    return 2;
  }
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) {
    std::fprintf(stderr, "vntrace demo: %s\n", db.error().message.c_str());
    return 1;
  }
  core::SystemClock clock;
  core::SystemRandom random;
  const registry::Context ctx{(*db)->registry(), clock, random, *ids};
  core::Result<std::vector<store::Organisation>> existing = (*db)->registry().ListOrganisations({});
  if (!existing.ok()) {
    std::fprintf(stderr, "vntrace demo: %s\n", existing.error().message.c_str());
    return 1;
  }
  if (!existing->empty()) {
    std::fprintf(stderr,
                 "vntrace demo: %s already has %zu organisations; the demo loads only into an "
                 "empty database\n",
                 args.db.c_str(), existing->size());
    return 1;
  }
  DemoLoader loader(ctx, random);
  core::Result<std::vector<Login>> logins = loader.Load();
  if (!logins.ok()) {
    std::fprintf(stderr, "vntrace demo: loading failed: %s\n", logins.error().ToString().c_str());
    return 1;
  }
  for (const Login& login : *logins) {
    std::printf("%s %s %s\n", login.role.c_str(), login.email.c_str(), login.password.c_str());
  }
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* demo = app.add_subcommand(
      "demo",
      "Load demo data (Quảng Ngãi cooperatives, OCOP products, a season of diary) into an empty "
      "database and print the demo logins");
  demo->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  demo->add_option("--base-url", args->base_url, "the deployment's base URL (platform ids)")
      ->capture_default_str();
  demo->callback([args, &exit_code] { exit_code = RunDemo(*args); });
}

}  // namespace vntrace::cli
