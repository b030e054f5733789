// Runs once before the integration tier: the test database exists and is migrated, and the
// test Redis keys are empty, so every run starts from the same state.
import { Redis } from 'ioredis';
import { createDatabase, migrate } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createDatabaseIfMissing } from './databases.ts';
import { TEST_REDIS_PREFIX, testDatabaseUrl, testRedisUrl } from './test-env.ts';

export default async function setup(): Promise<void> {
  const logger = createLogger({ level: 'warn', format: 'json' }, 'test-setup');
  const url = testDatabaseUrl();
  await createDatabaseIfMissing(new URL(url).pathname.slice(1));
  const database = createDatabase({ url, poolMax: 2 }, logger);
  try {
    await migrate(database.pool, logger);
  } finally {
    await database.close();
  }
  const redis = new Redis(testRedisUrl());
  try {
    const keys = await redis.keys(`${TEST_REDIS_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
