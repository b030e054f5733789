import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRepository, type ApiRole } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../src/app.ts';
import type { AuthTuning } from '../src/auth/auth-plugin.ts';
import { HELMET_OPTIONS } from '../src/plugins/security-headers.ts';
import { openTestDatabase, quietLogger, testConfig } from '../../../test/support/harness.ts';

const database = openTestDatabase(testConfig());
const redis = createRedis(testConfig().redis, quietLogger, 'producer');
const tokens = createTokenRepository(database.db);
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  redis.disconnect();
  await database.close();
});

async function appWith(env: Record<string, string> = {}, auth: AuthTuning = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(env), logger: quietLogger, database, redis, auth });
  apps.push(app);
  return app;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const issue = async (role: ApiRole) => (await tokens.create({ role, name: `security-${role}` })).token;

type Parameter = { in: string; name: string; schema?: { type?: string; pattern?: string; enum?: unknown[]; minimum?: number } };
type Operation = { security?: unknown[]; description?: string; parameters?: Parameter[]; responses?: Record<string, { content?: Record<string, unknown> }> };
type Endpoint = { method: string; path: string; op: Operation };

/** Every operation of the app's own OpenAPI document (which a test checks covers every route). */
async function endpoints(app: FastifyInstance): Promise<Endpoint[]> {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
}

/** A path parameter value its schema accepts, so a request reaches the handler's query handling. */
function pathValue(p: Parameter): string {
  const s = p.schema ?? {};
  if (s.enum) return String(s.enum[0]);
  const candidates = s.type === 'integer' || s.type === 'number' ? [String(Math.max(1, s.minimum ?? 1))] : ['ofac', 'reprocess-00000000-0000-4000-8000-000000000000', 'x'];
  const fit = candidates.find((c) => !s.pattern || new RegExp(s.pattern).test(c));
  if (fit === undefined) throw new Error(`no sample value for path parameter ${p.name} (${JSON.stringify(s)}): add one`);
  return fit;
}
const urlOf = (e: Endpoint) => e.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValue(e.op.parameters!.find((p) => p.in === 'path' && p.name === name)!)));

/** An error response as the API promises it: problem+json with a request id, no stack trace, no SQL. */
function expectProblem(res: LightMyRequestResponse, status: number | null, context: string): void {
  if (status !== null) expect(res.statusCode, context).toBe(status);
  expect(res.headers['content-type'], context).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body, context).toMatchObject({ status: res.statusCode, requestId: expect.any(String), detail: expect.any(String) });
  expect(res.body, context).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules|\bSELECT\b|\bINSERT\b|syntax error|relation "|violates/i);
}

describe('API security', () => {
  let app: FastifyInstance;
  let all: Endpoint[];
  const roleTokens: Partial<Record<ApiRole, string>> = {};
  beforeAll(async () => {
    app = await appWith();
    all = await endpoints(app);
    for (const role of ['viewer', 'analyst', 'admin'] as const) roleTokens[role] = await issue(role);
  });

  it('every non-public route answers 401 problem+json without a token (or with a malformed one)', async () => {
    const protectedOnes = all.filter((e) => !(Array.isArray(e.op.security) && e.op.security.length === 0));
    expect(protectedOnes.length).toBeGreaterThan(15);
    for (const e of protectedOnes) {
      for (const headers of [{}, { authorization: 'Bearer rzv_not-a-real-token' }]) {
        const res = await app.inject({ method: e.method as 'GET', url: urlOf(e), headers });
        expectProblem(res, 401, `${e.method} ${e.path}`);
      }
    }
    // Public: probes, documentation and the web app's static pages (its data calls carry the token).
    const publicOnes = all.filter((e) => Array.isArray(e.op.security) && e.op.security.length === 0).map((e) => e.path).sort();
    expect(publicOnes).toEqual(['/', '/alerts/{id}', '/assets/{file}', '/health', '/openapi.json', '/ready', '/vessels/{mmsi}']);
  });

  it('routes above viewer answer 403 problem+json to a token of a lower role', async () => {
    const raised = all.filter((e) => /role \*\*(analyst|admin)\*\*/.test(e.op.description ?? ''));
    expect(raised.map((e) => `${e.method} ${e.path}`)).toEqual(expect.arrayContaining(['POST /v1/reprocess', 'POST /v1/suspects', 'PUT /v1/watchlists/{name}']));
    for (const e of raised) {
      const needed = /role \*\*(analyst|admin)\*\*/.exec(e.op.description!)![1] as 'analyst' | 'admin';
      const lower: ApiRole[] = needed === 'admin' ? ['viewer', 'analyst'] : ['viewer'];
      for (const role of lower) {
        const res = await app.inject({ method: e.method as 'POST', url: urlOf(e), headers: { ...bearer(roleTokens[role]!), 'content-type': 'application/json' }, payload: '{}' });
        expectProblem(res, 403, `${role} → ${e.method} ${e.path}`);
        expect(res.json().detail).toContain(`needs the ${needed} role`);
      }
    }
  });

  it('a revoked token answers 401 once the auth cache TTL has passed', async () => {
    const ttlMs = 200;
    let now = Date.now(); // the cache's clock, virtual: the TTL passes without a sleep
    const shortCache = await appWith({}, { cacheTtlMs: ttlMs, now: () => now });
    const { id, token } = await tokens.create({ role: 'viewer', name: 'security-revoked' });
    expect((await shortCache.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(token) })).statusCode).toBe(200);
    await tokens.revoke(id);
    now += ttlMs;
    const res = await shortCache.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(token) });
    expectProblem(res, 401, 'revoked');
    expect(res.json().detail).toMatch(/revoked/);
  });

  it('bodies: oversized → 413, malformed JSON → 400, unknown fields → 400, all problem+json', async () => {
    const headers = { ...bearer(roleTokens.analyst!), 'content-type': 'application/json' };
    const huge = JSON.stringify({ mmsi: 244000001, reason: 'x'.repeat(2 * 1024 * 1024) });
    expectProblem(await app.inject({ method: 'POST', url: '/v1/suspects', headers, payload: huge }), 413, 'oversized');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/suspects', headers, payload: '{"mmsi": 244000001, "reason": ' }), 400, 'bad JSON');
    const unknown = await app.inject({ method: 'POST', url: '/v1/suspects', headers, payload: { mmsi: 244000001, reason: 'looks dark', isAdmin: true } });
    expectProblem(unknown, 400, 'unknown field');
    expect(unknown.json().detail).toMatch(/additional properties/);
    const reprocess = await app.inject({ method: 'POST', url: '/v1/reprocess', headers: { ...bearer(roleTokens.admin!) }, payload: { from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z', priority: 1 } });
    expectProblem(reprocess, 400, 'unknown field on reprocess');
  });

  it('hostile strings in every query parameter of every GET route never cause a 5xx', async () => {
    const hostile = ["' OR 1=1 --", '1;DROP TABLE alerts', '\u0000', '%00', 'x'.repeat(4096), '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ü 中文 \u202e', '-1', '1e309', 'NaN', '$1', '\\', '"', '[]', '{"$gt":""}', '2024-01-01T00:00:00Z\'; --', '-180,-90,180,90;--'];
    // A Server-Sent Events stream accepted with a valid value would never end: those routes are
    // left out here (their parameter is pattern-checked, and tested with the stream).
    const gets = all.filter((e) => e.method === 'GET' && e.op.parameters?.some((p) => p.in === 'query') && !e.op.responses?.['200']?.content?.['text/event-stream']);
    expect(gets.length).toBeGreaterThanOrEqual(5);
    let requests = 0;
    for (const e of gets) {
      const names = e.op.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
      for (const value of hostile) {
        const queries = [...names.map((n) => ({ [n]: value })), Object.fromEntries(names.map((n) => [n, value]))];
        for (const query of queries) {
          const url = `${urlOf(e)}?${new URLSearchParams(query).toString()}`;
          const res = await app.inject({ method: 'GET', url, headers: bearer(roleTokens.viewer!) });
          requests++;
          const context = `GET ${url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, context).toBeLessThan(500);
          if (res.statusCode >= 400) expectProblem(res, null, context);
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
    // The tables are still there.
    expect((await database.pool.query("SELECT to_regclass('alerts') AS t")).rows[0].t).toBe('alerts');
  });

  it('hostile values in every path parameter of every GET route never cause a 5xx', async () => {
    // "1e309" is coerced to Infinity by ajv and slipped past integer/maximum until plugins/finite-numbers.ts.
    const hostile = ['1e309', '-1e309', "1' OR '1'='1", '%27%3B--', 'NaN', '99999999999999999999', '2147483648'];
    const withParams = all.filter((e) => e.method === 'GET' && e.path.includes('{'));
    expect(withParams.length).toBeGreaterThanOrEqual(5);
    for (const e of withParams) {
      for (const value of hostile) {
        const url = e.path.replace(/\{[^}]+\}/g, value);
        const res = await app.inject({ method: 'GET', url, headers: bearer(roleTokens.viewer!) });
        const context = `GET ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, context).toBeLessThan(500);
        if (res.statusCode >= 400) expectProblem(res, null, context);
      }
    }
  });

  it('sets security headers: strict CSP and nosniff on the API, no framing', async () => {
    for (const url of ['/health', '/v1/schedules', '/no/such/route']) {
      const res = await app.inject({ method: 'GET', url, headers: bearer(roleTokens.viewer!) });
      expect(res.headers['content-security-policy'], url).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it("sends exactly @fastify/helmet's headers (worked out once at boot) on 200, 304, 401 and 404 alike", async () => {
    // What the plugin itself sets, per request, with the same options.
    const reference = Fastify({ logger: false });
    await reference.register(helmet, HELMET_OPTIONS);
    reference.get('/', async () => ({}));
    const expected = (await reference.inject({ method: 'GET', url: '/' })).headers;
    await reference.close();
    const helmetNames = Object.keys(expected).filter((name) => !['content-type', 'content-length', 'date', 'connection'].includes(name));
    expect(helmetNames.length).toBeGreaterThanOrEqual(8);
    // An app of its own: the shared one's token has spent its rate limit on the tests above.
    const app = await appWith();
    const token = await issue('viewer');
    const ok = await app.inject({ method: 'GET', url: '/v1/alerts', headers: bearer(token) });
    const responses = {
      200: ok,
      304: await app.inject({ method: 'GET', url: '/v1/alerts', headers: { ...bearer(token), 'if-none-match': String(ok.headers.etag) } }),
      401: await app.inject({ method: 'GET', url: '/v1/alerts' }),
      404: await app.inject({ method: 'GET', url: '/no/such/route' }),
    };
    for (const [status, res] of Object.entries(responses)) {
      expect(res.statusCode).toBe(Number(status));
      for (const name of helmetNames) expect(res.headers[name], `${status} ${name}`).toBe(expected[name]);
    }
  });
});

describe('rate limiting', () => {
  it('limits each token separately: headers on every response, then 429 problem+json with Retry-After', async () => {
    const app = await appWith({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const [a, b] = [await issue('viewer'), await issue('viewer')];
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(a) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    const limited = await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(a) });
    expectProblem(limited, 429, '4th request');
    expect(limited.json().title).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another token from the same address has its own budget.
    expect((await app.inject({ method: 'GET', url: '/v1/schedules', headers: bearer(b) })).statusCode).toBe(200);
    // Health probes are never limited.
    for (let i = 0; i < 6; i++) expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('counts failed authentications per address: guessing tokens ends in 429 before the token is looked up', async () => {
    const app = await appWith({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/schedules', headers: { authorization: `Bearer rzv_guess${i}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expectProblem(res, 429, 'guessing');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('CORS', () => {
  const allowed = 'https://ops.example.org';
  const other = 'https://evil.example.com';

  it('with an allow-list: allowed origins get the header and a preflight answer, others get neither', async () => {
    const app = await appWith({ CORS_ORIGINS: `${allowed},https://second.example.org` });
    const token = await issue('viewer');
    const ok = await app.inject({ method: 'GET', url: '/v1/schedules', headers: { ...bearer(token), origin: allowed } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers['access-control-expose-headers']).toMatch(/X-RateLimit-Remaining/);
    expect(ok.headers['vary']).toMatch(/Origin/i);
    const denied = await app.inject({ method: 'GET', url: '/v1/schedules', headers: { ...bearer(token), origin: other } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();

    // Browsers send the preflight without the token: it is answered before authentication.
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/alerts?status=open',
      headers: { origin: allowed, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/PATCH/);
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    const deniedPreflight = await app.inject({ method: 'OPTIONS', url: '/v1/alerts', headers: { origin: other, 'access-control-request-method': 'GET' } });
    expect(deniedPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('empty allow-list: no CORS headers at all; `*`: any origin', async () => {
    const none = await appWith({ CORS_ORIGINS: '' });
    const token = await issue('viewer');
    const res = await none.inject({ method: 'GET', url: '/v1/schedules', headers: { ...bearer(token), origin: allowed } });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const pre = await none.inject({ method: 'OPTIONS', url: '/v1/schedules', headers: { origin: allowed, 'access-control-request-method': 'GET' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.statusCode).toBeGreaterThanOrEqual(400);

    const any = await appWith({ CORS_ORIGINS: '*' });
    const res2 = await any.inject({ method: 'GET', url: '/v1/schedules', headers: { ...bearer(token), origin: other } });
    expect(res2.headers['access-control-allow-origin']).toBe('*');
  });
});
