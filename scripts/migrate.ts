// Applies pending migrations to the database DATABASE_URL names (`npm run migrate`), as the schema
// owner (DATABASE_MIGRATION_URL), and grants the services' role its rights.
import { loadConfig } from '@rendezvous/config';
import { createLogger } from '@rendezvous/logger';
import { migrateDatabase } from '@rendezvous/db';

const config = loadConfig();
const logger = createLogger(config.log, 'migrate');
try {
  const result = await migrateDatabase(config.db, logger);
  process.stdout.write(
    `migrations: ${result.applied.length} applied${result.applied.length ? ` (${result.applied.join(', ')})` : ''}, ${result.alreadyApplied} already applied\n`,
  );
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.exitCode = 1;
}
