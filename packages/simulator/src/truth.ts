/**
 * The ground truth: what a correct detector should find in the generated data, computed from the
 * noise-free tracks (not from the NMEA), so tests can hold the decoded output against it.
 */
import { haversineM, type LatLon } from '@rendezvous/geodesy';
import type { Track } from './kinematics.ts';
import type { AisClass, ShipKind } from './vessel-factory.ts';

/** Global Fishing Watch's encounter rule (DESIGN.md, "Domain rules"). */
export interface EncounterRule {
  distanceM: number;
  minDurationH: number;
  maxMedianSpeedKn: number;
}
export const GFW_RULE: EncounterRule = { distanceM: 500, minDurationH: 2, maxMedianSpeedKn: 2 };

export interface WatchlistMark {
  reason: string;
  source: string;
  /** YYYY-MM-DD, as the plain watchlist CSV wants it. */
  listedAt: string;
}

export interface TruthVessel {
  key: string;
  /** Scenario name, or null for background traffic. */
  scenario: string | null;
  role: string;
  mmsi: number;
  imo: number | null;
  name: string;
  callsign: string;
  shipType: number;
  kind: ShipKind;
  aisClass: AisClass;
  flag: string;
  lengthM: number;
  motion: 'scripted' | 'transit' | 'anchored';
  /** Lane or port of background vessels. */
  area?: string;
  reporting: { underwayS: number; stationaryS: number; fixedS?: number; satellite?: { minS: number; maxS: number } };
  silences?: { start: string; end: string }[];
  /** Type 5 draught from these times on (the identity's draught before the first). */
  draughts?: { from: string; draughtM: number | null }[];
  /** Type 5 destination from these times on (the identity's before the first). */
  destinations?: { from: string; destination: string | null }[];
  watchlist?: WatchlistMark;
}

export interface EncounterTruth {
  scenario: string;
  vessels: [string, string];
  mmsis: [number, number];
  /** Distance that defines "together" for start/end (the rule's 500 m). */
  thresholdM: number;
  /** First and last moment within thresholdM (10 s resolution), or null if never. */
  start: string | null;
  end: string | null;
  durationMin: number;
  minDistanceM: number;
  /** Median distance while within thresholdM (or over the whole run if never within). */
  medianDistanceM: number;
  /** Median true speed of each vessel while within thresholdM. */
  medianSpeedKn: [number, number];
  /** Whether a detector applying the GFW rule to the AIS data should report this pair. */
  expected: boolean;
  why: string;
}

export interface ScenarioTruth {
  name: string;
  description: string;
  centre: LatLon;
  vessels: string[];
  mmsis: number[];
  /** Encounters a GFW-rule detector should report among this scenario's vessels. */
  expectedEncounters: number;
  /** Every pair the scenario is about, positive or negative. */
  encounters: EncounterTruth[];
  /** Scenario parameters (separation, drift, hold times, silences, rates…). */
  params: Record<string, unknown>;
  sharedMmsi?: { mmsi: number; transmitters: string[]; separationKm: number };
  loitering?: { vessel: string; mmsi: number; start: string; end: string; medianSpeedKn: number };
  gap?: { vessel: string; mmsi: number; start: string; end: string; hours: number; kmFromLoiterAtStart: number; kmFromLoiterAtEnd: number };
  darkRendezvous?: boolean;
  /**
   * Dark-activity scenarios: every alert a correct detector should raise (`expected: true`) and the
   * look-alikes it must not (`expected: false`), with the scripted times (see README, "Dark activity").
   */
  expectedAlerts?: ExpectedAlert[];
  /** Type 5 draught changes on air (cargo evidence or a typo). */
  draughtChanges?: DraughtChangeTruth[];
  /** Identity and position spoofing on air. */
  spoofing?: SpoofingTruth[];
  /**
   * Ports (not the sanctioned ones, which ship with @rendezvous/geography) the detector must be
   * given in its PORTS_FILE for this scenario's port calls: `portsCsv(truth)` writes them.
   */
  ports?: ScenarioPort[];
  /** Port calls a detector with the port-call rule should find (`expected: true`) and stays that are none. */
  portCalls?: PortCallTruth[];
}

/** A port of a scenario, as a PORTS_FILE row (`s2id` = id, `label` = name, `iso3` = country). */
export interface ScenarioPort {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-3. */
  country: string;
  lon: number;
  lat: number;
}

/**
 * A stay at a port as the port-call rule (packages/detection port-calls.ts) judges it: entry within
 * the port's radius, exit beyond 4/3 of it, ≥ 2 h with SOG < 1 kn. Times are scripted (noise-free):
 * `arrival` the first moment reported inside the entry radius, `departure` the last inside the exit
 * radius (the detector's fixes are within one reporting interval of them).
 */
export interface PortCallTruth {
  vessel: string;
  mmsi: number;
  /** The port's id as the detector knows it: a ScenarioPort id, or `sanctioned:PRK:Nampho`. */
  portId: string;
  port: string;
  country: string;
  radiusM: number;
  sanctioned: boolean;
  /** null for a stay that is no call (never inside the radius, never slow). */
  arrival: string | null;
  departure: string | null;
  /** Time with SOG < 1 kn inside the exit radius, hours (reported time only). */
  slowHours: number;
  /** Least distance to the port point, metres. */
  closestM: number;
  expected: boolean;
  why: string;
}

/** Alert types of the dark-activity detector (plus the AIS rendezvous, and issue 15's sanctions and voyage rules). */
export type ExpectedAlertType =
  | 'ais_gap'
  | 'loitering'
  | 'dark_rendezvous'
  | 'rendezvous'
  | 'port_call_sanctioned'
  | 'gap_near_sanctioned_area'
  | 'voyage_irregularity';

export interface ExpectedAlert {
  type: ExpectedAlertType;
  /**
   * For `dark_rendezvous`: a loiterer plus a dark partner, or two vessels dark at once. For
   * `voyage_irregularity`: which finding of voyages.ts (also in `details.kind`).
   */
  kind?: 'loiter_gap' | 'dark_dark' | 'hidden_stop' | 'destination_mismatch';
  /** Truth keys of the vessels, in the order of `mmsis`. */
  vessels: string[];
  mmsis: number[];
  /**
   * Scripted (noise-free) times: `ais_gap` = the silence (the last report before it is up to one
   * reporting interval earlier); `loitering` = the hold below 2 kn (a detector on clock hours may
   * round to the hour); `dark_rendezvous` = when both conditions hold at once (the overlap);
   * `rendezvous` = the run within 500 m; `port_call_sanctioned` = the call (arrival to departure,
   * as PortCallTruth); `gap_near_sanctioned_area` = the silence; `voyage_irregularity` = the leg
   * (departure from one port to arrival at the next).
   */
  start: string;
  end: string;
  expected: boolean;
  why: string;
  /** Figures behind the verdict (distances in nm or km, hours, speeds), named by unit. */
  details?: Record<string, number | string | boolean>;
}

export interface DraughtChangeTruth {
  vessel: string;
  mmsi: number;
  lengthM: number;
  /** Scripted time of the change; the first type 5 carrying it follows within one static period (6 min). */
  at: string;
  fromM: number;
  toM: number;
  /** When the old value came back (a typo), or null when the new value stays to the end of the run. */
  revertedAt: string | null;
  /** Whether a detector should count it as cargo moved (DESIGN.md: ≥ 2 m for a Suezmax, next to a meeting or gap). */
  expected: boolean;
  why: string;
}

export interface SpoofingTruth {
  kind: 'shared_imo' | 'circle';
  vessels: string[];
  mmsis: number[];
  /** When the evidence is on air (both hulls reporting; the circling). */
  start: string;
  end: string;
  expected: boolean;
  why: string;
  /** shared_imo: the IMO both hulls report and their least separation while both report. */
  imo?: number;
  minSeparationNm?: number;
  /** circle: centre, diameter, the SOG on air and the time of one revolution. */
  centre?: LatLon;
  diameterM?: number;
  reportedSogKn?: number;
  periodMin?: number;
}

export interface PortTruth {
  name: string;
  lat: number;
  lon: number;
  /** Radius holding every anchored vessel of the port. */
  radiusKm: number;
  anchored: number;
}

export interface GroundTruth {
  generator: '@rendezvous/simulator';
  version: 1;
  seed: number;
  start: string;
  end: string;
  hours: number;
  receivers: string[];
  rule: EncounterRule;
  scenarios: ScenarioTruth[];
  skippedScenarios: { name: string; reason: string }[];
  /** Every encounter expected from a GFW-rule detector, across scenarios. */
  meetings: EncounterTruth[];
  /** MMSIs used by more than one transmitter. */
  sharedMmsis: number[];
  ports: PortTruth[];
  background: { vessels: number; transiting: number; anchored: number; classB: number; satellite: number };
  vessels: TruthVessel[];
}

export const iso = (ms: number): string => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export interface PairVessel {
  key: string;
  mmsi: number;
  track: Track;
  /** AIS silences: one of an hour or more breaks a run (GFW never interpolates across it). */
  silences?: readonly { startMs: number; endMs: number }[];
}

export interface PairInput {
  scenario: string;
  a: PairVessel;
  b: PairVessel;
  from: number;
  to: number;
  /** Overrides the rule's verdict when the AIS data cannot show what happened (a dark partner). */
  override?: { expected: boolean; why: string };
}

/**
 * Sample both noise-free tracks every 10 s, find the longest run within the rule's distance and
 * judge it by the rule: long enough and slow enough (both ships' median speed).
 */
export function evaluatePair(p: PairInput, rule: EncounterRule = GFW_RULE): EncounterTruth {
  const STEP = 10_000;
  let best: { s: number; e: number } | null = null;
  let runStart: number | null = null;
  let minD = Infinity;
  const all: number[] = [];
  const blind = [...(p.a.silences ?? []), ...(p.b.silences ?? [])].filter((s) => s.endMs - s.startMs >= 3_600_000);
  for (let t = p.from; t <= p.to; t += STEP) {
    const ka = p.a.track.at(t);
    const kb = p.b.track.at(t);
    const d = haversineM(ka.lon, ka.lat, kb.lon, kb.lat);
    all.push(d);
    if (d < minD) minD = d;
    if (d <= rule.distanceM && !blind.some((s) => t >= s.startMs && t < s.endMs)) {
      if (runStart === null) runStart = t;
      if (!best || t - runStart > best.e - best.s) best = { s: runStart, e: t };
    } else {
      runStart = null;
    }
  }
  const base = { scenario: p.scenario, vessels: [p.a.key, p.b.key] as [string, string], mmsis: [p.a.mmsi, p.b.mmsi] as [number, number], thresholdM: rule.distanceM };
  if (!best) {
    const why = p.override?.why ?? `never within ${rule.distanceM} m (closest ${Math.round(minD)} m)`;
    return { ...base, start: null, end: null, durationMin: 0, minDistanceM: Math.round(minD), medianDistanceM: Math.round(median(all)), medianSpeedKn: [0, 0], expected: p.override?.expected ?? false, why };
  }
  const ds: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let t = best.s; t <= best.e; t += STEP) {
    const ka = p.a.track.at(t);
    const kb = p.b.track.at(t);
    ds.push(haversineM(ka.lon, ka.lat, kb.lon, kb.lat));
    sa.push(ka.sogKn);
    sb.push(kb.sogKn);
  }
  const durationMin = Math.round((best.e - best.s) / 60_000);
  const speeds: [number, number] = [round1(median(sa)), round1(median(sb))];
  const longEnough = durationMin >= rule.minDurationH * 60;
  const slowEnough = speeds[0] < rule.maxMedianSpeedKn && speeds[1] < rule.maxMedianSpeedKn;
  const expected = p.override?.expected ?? (longEnough && slowEnough);
  const why =
    p.override?.why ??
    (expected
      ? `within ${rule.distanceM} m for ${durationMin} min at median ${speeds[0]}/${speeds[1]} kn`
      : !longEnough
        ? `together only ${durationMin} min (< ${rule.minDurationH} h)`
        : `median speed ${speeds[0]}/${speeds[1]} kn is not below ${rule.maxMedianSpeedKn} kn`);
  return {
    ...base,
    start: iso(best.s),
    end: iso(best.e),
    durationMin,
    minDistanceM: Math.round(minD),
    medianDistanceM: Math.round(median(ds)),
    medianSpeedKn: speeds,
    expected,
    why,
  };
}

/** Median true speed of one track over [from, to] (10 s samples). */
export function medianSpeed(track: Track, from: number, to: number): number {
  const xs: number[] = [];
  for (let t = from; t <= to; t += 10_000) xs.push(track.at(t).sogKn);
  return round1(median(xs));
}

/**
 * The truth's watchlisted vessels as the plain watchlist CSV (`imo,mmsi,name,reason,source,listed_at`)
 * that `lists import <name> <file> --format csv` reads.
 */
export function watchlistCsv(truth: GroundTruth): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = truth.vessels
    .filter((v) => v.watchlist)
    .map((v) => [v.imo === null ? '' : String(v.imo), String(v.mmsi).padStart(9, '0'), v.name, v.watchlist!.reason, v.watchlist!.source, v.watchlist!.listedAt].map(cell).join(','));
  return ['imo,mmsi,name,reason,source,listed_at', ...rows].join('\n') + '\n';
}

/**
 * The scenario ports of a truth as a PORTS_FILE (`s2id,label,iso3,latitude,longitude`, the GFW
 * anchorage columns @rendezvous/geography's parsePortsCsv reads), one row per port id.
 */
export function portsCsv(truth: GroundTruth): string {
  const seen = new Map<string, ScenarioPort>();
  for (const s of truth.scenarios) for (const p of s.ports ?? []) if (!seen.has(p.id)) seen.set(p.id, p);
  const rows = [...seen.values()].map((p) => [p.id, p.name, p.country, String(p.lat), String(p.lon)].join(','));
  return ['s2id,label,iso3,latitude,longitude', ...rows].join('\n') + '\n';
}
