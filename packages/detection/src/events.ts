/**
 * Rendezvous events: building them from merged runs, their stable key, and the helpers a caller
 * needs to keep one alert per meeting across windows, late data and re-runs (DESIGN.md: "an
 * alert is revisable … keyed so that re-detection updates it instead of duplicating it";
 * "Reprocessing is idempotent").
 */
import { SphereMean } from '@rendezvous/geodesy';
import type { PairSteps } from './pairs.ts';
import type { DetectionProfile } from './profile.ts';
import { speedKn, type Resampled } from './resample.ts';
import { closeTimeMs, type Run } from './runs.ts';
import type { NormTrack } from './tracks.ts';

/** Bumped whenever a change to the algorithm can change events for the same input and profile. */
export const DETECTOR_VERSION = 'rendezvous-detection/1.0.0';

export interface RendezvousEvent {
  /** 'mmsiA-mmsiB', smaller MMSI first; 'mmsi:segment' parts when the tracks carried segments. */
  pairKey: string;
  a: number;
  b: number;
  /** Segment ids, only when given on the input tracks. */
  segmentA?: string;
  segmentB?: string;
  /** First and last close grid step (epoch ms, multiples of the profile's grid step). */
  start: number;
  end: number;
  /** Close time: the sum of the merged runs' durations; gaps between runs are not counted. */
  durationMs: number;
  /** Over every close step of every merged run (a true median, not GFW's median of run medians). */
  closestDistanceM: number;
  medianDistanceM: number;
  /** Median speed of vessel a / b over the same steps (knots; per the profile's speedSource). */
  medianSpeedKnA: number;
  medianSpeedKnB: number;
  /** Mean of both vessels' positions over the close steps, averaged on the unit sphere. */
  centroid: { lon: number; lat: number };
  /** Number of close grid steps, and of runs merged into this event. */
  steps: number;
  runs: number;
  /** Centroid within the profile's port radius (per the caller's isNearPort hook). */
  inPort: boolean;
  /** Name of the profile that judged this pair. */
  profile: string;
  detectorVersion: string;
}

/** Median of finite values (NaN when none); sorts a copy, so the result is order-independent. */
export function median(values: readonly number[]): number {
  const v = values.filter((x) => x === x).sort((p, q) => p - q);
  const n = v.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Builds the event for one merged group of runs, or null when it fails the profile's duration
 * or speed test. Port flagging is applied by the caller.
 */
export function buildEvent(
  res: Resampled,
  tracks: readonly NormTrack[],
  ps: PairSteps,
  group: readonly Run[],
  profile: DetectionProfile,
): RendezvousEvent | null {
  const durationMs = closeTimeMs(ps.k, group, res.stepMs);
  if (durationMs < profile.minDurationMs) return null;
  const dist: number[] = [];
  const spA: number[] = [];
  const spB: number[] = [];
  const centre = new SphereMean();
  for (const r of group) {
    for (let i = r.first; i <= r.last; i++) {
      const pa = ps.pa[i]!;
      const pb = ps.pb[i]!;
      dist.push(ps.distM[i]!);
      spA.push(speedKn(res, pa, profile.speedSource));
      spB.push(speedKn(res, pb, profile.speedSource));
      centre.add(res.lon[pa]!, res.lat[pa]!);
      centre.add(res.lon[pb]!, res.lat[pb]!);
    }
  }
  const medA = median(spA);
  const medB = median(spB);
  // Both vessels must be slow (NaN — speed unknown — fails the test).
  if (!(medA < profile.maxMedianSpeedKn && medB < profile.maxMedianSpeedKn)) return null;
  const c = centre.mean()!;
  const ta = tracks[ps.ta]!;
  const tb = tracks[ps.tb]!;
  const firstRun = group[0]!;
  const lastRun = group[group.length - 1]!;
  let closest = Infinity;
  for (const d of dist) if (d < closest) closest = d;
  const ev: RendezvousEvent = {
    pairKey: `${ta.id}-${tb.id}`,
    a: ta.mmsi,
    b: tb.mmsi,
    start: ps.k[firstRun.first]! * res.stepMs,
    end: ps.k[lastRun.last]! * res.stepMs,
    durationMs,
    closestDistanceM: round(closest, 2),
    medianDistanceM: round(median(dist), 2),
    medianSpeedKnA: round(medA, 3),
    medianSpeedKnB: round(medB, 3),
    centroid: { lon: round(c.lon, 7), lat: round(c.lat, 7) },
    steps: dist.length,
    runs: group.length,
    inPort: false,
    profile: profile.name,
    detectorVersion: DETECTOR_VERSION,
  };
  if (ta.segment !== null) ev.segmentA = ta.segment;
  if (tb.segment !== null) ev.segmentB = tb.segment;
  return ev;
}

/**
 * Stable identity of a meeting: pair + grid-aligned start. The same meeting detected from any
 * window with enough context gets the same key (and identical fields).
 */
export function eventKey(e: Pick<RendezvousEvent, 'pairKey' | 'start'>): string {
  return `${e.pairKey}@${new Date(e.start).toISOString()}`;
}

/**
 * Whether two events describe the same meeting: same pair and overlapping time spans. Use it
 * when a re-run returns an event with a new key (late data moved its start earlier, or bridged
 * two events into one): the stored events it overlaps are superseded.
 */
export function overlapsSameMeeting(x: RendezvousEvent, y: RendezvousEvent): boolean {
  return x.pairKey === y.pairKey && x.start <= y.end && y.start <= x.end;
}

/** Canonical order: start, pair, profile. */
export function compareEvents(x: RendezvousEvent, y: RendezvousEvent): number {
  if (x.start !== y.start) return x.start - y.start;
  if (x.pairKey !== y.pairKey) return x.pairKey < y.pairKey ? -1 : 1;
  if (x.profile !== y.profile) return x.profile < y.profile ? -1 : 1;
  return x.end - y.end;
}

/** Field-by-field equality (the event is plain data). */
export function sameEvent(x: RendezvousEvent, y: RendezvousEvent): boolean {
  return JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));
}

function canonical(e: RendezvousEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(e).sort()) out[k] = (e as unknown as Record<string, unknown>)[k];
  return out;
}

/** Unique events by key (the first occurrence wins; identical when context was sufficient), in canonical order. */
export function dedupeEvents(events: Iterable<RendezvousEvent>): RendezvousEvent[] {
  const byKey = new Map<string, RendezvousEvent>();
  for (const e of events) {
    const key = eventKey(e);
    if (!byKey.has(key)) byKey.set(key, e);
  }
  return [...byKey.values()].sort(compareEvents);
}

export interface Reconciliation {
  /** New meetings: insert (and alert). */
  create: RendezvousEvent[];
  /** Same key, changed fields (an ongoing meeting grew, or a re-run with more data): update in place. */
  update: RendezvousEvent[];
  unchanged: RendezvousEvent[];
  /**
   * Stored events not re-detected under their key: `replacedBy` names the fresh event of the same
   * meeting (its start moved, or two events merged) so triage state can be carried over; null
   * when the new data no longer supports the event at all.
   */
  retract: { event: RendezvousEvent; replacedBy: string | null }[];
}

/**
 * Compares stored events with a fresh detection that is authoritative for them: pass the stored
 * events intersecting the re-run window and the fresh window result. Pure; deterministic.
 */
export function reconcileEvents(stored: readonly RendezvousEvent[], fresh: readonly RendezvousEvent[]): Reconciliation {
  const storedByKey = new Map(stored.map((e) => [eventKey(e), e] as const));
  const freshKeys = new Set<string>();
  const out: Reconciliation = { create: [], update: [], unchanged: [], retract: [] };
  for (const f of [...fresh].sort(compareEvents)) {
    const key = eventKey(f);
    if (freshKeys.has(key)) continue;
    freshKeys.add(key);
    const s = storedByKey.get(key);
    if (s === undefined) out.create.push(f);
    else if (sameEvent(s, f)) out.unchanged.push(f);
    else out.update.push(f);
  }
  for (const s of [...stored].sort(compareEvents)) {
    if (freshKeys.has(eventKey(s))) continue;
    const successor = fresh.filter((f) => overlapsSameMeeting(s, f)).sort(compareEvents)[0];
    out.retract.push({ event: s, replacedBy: successor ? eventKey(successor) : null });
  }
  return out;
}
