import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createProducer, createQueueEvents, createRedis, lastQueueEventId } from '@rendezvous/queue';
import { ValidationError } from '@rendezvous/errors';
import type { Command } from '../command.ts';

export const pingCommand: Command = {
  name: 'ping',
  summary: 'Send a job through Redis to a running detector and print its answer (liveness check)',
  usage: 'ping [--timeout <seconds>]',
  async run(args, { config, logger, stdout }) {
    const { values } = parseArgs({ args, options: { timeout: { type: 'string', default: '10' } } });
    const timeoutMs = Number(values.timeout) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ValidationError('--timeout must be a positive number of seconds');
    const connection = createRedis(config.redis, logger, 'producer');
    const eventsConnection = createRedis(config.redis, logger, 'worker');
    const ctx = { connection, prefix: config.redis.prefix };
    const producer = createProducer('system', ctx);
    // The answer's event is read from the stream's newest id before the job exists: however late
    // the event reader's first read goes out, it cannot miss the answer (queues.ts).
    const events = createQueueEvents('system', { connection: eventsConnection, prefix: config.redis.prefix }, await lastQueueEventId('system', ctx));
    try {
      await events.waitUntilReady();
      const started = performance.now();
      const job = await producer.add('ping', { nonce: randomUUID(), sentAt: new Date().toISOString() }, { removeOnComplete: 100, removeOnFail: 100 });
      const result = await job.waitUntilFinished(events, timeoutMs);
      stdout.write(JSON.stringify({ ...result, roundTripMs: Math.round(performance.now() - started) }) + '\n');
      return 0;
    } finally {
      await producer.close();
      await events.close();
      connection.disconnect();
      eventsConnection.disconnect();
    }
  },
};
