import os from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '@rendezvous/logger';

/**
 * Metrics that worker processes (ingest, detector) publish through Redis for the API's /metrics:
 * workers serve no HTTP, and Prometheus scrapes one place. Each process writes its own snapshot
 * as one field (`<host>:<pid>`) of the hash `<prefix>:metrics:<service>`; the API reads the hash
 * on scrape and labels each sample with the process that published it.
 */
export type MetricFamily =
  | { name: string; help: string; type: 'counter' | 'gauge'; samples: { labels?: Record<string, string>; value: number }[] }
  | {
      name: string;
      help: string;
      type: 'histogram';
      /** Upper bounds, ascending, without +Inf (implied: `count`). */
      buckets: number[];
      /** Cumulative count of observations ≤ each bound. */
      counts: number[];
      sum: number;
      count: number;
    };

export interface PublishedSnapshot {
  process: string;
  /** When it was published (ms since the epoch). */
  at: number;
  families: MetricFamily[];
}

export const metricsKey = (prefix: string, service: string) => `${prefix}:metrics:${service}`;

/** How often workers publish by default: a fraction of Prometheus's usual 15–60 s scrape interval. */
export const DEFAULT_PUBLISH_INTERVAL_MS = 5_000;

/**
 * Publishes `collect()` every `intervalMs` (and once more on stop). Publishing never throws:
 * metrics must not take a worker down when Redis is away; the next tick retries.
 */
export function startMetricsPublisher(options: {
  redis: Redis;
  prefix: string;
  service: string;
  collect: () => MetricFamily[];
  logger: Logger;
  intervalMs?: number;
  process?: string;
}) {
  const key = metricsKey(options.prefix, options.service);
  const field = options.process ?? `${os.hostname()}:${process.pid}`;
  let failing = false;
  const publish = async (): Promise<void> => {
    const snapshot: PublishedSnapshot = { process: field, at: Date.now(), families: options.collect() };
    try {
      await options.redis.hset(key, field, JSON.stringify(snapshot));
      failing = false;
    } catch (err) {
      if (!failing) options.logger.warn({ err: (err as Error).message, key }, 'could not publish metrics; will retry');
      failing = true;
    }
  };
  const timer = setInterval(() => void publish(), options.intervalMs ?? DEFAULT_PUBLISH_INTERVAL_MS);
  timer.unref();
  return {
    publish,
    async stop(): Promise<void> {
      clearInterval(timer);
      await publish();
    },
  };
}
export type MetricsPublisher = ReturnType<typeof startMetricsPublisher>;

/**
 * The live snapshots of a service. A snapshot older than `maxAgeMs` belongs to a process that
 * stopped (or lost Redis): it is dropped from the hash, so restarts do not accumulate series.
 */
export async function readServiceMetrics(redis: Redis, prefix: string, service: string, maxAgeMs: number): Promise<PublishedSnapshot[]> {
  const key = metricsKey(prefix, service);
  const fields = await redis.hgetall(key);
  const now = Date.now();
  const live: PublishedSnapshot[] = [];
  const stale: string[] = [];
  for (const [field, json] of Object.entries(fields)) {
    let snapshot: PublishedSnapshot | null = null;
    try {
      snapshot = JSON.parse(json) as PublishedSnapshot;
    } catch {
      snapshot = null;
    }
    if (!snapshot || !Array.isArray(snapshot.families) || !(now - snapshot.at <= maxAgeMs)) stale.push(field);
    else live.push({ ...snapshot, process: field });
  }
  if (stale.length > 0) await redis.hdel(key, ...stale);
  return live.sort((a, b) => (a.process < b.process ? -1 : 1));
}
