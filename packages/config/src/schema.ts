import Type, { type TLiteral } from 'typebox';

const literals = <const T extends string[]>(...values: T) =>
  values.map((v) => Type.Literal(v)) as { [K in keyof T]: TLiteral<T[K]> };

/**
 * Every environment variable the services read, with its default and meaning. This is the one
 * place configuration is declared; README's configuration table mirrors it (a test checks that).
 */
export const EnvSchema = Type.Object({
  DATABASE_URL: Type.String({
    pattern: '^postgres(ql)?://',
    default: 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous',
    description: 'PostgreSQL+PostGIS connection URL',
  }),
  DATABASE_POOL_MAX: Type.Integer({
    minimum: 1,
    maximum: 200,
    default: 10,
    description: 'Maximum connections in the one pg pool of a process',
  }),
  REDIS_URL: Type.String({
    pattern: '^rediss?://',
    default: 'redis://localhost:6379/0',
    description: 'Redis connection URL (BullMQ queues)',
  }),
  REDIS_PREFIX: Type.String({
    pattern: '^[A-Za-z0-9_.:-]{1,64}$',
    default: 'rzv',
    description: 'Key prefix for every BullMQ queue, so several deployments can share one Redis',
  }),
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'Interface the API listens on (0.0.0.0 in containers)',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'API port' }),
  LOG_LEVEL: Type.Union(literals('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), {
    default: 'info',
    description: 'pino log level',
  }),
  LOG_FORMAT: Type.Union(literals('auto', 'json', 'pretty'), {
    default: 'auto',
    description: 'auto = human-readable on a TTY, JSON lines otherwise',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 8000,
    description: 'Grace period for closing queues and the pool on SIGINT/SIGTERM before forcing exit',
  }),
});
