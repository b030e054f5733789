import {
  DEFAULT_PROFILES,
  detectWindow,
  compareEvents,
  eventKey,
  reconcileEvents,
  settleMarginMs,
  windowContext,
  type DetectionProfile,
  type IsNearPort,
  type PortIndex,
  type RendezvousEvent,
} from '@rendezvous/detection';
import {
  BUCKET_MS,
  createAlertRepository,
  createIdentityRepository,
  createScreeningService,
  createTrackRepository,
  createVesselRepository,
  unknownVessel,
  type AlertWrite,
  type Bbox,
  type ColumnarPositions,
  type Database,
  type DatabaseHandle,
  type ScreeningService,
  type TrackRepository,
  type VesselIdentity,
} from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';
import { ANOMALY_KINDS, DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import type { Logger } from '@rendezvous/logger';
import type { WindowResult } from '@rendezvous/queue';
import { scoreRendezvous, type ScoredVessel } from '@rendezvous/scoring';
import type { ListMatch, SuspectMatch } from '@rendezvous/watchlists';
import type { Kysely } from 'kysely';
import { mayHaveImpossibleLeg, toDetectorTracks } from './track-splitting.ts';

export interface WindowDetectorOptions {
  profiles?: readonly DetectionProfile[];
  /** Longest meeting reported in full from one window's first read (default 12 h). */
  maxEventMs?: number;
  /**
   * Longest meeting reported whole (default 7 days): a meeting the first read cannot settle is
   * re-read for its two vessels only, up to this far either side of the window. Longer ones stay
   * provisional (DETECTION_MAX_MEETING_HOURS).
   */
  maxMeetingMs?: number;
  /** Evidence: both tracks over the meeting plus this margin on each side. */
  evidenceMarginMs?: number;
  ports?: PortIndex | null;
  /** Wall clock, for deciding whether a recent meeting may still grow (ongoing). */
  now?: () => number;
  /**
   * A meeting whose vessels have not yet been seen apart for the merge gap stays 'ongoing' only
   * if it ended less than this long ago; older ones are 'closed' (a vessel that simply stopped
   * reporting years ago does not keep an archive alert open for ever).
   */
  liveHorizonMs?: number;
  /** Filled with where each run's time went (the benchmark reads it). */
  timings?: WindowTimings;
}

/** Milliseconds of the last run, by phase. */
export interface WindowTimings {
  /**
   * Positions read: the 10-minute buckets, plus raw reports of vessels that may need splitting
   * (the watchlist matcher is fetched meanwhile, on another connection).
   */
  loadMs: number;
  /** performance.now() when that read ended. */
  loadEndAt: number;
  /** performance.now() when the evidence read started (the anomaly queries run meanwhile). */
  evidenceStartAt: number;
  /** Vessels read raw because a bucket could hide an impossible-speed leg (or the range is not on the bucket grid). */
  rawVessels: number;
  /** Raw reports for the evidence of the events. */
  evidenceMs: number;
}

const HOUR = 3_600_000;

/**
 * Detection of one time window end to end: positions from PostGIS → tracks (shared MMSIs split)
 * → pair search with the sensitive profile for watchlisted/suspect vessels → events reconciled
 * with the stored alerts (created, updated in place, or retracted when disproved) → scored, with
 * identity snapshots and evidence. Deterministic: the same data gives the same alerts, whatever
 * window, order or number of workers produced them.
 */
export function createWindowDetector(database: Pick<DatabaseHandle, 'db' | 'pool'>, logger: Logger, options: WindowDetectorOptions = {}) {
  const db: Kysely<Database> = database.db;
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  const maxEventMs = options.maxEventMs ?? 12 * HOUR;
  const maxMeetingMs = Math.max(maxEventMs, options.maxMeetingMs ?? 7 * 24 * HOUR);
  const marginMs = options.evidenceMarginMs ?? HOUR;
  const now = options.now ?? Date.now;
  const liveHorizonMs = options.liveHorizonMs ?? 24 * HOUR;
  const tracksRepo = createTrackRepository(database.pool);
  // The bucketed read is exact only when every grid time is a bucket boundary (0007_position_buckets.sql).
  const bucketGrid = profiles.every((p) => p.gridStepMs % BUCKET_MS === 0);
  const alerts = createAlertRepository(db);
  const identity = createIdentityRepository(db);
  const vessels = createVesselRepository(db);
  const screening: ScreeningService = createScreeningService(db);
  const maxMergeGap = Math.max(...profiles.map((p) => p.mergeGapMs));
  const maxSettleMargin = Math.max(...profiles.map(settleMarginMs));
  const isNearPort: IsNearPort | undefined = options.ports ? (lon, lat, r) => options.ports!.isNearPort(lon, lat, r) : undefined;

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
  ): Promise<{ context: { from: number; to: number }; events: RendezvousEvent[]; provisional: Set<string>; rereads: number }> {
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
      const { positions } = await loadWindowPositions(tracksRepo, { from: new Date(want.from), to: new Date(want.to), bbox: null, mmsis }, bucketGrid);
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
      for (const p of positions) byMmsi.set(p.mmsi, p); // the wider read decides whether they may still grow
      context = want;
      rereads++;
    }
    return { context, events, provisional, rereads };
  }

  return {
    screening,
    /**
     * `profile` restricts a run to one profile's alerts (a reprocess with `profile`): pairs are
     * still assigned to profiles exactly as in a full run, so the events it keeps are those a full
     * run computes, and alerts of the other profiles are neither updated nor retracted.
     */
    async run(window: { from: Date; to: Date; bbox?: Bbox | null; profile?: string | undefined }): Promise<WindowResult> {
      const started = performance.now();
      const only = window.profile;
      if (only !== undefined && !profiles.some((p) => p.name === only)) {
        throw new ValidationError(`unknown detection profile "${only}"; profiles are ${profiles.map((p) => p.name).join(', ')}`);
      }
      const kept = (e: { profile: string }) => only === undefined || e.profile === only;
      const from = window.from.getTime();
      const to = window.to.getTime();
      checkWindow(from, to, window.bbox ?? null);
      // This run's data version, taken before any position is read: every commit before it is in
      // what the run reads, so a run with a larger version never saw less (alerts.reconcile).
      const dataVersion = await alerts.nextDataVersion();
      const firstContext = windowContext(profiles, from, to, maxEventMs);
      const loadStarted = performance.now();
      const range = { from: new Date(firstContext.from), to: new Date(firstContext.to), bbox: window.bbox ?? null };
      // The list matcher does not depend on the positions: fetched while they stream in.
      const [{ positions, rawVessels }, matcher] = await Promise.all([loadWindowPositions(tracksRepo, range, bucketGrid), screening.matcher()]);
      const loadEndAt = performance.now();
      const loadMs = loadEndAt - loadStarted;
      if (options.timings) options.timings.loadEndAt = loadEndAt;
      const byMmsi = new Map(positions.map((p) => [p.mmsi, p]));
      const { tracks, splitMmsis } = toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS);

      // Vessels on a list or suspected at the window's time get the sensitive profile.
      const mmsis = positions.map((p) => p.mmsi);
      const identities = await vessels.identities(mmsis);
      const mid = (from + to) / 2;
      const sensitive = new Set<number>();
      for (const mmsi of mmsis) {
        const id = identities.get(mmsi) ?? { mmsi, imo: null, name: null, callsign: null };
        if (matcher.matchAt(id, mid).some((m) => m.kind === 'suspect' || m.status === 'listed')) sensitive.add(mmsi);
      }
      const firstResult = detectWindow(tracks, {
        from,
        to,
        context: firstContext,
        profiles,
        sensitiveMmsis: sensitive,
        ...(isNearPort ? { isNearPort } : {}),
      });
      const result = await settleLongMeetings({ from, to }, firstResult, sensitive, byMmsi);
      const context = result.context;

      // Every event the run computed, once per key (the alerts it would write, whatever is stored).
      const fresh = uniqueByKey(result.events.filter(kept));

      // Evidence is raw: each event vessel's reports over its meetings ± the margin, within the
      // loaded context (what the raw read of the whole context used to give). Read on one
      // connection while the anomaly queries run on others.
      const spans = new Map<number, { mmsi: number; from: number; to: number }>();
      for (const e of fresh) {
        for (const mmsi of [e.a, e.b]) {
          const f = Math.max(context.from, e.start - marginMs);
          const t = Math.min(context.to - 1, e.end + marginMs);
          const s = spans.get(mmsi);
          if (!s) spans.set(mmsi, { mmsi, from: f, to: t });
          else [s.from, s.to] = [Math.min(s.from, f), Math.max(s.to, t)];
        }
      }
      const evidenceStarted = performance.now();
      if (options.timings) options.timings.evidenceStartAt = evidenceStarted;
      let evidenceMs = 0;
      const anomalyKinds = new Map<number, string[]>();
      const [raw] = await Promise.all([
        tracksRepo.loadSpans([...spans.values()]).then((r) => {
          evidenceMs = performance.now() - evidenceStarted;
          return r;
        }),
        (async () => {
          if (fresh.length === 0) return;
          const involved = new Set(fresh.flatMap((e) => [e.a, e.b]));
          for (const v of await identity.anomalousVessels({
            from: new Date(context.from),
            to: new Date(context.to),
            kinds: ANOMALY_KINDS.filter((k) => k !== 'shared_mmsi'),
          })) {
            if (involved.has(v.mmsi)) anomalyKinds.set(v.mmsi, [...v.kinds]);
          }
          for (const m of splitMmsis) anomalyKinds.set(m, [...(anomalyKinds.get(m) ?? []), 'shared_mmsi']);
        })(),
      ]);
      if (options.timings) Object.assign(options.timings, { loadMs, loadEndAt, rawVessels, evidenceMs });

      const provisional = result.provisional;
      const provisionalKept = result.events.filter((e) => kept(e) && provisional.has(eventKey(e))).length;
      const writes: AlertWrite[] = fresh.map((e) => {
        const key = eventKey(e);
        const lastData = Math.max(lastT(byMmsi.get(e.a)), lastT(byMmsi.get(e.b)));
        // Open while recent and not yet seen apart for the merge gap (or still unsettled): an
        // archive meeting is closed whatever the data after it.
        const mayGrow = now() - e.end < liveHorizonMs && (provisional.has(key) || lastData - e.end < maxMergeGap);
        const vesselA = snapshot(e.a, identities, matcher.matchAt(identities.get(e.a) ?? unknownVessel(e.a), e.start), anomalyKinds.get(e.a) ?? []);
        const vesselB = snapshot(e.b, identities, matcher.matchAt(identities.get(e.b) ?? unknownVessel(e.b), e.start), anomalyKinds.get(e.b) ?? []);
        const { score, factors } = scoreRendezvous({ ...e, a: vesselA.scored, b: vesselB.scored });
        return {
          key,
          status: mayGrow ? ('ongoing' as const) : ('closed' as const),
          event: e,
          vesselA: vesselA.json,
          vesselB: vesselB.json,
          score,
          scoreFactors: factors,
          watchlists: [...new Set([...vesselA.scored.listMatches, ...vesselB.scored.listMatches].map((m) => m.list))].sort(),
          evidence: {
            marginS: marginMs / 1000,
            trackA: slice(raw.get(e.a), e.start - marginMs, e.end + marginMs),
            trackB: slice(raw.get(e.b), e.start - marginMs, e.end + marginMs),
          },
        };
      });
      // Read what is stored, reconcile and write, as one transaction holding the pairs it writes,
      // and only for pairs no run on newer data has written since this run's version was taken.
      const writeByKey = new Map(writes.map((w) => [w.key, w]));
      const outcome = await alerts.reconcile({
        dataVersion,
        from: window.from,
        to: window.to,
        mmsis: window.bbox ? mmsis : undefined,
        profile: only,
        pairs: fresh.map((e) => [e.a, e.b] as const),
        plan: (stored, claimed) => {
          const plan = reconcileEvents(
            stored.map((s) => s.event),
            fresh.filter((e) => claimed(e.a, e.b)),
          );
          return {
            upserts: [...plan.create, ...plan.update, ...plan.unchanged].map((e) => writeByKey.get(eventKey(e))!),
            retracts: plan.retract.map((r) => ({
              key: eventKey(r.event),
              replacedBy: r.replacedBy,
              reason: r.replacedBy ? `superseded by ${r.replacedBy} (more data moved or merged the meeting)` : 'no longer supported by the data',
            })),
          };
        },
      });
      const { stale, retracted, ...written } = outcome;
      if (stale > 0) logger.info({ from: window.from.toISOString(), to: window.to.toISOString(), stale }, 'pairs left to a run on newer data');
      const summary: WindowResult = {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        vessels: positions.length,
        positions: positions.reduce((s, p) => s + p.t.length, 0),
        events: fresh.length,
        ...written,
        retracted,
        provisional: provisionalKept,
        stale,
        rereads: result.rereads,
        ms: Math.round(performance.now() - started),
      };
      logger.debug(summary, 'window detected');
      return summary;
    },
  };
}
export type WindowDetector = ReturnType<typeof createWindowDetector>;

/** A window that can never be detected is refused, so its job fails at once instead of retrying. */
function checkWindow(from: number, to: number, bbox: Bbox | null): void {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ValidationError('from and to must be valid times');
  if (from >= to) throw new ValidationError('from must be before to');
  if (bbox) {
    const { west, south, east, north } = bbox;
    if (![west, south, east, north].every(Number.isFinite) || south >= north || west === east || [west, east].some((x) => x < -180 || x > 180) || south < -90 || north > 90) {
      throw new ValidationError('bbox must be west,south,east,north in degrees with south < north and west != east (west > east crosses the antimeridian)');
    }
  }
}

function uniqueByKey(events: RendezvousEvent[]): RendezvousEvent[] {
  const byKey = new Map<string, RendezvousEvent>();
  for (const e of [...events].sort(compareEvents)) if (!byKey.has(eventKey(e))) byKey.set(eventKey(e), e);
  return [...byKey.values()];
}

function snapshot(mmsi: number, identities: Map<number, VesselIdentity>, matches: (ListMatch | SuspectMatch)[], anomalies: string[]) {
  const id = identities.get(mmsi) ?? unknownVessel(mmsi);
  const listMatches = matches
    .filter((m): m is ListMatch => m.kind === 'watchlist' && m.status === 'listed')
    .map((m) => ({ list: m.list, rule: m.rule, confidence: m.confidence, entryName: m.entryName }));
  const suspects = matches.filter((m): m is SuspectMatch => m.kind === 'suspect').map((m) => ({ suspectId: m.suspectId, rule: m.rule, reason: m.reason }));
  const scored: ScoredVessel = { mmsi, name: id.name, shipType: id.shipType, listMatches, suspects, anomalies };
  return { scored, json: { ...id, listMatches, suspects, anomalies } };
}

/**
 * The window's positions: the 10-minute buckets (first and last report of each), which give the
 * detector exactly the grid positions the raw reports give (0007_position_buckets.sql), except
 * for vessels that may hold an impossible-speed leg (a shared MMSI): those are read raw, so the
 * splitting sees every report as before. A range off the bucket grid is read raw throughout.
 */
export async function loadWindowPositions(
  repo: TrackRepository,
  range: { from: Date; to: Date; bbox: Bbox | null; mmsis?: readonly number[] },
  bucketGrid: boolean,
): Promise<{ positions: ColumnarPositions[]; rawVessels: number }> {
  if (!bucketGrid || range.from.getTime() % BUCKET_MS !== 0 || range.to.getTime() % BUCKET_MS !== 0) {
    const positions = await repo.load(range);
    return { positions, rawVessels: positions.length };
  }
  const bucketed = await repo.loadBuckets(range);
  const suspects = bucketed.filter((p) => mayHaveImpossibleLeg(p, p.maxSpreadM, DEFAULT_IDENTITY_OPTIONS)).map((p) => p.mmsi);
  if (suspects.length === 0) return { positions: bucketed, rawVessels: 0 };
  const raw = await repo.load({ from: range.from, to: range.to, mmsis: suspects });
  const rawByMmsi = new Map(raw.map((p) => [p.mmsi, p]));
  return { positions: bucketed.map((p) => rawByMmsi.get(p.mmsi) ?? p), rawVessels: suspects.length };
}

const lastT = (p: ColumnarPositions | undefined) => (p && p.t.length ? p.t[p.t.length - 1]! : -Infinity);

function slice(p: ColumnarPositions | undefined, fromMs: number, toMs: number): [number, number, number, number | null][] {
  if (!p) return [];
  const out: [number, number, number, number | null][] = [];
  for (let i = 0; i < p.t.length; i++) {
    const t = p.t[i]!;
    if (t < fromMs || t > toMs) continue;
    out.push([t, p.lon[i]!, p.lat[i]!, Number.isNaN(p.sog[i]!) ? null : p.sog[i]!]);
  }
  return out;
}
