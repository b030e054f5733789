import { access } from 'node:fs/promises';
import { createDatabase } from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';
import { ingestFiles } from '@rendezvous/ingest';
import { createProducer, createRedis } from '@rendezvous/queue';
import type { Command } from '../command.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Ingest AIS files (NMEA or CSV, plain or gzip; `-` = stdin) into DATABASE_URL; prints a JSON summary',
  usage: 'ingest <files…> [--no-detect]',
  async run(args, { config, logger, stdout }) {
    const detect = !args.includes('--no-detect');
    const paths = args.filter((a) => a !== '--no-detect');
    const unknown = paths.find((p) => p.startsWith('--'));
    if (unknown) throw new ValidationError(`unknown option ${unknown}`);
    if (paths.length === 0) throw new ValidationError('ingest needs at least one file (or - for stdin)');
    for (const p of paths) {
      if (p !== '-') await access(p).catch(() => Promise.reject(new ValidationError(`${p}: no such file`)));
    }
    const database = createDatabase(config.db, logger);
    const redis = detect ? createRedis(config.redis, logger, 'producer') : null;
    const detection = redis ? createProducer('detection', { connection: redis, prefix: config.redis.prefix }) : null;
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const summary = await ingestFiles(paths, { config, logger, database, detection, signal: controller.signal });
      stdout.write(JSON.stringify(summary, null, 2) + '\n');
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await detection?.close();
      redis?.disconnect();
      await database.close();
    }
  },
};
