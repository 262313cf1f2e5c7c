#include "label/stamp_print.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "gs1/digital_link.hpp"
#include "label/render/symbol.hpp"

namespace vntrace::label {
namespace {

constexpr int kMaxQuietZone = 20;
constexpr int kPngPixelsPerModule = 8;

bool MayActOn(const Issuer& issuer, std::string_view org_id) {
  return issuer.system || (!issuer.org_id.empty() && issuer.org_id == org_id);
}

core::Error NoBatch(std::string_view id) {
  return core::NotFound("no stamp batch '" + std::string(id) + "' in this organisation");
}

// "31/12/2026" from an ISO date; other text as is.
std::string ShowDate(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  }
  return iso;
}

core::Result<BatchSummary> Summarise(store::Store& store, store::StampBatch batch) {
  BatchSummary out;
  VNTRACE_ASSIGN_OR_RETURN(store::Lot lot, store.registry().GetLot(batch.lot_id));
  VNTRACE_ASSIGN_OR_RETURN(store::Product product, store.registry().GetProduct(batch.product_id));
  VNTRACE_ASSIGN_OR_RETURN(std::optional<store::LotRecall> recall,
                           store.stamps().GetLotRecall(lot.id));
  VNTRACE_ASSIGN_OR_RETURN(out.scans, store.stamps().CountBatchScans(batch.id));
  out.product_name = product.name;
  out.lot_code = lot.code;
  out.lot_expires_on = lot.expires_on;
  out.gs1 = !product.gtin.empty();
  out.recalled = recall.has_value();
  out.batch = std::move(batch);
  return out;
}

// Quotes a CSV field when needed (RFC 4180) and defuses spreadsheet formulas.
std::string CsvField(std::string_view value) {
  std::string text;
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    text += '\'';
  }
  text.append(value);
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

core::Status CheckSymbology(const BatchDetail& batch, const PrintOptions& options) {
  if (options.layout.symbology != render::Symbology::kQr && !batch.summary.gs1) {
    return core::InvalidArgument(
        "GS1 DataMatrix and GS1-128 carry GS1 codes only; this product has no GTIN, print QR",
        "symbology.gs1_only");
  }
  return core::Ok();
}

core::Error PrintError(const core::Error& error) {
  if (error.code != core::ErrorCode::kInvalidArgument) {
    return error;
  }
  return core::InvalidArgument(error.message, "print.invalid");
}

}  // namespace

core::Result<std::vector<BatchSummary>> ListOrgBatches(store::Store& store, const Issuer& issuer) {
  if (issuer.org_id.empty()) {
    return core::InvalidArgument("stamp batches belong to an organisation; none given",
                                 "stamp.org_required");
  }
  std::vector<BatchSummary> out;
  VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Product> products,
                           store.registry().ListProducts(issuer.org_id));
  for (const store::Product& product : products) {
    VNTRACE_ASSIGN_OR_RETURN(std::vector<store::Lot> lots, store.registry().ListLots(product.id));
    for (const store::Lot& lot : lots) {
      VNTRACE_ASSIGN_OR_RETURN(std::vector<store::StampBatch> batches,
                               store.stamps().ListStampBatches(lot.id));
      for (store::StampBatch& batch : batches) {
        if (batch.org_id != issuer.org_id) {
          continue;
        }
        VNTRACE_ASSIGN_OR_RETURN(BatchSummary summary, Summarise(store, std::move(batch)));
        out.push_back(std::move(summary));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const BatchSummary& a, const BatchSummary& b) {
    if (a.batch.created_at != b.batch.created_at) {
      return b.batch.created_at < a.batch.created_at;
    }
    return a.batch.id < b.batch.id;
  });
  return out;
}

core::Result<BatchDetail> GetOrgBatch(store::Store& store, const Issuer& issuer,
                                      std::string_view batch_id) {
  core::Result<store::StampBatch> batch = store.stamps().GetStampBatch(batch_id);
  if (!batch.ok()) {
    return batch.error().code == core::ErrorCode::kNotFound ? NoBatch(batch_id) : batch.error();
  }
  if (!MayActOn(issuer, batch->org_id)) {
    return NoBatch(batch_id);
  }
  BatchDetail out;
  VNTRACE_ASSIGN_OR_RETURN(out.summary, Summarise(store, std::move(*batch)));
  VNTRACE_ASSIGN_OR_RETURN(out.stamps, store.stamps().ListStamps(batch_id));
  return out;
}

core::Result<IssuedBatch> IssueOrgBatch(StampService& stamps, const Issuer& issuer,
                                        const IssueRequest& request) {
  if (request.mode == store::StampMode::kPerItem &&
      (request.count < 1 || request.count > kMaxStampsPerWebBatch)) {
    return core::InvalidArgument(
        "the number of stamps must be between 1 and " + std::to_string(kMaxStampsPerWebBatch),
        "count.range");
  }
  core::Result<IssuedBatch> issued = stamps.Issue(issuer, request);
  if (issued.ok()) {
    return issued;
  }
  const core::Error& error = issued.error();
  switch (error.code) {
    case core::ErrorCode::kNotFound:
    case core::ErrorCode::kPermissionDenied:
      return core::NotFound("no lot '" + request.lot_id + "' in this organisation",
                            "stamp.lot_not_found");
    case core::ErrorCode::kAlreadyExists:
      return core::AlreadyExists("this lot already has its one code: " + error.message,
                                 "mode.per_lot_exists");
    case core::ErrorCode::kInvalidArgument:
      return core::InvalidArgument(error.message, "lot_id.gs1");
    default:
      return error;
  }
}

core::Status ActivateOrgBatch(store::Store& store, StampService& stamps, const Issuer& issuer,
                              std::string_view batch_id) {
  core::Result<store::StampBatch> batch = store.stamps().GetStampBatch(batch_id);
  if (!batch.ok()) {
    return batch.error().code == core::ErrorCode::kNotFound ? NoBatch(batch_id) : batch.error();
  }
  if (!MayActOn(issuer, batch->org_id)) {
    return NoBatch(batch_id);
  }
  return stamps.Activate(issuer, batch_id);
}

const std::vector<std::string>& StockNames() {
  static const std::vector<std::string> kNames = {"70x37", "50x30", "40x30", "30x20", "roll"};
  return kNames;
}

core::Result<PrintOptions> ParsePrintOptions(std::string_view stock, std::string_view symbology,
                                             std::string_view quiet_zone) {
  PrintOptions out;
  out.stock = stock.empty() ? StockNames().front() : std::string(stock);
  if (out.stock == "70x37") {
    out.layout = render::A4Sheet(render::LabelStock::k70x37);
  } else if (out.stock == "50x30") {
    out.layout = render::A4Sheet(render::LabelStock::k50x30);
  } else if (out.stock == "40x30") {
    out.layout = render::A4Sheet(render::LabelStock::k40x30);
  } else if (out.stock == "30x20") {
    out.layout = render::A4Sheet(render::LabelStock::k30x20);
  } else if (out.stock == "roll") {
    out.layout = render::RollLayout(50, 30);
  } else {
    return core::InvalidArgument("unknown label stock '" + out.stock + "'", "stock.invalid");
  }
  out.symbology = symbology.empty() ? "qr" : std::string(symbology);
  int minimum = render::kQrMinQuietZone;
  if (out.symbology == "qr") {
    out.layout.symbology = render::Symbology::kQr;
  } else if (out.symbology == "datamatrix") {
    out.layout.symbology = render::Symbology::kDataMatrix;
    minimum = render::kDataMatrixMinQuietZone;
  } else if (out.symbology == "gs1-128") {
    out.layout.symbology = render::Symbology::kGs1_128;
    minimum = render::kGs1_128MinQuietZone;
  } else {
    return core::InvalidArgument("unknown symbology '" + out.symbology + "'", "symbology.invalid");
  }
  if (!quiet_zone.empty()) {
    int modules = 0;
    const auto [end, ec] =
        std::from_chars(quiet_zone.data(), quiet_zone.data() + quiet_zone.size(), modules);
    if (ec != std::errc() || end != quiet_zone.data() + quiet_zone.size() || modules < minimum ||
        modules > std::max(minimum, kMaxQuietZone)) {
      return core::InvalidArgument("the quiet zone must be " + std::to_string(minimum) + " to " +
                                       std::to_string(std::max(minimum, kMaxQuietZone)) +
                                       " modules for " + out.symbology,
                                   "quiet_zone.range");
    }
    out.layout.quiet_zone_modules = modules;
  }
  return out;
}

std::vector<render::LabelContent> BatchLabels(const BatchDetail& batch) {
  std::vector<render::LabelContent> labels;
  labels.reserve(batch.stamps.size());
  for (const store::Stamp& stamp : batch.stamps) {
    labels.push_back({.code = stamp.code,
                      .product_name = batch.summary.product_name,
                      .lot = batch.summary.lot_code,
                      .expiry = ShowDate(batch.summary.lot_expires_on),
                      .short_code = stamp.serial.empty() ? batch.summary.lot_code : stamp.serial});
  }
  return labels;
}

core::Result<std::string> BatchPdf(store::Store& store, const Issuer& issuer,
                                   std::string_view batch_id, const PrintOptions& options) {
  VNTRACE_ASSIGN_OR_RETURN(BatchDetail batch, GetOrgBatch(store, issuer, batch_id));
  VNTRACE_RETURN_IF_ERROR(CheckSymbology(batch, options));
  core::Result<std::string> pdf = render::RenderSheet(options.layout, BatchLabels(batch));
  if (!pdf.ok()) {
    return PrintError(pdf.error());
  }
  return pdf;
}

core::Result<std::string> BatchCsv(store::Store& store, const Issuer& issuer,
                                   std::string_view batch_id) {
  VNTRACE_ASSIGN_OR_RETURN(BatchDetail batch, GetOrgBatch(store, issuer, batch_id));
  std::string csv = "sequence,code,short_code,lot,product\r\n";
  const std::vector<render::LabelContent> labels = BatchLabels(batch);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    csv += std::to_string(batch.stamps[i].sequence) + "," + CsvField(labels[i].code) + "," +
           CsvField(labels[i].short_code) + "," + CsvField(labels[i].lot) + "," +
           CsvField(labels[i].product_name) + "\r\n";
  }
  return csv;
}

core::Result<std::string> StampSymbol(store::Store& store, const Issuer& issuer,
                                      std::string_view batch_id, int sequence,
                                      const PrintOptions& options, SymbolFormat format) {
  VNTRACE_ASSIGN_OR_RETURN(BatchDetail batch, GetOrgBatch(store, issuer, batch_id));
  VNTRACE_RETURN_IF_ERROR(CheckSymbology(batch, options));
  auto stamp = std::find_if(batch.stamps.begin(), batch.stamps.end(),
                            [&](const store::Stamp& s) { return s.sequence == sequence; });
  if (stamp == batch.stamps.end()) {
    return core::NotFound("no stamp number " + std::to_string(sequence) + " in batch '" +
                          std::string(batch_id) + "'");
  }
  const render::SymbolOptions symbol_options{
      .quiet_zone = options.layout.quiet_zone_modules,
      .qr_error_correction = options.layout.qr_error_correction};
  core::Result<render::Symbol> symbol = core::Internal("no symbology");
  if (options.layout.symbology == render::Symbology::kQr) {
    symbol = render::RenderQr(stamp->code, symbol_options);
  } else {
    core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(stamp->code);
    if (!dl.ok()) {
      return PrintError(dl.error());
    }
    symbol = options.layout.symbology == render::Symbology::kDataMatrix
                 ? render::RenderDataMatrix(dl->AllElements(), symbol_options)
                 : render::RenderGs1_128(dl->AllElements(), symbol_options);
  }
  if (!symbol.ok()) {
    return PrintError(symbol.error());
  }
  if (format == SymbolFormat::kSvg) {
    return render::ToSvg(*symbol);
  }
  core::Result<std::string> png = render::ToPng(*symbol, kPngPixelsPerModule);
  if (!png.ok()) {
    return PrintError(png.error());
  }
  return png;
}

}  // namespace vntrace::label
