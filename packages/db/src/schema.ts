import type { Generated } from 'kysely';
import type {
  VesselDestinationsTable,
  AlertEvidenceTable,
  AlertTriageHistoryTable,
  AlertsTable,
  SuspectAuditTable,
  SuspectsTable,
  WatchlistEntriesTable,
  WatchlistsTable,
  WatchlistVersionsTable,
  WebhookDeliveriesTable,
  WebhookDispatchCursorTable,
  WebhooksTable,
  PortCallsTable,
} from './schema-tables.ts';

/** Kysely's view of the tables that migrations/ creates. Keep in step with the SQL. */
export interface Database {
  schema_migrations: SchemaMigrationsTable;
  positions: PositionsTable;
  position_buckets: PositionBucketsTable;
  vessels: VesselsTable;
  vessel_identity_history: VesselIdentityHistoryTable;
  vessel_draughts: VesselDraughtsTable;
  vessel_destinations: VesselDestinationsTable;
  watchlists: WatchlistsTable;
  watchlist_versions: WatchlistVersionsTable;
  watchlist_entries: WatchlistEntriesTable;
  suspects: SuspectsTable;
  suspect_audit: SuspectAuditTable;
  alerts: AlertsTable;
  alert_evidence: AlertEvidenceTable;
  alert_triage_history: AlertTriageHistoryTable;
  api_tokens: ApiTokensTable;
  detection_outbox: DetectionOutboxTable;
  alert_pair_versions: AlertPairVersionsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_dispatch_cursor: WebhookDispatchCursorTable;
  port_calls: PortCallsTable;
}

/** migrations/0015_alert_pair_versions.sql: the data version of the last run that wrote each pair's alerts. */
export interface AlertPairVersionsTable {
  mmsi_a: number;
  mmsi_b: number;
  data_version: number;
}

/** `geom` is PostGIS geometry(Point, 4326): read it with ST_X/ST_Y or ST_AsGeoJSON in sql``. */
export interface PositionsTable {
  mmsi: number;
  ts: Date;
  geom: unknown;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  nav_status: number | null;
  msg_type: number;
  source: string | null;
  /**
   * migrations/0028 (0019's raw_reports before it): the received line(s) of the position as read —
   * NMEA with its TAG block, every part of a multi-sentence message joined by '\n'; a CSV row.
   * NULL before 0019 and for positions written without a line. Read by the evidence export
   * (raw-report-repository.ts).
   */
  lines: string | null;
}

/**
 * migrations/0007_position_buckets.sql: per vessel and 10-minute bucket, the first and last
 * report and the extent of all its reports. Written by ingest (position-buckets.ts), read by the
 * detector (track-repository.ts loadBuckets).
 */
export interface PositionBucketsTable {
  mmsi: number;
  /** floor(epoch seconds / 600). */
  bucket: number;
  first_ts: Date;
  first_lon: number;
  first_lat: number;
  first_sog: number | null;
  last_ts: Date;
  last_lon: number;
  last_lat: number;
  last_sog: number | null;
  lon_min: number;
  lon_max: number;
  lat_min: number;
  lat_max: number;
  /** Generated column: an upper bound (m) of the distance between any two reports of the bucket. */
  spread_m: Generated<number>;
}

export interface VesselsTable {
  mmsi: number;
  imo: number | null;
  name: string | null;
  callsign: string | null;
  ship_type: number | null;
  length: number | null;
  width: number | null;
  draught: number | null;
  destination: string | null;
  flag: string | null;
  mmsi_invalid: Generated<boolean>;
  first_seen: Date;
  last_seen: Date;
  identity_at: Date | null;
}

export type IdentityField = 'name' | 'callsign' | 'imo' | 'ship_type' | 'flag';

export interface VesselIdentityHistoryTable {
  mmsi: number;
  field: IdentityField;
  value: string;
  first_seen: Date;
}

/**
 * migrations/0018_draught_history.sql: each change of a vessel's reported type 5 draught (m, > 0),
 * at the first report of the new value. Written by ingest; read by draught-repository.ts.
 */
export interface VesselDraughtsTable {
  mmsi: number;
  ts: Date;
  draught: number;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/** API roles, least to most privileged (migrations/0004_api_tokens.sql checks the same set). */
export type ApiRole = 'viewer' | 'analyst' | 'admin';

/** Never holds the secret: `token_hash` is its SHA-256, `token_prefix` its first characters. */
export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: ApiRole;
  token_prefix: string;
  token_hash: Buffer;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** Null = never expires (migrations/0016_service_role.sql). */
  expires_at: Generated<Date | null>;
}

/** Detection windows committed by ingest and not yet detected (migrations/0014_detection_outbox.sql). */
export interface DetectionOutboxTable {
  id: Generated<number>;
  window_start: Date;
  window_ms: number;
  created_at: Generated<Date>;
  enqueued_at: Date | null;
}
