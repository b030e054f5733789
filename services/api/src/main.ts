import { createDatabase } from '@rendezvous/db';
import { createRedis } from '@rendezvous/queue';
import { runService } from '@rendezvous/runtime';
import { buildApp } from './app.ts';

await runService('api', async ({ config, logger }) => {
  const database = createDatabase({ ...config.db, statementTimeoutMs: config.http.statementTimeoutMs }, logger);
  const redis = createRedis(config.redis, logger, 'producer');
  const app = await buildApp({ config, logger, database, redis });
  await app.listen({ host: config.http.host, port: config.http.port });
  return {
    async stop() {
      await app.close();
      redis.disconnect();
      await database.close();
    },
  };
});
