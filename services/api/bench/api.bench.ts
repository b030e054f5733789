// API benchmark (issue 6): with 1 million alerts in PostgreSQL, p50/p99 latency and requests/s of
//   (a) a filtered list page (time range + bbox + minimum score), and a deep page via its cursor,
//   (b) a dashboard's 304 poll (If-None-Match with the list's ETag),
//   (c) a single alert with its evidence (random seeded ids),
// each against a bare Fastify hello-world measured with the same load in the same run (the ratio
// is the figure that survives a noisy machine). Goals (issue 16, goal 3): distinct filtered pages
// p99 < 50 ms at 10 concurrent connections; 304 polls ≥ 15,000 requests/s and ≥ 0.2 of the
// hello-world in the same run. The list query is also EXPLAINed (the exact SQL the route runs) so
// a slow plan is visible next to the figures.
//   npm run bench -- api
//   node services/api/bench/api.bench.ts [--alerts 1000000] [--duration 10] [--connections 50]
//
// The real API runs as a child process (services/api/src/main.ts) so the server and the load
// generator do not share one event loop; autocannon runs here. Uses its own database
// (rendezvous_bench_api, seeded once and reused while the counts match) and Redis db 6 under the
// prefix rzv-bench, never the dev or test data.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabase, createTokenRepository, migrate } from '@rendezvous/db';
import { EnvSchema } from '@rendezvous/config';
import { createLogger } from '@rendezvous/logger';
import { processCpuMs, processesCpuMs } from '@rendezvous/test-support';
import { measure, type LoadCase, type LoadFigures, type LoadSettings } from './load.ts';
import { captureQueries, explain, type PlanSummary } from './query-plans.ts';
import { ensureSeed } from './seed-alerts.ts';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000000' },
    vessels: { type: 'string', default: '50000' },
    evidence: { type: 'string', default: '10000' },
    'evidence-points': { type: 'string', default: '100' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    // Only the cases whose name matches this regular expression (for iterating on one path).
    cases: { type: 'string', default: '' },
    // The API's DATABASE_POOL_MAX. Default: twice this host's cores, the PostgreSQL wiki's
    // starting point ("Number Of Database Connections": (2 × cores) + spindles) for a server of
    // that many cores: here PostgreSQL runs on this host. The goal's case also runs against a
    // second API process with the service's default pool, for comparison.
    pool: { type: 'string', default: String(2 * os.availableParallelism()) },
  },
});
const int = (name: string, value: string, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, not ${value}`);
  return n;
};
const ALERTS = int('alerts', values.alerts, 1000);
const VESSELS = int('vessels', values.vessels, 100);
const EVIDENCE = Math.min(ALERTS, int('evidence', values.evidence, 1));
const EVIDENCE_POINTS = int('evidence-points', values['evidence-points'], 2);
const settings: LoadSettings = {
  durationS: int('duration', values.duration, 1),
  warmupS: int('warmup', values.warmup, 0),
  connections: int('connections', values.connections, 1),
};
const POOL = int('pool', values.pool, 1);
const DEFAULT_POOL = (EnvSchema.properties.DATABASE_POOL_MAX as unknown as { default: number }).default;

const DB_NAME = 'rendezvous_bench_api';
// As the schema owner (setup's DATABASE_MIGRATION_URL): the benchmark creates, migrates and truncates its database.
const baseUrl = new URL(process.env['DATABASE_MIGRATION_URL'] || process.env['DATABASE_URL'] || 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous');
const benchUrl = Object.assign(new URL(baseUrl), { pathname: `/${DB_NAME}` }).toString();
const redisUrl = Object.assign(new URL(process.env['REDIS_URL'] ?? 'redis://localhost:6379/0'), { pathname: '/6' }).toString();
const logger = createLogger({ level: 'warn', format: 'json' }, 'bench');
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// Goals from issue 16 (goal 3; issue 6 set the first ones): p99 of distinct filtered pages at 10
// connections, and 304 polls in requests/s and as a share of the hello-world baseline.
const GOAL_LIST_P99_MS = 50;
const GOAL_LIST_CONNECTIONS = 10;
const GOAL_304_RPS = 15_000;
const GOAL_304_RATIO = 0.2;
/** Pages walked through nextCursor for the deep-page case (× limit 50 = 1,000 alerts in). */
const DEEP_PAGES = 20;

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function prepareDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(baseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const db = createDatabase({ url: benchUrl, poolMax: 2 }, logger);
  await migrate(db.pool, logger);
  await db.close();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  name: string;
  child: ChildProcess;
  output: () => string;
}

function startServer(name: string, file: string, args: string[], env: NodeJS.ProcessEnv): Server {
  const child = spawn(process.execPath, [file, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, output: () => output };
}

async function waitForHttp(server: Server, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited with code ${server.child.exitCode}:\n${server.output()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${server.name} did not answer ${url} within ${timeoutMs} ms:\n${server.output()}`);
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

// ───────────────────────────── run ─────────────────────────────

await prepareDatabase();
const client = new pg.Client({ connectionString: benchUrl });
await client.connect();
const [load1, load5] = os.loadavg();
console.log(`API benchmark: ${fmt(ALERTS)} alerts (${fmt(VESSELS)} vessels, evidence on ${fmt(EVIDENCE)} alerts × 2 tracks × ${EVIDENCE_POINTS} points)`);
console.log(
  `  node ${process.version}, PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}, ${os.cpus().length} cores, ` +
    `load average ${fmt(load1!, 2)} / ${fmt(load5!, 2)} at start (shared machine: other engineers' tests run here, figures are noisy)`,
);
console.log(`  autocannon: ${settings.connections} connections, ${settings.warmupS} s warm-up + ${settings.durationS} s measured per case`);
console.log(
  `  API pool: ${POOL} connections (DATABASE_POOL_MAX, --pool; default here 2 × this host's ${os.availableParallelism()} cores, where PostgreSQL runs)` +
    (POOL === DEFAULT_POOL ? '' : `; the goal's case again on an API process with the service's default pool of ${DEFAULT_POOL}`),
);

const seed = await ensureSeed(client, { alerts: ALERTS, vessels: VESSELS, evidence: EVIDENCE, evidencePoints: EVIDENCE_POINTS }, (line) => console.log(line));
const sizes = (
  await client.query<{ alerts: string; evidence: string }>(
    "SELECT pg_size_pretty(pg_total_relation_size('alerts')) AS alerts, pg_size_pretty(pg_total_relation_size('alert_evidence')) AS evidence",
  )
).rows[0]!;
console.log(
  seed.reused
    ? `  seed: reused (counts match); alerts ${sizes.alerts} with indexes, evidence ${sizes.evidence}`
    : `  seed: ${fmt(seed.ms / 1000, 1)} s; alerts ${sizes.alerts} with indexes, evidence ${sizes.evidence}`,
);

// (a) A dashboard's regional view: one quarter, the Laconian Gulf STS area (seed-alerts.ts
// REGIONS), score ≥ 20 — a few thousand matches out of the million, 50 per page.
const listQuery = { from: '2025-04-01T00:00:00Z', to: '2025-07-01T00:00:00Z', bbox: '22,35.8,23.6,37.1', minScore: '20', limit: '50' };
const listPath = `/v1/alerts?${new URLSearchParams(listQuery)}`;
const matches = (
  await client.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM alerts
     WHERE end_at >= $1 AND start_at < $2 AND centroid && ST_MakeEnvelope($3, $4, $5, $6, 4326) AND score >= $7 AND status IN ('ongoing', 'closed')`,
    [listQuery.from, listQuery.to, ...listQuery.bbox.split(',').map(Number), Number(listQuery.minScore)],
  )
).rows[0]!.n;

const tokenDb = createDatabase({ url: benchUrl, poolMax: 1 }, logger);
const tokens = createTokenRepository(tokenDb.db);
const token = await tokens.create({ role: 'viewer', name: 'api-bench' });
// The ETag hashes method, URL and Accept (changes/conditional-get.ts): every request here sends
// the same Accept, so the poll's If-None-Match is the tag its own requests get.
const auth = { authorization: `Bearer ${token.token}`, accept: 'application/json' };

const apiEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: benchUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: 'rzv-bench',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  // The bench is one token hammering the API: the per-token limit must not be what it measures.
  RATE_LIMIT_MAX: '10000000',
  DEMO: 'off',
  DATABASE_POOL_MAX: String(POOL),
};
const [helloPort, apiPort] = [await freePort(), await freePort()];
const hello = startServer('hello-world', here('./hello-world-server.ts'), [String(helloPort)], process.env);
const api = startServer('api', here('../src/main.ts'), [], { ...apiEnv, PORT: String(apiPort) });
// The same API with the service's default pool, for the goal's case only (null when --pool is the default).
const defaultPoolPort = POOL === DEFAULT_POOL ? null : await freePort();
const apiDefaultPool = defaultPoolPort === null ? null : startServer('api (default pool)', here('../src/main.ts'), [], { ...apiEnv, DATABASE_POOL_MAX: String(DEFAULT_POOL), PORT: String(defaultPoolPort) });
const apiDefaultPoolUrl = `http://127.0.0.1:${defaultPoolPort}`;
const helloUrl = `http://127.0.0.1:${helloPort}`;
const apiUrl = `http://127.0.0.1:${apiPort}`;

/**
 * CPU so far of the server processes of the API's connections to the bench database (not this
 * script's own, nor anything else the server runs for other databases at the same time).
 */
const backendCpu = async () =>
  processesCpuMs((await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB_NAME])).rows.map((r) => r.pid));

const results: LoadFigures[] = [];
const notes: string[] = [];
const plans: { name: string; status: number; plans: PlanSummary[] }[] = [];
try {
  await waitForHttp(hello, `${helloUrl}/`);
  await waitForHttp(api, `${apiUrl}/health`);
  if (apiDefaultPool) await waitForHttp(apiDefaultPool, `${apiDefaultPoolUrl}/health`);

  // Probe each route once: its status, and what the cases need (ETag, cursor, an evidence id).
  const first = await fetch(apiUrl + listPath, { headers: auth });
  const firstBody = first.status === 200 ? ((await first.json()) as { items?: unknown[]; nextCursor?: string | null }) : (await first.arrayBuffer(), null);
  const etag = first.headers.get('etag');
  const evidenceId = (k: number) => seed.evidenceStep * (1 + (k % EVIDENCE));
  const single = await fetch(`${apiUrl}/v1/alerts/${evidenceId(0)}`, { headers: auth });
  const singleBody = single.status === 200 ? ((await single.json()) as Record<string, unknown>) : (await single.arrayBuffer(), null);
  console.log(
    `  probe: GET ${listPath} → ${first.status}${firstBody ? ` (${firstBody.items?.length ?? '?'} items, nextCursor ${firstBody.nextCursor ? 'yes' : 'no'})` : ''}, ` +
      `ETag ${etag ?? 'none'}; GET /v1/alerts/${evidenceId(0)} → ${single.status}${singleBody ? ` (${fmt(JSON.stringify(singleBody).length)} bytes)` : ''}`,
  );
  console.log(`  filtered list: ${fmt(Number(matches))} matching alerts (${listQuery.from} – ${listQuery.to}, bbox ${listQuery.bbox}, minScore ${listQuery.minScore}, status ongoing/closed)`);

  let deepPath: string | null = null;
  if (firstBody?.nextCursor) {
    let cursor: string | null = firstBody.nextCursor;
    let pages = 1;
    while (cursor && pages < DEEP_PAGES) {
      const res = await fetch(`${apiUrl}${listPath}&cursor=${encodeURIComponent(cursor)}`, { headers: auth });
      const body = (await res.json()) as { nextCursor?: string | null };
      if (res.status !== 200 || !body.nextCursor) break;
      cursor = body.nextCursor;
      pages++;
    }
    deepPath = `${listPath}&cursor=${encodeURIComponent(cursor!)}`;
    notes.push(`deep page: page ${pages + 1} of the filtered list (alerts ${fmt(pages * 50 + 1)}–${fmt(pages * 50 + 50)})`);
  }

  const listSkip = first.status === 200 ? {} : { skip: `GET /v1/alerts answered ${first.status}` };
  const day0 = Date.UTC(2024, 0, 1);
  // A 90-day range starting on a random day of the two years, shifted by a counter's seconds, and a
  // random minimum score: no URL repeats within a run (the counter), so no request can be answered
  // from the response cache (keyed by the URL, conditional-get.ts) — each one runs the query.
  let issued = 0;
  const distinctListPath = () => {
    const from = day0 + Math.floor(Math.random() * 640) * 86_400_000 + ++issued * 1000;
    const q = { ...listQuery, from: new Date(from).toISOString(), to: new Date(from + 90 * 86_400_000).toISOString(), minScore: String(10 + Math.floor(Math.random() * 31)) };
    return `/v1/alerts?${new URLSearchParams(q)}`;
  };
  const cases: (LoadCase & { skip?: string })[] = [
    { name: 'hello-world (baseline)', url: `${helloUrl}/` },
    // Right after the baseline: on a shared machine the load changes within minutes, and the
    // poll's ratio is read against the hello-world next to it as well as the mean of both.
    {
      name: '(b) 304 poll (If-None-Match)',
      url: apiUrl + listPath,
      headers: { ...auth, ...(etag ? { 'if-none-match': etag } : {}) },
      ...(first.status === 200 ? {} : { skip: `GET /v1/alerts answered ${first.status}` }),
    },
    // Every request a different query (random 90-day range over the two years, random minimum
    // score): each is a cache miss, so these measure the query path itself. 10 connections is the
    // goal's load; the run's connection count (default 50) shows the queueing beyond it.
    { name: '(a) filtered list, 10 conn.', url: apiUrl + listPath, headers: auth, nextPath: distinctListPath, connections: GOAL_LIST_CONNECTIONS, ...listSkip },
    // The same load on the API process with the service's default pool: what the pool size does.
    ...(apiDefaultPool
      ? [{ name: `(a) 10 conn., pool ${DEFAULT_POOL}`, url: apiDefaultPoolUrl + listPath, headers: auth, nextPath: distinctListPath, connections: GOAL_LIST_CONNECTIONS, ...listSkip }]
      : []),
    { name: '(a) filtered list page', url: apiUrl + listPath, headers: auth, nextPath: distinctListPath, ...listSkip },
    // One client: the service time without queueing behind others.
    { name: '(a) filtered list, 1 conn.', url: apiUrl + listPath, headers: auth, nextPath: distinctListPath, connections: 1, ...listSkip },
    // The same page over and over (a wall of dashboards): answered from memory after the first.
    { name: '(a) same page repeated', url: apiUrl + listPath, headers: auth, ...listSkip },
    {
      name: '(a) deep page (cursor), repeated',
      url: apiUrl + (deepPath ?? listPath),
      headers: auth,
      ...(deepPath ? {} : { skip: first.status === 200 ? 'no nextCursor on the first page' : `GET /v1/alerts answered ${first.status}` }),
    },
    {
      name: '(c) single alert + evidence',
      url: `${apiUrl}/v1/alerts/${evidenceId(0)}`,
      headers: auth,
      nextPath: () => `/v1/alerts/${evidenceId(Math.floor(Math.random() * EVIDENCE))}`,
      ...(single.status === 200 ? {} : { skip: `GET /v1/alerts/:id answered ${single.status}` }),
    },
    { name: 'hello-world (again)', url: `${helloUrl}/` },
  ];
  if (!etag && first.status === 200) notes.push('the list answered without an ETag: the 304 case sends no If-None-Match and measures full 200 responses');

  const only = values.cases ? new RegExp(values.cases) : null;
  for (const c of cases) {
    if (only && !only.test(c.name)) continue;
    if (c.skip) {
      console.log(`  ${c.name}: skipped (${c.skip})`);
      continue;
    }
    const pid = (c.url.startsWith(helloUrl) ? hello : apiDefaultPool && c.url.startsWith(apiDefaultPoolUrl) ? apiDefaultPool : api).child.pid;
    results.push(await measure(c, settings, async () => {
      const [server0, backends0] = [pid ? await processCpuMs(pid) : null, await backendCpu()];
      return async () => {
        const [server1, backends1] = [pid ? await processCpuMs(pid) : null, await backendCpu()];
        // A backend opened during the run counts from zero; one closed during it is missed.
        let postgres = 0;
        for (const [backend, ms] of backends1) postgres += ms - (backends0.get(backend) ?? 0);
        return { server: server0 === null || server1 === null ? null : server1 - server0, postgres: backends1.size > 0 ? postgres : null };
      };
    }));
  }

  // Plans of the list queries the cases ran (the exact SQL, from an in-process app on the same DB).
  const explained: [string, string][] = [['(a) filtered list page', listPath]];
  if (deepPath) explained.push(['(a) deep page (cursor)', deepPath]);
  explained.push(['(c) single alert + evidence', `/v1/alerts/${evidenceId(1)}`]);
  // Not load-tested, but plans worth watching: an analyst's triage queue, and a combination of
  // filters with (almost) no match and no time bound, which walks the whole ordered index.
  explained.push(['triage queue (triage=escalated&minScore=50)', '/v1/alerts?triage=escalated&minScore=50&limit=50']);
  explained.push(['rare combination (status=retracted&triage=dismissed)', '/v1/alerts?status=retracted&triage=dismissed&limit=50']);
  for (const [name, path] of explained) {
    const captured = await captureQueries({ ...apiEnv, PORT: '0' }, path, token.token);
    const summaries: PlanSummary[] = [];
    for (const q of captured.queries) summaries.push(await explain(client, q));
    plans.push({ name, status: captured.status, plans: summaries });
  }
} finally {
  await stopServer(api);
  if (apiDefaultPool) await stopServer(apiDefaultPool);
  await stopServer(hello);
  await tokens.revoke(token.id);
  await tokenDb.close();
  await client.end();
}

// ───────────────────────────── report ─────────────────────────────

const baselines = results.filter((r) => r.name.startsWith('hello-world'));
const baselineRps = baselines.reduce((s, r) => s + r.rps, 0) / Math.max(1, baselines.length);
const codes = (r: LoadFigures) => Object.entries(r.statusCodes).map(([c, n]) => `${c}: ${fmt(n)}`).join(', ') + (r.errors ? `, errors: ${fmt(r.errors)}` : '') + (r.timeouts ? `, timeouts: ${fmt(r.timeouts)}` : '');
console.log('');
const cpuOf = (ms: number | null) => (ms === null ? '—' : fmt(ms, 3));
console.log(
  `  ${'case'.padEnd(30)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'× hello'.padStart(8)} ${'CPU ms/req: server'.padStart(19)} ${'PG'.padStart(6)}  status codes`,
);
for (const r of results) {
  console.log(
    `  ${r.name.padEnd(30)} ${fmt(r.rps).padStart(9)} ${fmt(r.p50Ms, 1).padStart(7)} ${fmt(r.p99Ms, 1).padStart(7)} ${fmt(r.maxMs, 0).padStart(7)} ${fmt(r.rps / baselineRps, 3).padStart(8)} ${cpuOf(r.serverCpuMsPerRequest).padStart(19)} ${cpuOf(r.postgresCpuMsPerRequest).padStart(6)}  ${codes(r)}`,
  );
}
console.log(`  (× hello: requests/s relative to the mean of the two hello-world runs, ${fmt(baselineRps)} req/s; CPU: user + system time over the measured run, per response, of the server process and of the PostgreSQL backends connected to the bench database)`);
for (const n of notes) console.log(`  note: ${n}`);

const poll = results.find((r) => r.name.startsWith('(b)'));
console.log('\n  goals (issue 16, goal 3):');
const single1 = results.find((r) => r.name === '(a) filtered list, 1 conn.');
const p99Of = (r: LoadFigures | undefined, load: string) => `${load}: ${r ? `p99 ${fmt(r.p99Ms, 1)} ms (p50 ${fmt(r.p50Ms, 1)}, ${fmt(r.rps)} req/s = ${fmt(r.rps / baselineRps, 3)} × hello)` : 'not measured'}`;
const ten = results.find((r) => r.name === '(a) filtered list, 10 conn.');
const many = results.find((r) => r.name === '(a) filtered list page');
const repeated = results.find((r) => r.name === '(a) same page repeated');
console.log(
  `    distinct filtered pages p99 < ${GOAL_LIST_P99_MS} ms at ${GOAL_LIST_CONNECTIONS} connections: ${p99Of(ten, `${GOAL_LIST_CONNECTIONS} connections, pool ${POOL}`)} → ${ten && ten.p99Ms < GOAL_LIST_P99_MS ? 'met' : 'NOT met'}`,
);
const tenDefaultPool = results.find((r) => r.name === `(a) 10 conn., pool ${DEFAULT_POOL}`);
console.log(`      also: ${tenDefaultPool ? `${p99Of(tenDefaultPool, `${GOAL_LIST_CONNECTIONS} connections with the default pool of ${DEFAULT_POOL}`)}; ` : ''}${p99Of(many, `${settings.connections} connections`)}; ${p99Of(single1, '1 connection')}; same page repeated (memory): ${p99Of(repeated, `${settings.connections} connections`)}`);
const polled304 = poll?.statusCodes['304'] ?? 0;
const adjacentHello = results.find((r) => r.name === 'hello-world (baseline)');
const pollRatio = poll ? poll.rps / baselineRps : 0;
const pollRatioAdjacent = poll && adjacentHello ? poll.rps / adjacentHello.rps : 0;
console.log(
  `    304 polls ≥ ${fmt(GOAL_304_RPS)} req/s and ≥ ${GOAL_304_RATIO} × hello: ${
    poll
      ? `${fmt(poll.rps)} req/s (${polled304 === poll.total ? 'all 304' : `${fmt(polled304)} of ${fmt(poll.total)} were 304`}), ${fmt(pollRatio, 3)} × hello (${fmt(pollRatioAdjacent, 3)} × the hello-world measured just before it) → ` +
        `${poll.rps >= GOAL_304_RPS ? 'rate met' : 'rate NOT met'}, ${pollRatio >= GOAL_304_RATIO && polled304 === poll.total ? 'ratio met' : 'ratio NOT met'}`
      : 'not measured'
  }`,
);
console.log(`    Fastify hello-world baseline here: ${baselines.map((b) => fmt(b.rps)).join(' / ')} req/s (mean ${fmt(baselineRps)}); 15,000 polls/s needs a hello-world of 15,000/s or more on the machine`);

console.log('\n  query plans (EXPLAIN ANALYZE of the SQL each route ran, after the load; buffers read = not in shared_buffers):');
for (const p of plans) {
  console.log(`    ${p.name} (status ${p.status}):`);
  for (const s of p.plans) {
    console.log(
      `      ${fmt(s.executionMs, 2).padStart(8)} ms (plan ${fmt(s.planningMs, 2)} ms)  ${s.root}: ${s.scans.join('; ') || '—'}; ` +
        `${fmt(s.rowsScanned)} rows read for ${fmt(s.rowsReturned)} returned; buffers hit ${fmt(s.sharedHit)}, read ${fmt(s.sharedRead)}`,
    );
    console.log(`        ${s.sql}…`);
  }
}

console.log(
  JSON.stringify({
    bench: 'api',
    node: process.version,
    alerts: ALERTS,
    filteredMatches: Number(matches),
    settings,
    pool: POOL,
    baselineRps: Math.round(baselineRps),
    cases: results.map((r) => ({ ...r, rps: Math.round(r.rps), ratioToHello: Number((r.rps / baselineRps).toFixed(3)) })),
    plans: plans.map((p) => ({ name: p.name, queries: p.plans.map((s) => ({ ms: s.executionMs, root: s.root, scans: s.scans, rowsScanned: s.rowsScanned })) })),
  }),
);
// The API child's Redis and pool are gone; nothing here should keep the process alive, but a
// stray autocannon socket must not hang `npm run bench`.
process.exit(0);
