import os from 'node:os';
import { createDatabase, createOutboxRepository } from '@rendezvous/db';
import {
  createConsumer,
  createProducer,
  createRedis,
  enqueueReprocess,
  removeReprocessSchedule,
  startMetricsPublisher,
  startOutboxDrain,
  upsertReprocessSchedule,
  type JobResult,
} from '@rendezvous/queue';
import { UnrecoverableError } from 'bullmq';
import { runService } from '@rendezvous/runtime';
import { startCloseSweep } from './close-sweep.ts';
import { DetectorMetrics } from './detector-metrics.ts';
import { DEFAULT_DARK_PROFILES, DEFAULT_PROFILES, PORT_CALL_RADIUS_M, createPortIndex, createPortLookup, type DestinationPort, type PortIndex, type PortLookup } from '@rendezvous/detection';
import { loadPortsFile, loadSanctioned, sanctionedPortEntries } from '@rendezvous/geography';
import { loadStsHubs } from './sts-areas-file.ts';
import { createWindowDetector } from './window-detector.ts';

await runService('detector', async ({ config, logger }) => {
  // The port list first, before any connection: an unreadable PORTS_FILE throws a ConfigError
  // naming the variable, which runService turns into a configuration-error exit like bad env.
  let ports: PortIndex | null = null;
  // The sanctioned ports (SANCTIONED_*) are always watched for calls, with or without PORTS_FILE,
  // each with its own radius (their WPI positions are good to ~2 km).
  const sanctioned = loadSanctioned(config.sanctions);
  const sanctionedPorts = sanctionedPortEntries(config.sanctions);
  let portCalls: PortLookup | null = sanctionedPorts.length > 0 ? createPortLookup(sanctionedPorts) : null;
  // What a declared destination may name (destination-match.ts): the listed ports and the sanctioned ones.
  let knownPorts: DestinationPort[] = sanctionedPorts;
  logger.info({ countries: sanctioned.countries, ports: sanctioned.ports.length }, 'sanctioned countries and ports loaded');
  if (config.detection.portsFile) {
    const file = await loadPortsFile(config.detection.portsFile);
    ports = createPortIndex(file.points, Math.max(...DEFAULT_PROFILES.map((p) => p.portRadiusM)));
    portCalls = createPortLookup([...file.ports.map((p) => ({ ...p, radiusM: PORT_CALL_RADIUS_M })), ...sanctionedPorts]);
    knownPorts = [...file.ports, ...sanctionedPorts];
    const fields = { file: config.detection.portsFile, ports: file.points.length, rows: file.rows, rejected: file.bad };
    if (file.bad > 0) logger.warn({ ...fields, samples: file.badSamples }, 'port list loaded; rows without a valid position skipped');
    else logger.info(fields, 'port list loaded');
  }
  const hubs = loadStsHubs(config.detection.stsAreasFile);
  logger.info({ file: hubs.file, hubs: hubs.areas.length }, hubs.file ? 'STS hubs loaded' : 'STS hubs off');
  const connection = createRedis(config.redis, logger, 'worker');
  // JIT off: each window's statements run once, the compiled code is never reused (pool.ts).
  const database = createDatabase({ ...config.db, jit: false }, logger);
  const detector = createWindowDetector(database, logger, { ports, portCalls, sanctioned, knownPorts, maxMeetingMs: config.detection.maxMeetingMs, hubAt: hubs.hubAt });
  // Connections opened and their backends readied before the first job (window-detector.ts).
  // If PostgreSQL is not reachable yet, the jobs open them as before (and fail on their own).
  await detector.prepareConnections().then(
    (ms) => logger.info({ ms: Math.round(ms) }, 'database connections prepared'),
    (err: unknown) => logger.warn({ err: (err as Error).message }, 'could not prepare database connections; the first job opens them'),
  );
  // Then one run on synthetic traffic, writing nothing, so the first job runs compiled code.
  await detector.warmUp().then(
    ({ ms, result }) => logger.info({ ms: Math.round(ms), events: result.events }, 'detector warmed up'),
    (err: unknown) => logger.warn({ err: (err as Error).message }, 'detector warm-up failed; the first job runs cold'),
  );
  const handledBy = `detector@${os.hostname()}:${process.pid}`;
  const ctx = { connection, prefix: config.redis.prefix, logger, lockMs: config.redis.workerLockMs };
  const metrics = new DetectorMetrics();
  const publisher = startMetricsPublisher({ redis: connection, prefix: config.redis.prefix, service: 'detector', collect: () => metrics.families(), logger });

  const system = createConsumer(
    'system',
    { ping: async (payload) => ({ nonce: payload.nonce, handledBy, handledAt: new Date().toISOString() }) },
    ctx,
  );
  const outbox = createOutboxRepository(database.db);
  const detection = createConsumer(
    'detection',
    {
      'detect-window': async (payload) => {
        // The outbox rows this run covers, read before it reads any position: a run over the
        // whole window (no area or profile restriction) settles them; rows committed while it
        // runs stay, and are queued again.
        const whole = !payload.bbox && !payload.profile;
        const covered = whole ? await outbox.pending(new Date(payload.from), new Date(payload.to)) : [];
        const [west, south, east, north] = payload.bbox ?? [];
        const summary = await detector
          .run({
            from: new Date(payload.from),
            to: new Date(payload.to),
            bbox: payload.bbox ? { west: west!, south: south!, east: east!, north: north! } : null,
            profile: payload.profile,
          })
          .catch((err: unknown) => {
            metrics.failed();
            throw err;
          });
        metrics.window(payload.reason, summary);
        await outbox.ack(covered);
        return summary;
      },
    },
    { ...ctx, concurrency: 1 },
  );
  // The parent of a reprocess flow runs once every window job has ended: it sums them, or fails
  // naming how many windows failed for good (their jobs are kept, with their reasons), so a
  // flow never waits for ever and never reports a partial run as complete.
  const reprocess = createConsumer(
    'reprocess',
    {
      reprocess: async (payload, job) => {
        const failures = Object.values(await job.getIgnoredChildrenFailures());
        if (failures.length > 0) {
          throw new UnrecoverableError(`${failures.length} of ${payload.windows} windows failed (first: ${failures[0]})`);
        }
        const children = Object.values(await job.getChildrenValues()) as JobResult<'detection', 'detect-window'>[];
        const sum = (k: 'events' | 'created' | 'updated' | 'unchanged' | 'retracted' | 'positions') => children.reduce((s, c) => s + c[k], 0);
        return {
          from: payload.from,
          to: payload.to,
          windows: children.length,
          events: sum('events'),
          created: sum('created'),
          updated: sum('updated'),
          unchanged: sum('unchanged'),
          retracted: sum('retracted'),
          positions: sum('positions'),
        };
      },
      scheduled: async (payload) => {
        const to = new Date();
        const from = new Date(to.getTime() - payload.lookbackHours * 3_600_000);
        const { job, windows } = await enqueueReprocess(
          { connection, prefix: config.redis.prefix },
          { from, to, windowMs: payload.windowHours * 3_600_000, requestedBy: 'schedule' },
        );
        return { reprocessJobId: job.id!, from: from.toISOString(), to: to.toISOString(), windows };
      },
    },
    ctx,
  );
  // The schedule lives in Redis (BullMQ job scheduler): upserting it at every boot keeps one
  // schedule however many detectors run, and removing it when unset turns it off.
  const queueCtx = { connection, prefix: config.redis.prefix };
  if (config.detection.schedule) {
    await upsertReprocessSchedule(queueCtx, { pattern: config.detection.schedule, lookbackHours: config.detection.scheduleLookbackMs / 3_600_000, windowHours: 24 });
    logger.info({ pattern: config.detection.schedule }, 'reprocess schedule set');
  } else {
    await removeReprocessSchedule(queueCtx);
  }
  // Live meetings whose ships have parted are closed by re-running their last window.
  const sweepProducer = createProducer('detection', { connection, prefix: config.redis.prefix });
  // Detectors drain the outbox too: windows a CLI ingest left there, and windows whose job was
  // lost (Redis restarted empty) or failed every attempt, are queued again without an ingest
  // service running (issue 11).
  const outboxDrain = startOutboxDrain({ outbox, producer: sweepProducer, logger, everyMs: 5000 });
  const closeSweep = startCloseSweep({
    database,
    producer: sweepProducer,
    logger,
    windowMs: config.detection.windowMs,
    mergeGapMs: Math.max(...DEFAULT_PROFILES.map((p) => p.mergeGapMs)),
    gapThresholdsMs: [...new Set(DEFAULT_DARK_PROFILES.map((p) => p.gapMinMs))],
  });
  return {
    async stop() {
      await closeSweep.stop();
      await outboxDrain.stop();
      await sweepProducer.close();
      await Promise.all([system.close(), detection.close(), reprocess.close()]);
      await publisher.stop();
      connection.disconnect();
      await database.close();
    },
  };
});
