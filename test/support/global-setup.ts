// Runs once before the integration tier: the test database exists and is migrated, and the
// test Redis keys are empty, so every run starts from the same state.
import { Redis } from 'ioredis';
import { migrateDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createDatabaseIfMissing } from './databases.ts';
import { TEST_REDIS_PREFIX, testDatabaseUrl, testOwnerUrl, testRedisUrl } from './test-env.ts';

export default async function setup(): Promise<void> {
  const logger = createLogger({ level: 'warn', format: 'json' }, 'test-setup');
  const url = testDatabaseUrl();
  await createDatabaseIfMissing(new URL(url).pathname.slice(1));
  // As the owner, granting the services' role its rights (as `npm run migrate` does).
  await migrateDatabase({ url, migrationUrl: testOwnerUrl() }, logger).catch((err: unknown) => {
    throw new Error(
      `could not migrate the test database as ${new URL(testOwnerUrl()).username} (${(err as Error).message}); ` +
        'run the tests with `npm test` (setup exports DATABASE_MIGRATION_URL, the schema owner), or set TEST_DATABASE_OWNER_URL',
      { cause: err },
    );
  });
  const redis = new Redis(testRedisUrl());
  try {
    const keys = await redis.keys(`${TEST_REDIS_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
