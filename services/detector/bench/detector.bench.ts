// End-to-end detector benchmark: simulated AIS positions in PostGIS → the detector service's
// window path (load → detect → alerts written) vs a PostGIS-only implementation of the same
// rule, on the same data, in the same run.
//   node services/detector/bench/detector.bench.ts [--vessels 500,2000,8000] [--keep]
//
// Traffic (deterministic, the idea of packages/detection/bench/detect.bench.ts): N vessels over
// one UTC day, a report every 40–80 s; 88 % under way at 6–15 kn with course changes, 10 %
// drifting at 0.2–1.4 kn, 2 % lying at a few crowded anchorages, and one scripted meeting per
// 50 vessels (two vessels sail in at 10 kn, lie 150 m apart for 3 h, sail off: ≤ 500 m, ≥ 2 h,
// median speed ~0 kn). The sea area grows with N (8 000 vessels ↔ 20° × 15° of open North Atlantic, 45–25°W × 40–55°N), so
// density is constant and the work should grow linearly. Events beyond the scripted ones come
// from slow vessels that happen to lie close (mostly at the anchorages; no port list is given).
//
// Ours reads what the service reads: the 10-minute position buckets ingest keeps (migrations/
// 0007; the loader writes them with ingest's own upsert and reports that cost apart), plus raw
// reports for evidence. The baseline reads the raw positions. Both find the same events.
//
// Uses its own database (rendezvous_bench_detector, or BENCH_DATABASE), never the dev or test data: the ingest
// bench owns rendezvous_bench and truncates it, so sharing it would break either bench.
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BUCKETS_STAGING_SQL, createDatabase, ewkbPoint, isoTime, migrate, writePositionBuckets, type BucketInput } from '@rendezvous/db';
import { KN_TO_MS, METRES_PER_NM } from '@rendezvous/geodesy';
import { createLogger } from '@rendezvous/logger';
import { mulberry32, recreateBenchDatabase } from '@rendezvous/test-support';

const run = promisify(execFile);
// --keep leaves the last size's data in the bench database (to profile the detector on it).
const { values } = parseArgs({ options: { vessels: { type: 'string', default: '500,2000,8000' }, keep: { type: 'boolean', default: false } } });
const SIZES = values.vessels.split(',').map(Number);
// BENCH_DATABASE overrides it, so two people benchmarking on one server do not truncate each other's data.
const DB_NAME = process.env['BENCH_DATABASE'] || 'rendezvous_bench_detector';
if (!/^[a-z_][a-z0-9_]*$/.test(DB_NAME)) throw new Error(`BENCH_DATABASE must be a plain lower-case identifier: ${DB_NAME}`);
// As the schema owner (setup's DATABASE_MIGRATION_URL): the benchmark creates, migrates and truncates its database.
const baseUrl = new URL(process.env['DATABASE_MIGRATION_URL'] || process.env['DATABASE_URL'] || 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous');
const benchUrl = Object.assign(new URL(baseUrl), { pathname: `/${DB_NAME}` }).toString();
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');

const DAY0 = Date.UTC(2024, 2, 10);
const HOUR = 3_600_000;
const STEP = 600_000; // the rule's 10-minute grid
const MMSI0 = 230_000_000;
const BASELINE_CAP_MS = 10 * 60_000;

// ───────────────────────────── traffic ─────────────────────────────

interface VesselTrack {
  mmsi: number;
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  sog: Float64Array;
}
interface Traffic {
  tracks: VesselTrack[];
  points: number;
  /** Scripted meetings: vessels (MMSI0 + 2i, MMSI0 + 2i + 1) lie together over [start, end]. */
  meetings: { a: number; b: number; start: number; end: number }[];
}

function traffic(nVessels: number, seed = 1): Traffic {
  const r = mulberry32(seed);
  const scale = Math.sqrt(nVessels / 8000);
  // Open North Atlantic (45–25°W, 40–55°N at 8,000 vessels): at sea, so the dark behaviours'
  // shore tests pass and they do their full work.
  const [lon0, lat0, dLon, dLat] = [-45, 40, 20 * scale, 15 * scale];
  const anchorages = Array.from({ length: Math.max(2, Math.round(8 * scale * scale)) }, () => ({ lon: lon0 + r() * dLon, lat: lat0 + r() * dLat }));
  const move = (lon: number, lat: number, courseDeg: number, metres: number) => {
    const c = (courseDeg * Math.PI) / 180;
    return [lon + (metres * Math.sin(c)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (metres * Math.cos(c)) / 111_132] as const;
  };
  const nMeet = Math.floor(nVessels / 50);
  const tracks: VesselTrack[] = [];
  const meetings: Traffic['meetings'] = [];
  let points = 0;
  for (let v = 0; v < nVessels; v++) {
    const kind = v < 2 * nMeet ? 'meet' : r() < 0.02 ? 'anchor' : r() < 0.1 ? 'drift' : 'sail';
    const cap = 24 * 60 + 60;
    const [t, lon, lat, sog] = [new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap)];
    let x: number, y: number;
    let course = r() * 360;
    const speed = kind === 'sail' ? 6 + 9 * r() : kind === 'drift' ? 0.2 + 1.2 * r() : kind === 'meet' ? 10 : 0;
    let [mx, my, meetStart, meetEnd] = [0, 0, 0, 0];
    if (kind === 'anchor') {
      const a = anchorages[Math.floor(r() * anchorages.length)]!;
      [x, y] = move(a.lon, a.lat, r() * 360, 1500 * Math.sqrt(r()));
    } else if (kind === 'meet') {
      // Pair (2i, 2i+1): one sails north, one south, to spots 150 m apart; they lie there 3 h.
      const pr = mulberry32(seed * 7919 + Math.floor(v / 2));
      [mx, my] = [lon0 + pr() * dLon, lat0 + pr() * dLat];
      meetStart = DAY0 + 3 * HOUR + pr() * 15 * HOUR;
      meetEnd = meetStart + 3 * HOUR;
      course = v % 2 === 0 ? 0 : 180;
      [mx, my] = move(mx, my, 90, v % 2 === 0 ? 0 : 150);
      [x, y] = [mx, my];
      if (v % 2 === 0) meetings.push({ a: MMSI0 + v, b: MMSI0 + v + 1, start: meetStart, end: meetEnd });
    } else [x, y] = [lon0 + r() * dLon, lat0 + r() * dLat];
    let n = 0;
    let now = DAY0 + r() * 60_000;
    let last = now;
    while (now < DAY0 + 24 * HOUR && n < cap) {
      let sp = speed;
      if (kind === 'meet') {
        if (now < meetStart) [x, y] = move(mx, my, course + 180, speed * KN_TO_MS * ((meetStart - now) / 1000));
        else if (now <= meetEnd) [x, y, sp] = [mx, my, 0];
        else [x, y] = move(mx, my, course, speed * KN_TO_MS * ((now - meetEnd) / 1000));
      } else {
        if (kind !== 'anchor' && r() < 1 / 240) course = (course + (r() - 0.5) * 120 + 360) % 360;
        [x, y] = move(x, y, course, speed * KN_TO_MS * ((now - last) / 1000));
      }
      [t[n], lon[n], lat[n], sog[n]] = [Math.round(now), x, y, Math.round(sp * 10) / 10];
      n++;
      last = now;
      now += 40_000 + r() * 40_000;
    }
    points += n;
    tracks.push({ mmsi: MMSI0 + v, t: t.subarray(0, n), lon: lon.subarray(0, n), lat: lat.subarray(0, n), sog: sog.subarray(0, n) });
  }
  return { tracks, points, meetings };
}

// ───────────────────────────── database ─────────────────────────────

/** Created afresh and migrated every run (its data is rebuilt every run anyway). */
async function prepareDatabase(): Promise<void> {
  await recreateBenchDatabase(baseUrl, DB_NAME);
  const db = createDatabase({ url: benchUrl, poolMax: 2 }, logger);
  await migrate(db.pool, logger);
  await db.close();
}

/**
 * Loads the traffic as ingest's direct path would: COPY straight into `positions` (hex EWKB
 * points), after creating the day partitions. Rows go in 10-minute time slabs, as a live feed
 * writes them, so the table's physical order is the ingest's (roughly by time), not by vessel.
 */
async function loadPositions(client: pg.Client, tr: Traffic): Promise<{ copyMs: number; bucketsMs: number; buckets: number }> {
  await client.query('TRUNCATE positions, vessels, vessel_identity_history, alerts, alert_evidence CASCADE');
  for (let d = DAY0; d < DAY0 + 24 * HOUR; d += 24 * HOUR) await client.query('SELECT rendezvous_ensure_position_partition($1::date)', [new Date(d).toISOString().slice(0, 10)]);
  const started = performance.now();
  const cursor = new Int32Array(tr.tracks.length);
  function* slabs() {
    for (let end = DAY0 + STEP; end <= DAY0 + 24 * HOUR; end += STEP) {
      let text = '';
      tr.tracks.forEach((v, i) => {
        for (let j = cursor[i]!; j < v.t.length && v.t[j]! < end; j = ++cursor[i]!) {
          text += `${v.mmsi}\t${isoTime(v.t[j]!)}\t${ewkbPoint(v.lon[j]!, v.lat[j]!)}\t${v.sog[j]}\t1\n`;
        }
      });
      yield Buffer.from(text);
    }
  }
  await pipeline(Readable.from(slabs()), client.query(copyFrom('COPY positions (mmsi, ts, geom, sog, msg_type) FROM STDIN')));
  const copyMs = performance.now() - started;
  // The 10-minute buckets ingest keeps beside the positions (migrations/0007), written the way
  // ingest writes them: the same aggregation and upsert, one transaction per 10-minute slab.
  // An ingest-side cost, reported apart; neither contender's time includes it.
  const bucketsStarted = performance.now();
  let buckets = 0;
  await client.query(BUCKETS_STAGING_SQL);
  const at = new Int32Array(tr.tracks.length);
  for (let end = DAY0 + STEP; end <= DAY0 + 24 * HOUR; end += STEP) {
    const slab: BucketInput[] = [];
    tr.tracks.forEach((v, i) => {
      for (let j = at[i]!; j < v.t.length && v.t[j]! < end; j = ++at[i]!) slab.push({ mmsi: v.mmsi, ts: v.t[j]!, lon: v.lon[j]!, lat: v.lat[j]!, sog: v.sog[j]! });
    });
    await client.query('BEGIN');
    buckets += await writePositionBuckets(client, slab);
    await client.query('COMMIT');
  }
  const bucketsMs = performance.now() - bucketsStarted;
  // Identity rows as ingest keeps them (the detector looks every vessel up), then statistics
  // and hint bits, so neither contender pays for the bulk load's aftermath.
  await client.query(`INSERT INTO vessels (mmsi, first_seen, last_seen, flag) SELECT mmsi, min(ts), max(ts), 'FI' FROM positions GROUP BY mmsi`);
  await client.query('VACUUM ANALYZE positions');
  await client.query('VACUUM ANALYZE vessels');
  await client.query('VACUUM ANALYZE position_buckets');
  return { copyMs, bucketsMs, buckets };
}

// ───────────────────────────── baseline ─────────────────────────────

/**
 * The same rule in PostGIS alone, as a competent engineer would write it:
 * 1. grid: each vessel's fixes resampled onto the epoch-aligned 10-minute grid by linear
 *    interpolation between consecutive fixes (lead() over the vessel's fixes, generate_series of
 *    the grid steps between them), never across a silence ≥ 1 h — the project's resampling.
 * 2. a GiST index on (step, geography point) (btree_gist for the integer step): geography
 *    because the rule is a WGS-84 geodesic distance and the area spans 20° of longitude, too wide
 *    for one metric projection (UTM is off by > 0.1 % outside its zone); ST_DWithin on geography
 *    is spheroidal by default and index-assisted. Plus a btree on (mmsi, step) for the speeds.
 * 3. close pairs: self-join per step with ST_DWithin(…, 500), mmsi_a < mmsi_b.
 * 4. runs: gaps-and-islands (step − row_number()); keep runs of ≥ 1 h (≥ 2 steps); merge runs
 *    < 4 h apart (running count of gaps ≥ 4 h); keep groups with ≥ 2 h of close time (gaps not
 *    counted) whose median implied speed (central difference over the grid, as the project,
 *    with ST_Distance) is < 2 kn for both vessels.
 * Not covered (the synthetic data needs none of it): the antimeridian, shared-MMSI track
 * splitting, the sensitive profile, ports, falling back to reported SOG for a grid position
 * with no neighbour.
 */
function baselineSteps(from: Date, to: Date): { name: string; sql: string; params?: unknown[] }[] {
  const speed = (v: 'ma' | 'mb') => `(
    SELECT CASE WHEN p.g IS NOT NULL AND n.g IS NOT NULL THEN ST_Distance(p.g, n.g) / 1200
                WHEN p.g IS NOT NULL THEN ST_Distance(p.g, c.g) / 600
                ELSE ST_Distance(c.g, n.g) / 600 END * 3600 / ${METRES_PER_NM}
    FROM bl_grid c LEFT JOIN bl_grid p ON p.mmsi = c.mmsi AND p.k = c.k - 1
                   LEFT JOIN bl_grid n ON n.mmsi = c.mmsi AND n.k = c.k + 1
    WHERE c.mmsi = s.${v} AND c.k = s.k)`;
  return [
    {
      name: 'grid',
      params: [from, to],
      sql: `CREATE UNLOGGED TABLE bl_grid AS
        WITH f AS (
          SELECT mmsi, extract(epoch FROM ts)::float8 AS t0, ST_X(geom) AS x0, ST_Y(geom) AS y0,
                 extract(epoch FROM lead(ts) OVER w)::float8 AS t1, ST_X(lead(geom) OVER w) AS x1, ST_Y(lead(geom) OVER w) AS y1
          FROM positions WHERE ts >= $1 AND ts < $2
          WINDOW w AS (PARTITION BY mmsi ORDER BY ts)
        ), s AS (  -- grid steps in [t0, t1): the fix itself on a step, else interpolated if t1 − t0 < 1 h
          SELECT mmsi, k, k * 600 = t0 AS exact, (k * 600 - t0) / (t1 - t0) AS f, x0, y0, x1, y1
          FROM f, generate_series(ceil(t0 / 600)::int, coalesce(ceil(t1 / 600)::int - 1, floor(t0 / 600)::int)) AS k
          WHERE k * 600 = t0 OR t1 - t0 < 3600
        )
        SELECT mmsi, k, ST_SetSRID(ST_MakePoint(CASE WHEN exact THEN x0 ELSE x0 + f * (x1 - x0) END,
                                                CASE WHEN exact THEN y0 ELSE y0 + f * (y1 - y0) END), 4326)::geography AS g
        FROM s`,
    },
    { name: 'index', sql: 'CREATE INDEX bl_grid_kg ON bl_grid USING gist (k, g); CREATE INDEX bl_grid_mk ON bl_grid (mmsi, k); ANALYZE bl_grid' },
    {
      name: 'join',
      sql: `CREATE UNLOGGED TABLE bl_close AS
        SELECT a.mmsi AS ma, b.mmsi AS mb, a.k FROM bl_grid a JOIN bl_grid b ON b.k = a.k AND ST_DWithin(a.g, b.g, 500) AND a.mmsi < b.mmsi`,
    },
    {
      name: 'runs',
      sql: `CREATE UNLOGGED TABLE bl_events AS
        WITH runs AS (
          SELECT ma, mb, min(k) AS k0, max(k) AS k1
          FROM (SELECT ma, mb, k, k - row_number() OVER (PARTITION BY ma, mb ORDER BY k) AS island FROM bl_close) i
          GROUP BY ma, mb, island HAVING max(k) - min(k) >= 6
        ), grouped AS (
          SELECT ma, mb, k0, k1, count(*) FILTER (WHERE gap IS NULL OR gap >= 24) OVER (PARTITION BY ma, mb ORDER BY k0) AS grp
          FROM (SELECT *, k0 - lag(k1) OVER (PARTITION BY ma, mb ORDER BY k0) AS gap FROM runs) r
        ), cand AS (
          SELECT ma, mb, grp FROM grouped GROUP BY ma, mb, grp HAVING sum(k1 - k0) >= 12
        ), s AS (
          SELECT g.ma, g.mb, g.grp, g.k0, g.k1, c.k FROM cand JOIN grouped g USING (ma, mb, grp)
          JOIN bl_close c ON c.ma = g.ma AND c.mb = g.mb AND c.k BETWEEN g.k0 AND g.k1
        )
        SELECT ma, mb, min(k0) * 600000::bigint AS start_ms, max(k1) * 600000::bigint AS end_ms
        FROM (SELECT s.*, ${speed('ma')} AS sa, ${speed('mb')} AS sb FROM s) x
        GROUP BY ma, mb, grp
        HAVING percentile_cont(0.5) WITHIN GROUP (ORDER BY sa) < 2 AND percentile_cont(0.5) WITHIN GROUP (ORDER BY sb) < 2`,
    },
  ];
}

type Ev = [a: number, b: number, start: number, end: number];

async function runBaseline(client: pg.Client, from: Date, to: Date): Promise<{ ms: number; steps: Record<string, number>; events: Ev[]; gridPositions: number; closePairSteps: number }> {
  await client.query('DROP TABLE IF EXISTS bl_grid, bl_close, bl_events');
  // A batch job's session settings: enough memory for the sorts, and the cap on this bench.
  await client.query(`SET work_mem = '256MB'; SET statement_timeout = ${BASELINE_CAP_MS}`);
  const steps: Record<string, number> = {};
  const started = performance.now();
  for (const s of baselineSteps(from, to)) {
    const t0 = performance.now();
    await client.query(s.sql, s.params);
    steps[s.name] = Math.round(performance.now() - t0);
  }
  const ms = performance.now() - started;
  const events = (await client.query<{ ma: number; mb: number; start_ms: string; end_ms: string }>('SELECT * FROM bl_events ORDER BY 1, 2, 3')).rows.map(
    (r): Ev => [r.ma, r.mb, Number(r.start_ms), Number(r.end_ms)],
  );
  const gridPositions = Number((await client.query('SELECT count(*) AS n FROM bl_grid')).rows[0].n);
  const closePairSteps = Number((await client.query('SELECT count(*) AS n FROM bl_close')).rows[0].n);
  await client.query('DROP TABLE bl_grid, bl_close, bl_events; RESET work_mem; RESET statement_timeout');
  return { ms, steps, events, gridPositions, closePairSteps };
}

// ───────────────────────────── comparison ─────────────────────────────

const key = (e: Ev) => `${e[0]}-${e[1]}@${new Date(e[2]).toISOString().slice(11, 16)}–${new Date(e[3]).toISOString().slice(11, 16)}`;

/** Exact (pair, start, end) matches, matches within ±1 grid step on both edges, and the rest. */
function compare(ours: Ev[], theirs: Ev[]) {
  const exactTheirs = new Set(theirs.map(key));
  const exact = ours.filter((e) => exactTheirs.has(key(e))).length;
  const near = (x: Ev, y: Ev) => x[0] === y[0] && x[1] === y[1] && Math.abs(x[2] - y[2]) <= STEP && Math.abs(x[3] - y[3]) <= STEP;
  const onlyOurs = ours.filter((e) => !theirs.some((t) => near(e, t)));
  const onlyTheirs = theirs.filter((t) => !ours.some((e) => near(e, t)));
  return { exact, withinOneStep: ours.length - onlyOurs.length, onlyOurs, onlyTheirs };
}

/** A scripted meeting is found when an event of its pair overlaps the time the two lay together. */
const found = (evs: Ev[], meetings: Traffic['meetings']) =>
  meetings.filter((m) => evs.some((e) => e[0] === m.a && e[1] === m.b && e[2] <= m.end && e[3] >= m.start)).length;

// ───────────────────────────── run ─────────────────────────────

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const from = new Date(DAY0);
const to = new Date(DAY0 + 24 * HOUR);
const childPath = fileURLToPath(new URL('./detector-child.ts', import.meta.url));

await prepareDatabase();
const client = new pg.Client({ connectionString: benchUrl });
await client.connect();
await client.query('CREATE EXTENSION IF NOT EXISTS btree_gist'); // for the baseline's (step, point) GiST index

const [load1, load5] = (await import('node:os')).loadavg();
console.log(`Detector end to end (PostGIS → tracks → detectWindow → alerts) vs PostGIS-only baseline; ${SIZES.join(', ')} vessels × 24 h`);
console.log(`  node ${process.version}, ${(await client.query('SHOW server_version')).rows[0].server_version} / PostGIS ${(await client.query('SELECT postgis_lib_version() AS v')).rows[0].v}, ${(await import('node:os')).cpus().length} cores, load average ${fmt(load1!, 2)} / ${fmt(load5!, 2)} at start (shared machine)`);

const results = [];
let prevBaseline: { n: number; ms: number } | null = null;
for (const n of SIZES) {
  let tr: Traffic | null = traffic(n);
  const { points, meetings } = tr;
  const { copyMs: loadMs, bucketsMs, buckets } = await loadPositions(client, tr);
  tr = null; // let the generator's arrays go before the heavy parts

  // Ours, in a fresh process like a worker: one 24 h window (the first job of the process; its
  // connections opened and readied, and its code warmed up on synthetic traffic, before it, as
  // the service does), the same again from empty alerts (a worker's steady state), then
  // 4 × 6 h windows from empty alerts.
  const { stdout } = await run(process.execPath, [childPath, String(DAY0), String(DAY0 + 24 * HOUR), '24', '24', '6'], {
    env: { ...process.env, DATABASE_URL: benchUrl },
    maxBuffer: 1 << 28,
  });
  const child = JSON.parse(stdout.trim().split('\n').pop()!);
  const [p24, p24warm, p6] = child.passes;
  const w24 = p24.windows[0];
  const w24warm = p24warm.windows[0];
  const ours: Ev[] = p24.events;
  const ms6 = p6.windows.reduce((s: number, w: { ms: number }) => s + w.ms, 0);
  const windowsAgree = JSON.stringify(p6.events) === JSON.stringify(p24.events) && JSON.stringify(p24warm.events) === JSON.stringify(p24.events);

  // Baseline, unless the previous size says it would blow the cap (it grows about linearly).
  const predicted = prevBaseline ? prevBaseline.ms * (n / prevBaseline.n) : 0;
  let baseline: Awaited<ReturnType<typeof runBaseline>> | null = null;
  let baselineNote = '';
  if (predicted > BASELINE_CAP_MS) baselineNote = `skipped: predicted ~${fmt(predicted / 1000)} s from ${prevBaseline!.n} vessels (cap ${BASELINE_CAP_MS / 60_000} min)`;
  else {
    try {
      baseline = await runBaseline(client, from, to);
      prevBaseline = { n, ms: baseline.ms };
    } catch (err) {
      if ((err as { code?: string }).code !== '57014') throw err;
      baselineNote = `cancelled at the ${BASELINE_CAP_MS / 60_000} min cap`;
      await client.query('DROP TABLE IF EXISTS bl_grid, bl_close, bl_events; RESET statement_timeout');
    }
  }
  const cmp = baseline ? compare(ours, baseline.events) : null;

  console.log(
    `\n${fmt(n)} vessels: ${fmt(points)} positions (COPY load ${fmt(loadMs / 1000, 1)} s, ${fmt(points / (loadMs / 1000))} rows/s; ` +
      `10-minute buckets ${fmt(buckets)} rows written by ingest's upsert in ${fmt(bucketsMs / 1000, 1)} s), ${meetings.length} scripted meetings`,
  );
  console.log(
    `  ours, 24 h window:   ${fmt(w24.ms / 1000, 2).padStart(7)} s  ${fmt(points / (w24.ms / 1000)).padStart(10)} positions/s   ` +
      `positions read ${fmt(w24.loadMs)} ms (${fmt(w24.positions)} bucket first/last reports, ${w24.rawVessels} vessels raw), evidence ${fmt(w24.evidenceMs)} ms, other reads ${fmt(w24.otherReadsMs)} ms (+ ${fmt(w24.overlappedReadsMs)} ms run meanwhile), alert writes ${fmt(w24.writeMs)} ms (${w24.created} alerts) — query times, which overlap (two branches run side by side); CPU in the detector process ${fmt(w24.cpuMs)} ms`,
  );
  console.log(
    `  ours, again (warm):  ${fmt(w24warm.ms / 1000, 2).padStart(7)} s  ${fmt(points / (w24warm.ms / 1000)).padStart(10)} positions/s   ` +
      `positions read ${fmt(w24warm.loadMs)} ms, evidence ${fmt(w24warm.evidenceMs)} ms (identity anomalies beside it ${fmt(w24warm.anomaliesMs)} ms), other reads ${fmt(w24warm.otherReadsMs)} ms (+ ${fmt(w24warm.overlappedReadsMs)} ms run meanwhile), alert writes ${fmt(w24warm.writeMs)} ms; CPU ${fmt(w24warm.cpuMs)} ms`,
  );
  console.log(
    `    of the CPU (typed arrays, shared-MMSI split check, screening, detection, scoring, evidence): detectWindow ${fmt(child.pure.detectMs)} ms (resample ${fmt(child.pure.resampleMs)}, pair search ${fmt(child.pure.pairSearchMs)}, runs/events ${fmt(child.pure.eventsMs)}; ` +
      `${fmt(child.pure.gridPositions)} grid positions), track split check ${fmt(child.pure.splitMs)} ms — timed again warm, after the run; peak RSS ${child.maxRssMB} MB`,
  );
  type DarkRun = { ms: number; events: Ev[]; dark: Record<string, number> | null };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const withDark: DarkRun[] = child.withDark;
  const withoutDark: DarkRun[] = child.withoutDark;
  const withoutPortCalls: DarkRun[] = child.withoutPortCalls;
  const [msWith, msWithout] = [median(withDark.map((r) => r.ms)), median(withoutDark.map((r) => r.ms))];
  const sameRendezvous = [...withDark, ...withoutDark, ...withoutPortCalls].every((r) => JSON.stringify(r.events) === JSON.stringify(p24warm.events));
  const darkAdded = (msWith - msWithout) / msWithout;
  const darkParts = withDark.find((r) => r.ms === msWith)!.dark;
  console.log(
    `  dark behaviours (AIS gaps, loitering, dark rendezvous): 24 h window, median of ${withDark.length} alternating runs each from empty alerts, ${fmt(msWith)} ms with (${withDark.map((r) => fmt(r.ms)).join(', ')}), ` +
      `${fmt(msWithout)} ms without (${withoutDark.map((r) => fmt(r.ms)).join(', ')}) → +${fmt(darkAdded * 100, 1)} % ` +
      `(goal < 30 %; parts of the median run with, ms: ${JSON.stringify(darkParts)}); alerts by type ${JSON.stringify(p24warm.alertsByType)}; rendezvous events ${sameRendezvous ? 'identical' : 'DIFFER'} with and without; shore index built once per process in ${fmt(child.shoreIndexMs)} ms, connections prepared before the first job in ${fmt(child.prepareMs)} ms, then the warm-up run on synthetic traffic in ${fmt(child.warmUpMs)} ms (CPU ${fmt(child.warmUpCpuMs)} ms)`,
  );
  // Issue 15: the port-call branch (the sanctioned ports watched every window) and the sanctions
  // rules, against the same detector without them.
  const msNoPorts = median(withoutPortCalls.map((r) => r.ms));
  const portsAdded = (msWith - msNoPorts) / msNoPorts;
  console.log(
    `  port calls and sanctions (issue 15): median ${fmt(msWith)} ms with, ${fmt(msNoPorts)} ms without (${withoutPortCalls.map((r) => fmt(r.ms)).join(', ')}) → ${portsAdded >= 0 ? '+' : ''}${fmt(portsAdded * 100, 1)} %`,
  );
  console.log(
    `  ours, 4 × 6 h:       ${fmt(ms6 / 1000, 2).padStart(7)} s  (${p6.windows.map((w: { ms: number }) => fmt(w.ms)).join(' + ')} ms; each window loads its ±18 h 10 min context, here the whole day) ` +
      `→ ${windowsAgree ? 'same alerts as the 24 h window' : 'ALERTS DIFFER from the 24 h window'}`,
  );
  if (baseline) {
    const s = baseline.steps;
    console.log(
      `  baseline (PostGIS):  ${fmt(baseline.ms / 1000, 2).padStart(7)} s  ${fmt(points / (baseline.ms / 1000)).padStart(10)} positions/s   ` +
        `grid ${fmt(s['grid']!)} ms, index ${fmt(s['index']!)} ms, join ${fmt(s['join']!)} ms, runs+tests ${fmt(s['runs']!)} ms ` +
        `(${fmt(baseline.gridPositions)} grid positions, ${fmt(baseline.closePairSteps)} close pair-steps)`,
    );
    console.log(`  ratio baseline / ours (24 h): ×${fmt(baseline.ms / w24.ms, 1)} first job of the process, ×${fmt(baseline.ms / w24warm.ms, 1)} warm`);
  } else console.log(`  baseline (PostGIS): ${baselineNote}`);
  console.log(
    `  events: ours ${ours.length}, baseline ${baseline ? baseline.events.length : '–'}, scripted ${meetings.length} ` +
      `(found: ours ${found(ours, meetings)}, baseline ${baseline ? found(baseline.events, meetings) : '–'})`,
  );
  if (cmp) {
    const scriptedKeys = new Set(meetings.map((m) => `${m.a}-${m.b}`));
    const scriptedDiff = [...cmp.onlyOurs, ...cmp.onlyTheirs].filter((e) => scriptedKeys.has(`${e[0]}-${e[1]}`)).length;
    console.log(
      `  match (pair, start, end): exact ${cmp.exact}/${ours.length}, within ±1 grid step ${cmp.withinOneStep}/${ours.length}; ` +
        `only ours ${cmp.onlyOurs.length}, only baseline ${cmp.onlyTheirs.length} (of which scripted: ${scriptedDiff})`,
    );
    for (const e of cmp.onlyOurs.slice(0, 10)) console.log(`    only ours:     ${key(e)}`);
    for (const e of cmp.onlyTheirs.slice(0, 10)) console.log(`    only baseline: ${key(e)}`);
  }
  results.push({
    vessels: n,
    positions: points,
    scripted: meetings.length,
    loadRowsPerSecond: Math.round(points / (loadMs / 1000)),
    ours: {
      ms24h: w24.ms,
      positionsPerSecond: Math.round(points / (w24.ms / 1000)),
      positionsRead: w24.positions,
      evidenceMs: w24.evidenceMs,
      loadMs: w24.loadMs,
      otherReadsMs: w24.otherReadsMs,
      cpuMs: w24.cpuMs,
      writeMs: w24.writeMs,
      detectWindowMs: child.pure.detectMs,
      pairSearchMs: child.pure.pairSearchMs,
      ms24hWarm: w24warm.ms,
      ms4x6h: ms6,
      windowsAgree,
      darkAddedPercent: Number((darkAdded * 100).toFixed(1)),
      portCallsAddedPercent: Number((portsAdded * 100).toFixed(1)),
      msWithoutPortCalls: msNoPorts,
      msWithDark: msWith,
      msWithoutDark: msWithout,
      sameRendezvousWithoutDark: sameRendezvous,
      alertsByType: p24warm.alertsByType,
      events: ours.length,
      scriptedFound: found(ours, meetings),
      maxRssMB: child.maxRssMB,
    },
    baseline: baseline
      ? { ms: Math.round(baseline.ms), positionsPerSecond: Math.round(points / (baseline.ms / 1000)), steps: baseline.steps, events: baseline.events.length, scriptedFound: found(baseline.events, meetings) }
      : { skipped: baselineNote },
    ratio: baseline ? Number((baseline.ms / w24.ms).toFixed(2)) : null,
    ratioWarm: baseline ? Number((baseline.ms / w24warm.ms).toFixed(2)) : null,
    match: cmp ? { exact: cmp.exact, withinOneStep: cmp.withinOneStep, onlyOurs: cmp.onlyOurs.length, onlyBaseline: cmp.onlyTheirs.length } : null,
  });
}
// Free the ~2 GB the largest case takes on a shared machine; the schema stays for the next run.
if (!values.keep) await client.query('TRUNCATE positions, vessels, vessel_identity_history, alerts, alert_evidence CASCADE');
await client.end();

console.log('');
for (let i = 1; i < results.length; i++) {
  const [a, b] = [results[i - 1]!, results[i]!];
  const [ba, bb] = [a.baseline.ms, b.baseline.ms];
  const bl = ba && bb ? `, baseline ×${fmt(bb / ba, 2)}` : '';
  console.log(
    `growth ${fmt(a.vessels)} → ${fmt(b.vessels)} vessels (positions ×${fmt(b.positions / a.positions, 2)}): ours ×${fmt(b.ours.ms24h / a.ours.ms24h, 2)} (warm ×${fmt(b.ours.ms24hWarm / a.ours.ms24hWarm, 2)})${bl}`,
  );
}
console.log(JSON.stringify({ bench: 'detector-e2e', node: process.version, sizes: results }));
