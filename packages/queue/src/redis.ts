import { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import type { Logger } from '@rendezvous/logger';

/**
 * The one Redis connection factory. BullMQ workers block on Redis and must retry forever
 * (`maxRetriesPerRequest: null`, BullMQ docs "Connections"); producers and probes fail fast
 * instead, so an HTTP request never hangs on a Redis outage.
 */
export function createRedis(config: Pick<Config['redis'], 'url'>, logger: Logger, role: 'worker' | 'producer'): Redis {
  const redis = new Redis(config.url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    connectTimeout: 5000,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let lastError = '';
  redis.on('error', (err: Error) => {
    // ioredis emits the same error on every reconnect attempt; log each distinct one once.
    if (err.message !== lastError) logger.warn({ err: err.message, role }, 'Redis connection error');
    lastError = err.message;
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return redis;
}

/** Health probe: a PING round trip with its latency, bounded by `timeoutMs`. Never throws. */
export async function checkRedis(redis: Redis, timeoutMs = 2000): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    return {
      ok: false,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      error: (err as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}
