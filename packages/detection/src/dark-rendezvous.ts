/**
 * Dark rendezvous: a transfer where at least one side had its AIS off (DESIGN.md "Dark activity").
 *
 * - `loiter_gap`: a loitering vessel L and another vessel D whose AIS gap overlaps the loitering,
 *   and which could have reached L's spot and left it again in the gap's time. Windward's test:
 *   off → spot at `darkMaxSpeedKn` + `darkMinStopMs` + spot → on at `darkMaxSpeedKn` ≤ gap
 *   duration (an open gap: the off leg and the stop only). We also require the stop to fit inside
 *   the loitering: D can be at the spot from off + sail-in until on − sail-out, and that must
 *   overlap [L.start, L.end] by ≥ darkMinStopMs, since a meeting needs both vessels there at once.
 * - `dark_dark`: two vessels dark at once, gaps overlapping by ≥ darkMinStopMs (time for the
 *   stop), whose off positions are within `darkDarkMaxSeparationM` (50 nm); confidence by
 *   separation < 5 nm high, 5–15 medium, 15–50 low (an open-source shadow-fleet tool's bands).
 *
 * Inputs are events, from this window and stored ones: no ownership filter here, and duplicates
 * (same key) are collapsed to the latest version (largest end). Output is deterministic and sorted.
 */
import { ecefInto, geodesicDistanceM, KN_TO_MS, METRES_PER_NM, SphereMean } from '@rendezvous/geodesy';
import { gapEventKey, type AisGapEvent } from './ais-gaps.ts';
import { confidenceBySeparation, DEFAULT_DARK_PROFILES, type DarkActivityProfile } from './dark-profile.ts';
import { roundTo, vesselId } from './dark-context.ts';
import { loiteringEventKey, type LoiteringEvent } from './loitering.ts';

export interface DarkRendezvousEvent {
  type: 'dark_rendezvous';
  kind: 'loiter_gap' | 'dark_dark';
  /** loiter_gap: the loitering vessel; dark_dark: the smaller MMSI (then segment). */
  a: number;
  segmentA: string | null;
  /** loiter_gap: the dark vessel; dark_dark: the other one. */
  b: number;
  segmentB: string | null;
  /** The overlap of the component events. */
  start: number;
  end: number;
  confidence: 'high' | 'medium' | 'low';
  /** loiter_gap: the dark vessel's nearer of off/on to the spot; dark_dark: off to off (m). */
  separationM: number;
  /** loiter_gap: the loitering centroid; dark_dark: the mean of the two off positions. */
  centroid: { lon: number; lat: number };
  /** The profile whose thresholds decided it (the most sensitive of the component events'). */
  profile: string;
  reasons: string[];
  /** Key of the loitering event (loiter_gap), else null. */
  loiteringKey: string | null;
  /** Keys of the gap events: one for loiter_gap, [a's, b's] for dark_dark. */
  gapKeys: string[];
}

const HOUR = 3_600_000;
const nm = (m: number) => `${(m / METRES_PER_NM).toFixed(1)} nm`;
const h = (ms: number) => `${(ms / HOUR).toFixed(1)} h`;

const E = { x: new Float64Array(2), y: new Float64Array(2), z: new Float64Array(2) };
function chordM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  ecefInto(a.lon, a.lat, E.x, E.y, E.z, 0);
  ecefInto(b.lon, b.lat, E.x, E.y, E.z, 1);
  return Math.hypot(E.x[1]! - E.x[0]!, E.y[1]! - E.y[0]!, E.z[1]! - E.z[0]!);
}

/** `dark_rendezvous:<kind>:<component keys joined by '+'>`. */
export function darkRendezvousKey(e: Pick<DarkRendezvousEvent, 'kind' | 'loiteringKey' | 'gapKeys'>): string {
  const parts = e.loiteringKey === null ? e.gapKeys : [e.loiteringKey, ...e.gapKeys];
  return `dark_rendezvous:${e.kind}:${parts.join('+')}`;
}

export function compareDarkRendezvous(x: DarkRendezvousEvent, y: DarkRendezvousEvent): number {
  if (x.start !== y.start) return x.start - y.start;
  if (x.kind !== y.kind) return x.kind < y.kind ? -1 : 1;
  if (x.a !== y.a) return x.a - y.a;
  if (x.b !== y.b) return x.b - y.b;
  const kx = darkRendezvousKey(x);
  const ky = darkRendezvousKey(y);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}

/** Latest version of each event by key (largest end, then the first in key order). */
function latestByKey<E extends { end: number }>(events: readonly E[], key: (e: E) => string): [string, E][] {
  const m = new Map<string, E>();
  for (const e of events) {
    const k = key(e);
    const prev = m.get(k);
    if (!prev || e.end > prev.end) m.set(k, e);
  }
  return [...m.entries()].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
}

/** The profile, among the named ones, that comes first in `profiles` (sensitive first by default). */
function pickProfile(profiles: readonly DarkActivityProfile[], names: readonly string[]): DarkActivityProfile | null {
  for (const p of profiles) if (names.includes(p.name)) return p;
  return profiles.find((p) => p.appliesTo === 'all') ?? profiles[0] ?? null;
}

export function detectDarkRendezvous(
  loiterings: readonly LoiteringEvent[],
  gaps: readonly AisGapEvent[],
  profiles: readonly DarkActivityProfile[] = DEFAULT_DARK_PROFILES,
): DarkRendezvousEvent[] {
  const ls = latestByKey(loiterings, loiteringEventKey);
  const gs = latestByKey(gaps, gapEventKey).sort((p, q) => p[1].start - q[1].start || (p[0] < q[0] ? -1 : 1));
  const out: DarkRendezvousEvent[] = [];
  for (const [lk, l] of ls) {
    for (const [gk, g] of gs) {
      if (g.start >= l.end) break;
      const ev = loiterGap(l, lk, g, gk, profiles);
      if (ev) out.push(ev);
    }
  }
  for (let i = 0; i < gs.length; i++) {
    const [k1, g1] = gs[i]!;
    for (let j = i + 1; j < gs.length; j++) {
      const [k2, g2] = gs[j]!;
      if (g2.start >= g1.end) break; // sorted by start: no later gap overlaps g1
      const ev = darkDark(g1, k1, g2, k2, profiles);
      if (ev) out.push(ev);
    }
  }
  return out.sort(compareDarkRendezvous);
}

function loiterGap(l: LoiteringEvent, lk: string, g: AisGapEvent, gk: string, profiles: readonly DarkActivityProfile[]): DarkRendezvousEvent | null {
  if (g.mmsi === l.mmsi) return null; // a vessel never meets itself (nor another segment of its MMSI)
  const start = Math.max(l.start, g.start);
  const end = Math.min(l.end, g.end);
  if (!(end > start)) return null;
  const p = pickProfile(profiles, [l.profile, g.profile]);
  if (!p) return null;
  const v = p.darkMaxSpeedKn * KN_TO_MS;
  const gapMs = g.end - g.start;
  // The chord is never longer than the geodesic: a cheap exact rejection before Vincenty.
  if ((chordM(g.off, l.centroid) / v) * 1000 + p.darkMinStopMs > gapMs) return null;
  const dOff = geodesicDistanceM(g.off.lon, g.off.lat, l.centroid.lon, l.centroid.lat);
  const dOn = g.on ? geodesicDistanceM(l.centroid.lon, l.centroid.lat, g.on.lon, g.on.lat) : null;
  const tIn = (dOff / v) * 1000;
  const tOut = dOn === null ? 0 : (dOn / v) * 1000;
  // Windward's test.
  if (tIn + p.darkMinStopMs + tOut > gapMs) return null;
  // Both at the spot at once for the stop.
  const atSpotFrom = Math.max(g.off.t + tIn, l.start);
  const atSpotTo = Math.min(g.end - tOut, l.end);
  if (atSpotTo - atSpotFrom < p.darkMinStopMs) return null;

  const sep = dOn === null ? dOff : Math.min(dOff, dOn);
  const L = vesselId(l.mmsi, l.segment);
  const D = vesselId(g.mmsi, g.segment);
  const reach =
    dOn === null
      ? `${D} dark ${h(gapMs)} so far; off ${nm(dOff)} from ${L}'s loitering spot; at ${p.darkMaxSpeedKn} kn it needs ${h(tIn)} + ${h(p.darkMinStopMs)} stop of the ${h(gapMs)}`
      : `${D} dark ${h(gapMs)}; off ${nm(dOff)} and on ${nm(dOn)} from ${L}'s loitering spot; at ${p.darkMaxSpeedKn} kn it needs ${h(tIn)} + ${h(p.darkMinStopMs)} stop + ${h(tOut)} of the ${h(gapMs)}`;
  return {
    type: 'dark_rendezvous',
    kind: 'loiter_gap',
    a: l.mmsi,
    segmentA: l.segment,
    b: g.mmsi,
    segmentB: g.segment,
    start,
    end,
    confidence: confidenceBySeparation(sep),
    separationM: roundTo(sep, 2),
    centroid: { lon: l.centroid.lon, lat: l.centroid.lat },
    profile: p.name,
    reasons: [
      `${L} loitered ${h(l.durationMs)} at ${l.meanSpeedKn.toFixed(2)} kn while ${D} was dark (overlap ${h(end - start)})`,
      reach,
      `it could be at the spot for ${h(atSpotTo - atSpotFrom)} of the loitering (≥ ${h(p.darkMinStopMs)})`,
      `nearest AIS position ${nm(sep)} from the spot: ${confidenceBySeparation(sep)} confidence (< 5 nm high, 5–15 medium, else low)`,
    ],
    loiteringKey: lk,
    gapKeys: [gk],
  };
}

function darkDark(g1: AisGapEvent, k1: string, g2: AisGapEvent, k2: string, profiles: readonly DarkActivityProfile[]): DarkRendezvousEvent | null {
  if (g1.mmsi === g2.mmsi) return null;
  const p = pickProfile(profiles, [g1.profile, g2.profile]);
  if (!p) return null;
  const start = Math.max(g1.start, g2.start);
  const end = Math.min(g1.end, g2.end);
  if (end - start < p.darkMinStopMs || !(end > start)) return null;
  if (chordM(g1.off, g2.off) > p.darkDarkMaxSeparationM) return null; // chord ≤ geodesic: exact rejection
  const sep = geodesicDistanceM(g1.off.lon, g1.off.lat, g2.off.lon, g2.off.lat);
  if (sep > p.darkDarkMaxSeparationM) return null;
  const first = g1.mmsi < g2.mmsi || (g1.mmsi === g2.mmsi && (g1.segment ?? '') < (g2.segment ?? ''));
  const [x, kx, y, ky] = first ? [g1, k1, g2, k2] : [g2, k2, g1, k1];
  const mean = new SphereMean();
  mean.add(x.off.lon, x.off.lat);
  mean.add(y.off.lon, y.off.lat);
  const c = mean.mean()!;
  const conf = confidenceBySeparation(sep);
  const X = vesselId(x.mmsi, x.segment);
  const Y = vesselId(y.mmsi, y.segment);
  return {
    type: 'dark_rendezvous',
    kind: 'dark_dark',
    a: x.mmsi,
    segmentA: x.segment,
    b: y.mmsi,
    segmentB: y.segment,
    start,
    end,
    confidence: conf,
    separationM: roundTo(sep, 2),
    centroid: { lon: roundTo(c.lon, 7), lat: roundTo(c.lat, 7) },
    profile: p.name,
    reasons: [
      `${X} dark ${h(x.durationMs)}${x.ongoing ? ' so far' : ''} and ${Y} dark ${h(y.durationMs)}${y.ongoing ? ' so far' : ''}, both dark for ${h(end - start)} (≥ ${h(p.darkMinStopMs)})`,
      `off positions ${nm(sep)} apart (≤ ${nm(p.darkDarkMaxSeparationM)}): ${conf} confidence (< 5 nm high, 5–15 medium, else low)`,
    ],
    loiteringKey: null,
    gapKeys: [kx, ky],
  };
}
