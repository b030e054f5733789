import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import type { DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { registerErrorHandler } from './error-handler.ts';
import { healthRoutes } from './routes/health-routes.ts';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  redis: Redis;
}

/** Builds the Fastify app in one fixed order: error handling → dependencies → routes. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Requests carry an id (honoured from X-Request-Id when a proxy set one) used in every log
    // line and every problem+json error body.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1024 * 1024,
  });
  registerErrorHandler(app);
  await app.register(healthRoutes, { database: deps.database, redis: deps.redis });
  return app;
}
