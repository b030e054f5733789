// `npm run bench -- scale` (issue 16): 1, 2 and 4 detector service processes over the same
// backlog of detection windows. Prints each run's wall time and throughput against the single
// process in the same run, and checks that every run stores exactly the same alerts.
//   node services/detector/bench/scale.bench.ts [--vessels 300] [--hours 24] [--window-minutes 60] [--processes 1,2,4]
// Own database (rendezvous_bench_scale) and Redis key prefix, never the dev or test data. The
// traffic is the simulator's (every scenario, seeded), ingested once through the real ingest path;
// each run starts from no alerts, with its detectors started and ready before the windows are
// queued, so the time is detection alone (not the shore index each process builds at start).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Queue } from 'bullmq';
import { loadConfig } from '@rendezvous/config';
import { createDatabase, migrateDatabase } from '@rendezvous/db';
import { ingestFiles } from '@rendezvous/ingest';
import { createLogger } from '@rendezvous/logger';
import { createProducer, createRedis, enqueueDetectionWindows } from '@rendezvous/queue';
import { simulate } from '@rendezvous/simulator';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const { values } = parseArgs({
  options: {
    vessels: { type: 'string', default: '300' },
    hours: { type: 'string', default: '24' },
    'window-minutes': { type: 'string', default: '60' },
    processes: { type: 'string', default: '1,2,4' },
  },
});
const vessels = Number(values.vessels);
const hours = Number(values.hours);
const windowMs = Number(values['window-minutes']) * 60_000;
const counts = values.processes.split(',').map(Number);

const DB_NAME = 'rendezvous_bench_scale';
const ownerBase = new URL(process.env['DATABASE_MIGRATION_URL'] || process.env['DATABASE_URL'] || 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous');
const ownerUrl = Object.assign(new URL(ownerBase), { pathname: `/${DB_NAME}` }).toString();
const serviceUrl = Object.assign(new URL(process.env['DATABASE_URL'] || 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous'), { pathname: `/${DB_NAME}` }).toString();
const redisUrl = Object.assign(new URL(process.env['REDIS_URL'] || 'redis://127.0.0.1:6379/0'), { pathname: '/14' }).toString();
const PREFIX = 'rzv-bench-scale';
const env = { ...process.env, DATABASE_URL: serviceUrl, DATABASE_MIGRATION_URL: ownerUrl, REDIS_URL: redisUrl, REDIS_PREFIX: PREFIX, LOG_LEVEL: 'info', LOG_FORMAT: 'json', DEMO: 'off' };
const config = loadConfig({ ...env, LOG_LEVEL: 'warn' });
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function prepare(): Promise<{ positions: number; starts: number[] }> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(ownerBase), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  // As the services' migration does: the schema owner migrates, the service role gets its grants.
  await migrateDatabase({ url: serviceUrl, migrationUrl: ownerUrl }, logger);

  const sim = simulate({ start: '2025-06-01T00:00:00Z', hours, vessels, seed: 16, scenarios: 'all' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-bench-scale-'));
  const file = path.join(dir, 'traffic.nmea');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file).on('error', reject).on('finish', resolve);
    let buf: string[] = [];
    for (const line of sim.lines) {
      buf.push(line);
      if (buf.length >= 10_000) {
        out.write(buf.join('\n') + '\n');
        buf = [];
      }
    }
    out.end(buf.length ? buf.join('\n') + '\n' : '');
  });
  const database = createDatabase(config.db, logger);
  try {
    const started = performance.now();
    const summary = await ingestFiles([file], { config, logger, database, detection: null });
    console.log(`  traffic: ${fmt(vessels)} vessels × ${hours} h (simulator, every scenario), ${fmt(summary.positionsStored)} positions ingested in ${fmt((performance.now() - started) / 1000, 1)} s`);
    const { rows } = await database.pool.query<{ start: string }>(
      `SELECT DISTINCT (floor(extract(epoch FROM ts) * 1000 / $1) * $1)::text AS start FROM positions ORDER BY 1`,
      [windowMs],
    );
    return { positions: summary.positionsStored, starts: rows.map((r) => Number(r.start)) };
  } finally {
    await database.close();
  }
}

/** Starts a detector service process and resolves once it logs "started". */
function startDetector(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/"msg":"started"/.test(out)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`detector exited (${code}) before it started:\n${out}`)));
  });
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

async function run(processes: number, starts: number[]): Promise<{ ms: number; alerts: string; byType: Record<string, number> }> {
  const database = createDatabase({ url: ownerUrl, poolMax: 2 }, logger);
  const redis = createRedis(config.redis, logger, 'producer');
  const queue = new Queue('detection', { connection: redis, prefix: PREFIX });
  try {
    await database.pool.query('TRUNCATE alerts, alert_evidence, alert_pair_versions, port_calls, detection_outbox RESTART IDENTITY CASCADE');
    await queue.obliterate({ force: true });
    const children = await Promise.all(Array.from({ length: processes }, startDetector));
    const producer = createProducer('detection', { connection: redis, prefix: PREFIX });
    try {
      const t0 = performance.now();
      await enqueueDetectionWindows(producer, starts, windowMs, 'ingest');
      for (;;) {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
        if ((c['failed'] ?? 0) > 0) throw new Error(`${c['failed']} window jobs failed`);
        if ((c['completed'] ?? 0) >= starts.length && (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['delayed'] ?? 0) + (c['prioritized'] ?? 0) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const ms = performance.now() - t0;
      const { rows } = await database.pool.query<{ type: string; alert_key: string; status: string; start_at: Date; end_at: Date; score: number }>(
        "SELECT type, alert_key, status, start_at, end_at, score FROM alerts WHERE status <> 'retracted' ORDER BY alert_key",
      );
      const byType: Record<string, number> = {};
      for (const r of rows) byType[r.type] = (byType[r.type] ?? 0) + 1;
      return { ms, alerts: JSON.stringify(rows), byType };
    } finally {
      await producer.close();
      await stop(children);
    }
  } finally {
    await queue.close();
    redis.disconnect();
    await database.close();
  }
}

console.log(`Detector scale-out: ${counts.join(', ')} detector processes over one backlog of ${values['window-minutes']}-minute windows`);
console.log(`  node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)} at start (shared machine)`);
const { positions, starts } = await prepare();
console.log(`  backlog: ${starts.length} windows`);
const results: { processes: number; ms: number; identical: boolean; byType: Record<string, number> }[] = [];
let reference: string | null = null;
for (const n of counts) {
  const r = await run(n, starts);
  reference ??= r.alerts;
  const identical = r.alerts === reference;
  results.push({ processes: n, ms: Math.round(r.ms), identical, byType: r.byType });
  const base = results[0]!;
  console.log(
    `  ${n} detector${n > 1 ? 's' : ' '}: ${fmt(r.ms / 1000, 2).padStart(6)} s  ${fmt((starts.length / r.ms) * 1000, 1).padStart(5)} windows/s  ${fmt((positions / r.ms) * 1000).padStart(9)} positions/s  ` +
      `×${fmt(base.ms / r.ms, 2)} of 1 process  alerts ${JSON.stringify(r.byType)} ${identical ? 'identical to 1 process' : 'DIFFER from 1 process'}`,
  );
}
console.log(JSON.stringify({ bench: 'scale', vessels, hours, windowMs, windows: starts.length, positions, results }));
process.exit(results.every((r) => r.identical) ? 0 : 1);
