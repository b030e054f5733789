import {
  analyseVoyages,
  DEFAULT_DARK_PROFILES,
  DEFAULT_PROFILES,
  gapEventKey,
  portCallSanctioned,
  type DarkActivityProfile,
  type DetectionProfile,
  type DestinationPort,
  type IsNearPort,
  type PortCall,
  type PortIndex,
  type PortLookup,
  type SanctionedAreaInput,
  type SanctionedPortList,
} from '@rendezvous/detection';
import { loadShoreIndex, type ShoreIndex } from '@rendezvous/geography';
import type { EventContext } from '@rendezvous/scoring';
import {
  BUCKET_MS,
  createAlertRepository,
  createDestinationRepository,
  createDraughtRepository,
  createIdentityRepository,
  createPortCallRepository,
  createScreeningService,
  createTrackRepository,
  createVesselRepository,
  type AlertRepository,
  type Bbox,
  type ColumnarPositions,
  type PortCallRepository,
  type DatabaseHandle,
  type ScreeningService,
  type TrackRepository,
} from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';
import type { Logger } from '@rendezvous/logger';
import type { WindowResult } from '@rendezvous/queue';
import { createDarkActivityStage } from './stages/dark-stage.ts';
import { darkEventVessels, darkRendezvousWrites, gapWrites, loiteringWrites, type DarkScoring } from './stages/dark-writes.ts';
import { createDraughtStage, type DraughtAcross } from './stages/draught-stage.ts';
import { createEnrichStage } from './stages/enrich-stage.ts';
import { createLoadStage, type PositionReader } from './stages/load-stage.ts';
import { createPortCallStage } from './stages/port-call-stage.ts';
import { createPersistStage, type PersistOutcome, type PersistRun } from './stages/persist-stage.ts';
import { createRendezvousStage } from './stages/rendezvous-stage.ts';
import { callEnd, gapsNearSanctionedAreas, irregularLegs, sanctionedAreaGapWrites, sanctionedPortCallWrites, voyageIrregularityWrites } from './stages/sanctions-writes.ts';
import { voyageCalls } from './stages/voyage-history.ts';
import { rendezvousWrites } from './stages/score-stage.ts';
import type { DetectionWindow } from './stages/window-data.ts';
import { dryAlertStore, WARM_UP_DAY, warmUpBuckets, warmUpReports } from './warm-up.ts';

export { loadWindowPositions } from './stages/load-stage.ts';

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
  /** PORTS_FILE with names and countries, for port calls (issue 15); none = no port-call branch. */
  portCalls?: PortLookup | null;
  /**
   * Sanctioned countries and their ports (SANCTIONED_*; issue 15): port calls there become
   * `port_call_sanctioned` alerts. Needs `portCalls` (whose ports should include these).
   */
  sanctioned?: (SanctionedPortList & { areas?: readonly SanctionedAreaInput[] }) | null;
  /**
   * Ports a declared destination may name (the PORTS_FILE list): a destination naming one of
   * them far from the port reached is a mismatch (destination-match.ts); none = names only match.
   */
  knownPorts?: readonly DestinationPort[];
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
  /**
   * AIS gaps, loitering and dark rendezvous (issue 13). Default: on, with the default dark
   * profiles and the Natural Earth shore index (@rendezvous/geography); false = rendezvous only.
   */
  darkActivity?: DarkActivityOptions | false;
  /** The STS hub a position lies in (STS_AREAS_FILE), for the `hub` score factor; default none. */
  hubAt?: ((lon: number, lat: number) => string | null) | undefined;
}

export interface DarkActivityOptions {
  profiles?: readonly DarkActivityProfile[];
  /** Distance (m) to the nearest shore; default the Natural Earth 1:10m index. */
  shoreDistanceM?: (lon: number, lat: number) => number;
}

/**
 * A meeting's vessels going silent for SILENCE_MS or more (Welch et al. 2022's raw-gap threshold)
 * this close to it in time raises its score (DESIGN.md "Risk context": "AIS disabled before/after").
 */
const DARK_NEARBY_MS = 12 * 3_600_000;
const SILENCE_MS = 6 * 3_600_000;
/** What is read around a meeting to find them: a silence touching the band shows as ≥ SILENCE_MS within it. */
const NEARBY_READ_MS = DARK_NEARBY_MS + SILENCE_MS;

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
  /** Identity anomaly queries for the events' vessels (beside the evidence read). */
  anomaliesMs?: number;
  /** The dark-activity stage: its reads (data horizon, next reports, long loitering), reception index, and each detector. */
  dark?: { readsMs: number; receptionMs: number; gapsMs: number; loiteringMs: number; darkRendezvousMs: number };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * What prepareConnections runs on each connection: PostGIS loaded, and a plan of each table a
 * run reads or writes (its catalog entries and indexes cached in the backend), without a row.
 * Not `positions`: planning it opens every day partition, and a run's reads prune to a few.
 */
const PREPARE_BACKEND_SQL = [
  'SELECT postgis_lib_version()',
  ...['position_buckets', 'vessels', 'vessel_identity_history', 'vessel_draughts', 'vessel_destinations', 'alerts', 'alert_evidence', 'alert_pair_versions', 'port_calls', 'watchlist_entries', 'suspects'].map(
    (t) => `SELECT FROM ${t} LIMIT 0`,
  ),
].join('; ');
/**
 * How far back a vessel's stored port calls are read for its voyages (the usual speed is learnt
 * from these legs) and its sanctioned-place history for a meeting's score. Project choice: 90
 * days holds several voyages of a tanker on regional trades; 60 days of history before a meeting
 * is about two round trips of a coastal tanker between a DPRK port and an East China Sea STS spot.
 */
const VOYAGE_HISTORY_MS = 90 * DAY;
/** How many times warmUp() runs the synthetic day (see there). */
const WARM_UP_RUNS = 12;
const SANCTIONS_HISTORY_MS = 60 * DAY;

/**
 * Detection of one time window end to end, in stages (services/detector/src/stages):
 * load (positions of the window's context → tracks with shared MMSIs split, identities, list
 * matcher, sensitive vessels) → detect per behaviour (rendezvous) → enrich (evidence, identity
 * anomalies) → score → persist (reconciled with the stored alerts: created, updated in place, or
 * retracted when disproved). Each stage is built from the narrow part of a repository it uses.
 * Deterministic: the same data gives the same alerts, whatever window, order or number of
 * workers produced them.
 */
export function createWindowDetector(database: Pick<DatabaseHandle, 'db' | 'pool'>, logger: Logger, options: WindowDetectorOptions = {}) {
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  const maxEventMs = options.maxEventMs ?? 12 * HOUR;
  const maxMeetingMs = Math.max(maxEventMs, options.maxMeetingMs ?? 7 * 24 * HOUR);
  const marginMs = options.evidenceMarginMs ?? HOUR;
  const now = options.now ?? Date.now;
  const liveHorizonMs = options.liveHorizonMs ?? 24 * HOUR;
  const maxMergeGapMs = Math.max(...profiles.map((p) => p.mergeGapMs));
  // The bucketed read is exact only when every grid time is a bucket boundary (0007_position_buckets.sql).
  const bucketGrid = profiles.every((p) => p.gridStepMs % BUCKET_MS === 0);
  const isNearPort: IsNearPort | undefined = options.ports ? (lon, lat, r) => options.ports!.isNearPort(lon, lat, r) : undefined;

  const tracks = createTrackRepository(database.pool);
  const alerts = createAlertRepository(database.db);
  const screening: ScreeningService = createScreeningService(database.db);
  const vessels = createVesselRepository(database.db);
  const loadOf = (positions: PositionReader) => createLoadStage({ positions, screening, vessels }, { profiles, maxEventMs, bucketGrid });
  const detectRendezvous = createRendezvousStage({ positions: tracks }, { profiles, maxMeetingMs, bucketGrid, isNearPort });
  const darkOptions = options.darkActivity === false ? null : (options.darkActivity ?? {});
  // The shore index also answers the identity rules' on_land test (spoofed positions on land).
  const shore = darkOptions ? shoreIndex() : null;
  const identityRepository = createIdentityRepository(database.db);
  const enrichOf = (evidence: Pick<TrackRepository, 'loadSpans'>) => createEnrichStage({ evidence, anomalies: identityRepository }, { marginMs, isOnLand: shore?.isOnLand });
  const persistOf = (store: Pick<AlertRepository, 'reconcile'>) => createPersistStage({ alerts: store });
  const draughtAcross = createDraughtStage({ draughts: createDraughtRepository(database.db), vessels });
  const portCallStore = createPortCallRepository(database.db);
  const destinations = createDestinationRepository(database.db);
  const darkProfiles = darkOptions?.profiles ?? DEFAULT_DARK_PROFILES;
  const detectDark = darkOptions
    ? createDarkActivityStage(
        { positions: tracks, vessels },
        {
          profiles: darkProfiles,
          shoreDistanceM: darkOptions.shoreDistanceM ?? ((lon, lat) => shore!.distanceToShoreM(lon, lat)),
          isNearPort,
          lookaheadMs: maxMeetingMs,
          bucketGrid,
        },
      )
    : null;
  const sanctioned = options.sanctioned && (options.sanctioned.countries.length > 0 || options.sanctioned.ports.length > 0) ? options.sanctioned : null;
  const sanctionedAreas = options.sanctioned?.areas ?? [];
  const reachKnOf = new Map(darkProfiles.map((p) => [p.name, p.darkMaxSpeedKn]));
  const portCallsOf = (store: Pick<PortCallRepository, 'reconcile'>) =>
    options.portCalls
      ? createPortCallStage({ positions: tracks, vessels, draughts: createDraughtRepository(database.db), portCalls: store }, { ports: options.portCalls, lookaheadMs: maxMeetingMs, bucketGrid })
      : null;
  /** What a run reads its window's positions from and writes to: the database, or (warmUp) nothing. */
  interface RunIo {
    load: ReturnType<typeof createLoadStage>;
    persist: ReturnType<typeof createPersistStage>;
    detectPortCalls: ReturnType<typeof portCallsOf>;
    enrich: ReturnType<typeof enrichOf>;
    nextDataVersion: () => Promise<number>;
    timings: WindowTimings | undefined;
  }
  const stored: RunIo = { load: loadOf(tracks), persist: persistOf(alerts), detectPortCalls: portCallsOf(portCallStore), enrich: enrichOf(tracks), nextDataVersion: () => alerts.nextDataVersion(), timings: options.timings };
  /**
   * The meeting vessels' sanctioned-place history (issue 15 item 4): their sanctions alerts
   * ending in the SANCTIONS_HISTORY_MS before each meeting's start, as score context. Read from
   * the stored alerts, so a meeting scores the history stored when its window ran.
   */
  async function sanctionsHistoryOf(events: readonly { a: number; b: number; start: number }[]): Promise<(e: { a: number; b: number; start: number }) => EventContext> {
    if (events.length === 0) return () => ({});
    const from = Math.min(...events.map((e) => e.start)) - SANCTIONS_HISTORY_MS;
    const to = Math.max(...events.map((e) => e.start));
    const byMmsi = await alerts.sanctionsHistory(
      events.flatMap((e) => [e.a, e.b]),
      new Date(from),
      new Date(to),
    );
    if (byMmsi.size === 0) return () => ({});
    return (e) => {
      const lines = [e.a, e.b].flatMap((mmsi) =>
        (byMmsi.get(mmsi) ?? [])
          .filter((h) => h.end < e.start && h.end >= e.start - SANCTIONS_HISTORY_MS)
          .map((h) => `MMSI ${mmsi}, ${((e.start - h.end) / DAY).toFixed(1)} days before: ${h.reason ?? h.type}`),
      );
      return lines.length > 0 ? { sanctionsHistory: lines } : {};
    };
  }

  const profileNames = [...profiles.map((p) => p.name), ...(darkOptions ? darkProfiles.map((p) => p.name) : [])];
  const contextOf = contextOfWith(options.hubAt ?? (() => null));

  return {
    screening,
    /**
     * Opens the pool's connections and readies their PostgreSQL backends for a job, before the
     * process takes one (main.ts; the detector bench likewise): a new backend loads the PostGIS
     * library on its first geometry (17–43 ms measured on this 2-core machine) and the catalog
     * entries of each table on its first statement there, and a job spreads its statements over
     * every connection of the pool. Reads no rows. Returns the time taken (ms).
     */
    async prepareConnections(): Promise<number> {
      const started = performance.now();
      const n = Math.max(1, database.pool.options.max ?? 1);
      const clients = await Promise.all(Array.from({ length: n }, () => database.pool.connect()));
      try {
        await Promise.all(clients.map((c) => c.query(PREPARE_BACKEND_SQL)));
      } finally {
        for (const c of clients) c.release();
      }
      return performance.now() - started;
    },
    /**
     * `profile` restricts a run to one profile's alerts (a reprocess with `profile`): pairs are
     * still assigned to profiles exactly as in a full run, so the events it keeps are those a full
     * run computes, and alerts of the other profiles are neither updated nor retracted.
     */
    run: (window: DetectionWindow) => runWith(stored, window),
    /**
     * Runs the detector once, before the process takes a job (main.ts, after prepareConnections),
     * on synthetic traffic (warm-up.ts) in a window of 2000-01-03: every stage's code on the way,
     * the database read as a run reads it (no row of that time is expected; nothing is written:
     * the alerts and port calls are reconciled against nothing). A fresh process's first job ran
     * its code cold — interpreted, then compiled as it got hot — at about twice the CPU of the
     * next one (24 h window, 500 vessels: 550–640 ms against 240–340 ms). Returns the time taken
     * (ms), the run's summary, and the alerts it would have written, by type (of the last run).
     *
     * The synthetic run is made WARM_UP_RUNS times: after one, V8 had still not optimised much of
     * the detection, dark and write code, and compiled it during the first job on its worker
     * threads, beside PostgreSQL on a 2-core machine (services/detector/bench/probes/first-job.ts,
     * alternating pairs: 2,000 vessels, first-job CPU 857–977 ms after one run, 818–865 after
     * four; 500 vessels, 226–255 ms after four, 159–217 after twelve, V8's worker threads
     * 110–130 → 50–110 ms). The warm-up takes about 0.9 s, once per process.
     */
    async warmUp(): Promise<{ ms: number; result: WindowResult; alerts: Record<string, number> }> {
      const started = performance.now();
      await tracks.warmUpDecoders();
      const port = options.knownPorts?.[0] ?? null;
      let last: { result: WindowResult; alerts: Record<string, number> } | null = null;
      for (let i = 0; i < WARM_UP_RUNS; i++) {
        const dry = dryAlertStore(alerts);
        const io: RunIo = {
          // Buckets only (no spread hides an impossible leg, so no raw read is asked for).
          load: loadOf({ loadBuckets: async (range) => warmUpBuckets(range, port), load: async () => [] }),
          persist: persistOf(dry.store),
          detectPortCalls: portCallsOf({ reconcile: async (_owner: unknown, calls: readonly unknown[]) => ({ upserted: calls.length, deleted: 0 }) }),
          // The evidence of the traffic's events: its raw reports, made like its buckets (the
          // database holds none of them), so the identity track rules, the silence context and
          // the evidence tracks' encoding run as in a real job.
          enrich: enrichOf({ loadSpans: async (spans) => warmUpReports(spans, port) }),
          nextDataVersion: async () => 0,
          timings: undefined,
        };
        last = { result: await runWith(io, { from: new Date(WARM_UP_DAY), to: new Date(WARM_UP_DAY + DAY) }), alerts: dry.planned };
      }
      return { ms: performance.now() - started, ...last! };
    },
  };

  async function runWith(io: RunIo, window: DetectionWindow): Promise<WindowResult> {
      const { load, persist, detectPortCalls, enrich } = io;
      const timings = io.timings;
      const started = performance.now();
      const only = window.profile;
      if (only !== undefined && !profileNames.includes(only)) {
        throw new ValidationError(`unknown detection profile "${only}"; profiles are ${profileNames.join(', ')}`);
      }
      const from = window.from.getTime();
      const to = window.to.getTime();
      const bbox = window.bbox ?? null;
      checkWindow(from, to, bbox);
      // This run's data version, taken before any position is read: every commit before it is in
      // what the run reads, so a run with a larger version never saw less (alerts.reconcile).
      const dataVersion = await io.nextDataVersion();

      const data = await load({ from, to, bbox });
      // The identity anomaly reads that do not depend on the vessel list, shared by the branches.
      const anomalies = enrich.forRun();
      if (timings) timings.loadEndAt = data.loadEndAt;
      const kept = (e: { profile: string }) => only === undefined || e.profile === only;
      const persistRun: PersistRun = { dataVersion, from: window.from, to: window.to, mmsis: bbox ? data.positions.map((p) => p.mmsi) : undefined, profile: only };

      // Rendezvous and the dark behaviours are independent branches from the loaded data (neither
      // scores the other's events), each enriched, scored and persisted on its own, run side by
      // side: while one waits on PostgreSQL (its evidence read, its writes), the other computes.
      // On this 2-core machine that hid most of what the dark behaviours add (issue 13 benchmark).
      const rendezvousBranch = async () => {
        const rendezvous = await detectRendezvous(data, only);
        const { fresh } = rendezvous;
        // Each meeting's vessels are read DARK_NEARBY_MS + SILENCE_MS either side: their silences
        // around it are score context, and come from this read alone (so every window that
        // writes the meeting scores it the same).
        const enrichment = await enrich(
          fresh.flatMap((e) => [
            { mmsi: e.a, start: e.start - NEARBY_READ_MS, end: e.end + NEARBY_READ_MS, unclamped: true },
            { mmsi: e.b, start: e.start - NEARBY_READ_MS, end: e.end + NEARBY_READ_MS, unclamped: true },
          ]),
          rendezvous.context,
          data.splitMmsis,
          anomalies,
        );
        if (timings) {
          Object.assign(timings, { loadMs: data.loadMs, loadEndAt: data.loadEndAt, rawVessels: data.rawVessels, evidenceStartAt: enrichment.evidenceStartAt, evidenceMs: enrichment.evidenceMs, anomaliesMs: enrichment.anomaliesMs });
        }
        const [draught, history] = await Promise.all([
          draughtAcross(fresh.filter((e) => !e.inPort).flatMap((e) => [e.a, e.b].map((mmsi) => ({ mmsi, start: e.start, end: e.end })))),
          sanctionsHistoryOf(fresh),
        ]);
        const writes = rendezvousWrites(
          fresh,
          {
            identities: data.identities,
            matcher: data.matcher,
            enrichment,
            byMmsi: rendezvous.byMmsi,
            provisional: rendezvous.provisional,
            now: now(),
            contextOf: (e) => ({ ...contextOf(draught, e.centroid, e.inPort ? [] : [e.a, e.b], e.start, e.end), ...silencesNearby(enrichment.evidence, e), ...history(e) }),
          },
          { marginMs, liveHorizonMs, maxMergeGapMs },
        );
        const outcome = await persist.rendezvous(persistRun, fresh, writes);
        return { outcome, events: fresh.length, provisional: rendezvous.provisionalKept, rereads: rendezvous.rereads };
      };

      const darkBranch = async () => {
        if (!detectDark) return null;
        const dark = await detectDark(data);
        if (timings) timings.dark = dark.timings;
        const gaps = dark.gaps.filter(kept);
        const loiterings = dark.loiterings.filter(kept);
        const darkRendezvous = dark.darkRendezvous.filter(kept);
        const gapByKey = new Map(dark.seen.gaps.map((g) => [gapEventKey(g), g]));
        // The evidence and anomalies, and beside them (it needs only the events) the draught
        // across each event of each vessel (for a gap: across the silence).
        const [enrichment, draught] = await Promise.all([
          enrich(darkEventVessels(gaps, loiterings, darkRendezvous, gapByKey, dark.rawLoiterers), data.context, data.splitMmsis, anomalies),
          draughtAcross([
            ...gaps.map((g) => ({ mmsi: g.mmsi, start: g.off.t, end: g.on?.t ?? g.end })),
            ...loiterings.map((l) => ({ mmsi: l.mmsi, start: l.start, end: l.end })),
            ...darkRendezvous.flatMap((d) => [d.a, d.b].map((mmsi) => ({ mmsi, start: d.start, end: d.end }))),
          ]),
        ]);
        const input: DarkScoring = {
          identities: data.identities,
          matcher: data.matcher,
          enrichment,
          now: now(),
          contextOf: (where, mmsis, start, end) => contextOf(draught, where, mmsis, start, end),
          buckets: dark.buckets,
          rawLoiterers: dark.rawLoiterers,
        };
        const writeOptions = { marginMs, liveHorizonMs, profiles: darkProfiles };
        // Loaded while dark near a sanctioned area (issue 15): the window's closed gaps whose
        // vessel is deeper afterwards. Judged by the sanctions lists, not a profile: a run
        // restricted to a profile leaves them alone (reconcile touches only that profile).
        const areaHits =
          only === undefined
            ? gapsNearSanctionedAreas(gaps, sanctionedAreas, (g) => draught.finding({ mmsi: g.mmsi, start: g.off.t, end: g.on?.t ?? g.end }), (g) => reachKnOf.get(g.profile) ?? 15)
            : [];
        const outcome = await persist.owned(persistRun, [
          { type: 'gap_near_sanctioned_area', writes: sanctionedAreaGapWrites(areaHits, { ...input, byMmsi: enrichment.evidence }, { marginMs }) },
          { type: 'ais_gap', writes: gapWrites(gaps, input, writeOptions) },
          { type: 'loitering', writes: loiteringWrites(loiterings, input, writeOptions) },
          { type: 'dark_rendezvous', writes: darkRendezvousWrites(darkRendezvous, gapByKey, input, writeOptions) },
        ]);
        return { outcome, events: gaps.length + loiterings.length + darkRendezvous.length + areaHits.length };
      };

      // Port calls belong to no profile: a run restricted to one profile skips them (and the
      // sanctioned-port alerts made of them, judged by the `sanctions` rules, not a profile).
      const portCallBranch = async () => {
        if (!detectPortCalls || only !== undefined) return null;
        const found = await detectPortCalls(data);
        const owned = found.calls.filter((c) => c.arrival >= data.from && c.arrival < data.to);
        const hits = sanctioned ? owned.filter((c) => portCallSanctioned(c, sanctioned) !== null) : [];
        // Voyages (issue 15): the legs arriving in this window, from the vessels' calls stored
        // before it (VOYAGE_HISTORY_MS) and this run's own. A leg belongs to the window holding
        // its arrival; the calls before it come from earlier windows, as a live run (or a
        // reprocess in time order) has stored them.
        const arriving = [...new Set(owned.map((c) => c.mmsi))];
        const [stored, lengths, declared] = await Promise.all([
          portCallStore.arrivingIn(arriving, new Date(data.from - VOYAGE_HISTORY_MS), new Date(data.from)),
          vessels.lengths(arriving),
          // Declared destinations up to the window's end: the rule takes the last one at or before each leg's arrival.
          destinations.destinationChanges(arriving, new Date(data.from - VOYAGE_HISTORY_MS), new Date(data.to)),
        ]);
        const voyages = analyseVoyages(voyageCalls(stored, found.calls.filter((c) => arriving.includes(c.mmsi)), data.to), (mmsi) => ({ lengthM: lengths.get(mmsi) ?? null, destinations: declared.get(mmsi) ?? [] }), {
          destinationMatch: { knownPorts: options.knownPorts ?? [] },
        });
        const legs = irregularLegs(voyages, data.from, data.to);
        const vesselsOfAlerts = [...hits.map((c) => ({ mmsi: c.mmsi, start: c.arrival, end: callEnd(c) })), ...legs.map((l) => ({ mmsi: l.leg.mmsi, start: l.leg.departure, end: l.leg.arrival }))];
        const [enrichment, draught] = await Promise.all([
          enrich(
            vesselsOfAlerts.map((v) => ({ ...v, noEvidence: true })),
            data.context,
            data.splitMmsis,
            anomalies,
          ),
          draughtAcross(hits.map((c) => ({ mmsi: c.mmsi, start: c.arrival, end: callEnd(c) }))),
        ]);
        const scoring = { identities: data.identities, matcher: data.matcher, enrichment, byMmsi: data.byMmsi, now: now(), contextOf: (where: { lon: number; lat: number }, mmsis: readonly number[], start: number, end: number) => contextOf(draught, where, mmsis, start, end) };
        const portWrites = sanctioned ? sanctionedPortCallWrites(hits, sanctioned, scoring, { marginMs, liveHorizonMs }) : [];
        const legWrites = voyageIrregularityWrites(legs, scoring, { marginMs });
        const outcome = await persist.owned(persistRun, [
          { type: 'port_call_sanctioned', writes: portWrites },
          { type: 'voyage_irregularity', writes: legWrites },
        ]);
        return { ...found, outcome, events: portWrites.length + legWrites.length };
      };

      // All run to their end before a failure of any fails the run (its retry rewrites them all).
      const [r, d, p] = await Promise.allSettled([rendezvousBranch(), darkBranch(), portCallBranch()]);
      if (r.status === 'rejected') throw r.reason;
      if (d.status === 'rejected') throw d.reason;
      if (p.status === 'rejected') throw p.reason;
      if (p.value) logger.debug({ from: window.from.toISOString(), calls: p.value.calls.length, upserted: p.value.upserted, deleted: p.value.deleted }, 'port calls');
      const rendezvous = r.value;
      const dark = d.value;
      const ports = p.value;
      const outcomes = [rendezvous.outcome, ...(dark ? [dark.outcome] : []), ...(ports ? [ports.outcome] : [])];
      const sum = (k: keyof PersistOutcome) => outcomes.reduce((n, o) => n + o[k], 0);
      const stale = sum('stale');
      if (stale > 0) logger.info({ from: window.from.toISOString(), to: window.to.toISOString(), stale }, 'pairs left to a run on newer data');
      const summary: WindowResult = {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        vessels: data.positions.length,
        positions: data.positions.reduce((s, p) => s + p.t.length, 0),
        events: rendezvous.events + (dark?.events ?? 0) + (ports?.events ?? 0),
        created: sum('created'),
        updated: sum('updated'),
        unchanged: sum('unchanged'),
        retracted: sum('retracted'),
        provisional: rendezvous.provisional,
        stale,
        rereads: rendezvous.rereads,
        ms: Math.round(performance.now() - started),
      };
      logger.debug(summary, 'window detected');
      return summary;
  }
}
export type WindowDetector = ReturnType<typeof createWindowDetector>;

/** Event context at a place and time: the STS hub it lies in, and its vessels' draught changes across it. */
function contextOfWith(hubAt: (lon: number, lat: number) => string | null) {
  return (draught: DraughtAcross, where: { lon: number; lat: number }, mmsis: readonly number[], start: number, end: number): EventContext => {
    const hub = hubAt(where.lon, where.lat);
    const changes = mmsis.map((mmsi) => draught({ mmsi, start, end })).filter((r): r is string => r !== null);
    return { ...(hub ? { hub } : {}), ...(changes.length > 0 ? { draughtChanges: changes } : {}) };
  };
}

/** The Natural Earth shore index (@rendezvous/geography caches it: built once per process, about 2.5 s). */
function shoreIndex(): ShoreIndex {
  return loadShoreIndex();
}

/**
 * Silences of SILENCE_MS or more of a meeting's vessels within DARK_NEARBY_MS of it, from their
 * raw reports over NEARBY_READ_MS either side (read for this, whatever window runs): the edges of
 * that read count as reports, so a silence running past them shows at its part inside. Depends
 * on the meeting and the stored reports only, so every window scores the meeting alike.
 */
function silencesNearby(raw: Map<number, ColumnarPositions>, e: { a: number; b: number; start: number; end: number }): EventContext {
  const reasons: string[] = [];
  const [first, last] = [e.start - NEARBY_READ_MS, e.end + NEARBY_READ_MS];
  for (const mmsi of [e.a, e.b]) {
    const silence = (s0: number, s1: number) => {
      const touches = s1 >= e.start - DARK_NEARBY_MS && s0 <= e.end + DARK_NEARBY_MS;
      // Inside the meeting the rendezvous rule already judged the tracks.
      const outside = s1 <= e.start || s0 >= e.end;
      if (s1 - s0 >= SILENCE_MS && touches && outside) {
        const when = s1 <= e.start ? `${((e.start - s1) / 3_600_000).toFixed(1)} h before the meeting` : `${((s0 - e.end) / 3_600_000).toFixed(1)} h after it`;
        reasons.push(`MMSI ${mmsi} silent ≥ ${((s1 - s0) / 3_600_000).toFixed(1)} h, ending or starting ${when}`);
      }
    };
    // Consecutive times of [first, the reports within it…, last], without copying the reports
    // (a meeting's vessels have a day and more of them each).
    const t = raw.get(mmsi)?.t;
    let prev = first;
    if (t) {
      for (let i = 0; i < t.length; i++) {
        const ti = t[i]!;
        if (ti < first || ti > last) continue;
        silence(prev, ti);
        prev = ti;
      }
    }
    silence(prev, last);
  }
  return reasons.length > 0 ? { darkNearby: reasons } : {};
}

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
