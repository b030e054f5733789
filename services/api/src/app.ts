import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import { createScreeningService, createTokenRepository, type DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { authPlugin, markRoutesPublic, type AuthTuning } from './auth/auth-plugin.ts';
import { createAlertChangeFeed } from './changes/change-feed.ts';
import { conditionalGet } from './changes/conditional-get.ts';
import { registerErrorHandler } from './error-handler.ts';
import { healthRoutes } from './routes/health-routes.ts';
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

/** Builds the Fastify app in one fixed order: error handling → dependencies → auth → routes. */
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
  await app.register(authPlugin, { tokens: createTokenRepository(deps.database.db), ...deps.auth });
  // Probes come from load balancers and orchestrators, which hold no token.
  await app.register(async (scope) => {
    markRoutesPublic(scope);
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
  return app;
}
