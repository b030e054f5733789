import { createDatabase, migrate } from '@rendezvous/db';
import type { Command } from '../command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (safe to run from several processes at once)',
  usage: 'migrate',
  async run(_args, { config, logger, stdout }) {
    const database = createDatabase(config.db, logger);
    try {
      stdout.write(JSON.stringify(await migrate(database.pool, logger)) + '\n');
      return 0;
    } finally {
      await database.close();
    }
  },
};
