// Where integration tests keep their data: never the dev database or the dev Redis keys.
// TEST_DATABASE_URL / TEST_REDIS_URL override; otherwise the dev URLs with `_test` appended to
// the database name and Redis logical database 1, under the `rzv-test` key prefix.
// Two roles, as in production: services (spawned or in-process through testConfig) connect as
// the DATABASE_URL role, which only reads and writes rows; the tests' own handles (truncating,
// creating databases, migrating) use the schema owner, TEST_DATABASE_OWNER_URL or
// DATABASE_MIGRATION_URL with the same `_test` database.
const DEFAULT_DATABASE_URL = 'postgres://rendezvous:rendezvous@localhost:5432/rendezvous';
const DEFAULT_REDIS_URL = 'redis://localhost:6379/0';

export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env['TEST_DATABASE_URL']) return env['TEST_DATABASE_URL'];
  const url = new URL(env['DATABASE_URL'] || DEFAULT_DATABASE_URL);
  url.pathname = `${url.pathname.replace(/^\//, '') || 'rendezvous'}_test`;
  return url.toString();
}

/** The schema owner's URL of the test database (migrations, TRUNCATE, CREATE DATABASE). */
export function testOwnerUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env['TEST_DATABASE_OWNER_URL']) return env['TEST_DATABASE_OWNER_URL'];
  const owner = env['DATABASE_MIGRATION_URL'];
  if (!owner) return testDatabaseUrl(env);
  const url = new URL(owner);
  url.pathname = new URL(testDatabaseUrl(env)).pathname;
  return url.toString();
}

export function testRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env['TEST_REDIS_URL']) return env['TEST_REDIS_URL'];
  const url = new URL(env['REDIS_URL'] || DEFAULT_REDIS_URL);
  url.pathname = '/1';
  return url.toString();
}

export const TEST_REDIS_PREFIX = 'rzv-test';

/** The environment a test process or a spawned service runs with. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_MIGRATION_URL: testOwnerUrl(),
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: TEST_REDIS_PREFIX,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    // A stack started on an empty test database would otherwise seed the first-run demo into it.
    DEMO: 'off',
    ...extra,
  };
}

/** The owner's URL for another database on the same server (scratch databases: create, migrate). */
export function databaseUrlFor(name: string): string {
  const url = new URL(testOwnerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** The services' URL for another database on the same server. */
export function serviceUrlFor(name: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
