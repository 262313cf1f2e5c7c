// trace::generator: a realistic, seeded multi-tier supply chain as EPCIS 2.0 events.
//
// Writes the events of a Vietnamese agri-food chain (OCOP products: "Khổ qua rừng sấy khô",
// "Bò khô Nghĩa Ân", "Ớt sấy khô", "Xoài sấy dẻo") for tests, demos and benchmarks:
//   farms        harvest lots (ObjectEvent ADD commissioning, quantityList of /01/G/10/L, ILMD
//                lotNumber and harvest date) and ship parts of each lot to several collectors;
//   collectors   receive (sometimes with a wrong quantity later corrected by an error
//                declaration) and ship partial quantities of many lots, leftovers included, to a
//                processor;
//   processors   dry them (TransformationEvent: several input lots → one output lot; some as two
//                events sharing a transformationID), sometimes rework part of a lot into a new
//                lot of the same product, and ship the bulk to a packer;
//   packers      pack serialised items (SGTIN as EPC URN, Digital Link, or Digital Link with
//                /10/ lot) with the finished lot in the ILMD of the commissioning event,
//                aggregate items into cases and cases onto pallets (SSCC) and ship pallets;
//   distributors receive and unpack pallets (AggregationEvent DELETE) and ship cases;
//   retailers    receive, unpack and sell items (retail_selling).
// Each organisation has a GS1 Company Prefix (893…), a party GLN (PGLN) and a location GLN
// (SGLN), all with valid check digits, and writes identifiers in its own preferred form (EPC URN
// or Digital Link), so both forms of one item or lot appear. Every event carries an eventID
// (urn:uuid). Events come in eventTime order, except the few recorded late, which come where
// they were recorded. Every event passes epcis::DecodeDocument.
//
// Memory stays bounded whatever the size: only events of the chain cycles still in progress
// (about two weeks of simulated time) are held.
//
// Thread-safety: pure functions of their options; the sink is called on the caller's thread.
//
// Example:
//   trace::ChainOptions options{.seed = 7, .target_events = 10'000};
//   auto summary = trace::GenerateChainDocuments(options, 1000, [&](std::string&& doc) {
//     return WriteFile(std::move(doc));
//   });
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"

namespace vntrace::trace {

struct ChainOptions {
  std::uint64_t seed = 1;
  // About how many events to write (the last chain cycle is completed, so a few more may come).
  // At least 1; 10 million and more work in bounded memory.
  std::uint64_t target_events = 10'000;
  // The first harvest; events are written in +07:00.
  core::Timestamp start = core::Timestamp::FromUnixNanos(1'736'118'000'000'000'000, 420);
  // Organisations per tier; 0 picks a number that grows with target_events.
  std::size_t farms = 0;
  std::size_t collectors = 0;
  std::size_t processors = 0;
  std::size_t packers = 0;
  std::size_t distributors = 0;
  std::size_t retailers = 0;
  // Share of events recorded late (written after later events), and of collector receipts
  // declared erroneous and corrected.
  double late_fraction = 0.01;
  double error_fraction = 0.02;
  // Cases of serialised items per packing run, from min_cases to max_cases (both 0: the
  // default, 4 to 8, or 2 for fewer than 400 events); bigger runs give bigger trace answers.
  int min_cases = 0;
  int max_cases = 0;
};

// One generated event: its JSON-LD text (an object, standalone: an event using the "vnt"
// extension prefix carries its own @context) and when it was recorded, which is its eventTime
// unless it was recorded late or is an error declaration.
struct GeneratedEvent {
  std::string json;
  core::Timestamp recorded;
};

// What was written, with a few canonical identifiers worth tracing.
struct ChainSummary {
  std::uint64_t events = 0;
  std::uint64_t documents = 0;  // set by GenerateChainDocuments
  std::uint64_t cycles = 0;     // harvest-to-shelf runs of the chain
  std::uint64_t object_events = 0;
  std::uint64_t aggregation_events = 0;
  std::uint64_t transformation_events = 0;
  std::uint64_t error_declarations = 0;
  std::uint64_t late_events = 0;
  std::uint64_t items = 0;  // serialised consumer items commissioned
  std::uint64_t organisations = 0;
  std::string farm_lot;     // a harvested lot, https://id.gs1.org/01/…/10/…
  std::string product_lot;  // a packed finished-product lot
  std::string retail_item;  // an item sold at retail, https://id.gs1.org/01/…/21/…
  std::string pallet;       // a pallet, https://id.gs1.org/00/…
};

using ChainEventSink = std::function<core::Status(GeneratedEvent&& event)>;
using ChainDocumentSink = std::function<core::Status(std::string&& document)>;

// Generates the chain described by `options`, calling `sink` once per event in recorded order.
// Same options → same events, byte for byte. Returns kInvalidArgument for options out of range
// (target_events 0, more than 999,999 organisations, a fraction outside [0, 1], cases per run
// not 0 and 0 nor within 1 <= min_cases <= max_cases <= 10,000) and the first
// error `sink` returns, after which nothing more is generated.
core::Result<ChainSummary> GenerateChain(const ChainOptions& options, const ChainEventSink& sink);

// GenerateChain, grouped into EPCIS 2.0 JSON-LD EPCISDocuments of at most `per_document` events
// (at least 1), each passed to `sink`; creationDate is the recording time of its last event.
// Errors as GenerateChain, and kInvalidArgument when per_document is 0.
core::Result<ChainSummary> GenerateChainDocuments(const ChainOptions& options,
                                                  std::size_t per_document,
                                                  const ChainDocumentSink& sink);

}  // namespace vntrace::trace
