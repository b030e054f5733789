// Child process of detector.bench.ts: runs the detector service's window path against the bench
// database, in a fresh process like a detector worker, and reports timings as one JSON line.
//   node detector-child.ts <fromMs> <toMs> <windowHours…>
// For each window length (e.g. 24 6): alerts are emptied, then [from, to) is cut into windows of
// that length and each is run with createWindowDetector(db).run(). Then detectWindow alone (the
// pure detector) is timed on the same tracks, to split "compute" into detection and the rest.
import { createPortLookup, DEFAULT_PROFILES, detectWindow, emptyStats, windowContext } from '@rendezvous/detection';
import { loadSanctioned, sanctionedPortEntries } from '@rendezvous/geography';
import { createDatabase, createTrackRepository } from '@rendezvous/db';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { createLogger } from '@rendezvous/logger';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { toDetectorTracks } from '../src/track-splitting.ts';
import { createWindowDetector, type WindowTimings } from '../src/window-detector.ts';

const [fromArg, toArg, ...hoursArgs] = process.argv.slice(2);
const from = Number(fromArg);
const to = Number(toArg);
const HOUR = 3_600_000;

type Phase = 'read' | 'write';
/**
 * Wall time of every Kysely query the detector sends, by kind: reads (vessels, lists, stored
 * alerts, anomalies) and writes (alert upserts, evidence, retractions). A Kysely plugin sees each
 * query start (compile) and its result come back. The positions (binary COPY on the pool, not
 * Kysely) are timed by the detector itself (WindowTimings).
 */
class QueryTimer implements KyselyPlugin {
  ms: Record<Phase, number> = { read: 0, write: 0 };
  /**
   * Reads that ran while the positions were read (the watchlist matcher) or while the evidence
   * was read (the anomaly queries): overlapped with a timed phase, so not added.
   */
  overlapped = 0;
  count: Record<Phase, number> = { read: 0, write: 0 };
  private readonly started = new WeakMap<object, { t: number; phase: Phase; duringLoad: boolean }>();
  reset(): void {
    this.ms = { read: 0, write: 0 };
    this.overlapped = 0;
    this.count = { read: 0, write: 0 };
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    let phase: Phase = 'read';
    if (node.kind === 'InsertQueryNode' || node.kind === 'UpdateQueryNode' || node.kind === 'DeleteQueryNode') phase = 'write';
    // Compiled just before it runs (possibly more than once): the last call is the start.
    this.started.set(args.queryId, { t: performance.now(), phase, duringLoad: timings.loadEndAt === 0 || (timings.evidenceStartAt > 0 && phase === 'read') });
    return node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = this.started.get(args.queryId);
    if (s?.duringLoad) this.overlapped += performance.now() - s.t;
    else if (s) {
      this.ms[s.phase] += performance.now() - s.t;
      this.count[s.phase]++;
    }
    return args.result;
  }
}

const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 4, jit: false }, logger); // as the detector service's (main.ts)
const timer = new QueryTimer();
const db = database.db.withPlugin(timer);
const timings: WindowTimings = { loadMs: 0, loadEndAt: 0, evidenceStartAt: 0, rawVessels: 0, evidenceMs: 0 };
const shoreStarted = performance.now();
// As the detector service builds it (services/detector/src/main.ts) without PORTS_FILE: the
// shipped sanctioned ports watched for calls (the port-call branch runs every window), the
// sanctioned areas for gaps, and their names for destinations.
const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
const sanctionedPorts = sanctionedPortEntries({ countries: ['PRK'], portsFile: null, areasFile: null });
const service = { portCalls: createPortLookup(sanctionedPorts), sanctioned, knownPorts: sanctionedPorts };
const detector = createWindowDetector({ db, pool: database.pool }, logger, { timings, ...service });
// Building the detector builds the shore index once per process (issue 13's dark activity).
const shoreIndexMs = Math.round(performance.now() - shoreStarted);
// Then, as the service does before it takes jobs (main.ts), the pool's connections are opened
// and their backends readied (PostGIS loaded, tables' catalog entries cached; no row read).
const prepareMs = Math.round(await detector.prepareConnections());
// And, as main.ts does next, one run on synthetic traffic (writing nothing) warms the code.
const warmUpStarted = process.cpuUsage();
const warmUpMs = Math.round((await detector.warmUp()).ms);
const warmUpCpu = process.cpuUsage(warmUpStarted);
const warmUpCpuMs = Math.round((warmUpCpu.user + warmUpCpu.system) / 1000);
// The same window path without AIS gaps, loitering and dark rendezvous: what they add.
const rendezvousOnly = createWindowDetector({ db, pool: database.pool }, logger, { darkActivity: false, ...service });
// And without the port-call branch and the sanctions rules (issue 15): what they add.
const withoutPorts = createWindowDetector({ db, pool: database.pool }, logger, {});

/** Rendezvous alerts as [a, b, start, end] (what the baseline finds too). */
async function rendezvousEvents(): Promise<[number, number, number, number][]> {
  const rows = await database.pool.query<{ mmsi_a: number; mmsi_b: number; s: string; e: string }>(
    "SELECT mmsi_a, mmsi_b, (extract(epoch FROM start_at) * 1000)::bigint AS s, (extract(epoch FROM end_at) * 1000)::bigint AS e FROM alerts WHERE type = 'rendezvous' ORDER BY 1, 2, 3",
  );
  return rows.rows.map((r) => [r.mmsi_a, r.mmsi_b!, Number(r.s), Number(r.e)]);
}

const passes = [];
for (const h of hoursArgs.map(Number)) {
  await database.pool.query('TRUNCATE alerts, alert_evidence CASCADE');
  const windows = [];
  for (let w = from; w < to; w += h * HOUR) {
    timer.reset();
    timings.loadEndAt = 0;
    timings.evidenceStartAt = 0;
    const cpu0 = process.cpuUsage();
    const s = await detector.run({ from: new Date(w), to: new Date(Math.min(to, w + h * HOUR)) });
    const cpu = process.cpuUsage(cpu0);
    windows.push({
      ms: s.ms,
      positions: s.positions,
      vessels: s.vessels,
      events: s.events,
      created: s.created,
      loadMs: Math.round(timings.loadMs),
      evidenceMs: Math.round(timings.evidenceMs),
      anomaliesMs: Math.round(timings.anomaliesMs ?? 0),
      rawVessels: timings.rawVessels,
      otherReadsMs: Math.round(timer.ms.read),
      overlappedReadsMs: Math.round(timer.overlapped),
      writeMs: Math.round(timer.ms.write),
      // CPU time of this process during the run (user + system): decoding the reads, typed
      // arrays, track splitting, screening, detection, reconciliation, scoring, evidence encoding.
      // Not wall time less the queries: the rendezvous and dark branches run side by side, so
      // their query times overlap each other and the other branch's computation.
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      dark: timings.dark ? Object.fromEntries(Object.entries(timings.dark).map(([k, v]) => [k, Math.round(v)])) : null,
      queries: { ...timer.count },
    });
  }
  const types = await database.pool.query<{ type: string; n: string }>('SELECT type, count(*)::text AS n FROM alerts GROUP BY 1 ORDER BY 1');
  passes.push({ hours: h, windows, events: await rendezvousEvents(), alertsByType: Object.fromEntries(types.rows.map((r) => [r.type, Number(r.n)])) });
}

// The added cost of the dark behaviours: the 24 h window with them and without (rendezvous
// only), each from empty alerts, alternating, REPEATS times after the warm-up of the passes
// above; the medians are compared. One run of each swung by ±10 % between runs of the bench on
// this 2-core machine (the database's background work lands on one or the other).
const REPEATS = 5;
type DarkRun = { ms: number; events: [number, number, number, number][]; dark: Record<string, number> | null };
const withoutDark: DarkRun[] = [];
const withDark: DarkRun[] = [];
const withoutPortCalls: DarkRun[] = [];
for (let i = 0; i < REPEATS; i++) {
  for (const [d, into] of [
    [detector, withDark],
    [rendezvousOnly, withoutDark],
    [withoutPorts, withoutPortCalls],
  ] as const) {
    await database.pool.query('TRUNCATE alerts, alert_evidence CASCADE');
    const s = await d.run({ from: new Date(from), to: new Date(to) });
    into.push({ ms: s.ms, events: await rendezvousEvents(), dark: d === detector && timings.dark ? Object.fromEntries(Object.entries(timings.dark).map(([k, v]) => [k, Math.round(v)])) : null });
  }
}

// The pure detector on the 24 h window's tracks (warm JIT by now), for the compute breakdown.
const context = windowContext(DEFAULT_PROFILES, from, to, 12 * HOUR); // the service's default maxEventMs
const positions = await createTrackRepository(database.pool).loadBuckets({ from: new Date(context.from), to: new Date(context.to) });
const t0 = performance.now();
const { tracks } = toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS);
const t1 = performance.now();
const stats = emptyStats();
const res = detectWindow(tracks, { from, to, context, stats });
const t2 = performance.now();
await database.close();
process.stdout.write(
  JSON.stringify({
    passes,
    withoutDark,
    withDark,
    withoutPortCalls,
    shoreIndexMs,
    prepareMs,
    warmUpMs,
    warmUpCpuMs,
    pure: {
      splitMs: Math.round(t1 - t0),
      detectMs: Math.round(t2 - t1),
      resampleMs: Math.round(stats.resampleMs),
      pairSearchMs: Math.round(stats.pairSearchMs),
      eventsMs: Math.round(stats.eventsMs),
      gridPositions: stats.positions,
      events: res.events.length,
    },
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
