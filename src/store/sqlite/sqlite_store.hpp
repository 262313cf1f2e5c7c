// store::sqlite::SqliteStore: the Store on one SQLite file (WAL mode), vntrace's embedded default.
//
// Private to the store module: OpenStore creates it from a location; tests and benchmarks may
// name it. The schema (docs/store-schema.md) is created and migrated at open.
//
// Durability: the database runs in WAL mode with synchronous=FULL, so a capture whose
// CaptureEvents returned success survives the process being killed right after (and a power
// loss, as far as the disk honours fsync).
//
// Thread-safety: safe to use from several threads at once. Writes go through one connection
// behind a mutex; reads take a connection from a pool and run in parallel with each other and
// with the writer, each in its own snapshot.
//
// Example:
//   VNTRACE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> db,
//                            SqliteStore::Open({.path = "vntrace.db"}));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/fault_injection.hpp"
#include "store/store.hpp"

namespace vntrace::store::sqlite {

class Connection;

struct SqliteOptions {
  std::string path{};  // a file path; ":memory:" is refused (readers need a shared file)
  bool create_if_missing = true;
  std::chrono::milliseconds busy_timeout{5000};
  // A query whose most selective index lookup finds more events than this scans events in
  // result order instead (stopping when the page is full). Tests lower it to reach that path.
  std::size_t max_candidates = 20000;
  FaultInjection* fault_injection = nullptr;  // test hook; must outlive the store
  std::string vfs_for_test{};  // a registered SQLite VFS (see fault_vfs.hpp); empty: the default
  // Appends the leaves of captured events to the tamper-evident log (log_store.hpp). Only the
  // ledger benchmark turns it off, to measure capture without the log in the same run.
  bool append_log = true;
};

class SqliteStore final : public Store,
                          public RegistryStore,
                          public StampStore,
                          public InspectionStore,
                          public LogStore,
                          public ReportStore,
                          public ProblemStore,
                          public SyncStore {
 public:
  // Opens the database, switches it to WAL and applies pending migrations. Errors as OpenStore.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

  ~SqliteStore() override;

  core::Result<CaptureOutcome> CaptureEvents(std::span<const epcis::Event> events) override;
  core::Result<CaptureOutcome> CaptureDocument(
      std::span<const epcis::Event> events,
      std::span<const epcis::VocabularyElement> master_data) override;
  core::Result<epcis::VocabularyElement> GetVocabularyElement(std::string_view type,
                                                              std::string_view id) override;
  core::Result<StoredEvent> GetEvent(std::string_view event_id) override;
  core::Result<EventPage> QueryEvents(const epcis::EventQuery& query,
                                      const PageRequest& page) override;
  core::Result<ValuePage> ListVocabulary(Vocabulary vocabulary, const PageRequest& page) override;

  core::Status SaveCaptureJob(const CaptureJob& job) override;
  core::Result<CaptureJob> GetCaptureJob(std::string_view capture_id) override;
  core::Result<CaptureJobPage> ListCaptureJobs(const PageRequest& page) override;

  core::Status CreateNamedQuery(const NamedQuery& query) override;
  core::Result<NamedQuery> GetNamedQuery(std::string_view name) override;
  core::Result<std::vector<NamedQuery>> ListNamedQueries() override;
  core::Status DeleteNamedQuery(std::string_view name) override;

  core::Status CreateApiKey(const ApiKey& key) override;
  core::Result<ApiKey> FindApiKey(std::string_view key_id) override;

  core::Result<std::unique_ptr<EventLinkReader>> OpenLinkReader() override;

  RegistryStore& registry() override { return *this; }
  StampStore& stamps() override { return *this; }
  InspectionStore& inspections() override { return *this; }
  LogStore& log() override { return *this; }
  ReportStore& reports() override { return *this; }
  ProblemStore& problems() override { return *this; }
  SyncStore& sync() override { return *this; }

  // RegistryStore, in sqlite_registry.cpp (reads and writes on the writer connection).
  core::Status CreateOrganisation(const Organisation& org, const AuditEntry& audit) override;
  core::Status UpdateOrganisation(const Organisation& org, const AuditEntry& audit) override;
  core::Result<Organisation> GetOrganisation(std::string_view id) override;
  core::Result<std::vector<Organisation>> ListOrganisations(const AreaFilter& area) override;
  core::Status CreateFacility(const Facility& facility, const AuditEntry& audit) override;
  core::Status UpdateFacility(const Facility& facility, const AuditEntry& audit) override;
  core::Result<Facility> GetFacility(std::string_view id) override;
  core::Result<std::vector<Facility>> ListFacilities(std::string_view org_id) override;
  core::Status CreateProduct(const Product& product, const AuditEntry& audit) override;
  core::Status UpdateProduct(const Product& product, const AuditEntry& audit) override;
  core::Result<Product> GetProduct(std::string_view id) override;
  core::Result<Product> FindProductByIdentifier(std::string_view identifier) override;
  core::Result<std::vector<Product>> ListProducts(std::string_view org_id) override;
  core::Result<std::vector<ProductVersion>> ListProductVersions(
      std::string_view product_id) override;  // in sqlite_problems.cpp
  core::Status CreateCertificate(const Certificate& certificate, const AuditEntry& audit) override;
  core::Status UpdateCertificate(const Certificate& certificate, const AuditEntry& audit) override;
  core::Result<Certificate> GetCertificate(std::string_view id) override;
  core::Result<std::vector<Certificate>> ListCertificates(std::string_view org_id) override;
  core::Status CreateLot(const Lot& lot, const AuditEntry& audit) override;
  core::Status UpdateLot(const Lot& lot, const AuditEntry& audit) override;
  core::Result<Lot> GetLot(std::string_view id) override;
  core::Result<std::vector<Lot>> ListLots(std::string_view product_id) override;
  core::Status CreateUser(const User& user, const AuditEntry& audit) override;
  core::Status UpdateUser(const User& user, const AuditEntry& audit) override;
  core::Result<User> GetUser(std::string_view id) override;
  core::Result<User> FindUserByEmail(std::string_view email) override;
  core::Result<std::vector<User>> ListUsers(std::string_view org_id) override;
  core::Status CreateSession(const Session& session) override;
  core::Result<Session> FindSession(std::string_view token_hash) override;
  core::Status DeleteSession(std::string_view token_hash) override;
  core::Status DeleteUserSessions(std::string_view user_id) override;
  core::Status RecordLoginFailure(std::string_view subject, core::Timestamp at) override;
  core::Result<int> CountLoginFailures(std::string_view subject, core::Timestamp since) override;
  core::Status ClearLoginFailures(std::string_view subject) override;
  core::Status AppendAudit(const AuditEntry& audit) override;
  core::Result<std::vector<AuditEntry>> ListAudit(std::string_view org_id,
                                                  std::size_t limit) override;
  core::Status CreateMedia(const Media& media, const AuditEntry& audit) override;
  core::Result<Media> GetMedia(std::string_view id) override;
  core::Result<MediaInfo> GetMediaInfo(std::string_view id) override;
  core::Status RecordDiary(std::span<const DiaryWrite> writes) override;
  core::Result<DiaryEntry> GetDiaryEntry(std::string_view id) override;
  core::Result<std::vector<DiaryEntry>> ListDiaryEntries(const DiaryQuery& query) override;

  // StampStore, in sqlite_stamps.cpp (on the writer connection, as the registry).
  core::Status CreateStampBatch(const StampBatch& batch, std::span<const Stamp> stamps,
                                const AuditEntry& audit) override;
  core::Result<StampBatch> GetStampBatch(std::string_view id) override;
  core::Result<std::vector<StampBatch>> ListStampBatches(std::string_view lot_id) override;
  core::Result<std::vector<Stamp>> ListStamps(std::string_view batch_id) override;
  core::Status ActivateStampBatch(std::string_view id, core::Timestamp at,
                                  const AuditEntry& audit) override;
  core::Result<Stamp> FindStamp(std::string_view code) override;
  core::Status RecordScan(const Scan& scan) override;
  core::Result<std::vector<Scan>> ListScans(std::string_view code, std::size_t limit) override;
  core::Result<std::int64_t> CountScans(std::string_view code) override;
  core::Result<std::int64_t> CountBatchScans(std::string_view batch_id) override;
  core::Status RecallLot(const LotRecall& recall, const AuditEntry& audit) override;
  core::Result<std::optional<LotRecall>> GetLotRecall(std::string_view lot_id) override;

  // InspectionStore, in sqlite_inspections.cpp (on the writer connection, as the registry).
  core::Status CreateInspection(const Inspection& inspection,
                                std::span<const InspectionPhoto> photos,
                                const AuditEntry& audit) override;
  core::Status AddInspectionPhoto(const InspectionPhoto& photo, const AuditEntry& audit) override;
  core::Result<Inspection> GetInspection(std::string_view id) override;
  core::Result<std::vector<Inspection>> ListInspections(const InspectionQuery& query) override;
  core::Result<InspectionPhoto> GetInspectionPhoto(std::string_view id) override;
  core::Result<InspectionTally> CountInspections(const InspectionCountQuery& query) override;
  core::Status CreateRecall(const Recall& recall, std::span<const AuditEntry> audits) override;
  core::Result<Recall> GetRecall(std::string_view id) override;
  core::Result<std::vector<Recall>> ListRecalls(const RecallQuery& query) override;

  // LogStore, in sqlite_log.cpp (reads on reader connections, writes through Write).
  core::Result<std::int64_t> AppendLeaves(std::span<const std::string> data) override;
  core::Result<std::int64_t> LogSize() override;
  core::Result<std::vector<LogHash>> ReadNodes(std::span<const NodeId> nodes) override;
  core::Result<std::vector<LogLeaf>> ReadLeaves(std::int64_t begin, std::int64_t end) override;
  core::Result<EventLeaf> FindEventLeaf(std::string_view event_id) override;
  core::Status SaveTreeHead(const TreeHead& head) override;
  core::Result<std::optional<TreeHead>> LatestTreeHead() override;
  core::Result<std::int64_t> RecordWitnessed(const WitnessedHead& witnessed,
                                             std::int64_t expected_last_sequence) override;
  core::Result<std::optional<WitnessedHead>> LastWitnessed(
      std::string_view log_public_key) override;
  core::Status SaveCosignature(const Cosignature& cosignature) override;
  core::Result<std::vector<Cosignature>> ListCosignatures(std::size_t limit) override;

  // ReportStore, in sqlite_reports.cpp (writes on the writer connection, aggregate reads on a
  // reader connection).
  core::Status CreateOutreach(const OutreachSession& session, const AuditEntry& audit) override;
  core::Result<OutreachSession> GetOutreach(std::string_view id) override;
  core::Result<std::vector<OutreachSession>> ListOutreach(const OutreachQuery& query) override;
  core::Result<std::vector<std::int64_t>> CountAreaScans(const AreaScanQuery& query) override;
  core::Result<std::vector<ScanAlertCandidate>> ListScanAlertCandidates(
      const ScanAlertQuery& query) override;

  // ProblemStore, in sqlite_problems.cpp (on the writer connection, as the registry).
  core::Status CreateProblemReport(const ProblemReport& report, std::string_view photo_data,
                                   const AuditEntry& audit) override;
  core::Result<ProblemReport> GetProblemReport(std::string_view id) override;
  core::Result<std::vector<ProblemReport>> ListProblemReports(const ProblemQuery& query) override;
  core::Result<std::int64_t> CountProblemReports(const ProblemQuery& query) override;
  core::Result<ProblemPhoto> GetProblemPhoto(std::string_view id) override;
  core::Status MarkProblemHandled(std::string_view id, core::Timestamp at, std::string_view actor,
                                  const AuditEntry& audit) override;

  // SyncStore, in sqlite_sync.cpp.
  core::Status CreateSyncDestination(const SyncDestination& destination,
                                     const AuditEntry& audit) override;
  core::Status SetSyncDestinationEnabled(std::string_view id, bool enabled,
                                         const AuditEntry& audit) override;
  core::Result<SyncDestination> GetSyncDestination(std::string_view id) override;
  core::Result<std::vector<SyncDestination>> ListSyncDestinations() override;
  core::Result<std::vector<SyncChange>> ReadEventChanges(std::int64_t after,
                                                         std::size_t limit) override;
  core::Result<std::int64_t> CountEventChangesAfter(std::int64_t after) override;
  core::Status RecordSyncSuccess(std::string_view id, std::int64_t cursor, std::int64_t events,
                                 core::Timestamp at) override;
  core::Status RecordSyncFailure(std::string_view id, std::string_view error,
                                 core::Timestamp at) override;

  // The schema version of the open database (the highest migration applied).
  core::Result<int> SchemaVersionForTest();

 private:
  class ReaderLease;
  class SqliteLinkReader;

  SqliteStore(const SqliteOptions& options, std::unique_ptr<Connection> writer);

  // A reader connection from the pool, opened when the pool is empty.
  core::Result<ReaderLease> AcquireReader();
  // Runs `work` on a reader connection from the pool (each statement in its own snapshot unless
  // `work` begins a transaction).
  core::Status Read(const std::function<core::Status(Connection&)>& work);
  core::Status InjectFault(FaultPoint point);

  // Runs `work` on the writer connection in one transaction: commits (durably) when it succeeds,
  // rolls back and returns its error otherwise.
  core::Status Write(const std::function<core::Status(Connection&)>& work);
  core::Status CaptureInTransaction(Connection& connection, std::span<const epcis::Event> events,
                                    CaptureOutcome& outcome);
  core::Status DeclareError(Connection& connection, std::int64_t rowid,
                            const epcis::Event& declaration);
  // Master data, in sqlite_master_data.cpp: stores or merges each element and appends its log
  // leaf (same transaction).
  core::Status StoreMasterData(Connection& connection,
                               std::span<const epcis::VocabularyElement> master_data,
                               CaptureOutcome& outcome);

  const std::string path_;
  const std::chrono::milliseconds busy_timeout_;
  const std::size_t max_candidates_;
  const std::string vfs_;
  FaultInjection* const fault_injection_;
  const bool append_log_;

  std::mutex writer_mu_;
  const std::unique_ptr<Connection> writer_;  // GUARDED_BY(writer_mu_)

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // GUARDED_BY(readers_mu_)
};

}  // namespace vntrace::store::sqlite
