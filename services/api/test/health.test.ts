import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@rendezvous/config';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createRedis } from '@rendezvous/queue';
import { buildApp } from '../src/app.ts';
import { testEnv } from '../../../test/support/test-env.ts';

const config = loadConfig(testEnv());
const logger = createLogger({ level: 'silent', format: 'json' }, 'api-test');
const closers: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function app(redisUrl = config.redis.url) {
  const database = createDatabase(config.db, logger);
  const redis = createRedis({ ...config.redis, url: redisUrl }, logger, 'producer');
  const instance = await buildApp({ config, logger, database, redis });
  closers.push(() => instance.close(), () => redis.disconnect(), () => database.close());
  return instance;
}

describe('health endpoints', () => {
  it('GET /health answers 200 with the state of PostgreSQL (with PostGIS) and Redis', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.postgres).toMatchObject({ ok: true });
    expect(body.postgres.postgis).toMatch(/^3\./);
    expect(body.redis).toMatchObject({ ok: true });
  });

  it('reports a dead Redis: /health stays 200 (liveness), /ready answers 503', async () => {
    // Port 1 on loopback: nothing listens there, so the probe fails fast.
    const instance = await app('redis://127.0.0.1:1/0');
    const health = await instance.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'degraded', postgres: { ok: true }, redis: { ok: false } });
    const ready = await instance.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
  });

  it('answers unknown routes with problem+json and a request id', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, requestId: expect.any(String) });
  });
});
