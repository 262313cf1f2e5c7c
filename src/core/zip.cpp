#include "core/zip.hpp"

#include <cstdio>
#include <memory>

#include <zip.h>

#include <fmt/format.h>

namespace vntrace::core {
namespace {

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct SourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

}  // namespace

core::Result<std::string> WriteZip(std::span<const ZipPart> parts, std::string_view what) {
  const auto failed = [what](std::string_view step, zip_error_t* error) {
    return core::Internal(fmt::format("{}: {}: {}", what, step, zip_error_strerror(error)));
  };
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceFree> buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) {
    core::Error e = failed("buffer", &error);
    zip_error_fini(&error);
    return e;
  }
  std::unique_ptr<zip_t, ZipDiscard> archive(
      zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error));
  if (!archive) {
    core::Error e = failed("open", &error);
    zip_error_fini(&error);
    return e;
  }
  zip_error_fini(&error);
  zip_source_keep(buffer.get());  // zip_close releases the archive's reference; we keep ours
  // libzip reads each part's bytes when the archive is closed: `parts` outlives that.
  for (const ZipPart& part : parts) {
    zip_source_t* source = zip_source_buffer(archive.get(), part.data.data(), part.data.size(), 0);
    if (source == nullptr) {
      return failed("source " + part.name, zip_get_error(archive.get()));
    }
    if (zip_file_add(archive.get(), part.name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      return failed("add " + part.name, zip_get_error(archive.get()));
    }
  }
  if (zip_close(archive.get()) != 0) {
    return failed("close", zip_get_error(archive.get()));
  }
  (void)archive.release();  // closed and freed by zip_close
  zip_source_t* src = buffer.get();
  if (zip_source_open(src) != 0) {
    return failed("reopen", zip_source_error(src));
  }
  zip_source_seek(src, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(src);
  zip_source_seek(src, 0, SEEK_SET);
  if (size < 0) {
    zip_source_close(src);
    return failed("size", zip_source_error(src));
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  const zip_int64_t read = zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(src);
  if (read != size) {
    return failed("read", zip_source_error(src));
  }
  return out;
}

}  // namespace vntrace::core
