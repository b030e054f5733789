import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenRepository } from '@rendezvous/db';
import { createRedis, metricsKey, startMetricsPublisher } from '@rendezvous/queue';
import { buildApp } from '../../services/api/src/app.ts';
import { DetectorMetrics } from '../../services/detector/src/detector-metrics.ts';
import { IngestMetrics, ingestMetricFamilies } from '@rendezvous/ingest';
import { openTestDatabase, quietLogger, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
const tokens = createTokenRepository(database.db);
let app: FastifyInstance;
let viewer: string;
beforeAll(async () => {
  app = await buildApp({ config, logger: quietLogger, database, redis });
  viewer = (await tokens.create({ role: 'viewer', name: 'prometheus' })).token;
  for (const service of ['ingest', 'detector']) await redis.del(metricsKey(config.redis.prefix, service));
});
afterAll(async () => {
  await app?.close();
  redis.disconnect();
  await database.close();
});

/** Parses Prometheus text format into `name{labels}` → value (labels as written, sorted by the exporter). */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text format: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}
/** The value of the one sample of `name` whose labels include all of `labels`. */
function value(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const hits = [...samples.entries()].filter(([key]) => (key === name || key.startsWith(`${name}{`)) && wanted.every((w) => key.includes(w)));
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}: ${hits.map((h) => h[0]).join(', ')}`);
  return hits[0]?.[1];
}

const scrape = async () => {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${viewer}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: res.body, samples: parse(res.body) };
};

describe('/metrics', () => {
  it('needs a token like every non-health route', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('counts HTTP requests by route pattern, method and status (never the raw URL), with a latency histogram', async () => {
    const auth = { authorization: `Bearer ${viewer}` };
    const before = (await scrape()).samples;
    const base = (labels: Record<string, string>) => value(before, 'rendezvous_http_requests_total', labels) ?? 0;
    const t0 = performance.now();
    for (const mmsi of [111111111, 222222222, 333333333]) await app.inject({ method: 'GET', url: `/v1/vessels/${mmsi}`, headers: auth });
    const spentS = (performance.now() - t0) / 1000;
    await app.inject({ method: 'GET', url: '/health' });
    for (let i = 0; i < 2; i++) await app.inject({ method: 'GET', url: `/no/such/${i}-${Date.now()}`, headers: auth });
    const { text, samples } = await scrape();
    const route = '/v1/vessels/:mmsi';
    expect(value(samples, 'rendezvous_http_requests_total', { route, method: 'GET', status: '404' })).toBe(base({ route, method: 'GET', status: '404' }) + 3);
    expect(value(samples, 'rendezvous_http_requests_total', { route: '/health', method: 'GET', status: '200' })).toBe(base({ route: '/health', method: 'GET', status: '200' }) + 1);
    expect(value(samples, 'rendezvous_http_requests_total', { route: 'unmatched', status: '404' })).toBe(base({ route: 'unmatched', status: '404' }) + 2);
    // Bounded cardinality: no URL of a request appears as a label.
    expect(text).not.toContain('111111111');
    expect(text).not.toContain('/no/such');
    const count = value(samples, 'rendezvous_http_request_duration_seconds_count', { route, method: 'GET', status: '404' })!;
    expect(count).toBeGreaterThanOrEqual(3);
    const sum = value(samples, 'rendezvous_http_request_duration_seconds_sum', { route, method: 'GET', status: '404' })!;
    const sumBefore = value(before, 'rendezvous_http_request_duration_seconds_sum', { route, method: 'GET', status: '404' }) ?? 0;
    expect(sum).toBeGreaterThan(sumBefore);
    // In seconds, not ms: the three requests' durations fit in the time the test spent making them.
    expect(sum - sumBefore).toBeLessThanOrEqual(spentS);
    expect(value(samples, 'rendezvous_http_request_duration_seconds_bucket', { route, method: 'GET', status: '404', le: '+Inf' })).toBe(count);
    // Process metrics of the API.
    expect(value(samples, 'rendezvous_api_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });

  it('reports BullMQ queue depths by queue and state', async () => {
    const q = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
    try {
      await q.obliterate({ force: true });
      await q.add('detect-window', { from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T01:00:00.000Z', reason: 'ingest' });
      await q.add('detect-window', { from: '2024-01-01T01:00:00.000Z', to: '2024-01-01T02:00:00.000Z', reason: 'ingest' }, { delay: 3_600_000 });
      // Depths are cached for 2 s: scrape until the cache shows the queue as it is now.
      const deadline = Date.now() + 10_000;
      let samples = (await scrape()).samples;
      const depth = (state: string) => value(samples, 'rendezvous_queue_jobs', { queue: 'detection', state });
      while ((depth('waiting') !== 1 || depth('delayed') !== 1) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        samples = (await scrape()).samples;
      }
      expect(depth('waiting')).toBe(1);
      expect(depth('delayed')).toBe(1);
      expect(value(samples, 'rendezvous_queue_jobs', { queue: 'detection', state: 'active' })).toBe(0);
      expect(value(samples, 'rendezvous_queue_jobs', { queue: 'reprocess', state: 'failed' })).toBeGreaterThanOrEqual(0);
      expect(value(samples, 'rendezvous_metrics_source_up', { source: 'queues' })).toBe(1);
    } finally {
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it('exposes the counters ingest and detector processes publish through Redis, per process', async () => {
    const ingest = new IngestMetrics();
    ingest.lines = 8551;
    for (let i = 0; i < 5; i++) ingest.message(1);
    ingest.message(5);
    ingest.reject('bad_checksum', 3);
    ingest.batch(133, 2965, 2960);
    ingest.batch(7, 10, 10);
    const detector = new DetectorMetrics();
    const window = { from: '', to: '', vessels: 4, positions: 500, events: 2, created: 1, updated: 1, unchanged: 0, retracted: 1, provisional: 0, rereads: 0 };
    detector.window('ingest', { ...window, ms: 40 });
    detector.window('reprocess', { ...window, ms: 1500 });
    detector.failed();
    const publishers = [
      startMetricsPublisher({ redis, prefix: config.redis.prefix, service: 'ingest', collect: () => ingestMetricFamilies(ingest), logger: quietLogger, process: 'ingest-a' }),
      startMetricsPublisher({ redis, prefix: config.redis.prefix, service: 'detector', collect: () => detector.families(), logger: quietLogger, process: 'det-1' }),
      startMetricsPublisher({ redis, prefix: config.redis.prefix, service: 'detector', collect: () => new DetectorMetrics().families(), logger: quietLogger, process: 'det-2' }),
    ];
    try {
      await Promise.all(publishers.map((p) => p.publish()));
      const { text, samples } = await scrape();
      const a = { process: 'ingest-a' };
      expect(value(samples, 'rendezvous_ingest_lines_total', a)).toBe(8551);
      expect(value(samples, 'rendezvous_ingest_messages_total', { ...a, type: '1' })).toBe(5);
      expect(value(samples, 'rendezvous_ingest_messages_total', { ...a, type: '5' })).toBe(1);
      expect(value(samples, 'rendezvous_ingest_rejections_total', { ...a, reason: 'bad_checksum' })).toBe(3);
      expect(value(samples, 'rendezvous_ingest_positions_stored_total', a)).toBe(2970);
      expect(value(samples, 'rendezvous_ingest_batches_total', a)).toBe(2);
      // 7 ms ≤ 10 ms bucket; 133 ms ≤ 250 ms; both ≤ +Inf; sum in seconds.
      expect(value(samples, 'rendezvous_ingest_batch_commit_seconds_bucket', { ...a, le: '0.01' })).toBe(1);
      expect(value(samples, 'rendezvous_ingest_batch_commit_seconds_bucket', { ...a, le: '0.1' })).toBe(1);
      expect(value(samples, 'rendezvous_ingest_batch_commit_seconds_bucket', { ...a, le: '0.25' })).toBe(2);
      expect(value(samples, 'rendezvous_ingest_batch_commit_seconds_bucket', { ...a, le: '+Inf' })).toBe(2);
      expect(value(samples, 'rendezvous_ingest_batch_commit_seconds_sum', a)).toBeCloseTo(0.14, 6);
      expect(text).toMatch(/^# TYPE rendezvous_ingest_lines_total counter$/m);
      expect(text).toMatch(/^# TYPE rendezvous_ingest_batch_commit_seconds histogram$/m);

      const d = { process: 'det-1' };
      expect(value(samples, 'rendezvous_detector_windows_total', { ...d, reason: 'ingest' })).toBe(1);
      expect(value(samples, 'rendezvous_detector_windows_total', { ...d, reason: 'reprocess' })).toBe(1);
      expect(value(samples, 'rendezvous_detector_windows_failed_total', d)).toBe(1);
      expect(value(samples, 'rendezvous_detector_events_total', d)).toBe(4);
      expect(value(samples, 'rendezvous_detector_alerts_total', { ...d, outcome: 'created' })).toBe(2);
      expect(value(samples, 'rendezvous_detector_alerts_total', { ...d, outcome: 'retracted' })).toBe(2);
      expect(value(samples, 'rendezvous_detector_window_duration_seconds_count', d)).toBe(2);
      expect(value(samples, 'rendezvous_detector_window_duration_seconds_sum', d)).toBeCloseTo(1.54, 6);
      expect(value(samples, 'rendezvous_detector_window_duration_seconds_bucket', { ...d, le: '0.05' })).toBe(1);
      expect(value(samples, 'rendezvous_detector_window_duration_seconds_bucket', { ...d, le: '2.5' })).toBe(2);
      // The second detector process is its own series; one HELP/TYPE per family.
      expect(value(samples, 'rendezvous_detector_window_duration_seconds_count', { process: 'det-2' })).toBe(0);
      expect(text.match(/^# TYPE rendezvous_detector_window_duration_seconds /gm)).toHaveLength(1);
      expect(value(samples, 'rendezvous_metrics_source_up', { source: 'detector' })).toBe(1);

      // A process that stopped publishing long ago is dropped (and removed from Redis).
      const key = metricsKey(config.redis.prefix, 'detector');
      await redis.hset(key, 'det-2', JSON.stringify({ process: 'det-2', at: Date.now() - 3_600_000, families: new DetectorMetrics().families() }));
      const after = (await scrape()).samples;
      expect(value(after, 'rendezvous_detector_window_duration_seconds_count', { process: 'det-2' })).toBeUndefined();
      expect(value(after, 'rendezvous_detector_window_duration_seconds_count', d)).toBe(2);
      expect(await redis.hexists(key, 'det-2')).toBe(0);
    } finally {
      for (const p of publishers) await p.stop();
      for (const service of ['ingest', 'detector']) await redis.del(metricsKey(config.redis.prefix, service));
    }
  });
});
