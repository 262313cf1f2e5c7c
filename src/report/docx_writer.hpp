// report::WriteDocx: a report::Document as an Office Open XML word-processing file (.docx),
// written by our own code with libzip: [Content_Types].xml, _rels/.rels, word/document.xml,
// word/styles.xml, word/_rels/document.xml.rels and docProps/core.xml. Text is XML-escaped and
// characters that XML 1.0 cannot carry (C0 controls other than tab and line feed) are dropped.
// Opens in LibreOffice and Microsoft Word.
//
// Errors: kInternal when libzip fails.
//
// Thread-safety: pure function.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::string bytes, report::WriteDocx(document));
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "report/document.hpp"

namespace vntrace::report {

core::Result<std::string> WriteDocx(const Document& document);

// The word/document.xml part alone (for tests).
std::string DocxDocumentXml(const Document& document);

}  // namespace vntrace::report
