// store::Store: everything vntrace persists, behind one interface with one backend per
// database (SQLite now, PostgreSQL next), opened by OpenStore.
//
// Events are stored once, as their canonical JSON text, with index rows for every entry of
// epcis::Event::index, so that queries and traces are index walks. A capture is atomic (all the
// events of a call or none) and idempotent by eventID (an event already stored is skipped, not
// stored twice), and durable once the call returns success.
//
// Queries choose their candidates through the index and then apply epcis::Matches to each, so
// every EPCIS query condition is honoured whether or not it can use the index. Pages are keyset
// pages: the token of a page holds the sort key and the rowid of its last event, so that events
// captured meanwhile neither repeat nor shift later pages.
//
// Thread-safety: a Store may be used from several threads at once; implementations serialise
// writers internally and let readers proceed in parallel.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db,
//                            store::OpenStore({.location = "vntrace.db"}));
//   VNTRACE_ASSIGN_OR_RETURN(store::CaptureOutcome out, db->CaptureEvents(events));
//   VNTRACE_ASSIGN_OR_RETURN(store::EventPage page, db->QueryEvents(query, {.limit = 30}));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "epcis/event.hpp"
#include "epcis/master_data.hpp"
#include "epcis/query.hpp"
#include "store/fault_injection.hpp"
#include "store/inspection_store.hpp"
#include "store/log_store.hpp"
#include "store/problem_store.hpp"
#include "store/registry_store.hpp"
#include "store/report_store.hpp"
#include "store/stamp_store.hpp"
#include "store/sync_store.hpp"

namespace vntrace::store {

struct StoreOptions {
  // A SQLite file path (or "sqlite:PATH"); later "postgresql://..." for PostgreSQL.
  std::string location = "vntrace.db";
  bool create_if_missing = true;
  // Test hook (see fault_injection.hpp); must outlive the store. Never set in production.
  FaultInjection* fault_injection_for_test = nullptr;
};

struct CaptureOutcome {
  std::size_t stored = 0;   // newly stored events
  std::size_t skipped = 0;  // events whose eventID was already stored
  // Error declarations recorded: events carrying an errorDeclaration whose eventID was stored
  // without one (the stored event now carries the declaration).
  std::size_t declared = 0;
  // Master data vocabulary elements stored or merged into stored ones (CaptureDocument).
  std::size_t vocabulary_elements = 0;
};

// An event read back: its eventID and canonical JSON text (the epcis::Event::json serialised).
struct StoredEvent {
  std::string event_id{};
  std::string json{};
};

// Keyset pagination: `after` is the opaque token of the last page (empty for the first page).
// Tokens are URL-safe (base64url) and only valid with the same query; a malformed token is
// kInvalidArgument. `limit` must be at least 1.
struct PageRequest {
  std::size_t limit = 30;
  std::string after{};
};

struct EventPage {
  std::vector<StoredEvent> events{};
  std::string next{};  // token for the next page; empty on the last page
};

// The top-level EPCIS resources that list distinct values.
enum class Vocabulary { kEventTypes, kEpcs, kBizSteps, kBizLocations, kReadPoints, kDispositions };

struct ValuePage {
  std::vector<std::string> values{};
  std::string next{};
};

// A capture job of POST /capture.
struct CaptureJob {
  std::string capture_id{};
  core::Timestamp created_at{};
  std::optional<core::Timestamp> finished_at{};
  bool running = true;
  bool success = false;
  std::string error_behaviour = "rollback";
  std::string errors_json = "[]";  // RFC 7807 problem objects, as a JSON array text
};

struct CaptureJobPage {
  std::vector<CaptureJob> jobs{};  // newest first
  std::string next{};
};

struct NamedQuery {
  std::string name{};
  std::string definition_json{};  // the "query" object as sent
  core::Timestamp created_at{};
};

struct ApiKey {
  std::string key_id{};       // public part, e.g. "vk_3f9a..."
  std::string secret_hash{};  // hash of the secret part (never the secret itself)
  std::string label{};
  core::Timestamp created_at{};
  std::string org_id{};  // the organisation it acts for; empty for a system key
};

// One link of a node: an event naming it, and the index kind it is named under.
struct NodeLink {
  std::int64_t record = 0;
  epcis::IndexKind kind = epcis::IndexKind::kEpc;
};

// One index entry of an event as node numbers; peer is the entry's type (the item of an
// instance-lot entry, the source or destination type), 0 when it has none.
struct LinkEntry {
  epcis::IndexKind kind = epcis::IndexKind::kEpc;
  std::int64_t node = 0;
  std::int64_t peer = 0;
};

enum class LinkAction : std::uint8_t { kNone, kAdd, kObserve, kDelete };

// An event as graph walks read it (EventLinkReader::ReadEventLinks): no JSON, identifiers as
// node numbers.
struct EventLinks {
  std::string event_id;
  epcis::EventType type = epcis::EventType::kObjectEvent;
  core::Timestamp event_time;
  LinkAction action = LinkAction::kNone;
  bool shipping = false;      // bizStep shipping
  bool receiving = false;     // bizStep receiving
  bool declared = false;      // its error was declared
  std::int64_t location = 0;  // bizLocation, else readPoint; 0 when none
  // Object kinds (epcList ... outputQuantityList), readPoint, bizLocation, source, destination,
  // transformationID and instance-lot entries, by kind then node.
  std::vector<LinkEntry> entries;
};

// A read-only view for graph walks (src/trace): many small index lookups answered from one
// consistent snapshot of the store. Events whose error was declared are returned too (with
// error_declaration_time set); the caller decides what they mean.
//
// Thread-safety: one reader per thread; the store must outlive it.
class EventLinkReader {
 public:
  virtual ~EventLinkReader() = default;
  // Appends to `records` the record number (the store's internal, ascending number of an
  // event) of every event that names `value` under one of `kinds` (values in canonical form, as
  // in epcis::Event::index); an event naming it under several kinds may be appended once per
  // kind.
  virtual core::Status FindRecords(std::span<const epcis::IndexKind> kinds, std::string_view value,
                                   std::vector<std::int64_t>& records) = 0;
  // The event stored under `record`, with its index entries and without its JSON; kNotFound
  // when there is none.
  virtual core::Result<epcis::Event> ReadLinks(std::int64_t record) = 0;
  // The canonical JSON text of the event stored under `record`; kNotFound when there is none.
  virtual core::Result<std::string> ReadJson(std::int64_t record) = 0;

  // The trace link tables, written at capture: every identifier an event links (objects,
  // places, sources and destinations and their types, transformationIDs, instance lots) has a
  // node number (> 0), and walks read numbers only, turning into text just the nodes they show.
  // The node number of `name` (canonical form), or 0 when no stored event links it.
  virtual core::Result<std::int64_t> FindNode(std::string_view name) = 0;
  // The identifier of node `node`; kNotFound when there is none.
  virtual core::Result<std::string> NodeName(std::int64_t node) = 0;
  // Appends every link of `node`: the events naming it (by record number, ascending), each with
  // the index kind it is named under (once per kind).
  virtual core::Status FindNodeLinks(std::int64_t node, std::vector<NodeLink>& links) = 0;
  // The event stored under `record` as walks read it; kNotFound when there is none.
  virtual core::Status ReadEventLinks(std::int64_t record, EventLinks& event) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores `events` atomically; events whose eventID is already stored (or repeated within
  // `events`) are skipped, except an EPCIS error declaration: an event with an errorDeclaration
  // whose eventID names a stored event without one records the declaration on the stored event
  // (its errorDeclaration member, declaration time and error reason / corrective eventID index
  // entries; counted in `declared`); a later declaration of the same event is skipped. Durable on
  // success. kUnavailable when the database is busy past its timeout, kInvalidArgument when an
  // event violates a store constraint (an empty eventID), kInternal on I/O errors; after any error
  // nothing of the call is stored.
  virtual core::Result<CaptureOutcome> CaptureEvents(std::span<const epcis::Event> events) = 0;

  // Stores `events` as CaptureEvents does and, in the same transaction, the vocabulary elements
  // of a document's master data (epcis::DecodeResult::master_data), in order: an element not
  // stored yet (by vocabulary type and canonical id) is stored as given, a stored one merged
  // with it as epcis::MergeVocabularyElement says. Errors as CaptureEvents; after any error
  // nothing of the call is stored.
  virtual core::Result<CaptureOutcome> CaptureDocument(
      std::span<const epcis::Event> events,
      std::span<const epcis::VocabularyElement> master_data) = 0;

  // The element `id` (canonical) of vocabulary `type` as merged from every capture; kNotFound
  // when no capture gave it.
  virtual core::Result<epcis::VocabularyElement> GetVocabularyElement(std::string_view type,
                                                                      std::string_view id) = 0;

  // kNotFound when no event has this eventID.
  virtual core::Result<StoredEvent> GetEvent(std::string_view event_id) = 0;

  // Events matching `query` (every condition, via epcis::Matches on candidates found through
  // the index), one page at a time. Ordered by query.order_by in query.descending direction,
  // ties broken by record order; without orderBy (EPCIS leaves the order unspecified) in record
  // order, i.e. the order in which they were stored, oldest first. event_count_limit caps the
  // whole result across pages. Conditions on master data (WD_, HASATTR_, EQ_ATTR_) are resolved
  // against the master data of the same snapshot (epcis::ResolveMasterData) before matching.
  // kResourceExhausted when the whole result (not the page) would hold more than
  // query.max_event_count events or master data resolution reaches too many elements;
  // kInvalidArgument for a malformed page token or one of another query's ordering.
  virtual core::Result<EventPage> QueryEvents(const epcis::EventQuery& query,
                                              const PageRequest& page) = 0;

  // The distinct values of `vocabulary` named by stored events, in byte order (event types by
  // name), one page at a time. kEpcs covers epcList, childEPCs, parentID, inputEPCList and
  // outputEPCList.
  virtual core::Result<ValuePage> ListVocabulary(Vocabulary vocabulary,
                                                 const PageRequest& page) = 0;

  // Inserts `job`, or updates the job with its capture_id. Times are kept to the nanosecond and
  // read back in UTC.
  virtual core::Status SaveCaptureJob(const CaptureJob& job) = 0;
  // kNotFound when no job has this id.
  virtual core::Result<CaptureJob> GetCaptureJob(std::string_view capture_id) = 0;
  // Newest (first saved) first.
  virtual core::Result<CaptureJobPage> ListCaptureJobs(const PageRequest& page) = 0;

  // kAlreadyExists when the name is taken.
  virtual core::Status CreateNamedQuery(const NamedQuery& query) = 0;
  // kNotFound when no query has this name.
  virtual core::Result<NamedQuery> GetNamedQuery(std::string_view name) = 0;
  // Every named query, by name.
  virtual core::Result<std::vector<NamedQuery>> ListNamedQueries() = 0;
  // kNotFound when no query has this name.
  virtual core::Status DeleteNamedQuery(std::string_view name) = 0;

  // kAlreadyExists when the key_id is taken.
  virtual core::Status CreateApiKey(const ApiKey& key) = 0;
  // kNotFound when no key has this id.
  virtual core::Result<ApiKey> FindApiKey(std::string_view key_id) = 0;

  // A reader for graph walks on a snapshot of the store as it is now.
  virtual core::Result<std::unique_ptr<EventLinkReader>> OpenLinkReader() = 0;

  // The registry and accounts records (organisations, products, users, ...), in the same
  // database. Lives as long as the store.
  virtual RegistryStore& registry() = 0;

  // The stamps, scans and lot recalls (src/label), in the same database. Lives as long as the
  // store.
  virtual StampStore& stamps() = 0;

  // The inspections, violations, photos and recalls of the inspector workspace
  // (src/report/inspection.hpp), in the same database. Lives as long as the store.
  virtual InspectionStore& inspections() = 0;

  // The tamper-evident log (src/ledger): leaves appended by the writes above in their own
  // transactions, subtree hashes, tree heads, witness records. Lives as long as the store.
  virtual LogStore& log() = 0;

  // The authorities' outreach registry and the dashboard's aggregate reads (src/report), in the
  // same database. Lives as long as the store.
  virtual ReportStore& reports() = 0;

  // The problems consumers report from the scan page (problem_store.hpp), in the same database.
  // Lives as long as the store.
  virtual ProblemStore& problems() = 0;

  // The destinations of outbound sync and the changes they deliver (sync_store.hpp), in the same
  // database. Lives as long as the store.
  virtual SyncStore& sync() = 0;

 protected:
  Store() = default;
};

// Opens (creating and migrating when allowed) the store at `options.location`: a file path or
// "sqlite:PATH" for SQLite. kUnsupported for "postgresql://" and "postgres://" (not yet built),
// kNotFound when the file is missing and create_if_missing is false, kFailedPrecondition when
// the database was written by a newer vntrace (unknown schema version), kUnavailable when it
// is locked past the busy timeout, kInternal when it cannot be opened.
core::Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace vntrace::store
