import type { Generated } from 'kysely';

/** Tables of migrations/0003_watchlists_suspects.sql and later. */
export interface WatchlistsTable {
  id: Generated<number>;
  name: string;
  format: string;
  created_at: Generated<Date>;
}

export interface WatchlistVersionsTable {
  id: Generated<number>;
  watchlist_id: number;
  version: number;
  sha256: string;
  file_name: string | null;
  format: string;
  encoding: string | null;
  imported_at: Generated<Date>;
  imported_by: string;
  entries: number;
  added: number;
  removed: number;
  changed: number;
  skipped: Generated<number>;
  invalid_imos: Generated<number>;
}

export interface WatchlistEntriesTable {
  id: Generated<number>;
  watchlist_id: number;
  entry_key: string;
  name: string | null;
  name_key: string | null;
  aliases: Generated<string[]>;
  imo: number | null;
  imo_raw: string | null;
  imo_valid: boolean | null;
  mmsi: number | null;
  mmsi_legacy: Generated<number[]>;
  callsign: string | null;
  flag: string | null;
  vessel_type: string | null;
  program: string | null;
  subject: Generated<string>;
  listed_at: string | null;
  location: string | null;
  content_hash: string;
  added_version: number;
  added_at: Date;
  removed_version: number | null;
  removed_at: Date | null;
}

export interface SuspectsTable {
  id: Generated<number>;
  imo: number | null;
  mmsi: number | null;
  reason: string;
  added_by: string;
  added_at: Generated<Date>;
  removed_by: string | null;
  removed_at: Date | null;
  removal_reason: string | null;
}

export interface SuspectAuditTable {
  id: Generated<number>;
  suspect_id: number;
  action: 'added' | 'removed' | 'updated';
  actor: string;
  reason: string | null;
  at: Generated<Date>;
  details: Generated<unknown>;
}

/** An alert's detector status (migrations/0005): the one list the schema, filters and API enums use. */
export const ALERT_STATUSES = ['ongoing', 'closed', 'retracted'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** Analyst triage states (migrations/0006), separate from the detector's status. */
/** What an alert is about (migrations/0017_alert_types.sql checks the same set). */
export const ALERT_TYPES = ['rendezvous', 'ais_gap', 'loitering', 'dark_rendezvous', 'port_call_sanctioned', 'gap_near_sanctioned_area', 'voyage_irregularity'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
/** Alert types about two vessels (the others concern one). */
export const TWO_VESSEL_ALERT_TYPES: readonly AlertType[] = ['rendezvous', 'dark_rendezvous'];

export const TRIAGE_STATES = ['new', 'acknowledged', 'escalated', 'dismissed'] as const;
export type TriageState = (typeof TRIAGE_STATES)[number];

/** Tables of migrations/0005_alerts.sql. */
export interface AlertsTable {
  id: Generated<number>;
  alert_key: string;
  type: Generated<AlertType>;
  status: AlertStatus;
  mmsi_a: number;
  /** Null for one-vessel alerts (migrations/0017_alert_types.sql). */
  mmsi_b: number | null;
  vessel_a: unknown;
  vessel_b: unknown | null;
  start_at: Date;
  end_at: Date;
  duration_s: number;
  /** Measured distances between the two vessels: null where they were not both seen. */
  closest_m: number | null;
  median_m: number | null;
  median_sog_a: number | null;
  median_sog_b: number | null;
  centroid: unknown;
  in_port: Generated<boolean>;
  score: number;
  score_factors: unknown;
  watchlists: Generated<string[]>;
  profile: string;
  detector_version: string;
  event: unknown;
  retraction_reason: string | null;
  replaced_by: string | null;
  first_detected_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** migrations/0006: analyst triage, separate from the detector's status. */
  triage_state: Generated<TriageState>;
  triage_note: string | null;
  triaged_by: string | null;
  triaged_at: Date | null;
  /** Commit-ordered change number (trigger-assigned); cursors and SSE ids. Read as a decimal string (compare with BigInt, never as text). */
  change_seq: Generated<string>;
}

/** migrations/0006: append-only triage audit. */
export interface AlertTriageHistoryTable {
  id: Generated<number>;
  alert_id: number;
  from_state: string;
  to_state: TriageState;
  note: string | null;
  actor: string;
  at: Generated<Date>;
}

export interface AlertEvidenceTable {
  alert_id: number;
  margin_s: number;
  track_a: unknown;
  track_b: unknown | null;
  updated_at: Generated<Date>;
}

/** migrations/0020_webhooks.sql: a registered receiver of alert changes. Never deleted, only disabled. */
export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  /** The HMAC key: read only by the dispatcher's worker, never returned after creation, never logged. */
  secret: string;
  /** WebhookFilter (webhook-repository.ts) as stored. */
  filter: Generated<unknown>;
  description: string | null;
  created_by: string;
  /** The newest alert change at registration: only later changes are delivered. */
  from_seq: Generated<number>;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** migrations/0020: one row per (hook, alert change), updated at each attempt. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  alert_id: number;
  change_seq: number;
  /** What is sent besides the ids: { change: { seq, kind }, alert: <alert summary> }. */
  event: unknown;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  delivered_at: Date | null;
}

/** migrations/0020: the webhook dispatcher's place in the alert change feed (one row). */
export interface WebhookDispatchCursorTable {
  id: Generated<number>;
  last_seq: number;
  updated_at: Generated<Date>;
}

/** migrations/0021_port_calls.sql: port calls, written by the detector's port-call stage (port-call-repository.ts). */
export interface PortCallsTable {
  key: string;
  mmsi: number;
  segment: string | null;
  port_id: string;
  port_name: string | null;
  country: string | null;
  lon: number;
  lat: number;
  arrival: Date;
  departure: Date | null;
  draught_arrival: number | null;
  draught_departure: number | null;
  reasons: Generated<string[]>;
  detector_version: string;
  updated_at: Generated<Date>;
}

/**
 * migrations/0023_vessel_destinations.sql: each change of a vessel's declared type 5 destination
 * (as cleaned for vessels.destination, never empty), at the first report of the new value.
 * Written by ingest; read by destination-repository.ts.
 */
export interface VesselDestinationsTable {
  mmsi: number;
  ts: Date;
  destination: string;
}
