import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { DEFAULT_PROFILES } from '@rendezvous/detection';
import { NotFoundError } from '@rendezvous/errors';
import { createQueueMonitor, enqueueReprocess, REPROCESS_JOB_ID } from '@rendezvous/queue';
import { principalOf } from '../auth/auth-plugin.ts';
import { errorResponses, isoInstant } from './schemas.ts';
import { reprocessRequestSchema, reprocessResultSchema } from './response-schemas.ts';

const PROFILE_NAMES = DEFAULT_PROFILES.map((p) => p.name);

const reprocessBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: isoInstant,
    to: isoInstant,
    // Ranges and order (south < north, west != east) are checked by planWindows, with a message.
    bbox: {
      type: 'array',
      description: '[west, south, east, north] in degrees; west > east is a box crossing the antimeridian',
      minItems: 4,
      maxItems: 4,
      items: { type: 'number', minimum: -180, maximum: 180 },
    },
    profile: { type: 'string', enum: PROFILE_NAMES, description: 'Re-run only this detection profile’s alerts (default: every profile)' },
    // Same bounds as the CLI's --window-hours: a window is one detect-window job.
    windowHours: { type: 'integer', minimum: 1, maximum: 168, default: 24 },
  },
} as const;

const jobIdParam = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: REPROCESS_JOB_ID.source, description: 'a reprocess job id (reprocess-<32 hex digits>, from POST /v1/reprocess)' } },
} as const;

const windowCounts = {
  type: 'object',
  properties: { done: { type: 'integer' }, failed: { type: 'integer' }, total: { type: 'integer' } },
} as const;

const jobStatus = {
  type: 'object',
  required: ['id', 'status', 'progress', 'windows'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', description: 'BullMQ state: waiting-children (windows running), waiting/active (summing), completed, failed…' },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    windows: windowCounts,
    request: reprocessRequestSchema,
    result: reprocessResultSchema,
    failedReason: { type: 'string', nullable: true },
    createdAt: { type: 'string' },
    startedAt: { type: 'string', nullable: true },
    finishedAt: { type: 'string', nullable: true },
  },
} as const;

const schedule = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    pattern: { type: 'string', nullable: true },
    tz: { type: 'string', nullable: true },
    nextRunAt: { type: 'string', nullable: true },
    lookbackHours: { type: 'number', nullable: true },
    windowHours: { type: 'number', nullable: true },
  },
} as const;

type Bbox = [number, number, number, number];

/**
 * Batch re-runs: POST /v1/reprocess enqueues a reprocess flow (the same as `npm run cli --
 * reprocess`) on the running detectors; GET /v1/jobs/:id follows it; GET /v1/schedules lists the
 * scheduled re-runs (REPROCESS_SCHEDULE, a BullMQ job scheduler set by the detector).
 */
export const batchRoutes: FastifyPluginAsync<{ redis: Redis; redisPrefix: string }> = async (app, { redis, redisPrefix: prefix }) => {
  const ctx = { connection: redis, prefix };
  const monitor = createQueueMonitor(ctx);
  app.addHook('onClose', () => monitor.close());

  app.post<{ Body: { from: string; to: string; bbox?: Bbox; profile?: string; windowHours: number } }>(
    '/v1/reprocess',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['batch'],
        summary: 'Re-run detection over a time range (optional bbox and profile) on the running detectors; returns the job id',
        description:
          'The job id derives from the range, bbox and profile: the same request while its job is queued or running returns that job (the work is done once); once it has finished, the same request runs again under the same id.',
        body: reprocessBody,
        response: {
          202: {
            type: 'object',
            required: ['jobId', 'windows', 'status'],
            properties: { jobId: { type: 'string' }, windows: { type: 'integer' }, status: { type: 'string', enum: ['queued'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { from, to, bbox, profile, windowHours } = request.body;
      const { job, windows } = await enqueueReprocess(ctx, {
        from: new Date(from),
        to: new Date(to),
        bbox,
        profile,
        windowMs: windowHours * 3_600_000,
        requestedBy: principalOf(request).name,
      });
      void reply.header('location', `/v1/jobs/${job.id}`);
      return reply.status(202).send({ jobId: job.id!, windows, status: 'queued' as const });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['batch'],
        summary: 'A reprocess job: state, windows done of total, result once completed, failure reason',
        params: jobIdParam,
        response: { 200: jobStatus, ...errorResponses },
      },
    },
    async (request) => {
      const status = await monitor.reprocessStatus(request.params.id);
      if (!status) throw new NotFoundError(`no reprocess job ${request.params.id} (completed jobs are kept 7 days, failed ones 30)`);
      return status;
    },
  );

  app.get(
    '/v1/schedules',
    {
      schema: {
        tags: ['batch'],
        summary: 'Scheduled re-runs (REPROCESS_SCHEDULE): cron pattern, next run, lookback',
        response: { 200: { type: 'array', items: schedule }, ...errorResponses },
      },
    },
    async () => monitor.reprocessSchedules(),
  );
};
