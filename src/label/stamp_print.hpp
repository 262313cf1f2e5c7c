// label::stamp_print: what a producer sees and downloads of its own stamp batches — the list of
// its batches with their lots and scan counts, one batch with its codes, and the batch printed:
// a print-ready PDF sheet on a label stock (render/sheet.hpp), a CSV of the codes and their
// short codes, and one code as an SVG or PNG symbol (render/symbol.hpp).
//
// Isolation: every function acts only on batches of the issuer's organisation (or any batch
// for a system issuer). A batch of another organisation answers kNotFound, exactly as a batch
// that does not exist, so its existence is not revealed. Writes (issuing, activating) go
// through StampService, which audits them.
//
// Thread-safety: stateless functions; safe from any thread when the store is (it is).
//
// Example:
//   label::Issuer issuer{.org_id = org, .audit_name = "user:u_1"};
//   VNTRACE_ASSIGN_OR_RETURN(std::vector<label::BatchSummary> batches,
//                            label::ListOrgBatches(store, issuer));
//   VNTRACE_ASSIGN_OR_RETURN(label::PrintOptions options,
//                            label::ParsePrintOptions("70x37", "qr", ""));
//   VNTRACE_ASSIGN_OR_RETURN(std::string pdf,
//                            label::BatchPdf(store, issuer, batches[0].batch.id, options));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "label/render/sheet.hpp"
#include "label/stamps.hpp"
#include "store/store.hpp"

namespace vntrace::label {

// The most stamps one batch issued from the web app may hold: the batch is printed within one
// request (the command line may issue up to kMaxStampsPerBatch).
inline constexpr int kMaxStampsPerWebBatch = 10'000;

struct BatchSummary {
  store::StampBatch batch{};
  std::string product_name{};
  std::string lot_code{};
  std::string lot_expires_on{};  // ISO date; empty when none
  // True when the codes are GS1 Digital Links (the product has a GTIN): only those can be
  // printed as GS1 DataMatrix or GS1-128; platform URIs are QR only.
  bool gs1 = false;
  bool recalled = false;
  std::int64_t scans = 0;  // scans of all the batch's codes
};

struct BatchDetail {
  BatchSummary summary{};
  std::vector<store::Stamp> stamps{};  // in printing order
};

// The batches of the issuer's organisation, newest first. kInvalidArgument for an issuer
// without an organisation.
core::Result<std::vector<BatchSummary>> ListOrgBatches(store::Store& store, const Issuer& issuer);

// One batch with its codes. kNotFound when missing or of another organisation.
core::Result<BatchDetail> GetOrgBatch(store::Store& store, const Issuer& issuer,
                                      std::string_view batch_id);

// Issues a batch from the web app: as StampService::Issue, with count at most
// kMaxStampsPerWebBatch, and errors named after the form's fields: kInvalidArgument details
// "count.range" (count outside 1..kMaxStampsPerWebBatch) or "lot_id.gs1" (the lot code cannot go
// into a Digital Link); kNotFound "stamp.lot_not_found" for a missing lot or one of another
// organisation; kAlreadyExists "mode.per_lot_exists" when the lot's one code was issued.
core::Result<IssuedBatch> IssueOrgBatch(StampService& stamps, const Issuer& issuer,
                                        const IssueRequest& request);

// Activates a batch of the issuer's organisation. kNotFound when missing or of another
// organisation. Activating twice is harmless.
core::Status ActivateOrgBatch(store::Store& store, StampService& stamps, const Issuer& issuer,
                              std::string_view batch_id);

// How a batch is printed.
struct PrintOptions {
  render::SheetLayout layout{};
  std::string stock{};      // "30x20", "40x30", "50x30", "70x37" or "roll"
  std::string symbology{};  // "qr", "datamatrix" or "gs1-128"
};

// The label stocks offered, as ParsePrintOptions reads them; the first is the default.
const std::vector<std::string>& StockNames();

// Reads the form fields of a print request: `stock` (StockNames(); empty: 70x37), `symbology`
// ("qr", "datamatrix", "gs1-128"; empty: qr) and `quiet_zone` (modules, empty: the
// symbology's minimum; at most 20). kInvalidArgument with details "stock.invalid",
// "symbology.invalid" or "quiet_zone.range" (below the symbology's minimum or above 20).
core::Result<PrintOptions> ParsePrintOptions(std::string_view stock, std::string_view symbology,
                                             std::string_view quiet_zone);

// The labels of a batch: its codes with the product name, lot, expiry (dd/mm/yyyy) and short
// code (the serial, or the lot code for a per-lot GS1 code), in printing order.
std::vector<render::LabelContent> BatchLabels(const BatchDetail& batch);

// The batch as a PDF sheet. kNotFound as GetOrgBatch; kInvalidArgument with details
// "symbology.gs1_only" when a GS1 symbology is asked for platform codes, "print.invalid" when
// the codes do not fit the symbology or the label (the message says why).
core::Result<std::string> BatchPdf(store::Store& store, const Issuer& issuer,
                                   std::string_view batch_id, const PrintOptions& options);

// The batch's codes as CSV (RFC 4180, UTF-8, header "sequence,code,short_code,lot,product").
// kNotFound as GetOrgBatch.
core::Result<std::string> BatchCsv(store::Store& store, const Issuer& issuer,
                                   std::string_view batch_id);

enum class SymbolFormat { kSvg, kPng };

// Code number `sequence` (1-based) of the batch as one symbol. kNotFound as GetOrgBatch or
// when the batch has no such code; kInvalidArgument as BatchPdf.
core::Result<std::string> StampSymbol(store::Store& store, const Issuer& issuer,
                                      std::string_view batch_id, int sequence,
                                      const PrintOptions& options, SymbolFormat format);

}  // namespace vntrace::label
