import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDatabase, createTokenRepository, migrate, type DatabaseHandle } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { demoTraffic } from '@rendezvous/simulator';
import { dropDatabase, recreateDatabase } from '../support/databases.ts';
import { databaseUrlFor, testDatabaseUrl, testEnv } from '../support/test-env.ts';
import { waitFor } from '../support/wait.ts';

// The first-run demo of `npm start` (scripts/demo): on an empty database it seeds a watchlist,
// a token and a simulated feed; alerts arrive within two minutes (default speed); never twice.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const logger = createLogger({ level: 'silent', format: 'json' }, 'test');
// Own databases and queue prefix: the stack's detector must not take other tests' jobs.
const base = new URL(testDatabaseUrl()).pathname.slice(1);
const FIRST_RUN_DB = `${base}_firstrun`;
const DEMO_OFF_DB = `${base}_demo_off`;
const REDIS_PREFIX = 'rzv-test-demo';
const LISTED = demoTraffic({ endMs: Date.now() }).listed;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Stack {
  child: ChildProcess;
  output: () => string;
  startedAt: number;
  port: number;
}
const stacks: Stack[] = [];
const handles: DatabaseHandle[] = [];

async function freshDatabase(name: string): Promise<DatabaseHandle> {
  await recreateDatabase(name);
  const handle = createDatabase({ url: databaseUrlFor(name), poolMax: 2 }, logger);
  handles.push(handle);
  await migrate(handle.pool, logger);
  return handle;
}

/** `node scripts/start.ts` (what `npm start` runs after setup) on `database`, up and healthy. */
async function startStack(database: string, demo: 'on' | 'off'): Promise<Stack> {
  const port = await freePort();
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['scripts/start.ts'], {
    cwd: ROOT,
    env: testEnv({ DATABASE_URL: databaseUrlFor(database), DATABASE_MIGRATION_URL: databaseUrlFor(database), REDIS_PREFIX, PORT: String(port), DEMO: demo, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const stack = { child, output: () => out, startedAt, port };
  stacks.push(stack);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`start.ts exited early:\n${out}`);
    const ready = ['api', 'ingest', 'detector'].every((s) => new RegExp(`\\[${s}\\s*\\].*"msg":"started"`).test(out));
    if (ready && (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200) return stack;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the stack did not come up in 60 s:\n${out}`);
}

async function stopStack(stack: Stack): Promise<void> {
  if (stack.child.exitCode !== null || stack.child.signalCode !== null) return;
  const exited = new Promise((r) => stack.child.once('exit', r));
  process.kill(-stack.child.pid!, 'SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
}

const counts = async (db: DatabaseHandle) =>
  (
    await db.pool.query(`SELECT (SELECT count(*) FROM positions)::int AS positions, (SELECT count(*) FROM api_tokens)::int AS tokens,
      (SELECT count(*) FROM watchlist_versions)::int AS "listVersions", (SELECT count(*) FROM alerts)::int AS alerts`)
  ).rows[0] as { positions: number; tokens: number; listVersions: number; alerts: number };

const demoLines = (out: string) => out.split('\n').filter((l) => l.startsWith('[demo'));

afterEach(async () => {
  // Never leave a stack running if an assertion failed half-way.
  for (const s of stacks.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      try {
        process.kill(-s.child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
});
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await dropDatabase(FIRST_RUN_DB);
  await dropDatabase(DEMO_OFF_DB);
});

describe('first-run demo (DEMO=on)', () => {
  it('seeds an empty database: token printed, alerts within two minutes, one on the demo-listed vessel; the next start seeds nothing', async () => {
    const db = await freshDatabase(FIRST_RUN_DB);
    const first = await startStack(FIRST_RUN_DB, 'on');

    const alert = await waitFor(async () => {
      const { rows } = await db.pool.query(
        `SELECT id, status, watchlists, vessel_a->>'name' AS name_a, vessel_b->>'name' AS name_b, first_detected_at
         FROM alerts WHERE (mmsi_a = $1 OR mmsi_b = $1) AND status <> 'retracted' ORDER BY id LIMIT 1`,
        [LISTED.mmsi],
      );
      return rows[0];
    }, 120_000);
    const firstAlertMs = Date.now() - first.startedAt;
    console.log(`demo: first alert (on ${LISTED.name}, MMSI ${LISTED.mmsi}) in the database ${(firstAlertMs / 1000).toFixed(1)} s after start.ts was spawned`);
    // Within the demo's two minutes: the wait above gives up then (the time taken is printed, not asserted).
    expect(alert, first.output()).toBeDefined();
    expect(alert.watchlists).toContain('demo');
    expect(alert.status).toBe('ongoing');
    expect([alert.name_a, alert.name_b].every((n: string) => n.startsWith('DEMO '))).toBe(true);

    // The token is printed once, with the commands, when that alert is seen (polled every second).
    // start.ts writes the block one line per stdout write, so this process can have read the
    // token's line before the commands after it: wait for the block's last line.
    const printed = await waitFor(async () => {
      const out = first.output();
      return out.includes('"Analyst walkthrough"') ? /export TOKEN=(rzv_[A-Za-z0-9_-]{43})\n/.exec(out)?.[1] : undefined;
    }, 10_000);
    expect(printed, first.output()).toBeDefined();
    const out = first.output();
    expect(out.split(printed!).length - 1).toBe(1);
    expect(out).toContain(`/v1/alerts/${alert.id}`);
    expect(out).toContain(`/v1/vessels/${LISTED.mmsi}/track?from=`);
    expect(out).toContain('npm run cli -- token create --role analyst');
    const verified = await createTokenRepository(db.db).verify(printed!);
    expect(verified).toMatchObject({ name: 'demo', role: 'analyst', revoked: false });
    // …and it works against the real API (a route that exists independently of the alert routes).
    const lists = await fetch(`http://127.0.0.1:${first.port}/v1/watchlists`, { headers: { authorization: `Bearer ${printed}` } });
    expect(lists.status).toBe(200);
    expect(JSON.stringify(await lists.json())).toContain('"demo"');

    // The demo list holds exactly the listed vessel; every vessel ingested is a DEMO ship.
    const { rows: entries } = await db.pool.query(
      `SELECT e.mmsi, e.imo FROM watchlist_entries e JOIN watchlists w ON w.id = e.watchlist_id WHERE w.name = 'demo'`,
    );
    expect(entries).toEqual([{ mmsi: LISTED.mmsi, imo: LISTED.imo }]);
    const { rows: names } = await db.pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE name NOT LIKE 'DEMO %')::int AS other FROM vessels`);
    expect(names[0].n).toBeGreaterThan(5);
    expect(names[0].other).toBe(0);

    await stopStack(first);
    const afterFirst = await counts(db);
    expect(afterFirst.tokens).toBe(1);
    expect(afterFirst.listVersions).toBe(1);

    // Second start on the same database: no demo, not a word about it.
    const second = await startStack(FIRST_RUN_DB, 'on');
    await new Promise((r) => setTimeout(r, 5000));
    expect(demoLines(second.output())).toEqual([]);
    expect(await counts(db)).toEqual(afterFirst);
    await stopStack(second);
  }, 240_000);
});

describe('DEMO=off', () => {
  it('an empty database stays empty', async () => {
    const db = await freshDatabase(DEMO_OFF_DB);
    const stack = await startStack(DEMO_OFF_DB, 'off');
    await new Promise((r) => setTimeout(r, 5000));
    expect(demoLines(stack.output())).toEqual([]);
    expect(await counts(db)).toEqual({ positions: 0, tokens: 0, listVersions: 0, alerts: 0 });
    await stopStack(stack);
  }, 90_000);
});
