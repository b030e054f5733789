import os from 'node:os';
import { createConsumer, createRedis } from '@rendezvous/queue';
import { runService } from '@rendezvous/runtime';

await runService('detector', async ({ config, logger }) => {
  const connection = createRedis(config.redis, logger, 'worker');
  const handledBy = `detector@${os.hostname()}:${process.pid}`;
  const system = createConsumer(
    'system',
    {
      ping: async (payload) => ({ nonce: payload.nonce, handledBy, handledAt: new Date().toISOString() }),
    },
    { connection, prefix: config.redis.prefix, logger },
  );
  return {
    async stop() {
      await system.close();
      connection.disconnect();
    },
  };
});
