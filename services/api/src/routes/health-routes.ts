import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { checkDatabase, type DatabaseHandle } from '@rendezvous/db';
import { checkRedis } from '@rendezvous/queue';

const dependencyState = {
  type: 'object',
  required: ['ok', 'latencyMs'],
  properties: {
    ok: { type: 'boolean' },
    latencyMs: { type: 'number' },
    error: { type: 'string' },
    postgis: { type: 'string' },
  },
} as const;

const healthBody = {
  type: 'object',
  required: ['status', 'postgres', 'redis', 'uptimeSeconds'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    postgres: dependencyState,
    redis: dependencyState,
    uptimeSeconds: { type: 'number' },
  },
} as const;

/**
 * `/health` is liveness: the process answers (200) and reports the state of its dependencies.
 * `/ready` is readiness: 503 unless both PostgreSQL and Redis answer. Neither needs a token.
 */
export const healthRoutes: FastifyPluginAsync<{ database: DatabaseHandle; redis: Redis }> = async (
  app,
  { database, redis },
) => {
  const report = async () => {
    const [postgres, redisState] = await Promise.all([checkDatabase(database.pool), checkRedis(redis)]);
    const status: 'ok' | 'degraded' = postgres.ok && redisState.ok ? 'ok' : 'degraded';
    return { status, postgres, redis: redisState, uptimeSeconds: Math.round(process.uptime()) };
  };
  app.get('/health', { schema: { tags: ['health'], response: { 200: healthBody } } }, async () => report());
  app.get(
    '/ready',
    { schema: { tags: ['health'], response: { 200: healthBody, 503: healthBody } } },
    async (_request, reply) => {
      const body = await report();
      return reply.status(body.status === 'ok' ? 200 : 503).send(body);
    },
  );
};
