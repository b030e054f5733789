// Issue 11 item 9 (and issue 12's "the rate limiter raises an AppError"): failed authentications
// from an address never lock out valid tokens, TRUST_PROXY decides which address is limited,
// health probes are cheap and never leak connection details, costly routes weigh more.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '@rendezvous/db';
import { isAppError } from '@rendezvous/errors';
import { apiFactory, bearer, issueToken, listen, sseClient, until } from '../../services/api/test/support/api-harness.ts';
import { openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';

const database = openTestDatabase(testConfig());
const apis = apiFactory();
const clients: { close(): void }[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await apis.closeAll();
});
afterAll(async () => {
  await database.close();
});

const guess = (i: number) => ({ authorization: `Bearer rzv_guess${String(i).padStart(4, '0')}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` });

describe('rate limits and probes (issue 11 item 9)', () => {
  it('a valid token still gets 200 from an address that has failed authentication past the limit', async () => {
    const { app } = await apis.start({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/schedules', headers: guess(i) })).statusCode);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    // Same address (inject's 127.0.0.1), a token never seen before: served, on its own budget.
    const { token } = await issueToken(database);
    const ok = await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(token) });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-ratelimit-remaining']).toBe('2');
    // Guessing from that address is still refused.
    expect((await app.inject({ method: 'GET', url: '/v1/schedules', headers: guess(99) })).statusCode).toBe(429);
  });

  it('with TRUST_PROXY the X-Forwarded-For client is limited, without it the header is ignored', async () => {
    const proxied = (await apis.start({ RATE_LIMIT_MAX: '3', TRUST_PROXY: 'true' })).app;
    for (let i = 0; i < 4; i++) await proxied.inject({ method: 'GET', url: '/v1/schedules', headers: { ...guess(i), 'x-forwarded-for': '203.0.113.7' } });
    const blocked = await proxied.inject({ method: 'GET', url: '/v1/schedules', headers: { ...guess(10), 'x-forwarded-for': '203.0.113.7' } });
    expect(blocked.statusCode).toBe(429);
    // Another client behind the same proxy (same socket address) has its own budget.
    const other = await proxied.inject({ method: 'GET', url: '/v1/schedules', headers: { ...guess(11), 'x-forwarded-for': '198.51.100.9' } });
    expect(other.statusCode).toBe(401);

    // Not behind a proxy: a forged header does not buy a new budget.
    const direct = (await apis.start({ RATE_LIMIT_MAX: '3' })).app;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await direct.inject({ method: 'GET', url: '/v1/schedules', headers: { ...guess(i), 'x-forwarded-for': `192.0.2.${i}` } })).statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('serves /health and /ready from a one-second cache: many probes, one database round trip', async () => {
    const config = testConfig();
    const probed = createDatabase({ ...config.db, poolMax: 2 }, quietLogger);
    let probes = 0;
    const query = probed.pool.query.bind(probed.pool) as (...a: unknown[]) => unknown;
    probed.pool.query = ((...args: unknown[]) => {
      if (String(typeof args[0] === 'object' ? (args[0] as { text: string }).text : args[0]).includes('pg_extension')) probes++;
      return query(...args);
    }) as typeof probed.pool.query;
    const { app } = await apis.start({}, {}, probed);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => app.inject({ method: 'GET', url: i % 2 ? '/ready' : '/health' })));
    for (let i = 0; i < 10; i++) answers.push(await app.inject({ method: 'GET', url: i % 2 ? '/ready' : '/health' }));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    // One probe, or two if the second passed between the batches.
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(2);
    // And the cache expires: a later probe reads again.
    const seen = probes;
    await until(async () => {
      await app.inject({ method: 'GET', url: '/health' });
      return probes > seen ? true : undefined;
    }, 'a fresh probe after the cache expired');
  });

  it('never prints driver error text (host, port, user) in /health or /ready', async () => {
    const { app } = await apis.start({ DATABASE_URL: 'postgres://leakyuser:leakypass@127.0.0.1:47/leakydb', REDIS_URL: 'redis://127.0.0.1:1/0' });
    for (const url of ['/health', '/ready']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(url === '/health' ? 200 : 503);
      expect(res.json()).toMatchObject({ status: 'degraded', postgres: { ok: false }, redis: { ok: false } });
      expect(res.body, url).not.toMatch(/leaky|127\.0\.0\.1|localhost|ECONN/i);
      // Still says what kind of failure it was.
      expect(res.json().postgres.error).toEqual(expect.any(String));
    }
  });

  it('costly routes (CSV export, track, SSE) spend more than one unit of the limit', async () => {
    const { app, database: db } = await apis.start({ RATE_LIMIT_MAX: '1000' });
    const { token } = await issueToken(db);
    const remaining = (res: { headers: Record<string, unknown> }) => Number(res.headers['x-ratelimit-remaining']);
    const cheap = await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(token) });
    expect(remaining(cheap)).toBe(999);
    let last = remaining(cheap);
    const costly = [
      '/v1/alerts?format=csv',
      '/v1/vessels/636099101/track?from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z',
    ];
    for (const url of costly) {
      const res = await app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode, url).toBe(200);
      expect(last - remaining(res), url).toBeGreaterThan(1);
      last = remaining(res);
    }
    const port = await listen(app);
    const stream = sseClient(port, '/v1/alerts/stream', bearer(token));
    clients.push(stream);
    await until(() => stream.state.status || undefined, 'stream answered');
    expect(stream.state.status).toBe(200);
    expect(last - Number(stream.state.headers['x-ratelimit-remaining'])).toBeGreaterThan(1);
  });

  it('raises an AppError for a 429 (one error hierarchy), answered as problem+json with Retry-After', async () => {
    const { app, database: db } = await apis.start({ RATE_LIMIT_MAX: '1' });
    const errors: unknown[] = [];
    app.addHook('onError', async (_request, _reply, error) => {
      errors.push(error);
    });
    const { token } = await issueToken(db);
    await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(token) });
    const limited = await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(token) });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    expect(isAppError(errors[0]) && (errors[0] as { statusCode: number }).statusCode).toBe(429);
  });
});
