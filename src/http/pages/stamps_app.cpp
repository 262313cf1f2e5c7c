#include "http/pages/stamps_app.hpp"

#include <charconv>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/pages/form.hpp"
#include "http/pages/internal/app_shell.hpp"
#include "http/pages/internal/view.hpp"
#include "label/stamp_print.hpp"
#include "label/stamps.hpp"
#include "registry/registry.hpp"

namespace vntrace::http::pages {
namespace {

using internal::Data;
using internal::Page;
using internal::ShowDate;
using internal::ShowVietnamTime;

constexpr int kDefaultCount = 100;
constexpr std::size_t kCodesShown = 20;

std::string Query(const Page& page, std::string_view name) {
  return std::string(page.req.QueryParam(name).value_or(""));
}

// A positive integer, or 0 when `text` is not one.
int ParseCount(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value > 0 ? value : 0;
}

class StampsApp : public internal::AppShell {
 public:
  StampsApp(ProducerAppContext& context, registry::PlatformIds ids)
      : AppShell(context, std::move(ids)),
        stamps_(context.store, context.clock, context.random, context.base_url) {}

  using PageMethod = Response (StampsApp::*)(Page&);

  // Wraps a page: session, CSRF, and the rule that only an organisation's accounts have stamps.
  Handler Wrap(std::shared_ptr<StampsApp> self, PageMethod method) {
    return [self, method](Request& req) {
      return self->Dispatch(req, true, [&self, method](Page& page) {
        if (page.org().empty()) {
          return self->ErrorPage(page, core::PermissionDenied("stamps belong to an organisation"));
        }
        return ((*self).*method)(page);
      });
    };
  }

  std::string T(const Page& page, const std::string& key) const {
    return view().Text(page.lang, key);
  }

  static label::Issuer IssuerOf(const Page& page) {
    return label::Issuer{.org_id = page.org(), .audit_name = page.actor().AuditName()};
  }

  static std::string Href(const std::string& batch_id, std::string_view rest = "") {
    return "/app/stamps/" + UrlEncode(batch_id) + std::string(rest);
  }

  Data SummaryData(const Page& page, const label::BatchSummary& s) {
    Data d;
    d.set("href", Href(s.batch.id));
    d.set("id", s.batch.id);
    d.set("product", s.product_name);
    d.set("lot", s.lot_code);
    d.set("count", std::to_string(s.batch.count));
    d.set("per_lot", s.batch.mode == store::StampMode::kPerLot);
    d.set("mode", T(page, s.batch.mode == store::StampMode::kPerLot ? "stamps.mode.per_lot"
                                                                    : "stamps.mode.per_item"));
    d.set("issued", ShowVietnamTime(s.batch.created_at, true));
    d.set("active", s.batch.active);
    if (s.batch.activated_at) d.set("activated", ShowVietnamTime(*s.batch.activated_at, true));
    d.set("scans", std::to_string(s.scans));
    d.set("recalled", s.recalled);
    d.set("gs1", s.gs1);
    return d;
  }

  // ---- list

  Response Batches(Page& page) {
    core::Result<std::vector<label::BatchSummary>> batches =
        label::ListOrgBatches(app_.store, IssuerOf(page));
    if (!batches.ok()) return ErrorPage(page, batches.error());
    Data rows = internal::List();
    for (const label::BatchSummary& s : *batches) rows.push_back(SummaryData(page, s));
    Data data;
    data.set("batches", rows);
    data.set("empty", batches->empty());
    return Show(page, "stamps", std::move(data));
  }

  // ---- issue

  std::vector<std::pair<std::string, std::string>> LotChoices(Page& page) {
    std::vector<std::pair<std::string, std::string>> out;
    core::Result<std::vector<store::Product>> products =
        registry::ListProducts(ctx_, page.actor(), page.org());
    if (!products.ok()) return out;
    for (const store::Product& p : *products) {
      core::Result<std::vector<store::Lot>> lots = registry::ListLots(ctx_, page.actor(), p.id);
      if (!lots.ok()) continue;
      for (const store::Lot& lot : *lots) {
        std::string label = p.name + " · " + lot.code;
        if (!lot.expires_on.empty()) label += " · HSD " + ShowDate(lot.expires_on);
        out.emplace_back(lot.id, std::move(label));
      }
    }
    return out;
  }

  Data IssueFormData(Page& page, std::string_view lot, std::string_view count, bool per_lot) {
    std::vector<std::pair<std::string, std::string>> lots = LotChoices(page);
    Data data;
    data.set("lot_options", Options(lots, lot, false, ""));
    data.set("no_lots", lots.empty());
    data.set("f_count", std::string(count));
    data.set("max_count", std::to_string(label::kMaxStampsPerWebBatch));
    data.set("mode_per_item", !per_lot);
    data.set("mode_per_lot", per_lot);
    return data;
  }

  Response IssueForm(Page& page) {
    return Show(page, "stamp_issue",
                IssueFormData(page, Query(page, "lot"), std::to_string(kDefaultCount), false));
  }

  Response Issue(Page& page) {
    const std::string lot(page.form.Get("lot_id"));
    const bool per_lot = page.form.Get("mode") == "per_lot";
    const std::string_view count_text = page.form.Get("count");
    core::Result<label::IssuedBatch> issued = label::IssueOrgBatch(
        stamps_, IssuerOf(page),
        {.lot_id = lot,
         .count = per_lot ? 1 : ParseCount(count_text),
         .mode = per_lot ? store::StampMode::kPerLot : store::StampMode::kPerItem});
    if (!issued.ok()) {
      Data data = IssueFormData(page, lot, count_text, per_lot);
      FormErrors(page, data, issued.error());
      return Show(page, "stamp_issue", std::move(data), ProblemOf(issued.error()).status);
    }
    return Redirect(Href(issued->batch.id, "?issued=1"));
  }

  // ---- one batch

  Data BatchData(Page& page, const label::BatchDetail& batch) {
    Data data = SummaryData(page, batch.summary);
    data.set("issued_now", Query(page, "issued") == "1");
    data.set("activated_now", Query(page, "activated") == "1");
    data.set("activate_action", Href(batch.summary.batch.id, "/activate"));
    data.set("pdf_action", Href(batch.summary.batch.id, "/sheet.pdf"));
    data.set("csv_href", Href(batch.summary.batch.id, "/codes.csv"));
    std::vector<std::pair<std::string, std::string>> stocks;
    for (const std::string& name : label::StockNames()) {
      stocks.emplace_back(name, T(page, "stamps.stock." + name));
    }
    const std::string stock = Query(page, "stock");
    data.set("stock_options", Options(stocks, stock.empty() ? "70x37" : stock, false, ""));
    std::vector<std::pair<std::string, std::string>> symbologies = {{"qr", "QR Code"}};
    if (batch.summary.gs1) {
      symbologies.emplace_back("datamatrix", "GS1 DataMatrix");
      symbologies.emplace_back("gs1-128", "GS1-128");
    }
    data.set("symbology_options", Options(symbologies, Query(page, "symbology"), false, ""));
    data.set("f_quiet_zone", Query(page, "quiet_zone"));
    Data codes = internal::List();
    for (std::size_t i = 0; i < batch.stamps.size() && i < kCodesShown; ++i) {
      const store::Stamp& s = batch.stamps[i];
      Data row;
      row.set("sequence", std::to_string(s.sequence));
      row.set("code", s.code);
      row.set("short", s.serial.empty() ? batch.summary.lot_code : s.serial);
      const std::string base = Href(batch.summary.batch.id, "/code/" + std::to_string(s.sequence));
      row.set("svg", base + "?format=svg");
      row.set("png", base + "?format=png");
      codes.push_back(row);
    }
    data.set("codes", codes);
    data.set("more_codes", batch.stamps.size() > kCodesShown);
    return data;
  }

  Response Batch(Page& page) {
    core::Result<label::BatchDetail> batch =
        label::GetOrgBatch(app_.store, IssuerOf(page), page.req.PathParam("id"));
    if (!batch.ok()) return ErrorPage(page, batch.error());
    return Show(page, "stamp_batch", BatchData(page, *batch));
  }

  Response Activate(Page& page) {
    const std::string id(page.req.PathParam("id"));
    core::Status done =
        page.form.Get("confirm") == "1"
            ? label::ActivateOrgBatch(app_.store, stamps_, IssuerOf(page), id)
            : core::Status(core::InvalidArgument("tick the confirmation box", "confirm.activate"));
    if (!done.ok()) {
      core::Result<label::BatchDetail> batch = label::GetOrgBatch(app_.store, IssuerOf(page), id);
      if (!batch.ok()) return ErrorPage(page, batch.error());
      Data data = BatchData(page, *batch);
      FormErrors(page, data, done.error());
      return Show(page, "stamp_batch", std::move(data), ProblemOf(done.error()).status);
    }
    return Redirect(Href(id, "?activated=1"));
  }

  // ---- downloads

  // The print options of the query; on a bad field, the batch page with the error beside it.
  core::Result<label::PrintOptions> PrintOptionsOf(Page& page) {
    return label::ParsePrintOptions(Query(page, "stock"), Query(page, "symbology"),
                                    Query(page, "quiet_zone"));
  }

  Response PrintFailed(Page& page, const core::Error& error) {
    core::Result<label::BatchDetail> batch =
        label::GetOrgBatch(app_.store, IssuerOf(page), page.req.PathParam("id"));
    if (!batch.ok() || error.code != core::ErrorCode::kInvalidArgument) {
      return ErrorPage(page, batch.ok() ? error : batch.error());
    }
    Data data = BatchData(page, *batch);
    FormErrors(page, data, error);
    for (const std::string_view field : {"stock", "symbology", "quiet_zone"}) {
      data.set("f_" + std::string(field), Query(page, field));
    }
    if (error.details == "print.invalid") data.set("err_detail", error.message);
    return Show(page, "stamp_batch", std::move(data), 400);
  }

  static Response Download(std::string body, std::string_view type, const std::string& name) {
    Response res = Response::Text(200, std::move(body), type);
    res.headers["Content-Disposition"] = "attachment; filename=\"" + name + "\"";
    res.headers["Cache-Control"] = "private, no-store";
    return res;
  }

  Response Pdf(Page& page) {
    const std::string id(page.req.PathParam("id"));
    core::Result<label::PrintOptions> options = PrintOptionsOf(page);
    if (!options.ok()) return PrintFailed(page, options.error());
    core::Result<std::string> pdf = label::BatchPdf(app_.store, IssuerOf(page), id, *options);
    if (!pdf.ok()) return PrintFailed(page, pdf.error());
    return Download(std::move(*pdf), "application/pdf",
                    "tem-" + id + "-" + options->stock + "-" + options->symbology + ".pdf");
  }

  Response Csv(Page& page) {
    const std::string id(page.req.PathParam("id"));
    core::Result<std::string> csv = label::BatchCsv(app_.store, IssuerOf(page), id);
    if (!csv.ok()) return ErrorPage(page, csv.error());
    return Download(std::move(*csv), "text/csv; charset=utf-8", "tem-" + id + ".csv");
  }

  Response Code(Page& page) {
    const std::string id(page.req.PathParam("id"));
    const int sequence = ParseCount(page.req.PathParam("n"));
    const bool png = Query(page, "format") == "png";
    core::Result<label::PrintOptions> options = PrintOptionsOf(page);
    if (!options.ok()) return PrintFailed(page, options.error());
    core::Result<std::string> symbol =
        label::StampSymbol(app_.store, IssuerOf(page), id, sequence, *options,
                           png ? label::SymbolFormat::kPng : label::SymbolFormat::kSvg);
    if (!symbol.ok()) return PrintFailed(page, symbol.error());
    Response res = Response::Text(200, std::move(*symbol), png ? "image/png" : "image/svg+xml");
    res.headers["Content-Disposition"] = "inline; filename=\"tem-" + id + "-" +
                                         std::to_string(sequence) + (png ? ".png\"" : ".svg\"");
    res.headers["Cache-Control"] = "private, no-store";
    return res;
  }

 private:
  label::StampService stamps_;
};

}  // namespace

core::Status RegisterStampsApp(Router& router, ProducerAppContext& context) {
  VNTRACE_ASSIGN_OR_RETURN(registry::PlatformIds ids,
                           registry::PlatformIds::Create(context.base_url));
  // Shared by the handlers the router holds (their one owner is the router).
  auto app = std::make_shared<StampsApp>(context, std::move(ids));
  using P = StampsApp;
  const std::pair<Method, std::pair<std::string_view, StampsApp::PageMethod>> routes[] = {
      {Method::kGet, {"/app/stamps", &P::Batches}},
      {Method::kGet, {"/app/stamps/new", &P::IssueForm}},
      {Method::kPost, {"/app/stamps/new", &P::Issue}},
      {Method::kGet, {"/app/stamps/{id}", &P::Batch}},
      {Method::kPost, {"/app/stamps/{id}/activate", &P::Activate}},
      {Method::kGet, {"/app/stamps/{id}/sheet.pdf", &P::Pdf}},
      {Method::kGet, {"/app/stamps/{id}/codes.csv", &P::Csv}},
      {Method::kGet, {"/app/stamps/{id}/code/{n}", &P::Code}},
  };
  for (const auto& [method, route] : routes) {
    router.Add(method, route.first, app->Wrap(app, route.second));
  }
  return core::Ok();
}

}  // namespace vntrace::http::pages
