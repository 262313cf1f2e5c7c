// registry xlsx: the small part of Office Open XML spreadsheets (ECMA-376 SpreadsheetML) that
// bulk entry needs — writing a one-sheet workbook (the diary templates) and reading the cells of
// the first sheet of a workbook someone filled in (Excel, LibreOffice Calc, Google Sheets).
//
// Reading turns every cell into the text a person sees in it, so that the rows go through the
// same validation as a CSV file: shared and inline strings as they are, numbers in their shortest
// exact form, booleans as TRUE/FALSE, numbers in date-formatted cells (built-in formats 14-22,
// 45-47 or a custom format with day/month/year tokens) as ISO dates "2026-03-01" (with " HH:MM"
// when they carry a time; 1900 and 1904 date systems). Cells may skip columns (r="C5") and rows.
// Other sheets, formulas (their cached values are read), styles and pictures are ignored.
//
// The file is untrusted: the archive is opened with libzip's consistency checks and is refused
// past XlsxLimits (compressed size, entry count, uncompressed bytes of one part and of all parts
// read — a zip bomb stops at the limit, whatever its headers claim), and the XML is parsed by
// pugixml without entity expansion. Errors are kInvalidArgument with a code in
// Error::details: "xlsx.too_large" (file or a part beyond the limits), "xlsx.entries" (too many
// entries), "xlsx.zip" (not a zip archive, or damaged), "xlsx.no_sheet" (no workbook or no
// first sheet), "xlsx.xml" (a part is not well-formed XML), "xlsx.too_many_rows",
// "xlsx.too_many_columns", "xlsx.cell" (a cell reference or shared-string index out of range).
//
// Thread-safety: stateless functions.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::string bytes,
//                            registry::WriteXlsx({.name = "Nhật ký", .columns = {{"Ngày", 14}}}));
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<registry::XlsxRow> rows, registry::ReadXlsx(bytes));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vntrace::registry {

struct XlsxColumn {
  std::string header{};
  double width = 15;  // in characters of the default font
};

struct XlsxSheet {
  std::string name{};  // at most 31 characters, none of []:*?/\ (replaced by '-')
  std::vector<XlsxColumn> columns{};
  std::vector<std::vector<std::string>> rows{};  // written as inline strings below the header
};

// A workbook with one sheet: the header row bold and frozen, the column widths set.
core::Result<std::string> WriteXlsx(const XlsxSheet& sheet);

struct XlsxLimits {
  std::size_t max_file_bytes = 2u << 20;
  std::size_t max_entries = 256;
  std::size_t max_part_bytes = 16u << 20;   // one uncompressed XML part
  std::size_t max_total_bytes = 32u << 20;  // every part read, uncompressed
  std::size_t max_rows = 2001;              // rows with a cell, header included
  std::size_t max_columns = 256;
};

struct XlsxRow {
  std::size_t row = 0;               // the spreadsheet's row number, 1-based
  std::vector<std::string> cells{};  // from column A; missing cells are ""
};

// The rows of the first sheet (in workbook order) that hold at least one cell, in row order.
core::Result<std::vector<XlsxRow>> ReadXlsx(std::string_view bytes, const XlsxLimits& limits = {});

// True when `bytes` starts as a zip archive ("PK\3\4"), as every XLSX file does.
bool LooksLikeZip(std::string_view bytes);

}  // namespace vntrace::registry
