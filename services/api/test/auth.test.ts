import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, createTokenRepository, type ApiRole } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../src/app.ts';
import { principalOf, type AuthTuning } from '../src/auth/auth-plugin.ts';
import { TtlCache } from '../src/auth/ttl-cache.ts';
import { openTestDatabase, quietLogger, ROOT, testConfig } from '../../../test/support/harness.ts';
import { testEnv } from '../../../test/support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
const tokens = createTokenRepository(database.db);
const redis = createRedis(config.redis, quietLogger, 'producer');
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  redis.disconnect();
  await database.close();
});

/** The real app plus two test-only routes: one any token may call, one that needs admin. */
async function appWith(auth: AuthTuning = {}, logger: Logger = quietLogger): Promise<FastifyInstance> {
  const app = await buildApp({ config, logger, database, redis, auth });
  app.get('/test/whoami', async (request) => ({ principal: request.principal }));
  app.post('/test/admin-only', { config: { role: 'admin' } }, async (request) => ({ by: principalOf(request).name }));
  apps.push(app);
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const issue = (role: ApiRole, name = `test-${role}`) => tokens.create({ role, name });
const whoami = (app: FastifyInstance, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/test/whoami', headers });

describe('API authentication', () => {
  it('answers 401 problem+json without a token, and rejects before reading the body', async () => {
    const app = await appWith();
    const res = await whoami(app);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json()).toMatchObject({ title: 'unauthorized', status: 401, detail: expect.stringMatching(/Bearer/), requestId: expect.any(String) });
    // Invalid JSON would be a 400 if the body were parsed first.
    const post = await app.inject({ method: 'POST', url: '/test/admin-only', headers: { 'content-type': 'application/json' }, payload: '{broken' });
    expect(post.statusCode).toBe(401);
  });

  it('answers 401 to malformed Authorization headers', async () => {
    const app = await appWith();
    const { token } = await issue('admin');
    const malformed = ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-token', `Bearer ${token}x`, token, `Bearer ${token} ${token}`, `Token ${token}`];
    for (const authorization of malformed) {
      const res = await whoami(app, { authorization });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(res.json().detail).toMatch(/Malformed Authorization header/);
    }
  });

  it('answers 401 to a well-formed token that was never issued', async () => {
    const { token } = await issue('viewer');
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const res = await whoami(await appWith(), bearer(forged));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ status: 401, detail: 'Unknown API token' });
  });

  it('accepts a valid token (scheme case-insensitive) and exposes request.principal', async () => {
    const app = await appWith();
    const issued = await issue('analyst', 'dashboard');
    for (const scheme of ['Bearer', 'bearer']) {
      const res = await whoami(app, { authorization: `${scheme} ${issued.token}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ principal: { tokenId: issued.id, name: 'dashboard', role: 'analyst' } });
    }
  });

  it('enforces the minimum role of a route: 403 below it, 200 at or above it', async () => {
    const app = await appWith();
    const expected: Record<ApiRole, number> = { viewer: 403, analyst: 403, admin: 200 };
    for (const [role, status] of Object.entries(expected) as [ApiRole, number][]) {
      const { token } = await issue(role);
      const res = await app.inject({ method: 'POST', url: '/test/admin-only', headers: bearer(token) });
      expect(res.statusCode, role).toBe(status);
      if (status === 403) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ title: 'forbidden', status: 403, detail: expect.stringContaining('needs the admin role') });
      } else expect(res.json()).toEqual({ by: `test-${role}` });
      // Every token may use a route that declares no role (default viewer).
      expect((await whoami(app, bearer(token))).statusCode).toBe(200);
    }
  });

  it('refuses at boot a route whose config names an unknown role', async () => {
    const app = await buildApp({ config, logger: quietLogger, database, redis });
    apps.push(app);
    expect(() => app.get('/test/typo', { config: { role: 'admn' as ApiRole } }, async () => 'x')).toThrow(/config.role must be one of/);
  });

  it('stops accepting a revoked token once the cache TTL has passed', async () => {
    const ttlMs = 500;
    // The cache's clock is virtual: "within the TTL" and "past it" do not depend on how fast this runs.
    let now = Date.now();
    const app = await appWith({ cacheTtlMs: ttlMs, now: () => now });
    const { id, token } = await issue('viewer');
    expect((await whoami(app, bearer(token))).statusCode).toBe(200);
    await tokens.revoke(id);
    // Within the TTL the cached verification still stands: that is the documented delay.
    now += ttlMs - 1;
    expect((await whoami(app, bearer(token))).statusCode).toBe(200);
    now += 1;
    const res = await whoami(app, bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('This API token has been revoked');
    // A process that had not cached it refuses it at once.
    expect((await whoami(await appWith(), bearer(token))).statusCode).toBe(401);
  });

  it('serves a polling client from the cache: one token lookup for many requests', async () => {
    const app = await appWith({ cacheTtlMs: 60_000 });
    const { token } = await issue('viewer');
    await app.ready();
    let checkouts = 0;
    const onAcquire = () => checkouts++;
    database.pool.on('acquire', onAcquire);
    try {
      for (let i = 0; i < 20; i++) expect((await whoami(app, bearer(token))).statusCode).toBe(200);
      await apps.splice(apps.indexOf(app), 1)[0]!.close(); // waits for the last-used write
    } finally {
      database.pool.off('acquire', onAcquire);
    }
    // One lookup and one last-used write, however many requests.
    expect(checkouts).toBe(2);
  });

  it('records last use, at most once a minute per token', async () => {
    const { id, token } = await issue('viewer');
    const lastUsed = async () => (await tokens.list()).find((t) => t.id === id)!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const app = await appWith({ cacheTtlMs: 0 });
    expect((await whoami(app, bearer(token))).statusCode).toBe(200);
    const first = await vi.waitFor(async () => {
      const value = await lastUsed();
      expect(value).not.toBeNull();
      return value;
    });
    // Uncached, so each request reads the row again; neither may write again within the minute.
    expect((await whoami(app, bearer(token))).statusCode).toBe(200);
    expect((await whoami(await appWith({ cacheTtlMs: 0 }), bearer(token))).statusCode).toBe(200);
    await Promise.all(apps.splice(-2).map((a) => a.close())); // close waits for last-used writes in flight
    expect(await lastUsed()).toBe(first);
  });

  it('answers 503 (retryable), not 401, when PostgreSQL cannot be asked about an uncached token', async () => {
    const { token } = await issue('viewer');
    // Port 1 on loopback: nothing listens, so the lookup fails at once.
    const unreachable = createDatabase({ url: 'postgres://rendezvous:rendezvous@127.0.0.1:1/none', poolMax: 1 }, quietLogger);
    const app = await buildApp({ config, logger: quietLogger, database: unreachable, redis });
    app.get('/test/whoami', async (request) => ({ principal: request.principal }));
    try {
      const res = await whoami(app, bearer(token));
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ title: 'dependency_unavailable', status: 503 });
    } finally {
      await app.close();
      await unreachable.close();
    }
  });

  it('leaves /health, /ready and unknown URLs (404) open, with or without a token', async () => {
    const app = await appWith();
    for (const url of ['/health', '/ready']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      expect((await app.inject({ method: 'HEAD', url })).statusCode, `HEAD ${url}`).toBe(200);
      expect((await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer junk' } })).statusCode, url).toBe(200);
    }
    expect((await app.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);
  });

  it('never writes a token to the request logs, even at trace level and without redaction', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    // No redact paths on purpose: this checks that nothing logs the header at all, so the
    // production logger's redaction is a second line of defence, not the only one.
    const app = await appWith({ cacheTtlMs: 0 }, pino({ level: 'trace' }, sink));
    const viewer = await issue('viewer');
    const revoked = await issue('viewer');
    await tokens.revoke(revoked.id);
    const requests = [
      { method: 'GET', url: '/test/whoami', headers: bearer(viewer.token), status: 200 },
      { method: 'POST', url: '/test/admin-only', headers: bearer(viewer.token), status: 403 },
      { method: 'GET', url: '/test/whoami', headers: bearer(revoked.token), status: 401 },
      { method: 'GET', url: '/test/whoami', headers: { authorization: `Bearer ${viewer.token}x` }, status: 401 },
      { method: 'GET', url: '/health', headers: bearer(viewer.token), status: 200 },
    ] as const;
    for (const r of requests) {
      expect((await app.inject({ method: r.method, url: r.url, headers: r.headers })).statusCode).toBe(r.status);
    }
    const completed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(requests.length);
    // The authenticated requests carry the token id for auditing.
    expect(completed.filter((l) => l.tokenId === viewer.id)).toHaveLength(2);
    // The binding goes on each request's own logger (auth-plugin.ts): no other request's lines,
    // before or after, carry it, and each line keeps its own request id.
    expect(completed.filter((l) => 'tokenId' in l)).toHaveLength(2);
    expect(new Set(completed.map((l) => l.reqId)).size).toBe(requests.length);
    const log = lines.join('\n');
    for (const { token } of [viewer, revoked]) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.slice(10)); // the secret part beyond the stored prefix
    }
  });
});

describe('`npm run cli -- token`', () => {
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['services/cli/src/main.ts', 'token', ...args], { cwd: ROOT, env: testEnv() });

  it('create prints the token once as JSON; it works against the API; list never shows it; revoke ends it', async () => {
    const created = JSON.parse((await cli('create', '--role', 'analyst', '--name', 'cli-test')).stdout);
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'id', 'name', 'role', 'token']);
    expect(created).toMatchObject({ name: 'cli-test', role: 'analyst', id: expect.any(Number) });
    expect(created.token).toMatch(/^rzv_[A-Za-z0-9_-]{43}$/);

    // Only the hash and a short prefix are stored.
    const { rows } = await database.pool.query('SELECT * FROM api_tokens WHERE id = $1', [created.id]);
    expect(rows[0].token_hash).toEqual(createHash('sha256').update(created.token).digest());
    expect(JSON.stringify(rows[0])).not.toContain(created.token.slice(10));

    const app = await appWith({ cacheTtlMs: 0 });
    const ok = await whoami(app, bearer(created.token));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().principal).toEqual({ tokenId: created.id, name: 'cli-test', role: 'analyst' });

    const listed = await cli('list');
    expect(listed.stdout).not.toContain(created.token.slice(10));
    expect(listed.stdout).not.toContain(rows[0].token_hash.toString('hex'));
    const entry = JSON.parse(listed.stdout).find((t: { id: number }) => t.id === created.id);
    expect(entry).toEqual({
      id: created.id,
      name: 'cli-test',
      role: 'analyst',
      prefix: created.token.slice(0, 10),
      createdAt: created.createdAt,
      lastUsedAt: expect.any(String),
      revokedAt: null,
      expiresAt: null,
    });

    const revoked = JSON.parse((await cli('revoke', String(created.id))).stdout);
    expect(revoked).toMatchObject({ id: created.id, name: 'cli-test', revokedAt: expect.any(String) });
    expect((await whoami(app, bearer(created.token))).statusCode).toBe(401);
    const after = JSON.parse((await cli('list')).stdout).find((t: { id: number }) => t.id === created.id);
    expect(after.revokedAt).toBe(revoked.revokedAt);
  });

  it('rejects an unknown role and a missing --role as usage errors (exit 2)', async () => {
    await expect(cli('create', '--role', 'superuser')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--role viewer|analyst|admin') });
    await expect(cli('create')).rejects.toMatchObject({ code: 2 });
    await expect(cli('revoke', '999999999')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no API token with id 999999999') });
  });
});

describe('TtlCache', () => {
  it('expires entries after the TTL and drops the oldest when full', () => {
    let now = 0;
    const cache = new TtlCache<number>({ ttlMs: 100, maxEntries: 2, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([undefined, 2, 3, 2]);
    now = 100;
    expect(cache.get('b')).toBeUndefined();
    const disabled = new TtlCache<number>({ ttlMs: 0, maxEntries: 2 });
    disabled.set('a', 1);
    expect(disabled.get('a')).toBeUndefined();
  });
});
