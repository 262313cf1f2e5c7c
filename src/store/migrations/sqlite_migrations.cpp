#include "store/migrations/sqlite_migrations.hpp"

#include <array>

namespace vntrace::store::migrations {
namespace {

// Version 1: events with their index, capture jobs, named queries and API keys.
//
// events.id is the rowid: it grows with every stored event and is the "record order" used when a
// query has no orderBy and as the tie-breaker of every ordering. Empty optional values (action,
// bizStep, ...) are NULL. events.index_entries holds the event's index entries (see
// store/internal/index_codec.hpp) so that rebuilding an event needs no index walk.
// event_index is clustered by (kind, value, event_rowid): finding the events that name a value
// is one range read, and each index row costs one B-tree insert at capture. It declares no
// foreign key to events: both are written in one transaction by CaptureEvents only, and the
// check would cost a lookup per index row.
// eventIDs are found through events.event_key, a 64-bit hash of the eventID (see
// store/sqlite/event_key.hpp), with a plain index: its entries are a tenth of the size of the
// eventID text's, so that the pages random eventIDs dirty at capture are few and stay cached.
// Uniqueness of event_id is kept by CaptureEvents (a lookup by key, then a text comparison).
// Version 1 was edited in place before any release (event_key replaced UNIQUE (event_id)).
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  event_key INTEGER NOT NULL,
  event_id TEXT NOT NULL CHECK (event_id <> ''),
  event_type INTEGER NOT NULL CHECK (event_type BETWEEN 1 AND 5),
  event_time_ns INTEGER NOT NULL,
  event_time_offset INTEGER NOT NULL CHECK (event_time_offset BETWEEN -1439 AND 1439),
  record_time_ns INTEGER NOT NULL,
  action TEXT CHECK (action IN ('ADD', 'OBSERVE', 'DELETE')),
  biz_step TEXT,
  disposition TEXT,
  read_point TEXT,
  biz_location TEXT,
  error_declaration_time_ns INTEGER,
  index_entries BLOB NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX events_by_key ON events (event_key);
CREATE INDEX events_by_event_time ON events (event_time_ns);
CREATE INDEX events_by_record_time ON events (record_time_ns);
CREATE INDEX events_by_type ON events (event_type);

CREATE TABLE event_index (
  kind INTEGER NOT NULL CHECK (kind > 0),
  value TEXT NOT NULL,
  event_rowid INTEGER NOT NULL,
  type TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (kind, value, event_rowid, type)
) WITHOUT ROWID;

CREATE TABLE capture_jobs (
  id INTEGER PRIMARY KEY,
  capture_id TEXT NOT NULL UNIQUE CHECK (capture_id <> ''),
  created_at_ns INTEGER NOT NULL,
  finished_at_ns INTEGER,
  running INTEGER NOT NULL CHECK (running IN (0, 1)),
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  error_behaviour TEXT NOT NULL,
  errors_json TEXT NOT NULL
);

CREATE TABLE named_queries (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  definition_json TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);

CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY CHECK (key_id <> ''),
  secret_hash TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);
)sql";

// Version 2: the registry and accounts (organisations, facilities, products, certificates, lots,
// users, sessions, login failures), the append-only audit log, and the organisation of an API
// key (NULL: a system key).
//
// Ids are platform URIs or random tokens made by src/registry. Enumerations are the integers of
// store/registry_store.hpp. Dates are ISO 8601 calendar dates ('' when none), so that text order
// is date order. audit_log refuses UPDATE and DELETE through triggers.
constexpr std::string_view kRegistrySchema = R"sql(
CREATE TABLE organisations (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),
  name TEXT NOT NULL CHECK (name <> ''),
  tax_code TEXT UNIQUE,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  commune TEXT NOT NULL,
  street TEXT NOT NULL,
  phone TEXT NOT NULL,
  gs1_company_prefix TEXT NOT NULL,
  gln TEXT NOT NULL,
  representative TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL,
  updated_at_ns INTEGER NOT NULL
);
CREATE INDEX organisations_by_area ON organisations (province, commune);

CREATE TABLE facilities (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  name TEXT NOT NULL CHECK (name <> ''),
  identifier TEXT NOT NULL UNIQUE CHECK (identifier <> ''),
  gln TEXT NOT NULL,
  gln_extension TEXT NOT NULL,
  parent_id TEXT REFERENCES facilities (id),
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  commune TEXT NOT NULL,
  street TEXT NOT NULL,
  area_m2 REAL,
  crop TEXT NOT NULL,
  latitude REAL,
  longitude REAL,
  created_at_ns INTEGER NOT NULL,
  updated_at_ns INTEGER NOT NULL
);
CREATE INDEX facilities_by_org ON facilities (org_id, name);

CREATE TABLE products (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  identifier TEXT NOT NULL UNIQUE CHECK (identifier <> ''),
  gtin TEXT NOT NULL,
  name TEXT NOT NULL CHECK (name <> ''),
  description TEXT NOT NULL,
  image_ref TEXT NOT NULL,
  category TEXT NOT NULL,
  unit TEXT NOT NULL,
  brand TEXT NOT NULL,
  origin TEXT NOT NULL,
  standards TEXT NOT NULL,
  ocop_stars INTEGER CHECK (ocop_stars BETWEEN 1 AND 5),
  ocop_decision_number TEXT,
  ocop_decision_date TEXT,
  ocop_valid_until TEXT,
  created_at_ns INTEGER NOT NULL,
  updated_at_ns INTEGER NOT NULL
);
CREATE INDEX products_by_org ON products (org_id, name);

CREATE TABLE certificates (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  product_id TEXT REFERENCES products (id),
  facility_id TEXT REFERENCES facilities (id),
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  issuer TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  file_ref TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);
CREATE INDEX certificates_by_org ON certificates (org_id);

CREATE TABLE lots (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  product_id TEXT NOT NULL REFERENCES products (id),
  code TEXT NOT NULL CHECK (code <> ''),
  identifier TEXT NOT NULL UNIQUE CHECK (identifier <> ''),
  produced_on TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  quantity REAL,
  unit TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL,
  UNIQUE (product_id, code)
);

CREATE TABLE users (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  email TEXT NOT NULL UNIQUE CHECK (email <> ''),
  display_name TEXT NOT NULL,
  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 5),
  org_id TEXT REFERENCES organisations (id),
  area_province TEXT NOT NULL,
  area_district TEXT NOT NULL,
  area_commune TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at_ns INTEGER NOT NULL
);
CREATE INDEX users_by_org ON users (org_id, email);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY CHECK (token_hash <> ''),
  user_id TEXT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL,
  expires_at_ns INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
  subject TEXT NOT NULL,
  at_ns INTEGER NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (subject, at_ns);

CREATE TABLE audit_log (
  sequence INTEGER PRIMARY KEY,
  at_ns INTEGER NOT NULL,
  actor TEXT NOT NULL,
  org_id TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  changes_json TEXT NOT NULL
);
CREATE INDEX audit_log_by_org ON audit_log (org_id, sequence);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

ALTER TABLE api_keys ADD COLUMN org_id TEXT REFERENCES organisations (id);
)sql";

// Version 3: the production diary. One row per recorded step; its event is in `events` (the
// same transaction wrote both), its lots in `lots`. The id is the client's UUID, so a step sent
// twice by a phone's offline queue is stored once.
constexpr std::string_view kDiarySchema = R"sql(
CREATE TABLE diary_entries (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  template_id TEXT NOT NULL CHECK (template_id <> ''),
  facility_id TEXT NOT NULL REFERENCES facilities (id),
  product_id TEXT NOT NULL,
  lot_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  occurred_at_ns INTEGER NOT NULL,
  occurred_at_offset INTEGER NOT NULL CHECK (occurred_at_offset BETWEEN -1439 AND 1439),
  recorded_at_ns INTEGER NOT NULL,
  fields_json TEXT NOT NULL,
  event_id TEXT NOT NULL
);
CREATE INDEX diary_entries_by_org ON diary_entries (org_id, occurred_at_ns);
CREATE INDEX diary_entries_by_facility ON diary_entries (facility_id, occurred_at_ns);
CREATE INDEX diary_entries_by_lot ON diary_entries (lot_id) WHERE lot_id <> '';
)sql";

// Version 4: traceability stamps. A batch of codes issued for one lot, every issued code (the
// canonical code is the key the resolver looks up), the scans of codes (issued or not: a scan of
// a code never issued is evidence too; no personal data), and lot recalls.
constexpr std::string_view kStampSchema = R"sql(
CREATE TABLE stamp_batches (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  product_id TEXT NOT NULL REFERENCES products (id),
  lot_id TEXT NOT NULL REFERENCES lots (id),
  mode INTEGER NOT NULL CHECK (mode IN (1, 2)),
  count INTEGER NOT NULL CHECK (count > 0),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at_ns INTEGER NOT NULL,
  activated_at_ns INTEGER
);
CREATE INDEX stamp_batches_by_lot ON stamp_batches (lot_id, created_at_ns);

CREATE TABLE stamps (
  code TEXT PRIMARY KEY CHECK (code <> ''),
  batch_id TEXT NOT NULL REFERENCES stamp_batches (id),
  serial TEXT NOT NULL,
  sequence INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX stamps_by_batch ON stamps (batch_id, sequence);

CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  at_ns INTEGER NOT NULL,
  province TEXT NOT NULL,
  user_agent_hash TEXT NOT NULL
);
CREATE INDEX scans_by_code ON scans (code, at_ns);

CREATE TABLE lot_recalls (
  lot_id TEXT PRIMARY KEY REFERENCES lots (id),
  reason TEXT NOT NULL,
  recalled_at_ns INTEGER NOT NULL
);
)sql";

// Inspections and recalls (the inspector workspace): inspections with the area of the
// organisation at the time (counts per area and period read inspections_by_area), their
// violations and photos (the image bytes in the database, at most a few MB each, limited by
// src/report/inspection.hpp), and recalls with the lots they covered and the organisations that
// must see them; the recall report generated at the time is kept with the recall.
constexpr std::string_view kInspectionSchema = R"sql(
CREATE TABLE inspections (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  province TEXT NOT NULL,
  commune TEXT NOT NULL,
  facility_id TEXT REFERENCES facilities (id),
  place TEXT NOT NULL,
  latitude REAL,
  longitude REAL,
  inspected_on TEXT NOT NULL,
  result INTEGER NOT NULL CHECK (result BETWEEN 1 AND 4),
  notes TEXT NOT NULL,
  code TEXT NOT NULL,
  lot_id TEXT REFERENCES lots (id),
  inspector TEXT NOT NULL,
  inspector_name TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);
CREATE INDEX inspections_by_area ON inspections (province, commune, inspected_on);
CREATE INDEX inspections_by_org ON inspections (org_id, inspected_on);

CREATE TABLE inspection_violations (
  inspection_id TEXT NOT NULL REFERENCES inspections (id),
  position INTEGER NOT NULL,
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  description TEXT NOT NULL,
  PRIMARY KEY (inspection_id, position)
) WITHOUT ROWID;

CREATE TABLE inspection_photos (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  inspection_id TEXT NOT NULL REFERENCES inspections (id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  data BLOB NOT NULL,
  added_at_ns INTEGER NOT NULL
);
CREATE INDEX inspection_photos_by_inspection ON inspection_photos (inspection_id, added_at_ns);

CREATE TABLE recalls (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  lot_id TEXT NOT NULL REFERENCES lots (id),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  province TEXT NOT NULL,
  commune TEXT NOT NULL,
  reason TEXT NOT NULL,
  scope INTEGER NOT NULL CHECK (scope IN (1, 2)),
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL,
  report_csv TEXT NOT NULL,
  report_html_vi TEXT NOT NULL,
  report_html_en TEXT NOT NULL
);
CREATE INDEX recalls_by_area ON recalls (province, commune, created_at_ns);

CREATE TABLE recall_lots (
  recall_id TEXT NOT NULL REFERENCES recalls (id),
  lot_id TEXT NOT NULL REFERENCES lots (id),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  position INTEGER NOT NULL,
  PRIMARY KEY (recall_id, lot_id)
) WITHOUT ROWID;

CREATE TABLE recall_parties (
  recall_id TEXT NOT NULL REFERENCES recalls (id),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  role INTEGER NOT NULL CHECK (role IN (1, 2, 3)),
  PRIMARY KEY (recall_id, org_id, role)
) WITHOUT ROWID;
CREATE INDEX recall_parties_by_org ON recall_parties (org_id, recall_id);
)sql";

// The tamper-evident log (src/ledger, store/log_store.hpp): the leaves in acceptance order
// (source_row: the events row of an event or error declaration leaf, the audit_log sequence of an
// audit leaf), the hash of every complete subtree of two or more leaves (level >= 1; level 0 is
// log_leaves.leaf_hash), the signed tree heads, the heads of other logs this server co-signed as
// a witness, and the co-signatures witnesses gave this log. Every table is append-only.
constexpr std::string_view kLogSchema = R"sql(
CREATE TABLE log_leaves (
  leaf_index INTEGER PRIMARY KEY CHECK (leaf_index >= 0),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  data TEXT NOT NULL,
  leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
  source_row INTEGER
);
CREATE INDEX log_leaves_by_event ON log_leaves (source_row) WHERE kind = 1;

CREATE TABLE log_nodes (
  level INTEGER NOT NULL CHECK (level > 0),
  node_index INTEGER NOT NULL CHECK (node_index >= 0),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, node_index)
) WITHOUT ROWID;

CREATE TABLE log_tree_heads (
  id INTEGER PRIMARY KEY,
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  timestamp_ms INTEGER NOT NULL,
  root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
  signature BLOB NOT NULL CHECK (length(signature) = 64),
  public_key BLOB NOT NULL CHECK (length(public_key) = 32)
);

CREATE TABLE log_witnessed (
  sequence INTEGER PRIMARY KEY,
  log_public_key BLOB NOT NULL CHECK (length(log_public_key) = 32),
  origin TEXT NOT NULL,
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  timestamp_ms INTEGER NOT NULL,
  root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
  signature BLOB NOT NULL CHECK (length(signature) = 64),
  cosignature BLOB NOT NULL CHECK (length(cosignature) = 64),
  witness_public_key BLOB NOT NULL CHECK (length(witness_public_key) = 32),
  cosigned_at_ns INTEGER NOT NULL
);
CREATE INDEX log_witnessed_by_log ON log_witnessed (log_public_key, sequence);

CREATE TABLE log_cosignatures (
  id INTEGER PRIMARY KEY,
  witness TEXT NOT NULL,
  witness_public_key BLOB NOT NULL CHECK (length(witness_public_key) = 32),
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  timestamp_ms INTEGER NOT NULL,
  root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
  cosignature BLOB NOT NULL CHECK (length(cosignature) = 64),
  received_at_ns INTEGER NOT NULL
);

CREATE TRIGGER log_leaves_no_update BEFORE UPDATE ON log_leaves
BEGIN SELECT RAISE(ABORT, 'log_leaves is append-only'); END;
CREATE TRIGGER log_leaves_no_delete BEFORE DELETE ON log_leaves
BEGIN SELECT RAISE(ABORT, 'log_leaves is append-only'); END;
CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes
BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;
CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes
BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;
CREATE TRIGGER log_tree_heads_no_update BEFORE UPDATE ON log_tree_heads
BEGIN SELECT RAISE(ABORT, 'log_tree_heads is append-only'); END;
CREATE TRIGGER log_tree_heads_no_delete BEFORE DELETE ON log_tree_heads
BEGIN SELECT RAISE(ABORT, 'log_tree_heads is append-only'); END;
CREATE TRIGGER log_witnessed_no_update BEFORE UPDATE ON log_witnessed
BEGIN SELECT RAISE(ABORT, 'log_witnessed is append-only'); END;
CREATE TRIGGER log_witnessed_no_delete BEFORE DELETE ON log_witnessed
BEGIN SELECT RAISE(ABORT, 'log_witnessed is append-only'); END;
CREATE TRIGGER log_cosignatures_no_update BEFORE UPDATE ON log_cosignatures
BEGIN SELECT RAISE(ABORT, 'log_cosignatures is append-only'); END;
CREATE TRIGGER log_cosignatures_no_delete BEFORE DELETE ON log_cosignatures
BEGIN SELECT RAISE(ABORT, 'log_cosignatures is append-only'); END;
)sql";

// Version 7: the authorities' outreach registry (training courses and information sessions held
// in an area, src/report/outreach.hpp), and scans by time for the dashboard's weekly counts.
constexpr std::string_view kOutreachSchema = R"sql(
CREATE TABLE outreach_sessions (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
  held_on TEXT NOT NULL CHECK (length(held_on) = 10),
  topic TEXT NOT NULL CHECK (topic <> ''),
  attendees INTEGER NOT NULL CHECK (attendees >= 0),
  organisations INTEGER NOT NULL CHECK (organisations >= 0),
  province TEXT NOT NULL CHECK (province <> ''),
  commune TEXT NOT NULL,
  notes TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ns INTEGER NOT NULL
);
CREATE INDEX outreach_by_area ON outreach_sessions (province, commune, held_on);

CREATE INDEX scans_by_time ON scans (at_ns);
)sql";

// EPCIS master data (epcis/master_data.hpp): one row per vocabulary element (vocabulary type and
// canonical id), holding the element as merged from every capture in its JSON form
// (epcis::VocabularyElementJson), plus lookup rows written from it in the same transaction: one
// per attribute value (HASATTR_/EQ_ATTR_ find the elements of a type with an attribute through
// vocabulary_attributes_by_name) and one per child (WD_ walks the hierarchy down, one parent at a
// time, through the primary key).
constexpr std::string_view kMasterDataSchema = R"sql(
CREATE TABLE vocabulary_elements (
  id INTEGER PRIMARY KEY,
  vocabulary_type TEXT NOT NULL CHECK (vocabulary_type <> ''),
  element_id TEXT NOT NULL CHECK (element_id <> ''),
  element_json TEXT NOT NULL,
  UNIQUE (vocabulary_type, element_id)
);

CREATE TABLE vocabulary_attributes (
  element_rowid INTEGER NOT NULL REFERENCES vocabulary_elements (id),
  position INTEGER NOT NULL,
  attribute_id TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY (element_rowid, position)
) WITHOUT ROWID;
CREATE INDEX vocabulary_attributes_by_name ON vocabulary_attributes (attribute_id, element_rowid);

CREATE TABLE vocabulary_children (
  parent_rowid INTEGER NOT NULL REFERENCES vocabulary_elements (id),
  child_id TEXT NOT NULL,
  PRIMARY KEY (parent_rowid, child_id)
) WITHOUT ROWID;
)sql";

// Version 9: uploaded files (product images, certificate files; registry/media.hpp), stored in
// the database like inspection photos so that a backup of the database holds them. A row is
// never changed or deleted: its id is the SHA-256 of its bytes, so the public URL /media/{id}
// always serves the same bytes; width and height are 0 when not an image.
constexpr std::string_view kMediaSchema = R"sql(
CREATE TABLE media (
  id TEXT PRIMARY KEY CHECK (length(id) = 64),
  org_id TEXT NOT NULL REFERENCES organisations (id),
  content_type TEXT NOT NULL CHECK (content_type <> ''),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  byte_size INTEGER NOT NULL CHECK (byte_size > 0),
  width INTEGER NOT NULL CHECK (width >= 0),
  height INTEGER NOT NULL CHECK (height >= 0),
  data BLOB NOT NULL,
  created_at_ns INTEGER NOT NULL
);
CREATE INDEX media_by_org ON media (org_id, created_at_ns);
CREATE TRIGGER media_no_update BEFORE UPDATE ON media
BEGIN SELECT RAISE(ABORT, 'media rows are immutable'); END;
)sql";

// Version 10: the trace link tables (store/sqlite/trace_links.hpp), written by CaptureEvents in
// the capture transaction, so that graph walks (src/trace) read integers only. trace_nodes
// interns every identifier an event links (its rowid is the node number); trace_links holds one
// row per (node, event, index kind, peer), clustered by node so that one node's links are one
// range read, with a covering index by event for an event's own links; peer is the entry's type
// (the item of an instance-lot entry, the source or destination type), 0 when it has none.
// trace_events holds what a walk needs of each event: eventTime, flags (event type in bits 0-2,
// action 1 ADD / 2 OBSERVE / 3 DELETE in bits 3-4, bizStep shipping 32, receiving 64, declared
// erroneous 128) and the location node (bizLocation, else readPoint). The statements below
// backfill them from events and event_index for a database captured before this version.
constexpr std::string_view kTraceLinkSchema = R"sql(
CREATE TABLE trace_nodes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE trace_links (
  node INTEGER NOT NULL,
  event_rowid INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  peer INTEGER NOT NULL,
  PRIMARY KEY (node, event_rowid, kind, peer)
) WITHOUT ROWID;
CREATE INDEX trace_links_by_event ON trace_links (event_rowid, kind, node, peer);

CREATE TABLE trace_events (
  event_rowid INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  time_ns INTEGER NOT NULL,
  time_offset INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  location INTEGER NOT NULL
);

INSERT OR IGNORE INTO trace_nodes (name)
  SELECT value FROM event_index WHERE kind IN (1,2,3,4,5,6,7,8,9,10,11,13,14,15,22)
  UNION SELECT type FROM event_index WHERE kind IN (13,14,22) AND type <> ''
  UNION SELECT coalesce(biz_location, read_point) FROM events
    WHERE coalesce(biz_location, read_point) IS NOT NULL;

INSERT OR IGNORE INTO trace_links (node, event_rowid, kind, peer)
  SELECT n.id, i.event_rowid, i.kind,
         CASE WHEN i.type = '' THEN 0
              ELSE coalesce((SELECT p.id FROM trace_nodes p WHERE p.name = i.type), 0) END
  FROM event_index i JOIN trace_nodes n ON n.name = i.value
  WHERE i.kind IN (1,2,3,4,5,6,7,8,9,10,11,13,14,15,22);

INSERT INTO trace_events (event_rowid, event_id, time_ns, time_offset, flags, location)
  SELECT e.id, e.event_id, e.event_time_ns, e.event_time_offset,
         e.event_type
           | (CASE e.action WHEN 'ADD' THEN 8 WHEN 'OBSERVE' THEN 16 WHEN 'DELETE' THEN 24
                            ELSE 0 END)
           | (CASE e.biz_step WHEN 'shipping' THEN 32 WHEN 'receiving' THEN 64 ELSE 0 END)
           | (CASE WHEN e.error_declaration_time_ns IS NULL THEN 0 ELSE 128 END),
         coalesce((SELECT n.id FROM trace_nodes n
                   WHERE n.name = coalesce(e.biz_location, e.read_point)), 0)
  FROM events e;
)sql";

// Version 11: product versions (Decree 37/2026 Art. 52: an electronic label keeps its version
// history; the scan page of a lot shows the product as it was when the lot was made) and the
// problems consumers report from the scan page (store/problem_store.hpp).
//
// A version is written by triggers on products, so that every create and update stores one in
// the same transaction, whichever code path writes the row; existing products get version 1
// from their row, valid from their creation. Products, lots and versions are never deleted (the
// scan page of a lot must stay resolvable at least 12 months after its expiry, Art. 55).
constexpr std::string_view kProblemSchema = R"sql(
CREATE TABLE product_versions (
  product_id TEXT NOT NULL REFERENCES products (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  valid_from_ns INTEGER NOT NULL,
  org_id TEXT NOT NULL,
  identifier TEXT NOT NULL,
  gtin TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  image_ref TEXT NOT NULL,
  category TEXT NOT NULL,
  unit TEXT NOT NULL,
  brand TEXT NOT NULL,
  origin TEXT NOT NULL,
  standards TEXT NOT NULL,
  ocop_stars INTEGER,
  ocop_decision_number TEXT,
  ocop_decision_date TEXT,
  ocop_valid_until TEXT,
  created_at_ns INTEGER NOT NULL,
  updated_at_ns INTEGER NOT NULL,
  PRIMARY KEY (product_id, version)
) WITHOUT ROWID;

INSERT INTO product_versions (product_id, version, valid_from_ns, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns)
SELECT id, 1, created_at_ns, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns FROM products;

CREATE TRIGGER product_versions_on_insert AFTER INSERT ON products
BEGIN
  INSERT INTO product_versions (product_id, version, valid_from_ns, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns)
  VALUES (NEW.id, COALESCE((SELECT MAX(version) FROM product_versions WHERE product_id = NEW.id),
                           0) + 1, NEW.created_at_ns, NEW.org_id, NEW.identifier, NEW.gtin, NEW.name, NEW.description, NEW.image_ref, NEW.category, NEW.unit, NEW.brand, NEW.origin, NEW.standards, NEW.ocop_stars, NEW.ocop_decision_number, NEW.ocop_decision_date, NEW.ocop_valid_until, NEW.created_at_ns, NEW.updated_at_ns);
END;
CREATE TRIGGER product_versions_on_update AFTER UPDATE ON products
BEGIN
  INSERT INTO product_versions (product_id, version, valid_from_ns, org_id, identifier, gtin, name, description, image_ref, category, unit, brand, origin, standards, ocop_stars, ocop_decision_number, ocop_decision_date, ocop_valid_until, created_at_ns, updated_at_ns)
  VALUES (NEW.id, COALESCE((SELECT MAX(version) FROM product_versions WHERE product_id = NEW.id),
                           0) + 1, NEW.updated_at_ns, NEW.org_id, NEW.identifier, NEW.gtin, NEW.name, NEW.description, NEW.image_ref, NEW.category, NEW.unit, NEW.brand, NEW.origin, NEW.standards, NEW.ocop_stars, NEW.ocop_decision_number, NEW.ocop_decision_date, NEW.ocop_valid_until, NEW.created_at_ns, NEW.updated_at_ns);
END;
CREATE TRIGGER product_versions_no_update BEFORE UPDATE ON product_versions
BEGIN SELECT RAISE(ABORT, 'product_versions is append-only'); END;
CREATE TRIGGER product_versions_no_delete BEFORE DELETE ON product_versions
BEGIN SELECT RAISE(ABORT, 'product_versions is append-only'); END;
CREATE TRIGGER products_no_delete BEFORE DELETE ON products
BEGIN SELECT RAISE(ABORT, 'products are never deleted'); END;
CREATE TRIGGER lots_no_delete BEFORE DELETE ON lots
BEGIN SELECT RAISE(ABORT, 'lots are never deleted'); END;

CREATE TABLE problem_reports (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  code TEXT NOT NULL CHECK (code <> ''),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),
  message TEXT NOT NULL CHECK (message <> ''),
  contact TEXT NOT NULL,
  product_id TEXT REFERENCES products (id),
  lot_id TEXT REFERENCES lots (id),
  org_id TEXT REFERENCES organisations (id),
  province TEXT NOT NULL,
  commune TEXT NOT NULL,
  scan_area TEXT NOT NULL,
  photo_type TEXT NOT NULL CHECK (photo_type IN ('', 'image/jpeg', 'image/png')),
  photo BLOB,
  created_at_ns INTEGER NOT NULL,
  handled_at_ns INTEGER,
  handled_by TEXT NOT NULL
);
CREATE INDEX problem_reports_by_org ON problem_reports (org_id, created_at_ns);
CREATE INDEX problem_reports_by_area ON problem_reports (province, commune, created_at_ns);
CREATE INDEX problem_reports_by_code ON problem_reports (code, created_at_ns);
CREATE INDEX problem_reports_by_scan_area ON problem_reports (scan_area, created_at_ns);
)sql";

// Outbound sync (store/sync_store.hpp): the destinations and each one's cursor in the log.
constexpr std::string_view kSyncSchema = R"sql(
CREATE TABLE sync_destinations (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  name TEXT NOT NULL,
  url TEXT NOT NULL CHECK (url <> ''),
  authorization TEXT NOT NULL,
  national_portal INTEGER NOT NULL CHECK (national_portal IN (0, 1)),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at_ns INTEGER NOT NULL,
  cursor INTEGER NOT NULL CHECK (cursor >= -1),
  delivered INTEGER NOT NULL CHECK (delivered >= 0),
  last_attempt_ns INTEGER,
  last_success_ns INTEGER,
  last_error TEXT NOT NULL,
  failures INTEGER NOT NULL CHECK (failures >= 0)
) WITHOUT ROWID;
)sql";

constexpr std::array kMigrations = {
    Migration{.version = 1, .name = "initial schema", .sql = kInitialSchema},
    Migration{.version = 2, .name = "registry and accounts", .sql = kRegistrySchema},
    Migration{.version = 3, .name = "production diary", .sql = kDiarySchema},
    Migration{.version = 4, .name = "traceability stamps", .sql = kStampSchema},
    Migration{.version = 5, .name = "inspections and recalls", .sql = kInspectionSchema},
    Migration{.version = 6, .name = "tamper-evident log", .sql = kLogSchema},
    Migration{.version = 7, .name = "outreach registry and scan times", .sql = kOutreachSchema},
    Migration{.version = 8, .name = "EPCIS master data", .sql = kMasterDataSchema},
    Migration{.version = 9, .name = "uploaded files", .sql = kMediaSchema},
    Migration{.version = 10, .name = "trace links", .sql = kTraceLinkSchema},
    Migration{.version = 11, .name = "product versions and problem reports", .sql = kProblemSchema},
    Migration{.version = 12, .name = "outbound sync", .sql = kSyncSchema},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace vntrace::store::migrations
