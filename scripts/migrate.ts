// Applies pending migrations to the database DATABASE_URL names (`npm run migrate`).
import { loadConfig } from '@rendezvous/config';
import { createLogger } from '@rendezvous/logger';
import { createDatabase, migrate } from '@rendezvous/db';

const config = loadConfig();
const logger = createLogger(config.log, 'migrate');
// No statement timeout here: an index build in a migration may take long.
const database = createDatabase({ url: config.db.url, poolMax: config.db.poolMax }, logger);
try {
  const result = await migrate(database.pool, logger);
  process.stdout.write(
    `migrations: ${result.applied.length} applied${result.applied.length ? ` (${result.applied.join(', ')})` : ''}, ${result.alreadyApplied} already applied\n`,
  );
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.exitCode = 1;
} finally {
  await database.close();
}
