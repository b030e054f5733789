// Web app benchmark (issue 14): with 100,000 alerts in PostgreSQL, how fast the analyst app shows
// them on its map, and whether panning stays smooth, in the real browser the tests drive.
//   (1) time from navigation to the alerts layer's first render with the current filters (the
//       app sets `data-alerts-painted` to performance.now() then): median of 5 cold loads — a
//       fresh browser context (empty HTTP cache) and a new alert data version each time (so the
//       API's response cache cannot answer either) — against the goal of 1.5 s; bytes per load;
//   (2) panning: 2 s of mouse drags over the map (each release loads the new view's clusters)
//       while a requestAnimationFrame loop records frame intervals: p95 and the share of frames
//       over 50 ms, against the same page standing still;
//   (3) what the map fetches: GET /v1/alerts/clusters for the world and for the app's first view,
//       against fetching all 100,000 alerts as GeoJSON pages (what clustering in the browser
//       would need), in time and bytes.
//   npm run bench -- web
//   node services/api/bench/web.bench.ts [--alerts 100000] [--loads 5] [--pan-seconds 2] [--keep]
//
// Own database (rendezvous_bench_web, created and migrated here, seeded once and reused while the
// counts match) and Redis db 6 under the prefix rzv-bench-web; never the dev or test data. The API
// runs in this process (buildApp on a real socket); Chromium is Debian's (test/support/browser.ts).
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { loadConfig } from '@rendezvous/config';
import { createDatabase, createTokenRepository, migrate } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createRedis } from '@rendezvous/queue';
import { BROWSER_SKIP_NOTE, CHROMIUM, launchBrowser } from '../../../test/support/browser.ts';
import { buildApp } from '../src/app.ts';
import { ensureSeed } from './seed-alerts.ts';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '100000' },
    loads: { type: 'string', default: '5' },
    'pan-seconds': { type: 'string', default: '2' },
  },
});
const int = (name: string, value: string, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, not ${value}`);
  return n;
};
const ALERTS = int('alerts', values.alerts, 1000);
const LOADS = int('loads', values.loads, 1);
const PAN_MS = int('pan-seconds', values['pan-seconds'], 1) * 1000;

const GOAL_PAINT_MS = 1500;
const SLOW_FRAME_MS = 50;
const VIEWPORT = { width: 1280, height: 800 };
const TOKEN_KEY = 'rendezvous.token';

const DB_NAME = 'rendezvous_bench_web';
const baseUrl = new URL(process.env['DATABASE_MIGRATION_URL'] || process.env['DATABASE_URL'] || 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous');
const benchUrl = Object.assign(new URL(baseUrl), { pathname: `/${DB_NAME}` }).toString();
const redisUrl = Object.assign(new URL(process.env['REDIS_URL'] ?? 'redis://localhost:6379/0'), { pathname: '/6' }).toString();
const DIST_INDEX = fileURLToPath(new URL('../../../packages/web-app/dist/index.html', import.meta.url));

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const kb = (bytes: number) => `${fmt(bytes / 1024, 0)} kB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

const quiet = createLogger({ level: 'warn', format: 'json' }, 'bench');

async function prepareDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(baseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const db = createDatabase({ url: benchUrl, poolMax: 2 }, quiet);
  await migrate(db.pool, quiet);
  await db.close();
}

/**
 * The API bench's seed is all rendezvous; the map colours by type, so a tenth each become AIS
 * gaps, loitering (one vessel: no second party, migrations/0017) and dark rendezvous, by id —
 * the same rows every run, and nothing to do when the seed is reused.
 */
async function spreadTypes(client: pg.Client): Promise<number> {
  const res = await client.query(`
    UPDATE alerts SET type = t.type,
      mmsi_b = CASE WHEN t.type IN ('ais_gap', 'loitering') THEN NULL ELSE mmsi_b END,
      vessel_b = CASE WHEN t.type IN ('ais_gap', 'loitering') THEN NULL ELSE vessel_b END
    FROM (SELECT id, CASE id % 10 WHEN 7 THEN 'ais_gap' WHEN 8 THEN 'loitering' WHEN 9 THEN 'dark_rendezvous' ELSE 'rendezvous' END AS type FROM alerts) t
    WHERE alerts.id = t.id AND alerts.type <> t.type`);
  if (res.rowCount) await client.query('VACUUM (ANALYZE) alerts');
  return res.rowCount ?? 0;
}

interface Traffic {
  bytes: number;
  apiBytes: number;
  requests: number;
  clusterMs: number[];
  /** Clusters requests sent and not yet finished. */
  clustersPending: number;
  /** Every request: path (and query), when it was sent after the first, how long it took (ms). */
  log: { path: string; sentMs: number; ms: number; bytes: number }[];
}

/** Bytes on the wire (headers and bodies as received) and the clusters requests' durations, from the DevTools protocol. */
async function watchTraffic(cdp: CDPSession): Promise<Traffic> {
  const traffic: Traffic = { bytes: 0, apiBytes: 0, requests: 0, clusterMs: [], clustersPending: 0, log: [] };
  const started = new Map<string, { url: URL; at: number }>();
  let first: number | null = null;
  const isClusters = (url: URL) => url.pathname === '/v1/alerts/clusters';
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    const url = new URL(e.request.url);
    first ??= e.timestamp;
    started.set(e.requestId, { url, at: e.timestamp });
    if (isClusters(url)) traffic.clustersPending++;
  });
  const done = (requestId: string, timestamp: number, bytes: number) => {
    const req = started.get(requestId);
    if (!req) return;
    started.delete(requestId);
    traffic.bytes += bytes;
    traffic.requests++;
    if (req.url.pathname.startsWith('/v1/')) traffic.apiBytes += bytes;
    const ms = (timestamp - req.at) * 1000;
    if (isClusters(req.url)) {
      traffic.clustersPending--;
      traffic.clusterMs.push(ms);
    }
    traffic.log.push({ path: req.url.pathname + req.url.search, sentMs: (req.at - first!) * 1000, ms, bytes });
  };
  cdp.on('Network.loadingFinished', (e) => done(e.requestId, e.timestamp, e.encodedDataLength));
  // An aborted clusters request (the view moved on) is no longer pending either.
  cdp.on('Network.loadingFailed', (e) => done(e.requestId, e.timestamp, 0));
  return traffic;
}

async function signedInPage(context: BrowserContext, token: string): Promise<Page> {
  // Before any of the app's scripts: the app reads its token from sessionStorage (session.ts).
  await context.addInitScript(({ key, value }) => sessionStorage.setItem(key, value), { key: TOKEN_KEY, value: token });
  return context.newPage();
}

// Page-side code is functions (the app's CSP forbids evaluating strings), typed loosely: this
// project's TypeScript has no DOM library.
interface PageGlobals {
  document: { documentElement: { dataset: Record<string, string | undefined> } };
  requestAnimationFrame(callback: (t: number) => void): number;
  benchFrames: number[];
  /** Which recording is current: an earlier loop stops at its next frame. */
  benchRun: number;
}

const painted = (page: Page) =>
  page
    .waitForFunction(() => (globalThis as unknown as PageGlobals).document.documentElement.dataset['alertsPainted'], null, { timeout: 60_000 })
    .then(async (h) => Number(await h.jsonValue()));

/** Frame intervals (ms) of a requestAnimationFrame loop while `during` runs. */
async function frameIntervals(page: Page, during: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const run = (w.benchRun ?? 0) + 1;
    const frames: number[] = [];
    w.benchRun = run;
    w.benchFrames = frames;
    const tick = (t: number) => {
      if (w.benchRun !== run) return;
      frames.push(t);
      w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
  await during();
  const times = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.benchRun++;
    return w.benchFrames;
  });
  return times.slice(1).map((t, i) => t - times[i]!);
}

async function mapCentre(page: Page) {
  const box = await page.locator('.ol-viewport').first().boundingBox();
  if (!box) throw new Error('no .ol-viewport on the page: is the map there?');
  return { ...box, cx: box.x + box.width / 2, cy: box.y + box.height / 2 };
}

/** Zooms in with the map's + button, one level a step, each step a new view to cluster. */
async function zoomIn(page: Page, traffic: Traffic, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await page.click('.ol-zoom-in');
    // The zoom animation (250 ms), the app's debounce after moveend, then its clusters request.
    await new Promise((r) => setTimeout(r, 700));
    await settled(traffic);
  }
}

/**
 * Mouse drags across the map for `ms`: a third of the view each, alternating directions, with a
 * pause after each (a user looks, then pans on): each pan ends, so the app loads the new view's
 * clusters while the next one runs.
 */
async function pan(page: Page, ms: number): Promise<number> {
  const box = await mapCentre(page);
  const { cx, cy } = box;
  const moves: [number, number][] = [[-1, 0], [0, -1], [1, 0], [0, 1]];
  const deadline = Date.now() + ms;
  let drags = 0;
  while (Date.now() < deadline) {
    const [dx, dy] = moves[drags % moves.length]!;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    const steps = 12;
    for (let i = 1; i <= steps && Date.now() < deadline; i++) {
      await page.mouse.move(cx + (dx * box.width * i) / (3 * steps), cy + (dy * box.height * i) / (3 * steps));
      await new Promise((r) => setTimeout(r, 16));
    }
    await page.mouse.up();
    drags++;
    await new Promise((r) => setTimeout(r, 250));
  }
  return drags;
}

/** Until no clusters request is in flight (the app keeps its alert stream open: the network is never idle). */
async function settled(traffic: Traffic, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (traffic.clustersPending > 0) {
    if (Date.now() > deadline) throw new Error(`clusters requests still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function frameFigures(intervals: number[]) {
  return {
    frames: intervals.length + 1,
    p50: quantile(intervals, 0.5),
    p95: quantile(intervals, 0.95),
    max: Math.max(...intervals),
    slowShare: intervals.filter((x) => x > SLOW_FRAME_MS).length / Math.max(1, intervals.length),
  };
}

// ───────────────────────────── run ─────────────────────────────

await prepareDatabase();
const client = new pg.Client({ connectionString: benchUrl });
await client.connect();
const [load1, load5] = os.loadavg();
console.log(`Web app benchmark: ${fmt(ALERTS)} alerts; ${LOADS} cold page loads; ${fmt(PAN_MS / 1000, 1)} s of panning`);
console.log(
  `  node ${process.version}, PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}, ${os.cpus().length} cores, ` +
    `load average ${fmt(load1!, 2)} / ${fmt(load5!, 2)} at start (shared machine: figures are noisy)`,
);
const seed = await ensureSeed(client, { alerts: ALERTS, vessels: Math.max(100, Math.round(ALERTS / 5)), evidence: Math.min(ALERTS, 1000), evidencePoints: 50 }, (line) => console.log(line));
const retyped = await spreadTypes(client);
const types = (await client.query<{ type: string; n: string }>("SELECT type, count(*)::text AS n FROM alerts WHERE status <> 'retracted' GROUP BY type ORDER BY type")).rows;
console.log(
  `  seed: ${seed.reused ? 'reused (counts match)' : `${fmt(seed.ms / 1000, 1)} s`}${retyped ? `, ${fmt(retyped)} retyped` : ''}; shown by default: ` +
    types.map((t) => `${t.type} ${fmt(Number(t.n))}`).join(', '),
);

const config = loadConfig({
  ...process.env,
  DATABASE_URL: benchUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: 'rzv-bench-web',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  RATE_LIMIT_MAX: '10000000',
  DEMO: 'off',
});
const logger = createLogger(config.log, 'api');
const database = createDatabase(config.db, logger);
const redis = createRedis(config.redis, logger, 'producer');
const app = await buildApp({ config, logger, database, redis });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const tokens = createTokenRepository(database.db);
const token = await tokens.create({ role: 'viewer', name: 'web-bench' });
const auth = { authorization: `Bearer ${token.token}` };

/** A new alert data version (one alert touched), seen by the API: every response cache entry is stale after it. */
async function newDataVersion(): Promise<void> {
  const probe = `${base}/v1/alerts?limit=1`;
  const before = (await fetch(probe, { headers: auth }).then(async (r) => (await r.arrayBuffer(), r.headers.get('etag')))) ?? '';
  // A real change (the trigger skips no-op updates): one alert's updated_at moves.
  await client.query('UPDATE alerts SET updated_at = clock_timestamp() WHERE id = (SELECT min(id) FROM alerts)');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await fetch(probe, { headers: { ...auth, 'if-none-match': before } });
    await res.arrayBuffer();
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the API did not see the new alert version within 10 s (change feed)');
}

/** One request's time and body size, with a fresh data version first (no response cache). */
async function timed(path: string, headers: Record<string, string> = {}): Promise<{ ms: number; bytes: number; body: unknown }> {
  await newDataVersion();
  const t0 = performance.now();
  const res = await fetch(base + path, { headers: { ...auth, ...headers } });
  const buf = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${buf.toString().slice(0, 300)}`);
  return { ms, bytes: buf.length, body: JSON.parse(buf.toString()) };
}

let failed = false;
try {
  // (3) first: API side only, needs no browser.
  console.log('\n  (3) what the map fetches (fresh data version before each request: no response cache)');
  const world = [];
  const greece = [];
  for (let i = 0; i < 5; i++) {
    world.push(await timed('/v1/alerts/clusters?bbox=-180,-85,180,85&zoom=1'));
    greece.push(await timed('/v1/alerts/clusters?bbox=5,28,40,45&zoom=5'));
  }
  const worldBody = world[0]!.body as { total: number; clusters: unknown[] };
  const greeceBody = greece[0]!.body as { total: number; clusters: unknown[] };
  const t0 = performance.now();
  let allBytes = 0;
  let features = 0;
  let pages = 0;
  await newDataVersion();
  for (let cursor: string | null = null; pages === 0 || cursor; pages++) {
    const res = await fetch(`${base}/v1/alerts?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { ...auth, accept: 'application/geo+json' } });
    const buf = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`GeoJSON page ${pages + 1} → ${res.status}`);
    allBytes += buf.length;
    const fc = JSON.parse(buf.toString()) as { features: unknown[]; nextCursor: string | null };
    features += fc.features.length;
    cursor = fc.nextCursor;
  }
  const allMs = performance.now() - t0;
  const wMs = median(world.map((r) => r.ms));
  const gMs = median(greece.map((r) => r.ms));
  console.log(`    clusters, world (zoom 1):          ${fmt(wMs, 1).padStart(8)} ms median of 5, ${kb(world[0]!.bytes).padStart(9)}  (${fmt(worldBody.clusters.length)} clusters of ${fmt(worldBody.total)} alerts)`);
  console.log(`    clusters, first view (zoom 5):     ${fmt(gMs, 1).padStart(8)} ms median of 5, ${kb(greece[0]!.bytes).padStart(9)}  (${fmt(greeceBody.clusters.length)} clusters of ${fmt(greeceBody.total)} alerts)`);
  console.log(`    all alerts as GeoJSON (baseline):  ${fmt(allMs, 0).padStart(8)} ms in ${pages} pages, ${kb(allBytes).padStart(9)}  (${fmt(features)} features)`);
  console.log(`    ratio: world clusters take ${fmt(wMs / allMs, 4)} of the time and ${fmt(world[0]!.bytes / allBytes, 5)} of the bytes of the baseline (${fmt(allMs / wMs, 0)}x faster)`);

  if (!CHROMIUM) {
    console.log(`\n  (1), (2) browser figures skipped: ${BROWSER_SKIP_NOTE}`);
  } else if (!existsSync(DIST_INDEX)) {
    console.log(`\n  (1), (2) browser figures skipped: the web app is not built (${DIST_INDEX} is missing; \`npm run bench -- web\` builds it, or node scripts/build-web.ts)`);
  } else {
    const browser = await launchBrowser();
    try {
      console.log(`\n  (1) first paint of the alerts on the map, ${LOADS} cold loads (fresh browser context and data version each), ${VIEWPORT.width}×${VIEWPORT.height}, Chromium ${browser.version()}`);
      const paints: number[] = [];
      const loads: Traffic[] = [];
      for (let i = 0; i < LOADS; i++) {
        await newDataVersion();
        const context = await browser.newContext({ viewport: VIEWPORT });
        const page = await signedInPage(context, token.token);
        const traffic = await watchTraffic(await context.newCDPSession(page));
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${base}/`);
        try {
          paints.push(await painted(page));
        } catch (err) {
          throw new Error(`the app never set data-alerts-painted (${(err as Error).message.split('\n')[0]})${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`);
        }
        loads.push(traffic);
        if (i === 0) {
          console.log('    load 1, request by request (sent at ms after the first, took ms, bytes):');
          for (const r of traffic.log) console.log(`      ${fmt(r.sentMs, 0).padStart(6)} ${fmt(r.ms, 0).padStart(6)} ms ${kb(r.bytes).padStart(8)}  ${r.path.length > 110 ? `${r.path.slice(0, 110)}…` : r.path}`);
        }
        console.log(
          `    load ${i + 1}: alerts painted at ${fmt(paints[i]!, 0)} ms; ${traffic.requests} requests, ${kb(traffic.bytes)} (API ${kb(traffic.apiBytes)}); ` +
            `clusters request ${traffic.clusterMs.map((x) => fmt(x, 0)).join(', ') || 'none'} ms`,
        );
        await context.close();
      }
      const paint = median(paints);
      console.log(
        `    median ${fmt(paint, 0)} ms (min ${fmt(Math.min(...paints), 0)}, max ${fmt(Math.max(...paints), 0)}); bytes per load median ${kb(median(loads.map((l) => l.bytes)))}`,
      );
      console.log(`    goal < ${fmt(GOAL_PAINT_MS)} ms: ${fmt(paint / GOAL_PAINT_MS, 2)} of the goal → ${paint < GOAL_PAINT_MS ? 'met' : 'NOT met'}`);
      if (paint >= GOAL_PAINT_MS) failed = true;

      console.log(`\n  (2) panning: ${fmt(PAN_MS / 1000, 1)} s of drags over the map, frame intervals from requestAnimationFrame`);
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await signedInPage(context, token.token);
      const traffic = await watchTraffic(await context.newCDPSession(page));
      await page.goto(`${base}/`);
      await painted(page);
      await settled(traffic);
      // Regional zoom, where every pan brings new cells (at the first view's zoom the world fits).
      await zoomIn(page, traffic, 2);
      const lastClusters = [...traffic.log].reverse().find((r) => r.path.startsWith('/v1/alerts/clusters'));
      const zoomed = lastClusters ? decodeURIComponent(lastClusters.path.slice(lastClusters.path.indexOf('?') + 1)) : 'no clusters request seen';
      const still = frameFigures(await frameIntervals(page, () => new Promise((r) => setTimeout(r, PAN_MS))));
      const fetchedBefore = traffic.clusterMs.length;
      let drags = 0;
      const panning = frameFigures(await frameIntervals(page, async () => {
        drags = await pan(page, PAN_MS);
      }));
      await settled(traffic);
      const line = (name: string, f: ReturnType<typeof frameFigures>) =>
        `    ${name.padEnd(14)} ${String(f.frames).padStart(4)} frames, p50 ${fmt(f.p50, 1).padStart(5)} ms, p95 ${fmt(f.p95, 1).padStart(5)} ms, max ${fmt(f.max, 0).padStart(4)} ms, ` +
        `${fmt(f.slowShare * 100, 1)} % over ${SLOW_FRAME_MS} ms`;
      console.log(line('standing still', still));
      console.log(line('panning', panning));
      console.log(`    after 2 zoom steps in (view: ${zoomed}):`);
      console.log(
        `    ${drags} drags, ${traffic.clusterMs.length - fetchedBefore} clusters requests while panning (median ${fmt(median(traffic.clusterMs.slice(fetchedBefore)), 0)} ms); ` +
          `p95 frame panning / standing still: ${fmt(panning.p95 / still.p95, 2)}`,
      );
      await context.close();
    } finally {
      await browser.close();
    }
  }
} catch (err) {
  failed = true;
  console.error(`  FAILED: ${(err as Error).message}`);
} finally {
  await tokens.revoke(token.id);
  await app.close();
  redis.disconnect();
  await database.close();
  await client.end();
}
process.exitCode = failed ? 1 : 0;
