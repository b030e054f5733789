import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRepository } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../../services/api/src/app.ts';
import { createHookShare } from '../../services/api/src/webhooks/hook-share.ts';
import { PER_HOOK_IN_FLIGHT, WEBHOOK_QUEUE } from '../../services/api/src/webhooks/webhook-delivery.ts';
import { openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';
import { waitFor } from '../support/wait.ts';
import { resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

/**
 * Webhooks against real receivers (node:http on port 0), with the app's own dispatcher and
 * BullMQ worker on the test database and Redis. Retries are shortened (WEBHOOK_RETRY_BASE_MS=100:
 * eight attempts span about 13 s) and the endpoint timeout lengthened (a hanging endpoint holds
 * its requests until the test lets go). Each test's hooks filter on MMSIs of its own and are
 * disabled after it, so one test's changes never reach another's receivers.
 */
const config = testConfig({ RATE_LIMIT_MAX: '1000000', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_TIMEOUT_MS: '60000' });
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
const tokens = {} as Record<'viewer' | 'analyst' | 'admin', string>;
// Everything the app logs, at every level: no line may carry a hook's secret (last test).
const logLines: string[] = [];
const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
const secrets: string[] = [];
let app: FastifyInstance;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  await resetAlerts(database);
  await database.pool.query('TRUNCATE webhook_deliveries, webhooks');
  const queue = new Queue(WEBHOOK_QUEUE, { connection: redis, prefix: config.redis.prefix });
  await queue.obliterate({ force: true });
  await queue.close();
  const repo = createTokenRepository(database.db);
  for (const role of ['viewer', 'analyst', 'admin'] as const) tokens[role] = (await repo.create({ role, name: `webhooks-${role}` })).token;
  app = await buildApp({ config, logger, database, redis });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  const { rows } = await database.pool.query<{ id: number }>('SELECT id FROM webhooks WHERE disabled_at IS NULL');
  for (const { id } of rows) await app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: as('admin') });
});
afterAll(async () => {
  await app?.close();
  redis.disconnect();
  await database.close();
});

const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });
const HOUR = 3_600_000;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver answering each request with `status(n)` (n = 1 for the first request). */
async function receiver(status: (n: number) => number = () => 204) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = status(got.length);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${port}/hooks/rendezvous?source=test`, got };
}

/** A receiver that takes requests and never answers them; counts how many it holds at once. */
async function hangingReceiver() {
  const sockets = new Set<Socket>();
  let open = 0;
  let most = 0;
  const server = http.createServer((req) => {
    open++;
    most = Math.max(most, open);
    req.socket.once('close', () => open--);
  });
  server.on('connection', (s) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  closers.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${port}/slow`, held: () => open, mostAtOnce: () => most };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function register(body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: as('admin'), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  const hook = res.json() as { id: number; secret: string; url: string; filter: Record<string, unknown> };
  secrets.push(hook.secret);
  return hook;
}

async function deliveryLog(hookId: number, query = '') {
  const res = await app.inject({ method: 'GET', url: `/v1/webhooks/${hookId}/deliveries${query}`, headers: as('admin') });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: { id: number; alertId: number; changeSeq: string; kind: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null; deliveredAt: string | null }[];
    nextBefore: number | null;
  };
}

const seed = (key: string, a: number, b: number, extra: Partial<SeedAlert> = {}): SeedAlert => ({
  key,
  a,
  b,
  start: Date.UTC(2025, 2, 1, 6) + (a % 1000) * HOUR,
  hours: 3,
  lon: 23.1,
  lat: 36.6,
  score: 60,
  ...extra,
});

/** Seeds one alert (its own statement, so its change_seq is after every earlier one's) and returns its id and change_seq. */
async function seedOne(s: SeedAlert): Promise<{ id: number; seq: bigint }> {
  const id = (await seedAlerts(database, [s])).get(s.key)!;
  const { rows } = await database.pool.query<{ seq: string }>('SELECT change_seq::text AS seq FROM alerts WHERE id = $1', [id]);
  return { id, seq: BigInt(rows[0]!.seq) };
}

/** Resolves once the dispatcher has handled every change up to `seq`. */
async function dispatchedThrough(seq: bigint): Promise<void> {
  const done = await waitFor(async () => {
    const { rows } = await database.pool.query<{ seq: string }>('SELECT last_seq::text AS seq FROM webhook_dispatch_cursor');
    return rows[0] && BigInt(rows[0].seq) >= seq;
  }, 15_000);
  expect(done, `dispatcher cursor reached ${seq}`).toBe(true);
}

function verifySignature(secret: string, r: Received): boolean {
  const timestamp = String(r.headers['x-rendezvous-timestamp']);
  const given = Buffer.from(String(r.headers['x-rendezvous-signature']));
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook registration', () => {
  it('needs an admin token', async () => {
    const body = { url: 'https://example.org/hook' };
    expect((await app.inject({ method: 'POST', url: '/v1/webhooks', payload: body })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/webhooks' })).statusCode).toBe(401);
    for (const role of ['viewer', 'analyst'] as const) {
      expect((await app.inject({ method: 'POST', url: '/v1/webhooks', headers: as(role), payload: body })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: as(role) })).statusCode).toBe(403);
      expect((await app.inject({ method: 'DELETE', url: '/v1/webhooks/1', headers: as(role) })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/v1/webhooks/1/deliveries', headers: as(role) })).statusCode).toBe(403);
    }
  });

  it('refuses bad URLs and filters with a problem+json 400', async () => {
    const bad: Record<string, unknown>[] = [
      {},
      { url: 'ftp://example.org/hook' },
      { url: 'javascript:alert(1)' },
      { url: 'not a url at all' },
      { url: 'http://' },
      { url: 'https://example.org/hook#fragment' },
      { url: 'https://user:password@example.org/hook' },
      { url: `https://example.org/${'a'.repeat(2048)}` },
      { url: 'https://example.org/hook', filter: { colour: ['red'] } },
      { url: 'https://example.org/hook', filter: { types: ['piracy'] } },
      { url: 'https://example.org/hook', filter: { statuses: [] } },
      { url: 'https://example.org/hook', filter: { minScore: 101 } },
      { url: 'https://example.org/hook', filter: { watchlists: ['Not A List Name'] } },
      { url: 'https://example.org/hook', filter: { mmsi: [1_000_000_000] } },
      { url: 'https://example.org/hook', filter: 'types=rendezvous' },
      { url: 'https://example.org/hook', secret: 'short' },
      { url: 'ftp://example.org/hook', secret: 'refused-hook-secret-0001' },
      { url: 'https://example.org/hook', unknown: true },
    ];
    for (const payload of bad) {
      const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: as('admin'), payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await database.pool.query('SELECT count(*)::int AS n FROM webhooks WHERE url LIKE $1', ['%example.org%'])).rows[0].n).toBe(0);
    secrets.push('refused-hook-secret-0001');
  });

  it('returns the secret once: at creation, never in the list or a single read', async () => {
    const generated = await register({ url: 'https://example.org/hook', description: 'ops bridge', filter: { types: ['rendezvous'], minScore: 40 } });
    expect(generated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const chosen = await register({ url: 'http://example.org/other', secret: 'a-shared-secret-of-ours' });
    expect(chosen.secret).toBe('a-shared-secret-of-ours');
    expect(chosen.filter).toEqual({});
    // The scheme is case-insensitive (RFC 3986 §3.1), in the route and in the table's check alike.
    expect((await register({ url: 'HTTPS://example.org/Upper' })).url).toBe('HTTPS://example.org/Upper');

    const list = await app.inject({ method: 'GET', url: '/v1/webhooks', headers: as('admin') });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: Record<string, unknown>[] }).items;
    expect(items.find((h) => h.id === generated.id)).toMatchObject({ url: 'https://example.org/hook', description: 'ops bridge', filter: { types: ['rendezvous'], minScore: 40 }, disabledAt: null, createdBy: expect.stringMatching(/^webhooks-admin \(token \d+\)$/) });
    expect(list.body).not.toContain(generated.secret);
    expect(list.body).not.toContain(chosen.secret);
    const one = await app.inject({ method: 'GET', url: `/v1/webhooks/${chosen.id}`, headers: as('admin') });
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain(chosen.secret);
    expect((await app.inject({ method: 'GET', url: '/v1/webhooks/999999', headers: as('admin') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/v1/webhooks/999999', headers: as('admin') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/webhooks/999999/deliveries', headers: as('admin') })).statusCode).toBe(404);
  });
});

describe('webhook delivery', () => {
  it('POSTs each matching change once, signed with the secret; a change the filter refuses is not sent', async () => {
    const hookReceiver = await receiver();
    const hook = await register({ url: hookReceiver.url, filter: { mmsi: [412000101], minScore: 50, statuses: ['ongoing', 'closed'] } });

    // In change order: a low score on the watched vessel, another pair, then the match.
    const lowScore = await seedOne(seed('wh-low', 412000101, 413000101, { score: 20 }));
    const otherPair = await seedOne(seed('wh-other', 412000199, 413000199));
    const match = await seedOne(seed('wh-match', 413000102, 412000101, { watchlists: ['demo'] }));

    expect(await waitFor(() => hookReceiver.got.length >= 1, 15_000)).toBe(true);
    // Changes are dispatched in change_seq order: by the time the match is sent, the two before it were judged.
    await dispatchedThrough(match.seq);
    expect(hookReceiver.got).toHaveLength(1);
    const [request] = hookReceiver.got;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(verifySignature(hook.secret, request!)).toBe(true);
    expect(verifySignature('whsec_not-the-secret', request!)).toBe(false);
    const body = JSON.parse(request!.body) as { delivery: number; webhook: number; change: { seq: string; kind: string }; alert: Record<string, unknown> };
    expect(body.webhook).toBe(hook.id);
    expect(String(body.delivery)).toBe(request!.headers['x-rendezvous-delivery']);
    expect(body.change).toEqual({ seq: match.seq.toString(), kind: 'created' });
    expect(body.alert).toMatchObject({ id: match.id, key: 'wh-match', type: 'rendezvous', status: 'closed', score: 60, watchlists: ['demo'], changeSeq: match.seq.toString() });
    expect((body.alert.vesselA as { mmsi: number }).mmsi).toBe(413000102);
    const n = await database.pool.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE alert_id = ANY($1)', [[lowScore.id, otherPair.id]]);
    expect(n.rows[0].n).toBe(0);

    // Triage is a change too; an unrelated change after it is not, and nothing is sent twice.
    const triage = await app.inject({ method: 'PATCH', url: `/v1/alerts/${match.id}`, headers: as('analyst'), payload: { state: 'escalated', note: 'tanker on the list' } });
    expect(triage.statusCode).toBe(200);
    expect(await waitFor(() => hookReceiver.got.length >= 2, 15_000)).toBe(true);
    const later = await seedOne(seed('wh-later', 412000198, 413000198));
    await dispatchedThrough(later.seq);
    expect(hookReceiver.got).toHaveLength(2);
    const second = JSON.parse(hookReceiver.got[1]!.body) as { delivery: number; change: { kind: string }; alert: { triage: { state: string } } };
    expect(second.change.kind).toBe('triaged');
    expect(second.alert.triage.state).toBe('escalated');
    expect(second.delivery).not.toBe(body.delivery);
    expect(verifySignature(hook.secret, hookReceiver.got[1]!)).toBe(true);

    const log = await deliveryLog(hook.id);
    expect(log.items.map((d) => [d.alertId, d.kind, d.status, d.attempts, d.lastStatusCode])).toEqual([
      [match.id, 'triaged', 'delivered', 1, 204],
      [match.id, 'created', 'delivered', 1, 204],
    ]);
  });

  it('retries a failing endpoint with backoff: 500, 500, then 200 is delivered on the third attempt', async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    const hook = await register({ url: flaky.url, filter: { mmsi: [412000201] } });
    const alert = await seedOne(seed('wh-flaky', 412000201, 413000201));

    const delivered = await waitFor(async () => (await deliveryLog(hook.id)).items.find((d) => d.status === 'delivered'), 20_000);
    expect(delivered, JSON.stringify(await deliveryLog(hook.id))).toBeDefined();
    expect(delivered).toMatchObject({ alertId: alert.id, changeSeq: alert.seq.toString(), kind: 'created', attempts: 3, lastStatusCode: 200, lastError: null });
    expect(delivered!.deliveredAt).not.toBeNull();
    expect(flaky.got).toHaveLength(3);
    // Every attempt carries the same delivery and body, each signed for its own timestamp.
    expect(new Set(flaky.got.map((r) => r.body)).size).toBe(1);
    expect(new Set(flaky.got.map((r) => r.headers['x-rendezvous-delivery'])).size).toBe(1);
    for (const r of flaky.got) expect(verifySignature(hook.secret, r)).toBe(true);
  });

  it('a dead endpoint does not hold up a healthy hook registered alongside', async () => {
    const dead = await register({ url: `http://127.0.0.1:${await closedPort()}/gone`, filter: { mmsi: [412000301] } });
    const healthy = await receiver();
    const good = await register({ url: healthy.url, filter: { mmsi: [412000301] } });
    await seedOne(seed('wh-dead', 412000301, 413000301));

    const state = await waitFor(async () => {
      const [d, g] = [(await deliveryLog(dead.id)).items[0], (await deliveryLog(good.id)).items[0]];
      return d && g && d.attempts >= 1 && g.status === 'delivered' ? { d, g } : undefined;
    }, 15_000);
    expect(state).toBeDefined();
    expect(healthy.got).toHaveLength(1);
    expect(state!.g.attempts).toBe(1);
    // The dead hook's delivery is still being retried (eight attempts take ~13 s here) while the healthy one is done.
    expect(state!.d.status).toBe('pending');
    expect(state!.d.lastStatusCode).toBeNull();
    expect(state!.d.lastError).toMatch(/ECONNREFUSED/);
  });

  it('gives up after the last attempt: the delivery is failed, with eight attempts and the last error', async () => {
    const dead = await register({ url: `http://127.0.0.1:${await closedPort()}/gone`, filter: { mmsi: [412000351] } });
    const alert = await seedOne(seed('wh-give-up', 412000351, 413000351));
    const failed = await waitFor(async () => (await deliveryLog(dead.id)).items.find((d) => d.status === 'failed'), 40_000);
    expect(failed, JSON.stringify(await deliveryLog(dead.id))).toMatchObject({ alertId: alert.id, attempts: 8, lastStatusCode: null, deliveredAt: null });
    expect(failed!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('re-dispatching changes already dispatched (a crash before the cursor moved) sends nothing twice', async () => {
    const r = await receiver();
    const hook = await register({ url: r.url, filter: { mmsi: [412000361] } });
    const { rows } = await database.pool.query<{ seq: string }>('SELECT last_seq::text AS seq FROM webhook_dispatch_cursor');
    const alert = await seedOne(seed('wh-again', 412000361, 413000361));
    expect(await waitFor(async () => (await deliveryLog(hook.id)).items[0]?.status === 'delivered', 15_000)).toBe(true);
    // As if the pass had stopped before moving the cursor: the same changes are read again.
    await database.pool.query('UPDATE webhook_dispatch_cursor SET last_seq = $1', [rows[0]!.seq]);
    const next = await seedOne(seed('wh-again-next', 412000369, 413000369));
    await dispatchedThrough(next.seq);
    expect(r.got).toHaveLength(1);
    expect((await deliveryLog(hook.id)).items.map((d) => [d.alertId, d.status, d.attempts])).toEqual([[alert.id, 'delivered', 1]]);
  });

  it('an endpoint that never answers holds at most its share of the worker; other hooks get every change', async () => {
    const slow = await hangingReceiver();
    const slowHook = await register({ url: slow.url, filter: { mmsi: [412000401] } });
    const healthy = await receiver();
    const good = await register({ url: healthy.url, filter: { mmsi: [412000401] } });
    // More changes than the worker has slots: without a per-hook share, the hanging hook would hold them all.
    for (let i = 0; i < 10; i++) await seedOne(seed(`wh-slow-${i}`, 412000401, 413000400 + i, { start: Date.UTC(2025, 3, 1) + i * 6 * HOUR }));

    expect(await waitFor(() => healthy.got.length >= 10, 20_000), `healthy hook got ${healthy.got.length} of 10`).toBe(true);
    // The receiver has answered; the worker records 'delivered' just after, which a loaded machine can delay.
    expect(await waitFor(async () => (await deliveryLog(good.id)).items.every((d) => d.status === 'delivered'), 15_000)).toBe(true);
    expect(slow.mostAtOnce()).toBeLessThanOrEqual(PER_HOOK_IN_FLIGHT);
    const waiting = (await deliveryLog(slowHook.id)).items;
    expect(waiting).toHaveLength(10);
    expect(waiting.every((d) => d.status === 'pending')).toBe(true);
  });

  it('DELETE disables a hook: later changes are not recorded or sent to it, its log stays readable', async () => {
    const r = await receiver();
    const hook = await register({ url: r.url, filter: { mmsi: [412000501] } });
    // Another active hook keeps the dispatcher moving once the first is disabled.
    await register({ url: 'https://example.org/never', filter: { mmsi: [1] } });
    const first = await seedOne(seed('wh-del-1', 412000501, 413000501));
    expect(await waitFor(() => r.got.length >= 1, 15_000)).toBe(true);

    const del = await app.inject({ method: 'DELETE', url: `/v1/webhooks/${hook.id}`, headers: as('admin') });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ id: hook.id, disabledAt: expect.any(String) });
    const second = await seedOne(seed('wh-del-2', 412000501, 413000502));
    await dispatchedThrough(second.seq);
    expect(r.got).toHaveLength(1);
    const log = await deliveryLog(hook.id);
    expect(log.items.map((d) => d.alertId)).toEqual([first.id]);
    const listed = (await app.inject({ method: 'GET', url: '/v1/webhooks', headers: as('admin') })).json() as { items: { id: number; disabledAt: string | null }[] };
    expect(listed.items.find((h) => h.id === hook.id)?.disabledAt).not.toBeNull();
  });

  it('POST /v1/webhooks/:id/test sends one signed test delivery and answers what the endpoint did', async () => {
    const r = await receiver((n) => (n === 1 ? 200 : 503));
    const hook = await register({ url: r.url, filter: { mmsi: [412000701] } });
    const first = await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/test`, headers: as('admin') });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ delivered: true, statusCode: 200, error: null });
    expect(r.got).toHaveLength(1);
    expect(verifySignature(hook.secret, r.got[0]!)).toBe(true);
    expect(r.got[0]!.headers['x-rendezvous-delivery']).toBe('test');
    expect(JSON.parse(r.got[0]!.body)).toEqual({ delivery: null, webhook: hook.id, change: { seq: null, kind: 'test' }, alert: null });
    // Not retried, not in the log.
    expect((await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/test`, headers: as('admin') })).json()).toEqual({ delivered: false, statusCode: 503, error: 'HTTP 503' });
    expect(r.got).toHaveLength(2);
    expect((await deliveryLog(hook.id)).items).toEqual([]);
    expect((await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/test`, headers: as('analyst') })).statusCode).toBe(403);
    await app.inject({ method: 'DELETE', url: `/v1/webhooks/${hook.id}`, headers: as('admin') });
    expect((await app.inject({ method: 'POST', url: `/v1/webhooks/${hook.id}/test`, headers: as('admin') })).statusCode).toBe(409);
  });

  it('the delivery log pages newest first', async () => {
    const r = await receiver();
    const hook = await register({ url: r.url, filter: { mmsi: [412000601] } });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await seedOne(seed(`wh-log-${i}`, 412000601, 413000600 + i, { start: Date.UTC(2025, 4, 1) + i * 6 * HOUR }))).id);
    expect(await waitFor(async () => (await deliveryLog(hook.id)).items.filter((d) => d.status === 'delivered').length === 3, 15_000)).toBe(true);
    const page1 = await deliveryLog(hook.id, '?limit=2');
    expect(page1.items.map((d) => d.alertId)).toEqual([ids[2], ids[1]]);
    expect(page1.nextBefore).toBe(page1.items[1]!.id);
    const page2 = await deliveryLog(hook.id, `?limit=2&before=${page1.nextBefore}`);
    expect(page2.items.map((d) => d.alertId)).toEqual([ids[0]]);
    expect(page2.nextBefore).toBeNull();
    expect((await app.inject({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries?limit=1000`, headers: as('admin') })).statusCode).toBe(400);
  });
});

describe("a hook's share of the delivery worker", () => {
  it("holds each hook to its share, and spaces the jobs waiting for it by the hook's pace", () => {
    let t = 0;
    const share = createHookShare(2, () => t, () => 0.5);
    expect(share.tryTake(1, 'a')).toBe(true);
    expect(share.tryTake(1, 'b')).toBe(true);
    expect(share.tryTake(1, 'c')).toBe(false);
    // Another hook is not held up by hook 1.
    expect(share.tryTake(2, 'x')).toBe(true);
    // Nothing known of hook 1's pace yet: the shortest wait, longer as more jobs wait.
    expect(share.waitFor(1, 'c')).toBe(250);
    for (const id of ['d', 'e', 'f', 'g']) {
      expect(share.tryTake(1, id)).toBe(false);
      share.waitFor(1, id);
    }
    share.release(1, 5000);
    share.release(1, 5000);
    // Five jobs wait for a hook whose attempts take 5 s, two at a time: about 15 s.
    expect(share.waitFor(1, 'g')).toBe(15_000);
    // A slow hook's wait is capped at a minute; the waiting jobs are forgotten once they run here.
    for (let i = 0; i < 100; i++) share.waitFor(1, `burst-${i}`);
    expect(share.waitFor(1, 'h')).toBe(60_000);
    expect(share.tryTake(1, 'c')).toBe(true);
    share.release(1, 10);
    t += 300_000;
    expect(share.waitFor(1, 'late')).toBeLessThan(5000);
  });
});

describe('webhook secrets', () => {
  it('appear in no log line, whatever was registered, delivered, retried or refused above', () => {
    expect(secrets.length).toBeGreaterThan(10);
    expect(logLines.some((l) => l.includes('/v1/webhooks'))).toBe(true);
    expect(logLines.some((l) => l.includes('webhook delivery attempt failed'))).toBe(true);
    for (const secret of secrets) expect(logLines.filter((l) => l.includes(secret))).toEqual([]);
  });
});
