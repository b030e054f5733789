// End-to-end ingest benchmark: NMEA file → decoded, validated, COPY'd and committed PostGIS rows.
//   node packages/ingest/bench/ingest.bench.ts [--vessels 2000] [--reports 500]
// Prints positions/s of the real ingest (a child process, as the service runs), the same rows
// loaded by a bare COPY into an unindexed table in the same run (the ceiling), their ratio, the
// ingest's peak memory and CPU, and — from a second, CPU-profiled ingest of the same input into
// emptied tables — where the ingest process spends its CPU. The profiler costs throughput (it
// samples the main thread and writes its log), so the timed run goes without it. Uses its own
// database, created afresh every run (recreateBenchDatabase), never the dev data.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createDatabase, migrate } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { postgresCpuMs, recreateBenchDatabase } from '@rendezvous/test-support';
import { benchTraffic } from './bench-traffic.ts';

const run = promisify(execFile);
const { values } = parseArgs({ options: { vessels: { type: 'string', default: '2000' }, reports: { type: 'string', default: '500' } } });
const VESSELS = Number(values.vessels);
const REPORTS = Number(values.reports);
// As the schema owner (setup's DATABASE_MIGRATION_URL): the benchmark creates, migrates and truncates its database.
const baseUrl = new URL(process.env['DATABASE_MIGRATION_URL'] || process.env['DATABASE_URL'] || 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous');
const benchUrl = new URL(baseUrl);
const BENCH_DATABASE = process.env['BENCH_DATABASE'] || 'rendezvous_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DATABASE)) throw new Error(`BENCH_DATABASE must be a plain lower-case identifier: ${BENCH_DATABASE}`);
benchUrl.pathname = `/${BENCH_DATABASE}`;
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');

/** Created afresh and migrated every run (each ingest starts from empty tables anyway). */
async function prepareDatabase(): Promise<void> {
  await recreateBenchDatabase(baseUrl, BENCH_DATABASE);
  const db = createDatabase({ url: benchUrl.toString(), poolMax: 2 }, logger);
  await migrate(db.pool, logger);
  await db.close();
}

/** What an ingest of the bench input writes, emptied so each ingest starts from the same state. */
async function emptyTables(): Promise<void> {
  const client = new pg.Client({ connectionString: benchUrl.toString() });
  await client.connect();
  await client.query('TRUNCATE positions, vessels, vessel_identity_history, vessel_draughts, vessel_destinations, detection_outbox');
  await client.end();
}

interface ChildResult {
  ms: number;
  cpuMs: number;
  positionsStored: number;
  batches: number;
  batchLatencyMs: { mean: number };
  windowsQueued: number;
  maxRssMB: number;
}

/** One ingest of `file` in a child with the ingest service's own Node flags (scripts/start.ts, docker-compose.yml). */
async function ingestChild(file: string, extraFlags: string[]): Promise<ChildResult> {
  const child = fileURLToPath(new URL('./ingest-child.ts', import.meta.url));
  const { stdout } = await run(process.execPath, ['--max-semi-space-size=16', '--no-allocation-site-pretenuring', ...extraFlags, child, file], {
    // The outbox drain's jobs go to a queue of the bench's own (ingest-child.ts), never a detector's.
    env: { ...process.env, DATABASE_URL: benchUrl.toString(), LOG_LEVEL: 'warn', REDIS_PREFIX: 'rzv-bench-ingest' },
    maxBuffer: 1 << 24,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

/** The benchmark's traffic (bench-traffic.ts), written to a file the ingest reads. */
async function writeInput(dir: string): Promise<{ file: string; sentences: number }> {
  const { text, sentences } = benchTraffic(VESSELS, REPORTS);
  const file = path.join(dir, 'bench.nmea');
  await writeFile(file, text);
  return { file, sentences };
}

/** The ceiling: the same number of narrow rows through COPY into an unindexed, unlogged table. */
async function bareCopy(rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: benchUrl.toString() });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS bench_copy; CREATE UNLOGGED TABLE bench_copy (mmsi int, ts timestamptz, lon float8, lat float8, sog real, cog real, heading smallint)');
  const batch = 20_000;
  const started = performance.now();
  for (let done = 0; done < rows; done += batch) {
    let text = '';
    for (let i = done; i < Math.min(rows, done + batch); i++) text += `${230000000 + (i % VESSELS)}\t2025-01-15 00:00:${String(i % 60).padStart(2, '0')}+00\t20.1\t35.2\t1.5\t90\t90\n`;
    await new Promise<void>((resolve, reject) => {
      const s = client.query(copyFrom('COPY bench_copy FROM STDIN'));
      s.on('error', reject).on('finish', () => resolve());
      s.end(text);
    });
  }
  const ms = performance.now() - started;
  await client.query('DROP TABLE bench_copy');
  await client.end();
  return ms;
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; }
/** Self time by function from a V8 .cpuprofile (samples × interval), top entries. */
function summariseProfile(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const file = n.callFrame.url.replace(/^.*\/(packages|services|node_modules)\//, '$1/');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file ? `${file}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([fn, us]) => ({ share: `${((us / total) * 100).toFixed(1)}%`, fn }));
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-bench-'));
try {
  await prepareDatabase();
  const { file, sentences } = await writeInput(dir);
  const pgCpuBefore = await postgresCpuMs();
  const result = await ingestChild(file, []);
  const pgCpuAfter = await postgresCpuMs();
  // Every PostgreSQL process on the host during the ingest, so other load on the server counts too.
  const pgCpuUs = pgCpuBefore !== null && pgCpuAfter !== null ? ((pgCpuAfter - pgCpuBefore) * 1000) / result.positionsStored : null;
  await emptyTables();
  const profiled = await ingestChild(file, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const profileFile = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'))!;
  const hot = summariseProfile(JSON.parse(await readFile(path.join(dir, profileFile), 'utf8')));
  const copyMs = await bareCopy(result.positionsStored);

  const ingestRate = result.positionsStored / (result.ms / 1000);
  const copyRate = result.positionsStored / (copyMs / 1000);
  console.log(`\nEnd-to-end ingest: ${sentences.toLocaleString()} NMEA sentences (${VESSELS} vessels × ${REPORTS} reports, TAG-stamped)`);
  console.log(`  ingest (decode → validate → COPY → upserts, outbox → commit)  ${Math.round(ingestRate).toLocaleString().padStart(10)} positions/s  (${(result.ms / 1000).toFixed(2)} s, ${result.batches} batches, commit mean ${result.batchLatencyMs.mean} ms, ${result.windowsQueued} detection windows queued by the outbox drain)`);
  console.log(`  baseline: bare COPY, unindexed unlogged table      ${Math.round(copyRate).toLocaleString().padStart(10)} rows/s`);
  console.log(`  ratio ingest / bare COPY: ${(ingestRate / copyRate).toFixed(2)}`);
  console.log(`  peak memory of the ingest process (maxRSS): ${result.maxRssMB} MB`);
  console.log(`  CPU of the ingest process: ${((result.cpuMs * 1000) / result.positionsStored).toFixed(1)} µs per position (${(result.cpuMs / 1000).toFixed(2)} s user + system)`);
  console.log(`  CPU of PostgreSQL meanwhile (all server processes on this host): ${pgCpuUs === null ? 'not readable' : `${pgCpuUs.toFixed(1)} µs per position`}`);
  const profiledRate = profiled.positionsStored / (profiled.ms / 1000);
  console.log(`  second ingest, CPU-profiled: ${Math.round(profiledRate).toLocaleString()} positions/s, ingest process ${((profiled.cpuMs * 1000) / profiled.positionsStored).toFixed(1)} µs per position`);
  console.log('  CPU profile of that ingest process, self time (idle = waiting on PostgreSQL):');
  for (const h of hot) console.log(`    ${h.share.padStart(6)}  ${h.fn}`);
  console.log(
    JSON.stringify({
      bench: 'ingest-e2e',
      sentences,
      positionsStored: result.positionsStored,
      positionsPerSecond: Math.round(ingestRate),
      bareCopyRowsPerSecond: Math.round(copyRate),
      ratioToBareCopy: Number((ingestRate / copyRate).toFixed(3)),
      maxRssMB: result.maxRssMB,
      postgresCpuUsPerPosition: pgCpuUs === null ? null : Number(pgCpuUs.toFixed(2)),
      ingestCpuUsPerPosition: Number(((result.cpuMs * 1000) / result.positionsStored).toFixed(2)),
      profiledPositionsPerSecond: Math.round(profiledRate),
      profiledIngestCpuUsPerPosition: Number(((profiled.cpuMs * 1000) / profiled.positionsStored).toFixed(2)),
      hot,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
