import { parseSentence, retimeLine } from '@rendezvous/ais';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase, createOutboxRepository } from '@rendezvous/db';
import { createProducer, createRedis, startMetricsPublisher, startOutboxDrain } from '@rendezvous/queue';
import { runService } from '@rendezvous/runtime';
import { AutoReader, Backoff, createPipeline, IngestMetrics, ingestMetricFamilies, openSource, PositionStore } from '@rendezvous/ingest';

const DAY_MS = 86_400_000;

function lineTime(line: string): number | null {
  const parsed = parseSentence(line);
  return parsed.ok ? parsed.sentence.timestampMs : null;
}
/** Partitions are created this many days ahead, so live data never waits on DDL. */
const PARTITION_DAYS_AHEAD = 3;

await runService('ingest', async ({ config, logger }) => {
  const database = createDatabase(config.db, logger);
  const redis = createRedis(config.redis, logger, 'producer');
  const detection = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
  const controller = new AbortController();
  const metrics = new IngestMetrics();
  // Counters reach Prometheus through the API's /metrics (published to Redis).
  const publisher = startMetricsPublisher({ redis, prefix: config.redis.prefix, service: 'ingest', collect: () => ingestMetricFamilies(metrics), logger });

  // Detection windows wait in PostgreSQL (the outbox, written with the positions) until Redis
  // takes them: a Redis outage never stops storing, and no touched window is forgotten.
  const drain = startOutboxDrain({
    outbox: createOutboxRepository(database.db),
    producer: detection,
    logger,
    onState: ({ ok, enqueued }) => {
      metrics.outboxFailing = ok ? 0 : 1;
      metrics.windowsEnqueued += enqueued;
    },
  });

  const maintenance = new PositionStore(database.pool, logger);
  const createPartitionsAhead = async () => {
    const today = Math.floor(Date.now() / DAY_MS);
    const days = Array.from({ length: PARTITION_DAYS_AHEAD + 1 }, (_, i) => new Date((today + i) * DAY_MS).toISOString().slice(0, 10));
    await maintenance.ensurePartitions(database.pool, days).catch((err) => logger.warn({ err: err.message }, 'could not create partitions ahead; will retry'));
  };
  await createPartitionsAhead();
  const partitionTimer = setInterval(() => void createPartitionsAhead(), 3_600_000);

  const runs = config.ingest.sources.map(async (spec) => {
    // A source that fails (a bug, a file that vanished, a batch that could not be written) is
    // restarted with backoff: a live feed must not stop for good on one error. One that ends
    // (a file read to its end) is done.
    const backoff = new Backoff({ initialMs: 1000, maxMs: 60_000 });
    while (!controller.signal.aborted) {
      // A replay source (`replay:<speed>:<file>`) paces lines by their TAG-block/trailer time and
      // re-stamps them from now on, so a capture plays as a live feed.
      const source = openSource(spec, {
        logger,
        replay: { timeOf: lineTime, retime: true, retimeLine },
        udp: { maxQueuedBytes: config.ingest.udpQueueBytes },
      });
      // What the source itself dropped (oversized lines, a full UDP queue…) reaches the
      // rejection counters every few seconds, not only in its warning log.
      const folded = new Map<string, number>();
      const foldDrops = () => {
        for (const [reason, n] of Object.entries(source.stats().dropped)) {
          const delta = n - (folded.get(reason) ?? 0);
          if (delta > 0) metrics.reject(reason, delta);
          folded.set(reason, n);
        }
      };
      const dropTimer = setInterval(foldDrops, 5000);
      dropTimer.unref();
      const { pipeline, store } = createPipeline({ config, logger, database, detection, drain, signal: controller.signal }, metrics);
      logger.info({ source: source.name }, 'reading live source');
      metrics.sourcesUp++;
      let failed = false;
      const started = Date.now();
      try {
        await pipeline.consume(source.lines(controller.signal), new AutoReader(metrics));
      } catch (err) {
        failed = !controller.signal.aborted;
        if (failed) logger.error({ err, source: source.name }, 'source failed; restarting it');
      } finally {
        clearInterval(dropTimer);
        foldDrops();
        metrics.sourcesUp--;
        await store.close();
        logger.info({ source: source.name, ...metrics.snapshot() }, 'source stopped');
      }
      if (!failed) return;
      if (Date.now() - started > 60_000) backoff.reset(); // it ran a while: the next failure is a new one
      metrics.sourceRestarts++;
      await sleep(backoff.next(), undefined, { signal: controller.signal }).catch(() => undefined);
    }
  });
  if (runs.length === 0) logger.info('no live sources configured (INGEST_SOURCES); use `npm run cli -- ingest <files>` for files');

  return {
    async stop() {
      clearInterval(partitionTimer);
      controller.abort();
      await Promise.allSettled(runs);
      await drain.stop();
      await publisher.stop();
      await detection.close();
      redis.disconnect();
      await database.close();
    },
  };
});
