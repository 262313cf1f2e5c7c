#include "cli/report_command.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "core/clock.hpp"
#include "registry/actor.hpp"
#include "report/docx_writer.hpp"
#include "report/pdf_writer.hpp"
#include "report/periodic_report.hpp"
#include "store/store.hpp"

namespace vntrace::cli {
namespace {

struct ReportArgs {
  std::string db = "vntrace.db";
  std::string from;
  std::string to;
  std::string area;
  std::string out;
};

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "vntrace report: %s\n", message.c_str());
  return code;
}

// "Quảng Ngãi" or "Quảng Ngãi/Xã Ba Tơ"; empty: the one province of the database's
// organisations.
core::Result<report::Area> ParseArea(store::Store& db, const std::string& text) {
  if (!text.empty()) {
    const std::size_t slash = text.find('/');
    report::Area area{.province = text.substr(0, slash)};
    if (slash != std::string::npos) area.commune = text.substr(slash + 1);
    if (area.province.empty() || (slash != std::string::npos && area.commune.empty())) {
      return core::InvalidArgument("--area must be PROVINCE or PROVINCE/COMMUNE");
    }
    return area;
  }
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Organisation> orgs,
                           db.registry().ListOrganisations({}));
  std::set<std::string> provinces;
  for (const store::Organisation& o : orgs) {
    if (!o.address.province.empty()) provinces.insert(o.address.province);
  }
  if (provinces.size() != 1) {
    return core::InvalidArgument("the database has organisations in " +
                                 std::to_string(provinces.size()) +
                                 " provinces: choose one with --area PROVINCE[/COMMUNE]");
  }
  return report::Area{.province = *provinces.begin()};
}

int RunReport(const ReportArgs& args) {
  const bool docx = args.out.ends_with(".docx");
  if (!docx && !args.out.ends_with(".pdf")) {
    return Fail(2, "--out must end in .docx or .pdf");
  }
  core::Result<std::unique_ptr<store::Store>> db =
      store::OpenStore({.location = args.db, .create_if_missing = false});
  if (!db.ok()) return Fail(1, db.error().message);
  core::Result<report::Area> area = ParseArea(**db, args.area);
  if (!area.ok()) return Fail(2, area.error().message);
  core::SystemClock clock;
  core::Result<report::PeriodicReport> built =
      report::BuildPeriodicReport(report::Context{**db}, registry::Actor::CommandLine(), *area,
                                  {.from = args.from, .to = args.to}, clock.Now());
  if (!built.ok()) {
    return Fail(built.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1,
                built.error().message);
  }
  const report::Document document = report::LayoutReport(*built);
  core::Result<std::string> bytes = docx ? report::WriteDocx(document) : report::WritePdf(document);
  if (!bytes.ok()) return Fail(1, bytes.error().message);
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.close();
  if (!out) return Fail(1, "cannot write " + args.out);
  std::printf("%s: %s, %s (%s – %s), %zu bytes\n", args.out.c_str(), docx ? "DOCX" : "PDF",
              area->commune.empty() ? area->province.c_str()
                                    : (area->commune + ", " + area->province).c_str(),
              built->period.from.c_str(), built->period.to.c_str(), bytes->size());
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the periodic traceability report of an area (DOCX or PDF, Vietnamese "
      "administrative layout) with figures from the database");
  cmd->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  cmd->add_option("--from", args->from, "first day of the period (YYYY-MM-DD)")->required();
  cmd->add_option("--to", args->to, "last day of the period (YYYY-MM-DD)")->required();
  cmd->add_option("--area", args->area,
                  "PROVINCE or PROVINCE/COMMUNE (default: the one province of the database)");
  cmd->add_option("--out", args->out, "the file to write: FILE.docx or FILE.pdf")->required();
  cmd->callback([args, &exit_code] { exit_code = RunReport(*args); });
}

}  // namespace vntrace::cli
