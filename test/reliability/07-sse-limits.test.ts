// Issue 11 item 7: the alert stream (/v1/alerts/stream) under load and abuse — back-pressure and a
// bounded buffer per stream, caps per token and in total, one change query per change whatever
// the number of streams, revoked tokens' streams closed, paged replays.
import type { ServerResponse } from 'node:http';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlertRepository, createDatabase, createTokenRepository, readAlertHighWater, type Database, type DatabaseHandle } from '@rendezvous/db';
import { alertWrite, apiFactory, bearer, issueToken, listen, sseClient, until } from '../../services/api/test/support/api-harness.ts';
import { openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const alerts = createAlertRepository(database.db);
const apis = apiFactory();
const clients: { close(): void }[] = [];

beforeAll(async () => {
  await database.pool.query('TRUNCATE alert_triage_history, alert_evidence, alerts RESTART IDENTITY CASCADE');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await apis.closeAll();
});
afterAll(async () => {
  await database.close();
});

const open = (port: number, token: string, path = '/v1/alerts/stream', headers: Record<string, string> = {}) => {
  const client = sseClient(port, path, { ...bearer(token), ...headers });
  clients.push(client);
  return client;
};
const status = (c: ReturnType<typeof open>) => until(() => c.state.status || undefined, 'response status');
const seq = () => readAlertHighWater(database.pool);

/**
 * A database handle whose Kysely logs every statement: counts the stream's change reads
 * ("change_seq > $n" in change order) and records their LIMIT. Same pool, same real SQL.
 */
function countingDatabase() {
  const base = createDatabase({ ...config.db, poolMax: 4 }, quietLogger);
  const counter = { changeQueries: 0, limits: [] as number[] };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: base.pool }),
    log(event) {
      if (event.level === 'query' && /change_seq > \$\d+::bigint/.test(event.query.sql)) {
        counter.changeQueries++;
        counter.limits.push(Number(event.query.parameters.at(-1)));
      }
    },
  });
  const handle: DatabaseHandle = { pool: base.pool, db, close: () => base.close() };
  return { handle, counter };
}

/** The server's side of each stream: its response, and the most it ever held unsent. */
function watchServerStreams(server: import('node:http').Server) {
  const streams: { res: ServerResponse; peakBuffered: number; eventsWritten: number }[] = [];
  server.on('request', (req, res: ServerResponse) => {
    if (!req.url?.startsWith('/v1/alerts/stream')) return;
    const s = { res, peakBuffered: 0, eventsWritten: 0 };
    streams.push(s);
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      const ok = write(...args);
      if (String(args[0]).includes('event: alert')) s.eventsWritten += String(args[0]).split('event: alert').length - 1;
      s.peakBuffered = Math.max(s.peakBuffered, res.writableLength);
      return ok;
    }) as ServerResponse['write'];
  });
  return streams;
}

/** `count` alerts of about `pad` bytes each, committed `batch` per statement. */
async function seedBigAlerts(prefix: string, count: number, pad: number, batch = 50) {
  for (let i = 0; i < count; i += batch) {
    await alerts.upsert(Array.from({ length: Math.min(batch, count - i) }, (_, j) => alertWrite(`${prefix}-${i + j}`, i + j, pad)));
  }
}

describe('alert stream limits (issue 11 item 7)', () => {
  it('answers 429 problem+json to the (N+1)th stream of a token and beyond the process total, and frees a slot on close', async () => {
    const { app, database: db } = await apis.start({ SSE_MAX_STREAMS_PER_TOKEN: '2', SSE_MAX_STREAMS: '3' });
    const port = await listen(app);
    const [a, b, c] = [await issueToken(db), await issueToken(db), await issueToken(db)];
    const a1 = open(port, a.token);
    const a2 = open(port, a.token);
    expect([await status(a1), await status(a2)]).toEqual([200, 200]);
    const a3 = open(port, a.token);
    expect(await status(a3)).toBe(429);
    expect(a3.state.headers['content-type']).toMatch(/^application\/problem\+json/);
    await until(() => (a3.state.body.includes('}') ? true : undefined), '429 body');
    expect(a3.json()).toMatchObject({ status: 429, title: 'too_many_streams', detail: expect.stringMatching(/2 open streams per token/) });

    // Another token has its own allowance, up to the process total (3).
    const b1 = open(port, b.token);
    expect(await status(b1)).toBe(200);
    const c1 = open(port, c.token);
    expect(await status(c1)).toBe(429);
    await until(() => (c1.state.body.includes('}') ? true : undefined), '429 body');
    expect(c1.json()).toMatchObject({ status: 429, detail: expect.stringMatching(/3 open streams/) });

    // Closing a stream gives its slot back (the server notices the closed socket).
    a1.close();
    const retry = await until(async () => {
      const attempt = open(port, c.token);
      const s = await status(attempt);
      if (s === 200) return attempt;
      attempt.close();
      return undefined;
    }, 'a freed slot');
    expect(retry.state.status).toBe(200);
  });

  it('reads each change once for every open stream (one shared query, not one per stream)', async () => {
    const counting = countingDatabase();
    const { app, database: db } = await apis.start({ SSE_MAX_STREAMS_PER_TOKEN: '10' }, {}, counting.handle);
    const port = await listen(app);
    const { token } = await issueToken(db);
    const streams = Array.from({ length: 6 }, () => open(port, token));
    for (const s of streams) expect(await status(s)).toBe(200);
    // Wait until each stream has started (its opening comment arrives with the headers).
    counting.counter.changeQueries = 0;

    await alerts.upsert([alertWrite('shared-1', 1)]);
    await until(() => (streams.every((s) => s.state.events.length === 1) ? true : undefined), 'every stream got the change');
    expect(counting.counter.changeQueries).toBe(1);

    await alerts.upsert([alertWrite('shared-2', 2), alertWrite('shared-3', 3)]);
    await until(() => (streams.every((s) => s.state.events.length === 3) ? true : undefined), 'every stream got both changes');
    expect(counting.counter.changeQueries).toBe(2);
    for (const s of streams) expect(s.state.events.map((e) => JSON.parse(e.data).key)).toEqual(['shared-1', 'shared-2', 'shared-3']);
  });

  it('closes a live stream whose client stops reading once its buffer bound is passed; the client resumes after Last-Event-ID with nothing lost', async () => {
    const maxBufferedBytes = 256 * 1024;
    const { app, database: db } = await apis.start({}, { sse: { maxBufferedBytes } });
    const streams = watchServerStreams(app.server);
    const port = await listen(app);
    const { token } = await issueToken(db);
    const before = await seq();
    const slow = open(port, token);
    expect(await status(slow)).toBe(200);
    await until(() => (slow.state.body.includes('resuming') ? true : undefined), 'stream opened');
    slow.pause();

    // ~16 MB of changes: more than the kernel's socket buffers hold, so the rest would pile up
    // in the server's memory if it kept writing.
    const total = 1000;
    await seedBigAlerts('slow', total, 16_000);
    const server = streams[0]!;
    await until(() => (server.res.destroyed || server.res.writableEnded ? true : undefined), 'server closed the stalled stream');
    // Never more than the bound plus the one event that crossed it.
    expect(server.peakBuffered).toBeLessThanOrEqual(maxBufferedBytes + 20_000);
    expect(server.eventsWritten).toBeLessThan(total);

    // The client reads what reached it, then resumes where it stopped: every change, once, in order.
    slow.resume();
    await until(() => (slow.state.ended ? true : undefined), 'client saw the end');
    const got = slow.state.events.map((e) => e.id);
    const resumed = open(port, token, '/v1/alerts/stream', { 'last-event-id': got.at(-1) ?? before });
    await until(() => (got.length + resumed.state.events.length >= total ? true : undefined), 'replay of the rest', 30_000);
    const ids = [...got, ...resumed.state.events.map((e) => e.id)].map(BigInt);
    expect(ids.length).toBe(total);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('pages a long ?since= replay and waits for the socket to drain instead of buffering it', async () => {
    const counting = countingDatabase();
    const maxBufferedBytes = 256 * 1024;
    const { app, database: db } = await apis.start({}, { sse: { maxBufferedBytes } }, counting.handle);
    const streams = watchServerStreams(app.server);
    const port = await listen(app);
    const { token } = await issueToken(db);
    const before = await seq();
    const total = 1000;
    await seedBigAlerts('replay', total, 16_000);

    const reader = open(port, token, `/v1/alerts/stream?since=${before}`);
    expect(await status(reader)).toBe(200);
    reader.pause();
    const server = await until(() => streams[0], 'server stream');
    // Either the server waits for the socket (a 'drain' listener on its response) or, as it did
    // before, it has pushed every event into memory.
    await until(() => (server.res.listenerCount('drain') > 0 || server.eventsWritten >= total ? true : undefined), 'server stalled or done');
    expect(server.eventsWritten).toBeLessThan(total);
    expect(server.peakBuffered).toBeLessThanOrEqual(maxBufferedBytes + 20_000);
    const queriesWhileStalled = counting.counter.changeQueries;
    expect(queriesWhileStalled).toBeLessThan(total / 500 + 1);

    reader.resume();
    await until(() => (reader.state.events.length >= total ? true : undefined), 'the whole replay', 30_000);
    expect(reader.state.events.length).toBe(total);
    expect(new Set(reader.state.events.map((e) => e.id)).size).toBe(total);
    // Every read is one bounded page.
    expect(Math.max(...counting.counter.limits)).toBeLessThanOrEqual(500);
  });

  it("closes a revoked token's open stream within the revocation window", async () => {
    const { app, database: db } = await apis.start({}, { auth: { cacheTtlMs: 300 } });
    const port = await listen(app);
    const revoked = await issueToken(db, 'viewer', 'reliability-revoked');
    const kept = await issueToken(db, 'viewer', 'reliability-kept');
    const doomed = open(port, revoked.token);
    const alive = open(port, kept.token);
    expect([await status(doomed), await status(alive)]).toEqual([200, 200]);
    await createTokenRepository(database.db).revoke(revoked.id);
    await until(() => (doomed.state.ended ? true : undefined), 'revoked stream closed', 5_000);
    // Other tokens' streams are untouched and still receive changes.
    await alerts.upsert([alertWrite('after-revoke', 7)]);
    await until(() => (alive.state.events.some((e) => JSON.parse(e.data).key === 'after-revoke') ? true : undefined), 'live stream still served');
    expect(alive.state.ended).toBe(false);
  });
});
