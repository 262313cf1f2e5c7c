// report::WritePdf: a report::Document as PDF, drawn with cairo and pango (A4, the document's
// margins and font; the fonts are embedded and the text is extractable). Paragraphs break
// across pages between lines; table rows are kept whole and move to the next page when they do
// not fit. Pages after the first carry their number at the top centre, as Decree 30/2020
// prescribes.
//
// Errors: kInternal when cairo fails.
//
// Thread-safety: pure function (cairo and pango are used on one thread per call).
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::string pdf, report::WritePdf(document));
#pragma once

#include <string>

#include "core/result.hpp"
#include "report/document.hpp"

namespace vntrace::report {

core::Result<std::string> WritePdf(const Document& document);

}  // namespace vntrace::report
