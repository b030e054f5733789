import type { Config } from '@rendezvous/config';
import type { Logger } from '@rendezvous/logger';
import { migrate, serviceRoleOf, type MigrationResult } from './migrator.ts';
import { createDatabase } from './pool.ts';

/**
 * Applies pending migrations as the schema owner (DATABASE_MIGRATION_URL, else DATABASE_URL) and
 * grants the services' role (DATABASE_URL's user) what it needs. No statement timeout: an index
 * build may take long. The one entry point for `npm run migrate`, the CLI, setup and tests.
 */
export async function migrateDatabase(config: Pick<Config['db'], 'url' | 'migrationUrl'>, logger: Logger): Promise<MigrationResult> {
  const database = createDatabase({ url: config.migrationUrl, poolMax: 1 }, logger);
  try {
    return await migrate(database.pool, logger, undefined, { serviceRole: serviceRoleOf(config) });
  } finally {
    await database.close();
  }
}
