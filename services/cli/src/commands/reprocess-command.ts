import { parseArgs } from 'node:util';
import { ValidationError } from '@rendezvous/errors';
import { createQueueEvents, createRedis, enqueueReprocess, lastQueueEventId } from '@rendezvous/queue';
import type { Command } from '../command.ts';

export const reprocessCommand: Command = {
  name: 'reprocess',
  summary: 'Re-run detection over a time range (and area) on the running detectors; --wait prints the result as JSON',
  usage: 'reprocess --from <ISO> --to <ISO> [--bbox w,s,e,n] [--window-hours 24] [--wait] [--timeout <s>]',
  async run(args, { config, logger, stdout }) {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        bbox: { type: 'string' },
        'window-hours': { type: 'string', default: '24' },
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '3600' },
      },
    });
    if (!values.from || !values.to) throw new ValidationError('reprocess needs --from and --to (ISO-8601)');
    const bbox = values.bbox?.split(',').map(Number);
    if (bbox && bbox.length !== 4) throw new ValidationError('--bbox is west,south,east,north');
    const windowHours = Number(values['window-hours']);
    if (!(windowHours >= 1 && windowHours <= 168)) throw new ValidationError('--window-hours must be between 1 and 168');
    const connection = createRedis(config.redis, logger, 'producer');
    const eventsConnection = values.wait ? createRedis(config.redis, logger, 'worker') : null;
    // Read from the stream's newest id before the job exists, so its completion cannot be missed (queues.ts).
    const events = eventsConnection
      ? createQueueEvents('reprocess', { connection: eventsConnection, prefix: config.redis.prefix }, await lastQueueEventId('reprocess', { connection, prefix: config.redis.prefix }))
      : null;
    try {
      await events?.waitUntilReady();
      const started = performance.now();
      const { job, windows } = await enqueueReprocess(
        { connection, prefix: config.redis.prefix },
        {
          from: new Date(values.from),
          to: new Date(values.to),
          bbox: bbox as [number, number, number, number] | undefined,
          windowMs: windowHours * 3_600_000,
          requestedBy: `cli:${process.env['USER'] ?? 'operator'}`,
        },
      );
      if (!events) {
        stdout.write(JSON.stringify({ jobId: job.id, windows, status: 'queued' }) + '\n');
        return 0;
      }
      // The same request already queued or running is that job (its id derives from the request):
      // waiting for it waits for the one run.
      let result: unknown;
      try {
        result = await job.waitUntilFinished(events, Number(values.timeout) * 1000);
      } catch (err) {
        // A window that failed for good fails the whole job, with the count in its reason.
        stdout.write(JSON.stringify({ jobId: job.id, status: 'failed', failedReason: (err as Error).message, ms: Math.round(performance.now() - started) }, null, 2) + '\n');
        return 1;
      }
      stdout.write(JSON.stringify({ jobId: job.id, status: 'completed', ...(result as object), ms: Math.round(performance.now() - started) }, null, 2) + '\n');
      return 0;
    } finally {
      await events?.close();
      eventsConnection?.disconnect();
      connection.disconnect();
    }
  },
};
