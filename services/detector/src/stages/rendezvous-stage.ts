import {
  compareEvents,
  detectWindow,
  eventKey,
  settleMarginMs,
  type DetectionProfile,
  type IsNearPort,
  type RendezvousEvent,
} from '@rendezvous/detection';
import { BUCKET_MS, type ColumnarPositions } from '@rendezvous/db';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { toDetectorTracks } from '../track-splitting.ts';
import { loadWindowPositions, type PositionReader } from './load-stage.ts';
import type { WindowData } from './window-data.ts';

export interface RendezvousDetection {
  /** Every event the run computed, once per key, of the profile asked for (all when none). */
  fresh: RendezvousEvent[];
  /** Keys of events that could still change with more data (longer than the reads could settle). */
  provisional: Set<string>;
  /** How many of `fresh` are provisional. */
  provisionalKept: number;
  /** The widest range read (the context, or more for long meetings). */
  context: { from: number; to: number };
  rereads: number;
  /** The window's positions by MMSI, with the wider reads of long meetings' vessels (they decide whether a meeting may still grow). */
  byMmsi: Map<number, ColumnarPositions>;
}

/**
 * Rendezvous (two vessels alongside, GFW's encounter rule and the sensitive profile) over a
 * window's data. Meetings the first read cannot settle are re-read for their two vessels; the
 * wider reads come back in the result's `byMmsi` (a copy: `data` is shared with the other
 * behaviours, which run beside this stage).
 */
export function createRendezvousStage(
  deps: { positions: PositionReader },
  options: { profiles: readonly DetectionProfile[]; maxMeetingMs: number; bucketGrid: boolean; isNearPort?: IsNearPort | undefined },
) {
  const { profiles, maxMeetingMs, bucketGrid, isNearPort } = options;
  const maxSettleMargin = Math.max(...profiles.map(settleMarginMs));

  /**
   * Meetings longer than the first read can settle (provisional) would be stored as fragments
   * whose extent depends on which window computed them last, so re-runs in another order would
   * leave other alerts. A pair's events depend on its two tracks alone, so only those vessels are
   * re-read, over the range the events need (their settle margin either side), until they settle
   * or the range reaches maxMeetingMs either side of the window.
   */
  async function settleLongMeetings(
    window: { from: number; to: number },
    first: { context: { from: number; to: number }; events: RendezvousEvent[]; provisional: string[] },
    sensitive: ReadonlySet<number>,
    byMmsi: Map<number, ColumnarPositions>,
  ): Promise<{ context: { from: number; to: number }; events: RendezvousEvent[]; provisional: Set<string>; rereads: number; byMmsi: Map<number, ColumnarPositions> }> {
    const limit = {
      from: Math.floor((window.from - maxMeetingMs - maxSettleMargin) / BUCKET_MS) * BUCKET_MS,
      to: Math.ceil((window.to + maxMeetingMs + maxSettleMargin) / BUCKET_MS) * BUCKET_MS,
    };
    let { context, events } = first;
    let provisional = new Set(first.provisional);
    let rereads = 0;
    while (provisional.size > 0) {
      const pending = events.filter((e) => provisional.has(eventKey(e)));
      let need = { ...context };
      for (const e of pending) {
        const margin = settleMarginMs(profiles.find((p) => p.name === e.profile)!);
        need = { from: Math.min(need.from, e.start - margin), to: Math.max(need.to, e.end + margin) };
      }
      // A side that needs more reaches at least one more context length beyond the current one,
      // so a meeting of days settles in a few reads (not one per margin), aligned to the buckets
      // so the bucketed read applies, and never beyond the limit.
      const reach = context.to - context.from;
      const want = {
        from: need.from < context.from ? Math.max(limit.from, Math.floor(Math.min(need.from, context.from - reach) / BUCKET_MS) * BUCKET_MS) : context.from,
        to: need.to > context.to ? Math.min(limit.to, Math.ceil(Math.max(need.to, context.to + reach) / BUCKET_MS) * BUCKET_MS) : context.to,
      };
      if (want.from >= context.from && want.to <= context.to) break; // at the limit: they stay provisional
      const pairs = new Set(pending.map((e) => `${e.a}-${e.b}`));
      const ofPending = (e: RendezvousEvent) => pairs.has(`${e.a}-${e.b}`);
      const mmsis = [...new Set(pending.flatMap((e) => [e.a, e.b]))];
      const { positions } = await loadWindowPositions(deps.positions, { from: new Date(want.from), to: new Date(want.to), bbox: null, mmsis }, bucketGrid);
      const again = detectWindow(toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS).tracks, {
        from: window.from,
        to: window.to,
        context: want,
        profiles,
        sensitiveMmsis: sensitive,
        ...(isNearPort ? { isNearPort } : {}),
      });
      const settled = again.events.filter(ofPending);
      const unsettled = new Set(again.provisional);
      events = [...events.filter((e) => !ofPending(e)), ...settled].sort(compareEvents);
      provisional = new Set(settled.map(eventKey).filter((k) => unsettled.has(k)));
      if (rereads === 0) byMmsi = new Map(byMmsi);
      for (const p of positions) byMmsi.set(p.mmsi, p); // the wider read decides whether they may still grow
      context = want;
      rereads++;
    }
    return { context, events, provisional, rereads, byMmsi };
  }

  return async function detectRendezvous(data: WindowData, only: string | undefined): Promise<RendezvousDetection> {
    const kept = (e: { profile: string }) => only === undefined || e.profile === only;
    const first = detectWindow(data.tracks, {
      from: data.from,
      to: data.to,
      context: data.context,
      profiles,
      sensitiveMmsis: data.sensitive,
      ...(isNearPort ? { isNearPort } : {}),
    });
    const result = await settleLongMeetings({ from: data.from, to: data.to }, first, data.sensitive, data.byMmsi);
    return {
      fresh: uniqueByKey(result.events.filter(kept)),
      provisional: result.provisional,
      provisionalKept: result.events.filter((e) => kept(e) && result.provisional.has(eventKey(e))).length,
      context: result.context,
      rereads: result.rereads,
      byMmsi: result.byMmsi,
    };
  };
}
export type RendezvousStage = ReturnType<typeof createRendezvousStage>;

function uniqueByKey(events: RendezvousEvent[]): RendezvousEvent[] {
  const byKey = new Map<string, RendezvousEvent>();
  for (const e of [...events].sort(compareEvents)) if (!byKey.has(eventKey(e))) byKey.set(eventKey(e), e);
  return [...byKey.values()];
}
