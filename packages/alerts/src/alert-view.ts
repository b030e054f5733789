import type { AlertDetailRow, AlertEvidenceRow, AlertRow, TriageHistoryRow, VesselIdentity } from '@rendezvous/db';
import { toBehaviourView, type BehaviourView } from './behaviour-view.ts';
import { arr, int, num, record, str } from './stored-json.ts';

/**
 * Row → JSON shapes of alerts, shared by the API (lists, detail, SSE) and the CLI so both print
 * the same thing. Ids are JSON numbers (bigserial stays far below 2^53); change_seq is a decimal
 * string (a cursor, compared as a bigint). Nothing here reads a clock: the same rows always give
 * the same JSON, which the list ETags rely on.
 */

/** The detector's snapshot of a vessel at the meeting: its identity then, and what it matched. */
export interface VesselSnapshotView extends VesselIdentity {
  listMatches: SnapshotListMatch[];
  suspects: SnapshotSuspect[];
  anomalies: string[];
}

/** A list the vessel was on at the meeting's start (the detector's snapshot keeps these four fields). */
export interface SnapshotListMatch {
  list: string;
  rule: string;
  confidence: number;
  entryName: string | null;
}

/** A suspect record that matched the vessel at the meeting's start. */
export interface SnapshotSuspect {
  suspectId: number;
  rule: string;
  reason: string;
}

/** One line of an alert's score: which factor, how many points (negative for caps and discounts), and why. */
export interface ScoreFactorView {
  factor: string;
  points: number;
  detail: string;
}

export interface AlertSummary {
  id: number;
  key: string;
  type: string;
  status: AlertRow['status'];
  triage: { state: AlertRow['triage_state']; note: string | null; by: string | null; at: string | null };
  start: string;
  end: string;
  durationS: number;
  /** Between the two vessels where both were seen (rendezvous); null otherwise. */
  closestM: number | null;
  medianM: number | null;
  medianSogA: number | null;
  medianSogB: number | null;
  centroid: { lon: number; lat: number };
  inPort: boolean;
  score: number;
  watchlists: string[];
  profile: string;
  detectorVersion: string;
  vesselA: VesselSnapshotView;
  /** Null for one-vessel alerts (AIS gap, loitering). */
  vesselB: VesselSnapshotView | null;
  /** Set on retracted alerts: why, and the key of the alert that superseded it (if any). */
  retraction: { reason: string | null; replacedBy: string | null } | null;
  firstDetectedAt: string;
  updatedAt: string;
  changeSeq: string;
}

/** A GeoJSON Feature of one vessel's evidence track (RFC 7946: coordinates are [lon, lat]). */
export interface EvidenceTrackFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Point'; coordinates: [number, number] } | null;
  properties: { vessel: 'a' | 'b'; mmsi: number; times: string[]; sog: (number | null)[]; marginS: number };
}

export interface TriageHistoryView {
  id: number;
  from: string;
  to: string;
  note: string | null;
  by: string;
  at: string;
}

export interface AlertDetail extends AlertSummary {
  /** As stored: [{ factor, points, detail }]; entries of any other shape are dropped. */
  scoreFactors: ScoreFactorView[];
  evidence: { marginS: number; trackA: EvidenceTrackFeature; trackB: EvidenceTrackFeature | null } | null;
  history: TriageHistoryView[];
  /** What the behaviour established (AIS gap, loitering, dark rendezvous); null for a rendezvous. */
  behaviour: BehaviourView | null;
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** Stored JSON read defensively: entries without the required fields are dropped, never passed on half-formed. */
function listMatchesOf(v: unknown): SnapshotListMatch[] {
  return arr(v).flatMap((x) => {
    const m = record(x);
    const list = str(m?.['list']);
    const rule = str(m?.['rule']);
    const confidence = num(m?.['confidence']);
    return list !== null && rule !== null && confidence !== null ? [{ list, rule, confidence, entryName: str(m?.['entryName']) }] : [];
  });
}
function suspectsOf(v: unknown): SnapshotSuspect[] {
  return arr(v).flatMap((x) => {
    const m = record(x);
    const suspectId = int(m?.['suspectId']);
    const rule = str(m?.['rule']);
    return suspectId !== null && rule !== null ? [{ suspectId, rule, reason: str(m?.['reason']) ?? '' }] : [];
  });
}
function scoreFactorsOf(v: unknown): ScoreFactorView[] {
  return arr(v).flatMap((x) => {
    const f = record(x);
    const factor = str(f?.['factor']);
    const points = num(f?.['points']);
    return factor !== null && points !== null ? [{ factor, points, detail: str(f?.['detail']) ?? '' }] : [];
  });
}

/** The detector's identity snapshot (window-detector.ts `snapshot`), read defensively. */
export function toVesselSnapshot(json: unknown, mmsi: number): VesselSnapshotView {
  const v = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  return {
    mmsi,
    imo: int(v['imo']),
    name: str(v['name']),
    callsign: str(v['callsign']),
    shipType: int(v['shipType']),
    flag: str(v['flag']),
    listMatches: listMatchesOf(v['listMatches']),
    suspects: suspectsOf(v['suspects']),
    anomalies: arr(v['anomalies']).filter((a): a is string => typeof a === 'string'),
  };
}

export function toAlertSummary(row: AlertRow): AlertSummary {
  return {
    id: Number(row.id),
    key: row.alert_key,
    type: row.type,
    status: row.status,
    triage: { state: row.triage_state, note: row.triage_note, by: row.triaged_by, at: isoOrNull(row.triaged_at) },
    start: iso(row.start_at),
    end: iso(row.end_at),
    durationS: row.duration_s,
    closestM: row.closest_m,
    medianM: row.median_m,
    medianSogA: row.median_sog_a,
    medianSogB: row.median_sog_b,
    centroid: { lon: row.lon, lat: row.lat },
    inPort: row.in_port,
    score: row.score,
    watchlists: row.watchlists,
    profile: row.profile,
    detectorVersion: row.detector_version,
    vesselA: toVesselSnapshot(row.vessel_a, row.mmsi_a),
    vesselB: row.mmsi_b === null ? null : toVesselSnapshot(row.vessel_b, row.mmsi_b),
    retraction: row.status === 'retracted' || row.retraction_reason ? { reason: row.retraction_reason, replacedBy: row.replaced_by } : null,
    firstDetectedAt: iso(row.first_detected_at),
    updatedAt: iso(row.updated_at),
    changeSeq: String(row.change_seq),
  };
}

/** Evidence rows are [epoch ms, lon, lat, sog | null] (window-detector.ts `slice`). */
export function toEvidenceTrack(points: unknown, vessel: 'a' | 'b', mmsi: number, marginS: number): EvidenceTrackFeature {
  const coordinates: [number, number][] = [];
  const times: string[] = [];
  const sog: (number | null)[] = [];
  for (const p of arr(points)) {
    if (!Array.isArray(p)) continue;
    const [t, lon, lat, s] = p as unknown[];
    if (typeof t !== 'number' || typeof lon !== 'number' || typeof lat !== 'number') continue;
    coordinates.push([lon, lat]);
    times.push(new Date(t).toISOString());
    sog.push(num(s));
  }
  // RFC 7946 §3.1.4: a LineString has two or more positions; one fix is a Point, none no geometry.
  const geometry: EvidenceTrackFeature['geometry'] =
    coordinates.length >= 2 ? { type: 'LineString', coordinates } : coordinates.length === 1 ? { type: 'Point', coordinates: coordinates[0]! } : null;
  return { type: 'Feature', geometry, properties: { vessel, mmsi, times, sog, marginS } };
}

export function toTriageHistory(rows: readonly TriageHistoryRow[]): TriageHistoryView[] {
  return rows.map((h) => ({ id: Number(h.id), from: h.from_state, to: h.to_state, note: h.note, by: h.actor, at: iso(h.at) }));
}

export function toAlertDetail(row: AlertDetailRow, evidence: AlertEvidenceRow | null, history: readonly TriageHistoryRow[]): AlertDetail {
  return {
    ...toAlertSummary(row),
    scoreFactors: scoreFactorsOf(row.score_factors),
    evidence: evidence
      ? {
          marginS: evidence.margin_s,
          trackA: toEvidenceTrack(evidence.track_a, 'a', row.mmsi_a, evidence.margin_s),
          trackB: row.mmsi_b === null || evidence.track_b === null ? null : toEvidenceTrack(evidence.track_b, 'b', row.mmsi_b, evidence.margin_s),
        }
      : null,
    history: toTriageHistory(history),
    behaviour: toBehaviourView(row.type, row.event),
  };
}
