// Issue 11 item 2: PostgreSQL errors that are not connection losses (disk full, read-only,
// cancelled, out of memory, serialization failure, deadlock) pause ingest and retry the same
// batch, like an outage; only rows PostgreSQL rejects for their content are dropped, counted
// and logged once per batch with a sample. Faults are raised by the real server, from a trigger
// the test installs in the test database (RAISE … USING ERRCODE), for a set time.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { createDatabase, sql } from '@rendezvous/db';
import { createPipeline, IngestMetrics, NmeaReader } from '@rendezvous/ingest';
import { pino } from 'pino';
import { count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const config = testConfig({ INGEST_BATCH_SIZE: '100', INGEST_FLUSH_MS: '50' });
const database = openTestDatabase(config);
const T0 = Date.UTC(2023, 7, 1);

beforeAll(async () => {
  await database.pool.query(`
    CREATE TABLE IF NOT EXISTS reliability_fault (code text NOT NULL, until timestamptz NOT NULL);
    CREATE OR REPLACE FUNCTION reliability_fault_raise() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE f record;
    BEGIN
      FOR f IN SELECT code FROM reliability_fault WHERE clock_timestamp() < until LOOP
        RAISE EXCEPTION 'injected fault %', f.code USING ERRCODE = f.code;
      END LOOP;
      RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS reliability_fault ON vessels;
    CREATE TRIGGER reliability_fault AFTER INSERT ON vessels FOR EACH STATEMENT EXECUTE FUNCTION reliability_fault_raise();
    -- A data error on the rows themselves: PostgreSQL refuses one MMSI's rows (22023).
    CREATE OR REPLACE FUNCTION reliability_bad_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'injected bad row %', NEW.mmsi USING ERRCODE = '22023';
    END $$;
    DROP TRIGGER IF EXISTS reliability_bad_row ON positions;
    CREATE TRIGGER reliability_bad_row AFTER INSERT ON positions FOR EACH ROW WHEN (NEW.mmsi = 248999999) EXECUTE FUNCTION reliability_bad_row();
    TRUNCATE reliability_fault;`);
});
afterAll(async () => {
  await database.pool.query(`
    DROP TRIGGER IF EXISTS reliability_fault ON vessels;
    DROP TRIGGER IF EXISTS reliability_bad_row ON positions;
    DROP FUNCTION IF EXISTS reliability_fault_raise();
    DROP FUNCTION IF EXISTS reliability_bad_row();
    DROP TABLE IF EXISTS reliability_fault;`);
  await database.close();
});

/** `n` position reports of `n` ships (one line each), moving so no two payloads repeat. */
function lines(n: number, mmsiOf: (i: number) => number, t0: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(...toNmeaLines(classAPosition({ mmsi: mmsiOf(i), lon: 10 + i * 0.001, lat: 55, sog: 5, second: i % 60 }), { timeMs: t0 + i * 1000 }));
  }
  return out;
}

async function ingest(input: string[], logger = quietLogger) {
  const metrics = new IngestMetrics();
  const { pipeline, store } = createPipeline({ config, logger, database, detection: null }, metrics);
  async function* feed() {
    for (let i = 0; i < input.length; i += 50) yield { lines: input.slice(i, i + 50), receivedAtMs: Date.now() };
  }
  try {
    await pipeline.consume(feed(), new NmeaReader(metrics));
  } finally {
    await store.close();
  }
  return metrics;
}

const SERVER_ERRORS: [string, string][] = [
  ['53100', 'disk full'],
  ['25006', 'read-only transaction'],
  ['57014', 'query cancelled (statement timeout)'],
  ['53200', 'out of memory'],
  ['40001', 'serialization failure'],
  ['40P01', 'deadlock detected'],
];

describe('PostgreSQL errors that are not about the rows (issue 11, item 2)', () => {
  for (const [code, what] of SERVER_ERRORS) {
    it(`${code} (${what}) for 1.2 s: the batch waits and is retried whole; nothing is dropped`, async () => {
      await resetIngestTables(database);
      await database.pool.query("INSERT INTO reliability_fault VALUES ($1, clock_timestamp() + interval '1.2 seconds')", [code]);
      try {
        const metrics = await ingest(lines(300, (i) => 248100000 + i, T0));
        expect(metrics.rejections.get('database_rejected') ?? 0).toBe(0);
        expect(metrics.batchRetries).toBeGreaterThan(0);
        expect(metrics.positionsStored).toBe(300);
        expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(300);
      } finally {
        await database.pool.query('TRUNCATE reliability_fault');
      }
    });
  }

  it('a row PostgreSQL refuses on its own (22023) is dropped, counted, and logged once per batch with a sample; the rest is stored', async () => {
    await resetIngestTables(database);
    const logs: { msg: string; rows?: number; sample?: { mmsi: number }; error?: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level: 'warn' }, sink);
    // 100 reports in one batch, three of them from the refused MMSI.
    const input = lines(100, (i) => (i % 40 === 7 ? 248999999 : 248200000 + i), T0 + 86_400_000);
    const metrics = await ingest(input, logger);
    expect(metrics.rejections.get('database_rejected')).toBe(3);
    expect(metrics.batchRetries).toBe(0);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(97);
    const rejected = logs.filter((l) => /rejected by PostgreSQL/.test(l.msg));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.rows).toBe(3);
    expect(rejected[0]!.sample?.mmsi).toBe(248999999);
    expect(rejected[0]!.error).toMatch(/injected bad row/);
  });
});

describe('a connection killed under a query (found by the chaos bench)', () => {
  it('fails that query, does not end the process, and the pool serves the next one', async () => {
    // A service's pool (the services' role), its client lent to Kysely for a long statement.
    const service = createDatabase({ ...config.db, poolMax: 2 }, quietLogger);
    try {
      const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(service.db)).rows[0]!.pid;
      const running = service.db.transaction().execute((trx) => sql`SELECT pg_sleep(30)`.execute(trx));
      const failed = running.then(() => null, (err: Error) => err);
      // Wait until that backend is inside the sleep, then kill it as an administrator would.
      let sleeping = false;
      for (let i = 0; i < 100 && !sleeping; i++) {
        const { rows } = await database.pool.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'");
        sleeping = rows.length > 0;
        if (!sleeping) await new Promise((r) => setTimeout(r, 50));
      }
      expect(sleeping).toBe(true);
      await database.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1', ['SELECT pg_sleep(30)%']);
      // The client emitted 'error' while lent out: without a listener on it, that event would have
      // been unhandled and ended this process (vitest reports it as an unhandled error).
      expect(await failed).toBeInstanceOf(Error);
      expect((await sql<{ ok: number }>`SELECT 1 AS ok`.execute(service.db)).rows).toEqual([{ ok: 1 }]);
      expect(pid).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
  });
});
