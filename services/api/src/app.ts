import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { toAlertSummary } from '@rendezvous/alerts';
import type { Config } from '@rendezvous/config';
import { createAlertQueryRepository, createScreeningService, createTokenRepository, type DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { DEFAULT_CACHE_TTL_MS, authPlugin, markRoutesPublic, type AuthTuning } from './auth/auth-plugin.ts';
import { createAlertChangeFeed, type ChangeFeedOptions } from './changes/change-feed.ts';
import { conditionalGet } from './changes/conditional-get.ts';
import { registerErrorHandler } from './error-handler.ts';
import { finiteNumbers } from './plugins/finite-numbers.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { createRateLimiter, rateLimitPlugin } from './plugins/rate-limit.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { batchRoutes } from './routes/batch-routes.ts';
import { alertRoutes } from './routes/alert-routes.ts';
import { alertStreamRoutes, type AlertStreamTuning } from './routes/alert-stream-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';
import { suspectRoutes } from './routes/suspect-routes.ts';
import { vesselRoutes } from './routes/vessel-routes.ts';
import { loadKnownPorts } from '@rendezvous/geography';
import { watchlistRoutes } from './routes/watchlist-routes.ts';
import { evidenceExportRoutes } from './routes/evidence-export-routes.ts';
import { mapRoutes } from './routes/map-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';
import { webAppRoutes } from './web/web-app-routes.ts';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  redis: Redis;
  /** Token cache and last-used tuning; tests shorten the cache TTL. */
  auth?: AuthTuning;
  /** Alert stream tuning (buffer bound, heartbeat); tests shrink the buffer bound. */
  sse?: AlertStreamTuning;
  /** Alert change feed tuning; tests turn off the fallback poll so only NOTIFY can bring a change. */
  changeFeed?: ChangeFeedOptions;
}

/**
 * TRUST_PROXY as Fastify's trustProxy. A hop count becomes "trust the first n addresses from the
 * socket's peer": Fastify itself trusts no hop for a bare number.
 */
function trustProxyOption(value: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/**
 * Builds the Fastify app in one fixed order: error handling → OpenAPI → security headers/CORS →
 * rate limit → auth → metrics → routes.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { http } = deps.config;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Requests carry an id (honoured from X-Request-Id when a proxy set one) used in every log
    // line and every problem+json error body.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1024 * 1024,
    // Behind a reverse proxy, request.ip is the client X-Forwarded-For names (rate limits, logs);
    // otherwise the header is ignored, so a client cannot pick its own address.
    trustProxy: trustProxyOption(http.trustProxy),
    // A request must arrive whole within requestTimeout (a slow-loris gets 408 and is closed);
    // a connection idle for connectionTimeout is closed. Streamed responses (SSE, CSV) are not
    // cut: the request timer stops once the request is in, and the stream's heartbeat (below)
    // keeps its connection from idling.
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    // Node checks request timeouts on this period (default 30 s): a tenth of the timeout keeps
    // the enforcement close to the configured value.
    // Headers count against the same budget (Node's headersTimeout may not exceed it); set at
    // creation, it also closes a connection that never sends a request.
    http: {
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(http.requestTimeoutMs / 10))),
      requestTimeout: http.requestTimeoutMs,
      headersTimeout: http.requestTimeoutMs,
    },
    // A kept-alive connection idle between requests closes within the connection timeout too.
    keepAliveTimeout: Math.min(72_000, http.connectionTimeoutMs),
    // Unknown fields are an error (400), not silently dropped; query strings are coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  registerErrorHandler(app);
  // Before every route: the OpenAPI document is built from the routes as they are added.
  await app.register(openapiPlugin);
  await app.register(securityHeadersPlugin, { corsOrigins: deps.config.http.corsOrigins });
  // Before auth only for its per-address check of failed authentications; the per-token limit is
  // a route-level hook, which Fastify runs after auth (see plugins/rate-limit.ts).
  const limiter = createRateLimiter(http.rateLimit);
  await app.register(rateLimitPlugin, { limiter });
  const tokens = createTokenRepository(deps.database.db);
  await app.register(authPlugin, { tokens, onFailure: limiter.authFailed, ...deps.auth });
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
  const alertChanges = await createAlertChangeFeed(deps.database, deps.config.db.url, deps.logger, deps.changeFeed);
  app.addHook('onClose', () => alertChanges.close());
  await app.register(conditionalGet, { feeds: { alerts: alertChanges } });
  const screening = createScreeningService(deps.database.db);
  await app.register(watchlistRoutes, { database: deps.database, screening });
  await app.register(suspectRoutes, { database: deps.database, screening });
  await app.register(vesselRoutes, { database: deps.database, screening, knownPorts: await loadKnownPorts(deps.config.detection.portsFile, deps.config.sanctions) });
  // Before alertRoutes: the literal /v1/alerts/stream must not be shadowed by /v1/alerts/:id in the docs.
  const alertQueries = createAlertQueryRepository(deps.database.db);
  await app.register(alertStreamRoutes, {
    feed: alertChanges,
    changesAfter: async (after, limit) =>
      (await alertQueries.changedAfter(after, limit)).map((row) => ({ seq: row.change_seq, alert: toAlertSummary(row) })),
    activeTokens: (ids) => tokens.activeIds(ids),
    maxStreams: http.sse.maxStreams,
    maxStreamsPerToken: http.sse.maxStreamsPerToken,
    // Streams of a revoked token close within the same window as its other requests.
    revalidateMs: deps.auth?.cacheTtlMs || DEFAULT_CACHE_TTL_MS,
    // Under half the idle timeout, so an open stream is never taken for an idle connection.
    heartbeatMs: Math.min(15_000, Math.floor(http.connectionTimeoutMs / 2)),
    ...deps.sse,
  });
  await app.register(alertRoutes, { database: deps.database });
  // `redisPrefix`, not `prefix`: Fastify reads a plugin's `prefix` option as a URL prefix.
  await app.register(batchRoutes, { redis: deps.redis, redisPrefix: deps.config.redis.prefix });
  await app.register(metricsRoutes, { redis: deps.redis, redisPrefix: deps.config.redis.prefix, database: deps.database });
  // Issue 14: the analyst web app and what it needs beyond the alert routes.
  const shared = { config: deps.config, logger: deps.logger, database: deps.database, redis: deps.redis, alertChanges };
  await app.register(evidenceExportRoutes, shared);
  await app.register(webhookRoutes, shared);
  await app.register(mapRoutes, shared);
  await app.register(webAppRoutes, shared);
  return app;
}
