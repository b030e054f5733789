import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { checkDatabase, createOutboxRepository, type DatabaseHandle } from '@rendezvous/db';
import { checkRedis } from '@rendezvous/queue';

const dependencyState = {
  type: 'object',
  required: ['ok', 'latencyMs'],
  properties: {
    ok: { type: 'boolean' },
    latencyMs: { type: 'number' },
    error: { type: 'string', description: 'What kind of failure: unreachable, timeout, authentication failed, database missing, failed' },
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
    detectionBacklog: {
      type: 'object',
      description: 'Detection windows committed by ingest and not yet detected (the outbox in PostgreSQL; they pile up while Redis is away). Absent when PostgreSQL does not answer.',
      required: ['windows', 'oldestAgeSeconds'],
      properties: { windows: { type: 'integer' }, oldestAgeSeconds: { type: ['number', 'null'] } },
    },
    checkedAt: { type: 'string', format: 'date-time', description: 'When the dependencies were probed (answers are cached for a second)' },
  },
} as const;

/** Probes answered from memory for this long: a probe storm costs one round trip per second. */
export const HEALTH_CACHE_MS = 1000;

/**
 * The kind of a probe failure, never the driver's text: that names the host, port, user and
 * database of the connection URL, and the probes are public. The text goes to the log.
 */
export function failureKind(message: string): string {
  if (/timeout|timed out|no answer within/i.test(message)) return 'timeout';
  if (/password|authentication|no pg_hba|role .* does not exist/i.test(message)) return 'authentication failed';
  if (/database .* does not exist/i.test(message)) return 'database missing';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|terminated|closed|connect/i.test(message)) return 'unreachable';
  return 'failed';
}

/**
 * `/health` is liveness: the process answers (200) and reports the state of its dependencies.
 * `/ready` is readiness: 503 unless both PostgreSQL and Redis answer. Neither needs a token;
 * both share one probe of each dependency, made at most once a second (concurrent requests wait
 * for the probe in flight), and report failures by kind only.
 */
export const healthRoutes: FastifyPluginAsync<{ database: DatabaseHandle; redis: Redis }> = async (app, { database, redis }) => {
  type Report = {
    status: 'ok' | 'degraded';
    postgres: Record<string, unknown>;
    redis: Record<string, unknown>;
    detectionBacklog?: { windows: number; oldestAgeSeconds: number | null };
    checkedAt: string;
  };
  const outbox = createOutboxRepository(database.db);
  let cached: { report: Promise<Report>; expiresAt: number } | null = null;

  const sanitise = (name: string, state: { ok: boolean; latencyMs: number; error?: string; postgis?: string }) => {
    if (state.ok || state.error === undefined) return state;
    app.log.warn({ dependency: name, error: state.error }, 'health probe failed');
    return { ...state, error: failureKind(state.error) };
  };
  const probe = async (): Promise<Report> => {
    const [postgres, redisState] = await Promise.all([checkDatabase(database.pool), checkRedis(redis)]);
    const status: Report['status'] = postgres.ok && redisState.ok ? 'ok' : 'degraded';
    const backlog = postgres.ok ? await outbox.backlog().catch(() => null) : null;
    return {
      status,
      postgres: sanitise('postgres', postgres),
      redis: sanitise('redis', redisState),
      ...(backlog ? { detectionBacklog: { windows: backlog.windows, oldestAgeSeconds: backlog.oldestAgeS } } : {}),
      checkedAt: new Date().toISOString(),
    };
  };
  const report = async () => {
    const now = Date.now();
    if (!cached || cached.expiresAt <= now) {
      const entry = { report: probe(), expiresAt: Number.POSITIVE_INFINITY };
      cached = entry;
      // The second starts when the probe has answered, so a slow probe is not repeated at once.
      void entry.report.finally(() => (entry.expiresAt = Date.now() + HEALTH_CACHE_MS));
    }
    return { ...(await cached.report), uptimeSeconds: Math.round(process.uptime()) };
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
