// core::WriteZip: a ZIP archive written in memory with libzip, for the Office Open XML packages
// vntrace produces (the periodic report's DOCX, the diary's XLSX templates).
//
// Thread-safety: a plain function.
//
// Example:
//   const std::vector<core::ZipPart> parts = {{"[Content_Types].xml", types}, {"word/document.xml",
//   doc}}; VNTRACE_ASSIGN_OR_RETURN(std::string docx, core::WriteZip(parts, "docx"));
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vntrace::core {

struct ZipPart {
  std::string name;  // the path inside the archive, UTF-8
  std::string data;
};

// The archive of `parts`, in order, deflated. kInternal (its message starting with `what`) when
// libzip fails.
core::Result<std::string> WriteZip(std::span<const ZipPart> parts, std::string_view what);

}  // namespace vntrace::core
