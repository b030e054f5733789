// Shared plumbing for integration tests: config, logger and handles pointed at the test stores.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '@rendezvous/config';
import { createDatabase, type DatabaseHandle } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { testEnv } from './test-env.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The team's real public data (../shared/data beside the repository); absent on a user's clone. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const HAS_SHARED_DATA = existsSync(SHARED_DATA);
export const SHARED_SKIP_NOTE = `(skipped: ${SHARED_DATA} is absent; it holds the team's real AIS captures)`;

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig(testEnv(extra));
}

export const quietLogger = createLogger({ level: 'silent', format: 'json' }, 'test');

/**
 * The test's own handle on the test database, as the schema owner: tests truncate and install
 * fault triggers, which the services' role may not. Code under test that should run with the
 * services' rights gets `createDatabase(config.db)` (or runs as a spawned service).
 */
export function openTestDatabase(config: Config = testConfig()): DatabaseHandle {
  return createDatabase({ ...config.db, url: config.db.migrationUrl, poolMax: 4 }, quietLogger);
}

/** Empties what ingest writes, so each test counts from zero. */
export async function resetIngestTables(database: DatabaseHandle): Promise<void> {
  await database.pool.query('TRUNCATE positions, vessel_identity_history, vessels, detection_outbox');
}

export async function count(database: DatabaseHandle, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(sql, params);
  return Number(rows[0]!.n);
}

/** Empties alerts and what ingest writes: an in-process detector test's clean slate. */
export async function resetDetectionTables(database: DatabaseHandle): Promise<void> {
  await resetIngestTables(database);
  await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
}

/** Empties alerts (and what ingest writes) and the detection queue: a detector test's clean slate. */
export async function resetDetection(database: DatabaseHandle, redis: import('ioredis').Redis, config: Config): Promise<void> {
  await resetDetectionTables(database);
  const { Queue } = await import('bullmq');
  const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
  await q.obliterate({ force: true });
  await q.close();
}
