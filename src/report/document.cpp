#include "report/document.hpp"

namespace vntrace::report {
namespace {

void AppendParagraph(std::string& out, const Paragraph& p) {
  for (const Run& run : p.runs) {
    out += run.text;
  }
  out += '\n';
}

}  // namespace

std::string PlainText(const Document& document) {
  std::string out;
  for (const Block& block : document.blocks) {
    if (const auto* p = std::get_if<Paragraph>(&block)) {
      AppendParagraph(out, *p);
      continue;
    }
    for (const std::vector<TableCell>& row : std::get<Table>(block).rows) {
      for (const TableCell& cell : row) {
        for (const Paragraph& p : cell.paragraphs) {
          AppendParagraph(out, p);
        }
      }
    }
  }
  return out;
}

}  // namespace vntrace::report
