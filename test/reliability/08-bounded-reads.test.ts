// Issue 11 item 8: no API read is unbounded — a vessel's anomalies read a bounded range of
// positions with a row cap, a statement that runs too long is cancelled (statement_timeout) and
// answered 503 problem+json, and the HTTP server times out slow requests and idle connections.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createIdentityRepository } from '@rendezvous/db';
import { isAppError } from '@rendezvous/errors';
import { apiFactory, bearer, issueToken, listen, until } from '../../services/api/test/support/api-harness.ts';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';

const database = openTestDatabase(testConfig());
const apis = apiFactory();
const sockets: net.Socket[] = [];
const MMSI = 636_099_101;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 1, 12);

beforeAll(async () => {
  await resetIngestTables(database);
  // 90 days of reports, one a day: three months of history for one vessel.
  await storePositions(database, ...Array.from({ length: 90 }, (_, d) => [position(MMSI, T0 + d * DAY, 22.6 + d / 1000, 36.8, 0.3)]));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await apis.closeAll();
});
afterAll(async () => {
  await database.close();
});

describe('bounded reads and timeouts (issue 11 item 8)', () => {
  it('reads a bounded range of positions for /v1/vessels/:mmsi/anomalies without from/to, and refuses a range over 31 days', async () => {
    const { app, database: db } = await apis.start();
    const { token } = await issueToken(db);
    const res = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/anomalies`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    // The range read is said, ends at the vessel's last report and spans at most 31 days.
    const { range } = res.json() as { range: { from: string; to: string } };
    expect(range).toBeDefined();
    const span = Date.parse(range.to) - Date.parse(range.from);
    expect(span).toBeGreaterThan(0);
    expect(span).toBeLessThanOrEqual(31 * DAY);
    expect(Date.parse(range.to)).toBeGreaterThan(T0 + 89 * DAY);

    for (const query of [`from=${new Date(T0).toISOString()}&to=${new Date(T0 + 90 * DAY).toISOString()}`, `from=${new Date(T0).toISOString()}`]) {
      const wide = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/anomalies?${query}`, headers: bearer(token) });
      expect(wide.statusCode, query).toBe(400);
      expect(wide.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(wide.json().detail).toMatch(/31 days/);
    }
    const month = await app.inject({
      method: 'GET',
      url: `/v1/vessels/${MMSI}/anomalies?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 30 * DAY).toISOString()}`,
      headers: bearer(token),
    });
    expect(month.statusCode).toBe(200);
  });

  it('caps the positions one identity read loads: past the cap it is a 400-class error, not an unbounded array', async () => {
    const identity = createIdentityRepository(database.db);
    const range = { from: new Date(T0), to: new Date(T0 + 10 * DAY) };
    const facts = await identity.factsForVessel(MMSI, { ...range, maxPositions: 10 });
    expect(facts.track).toHaveLength(10);
    const over = await identity.factsForVessel(MMSI, { ...range, maxPositions: 5 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isAppError(over) && over.statusCode).toBe(400);
  });

  it('cancels a statement that outlives API_STATEMENT_TIMEOUT_MS and answers 503 problem+json, never a hang or a 500', async () => {
    const { app, database: db } = await apis.start({ API_STATEMENT_TIMEOUT_MS: '300' });
    const { token } = await issueToken(db);
    // Another session holds the vessels table: the route's read waits on the lock until its
    // statement_timeout cancels it (lock_timeout, 10 s, is longer).
    const locker = await database.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE vessels IN ACCESS EXCLUSIVE MODE');
      const res = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}`, headers: bearer(token) });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json()).toMatchObject({ status: 503, title: 'statement_timeout', requestId: expect.any(String) });
      expect(res.body).not.toMatch(/SELECT|vessels|canceling/i);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    // The pool is healthy afterwards.
    expect((await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}`, headers: bearer(token) })).statusCode).toBe(200);
  });

  it('closes a slow-loris request after HTTP_REQUEST_TIMEOUT_MS, and an idle connection after HTTP_CONNECTION_TIMEOUT_MS', async () => {
    const { app } = await apis.start({ HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_CONNECTION_TIMEOUT_MS: '1500' });
    const port = await listen(app);

    // Headers dribbled one short line at a time, never finished.
    const loris = net.connect(port, '127.0.0.1');
    sockets.push(loris);
    let lorisClosed = false;
    let answer = '';
    loris.on('data', (d) => (answer += d.toString()));
    loris.on('close', () => (lorisClosed = true));
    loris.on('error', () => undefined);
    loris.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    const drip = setInterval(() => {
      if (!loris.destroyed) loris.write(`X-Drip-${n++}: 1\r\n`);
    }, 100);
    try {
      await until(() => (lorisClosed ? true : undefined), 'slow request closed', 8_000);
    } finally {
      clearInterval(drip);
    }
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);

    // A connection that never sends a byte.
    const idle = net.connect(port, '127.0.0.1');
    sockets.push(idle);
    let idleClosed = false;
    idle.on('close', () => (idleClosed = true));
    idle.on('error', () => undefined);
    // Reading, so the server's close reaches this side as end-of-stream.
    idle.resume();
    await until(() => (idleClosed ? true : undefined), 'idle connection closed', 8_000);
  });

  it('every connection runs under statement, lock and idle-in-transaction timeouts: a few seconds for the API, longer for the workers', async () => {
    const config = testConfig();
    const show = async (handle: { pool: { query: (q: string) => Promise<{ rows: Record<string, string>[] }> } }) => {
      const settings: Record<string, string> = {};
      for (const name of ['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout']) {
        settings[name] = (await handle.pool.query(`SHOW ${name}`)).rows[0]![name]!;
      }
      return settings;
    };
    // As services/api/src/main.ts and the workers (ingest, detector) open their pools.
    const api = createDatabase({ ...config.db, poolMax: 1, statementTimeoutMs: config.http.statementTimeoutMs }, quietLogger);
    const worker = createDatabase({ ...config.db, poolMax: 1 }, quietLogger);
    try {
      expect(await show(api)).toEqual({ statement_timeout: '5s', lock_timeout: '10s', idle_in_transaction_session_timeout: '1min' });
      expect(await show(worker)).toEqual({ statement_timeout: '5min', lock_timeout: '10s', idle_in_transaction_session_timeout: '1min' });
    } finally {
      await Promise.all([api.close(), worker.close()]);
    }
  });

  it("the detector's connections run with jit off (services/detector/src/main.ts), from the first query and after a reconnect; others keep the server's setting", async () => {
    const config = testConfig();
    const detector = createDatabase({ ...config.db, poolMax: 1, jit: false }, quietLogger);
    const other = createDatabase({ ...config.db, poolMax: 1 }, quietLogger);
    const jit = async (handle: typeof detector) => (await handle.pool.query('SHOW jit')).rows[0]!.jit as string;
    try {
      const serverDefault = await jit(other);
      expect(await jit(detector)).toBe('off');
      // A startup parameter, not a SET after connecting: a new backend (after a server restart) has it too.
      const pid = (await detector.pool.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid as number;
      await other.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // The pool drops the broken client on its failed query; the next query gets a new backend.
      await until(async () => {
        const now = await detector.pool.query('SELECT pg_backend_pid() AS pid').then((r) => r.rows[0]!.pid as number, () => pid);
        return now !== pid ? now : undefined;
      }, 'a new backend for the detector pool');
      expect(await jit(detector)).toBe('off');
      expect(await jit(other)).toBe(serverDefault);
    } finally {
      await Promise.all([detector.close(), other.close()]);
    }
  });
});
