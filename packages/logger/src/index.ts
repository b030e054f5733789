import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '@rendezvous/config';

export type { Logger } from 'pino';

/**
 * Paths that may hold secrets. pino replaces them before a line is written, so a token or a
 * password never reaches a log even when a whole request or config object is logged.
 */
const REDACT = [
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.db.url',
  'config.redis.url',
  'databaseUrl',
  'redisUrl',
];

/**
 * The one logger factory. `name` is the service or component (`api`, `ingest`, `cli`…).
 * `to: 'stderr'` is for commands whose stdout carries results.
 */
export function createLogger(log: Config['log'], name: string, { to = 'stdout' }: { to?: 'stdout' | 'stderr' } = {}): Logger {
  const fd = to === 'stderr' ? 2 : 1;
  const isTty = (to === 'stderr' ? process.stderr : process.stdout).isTTY === true;
  const options = {
    name,
    level: log.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: name },
  };
  const usePretty = log.format === 'pretty' || (log.format === 'auto' && isTty);
  if (!usePretty) return pino(options, pino.destination({ fd, sync: true }));
  // Synchronous pretty stream (no worker thread) so the last lines before exit are never lost.
  return pino(options, pretty({ colorize: isTty, sync: true, destination: fd, ignore: 'pid,hostname,service' }));
}
