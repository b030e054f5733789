import type { Database } from './schema.ts';

/**
 * Every column of every table of `Database`, at run time, so a test can hold the Kysely schema
 * against what the migrations create (test/foundation/schema-coverage.test.ts). The type below
 * makes this list and the interfaces agree: a table or column added to one and not the other does
 * not compile, and the test catches a migration the interfaces do not describe.
 */
type Columns<T> = readonly (keyof T & string)[];
type Exhaustive<L extends readonly string[], T> = Exclude<keyof T, L[number]> extends never ? L : ['missing columns', Exclude<keyof T, L[number]>];

function table<T>() {
  return <const L extends Columns<T>>(columns: Exhaustive<L, T>) => columns;
}

export const DATABASE_COLUMNS = {
  schema_migrations: table<Database['schema_migrations']>()(['version', 'name', 'checksum', 'applied_at']),
  positions: table<Database['positions']>()(['mmsi', 'ts', 'geom', 'sog', 'cog', 'heading', 'nav_status', 'msg_type', 'source', 'lines']),
  position_buckets: table<Database['position_buckets']>()([
    'mmsi', 'bucket', 'first_ts', 'first_lon', 'first_lat', 'first_sog', 'last_ts', 'last_lon', 'last_lat', 'last_sog',
    'lon_min', 'lon_max', 'lat_min', 'lat_max', 'spread_m',
  ]),
  vessels: table<Database['vessels']>()([
    'mmsi', 'imo', 'name', 'callsign', 'ship_type', 'length', 'width', 'draught', 'destination', 'flag', 'mmsi_invalid',
    'first_seen', 'last_seen', 'identity_at',
  ]),
  vessel_identity_history: table<Database['vessel_identity_history']>()(['mmsi', 'field', 'value', 'first_seen']),
  vessel_draughts: table<Database['vessel_draughts']>()(['mmsi', 'ts', 'draught']),
  vessel_destinations: table<Database['vessel_destinations']>()(['mmsi', 'ts', 'destination']),
  watchlists: table<Database['watchlists']>()(['id', 'name', 'format', 'created_at']),
  watchlist_versions: table<Database['watchlist_versions']>()([
    'id', 'watchlist_id', 'version', 'sha256', 'file_name', 'format', 'encoding', 'imported_at', 'imported_by', 'entries',
    'added', 'removed', 'changed', 'skipped', 'invalid_imos',
  ]),
  watchlist_entries: table<Database['watchlist_entries']>()([
    'id', 'watchlist_id', 'entry_key', 'name', 'name_key', 'aliases', 'imo', 'imo_raw', 'imo_valid', 'mmsi', 'mmsi_legacy',
    'callsign', 'flag', 'vessel_type', 'program', 'subject', 'listed_at', 'location', 'content_hash', 'added_version',
    'added_at', 'removed_version', 'removed_at',
  ]),
  suspects: table<Database['suspects']>()(['id', 'imo', 'mmsi', 'reason', 'added_by', 'added_at', 'removed_by', 'removed_at', 'removal_reason']),
  suspect_audit: table<Database['suspect_audit']>()(['id', 'suspect_id', 'action', 'actor', 'reason', 'at', 'details']),
  alerts: table<Database['alerts']>()([
    'id', 'alert_key', 'type', 'status', 'mmsi_a', 'mmsi_b', 'vessel_a', 'vessel_b', 'start_at', 'end_at', 'duration_s',
    'closest_m', 'median_m', 'median_sog_a', 'median_sog_b', 'centroid', 'in_port', 'score', 'score_factors', 'watchlists',
    'profile', 'detector_version', 'event', 'retraction_reason', 'replaced_by', 'first_detected_at', 'updated_at',
    'triage_state', 'triage_note', 'triaged_by', 'triaged_at', 'change_seq',
  ]),
  alert_evidence: table<Database['alert_evidence']>()(['alert_id', 'margin_s', 'track_a', 'track_b', 'updated_at']),
  alert_triage_history: table<Database['alert_triage_history']>()(['id', 'alert_id', 'from_state', 'to_state', 'note', 'actor', 'at']),
  api_tokens: table<Database['api_tokens']>()([
    'id', 'name', 'role', 'token_prefix', 'token_hash', 'created_at', 'last_used_at', 'revoked_at', 'expires_at',
  ]),
  detection_outbox: table<Database['detection_outbox']>()(['id', 'window_start', 'window_ms', 'created_at', 'enqueued_at']),
  alert_pair_versions: table<Database['alert_pair_versions']>()(['mmsi_a', 'mmsi_b', 'data_version']),
  webhooks: table<Database['webhooks']>()(['id', 'url', 'secret', 'filter', 'description', 'created_by', 'from_seq', 'created_at', 'disabled_at']),
  webhook_deliveries: table<Database['webhook_deliveries']>()([
    'id', 'webhook_id', 'alert_id', 'change_seq', 'event', 'status', 'attempts', 'last_status_code', 'last_error', 'created_at',
    'updated_at', 'delivered_at',
  ]),
  webhook_dispatch_cursor: table<Database['webhook_dispatch_cursor']>()(['id', 'last_seq', 'updated_at']),
  port_calls: table<Database['port_calls']>()([
    'key', 'mmsi', 'segment', 'port_id', 'port_name', 'country', 'lon', 'lat', 'arrival', 'departure', 'draught_arrival',
    'draught_departure', 'reasons', 'detector_version', 'updated_at',
  ]),
} as const satisfies { [K in keyof Database]: Columns<Database[K]> }; // every table: the mapped type's keys are required

