import type { FastifyPluginAsync } from 'fastify';
import { createOutboxRepository, type DatabaseHandle } from '@rendezvous/db';
import type { Redis } from 'ioredis';
import { createQueueMonitor, DEFAULT_PUBLISH_INTERVAL_MS, QUEUES, readServiceMetrics, type MetricFamily, type PublishedSnapshot, type QueueDepths } from '@rendezvous/queue';

/** Queue depths are read at most this often, however many scrapers poll. */
const DEPTH_CACHE_MS = 2_000;
/** A worker's snapshot older than this is from a process that stopped (it publishes every 5 s). */
const SNAPSHOT_MAX_AGE_MS = 12 * DEFAULT_PUBLISH_INTERVAL_MS;
/** Services that publish metrics through Redis (ingest: IngestMetrics; detector: DetectorMetrics). */
const PUBLISHING_SERVICES = ['ingest', 'detector'] as const;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const formatNumber = (n: number) => (Number.isNaN(n) ? 'NaN' : n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : String(n));

function labelSet(labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .filter(([k]) => LABEL.test(k))
    .map(([k, v]) => `${k}="${escapeValue(String(v))}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Prometheus text format 0.0.4 for the families published by worker processes, one `process` label each. */
export function renderPublished(snapshots: readonly PublishedSnapshot[]): string {
  const byName = new Map<string, { family: MetricFamily; process: string }[]>();
  for (const s of snapshots) {
    for (const family of s.families) {
      if (!NAME.test(family.name)) continue;
      const list = byName.get(family.name) ?? [];
      list.push({ family, process: s.process });
      byName.set(family.name, list);
    }
  }
  const lines: string[] = [];
  for (const [name, entries] of byName) {
    const first = entries[0]!.family;
    lines.push(`# HELP ${name} ${escapeHelp(first.help)}`, `# TYPE ${name} ${first.type}`);
    for (const { family, process } of entries) {
      if (family.type !== first.type) continue;
      if (family.type === 'histogram') {
        family.buckets.forEach((le, i) => lines.push(`${name}_bucket${labelSet({ process, le: formatNumber(le) })} ${formatNumber(family.counts[i] ?? 0)}`));
        lines.push(`${name}_bucket${labelSet({ process, le: '+Inf' })} ${formatNumber(family.count)}`);
        lines.push(`${name}_sum${labelSet({ process })} ${formatNumber(family.sum)}`, `${name}_count${labelSet({ process })} ${formatNumber(family.count)}`);
      } else {
        for (const sample of family.samples) lines.push(`${name}${labelSet({ ...sample.labels, process })} ${formatNumber(sample.value)}`);
      }
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

function renderDepths(depths: QueueDepths): string {
  const lines = ['# HELP rendezvous_queue_jobs BullMQ jobs by queue and state (read on scrape, cached 2 s)', '# TYPE rendezvous_queue_jobs gauge'];
  for (const [queue, counts] of Object.entries(depths)) {
    for (const [state, n] of Object.entries(counts)) lines.push(`rendezvous_queue_jobs${labelSet({ queue, state })} ${n}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * GET /metrics: Prometheus text format. Needs a token like every non-health route (Prometheus
 * scrape configs send one with `authorization: { credentials: … }`). Contents: this API process's
 * HTTP and process metrics, BullMQ queue depths, and the counters ingest and detector processes
 * publish to Redis. A source that cannot be read (Redis away) is reported by
 * `rendezvous_metrics_source_up{source} 0` instead of failing the scrape.
 */
export const metricsRoutes: FastifyPluginAsync<{ redis: Redis; redisPrefix: string; database: DatabaseHandle }> = async (app, { redis, redisPrefix: prefix, database }) => {
  const monitor = createQueueMonitor({ connection: redis, prefix });
  const outbox = createOutboxRepository(database.db);
  app.addHook('onClose', () => monitor.close());
  let depths: { at: number; value: Promise<QueueDepths> } | null = null;
  const readDepths = () => {
    if (!depths || Date.now() - depths.at > DEPTH_CACHE_MS) {
      const value = monitor.depths(Object.keys(QUEUES));
      depths = { at: Date.now(), value };
      // A failed read is not cached: the next scrape tries again.
      value.catch(() => {
        if (depths?.value === value) depths = null;
      });
    }
    return depths.value;
  };

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text format 0.0.4): HTTP, queue depths, ingest counters, detector timings, process',
        response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const up: Record<string, number> = {};
      // The outbox is read beside the queue depths, not after them: while Redis is away the depths
      // can take seconds to fail, and the outbox is then the figure that matters, as of now.
      const backlog = outbox.backlog().then(
        (b) => ({ b }),
        (err: unknown) => ({ err }),
      );
      const sections: string[] = [await app.metricsRegistry.metrics()];
      try {
        sections.push(renderDepths(await readDepths()));
        up['queues'] = 1;
      } catch (err) {
        request.log.warn({ err: (err as Error).message }, 'metrics: cannot read queue depths');
        up['queues'] = 0;
      }
      // Detection windows waiting in PostgreSQL (the outbox): readable while Redis is away, which
      // is when they pile up.
      const read = await backlog;
      if ('b' in read) {
        const { b } = read;
        sections.push(
          '# HELP rendezvous_detection_outbox_windows Detection windows committed by ingest and not yet detected (outbox, PostgreSQL)\n# TYPE rendezvous_detection_outbox_windows gauge\n' +
            `rendezvous_detection_outbox_windows ${b.windows}\n` +
            '# HELP rendezvous_detection_outbox_oldest_seconds Age of the oldest outbox row (0 when empty)\n# TYPE rendezvous_detection_outbox_oldest_seconds gauge\n' +
            `rendezvous_detection_outbox_oldest_seconds ${b.oldestAgeS ?? 0}\n`,
        );
        up['outbox'] = 1;
      } else {
        request.log.warn({ err: (read.err as Error).message }, 'metrics: cannot read the detection outbox');
        up['outbox'] = 0;
      }
      for (const service of PUBLISHING_SERVICES) {
        try {
          sections.push(renderPublished(await readServiceMetrics(redis, prefix, service, SNAPSHOT_MAX_AGE_MS)));
          up[service] = 1;
        } catch (err) {
          request.log.warn({ err: (err as Error).message, service }, 'metrics: cannot read published metrics');
          up[service] = 0;
        }
      }
      sections.push(
        '# HELP rendezvous_metrics_source_up Whether /metrics could read a source (queues, published service metrics)\n# TYPE rendezvous_metrics_source_up gauge\n' +
          Object.entries(up)
            .map(([source, v]) => `rendezvous_metrics_source_up${labelSet({ source })} ${v}`)
            .join('\n') +
          '\n',
      );
      return reply.type(app.metricsRegistry.contentType).send(sections.map((s) => (s.endsWith('\n') || s === '' ? s : s + '\n')).join(''));
    },
  );
};
