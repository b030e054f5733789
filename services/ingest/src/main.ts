import { checkDatabase, createDatabase } from '@rendezvous/db';
import { runService } from '@rendezvous/runtime';

await runService('ingest', async ({ config, logger }) => {
  const database = createDatabase(config.db, logger);
  const state = await checkDatabase(database.pool);
  if (!state.ok) logger.warn({ error: state.error }, 'PostgreSQL not reachable yet; ingest will retry');
  return {
    async stop() {
      await database.close();
    },
  };
});
