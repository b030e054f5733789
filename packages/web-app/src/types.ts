/** The JSON the app reads from the API (services/api/src/alerts/alert-schemas.ts and routes). */

export type Role = 'viewer' | 'analyst' | 'admin';
export type TriageState = 'new' | 'acknowledged' | 'escalated' | 'dismissed';
export const ALERT_TYPES = ['rendezvous', 'ais_gap', 'loitering', 'dark_rendezvous', 'port_call_sanctioned', 'gap_near_sanctioned_area', 'voyage_irregularity'] as const;
export const ALERT_STATUSES = ['ongoing', 'closed', 'retracted'] as const;
export const TRIAGE_STATES: readonly TriageState[] = ['new', 'acknowledged', 'escalated', 'dismissed'];

export interface Session {
  name: string;
  role: Role;
  expiresAt: string | null;
  /** SANCTIONED_COUNTRIES (ISO3) as the API is configured: calls in these countries' ports are marked. */
  sanctionedCountries: string[];
}

export interface VesselSnapshot {
  mmsi: number;
  imo: number | null;
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  flag: string | null;
  listMatches: { list: string; rule: string; confidence: number; entryName: string | null }[];
  suspects: { suspectId: number; rule: string; reason: string }[];
  anomalies: string[];
}

export interface AlertSummary {
  id: number;
  key: string;
  type: string;
  status: string;
  triage: { state: TriageState; note: string | null; by: string | null; at: string | null };
  start: string;
  end: string;
  durationS: number;
  closestM: number | null;
  medianM: number | null;
  medianSogA: number | null;
  medianSogB: number | null;
  centroid: { lon: number; lat: number };
  inPort: boolean;
  score: number;
  watchlists: string[];
  vesselA: VesselSnapshot;
  vesselB: VesselSnapshot | null;
  retraction: { reason: string | null; replacedBy: string | null } | null;
  updatedAt: string;
  changeSeq: string;
}

export interface EvidenceTrack {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Point'; coordinates: [number, number] } | null;
  properties: { vessel: 'a' | 'b'; mmsi: number; times: string[]; sog: (number | null)[]; marginS: number };
}

export interface TriageEntry {
  id: number;
  from: string;
  to: string;
  note: string | null;
  by: string;
  at: string;
}

export interface GeoFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown> | null;
}

export interface AlertDetail extends AlertSummary {
  scoreFactors: { factor: string; points: number; detail: string }[];
  evidence: { marginS: number; trackA: EvidenceTrack; trackB: EvidenceTrack | null } | null;
  history: TriageEntry[];
  behaviour: { type: string; reasons: string[]; facts: Record<string, string | number | boolean | null>; geometry: { type: 'FeatureCollection'; features: GeoFeature[] } } | null;
}

export interface AlertPage {
  items: AlertSummary[];
  nextCursor: string | null;
}

/** GET /v1/alerts/clusters (map support): one cell of the grid at the asked zoom. */
export interface AlertCluster {
  lon: number;
  lat: number;
  count: number;
  maxScore: number;
  byType: Record<string, number>;
  bbox: [number, number, number, number];
  alertId?: number;
}

export interface ClusterResponse {
  zoom: number;
  cellDeg: number;
  total: number;
  clusters: AlertCluster[];
}

export interface Watchlist {
  name: string;
  entries: number | null;
}

export interface VesselIdentity {
  mmsi: number;
  imo: number | null;
  imoValid: boolean | null;
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  flag: string | null;
  mmsiValid: boolean;
  mmsiKind: string;
  mmsiProblem?: string;
  destination: string | null;
  firstSeen: string;
  lastSeen: string;
}

export interface TrackFeature {
  type: 'Feature';
  geometry: { type: 'MultiLineString'; coordinates: [number, number][][] };
  properties: { points: number; pointsReturned: number; coordTimes: string[][]; isolated: { coordinates: [number, number]; time: string }[] };
}

/** A port as a call or a leg names it (the PORTS_FILE entry). */
export interface PortRef {
  id: string;
  name: string | null;
  /** ISO3, as in the port list. */
  country: string | null;
  lon: number;
  lat: number;
}

/** GET /v1/vessels/:mmsi/port-calls (services/api/src/routes/response-schemas.ts vesselPortCallsSchema). */
export interface PortCall {
  key: string;
  mmsi: number;
  segment: string | null;
  port: PortRef;
  arrival: string;
  /** null: still in port at the end of the data. */
  departure: string | null;
  durationS: number | null;
  draughtArrival: number | null;
  draughtDeparture: number | null;
  reasons: string[];
}

export interface VesselPortCalls {
  mmsi: number;
  portCalls: PortCall[];
}

export type IrregularityKind = 'destination_mismatch' | 'hidden_stop' | 'draught_change_at_sea';

/** One leg between two consecutive calls (packages/detection voyages.ts VoyageLeg, as the API serves it). */
export interface VoyageLeg {
  index: number;
  from: PortRef;
  to: PortRef;
  departure: string;
  arrival: string;
  durationS: number;
  distanceNm: number;
  impliedSpeedKn: number | null;
  draughtDeparture: number | null;
  draughtArrival: number | null;
  /** Arrival − departure draught (m); + = deeper (loaded). */
  draughtChange: number | null;
  declaredDestination: { destination: string | null; declaredAt: string } | null;
  irregularities: { kind: IrregularityKind | string; reason: string; values: Record<string, unknown> }[];
}

/** GET /v1/vessels/:mmsi/voyages: one voyage per AIS segment of the MMSI. */
export interface VesselVoyages {
  mmsi: number;
  usualSpeedKn: number | null;
  voyages: { segment: string | null; ongoing: boolean; calls: PortCall[]; legs: VoyageLeg[] }[];
}
