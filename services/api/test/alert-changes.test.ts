import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertRepository, createTokenRepository, readAlertHighWater, type AlertWrite } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../src/app.ts';
import { openTestDatabase, quietLogger, testConfig } from '../../../test/support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
const alerts = createAlertRepository(database.db);
let app: FastifyInstance;
let token: string;

/** An alert as the detector writes it; `n` varies the pair and the time. */
function alertWrite(n: number, status: AlertWrite['status'] = 'closed'): AlertWrite {
  const start = Date.UTC(2025, 0, 1) + n * 3_600_000;
  return {
    key: `test-changes-${n}`,
    status,
    event: {
      pairKey: `${200_000_000 + n}-${300_000_000 + n}`,
      a: 200_000_000 + n,
      b: 300_000_000 + n,
      start,
      end: start + 3 * 3_600_000,
      durationMs: 3 * 3_600_000,
      closestDistanceM: 80,
      medianDistanceM: 120,
      medianSpeedKnA: 0.4,
      medianSpeedKnB: 0.6,
      centroid: { lon: 20 + n / 100, lat: 35 },
      steps: 19,
      runs: 1,
      inPort: false,
      profile: 'gfw-encounter',
      detectorVersion: 'test',
    },
    vesselA: { mmsi: 200_000_000 + n, name: `A ${n}` },
    vesselB: { mmsi: 300_000_000 + n, name: `B ${n}` },
    score: 40,
    scoreFactors: [{ factor: 'duration', points: 40, detail: '3 h' }],
    watchlists: [],
    evidence: { marginS: 3600, trackA: [], trackB: [] },
  };
}

beforeAll(async () => {
  await database.pool.query('TRUNCATE alert_triage_history, alert_evidence, alerts RESTART IDENTITY CASCADE');
  token = (await createTokenRepository(database.db).create({ role: 'viewer', name: 'test-changes' })).token;
  // No fallback poll of the change version: a change reaches the API only by its NOTIFY, so a lost
  // notification fails these tests instead of showing up a second later.
  app = await buildApp({ config, logger: quietLogger, database, redis, changeFeed: { pollMs: 3_600_000 } });
  // A deterministic view of the data set, marked conditional like the alert lists.
  app.get('/test/alert-count', { config: { conditional: 'alerts' } }, async () => {
    const { rows } = await database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM alerts');
    return { alerts: Number(rows[0]!.n) };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  redis.disconnect();
  await database.close();
});

const auth = () => ({ authorization: `Bearer ${token}` });

/** The change_seq an alert got from its last real change (what the ETag version and SSE id must name). */
async function changeSeq(key: string): Promise<string> {
  const { rows } = await database.pool.query<{ s: string }>('SELECT change_seq::text AS s FROM alerts WHERE alert_key = $1', [key]);
  return rows[0]!.s;
}
async function maxChangeSeq(): Promise<string> {
  return readAlertHighWater(database.pool);
}
const versionOf = (etag: unknown) => /^"a(\d+)-/.exec(String(etag))?.[1];

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('conditional GET (ETag / If-None-Match)', () => {
  it('answers 304 while the alerts are unchanged and 200 with a new tag after a change', async () => {
    const first = await app.inject({ method: 'GET', url: '/test/alert-count', headers: auth() });
    expect(first.statusCode).toBe(200);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^"a\d+-[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');

    const again = await app.inject({ method: 'GET', url: '/test/alert-count', headers: { ...auth(), 'if-none-match': tag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(tag);
    // A list of tags and the weak form match too (RFC 9110 weak comparison).
    const listed = await app.inject({ method: 'GET', url: '/test/alert-count', headers: { ...auth(), 'if-none-match': `"other", W/${tag}` } });
    expect(listed.statusCode).toBe(304);

    // Another URL (other filters) or another representation has its own tag.
    const other = await app.inject({ method: 'GET', url: '/test/alert-count?x=1', headers: { ...auth(), 'if-none-match': tag } });
    expect(other.statusCode).toBe(200);

    await alerts.upsert([alertWrite(1)]);
    // The detector's commit reaches the API by NOTIFY; the next poll sees the change.
    const changed = await until(async () => {
      const res = await app.inject({ method: 'GET', url: '/test/alert-count', headers: { ...auth(), 'if-none-match': tag } });
      return res.statusCode === 200 ? res : undefined;
    });
    expect(changed.json()).toEqual({ alerts: 1 });
    expect(changed.headers.etag).not.toBe(tag);
    expect(versionOf(changed.headers.etag)).toBe(await changeSeq('test-changes-1'));
    // Once the change is visible, the old tag never answers 304 again.
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'GET', url: '/test/alert-count', headers: { ...auth(), 'if-none-match': tag } });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe(changed.headers.etag);
    }

    // An identical re-run of the detector changes nothing (no new change_seq, so no new version
    // can ever be published), so the new tag stays valid.
    const before = await maxChangeSeq();
    await alerts.upsert([alertWrite(1)]);
    expect(await maxChangeSeq()).toBe(before);
    const unchanged = await app.inject({ method: 'GET', url: '/test/alert-count', headers: { ...auth(), 'if-none-match': changed.headers.etag as string } });
    expect(unchanged.statusCode).toBe(304);
  });

  it('sees every change, one after another, each under its own version (no notification lost)', async () => {
    const url = '/test/alert-count?sequence=1';
    let tag = (await app.inject({ method: 'GET', url, headers: auth() })).headers.etag as string;
    const seen: string[] = [];
    const written: string[] = [];
    for (let n = 10; n < 20; n++) {
      await alerts.upsert([alertWrite(n)]);
      written.push(await changeSeq(`test-changes-${n}`));
      const res = await until(async () => {
        const r = await app.inject({ method: 'GET', url, headers: { ...auth(), 'if-none-match': tag } });
        return r.statusCode === 200 ? r : r.statusCode === 304 ? undefined : expect.fail(`status ${r.statusCode}`);
      });
      // The change becomes visible whole: the version is this alert's change, not an older one.
      expect(versionOf(res.headers.etag)).toBe(written.at(-1));
      const again = await app.inject({ method: 'GET', url, headers: { ...auth(), 'if-none-match': tag } });
      expect(again.statusCode).toBe(200);
      seen.push(versionOf(res.headers.etag)!);
      tag = res.headers.etag as string;
    }
    expect(seen).toEqual(written);
  });

  it('serves an identical request at the same version from memory, and never after a change', async () => {
    const url = '/test/alert-count?cache=1';
    const first = await app.inject({ method: 'GET', url, headers: auth() });
    expect(first.headers['x-cache']).toBe('miss');
    const second = await app.inject({ method: 'GET', url, headers: auth() });
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);

    await alerts.upsert([alertWrite(50)]);
    const fresh = await until(async () => {
      const res = await app.inject({ method: 'GET', url, headers: auth() });
      return res.headers.etag !== first.headers.etag ? res : undefined;
    });
    expect(fresh.headers['x-cache']).toBe('miss');
    expect(fresh.json().alerts).toBe(first.json().alerts + 1);
    // No token, no cached body either.
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('authenticates before answering 304', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/alert-count', headers: auth() });
    const noToken = await app.inject({ method: 'GET', url: '/test/alert-count', headers: { 'if-none-match': res.headers.etag as string } });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.headers.etag).toBeUndefined();
  });
});

/** Reads a text/event-stream over a real socket; `events` fills as they arrive. */
function openStream(headers: Record<string, string>, query = '') {
  const { port } = app.server.address() as AddressInfo;
  const events: { id: string; event: string; data: unknown }[] = [];
  let status = 0;
  let contentType = '';
  let buffer = '';
  const req = http.get({ host: '127.0.0.1', port, path: `/v1/alerts/stream${query}`, headers: { ...auth(), ...headers } }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
        );
        if (fields['data'] !== undefined) events.push({ id: fields['id'] ?? '', event: fields['event'] ?? '', data: JSON.parse(fields['data']) });
      }
    });
  });
  req.on('error', () => undefined);
  return { events, status: () => status, contentType: () => contentType, close: () => req.destroy() };
}

describe('GET /v1/alerts/stream (Server-Sent Events)', () => {
  it('pushes a new alert, and after a reconnect with Last-Event-ID replays exactly what was missed', async () => {
    const stream = openStream({});
    await until(async () => (stream.status() ? true : undefined));
    expect(stream.status()).toBe(200);
    expect(stream.contentType()).toMatch(/^text\/event-stream/);

    await alerts.upsert([alertWrite(2, 'ongoing')]);
    await until(async () => (stream.events.length >= 1 ? true : undefined));
    expect(stream.events[0]).toMatchObject({ event: 'alert', data: expect.objectContaining({ key: 'test-changes-2', status: 'ongoing' }) });
    expect(stream.events.map((e) => e.id)).toEqual([await changeSeq('test-changes-2')]);
    const lastSeen = stream.events[0]!.id;
    stream.close();

    // While disconnected: the meeting closes and a new one appears.
    await alerts.upsert([alertWrite(2, 'closed'), alertWrite(3)]);

    const resumed = openStream({ 'last-event-id': lastSeen });
    await until(async () => (resumed.events.length >= 2 ? true : undefined));
    expect(resumed.events.map((e) => (e.data as { key: string; status: string }).key)).toEqual(['test-changes-2', 'test-changes-3']);
    expect((resumed.events[0]!.data as { status: string }).status).toBe('closed');
    // Ids grow in change order.
    const ids = resumed.events.map((e) => BigInt(e.id));
    expect(ids[0]! > BigInt(lastSeen) && ids[1]! > ids[0]!).toBe(true);

    // Live again after the replay.
    await alerts.upsert([alertWrite(4)]);
    await until(async () => (resumed.events.length >= 3 ? true : undefined));
    expect((resumed.events[2]!.data as { key: string }).key).toBe('test-changes-4');
    // Exactly the committed changes after Last-Event-ID, in order: none lost, none repeated.
    const { rows } = await database.pool.query<{ id: string; key: string }>(
      'SELECT change_seq::text AS id, alert_key AS key FROM alerts WHERE change_seq > $1 ORDER BY change_seq',
      [lastSeen],
    );
    expect(resumed.events.map((e) => ({ id: e.id, key: (e.data as { key: string }).key }))).toEqual(rows);
    // Live changes come one by one, each by its own notification.
    for (let n = 5; n < 10; n++) {
      await alerts.upsert([alertWrite(n)]);
      const id = await changeSeq(`test-changes-${n}`);
      await until(async () => (resumed.events.some((e) => e.id === id) ? true : undefined));
    }
    const after = await database.pool.query<{ id: string }>('SELECT change_seq::text AS id FROM alerts WHERE change_seq > $1 ORDER BY change_seq', [lastSeen]);
    expect(resumed.events.map((e) => e.id)).toEqual(after.rows.map((r) => r.id));
    resumed.close();
  });

  it('rejects a Last-Event-ID that is not one of its ids, and requires a token', async () => {
    const bad = await app.inject({ method: 'GET', url: '/v1/alerts/stream', headers: { ...auth(), 'last-event-id': "1' OR 1=1" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const anonymous = await app.inject({ method: 'GET', url: '/v1/alerts/stream' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('change_seq (migrations/0006)', () => {
  it('is drawn in commit order: a second writer waits until the first has committed', async () => {
    const first = await database.pool.connect();
    const second = await database.pool.connect();
    try {
      await first.query('BEGIN');
      await first.query("UPDATE alerts SET triage_note = 'first' WHERE alert_key = 'test-changes-3' RETURNING change_seq");
      await second.query('BEGIN');
      const secondPid = (await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      let secondDone = false;
      const secondWrite = second
        .query<{ change_seq: string }>("UPDATE alerts SET triage_note = 'second' WHERE alert_key = 'test-changes-4' RETURNING change_seq")
        .then((r) => {
          secondDone = true;
          return r.rows[0]!.change_seq;
        });
      // Wait until PostgreSQL shows the second writer blocked on a lock (or done, which fails below).
      await until(async () => {
        const { rows: waiting } = await database.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'",
          [secondPid],
        );
        return waiting[0]!.n > 0 || secondDone ? true : undefined;
      });
      // Another row, yet it waits: otherwise it could commit a higher number before the first
      // commits a lower one, and a reader at "after N" would skip the lower one for ever.
      expect(secondDone).toBe(false);
      const { rows } = await first.query<{ change_seq: string }>("SELECT change_seq FROM alerts WHERE alert_key = 'test-changes-3'");
      await first.query('COMMIT');
      const secondSeq = await secondWrite;
      await second.query('COMMIT');
      expect(BigInt(secondSeq) > BigInt(rows[0]!.change_seq)).toBe(true);
    } finally {
      first.release();
      second.release();
    }
  });
});
