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
} from '@rendezvous/detection';
import type { TrackRepository, VesselRepository } from '@rendezvous/db';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { toDetectorTracks } from '../track-splitting.ts';
import { loadWindowPositions, type PositionReader } from './load-stage.ts';
import type { WindowData } from './window-data.ts';

export interface DarkActivityDetection {
  /** Gaps whose off time is in the window (the ones this run writes). */
  gaps: AisGapEvent[];
  /** Loitering starting in the window. */
  loiterings: LoiteringEvent[];
  /** Dark rendezvous this window owns: its loitering's start (loiter_gap) or the later off time (dark_dark) is in it. */
  darkRendezvous: DarkRendezvousEvent[];
  /** Every gap and loitering seen in the loaded data, owned or not: context for scoring other events. */
  seen: { gaps: AisGapEvent[]; loiterings: LoiteringEvent[] };
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

/**
 * AIS gaps, loitering and dark rendezvous (packages/detection, README "Dark activity") over a
 * window's data. Each is owned by the window holding its start, so overlapping windows never
 * write one event twice. Gaps are measured to the vessel's next report even past the loaded
 * data; a loitering that runs to the end of the loaded data is read on for that vessel.
 * Partners of a dark rendezvous are found among the gaps whose off time lies in the loaded data.
 */
export function createDarkActivityStage(
  deps: { positions: PositionReader & Pick<TrackRepository, 'nextReports'>; vessels: Pick<VesselRepository, 'dataHorizon'> },
  options: DarkStageOptions,
) {
  const { profiles, shoreDistanceM, isNearPort, lookaheadMs, bucketGrid } = options;

  return async function detectDarkActivity(data: WindowData): Promise<DarkActivityDetection> {
    const { context } = data;
    const window = { from: data.from, to: data.to };
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
    const gapTracks: GapTrackInput[] = data.tracks.map((tr) => {
      const n: DarkPoint | undefined = latest.get(tr.mmsi) === tr ? next.get(tr.mmsi) : undefined;
      return n ? { ...tr, next: n } : tr;
    });
    const reception = createReceptionIndex(data.tracks);
    const seenGaps = detectAisGaps(gapTracks, { ...base, window: context }, reception);
    const gaps = seenGaps.filter((g) => g.off.t >= window.from && g.off.t < window.to);

    let seenLoiterings = detectLoitering(data.tracks, { ...base, window: context });
    // Loitering that reaches the end of the loaded data is read on for those vessels, so its end
    // (and whether it passes the minimum) does not depend on where the window's read stopped.
    const cut = seenLoiterings.filter((l) => l.truncated && l.start >= window.from && l.start < window.to);
    if (cut.length > 0) {
      const mmsis = [...new Set(cut.map((l) => l.mmsi))];
      const longer = { from: context.from, to: Math.ceil((context.to + lookaheadMs) / TEN_MIN) * TEN_MIN };
      const { positions } = await loadWindowPositions(deps.positions, { from: new Date(longer.from), to: new Date(longer.to), bbox: null, mmsis }, bucketGrid);
      const again = detectLoitering(toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS).tracks, { ...base, window: context });
      const reread = new Set(mmsis);
      seenLoiterings = [...seenLoiterings.filter((l) => !reread.has(l.mmsi)), ...again];
    }
    const loiterings = seenLoiterings.filter((l) => l.start >= window.from && l.start < window.to && !l.truncatedStart);

    const ownedLoiter = new Set(loiterings.map(loiteringEventKey));
    const gapByKey = new Map(seenGaps.map((g) => [gapEventKey(g), g]));
    const darkRendezvous = detectDarkRendezvous(seenLoiterings, seenGaps, profiles).filter((d) => {
      if (d.kind === 'loiter_gap') return d.loiteringKey !== null && ownedLoiter.has(d.loiteringKey);
      const lastOff = Math.max(...d.gapKeys.map((k) => gapByKey.get(k)?.off.t ?? -Infinity));
      return lastOff >= window.from && lastOff < window.to;
    });
    return { gaps, loiterings, darkRendezvous: uniqueBy(darkRendezvous, darkRendezvousKey), seen: { gaps: seenGaps, loiterings: seenLoiterings } };
  };
}
export type DarkActivityStage = ReturnType<typeof createDarkActivityStage>;

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const it of items) if (!seen.has(key(it))) seen.set(key(it), it);
  return [...seen.values()];
}
