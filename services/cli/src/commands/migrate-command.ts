import { migrateDatabase } from '@rendezvous/db';
import type { Command } from '../command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (safe to run from several processes at once)',
  usage: 'migrate',
  async run(_args, { config, logger, stdout }) {
    stdout.write(JSON.stringify(await migrateDatabase(config.db, logger)) + '\n');
    return 0;
  },
};
