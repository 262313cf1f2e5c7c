#include "cli/stamp_commands.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "label/render/sheet.hpp"
#include "label/stamps.hpp"
#include "store/store.hpp"

// fontconfig (under pango) keeps its caches until exit by design; in sanitizer builds only
// allocations made inside libfontconfig are kept out of LeakSanitizer's report (as in
// label/render/render_test.cpp).
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace vntrace::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitInvalid = 2;

struct StampArgs {
  std::string db = "vntrace.db";
  std::string base_url = "http://127.0.0.1:8080";
  std::string lot;
  std::string batch;
  std::string reason;
  std::string out;
  std::string stock = "70x37";
  std::string symbology = "qr";
  int count = 1;
  bool per_lot = false;
  bool activate = false;
};

int Fail(const core::Error& error) {
  std::fprintf(stderr, "vntrace: %s\n", error.message.c_str());
  return error.code == core::ErrorCode::kInvalidArgument ? kExitInvalid : kExitFailure;
}

// "31/12/2026" from an ISO date.
std::string ShowDate(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  }
  return iso;
}

core::Result<label::render::SheetLayout> Layout(const StampArgs& args) {
  using label::render::LabelStock;
  label::render::SheetLayout layout;
  if (args.stock == "30x20") {
    layout = label::render::A4Sheet(LabelStock::k30x20);
  } else if (args.stock == "40x30") {
    layout = label::render::A4Sheet(LabelStock::k40x30);
  } else if (args.stock == "50x30") {
    layout = label::render::A4Sheet(LabelStock::k50x30);
  } else if (args.stock == "70x37") {
    layout = label::render::A4Sheet(LabelStock::k70x37);
  } else if (args.stock == "roll") {
    layout = label::render::RollLayout(50, 30);
  } else {
    return core::InvalidArgument("--stock must be 30x20, 40x30, 50x30, 70x37 or roll");
  }
  if (args.symbology == "qr") {
    layout.symbology = label::render::Symbology::kQr;
  } else if (args.symbology == "datamatrix") {
    layout.symbology = label::render::Symbology::kDataMatrix;
  } else if (args.symbology == "gs1-128") {
    layout.symbology = label::render::Symbology::kGs1_128;
  } else {
    return core::InvalidArgument("--symbology must be qr, datamatrix or gs1-128");
  }
  return layout;
}

int RunIssue(const StampArgs& args) {
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  label::StampService stamps(**db, clock, random, args.base_url);
  const label::Issuer issuer{.system = true, .audit_name = "cli"};
  core::Result<label::IssuedBatch> issued = stamps.Issue(
      issuer, {.lot_id = args.lot,
               .count = args.count,
               .mode = args.per_lot ? store::StampMode::kPerLot : store::StampMode::kPerItem});
  if (!issued.ok()) return Fail(issued.error());
  if (args.activate) {
    if (core::Status activated = stamps.Activate(issuer, issued->batch.id); !activated.ok()) {
      return Fail(activated.error());
    }
  }
  std::printf("batch %s: %d stamp(s) for lot %s, %s\n", issued->batch.id.c_str(),
              issued->batch.count, args.lot.c_str(), args.activate ? "active" : "NOT active yet");
  for (const store::Stamp& stamp : issued->stamps) {
    std::printf("%s\n", stamp.code.c_str());
  }
  return 0;
}

int RunActivate(const StampArgs& args) {
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  label::StampService stamps(**db, clock, random, args.base_url);
  if (core::Status done = stamps.Activate({.system = true}, args.batch); !done.ok()) {
    return Fail(done.error());
  }
  std::printf("batch %s active\n", args.batch.c_str());
  return 0;
}

int RunRecall(const StampArgs& args) {
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  label::StampService stamps(**db, clock, random, args.base_url);
  if (core::Status done = stamps.Recall({.system = true}, args.lot, args.reason); !done.ok()) {
    return Fail(done.error());
  }
  std::printf("lot %s recalled\n", args.lot.c_str());
  return 0;
}

int RunRender(const StampArgs& args) {
  core::Result<label::render::SheetLayout> layout = Layout(args);
  if (!layout.ok()) return Fail(layout.error());
  core::Result<std::unique_ptr<store::Store>> db = store::OpenStore({.location = args.db});
  if (!db.ok()) return Fail(db.error());
  core::SystemClock clock;
  core::SystemRandom random;
  label::StampService stamps(**db, clock, random, args.base_url);
  core::Result<label::IssuedBatch> batch = stamps.GetBatch({.system = true}, args.batch);
  if (!batch.ok()) return Fail(batch.error());
  core::Result<store::Lot> lot = (*db)->registry().GetLot(batch->batch.lot_id);
  if (!lot.ok()) return Fail(lot.error());
  core::Result<store::Product> product = (*db)->registry().GetProduct(batch->batch.product_id);
  if (!product.ok()) return Fail(product.error());
  std::vector<label::render::LabelContent> labels;
  labels.reserve(batch->stamps.size());
  for (const store::Stamp& stamp : batch->stamps) {
    labels.push_back({.code = stamp.code,
                      .product_name = product->name,
                      .lot = lot->code,
                      .expiry = ShowDate(lot->expires_on),
                      .short_code = stamp.serial.empty() ? lot->code : stamp.serial});
  }
  core::Result<std::string> pdf = label::render::RenderSheet(*layout, labels);
  if (!pdf.ok()) return Fail(pdf.error());
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
  out.close();
  if (!out) {
    return Fail(core::Internal("cannot write " + args.out));
  }
  std::printf("%zu stamp(s) written to %s (%zu bytes)%s\n", labels.size(), args.out.c_str(),
              pdf->size(), batch->batch.active ? "" : "; the batch is NOT active yet");
  return 0;
}

}  // namespace

void AddStampCommands(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<StampArgs>();
  CLI::App* stamps = app.add_subcommand("stamps", "Traceability stamps (tem truy xuất)");
  stamps->require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    sub->add_option("--db", args->db, "SQLite database file")->capture_default_str();
    sub->add_option("--base-url", args->base_url,
                    "The deployment's URL, stem of platform stamp URIs")
        ->capture_default_str();
  };

  CLI::App* issue = stamps->add_subcommand("issue", "Issue a batch of stamps for a lot");
  common(issue);
  issue->add_option("--lot", args->lot, "Lot id")->required();
  issue->add_option("--count", args->count, "Number of stamps (one per item)")
      ->capture_default_str();
  issue->add_flag("--per-lot", args->per_lot, "One code for the whole lot");
  issue->add_flag("--activate", args->activate, "Activate the batch right away");
  issue->callback([args, &exit_code] { exit_code = RunIssue(*args); });

  CLI::App* activate = stamps->add_subcommand("activate", "Activate a batch of stamps");
  common(activate);
  activate->add_option("--batch", args->batch, "Batch id")->required();
  activate->callback([args, &exit_code] { exit_code = RunActivate(*args); });

  CLI::App* recall = stamps->add_subcommand("recall", "Recall a lot: its stamps scan as recalled");
  common(recall);
  recall->add_option("--lot", args->lot, "Lot id")->required();
  recall->add_option("--reason", args->reason, "Why (shown to consumers)")->required();
  recall->callback([args, &exit_code] { exit_code = RunRecall(*args); });

  CLI::App* render = stamps->add_subcommand("render", "Render a batch as a PDF sheet");
  common(render);
  render->add_option("--batch", args->batch, "Batch id")->required();
  render->add_option("--out", args->out, "Output PDF file")->required();
  render->add_option("--stock", args->stock, "30x20, 40x30, 50x30, 70x37 (A4) or roll")
      ->capture_default_str();
  render->add_option("--symbology", args->symbology, "qr, datamatrix or gs1-128")
      ->capture_default_str();
  render->callback([args, &exit_code] { exit_code = RunRender(*args); });
}

}  // namespace vntrace::cli
