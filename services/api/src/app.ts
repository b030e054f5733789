import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import { createAlertQueryRepository, createScreeningService, createTokenRepository, type DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { toAlertSummary } from './alerts/alert-view.ts';
import { authPlugin, markRoutesPublic, type AuthTuning } from './auth/auth-plugin.ts';
import { createAlertChangeFeed } from './changes/change-feed.ts';
import { conditionalGet } from './changes/conditional-get.ts';
import { registerErrorHandler } from './error-handler.ts';
import { finiteNumbers } from './plugins/finite-numbers.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { batchRoutes } from './routes/batch-routes.ts';
import { alertRoutes } from './routes/alert-routes.ts';
import { alertStreamRoutes } from './routes/alert-stream-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';
import { suspectRoutes } from './routes/suspect-routes.ts';
import { vesselRoutes } from './routes/vessel-routes.ts';
import { watchlistRoutes } from './routes/watchlist-routes.ts';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  redis: Redis;
  /** Token cache and last-used tuning; tests shorten the cache TTL. */
  auth?: AuthTuning;
}

/**
 * Builds the Fastify app in one fixed order: error handling → OpenAPI → security headers/CORS →
 * rate limit → auth → metrics → routes.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Requests carry an id (honoured from X-Request-Id when a proxy set one) used in every log
    // line and every problem+json error body.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1024 * 1024,
    // Unknown fields are an error (400), not silently dropped; query strings are coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  registerErrorHandler(app);
  // Before every route: the OpenAPI document is built from the routes as they are added.
  await app.register(openapiPlugin);
  await app.register(securityHeadersPlugin, { corsOrigins: deps.config.http.corsOrigins });
  // Before auth only for its per-address check of failed authentications; the per-token limit is
  // a route-level hook, which Fastify runs after auth (see plugins/rate-limit.ts).
  await app.register(rateLimitPlugin, deps.config.http.rateLimit);
  await app.register(authPlugin, { tokens: createTokenRepository(deps.database.db), ...deps.auth });
  await app.register(metricsPlugin);
  await app.register(finiteNumbers);
  // Probes come from load balancers and orchestrators, which hold no token.
  await app.register(async (scope) => {
    markRoutesPublic(scope);
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, probe: true };
    });
    await scope.register(healthRoutes, { database: deps.database, redis: deps.redis });
  });
  // Dashboards' cheap polling: ETag/304 on routes marked `conditional`, and the alert stream.
  const alertChanges = await createAlertChangeFeed(deps.database, deps.config.db.url, deps.logger);
  app.addHook('onClose', () => alertChanges.close());
  await app.register(conditionalGet, { feeds: { alerts: alertChanges } });
  const screening = createScreeningService(deps.database.db);
  await app.register(watchlistRoutes, { database: deps.database, screening });
  await app.register(suspectRoutes, { database: deps.database, screening });
  await app.register(vesselRoutes, { database: deps.database, screening });
  // Before alertRoutes: the literal /v1/alerts/stream must not be shadowed by /v1/alerts/:id in the docs.
  const alertQueries = createAlertQueryRepository(deps.database.db);
  await app.register(alertStreamRoutes, {
    feed: alertChanges,
    changesAfter: async (after, limit) =>
      (await alertQueries.changedAfter(after, limit)).map((row) => ({ seq: row.change_seq, alert: toAlertSummary(row) })),
  });
  await app.register(alertRoutes, { database: deps.database });
  // `redisPrefix`, not `prefix`: Fastify reads a plugin's `prefix` option as a URL prefix.
  await app.register(batchRoutes, { redis: deps.redis, redisPrefix: deps.config.redis.prefix });
  await app.register(metricsRoutes, { redis: deps.redis, redisPrefix: deps.config.redis.prefix });
  return app;
}
