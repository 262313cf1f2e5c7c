#include "registry/media.hpp"

#include <string>

#include <gtest/gtest.h>

#include "core/sha256.hpp"
#include "registry/internal/testing.hpp"

namespace vntrace::registry {
namespace {

using core::ErrorCode;

// A PNG header (signature and IHDR) of a `w` x `h` image; the rest is not read.
std::string Png(std::uint32_t w, std::uint32_t h) {
  std::string out("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16);
  for (std::uint32_t v : {w, h}) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
  }
  return out + std::string("\x08\x02\0\0\0", 5) + "pixels";
}

// A baseline JPEG's SOI, an APP0 segment and SOF0 with the frame size.
std::string Jpeg(std::uint16_t w, std::uint16_t h) {
  std::string out("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
  out += std::string("\xFF\xFF\xC0\0\x11\x08", 6);  // a fill byte before SOF0
  out += static_cast<char>(h >> 8);
  out += static_cast<char>(h & 0xFF);
  out += static_cast<char>(w >> 8);
  out += static_cast<char>(w & 0xFF);
  return out + std::string("\x03\x01\x22\0\x02\x11\x01\x03\x11\x01\xFF\xD9", 12);
}

std::string Webp(std::string_view chunk, std::string_view payload) {
  return "RIFF" + std::string(4, '\0') + "WEBP" + std::string(chunk) + std::string(4, '\0') +
         std::string(payload) + std::string(16, '\0');
}

struct SniffCase {
  std::string name;
  MediaPurpose purpose;
  std::string data;
  std::string content_type;  // empty: refused with `code`
  int width = 0;
  int height = 0;
  std::string code{};
};

TEST(Media, RecognisesFilesByTheirFirstBytes) {
  const std::string big_image(kMaxImageBytes + 1, 'x');
  std::string big_png = Png(10, 10);
  big_png.resize(kMaxImageBytes + 1, '\0');
  const SniffCase cases[] = {
      {"png", MediaPurpose::kProductImage, Png(640, 480), "image/png", 640, 480},
      {"jpeg", MediaPurpose::kProductImage, Jpeg(1200, 900), "image/jpeg", 1200, 900},
      {"webp lossy", MediaPurpose::kProductImage,
       Webp("VP8 ", std::string("\0\0\0\x9D\x01\x2A\x80\x02\xE0\x01", 10)), "image/webp", 640, 480},
      {"webp lossless", MediaPurpose::kProductImage,
       Webp("VP8L", std::string("\x2F\x7F\xC0\x77\x00", 5)), "image/webp", 128, 480},
      {"webp extended", MediaPurpose::kProductImage,
       Webp("VP8X", std::string("\0\0\0\0\x7F\x02\0\xDF\x01\0", 10)), "image/webp", 640, 480},
      {"pdf certificate", MediaPurpose::kCertificateFile, "%PDF-1.7\n%\xE2\xE3\n1 0 obj",
       "application/pdf", 0, 0},
      {"jpeg certificate", MediaPurpose::kCertificateFile, Jpeg(800, 1100), "image/jpeg", 800,
       1100},
      {"pdf is no product image", MediaPurpose::kProductImage, "%PDF-1.7\n", "", 0, 0,
       "image.type"},
      {"webp is no certificate", MediaPurpose::kCertificateFile,
       Webp("VP8X", std::string("\0\0\0\0\x7F\x02\0\xDF\x01\0", 10)), "", 0, 0, "file.type"},
      {"html named .png", MediaPurpose::kProductImage, "<html><script>", "", 0, 0, "image.type"},
      {"empty", MediaPurpose::kProductImage, "", "", 0, 0, "image.type"},
      {"too large", MediaPurpose::kProductImage, big_png, "", 0, 0, "image.too_large"},
      {"too large, any bytes", MediaPurpose::kProductImage, big_image, "", 0, 0, "image.too_large"},
      {"jpeg without a frame", MediaPurpose::kProductImage, std::string("\xFF\xD8\xFF\xD9", 4), "",
       0, 0, "image.corrupt"},
      {"png without IHDR", MediaPurpose::kProductImage, Png(1, 1).substr(0, 14), "", 0, 0,
       "image.corrupt"},
      {"png of zero width", MediaPurpose::kProductImage, Png(0, 5), "", 0, 0, "image.corrupt"},
      {"certificate too large", MediaPurpose::kCertificateFile,
       "%PDF-" + std::string(kMaxCertificateFileBytes, ' '), "", 0, 0, "file.too_large"},
  };
  for (const SniffCase& c : cases) {
    core::Result<store::MediaInfo> info = InspectUpload(c.purpose, c.data);
    if (c.content_type.empty()) {
      ASSERT_FALSE(info.ok()) << c.name;
      EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument) << c.name;
      EXPECT_EQ(info.error().details, c.code) << c.name;
      continue;
    }
    ASSERT_TRUE(info.ok()) << c.name << ": " << info.error().ToString();
    EXPECT_EQ(info->content_type, c.content_type) << c.name;
    EXPECT_EQ(info->width, c.width) << c.name;
    EXPECT_EQ(info->height, c.height) << c.name;
    EXPECT_EQ(info->id, core::Sha256Hex(c.data)) << c.name;
    EXPECT_EQ(info->byte_size, static_cast<std::int64_t>(c.data.size())) << c.name;
  }
}

TEST(Media, PathsAndDisplaySizes) {
  const std::string id = core::Sha256Hex("x");
  EXPECT_EQ(MediaPath(id), "/media/" + id);
  EXPECT_EQ(MediaIdOf(MediaPath(id)), id);
  EXPECT_EQ(MediaIdOf("https://example.com/a.png"), "");
  EXPECT_EQ(MediaIdOf("/media/../etc"), "");
  EXPECT_EQ(FitInBox(4000, 3000, 320).width, 320);
  EXPECT_EQ(FitInBox(4000, 3000, 320).height, 240);
  EXPECT_EQ(FitInBox(300, 900, 96).width, 32);
  EXPECT_EQ(FitInBox(50, 40, 96).width, 50);
  EXPECT_EQ(FitInBox(0, 0, 96).height, 96);
}

class MediaTest : public internal::RegistryFixture {
 public:
  void SetUp() override {
    a_ = MakeOrg("HTX Nghĩa Ân", "Quảng Ngãi", "0300588569");
    b_ = MakeOrg("HTX Ba Tơ", "Kon Tum", "0100109106");
  }
  std::size_t AuditCount() { return ListAudit(ctx(), Actor::CommandLine(), "", 1000)->size(); }

  store::Organisation a_;
  store::Organisation b_;
};

TEST_F(MediaTest, ProductImagesAreStoredOnceAuditedAndKeptWhenReplaced) {
  const std::string first = Png(640, 480);
  core::Result<store::Product> p = CreateProductWithImage(
      ctx(), Member(a_), {.org_id = a_.id, .name = "Bò khô Nghĩa Ân"}, first);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->image_ref, MediaPath(core::Sha256Hex(first)));
  core::Result<store::Media> stored = GetMedia(ctx(), MediaIdOf(p->image_ref));
  ASSERT_TRUE(stored.ok()) << stored.error().ToString();
  EXPECT_EQ(stored->data, first);
  EXPECT_EQ(stored->info.org_id, a_.id);
  EXPECT_EQ(stored->info.content_type, "image/png");
  EXPECT_EQ(stored->info.width, 640);
  core::Result<std::vector<store::AuditEntry>> audit =
      ListAudit(ctx(), Member(a_, Role::kOrgAdmin), a_.id, 10);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ((*audit)[0].entity, "media");
  EXPECT_EQ((*audit)[0].action, "upload");
  EXPECT_EQ((*audit)[1].entity, "product");

  const std::string second = Jpeg(300, 200);
  store::Product changed = *p;
  core::Result<store::Product> updated = UpdateProductWithImage(ctx(), Member(a_), changed, second);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->image_ref, MediaPath(core::Sha256Hex(second)));
  EXPECT_TRUE(GetMedia(ctx(), core::Sha256Hex(first)).ok());  // the old image is kept
  // No new image: the reference stays.
  changed = *updated;
  changed.description = "Đặc sản";
  EXPECT_EQ(UpdateProductWithImage(ctx(), Member(a_), changed, "")->image_ref, updated->image_ref);
  // The same bytes again are stored once.
  const std::size_t before = AuditCount();
  changed.image_ref.clear();
  ASSERT_TRUE(UpdateProductWithImage(ctx(), Member(a_), changed, second).ok());
  EXPECT_EQ(AuditCount(), before + 1);  // the product update only
}

TEST_F(MediaTest, BadImagesAndOtherOrganisationsStoreNothing) {
  const std::size_t before = AuditCount();
  core::Result<store::Product> refused = CreateProductWithImage(
      ctx(), Member(a_), {.org_id = a_.id, .name = "Ớt"}, "GIF89a not accepted");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().details, "image.type");
  EXPECT_TRUE(ListProducts(ctx(), Member(a_), a_.id)->empty());
  EXPECT_EQ(AuditCount(), before);

  // A product that is invalid stores no image either.
  const std::string png = Png(10, 10);
  refused = CreateProductWithImage(ctx(), Member(a_), {.org_id = a_.id, .name = ""}, png);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(GetMedia(ctx(), core::Sha256Hex(png)).error().code, ErrorCode::kNotFound);

  core::Result<store::Product> own =
      CreateProductWithImage(ctx(), Member(a_), {.org_id = a_.id, .name = "Ớt"}, "");
  ASSERT_TRUE(own.ok());
  store::Product theirs = *own;
  core::Result<store::Product> hijack = UpdateProductWithImage(ctx(), Member(b_), theirs, png);
  ASSERT_FALSE(hijack.ok());
  EXPECT_EQ(hijack.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(GetMedia(ctx(), core::Sha256Hex(png)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(StoreMedia(ctx(), Member(b_), a_.id, MediaPurpose::kProductImage, png).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(GetProduct(ctx(), Member(a_), own->id)->image_ref, "");
  EXPECT_EQ(GetMedia(ctx(), "not-an-id").error().code, ErrorCode::kNotFound);
}

TEST_F(MediaTest, CertificateFilesAreAttachedAtCreationOrLater) {
  const std::string pdf = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
  core::Result<CertificateView> created = CreateCertificateWithFile(ctx(), Member(a_),
                                                                    {.org_id = a_.id,
                                                                     .kind = "VietGAP",
                                                                     .number = "VG-01",
                                                                     .issuer = "Trung tâm",
                                                                     .issued_on = "2025-01-01"},
                                                                    "");
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->certificate.file_ref, "");
  store::Certificate changed = created->certificate;
  EXPECT_EQ(UpdateCertificateWithFile(ctx(), Member(b_), changed, pdf).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(UpdateCertificateWithFile(ctx(), Member(a_), changed, Png(1, 1) + "<").ok(), true);
  core::Result<CertificateView> with_pdf =
      UpdateCertificateWithFile(ctx(), Member(a_), changed, pdf);
  ASSERT_TRUE(with_pdf.ok()) << with_pdf.error().ToString();
  EXPECT_EQ(with_pdf->certificate.file_ref, MediaPath(core::Sha256Hex(pdf)));
  EXPECT_EQ(GetMediaInfo(ctx(), core::Sha256Hex(pdf))->content_type, "application/pdf");
  core::Result<CertificateView> refused =
      UpdateCertificateWithFile(ctx(), Member(a_), changed, "PK\3\4 a zip");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().details, "file.type");
}

}  // namespace
}  // namespace vntrace::registry
