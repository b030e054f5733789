import {
  createReceptionIndex,
  darkRendezvousKey,
  detectAisGaps,
  detectDarkRendezvous,
  detectLoitering,
  gapEventKey,
  loiteringEventKey,
  type AisGapEvent,
  type ColumnarTrack,
  type DarkActivityProfile,
  type DarkContext,
  type DarkPoint,
  type DarkRendezvousEvent,
  type GapTrackInput,
  type LoiteringEvent,
  type ReceptionIndex,
} from '@rendezvous/detection';
import type { ColumnarPositions, TrackRepository, VesselRepository } from '@rendezvous/db';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { toDetectorTracks } from '../track-splitting.ts';
import { loadWindowPositions, type PositionReader } from './load-stage.ts';
import type { WindowData } from './window-data.ts';

export interface DarkActivityDetection {
  /** Gaps whose off time is in the window (the ones this run writes). */
  gaps: AisGapEvent[];
  /** Loitering starting in the window. */
  loiterings: LoiteringEvent[];
  /** Dark rendezvous this window owns, with the time that makes it the owner (`ownedAt`): its loitering's start (loiter_gap) or the later off time (dark_dark). */
  darkRendezvous: (DarkRendezvousEvent & { ownedAt: number })[];
  /** Every gap and loitering seen in the loaded data, owned or not: context for scoring other events. */
  seen: { gaps: AisGapEvent[]; loiterings: LoiteringEvent[] };
  /**
   * Each loitering vessel's 10-minute bucket reports (first and last of each bucket) over the
   * loaded range and any longer read: the evidence track of a loitering judged on them.
   */
  buckets: Map<number, ColumnarPositions>;
  /** Vessels whose loitering was judged on raw reports (they reported moving): their evidence is raw. */
  rawLoiterers: Set<number>;
  /** Where the stage's time went (ms), for the benchmark. */
  timings: { readsMs: number; receptionMs: number; gapsMs: number; loiteringMs: number; darkRendezvousMs: number };
}

export interface DarkStageOptions {
  profiles: readonly DarkActivityProfile[];
  shoreDistanceM: (lon: number, lat: number) => number;
  isNearPort?: ((lon: number, lat: number, radiusM: number) => boolean) | undefined;
  /** How far after the loaded data to look for a silent vessel's next report (and to read a long loitering). */
  lookaheadMs: number;
  bucketGrid: boolean;
}

const TEN_MIN = 600_000;
const HOUR = 3_600_000;
/**
 * Legs shorter than this do not count towards loitering speed: at 2–10 s class A rates, 10 m of
 * GPS jitter per leg would add up to several knots for a vessel lying still, while a vessel truly
 * moving 2 kn covers 62 m a minute, well above the jitter. One fix a minute keeps both apart.
 */
const MIN_LEG_MS = 60_000;

/** The track with each fix kept only if it comes ≥ minMs after the last kept one. */
function thin(tr: ColumnarTrack, minMs: number): ColumnarTrack {
  const keep: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < tr.t.length; i++) {
    if (tr.t[i]! - last >= minMs) {
      keep.push(i);
      last = tr.t[i]!;
    }
  }
  if (keep.length === tr.t.length) return tr;
  const pick = (a: ArrayLike<number>) => Float64Array.from(keep, (i) => a[i]!);
  return { ...tr, t: pick(tr.t), lon: pick(tr.lon), lat: pick(tr.lat), ...(tr.sog ? { sog: pick(tr.sog) } : {}) };
}

/**
 * AIS gaps, loitering and dark rendezvous (packages/detection, README "Dark activity") over a
 * window's data. Each is owned by the window holding its start, so overlapping windows never
 * write one event twice. Gaps are measured to the vessel's next report even past the loaded
 * data; a loitering that runs to the end of the loaded data is read on for that vessel.
 * Partners of a dark rendezvous are found among the gaps whose off time lies in the loaded data.
 */
export function createDarkActivityStage(
  deps: { positions: PositionReader & Pick<TrackRepository, 'nextReports' | 'loadSpans'>; vessels: Pick<VesselRepository, 'dataHorizon'> },
  options: DarkStageOptions,
) {
  const { profiles, shoreDistanceM, isNearPort, lookaheadMs, bucketGrid } = options;

  return async function detectDarkActivity(data: WindowData): Promise<DarkActivityDetection> {
    const { context } = data;
    const window = { from: data.from, to: data.to };
    const t0 = performance.now();
    // Data known to reach no further than the latest report of any vessel, nor than the lookahead.
    const horizon = Math.min((await deps.vessels.dataHorizon()) ?? context.to, context.to + lookaheadMs);
    const base: Omit<DarkContext, 'window'> = {
      horizon,
      shoreDistanceM,
      ...(isNearPort ? { isNearPort } : {}),
      sensitiveMmsis: data.sensitive,
      profiles,
    };

    // Silent at the end of the loaded data: where (and whether) each was heard next.
    const lastOf = (tr: ColumnarTrack) => tr.t[tr.t.length - 1]!;
    const latest = new Map<number, ColumnarTrack>();
    for (const tr of data.tracks) {
      const cur = latest.get(tr.mmsi);
      if (tr.t.length > 0 && (!cur || lastOf(tr) > lastOf(cur))) latest.set(tr.mmsi, tr);
    }
    const silent = [...latest.values()].filter((tr) => lastOf(tr) < context.to - TEN_MIN);
    const next = await deps.positions.nextReports(
      silent.map((tr) => tr.mmsi),
      new Date(context.to),
      new Date(context.to + lookaheadMs),
    );
    const t1 = performance.now();
    const gapTracks: GapTrackInput[] = data.tracks.map((tr) => {
      const n: DarkPoint | undefined = latest.get(tr.mmsi) === tr ? next.get(tr.mmsi) : undefined;
      return n ? { ...tr, next: n } : tr;
    });
    // Built on the first gap candidate that reaches the reception test (most windows have none).
    const reception = lazyReception(() => createReceptionIndex(data.tracks));
    const t2 = performance.now();
    const seenGaps = detectAisGaps(gapTracks, { ...base, window: context }, reception);
    const gaps = seenGaps.filter((g) => g.off.t >= window.from && g.off.t < window.to);

    const t3 = performance.now();
    let seenLoiterings = detectLoitering(data.tracks, { ...base, window: context });
    const buckets = new Map(data.byMmsi);
    // Loitering that reaches the end of the loaded data is read on for those vessels, so its end
    // (and whether it passes the minimum) does not depend on where the window's read stopped.
    const cut = seenLoiterings.filter((l) => l.truncated && l.start >= window.from && l.start < window.to);
    // Only if there is data beyond the loaded range (the horizon): else nothing more can be read.
    if (cut.length > 0 && horizon > context.to) {
      const mmsis = [...new Set(cut.map((l) => l.mmsi))];
      const longer = { from: context.from, to: Math.ceil((context.to + lookaheadMs) / TEN_MIN) * TEN_MIN };
      const { positions } = await loadWindowPositions(deps.positions, { from: new Date(longer.from), to: new Date(longer.to), bbox: null, mmsis }, bucketGrid);
      const again = detectLoitering(toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS).tracks, { ...base, window: context });
      for (const p of positions) buckets.set(p.mmsi, p);
      const reread = new Set(mmsis);
      seenLoiterings = [...seenLoiterings.filter((l) => !reread.has(l.mmsi)), ...again];
    }
    // GFW's loitering speed is Σ distance between fixes / time. On the buckets' first and last
    // reports a path can only get shorter, so a vessel circling inside a bucket looks still: a
    // slow stretch whose vessel reports moving (median reported SOG at or above the slow speed)
    // is judged again on its raw reports, thinned to one a minute (MIN_LEG_MS), from an hour
    // before it to an hour after (an hour not slow in the buckets is not slow in the raw reports
    // either, so nothing outside the candidates can loiter). A stretch whose reported speed
    // agrees it was slow stands: the raw reports could only add GPS jitter.
    const owned = (l: LoiteringEvent) => l.start >= window.from && l.start < window.to;
    const moving = seenLoiterings.filter((l) => owned(l) && reportsMoving(l, buckets.get(l.mmsi), profiles));
    const rawLoiterers = new Set(moving.map((l) => l.mmsi));
    if (moving.length > 0) {
      const spans = new Map<number, { mmsi: number; from: number; to: number }>();
      for (const l of moving) {
        const s = spans.get(l.mmsi);
        const [f, t] = [l.start - HOUR, l.end + HOUR];
        if (!s) spans.set(l.mmsi, { mmsi: l.mmsi, from: f, to: t });
        else [s.from, s.to] = [Math.min(s.from, f), Math.max(s.to, t)];
      }
      const raw = await deps.positions.loadSpans([...spans.values()]);
      const rawTracks = toDetectorTracks([...raw.values()], DEFAULT_IDENTITY_OPTIONS).tracks.map((tr) => thin(tr, MIN_LEG_MS));
      const wasTruncated = new Set(moving.filter((l) => l.truncated).map((l) => `${l.mmsi}:${l.end}`));
      const rejudged = detectLoitering(rawTracks, { ...base, window: context }).map((l) =>
        // The raw read stops an hour after the candidate: the end of the data only if the candidate said so.
        l.truncated && !wasTruncated.has(`${l.mmsi}:${l.end}`) ? { ...l, truncated: false, reasons: l.reasons.filter((r) => !r.startsWith('may continue')) } : l,
      );
      const movingKeys = new Set(moving.map(loiteringEventKey));
      const rawVessels = new Set(spans.keys());
      seenLoiterings = [...seenLoiterings.filter((l) => !movingKeys.has(loiteringEventKey(l))), ...rejudged.filter((l) => rawVessels.has(l.mmsi) && owned(l))];
    }
    // Owned loitering starts in the window, at least the context margin after the loaded range
    // begins, so a start at the track's first report is the vessel's own (it was not heard
    // before), never a cut of the read: `truncatedStart` needs no test here.
    const loiterings = seenLoiterings.filter((l) => l.start >= window.from && l.start < window.to);
    const t4 = performance.now();

    const ownedLoiter = new Set(loiterings.map(loiteringEventKey));
    const gapByKey = new Map(seenGaps.map((g) => [gapEventKey(g), g]));
    const loiterByKey = new Map(seenLoiterings.map((l) => [loiteringEventKey(l), l]));
    const darkRendezvous = detectDarkRendezvous(seenLoiterings, seenGaps, profiles)
      .map((d) => {
        const ownedAt =
          d.kind === 'loiter_gap' ? (loiterByKey.get(d.loiteringKey ?? '')?.start ?? -Infinity) : Math.max(...d.gapKeys.map((k) => gapByKey.get(k)?.off.t ?? -Infinity));
        return { ...d, ownedAt };
      })
      .filter((d) => (d.kind === 'loiter_gap' ? d.loiteringKey !== null && ownedLoiter.has(d.loiteringKey) : d.ownedAt >= window.from && d.ownedAt < window.to));
    const t5 = performance.now();
    return {
      gaps,
      loiterings,
      darkRendezvous: uniqueBy(darkRendezvous, darkRendezvousKey),
      seen: { gaps: seenGaps, loiterings: seenLoiterings },
      buckets,
      rawLoiterers,
      timings: { readsMs: t1 - t0, receptionMs: t2 - t1, gapsMs: t3 - t2, loiteringMs: t4 - t3, darkRendezvousMs: t5 - t4 },
    };
  };
}
export type DarkActivityStage = ReturnType<typeof createDarkActivityStage>;

/** Median reported SOG over the stretch at or above its profile's slow speed (unknown SOG: no). */
function reportsMoving(l: LoiteringEvent, p: ColumnarPositions | undefined, profiles: readonly DarkActivityProfile[]): boolean {
  if (!p) return false;
  const slowKn = profiles.find((x) => x.name === l.profile)?.loiterMaxSpeedKn ?? 2;
  const sogs: number[] = [];
  for (let i = 0; i < p.t.length; i++) if (p.t[i]! >= l.start && p.t[i]! <= l.end && Number.isFinite(p.sog[i]!)) sogs.push(p.sog[i]!);
  if (sogs.length === 0) return false;
  sogs.sort((a, b) => a - b);
  const m = sogs.length >> 1;
  const median = sogs.length % 2 ? sogs[m]! : (sogs[m - 1]! + sogs[m]!) / 2;
  return median >= slowKn;
}

/** A ReceptionIndex built when first asked (its build is linear in every report of the window). */
function lazyReception(build: () => ReceptionIndex): ReceptionIndex {
  let index: ReceptionIndex | null = null;
  const get = () => (index ??= build());
  return {
    get reports() {
      return get().reports;
    },
    get cellM() {
      return get().cellM;
    },
    get bucketMs() {
      return get().bucketMs;
    },
    get firstT() {
      return get().firstT;
    },
    get lastT() {
      return get().lastT;
    },
    neighboursHeard: (...args) => get().neighboursHeard(...args),
    neighbourMmsis: (...args) => get().neighbourMmsis(...args),
  };
}

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const it of items) if (!seen.has(key(it))) seen.set(key(it), it);
  return [...seen.values()];
}
