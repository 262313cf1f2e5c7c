#include "registry/media.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/sha256.hpp"
#include "registry/internal/audit.hpp"

namespace vntrace::registry {
namespace {

struct Kind {
  std::string content_type;
  int width = 0;
  int height = 0;
};

std::uint32_t Be16(std::string_view d, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(d[at])) << 8) |
         static_cast<unsigned char>(d[at + 1]);
}

std::uint32_t Be32(std::string_view d, std::size_t at) {
  return (Be16(d, at) << 16) | Be16(d, at + 2);
}

std::uint32_t Le(std::string_view d, std::size_t at, int bytes) {
  std::uint32_t out = 0;
  for (int i = bytes - 1; i >= 0; --i) {
    out = (out << 8) | static_cast<unsigned char>(d[at + static_cast<std::size_t>(i)]);
  }
  return out;
}

bool IsJpeg(std::string_view d) { return d.size() >= 3 && d.substr(0, 3) == "\xFF\xD8\xFF"; }
bool IsPng(std::string_view d) {
  return d.size() >= 8 && d.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8);
}
bool IsWebp(std::string_view d) {
  return d.size() >= 12 && d.substr(0, 4) == "RIFF" && d.substr(8, 4) == "WEBP";
}
bool IsPdf(std::string_view d) { return d.starts_with("%PDF-"); }

// The frame size from a JPEG's first start-of-frame segment; nullopt when the markers end
// before one.
std::optional<Kind> JpegSize(std::string_view d) {
  std::size_t i = 2;
  while (i + 1 < d.size()) {
    if (static_cast<unsigned char>(d[i]) != 0xFF) {
      return std::nullopt;
    }
    const unsigned char marker = static_cast<unsigned char>(d[i + 1]);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    i += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
      continue;  // no length
    }
    if (marker == 0xD9 || i + 2 > d.size()) {
      return std::nullopt;
    }
    const std::size_t length = Be16(d, i);
    if (length < 2 || i + length > d.size()) {
      return std::nullopt;
    }
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 7) {
        return std::nullopt;
      }
      return Kind{"image/jpeg", static_cast<int>(Be16(d, i + 5)), static_cast<int>(Be16(d, i + 3))};
    }
    i += length;
  }
  return std::nullopt;
}

std::optional<Kind> PngSize(std::string_view d) {
  if (d.size() < 24 || d.substr(12, 4) != "IHDR") {
    return std::nullopt;
  }
  return Kind{"image/png", static_cast<int>(std::min<std::uint32_t>(Be32(d, 16), 1u << 30)),
              static_cast<int>(std::min<std::uint32_t>(Be32(d, 20), 1u << 30))};
}

// WebP (RFC 9649): the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended).
std::optional<Kind> WebpSize(std::string_view d) {
  if (d.size() < 30) {
    return std::nullopt;
  }
  const std::string_view chunk = d.substr(12, 4);
  if (chunk == "VP8 ") {
    if (d.substr(23, 3) != "\x9D\x01\x2A") {
      return std::nullopt;
    }
    return Kind{"image/webp", static_cast<int>(Le(d, 26, 2) & 0x3FFF),
                static_cast<int>(Le(d, 28, 2) & 0x3FFF)};
  }
  if (chunk == "VP8L") {
    if (static_cast<unsigned char>(d[20]) != 0x2F) {
      return std::nullopt;
    }
    const std::uint32_t bits = Le(d, 21, 4);
    return Kind{"image/webp", static_cast<int>((bits & 0x3FFF) + 1),
                static_cast<int>(((bits >> 14) & 0x3FFF) + 1)};
  }
  if (chunk == "VP8X") {
    return Kind{"image/webp", static_cast<int>(Le(d, 24, 3) + 1),
                static_cast<int>(Le(d, 27, 3) + 1)};
  }
  return std::nullopt;
}

core::Error Refused(MediaPurpose purpose, std::string_view what, std::string message) {
  const std::string_view field = purpose == MediaPurpose::kProductImage ? "image" : "file";
  return core::InvalidArgument(std::move(message), std::string(field) + "." + std::string(what));
}

// Checks and stores the file of a record that was just written; `entity` names the record.
core::Result<store::MediaInfo> StoreChecked(const Context& ctx, const Actor& actor,
                                            std::string_view org_id, store::MediaInfo info,
                                            std::string_view data) {
  info.org_id = std::string(org_id);
  info.created_at = ctx.clock.Now();
  store::Media media{.info = info, .data = std::string(data)};
  const std::string changes = internal::CreatedJson({{"content_type", info.content_type},
                                                     {"byte_size", std::to_string(info.byte_size)},
                                                     {"sha256", info.sha256}});
  core::Status stored =
      ctx.store.CreateMedia(media, internal::MakeAudit(info.created_at, actor, std::string(org_id),
                                                       "upload", "media", info.id, changes));
  if (!stored.ok() && stored.error().code == core::ErrorCode::kAlreadyExists) {
    return ctx.store.GetMediaInfo(info.id);  // the same bytes are stored already
  }
  VNTRACE_RETURN_IF_ERROR(stored);
  core::LogInfo("file uploaded", {{"id", info.id},
                                  {"org", info.org_id},
                                  {"content_type", info.content_type},
                                  {"bytes", info.byte_size},
                                  {"actor", actor.AuditName()}});
  return info;
}

bool IsMediaId(std::string_view id) {
  return id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

core::Result<store::MediaInfo> InspectUpload(MediaPurpose purpose, std::string_view data) {
  const bool image = purpose == MediaPurpose::kProductImage;
  const std::size_t limit = image ? kMaxImageBytes : kMaxCertificateFileBytes;
  if (data.empty()) {
    return Refused(purpose, "type", "the file is empty");
  }
  if (data.size() > limit) {
    return Refused(purpose, "too_large",
                   fmt::format("the file has {} bytes; at most {} MB", data.size(), limit >> 20));
  }
  std::optional<Kind> kind;
  if (IsJpeg(data)) {
    kind = JpegSize(data);
  } else if (IsPng(data)) {
    kind = PngSize(data);
  } else if (image && IsWebp(data)) {
    kind = WebpSize(data);
  } else if (!image && IsPdf(data)) {
    kind = Kind{"application/pdf", 0, 0};
  } else {
    return Refused(purpose, "type",
                   image ? "an image must be JPEG, PNG or WebP"
                         : "a certificate file must be PDF, JPEG or PNG");
  }
  if (!kind.has_value() ||
      (kind->content_type != "application/pdf" && (kind->width <= 0 || kind->height <= 0))) {
    return Refused(purpose, "corrupt", "the image's size cannot be read: the file is damaged");
  }
  const std::string sha = core::Sha256Hex(data);
  return store::MediaInfo{.id = sha,
                          .content_type = kind->content_type,
                          .sha256 = sha,
                          .byte_size = static_cast<std::int64_t>(data.size()),
                          .width = kind->width,
                          .height = kind->height};
}

std::string MediaPath(std::string_view id) {
  return std::string(kMediaPathPrefix) + std::string(id);
}

std::string_view MediaIdOf(std::string_view ref) {
  if (!ref.starts_with(kMediaPathPrefix)) {
    return {};
  }
  ref.remove_prefix(kMediaPathPrefix.size());
  return IsMediaId(ref) ? ref : std::string_view();
}

core::Result<store::MediaInfo> StoreMedia(const Context& ctx, const Actor& actor,
                                          std::string_view org_id, MediaPurpose purpose,
                                          std::string_view data) {
  if (!CanWriteOrgData(actor, org_id)) {
    return core::PermissionDenied(actor.AuditName() + " may not upload files of organisation '" +
                                  std::string(org_id) + "'");
  }
  VNTRACE_RETURN_IF_ERROR(ctx.store.GetOrganisation(org_id));
  VNTRACE_ASSIGN_OR_RETURN(store::MediaInfo info, InspectUpload(purpose, data));
  return StoreChecked(ctx, actor, org_id, std::move(info), data);
}

// The record is written first, pointing at the file's content-addressed path, and the file
// after it: every validation error of the record or the file stores nothing, and a failure to
// store the file is reported (uploading it again stores it under the same path).

core::Result<store::Product> CreateProductWithImage(const Context& ctx, const Actor& actor,
                                                    store::Product draft, std::string_view image) {
  if (image.empty()) {
    return CreateProduct(ctx, actor, std::move(draft));
  }
  VNTRACE_ASSIGN_OR_RETURN(store::MediaInfo info,
                           InspectUpload(MediaPurpose::kProductImage, image));
  draft.image_ref = MediaPath(info.id);
  VNTRACE_ASSIGN_OR_RETURN(store::Product created, CreateProduct(ctx, actor, std::move(draft)));
  VNTRACE_RETURN_IF_ERROR(StoreChecked(ctx, actor, created.org_id, std::move(info), image));
  return created;
}

core::Result<store::Product> UpdateProductWithImage(const Context& ctx, const Actor& actor,
                                                    store::Product changed,
                                                    std::string_view image) {
  if (image.empty()) {
    return UpdateProduct(ctx, actor, std::move(changed));
  }
  VNTRACE_ASSIGN_OR_RETURN(store::MediaInfo info,
                           InspectUpload(MediaPurpose::kProductImage, image));
  changed.image_ref = MediaPath(info.id);
  VNTRACE_ASSIGN_OR_RETURN(store::Product updated, UpdateProduct(ctx, actor, std::move(changed)));
  VNTRACE_RETURN_IF_ERROR(StoreChecked(ctx, actor, updated.org_id, std::move(info), image));
  return updated;
}

core::Result<CertificateView> CreateCertificateWithFile(const Context& ctx, const Actor& actor,
                                                        store::Certificate draft,
                                                        std::string_view file) {
  if (file.empty()) {
    return CreateCertificate(ctx, actor, std::move(draft));
  }
  VNTRACE_ASSIGN_OR_RETURN(store::MediaInfo info,
                           InspectUpload(MediaPurpose::kCertificateFile, file));
  draft.file_ref = MediaPath(info.id);
  VNTRACE_ASSIGN_OR_RETURN(CertificateView created,
                           CreateCertificate(ctx, actor, std::move(draft)));
  VNTRACE_RETURN_IF_ERROR(
      StoreChecked(ctx, actor, created.certificate.org_id, std::move(info), file));
  return created;
}

core::Result<CertificateView> UpdateCertificateWithFile(const Context& ctx, const Actor& actor,
                                                        store::Certificate changed,
                                                        std::string_view file) {
  if (file.empty()) {
    return UpdateCertificate(ctx, actor, std::move(changed));
  }
  VNTRACE_ASSIGN_OR_RETURN(store::MediaInfo info,
                           InspectUpload(MediaPurpose::kCertificateFile, file));
  changed.file_ref = MediaPath(info.id);
  VNTRACE_ASSIGN_OR_RETURN(CertificateView updated,
                           UpdateCertificate(ctx, actor, std::move(changed)));
  VNTRACE_RETURN_IF_ERROR(
      StoreChecked(ctx, actor, updated.certificate.org_id, std::move(info), file));
  return updated;
}

core::Result<store::Media> GetMedia(const Context& ctx, std::string_view id) {
  if (!IsMediaId(id)) {
    return core::NotFound("no file '" + std::string(id) + "'");
  }
  return ctx.store.GetMedia(id);
}

core::Result<store::MediaInfo> GetMediaInfo(const Context& ctx, std::string_view id) {
  if (!IsMediaId(id)) {
    return core::NotFound("no file '" + std::string(id) + "'");
  }
  return ctx.store.GetMediaInfo(id);
}

DisplaySize FitInBox(int width, int height, int box) {
  if (width <= 0 || height <= 0) {
    return {box, box};
  }
  if (width <= box && height <= box) {
    return {width, height};
  }
  if (width >= height) {
    return {box, std::max(1, static_cast<int>(
                                 (static_cast<std::int64_t>(height) * box + width / 2) / width))};
  }
  return {
      std::max(1, static_cast<int>((static_cast<std::int64_t>(width) * box + height / 2) / height)),
      box};
}

}  // namespace vntrace::registry
