// The web app's serving (services/api/src/web/web-app-routes.ts): index.html at / and at the app's
// own paths, hashed assets, the strict CSP on both, a 503 problem+json while the app is not
// built, and GET /v1/session, which tells the app whose token it holds.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '../../services/api/src/error-handler.ts';
import { WEB_APP_CSP, webAppRoutes } from '../../services/api/src/web/web-app-routes.ts';
import { alertTestApp } from '../api/alerts-seed.ts';
import { ensureWebAppBuilt } from './build.ts';

describe('web app routes', () => {
  let t: Awaited<ReturnType<typeof alertTestApp>>;
  let asset: string;
  beforeAll(async () => {
    asset = ensureWebAppBuilt().assets.find((f) => f.endsWith('.js'))!;
    t = await alertTestApp('web-routes');
  });
  afterAll(async () => t?.close());

  it('answers index.html at / and at the app paths without a token, under the web CSP', async () => {
    for (const url of ['/', '/alerts/12', '/vessels/626123020', '/?minScore=30&watchlist=demo']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<div id="map"');
      expect(res.headers['content-security-policy']).toBe(WEB_APP_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    // The page loads nothing inline: every script is a file from this origin.
    const page = (await t.app.inject({ method: 'GET', url: '/' })).body;
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\sstyle="/);
  });

  it('serves built assets with a long cache, and 404 problem+json for anything else', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/assets/${asset}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    for (const url of ['/assets/missing.js', '/assets/..%2Fpackage.json', '/alerts/abc', '/nowhere', '/v1/nowhere']) {
      const miss = await t.app.inject({ method: 'GET', url });
      expect(miss.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(miss.statusCode, url).toBeLessThan(500);
      expect(miss.headers['content-type'], url).toMatch(/problem\+json/);
    }
  });

  it('leaves the API as it was: /v1 needs a token, JSON keeps the strict policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/alerts' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });

  it('GET /v1/session names the token holder and role, and the sanctioned countries the app marks; a bad token is 401', async () => {
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/session', headers: t.auth(role) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ name: `${role}-web-routes`, role, expiresAt: null, sanctionedCountries: ['PRK'] });
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/session' })).statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/session', headers: { authorization: `Bearer rzv_${'x'.repeat(43)}` } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().detail).toMatch(/Unknown API token/);
  });

  it('answers 503 problem+json saying so while the app is not built, and serves it once built', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rzv-web-'));
    const app = Fastify();
    registerErrorHandler(app);
    await app.register(webAppRoutes, { distDir: dir } as never);
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json()).toMatchObject({ title: 'web_app_not_built', status: 503 });
      expect(res.json().detail).toMatch(/web app is not built/);
      // Built after the API started: no restart needed.
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
      mkdirSync(path.join(dir, 'assets'));
      expect((await app.inject({ method: 'GET', url: '/alerts/3' })).statusCode).toBe(200);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
