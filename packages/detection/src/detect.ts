/**
 * The detector: tracks → rendezvous events (DESIGN.md "Domain rules"; GFW pipe-encounters).
 *
 *   normalise (canonical track order) → resample onto the epoch-aligned grid → per step, close
 *   pairs via the ECEF spatial hash + geodesic → runs → merge (< mergeGap) → duration and
 *   median-speed tests → port flag/drop → canonical event order.
 *
 * Each pair is judged by the first profile that applies to it (DEFAULT_PROFILES: the sensitive
 * profile for pairs with a watchlisted vessel, GFW's rule for the rest).
 *
 * `detectWindow` adds the window contract: events intersecting [from, to) with their full
 * extent, and which of them could still change with more context (see README "Windows").
 */
import { buildEvent, compareEvents, eventKey, type RendezvousEvent } from './events.ts';
import { findClosePairs, type PairSearchStats } from './pairs.ts';
import { DEFAULT_PROFILES, settleMarginMs, validateProfile, type DetectionProfile } from './profile.ts';
import { resample, type Resampled } from './resample.ts';
import { mergeRuns, splitRuns, type Run } from './runs.ts';
import { normaliseTracks, type TrackInput } from './tracks.ts';

/** Port hook: whether (lon, lat) is within radiusM (the profile's portRadiusM) of a port/anchorage. */
export type IsNearPort = (lon: number, lat: number, radiusM: number) => boolean;

export interface DetectOptions {
  /** Judged in order, first applicable wins. Default: DEFAULT_PROFILES (sensitive, then GFW). */
  profiles?: readonly DetectionProfile[];
  /** Watchlisted / suspect vessels: pairs with one of them use the 'sensitive' profile(s). */
  sensitiveMmsis?: ReadonlySet<number>;
  isNearPort?: IsNearPort;
  /** Filled with timings and counts when given. */
  stats?: DetectStats;
}

export interface DetectStats extends PairSearchStats {
  tracks: number;
  points: number;
  resampleMs: number;
  pairSearchMs: number;
  eventsMs: number;
}

export function emptyStats(): DetectStats {
  return { tracks: 0, points: 0, steps: 0, positions: 0, candidates: 0, closePairSteps: 0, resampleMs: 0, pairSearchMs: 0, eventsMs: 0 };
}

/** Every event in the data, with its full extent, in canonical order (start, pair, profile). */
export function detectEvents(tracks: readonly TrackInput[], options: DetectOptions = {}): RendezvousEvent[] {
  return detectCore(tracks, options, null).events;
}

/**
 * Span of close steps of one pair grouped by the profile's merge gap, counting every run, even
 * single steps and runs shorter than minRun: a superset of any event the pair could form with
 * more data. Used to decide whether a window has enough context.
 */
interface WatchSpan {
  start: number;
  end: number;
  margin: number;
}

function detectCore(
  tracks: readonly TrackInput[],
  options: DetectOptions,
  watch: WatchSpan[] | null,
): { events: RendezvousEvent[] } {
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  if (profiles.length === 0) throw new RangeError('at least one profile is needed');
  const names = new Set<string>();
  for (const p of profiles) {
    validateProfile(p);
    if (names.has(p.name)) throw new RangeError(`duplicate profile name ${p.name}`);
    names.add(p.name);
  }
  const stats = options.stats;
  const norm = normaliseTracks(tracks);
  if (stats) {
    stats.tracks += norm.length;
    for (const t of norm) stats.points += t.n;
  }
  const sensitive = new Uint8Array(norm.length);
  let anySensitive = false;
  if (options.sensitiveMmsis && options.sensitiveMmsis.size > 0) {
    for (let i = 0; i < norm.length; i++) {
      if (options.sensitiveMmsis.has(norm[i]!.mmsi)) {
        sensitive[i] = 1;
        anySensitive = true;
      }
    }
  }
  // First applicable profile for pairs without / with a sensitive vessel.
  const forPlain = profiles.findIndex((p) => p.appliesTo === 'all');
  const forSensitive = profiles.findIndex((p) => p.appliesTo === 'sensitive' || p.appliesTo === 'all');
  const judge = (ta: number, tb: number) => (sensitive[ta] === 1 || sensitive[tb] === 1 ? forSensitive : forPlain);

  const grids = new Map<string, Resampled>();
  const events: RendezvousEvent[] = [];
  for (let pi = 0; pi < profiles.length; pi++) {
    const profile = profiles[pi]!;
    const judgesPlain = pi === forPlain;
    const judgesSensitive = pi === forSensitive && anySensitive;
    if (!judgesPlain && !judgesSensitive) continue;

    const gridKey = `${profile.gridStepMs}/${profile.maxInterpolationGapMs}`;
    let res = grids.get(gridKey);
    if (res === undefined) {
      const t0 = performance.now();
      res = resample(norm, profile.gridStepMs, profile.maxInterpolationGapMs);
      grids.set(gridKey, res);
      if (stats) stats.resampleMs += performance.now() - t0;
    }

    const t1 = performance.now();
    const pairs = findClosePairs(
      res,
      norm,
      {
        radiusM: profile.maxDistanceM,
        accept: (ta, tb) => judge(ta, tb) === pi,
        // Judging only pairs with a watchlisted vessel: search from those vessels only.
        ...(judgesPlain ? {} : { queryTracks: sensitive }),
      },
      stats,
    );
    const t2 = performance.now();
    if (stats) stats.pairSearchMs += t2 - t1;

    for (const ps of pairs.values()) {
      if (watch) {
        const margin = settleMarginMs(profile);
        for (const g of mergeRuns(ps.k, allRuns(ps.k), res.stepMs, profile.mergeGapMs)) {
          watch.push({ start: ps.k[g[0]!.first]! * res.stepMs, end: ps.k[g[g.length - 1]!.last]! * res.stepMs, margin });
        }
      }
      const runs = splitRuns(ps.k, res.stepMs, profile.minRunMs);
      if (runs.length === 0) continue;
      for (const group of mergeRuns(ps.k, runs, res.stepMs, profile.mergeGapMs)) {
        const ev = buildEvent(res, norm, ps, group, profile);
        if (ev === null) continue;
        if (options.isNearPort) ev.inPort = options.isNearPort(ev.centroid.lon, ev.centroid.lat, profile.portRadiusM);
        if (ev.inPort && profile.dropInPort) continue;
        events.push(ev);
      }
    }
    if (stats) stats.eventsMs += performance.now() - t2;
  }
  return { events: events.sort(compareEvents) };
}

/** Every maximal run of consecutive steps, single steps included. */
function allRuns(k: readonly number[]): Run[] {
  const out: Run[] = [];
  let first = 0;
  for (let i = 1; i <= k.length; i++) {
    if (i < k.length && k[i] === k[i - 1]! + 1) continue;
    out.push({ first, last: i - 1 });
    first = i;
  }
  return out;
}

export interface WindowOptions extends DetectOptions {
  /** The window [from, to) (epoch ms) events are reported for. */
  from: number;
  to: number;
  /**
   * The time range the tracks were loaded for (see `windowContext`). Default: the span of the
   * data, which is conservative (it can only ask for more context, never less). For a live
   * window whose lookahead is not in the store yet, pass the range actually covered (up to now).
   */
  context?: { from: number; to: number };
}

export interface WindowDetection {
  from: number;
  to: number;
  context: { from: number; to: number };
  /** Events intersecting [from, to) (start < to and end ≥ from), full extent, canonical order. */
  events: RendezvousEvent[];
  /**
   * Keys of returned events that reach too close to the edge of the context to be final: more
   * data around them could extend, merge or (rarely) remove them. Store them as ongoing and let
   * a later run update them, or re-run with `neededContext`.
   */
  provisional: string[];
  /**
   * null when the result is final for this data: every event intersecting the window is returned
   * with its full extent and would be identical with any wider context. Otherwise a wider
   * context to load and re-run with: the context is narrower than the window ± the settle
   * margin, an event is provisional, or close steps of some pair that intersect the window (not,
   * or not yet, an event) reach the edge of the context.
   */
  neededContext: { from: number; to: number } | null;
}

/**
 * Events intersecting the window [from, to), computed from tracks covering a wider context.
 * A settled event is identical (key and every field) whatever window and context it was
 * computed from, so results of overlapping windows can be merged by `eventKey`.
 */
export function detectWindow(tracks: readonly TrackInput[], options: WindowOptions): WindowDetection {
  const { from, to } = options;
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new RangeError('window needs from < to');
  let context = options.context;
  if (context === undefined) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const tr of tracks) {
      const n = 't' in tr ? tr.t.length : tr.points.length;
      if (n === 0) continue;
      const first = 't' in tr ? tr.t[0]! : tr.points[0]!.t;
      const last = 't' in tr ? tr.t[n - 1]! : tr.points[n - 1]!.t;
      if (first < lo) lo = first;
      if (last > hi) hi = last;
    }
    context = Number.isFinite(lo) ? { from: lo, to: hi } : { from, to };
  }
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  const watch: WatchSpan[] = [];
  const all = detectCore(tracks, options, watch).events;

  let needFrom = context.from;
  let needTo = context.to;
  let needed = false;
  const widen = (a: number, b: number) => {
    if (a < needFrom) needFrom = a;
    if (b > needTo) needTo = b;
    needed = true;
  };
  // The minimum: the window ± the largest settle margin.
  let maxMargin = 0;
  for (const p of profiles) maxMargin = Math.max(maxMargin, settleMarginMs(p));
  if (context.from > from - maxMargin || context.to < to + maxMargin) widen(from - maxMargin, to + maxMargin);

  const events: RendezvousEvent[] = [];
  const provisional: string[] = [];
  for (const e of all) {
    if (!(e.start < to && e.end >= from)) continue;
    events.push(e);
    const p = profiles.find((q) => q.name === e.profile)!;
    const margin = settleMarginMs(p);
    if (e.start - margin < context.from || e.end + margin > context.to) {
      provisional.push(eventKey(e));
      widen(e.start - margin, e.end + margin);
    }
  }
  for (const w of watch) {
    if (!(w.start < to && w.end >= from)) continue;
    if (w.start - w.margin < context.from || w.end + w.margin > context.to) widen(w.start - w.margin, w.end + w.margin);
  }
  return { from, to, context, events, provisional, neededContext: needed ? { from: needFrom, to: needTo } : null };
}
