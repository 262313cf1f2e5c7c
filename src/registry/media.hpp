// registry media: files uploaded with registry records — a product's image and a certificate's
// scanned file — stored in the database through store::RegistryStore (CreateMedia), audited,
// and served publicly at MediaPath(id) because products and their certificates are public
// product information.
//
// A file is recognised by its first bytes, never by its name or the type the client declared:
// product images are JPEG, PNG or WebP of at most kMaxImageBytes; certificate files are PDF
// ("%PDF-"), JPEG or PNG of at most kMaxCertificateFileBytes. The id of a stored file is the hex
// SHA-256 of its bytes, so a URL always serves the same bytes (immutable, cacheable) and the
// same file uploaded twice is stored once. Replacing a product's image or a certificate's file
// keeps the old file: older versions of the record may still point to it.
//
// Errors (Error::details holds the code that web/i18n translates):
//   kInvalidArgument  "image.type", "image.too_large", "image.corrupt" (product images);
//                     "file.type", "file.too_large", "file.corrupt" (certificate files)
//   kPermissionDenied the actor may not change the organisation's data
//   kNotFound         the product, certificate or file is missing
//
// Thread-safety: stateless functions; the store does its own locking.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(store::Product p,
//                            registry::SaveProductImage(ctx, actor, product_id, bytes));
//   // p.image_ref == "/media/3f2a…"; GET it with registry::GetMedia(ctx, MediaIdOf(p.image_ref)).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "registry/actor.hpp"
#include "registry/registry.hpp"
#include "store/registry_store.hpp"

namespace vntrace::registry {

inline constexpr std::size_t kMaxImageBytes = 2u << 20;            // 2 MiB
inline constexpr std::size_t kMaxCertificateFileBytes = 5u << 20;  // 5 MiB
inline constexpr std::string_view kMediaPathPrefix = "/media/";

enum class MediaPurpose {
  kProductImage,     // JPEG, PNG, WebP
  kCertificateFile,  // PDF, JPEG, PNG
};

// What a file's first bytes say it is: content_type, width and height (0 for a PDF), byte_size
// and sha256/id; org_id and created_at are left empty. kInvalidArgument with the codes above
// (by `purpose`) for an empty, unknown, too large or truncated file.
core::Result<store::MediaInfo> InspectUpload(MediaPurpose purpose, std::string_view data);

// "/media/{id}".
std::string MediaPath(std::string_view id);
// The id in a reference made by MediaPath, or "" when `ref` is not one.
std::string_view MediaIdOf(std::string_view ref);

// Stores `data` as a file of organisation `org_id` (needs CanWriteOrgData), audited as
// ("upload", "media"). A file with the same bytes already stored is reused (nothing written).
core::Result<store::MediaInfo> StoreMedia(const Context& ctx, const Actor& actor,
                                          std::string_view org_id, MediaPurpose purpose,
                                          std::string_view data);

// Creates the product (as CreateProduct) with `image` as its image when not empty. The image is
// checked before anything is stored, so a bad image stores neither product nor file.
core::Result<store::Product> CreateProductWithImage(const Context& ctx, const Actor& actor,
                                                    store::Product draft, std::string_view image);
// Updates the product (as UpdateProduct); a non-empty `image` replaces its image (the old file
// is kept), an empty one keeps `changed.image_ref`.
core::Result<store::Product> UpdateProductWithImage(const Context& ctx, const Actor& actor,
                                                    store::Product changed, std::string_view image);

// The same for certificates and their file.
core::Result<CertificateView> CreateCertificateWithFile(const Context& ctx, const Actor& actor,
                                                        store::Certificate draft,
                                                        std::string_view file);
core::Result<CertificateView> UpdateCertificateWithFile(const Context& ctx, const Actor& actor,
                                                        store::Certificate changed,
                                                        std::string_view file);

// A stored file with its bytes, or its metadata only; public (products and certificates are).
// kNotFound when missing or when `id` is not a file id.
core::Result<store::Media> GetMedia(const Context& ctx, std::string_view id);
core::Result<store::MediaInfo> GetMediaInfo(const Context& ctx, std::string_view id);

// The size to show an image of `width` x `height` at, to fit in a `box` x `box` square without
// enlarging it; {box, box} when the size is unknown.
struct DisplaySize {
  int width = 0;
  int height = 0;
};
DisplaySize FitInBox(int width, int height, int box);

}  // namespace vntrace::registry
