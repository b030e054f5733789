import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowProducer, Queue, type Job } from 'bullmq';
import { EARLIEST_AIS_MS } from '@rendezvous/ais';
import { ValidationError } from '@rendezvous/errors';
import { parsePayload, quietErrors, type QueueContext } from './queues.ts';
import { DETECTION_RETRY } from './retry.ts';

export interface ReprocessRequest {
  from: Date;
  to: Date;
  /** west, south, east, north (degrees); west > east crosses the antimeridian. */
  bbox?: [number, number, number, number] | undefined;
  windowMs: number;
  requestedBy: string;
  /** Only this detection profile's alerts are re-run (its name); absent = every profile. */
  profile?: string | undefined;
}

const MAX_WINDOWS = 20_000;

/** Checks a reprocess request and returns its windows ([start, end) epoch ms, aligned to windowMs). */
export function planWindows(req: ReprocessRequest): [number, number][] {
  const from = req.from.getTime();
  const to = req.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ValidationError('from and to must be ISO-8601 times');
  if (from >= to) throw new ValidationError('from must be before to');
  if (from < EARLIEST_AIS_MS) throw new ValidationError('from is before 2002, when AIS carriage began');
  if (to > Date.now() + 86_400_000) throw new ValidationError('to is more than a day in the future');
  if (req.bbox) {
    const [w, s, e, n] = req.bbox;
    // west > east is a box crossing the antimeridian (as the alert filters read it).
    if (![w, s, e, n].every(Number.isFinite) || [w, e].some((x) => x < -180 || x > 180) || s < -90 || n > 90 || s >= n || w === e) {
      throw new ValidationError('bbox must be west,south,east,north in degrees with south < north and west != east (west > east crosses the antimeridian)');
    }
  }
  const start = Math.floor(from / req.windowMs) * req.windowMs;
  const windows: [number, number][] = [];
  for (let t = start; t < to; t += req.windowMs) windows.push([t, t + req.windowMs]);
  if (windows.length > MAX_WINDOWS) throw new ValidationError(`${windows.length} windows is too many for one request (max ${MAX_WINDOWS}); use a longer window or split the range`);
  return windows;
}

/**
 * The job id of a request: `reprocess-` and the first 32 hex digits of the SHA-256 of its range,
 * area and profile, written canonically (ISO times, numbers as JSON writes them). The same
 * request, however written and whoever asks, has the same id; the window length only decides
 * how the work is split, and requestedBy is not part of the work.
 */
export function reprocessJobId(req: Pick<ReprocessRequest, 'from' | 'to' | 'bbox' | 'profile'>): string {
  const canonical = JSON.stringify([req.from.toISOString(), req.to.toISOString(), req.bbox ?? null, req.profile ?? null]);
  return `reprocess-${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

const UNFINISHED = new Set(['waiting', 'waiting-children', 'active', 'delayed', 'prioritized']);

/**
 * Fans a reprocess request out as a BullMQ flow: a `reprocess` parent with one `detect-window`
 * child per window, which any number of detector processes share. Its id derives from the
 * request (reprocessJobId), so enqueueing the same request again while it is queued or running
 * returns that job and does the work once; a request whose job has finished (completed or
 * failed) runs again under the same id (new data, new thresholds), replacing the finished one.
 * Every payload is checked against the shared contract first. A window that fails for good is
 * recorded on the parent (ignoreDependencyOnFailure), which then runs and fails with the count,
 * so a flow always ends. Returns the parent job.
 */
export async function enqueueReprocess(ctx: QueueContext, req: ReprocessRequest): Promise<{ job: Job; windows: number; existing: boolean }> {
  const windows = planWindows(req);
  const id = reprocessJobId(req);
  const data = parsePayload('reprocess', 'reprocess', {
    from: req.from.toISOString(),
    to: req.to.toISOString(),
    ...(req.bbox ? { bbox: req.bbox } : {}),
    ...(req.profile ? { profile: req.profile } : {}),
    windows: windows.length,
    requestedBy: req.requestedBy,
  });
  // Child ids name the run as well as the window: a window job of an earlier run of the same
  // request, still kept (failed windows are kept 30 days), is never taken for this run's.
  const run = Date.now().toString(36);
  const children = windows.map(([s, e]) => ({
    name: 'detect-window' as const,
    queueName: 'detection',
    data: parsePayload('detection', 'detect-window', {
      from: new Date(s).toISOString(),
      to: new Date(e).toISOString(),
      reason: 'reprocess' as const,
      ...(req.bbox ? { bbox: req.bbox } : {}),
      ...(req.profile ? { profile: req.profile } : {}),
    }),
    // Retried while PostgreSQL is away (and a crashed worker's job by stalled-job recovery);
    // a window that fails for good is kept 30 days, its reason read by the parent.
    opts: {
      jobId: `${id}-${run}-w${s}`,
      ...DETECTION_RETRY,
      ignoreDependencyOnFailure: true,
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    },
  }));
  const queue = quietErrors(new Queue('reprocess', { connection: ctx.connection, prefix: ctx.prefix }));
  const flow = quietErrors(new FlowProducer({ connection: ctx.connection, prefix: ctx.prefix }));
  // Look-then-add under a short Redis lock: two identical requests at once must not both
  // replace a finished job, or add a flow beside one being added.
  const release = await lock(ctx, `${ctx.prefix}:reprocess-enqueue:${id}`);
  try {
    const state = await queue.getJobState(id);
    if (UNFINISHED.has(state)) {
      const job = await queue.getJob(id);
      if (job) return { job, windows: (job.data as { windows: number }).windows, existing: true };
    } else if (state === 'completed' || state === 'failed') {
      // Its windows go with it: a finished child left under the same id would count as done
      // for the new parent, which would then wait for it for ever.
      await (await queue.getJob(id))?.remove({ removeChildren: true });
    }
    const node = await flow.add({
      name: 'reprocess',
      queueName: 'reprocess',
      opts: { jobId: id, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } },
      data,
      children,
    });
    return { job: node.job, windows: windows.length, existing: false };
  } finally {
    await release();
    await Promise.all([flow.close(), queue.close()]);
  }
}

const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** A Redis lock (SET NX PX): waits up to 10 s for it; it expires by itself after 30 s. */
async function lock(ctx: QueueContext, key: string): Promise<() => Promise<void>> {
  const token = randomUUID();
  const deadline = Date.now() + 10_000;
  while ((await ctx.connection.set(key, token, 'PX', 30_000, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error(`another enqueue of ${key} holds its lock`);
    await sleep(25);
  }
  return async () => {
    await ctx.connection.eval(RELEASE_SCRIPT, 1, key, token);
  };
}

/** The scheduler of scheduled re-runs, one per Redis whatever the number of detectors. */
export const REPROCESS_SCHEDULER_ID = 'reprocess-schedule';

/**
 * Sets (or replaces) the scheduled re-run (REPROCESS_SCHEDULE): a BullMQ job scheduler firing
 * `scheduled` jobs, whose template is checked against the shared contract like any payload.
 */
export async function upsertReprocessSchedule(ctx: QueueContext, schedule: { pattern: string; lookbackHours: number; windowHours: number }): Promise<void> {
  const data = parsePayload('reprocess', 'scheduled', { lookbackHours: schedule.lookbackHours, windowHours: schedule.windowHours });
  const queue = quietErrors(new Queue('reprocess', { connection: ctx.connection, prefix: ctx.prefix }));
  try {
    await queue.upsertJobScheduler(REPROCESS_SCHEDULER_ID, { pattern: schedule.pattern, tz: 'UTC' }, { name: 'scheduled', data });
  } finally {
    await queue.close();
  }
}

/** Removes the scheduled re-run, if any (REPROCESS_SCHEDULE unset). */
export async function removeReprocessSchedule(ctx: QueueContext): Promise<void> {
  const queue = quietErrors(new Queue('reprocess', { connection: ctx.connection, prefix: ctx.prefix }));
  try {
    await queue.removeJobScheduler(REPROCESS_SCHEDULER_ID);
  } finally {
    await queue.close();
  }
}
