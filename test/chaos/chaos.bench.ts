// `npm run bench -- chaos`: the pipeline under faults (issue 11). Replays 1M NMEA sentences over
// TCP into the real ingest service, with a real detector behind it, twice: a calm run, then a run
// during which Redis is restarted twice (its own redis-server, stopped for --outage-seconds, 3 by default: a service restart,
// which saves its data) and PostgreSQL "restarted" twice (a TCP proxy between the services and the
// server cuts every connection and refuses new ones as long: the services see exactly what a
// restart shows them; the shared cluster itself is never stopped). Prints stored/expected
// positions, windows detected/expected, the chaos run's alerts against the calm run's, and the
// longest stall of storage after each restart. Own database (rendezvous_bench_chaos).
//   node test/chaos/chaos.bench.ts [--vessels 2000] [--reports 500] [--rate 40000] [--outage-seconds 3]
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { migrateDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { ThrowawayRedis } from '../support/redis-server.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const { values } = parseArgs({
  options: {
    vessels: { type: 'string', default: '2000' },
    reports: { type: 'string', default: '500' },
    rate: { type: 'string', default: '40000' },
    'outage-seconds': { type: 'string', default: '3' },
  },
});
const VESSELS = Number(values.vessels);
const REPORTS = Number(values.reports);
/** Lines per second the feed offers (the ingest may take them slower: TCP back-pressure). */
const RATE = Number(values.rate);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 1, 10);
const STEP = 30_000;
const WINDOW_MS = HOUR;
/** How long each dependency stays away. */
const OUTAGE_MS = Number(values['outage-seconds']) * 1000;

// The bench's own database: created, migrated and truncated as the schema owner; the services
// connect as the services' role (DATABASE_URL's user), as deployed.
const serviceBase = new URL(process.env['DATABASE_URL'] ?? 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous');
const baseUrl = new URL(process.env['DATABASE_MIGRATION_URL'] || serviceBase.toString());
const benchUrl = Object.assign(new URL(baseUrl), { pathname: '/rendezvous_bench_chaos' });
const serviceBenchUrl = Object.assign(new URL(serviceBase), { pathname: '/rendezvous_bench_chaos' });
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');

/**
 * 2,000 ships: 20 pairs lie alongside each other for 3 h (one alert each), the rest steam in
 * rows 11 km apart. Every report is a distinct payload (every ship moves), TAG-stamped, so both
 * runs store exactly the same rows and compute exactly the same alerts.
 */
function feedLines(): { lines: string[]; windows: Set<number> } {
  const lines: string[] = [];
  const windows = new Set<number>();
  const pairs = Math.min(20, Math.floor(VESSELS / 4));
  for (let r = 0; r < REPORTS; r++) {
    for (let v = 0; v < VESSELS; v++) {
      const t = T0 + r * STEP + (v % 29) * 1000;
      windows.add(Math.floor(t / WINDOW_MS) * WINDOW_MS);
      let lon: number;
      let lat: number;
      let sog: number;
      if (v < 2 * pairs) {
        const pair = v >> 1;
        const together = r >= 60 && r <= 420;
        const drift = r * 0.00005;
        lon = 24 + pair * 0.2 + drift + (v & 1 ? (together ? 0.0012 : 0.0012 + Math.abs(r - 240) * 0.002) : 0);
        lat = 37 + pair * 0.05;
        sog = together ? 0.4 : v & 1 ? 11 : 0.4;
      } else {
        lon = 10 + (v % 50) * 0.3 + r * 0.0021;
        lat = 40 + Math.floor(v / 50) * 0.1;
        sog = 12;
      }
      const second = Math.floor((t % MIN) / 1000);
      const msg = classAPosition({ mmsi: 229_000_000 + v, lon: Math.round(lon * 600000) / 600000, lat: Math.round(lat * 600000) / 600000, sog, cog: 90, second });
      lines.push(...toNmeaLines(msg, { timeMs: t, source: 'chaos' }));
    }
  }
  return { lines, windows };
}

async function prepareDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(baseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'rendezvous_bench_chaos'");
  if (!rowCount) await admin.query('CREATE DATABASE rendezvous_bench_chaos');
  await admin.end();
  await migrateDatabase({ url: serviceBenchUrl.toString(), migrationUrl: benchUrl.toString() }, logger);
}

interface RunResult {
  stored: number;
  distinct: number;
  windowsLeft: number;
  windowsRun: Set<number>;
  alerts: string[];
  stalls: { event: string; stallMs: number | null; note: string }[];
  longestStallMs: number;
  /** Connections the ingest made to the feed (1 = it never dropped the feed). */
  connections: number;
  ms: number;
}

async function runOnce(name: string, lines: string[], chaos: boolean): Promise<RunResult> {
  const db = new pg.Pool({ connectionString: benchUrl.toString(), max: 2 });
  await db.query('TRUNCATE positions, vessel_identity_history, vessels, detection_outbox, alert_evidence, alerts RESTART IDENTITY CASCADE');
  const redisServer = new ThrowawayRedis({ persist: true });
  await redisServer.start();
  const proxy = new TcpProxy({ host: benchUrl.hostname, port: Number(benchUrl.port || 5432) });
  const proxyPort = await proxy.start();
  const serviceUrl = Object.assign(new URL(serviceBenchUrl), { port: String(proxyPort) }).toString();
  const sockets: net.Socket[] = [];
  // The ingest's TCP source reconnects after a failure: the feed goes on on its newest connection.
  const feed = net.createServer((s) => {
    s.on('error', () => undefined);
    sockets.push(s);
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  let reconnects = 0;
  feed.on('connection', () => reconnects++);
  const feedPort = (feed.address() as net.AddressInfo).port;
  const env = {
    ...process.env,
    DATABASE_URL: serviceUrl,
    DATABASE_MIGRATION_URL: '',
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: 'rzv-chaos',
    INGEST_SOURCES: `tcp://127.0.0.1:${feedPort}`,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    DEMO: 'off',
  };
  const children: ChildProcess[] = ['ingest', 'detector'].map((s) => {
    const child = spawn(process.execPath, [`services/${s}/src/main.ts`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    // A service's own complaints (crashes above all) are shown, named; its warnings during the
    // outages are expected and only counted.
    let warnings = 0;
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`[${name} ${s}] ${line}\n`);
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM') console.log(`  ${name}: ${s} exited with ${code ?? signal} (${warnings} warnings)`);
    });
    return child;
  });

  // Storage progress, sampled every 100 ms on a direct connection (not through the proxy).
  const samples: { at: number; n: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await db.query<{ n: number }>("SELECT coalesce(sum(reltuples), 0)::bigint AS n FROM pg_class WHERE relname LIKE 'positions_2%' AND relkind = 'r'").catch(() => ({ rows: [{ n: -1 }] }));
      const exact = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions').catch(() => null);
      samples.push({ at: Date.now(), n: exact ? Number(exact.rows[0]!.n) : Number(rows[0]!.n) });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const events: { event: string; at: number }[] = [];
  const started = Date.now();
  try {
    const deadline = Date.now() + 30_000;
    while (sockets.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (sockets.length === 0) throw new Error('ingest never connected to the feed');
    const perTick = Math.max(1, Math.round(RATE / 20));
    const faults = chaos
      ? [
          { atLine: Math.round(lines.length * 0.15), event: 'Redis restart 1', run: () => outage(() => redisServer.stop(), () => redisServer.start()) },
          { atLine: Math.round(lines.length * 0.35), event: 'PostgreSQL restart 1', run: () => outage(() => proxy.cut(), () => proxy.restore()) },
          { atLine: Math.round(lines.length * 0.55), event: 'Redis restart 2', run: () => outage(() => redisServer.stop(), () => redisServer.start()) },
          { atLine: Math.round(lines.length * 0.75), event: 'PostgreSQL restart 2', run: () => outage(() => proxy.cut(), () => proxy.restore()) },
        ]
      : [];
    const outage = async (down: () => Promise<void>, up: () => Promise<void>) => {
      await down();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await up();
    };
    // Faults one after another, each once the feed has reached its point and the previous
    // dependency is back (two outages never overlap).
    let sent = 0;
    const faultsDone = (async () => {
      for (const f of faults) {
        while (sent < f.atLine) await new Promise((r) => setTimeout(r, 20));
        await f.run();
        events.push({ event: f.event, at: Date.now() });
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    for (let i = 0; i < lines.length; i += perTick) {
      const tick = Date.now();
      const chunk = lines.slice(i, i + perTick).join('\r\n') + '\r\n';
      const socket = sockets[sockets.length - 1]!;
      if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r).once('close', r));
      sent = i + perTick;
      const wait = 50 - (Date.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await faultsDone;
    // Every position stored, then every window run (the outbox empty and the queue idle).
    const waitUntil = async (what: string, probe: () => Promise<boolean>, ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await probe().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      console.log(`  ${name}: gave up waiting for ${what} after ${ms / 1000} s`);
    };
    const expected = lines.length;
    await waitUntil('all positions', async () => Number((await db.query('SELECT count(*) AS n FROM positions')).rows[0].n) >= expected, 180_000);
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const queue = new Queue('detection', { connection: redis, prefix: 'rzv-chaos' });
    queue.on('error', () => undefined);
    await waitUntil(
      'detection',
      async () => {
        const left = Number((await db.query('SELECT count(*) AS n FROM detection_outbox')).rows[0].n);
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return left === 0 && Object.values(c).every((n) => n === 0);
      },
      300_000,
    );
    const completed = await queue.getJobs(['completed'], 0, -1);
    const windowsRun = new Set(completed.map((j) => Date.parse((j.data as { from: string }).from)));
    await queue.close();
    redis.disconnect();
    const ms = Date.now() - started;
    sampling = false;
    await sampler;

    const stored = Number((await db.query('SELECT count(*) AS n FROM positions')).rows[0].n);
    // Every input line is a distinct (MMSI, time), the positions key: a stored row is one line
    // stored once, and the count of lines covered is the count of distinct stored keys. Counted
    // per vessel (an index-only aggregate; a DISTINCT over 1M rows took minutes here).
    const distinct = Number((await db.query('SELECT coalesce(sum(n), 0) AS n FROM (SELECT mmsi, count(DISTINCT ts) AS n FROM positions GROUP BY mmsi) d')).rows[0].n);
    const windowsLeft = Number((await db.query('SELECT count(DISTINCT window_start) AS n FROM detection_outbox')).rows[0].n);
    const { rows } = await db.query<{ k: string }>(
      "SELECT concat_ws(' ', alert_key, status, mmsi_a, mmsi_b, to_char(start_at AT TIME ZONE 'UTC', 'HH24:MI'), to_char(end_at AT TIME ZONE 'UTC', 'HH24:MI'), score) AS k FROM alerts ORDER BY alert_key",
    );
    // Stall after each restart: from the moment the dependency is back to the next increase
    // of the stored count (while positions were still to come).
    const stalls = events.map(({ event, at }) => {
      const before = samples.filter((s) => s.at <= at).pop()?.n ?? 0;
      if (before >= expected) return { event, stallMs: null as number | null, note: 'everything was already stored' };
      const next = samples.find((s) => s.at > at && s.n > before);
      return { event, stallMs: next ? next.at - at : Infinity, note: next ? '' : 'storage never resumed' };
    });
    // Longest time without progress while positions were still to come (from the first one on).
    let longestStallMs = 0;
    const firstIndex = Math.max(0, samples.findIndex((s) => s.n > 0));
    for (let i = firstIndex + 1, lastChange = samples[firstIndex]?.at ?? started; i < samples.length && samples[i - 1]!.n < expected; i++) {
      if (samples[i]!.n !== samples[i - 1]!.n || samples[i]!.n >= expected) {
        longestStallMs = Math.max(longestStallMs, samples[i]!.at - lastChange);
        lastChange = samples[i]!.at;
      }
    }
    return { stored, distinct, windowsLeft, windowsRun, alerts: rows.map((r) => r.k), stalls, longestStallMs, connections: reconnects, ms };
  } finally {
    sampling = false;
    await sampler;
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    for (const s of sockets) s.destroy();
    feed.close();
    await proxy.stop();
    await redisServer.dispose();
    await db.end();
  }
}

await prepareDatabase();
const { lines, windows } = feedLines();
console.log(`\nChaos: ${lines.length.toLocaleString()} NMEA sentences (${VESSELS} vessels × ${REPORTS} reports, ${windows.size} detection windows) over TCP at up to ${RATE.toLocaleString()} lines/s`);
const calm = await runOnce('calm', lines, false);
const chaos = await runOnce('chaos', lines, true);
const show = (name: string, r: RunResult) => {
  const detected = [...windows].filter((w) => r.windowsRun.has(w)).length;
  console.log(`  ${name.padEnd(6)} positions stored ${r.stored.toLocaleString()} / expected ${lines.length.toLocaleString()} (lost ${lines.length - r.distinct}, duplicated ${r.stored - r.distinct}); windows detected ${detected} / ${windows.size} (left in the outbox: ${r.windowsLeft}); alerts ${r.alerts.length}; feed connections ${r.connections}; ${(r.ms / 1000).toFixed(1)} s`);
  for (const s of r.stalls) console.log(`         ${s.event}: ${s.stallMs === null || !Number.isFinite(s.stallMs) ? s.note : `storage resumed ${(s.stallMs / 1000).toFixed(1)} s after the dependency came back`}`);
  console.log(`         longest stall of storage: ${(r.longestStallMs / 1000).toFixed(1)} s (outages last ${OUTAGE_MS / 1000} s)`);
};
show('calm', calm);
show('chaos', chaos);
const same = calm.alerts.join('\n') === chaos.alerts.join('\n');
console.log(`  alerts of the chaos run identical to the calm run's: ${same ? 'yes' : 'NO'}`);
if (!same) {
  const a = new Set(calm.alerts);
  const b = new Set(chaos.alerts);
  for (const x of calm.alerts) if (!b.has(x)) console.log(`    only calm:  ${x}`);
  for (const x of chaos.alerts) if (!a.has(x)) console.log(`    only chaos: ${x}`);
}
const worstStall = Math.max(0, ...chaos.stalls.map((s) => s.stallMs ?? 0));
console.log(
  JSON.stringify({
    bench: 'chaos',
    sentences: lines.length,
    expectedWindows: windows.size,
    calm: { stored: calm.stored, distinct: calm.distinct, windowsLeft: calm.windowsLeft, alerts: calm.alerts.length, s: calm.ms / 1000 },
    chaos: { stored: chaos.stored, distinct: chaos.distinct, windowsLeft: chaos.windowsLeft, alerts: chaos.alerts.length, s: chaos.ms / 1000, stalls: chaos.stalls },
    alertsIdentical: same,
    worstStallAfterRestartS: worstStall / 1000,
  }),
);
process.exit(lines.length === chaos.distinct && chaos.stored === chaos.distinct && same && chaos.windowsLeft === 0 && worstStall < 10_000 ? 0 : 1);
