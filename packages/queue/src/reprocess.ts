import { randomUUID } from 'node:crypto';
import { FlowProducer, type Job } from 'bullmq';
import { ValidationError } from '@rendezvous/errors';
import type { QueueContext } from './queues.ts';

export interface ReprocessRequest {
  from: Date;
  to: Date;
  /** west, south, east, north (degrees) */
  bbox?: [number, number, number, number] | undefined;
  windowMs: number;
  requestedBy: string;
  /** Only this detection profile's alerts are re-run (its name); absent = every profile. */
  profile?: string | undefined;
}

/** AIS carriage began in 2002 (SOLAS V/19): nothing earlier can hold positions. */
const EARLIEST = Date.UTC(2002, 0, 1);
const MAX_WINDOWS = 20_000;

/** Checks a reprocess request and returns its windows ([start, end) epoch ms, aligned to windowMs). */
export function planWindows(req: ReprocessRequest): [number, number][] {
  const from = req.from.getTime();
  const to = req.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ValidationError('from and to must be ISO-8601 times');
  if (from >= to) throw new ValidationError('from must be before to');
  if (from < EARLIEST) throw new ValidationError('from is before 2002, when AIS carriage began');
  if (to > Date.now() + 86_400_000) throw new ValidationError('to is more than a day in the future');
  if (req.bbox) {
    const [w, s, e, n] = req.bbox;
    if (![w, s, e, n].every(Number.isFinite) || w < -180 || e > 180 || s < -90 || n > 90 || s >= n || w >= e) {
      throw new ValidationError('bbox must be west,south,east,north in degrees with west < east and south < north');
    }
  }
  const start = Math.floor(from / req.windowMs) * req.windowMs;
  const windows: [number, number][] = [];
  for (let t = start; t < to; t += req.windowMs) windows.push([t, t + req.windowMs]);
  if (windows.length > MAX_WINDOWS) throw new ValidationError(`${windows.length} windows is too many for one request (max ${MAX_WINDOWS}); use a longer window or split the range`);
  return windows;
}

/**
 * Fans a reprocess request out as a BullMQ flow: a `reprocess` parent with one `detect-window`
 * child per window, which any number of detector processes share. Child ids are derived from the
 * parent's, so a retried enqueue cannot double a window. Returns the parent job.
 */
export async function enqueueReprocess(ctx: QueueContext, req: ReprocessRequest): Promise<{ job: Job; windows: number }> {
  const windows = planWindows(req);
  const id = `reprocess-${randomUUID()}`;
  const flow = new FlowProducer({ connection: ctx.connection, prefix: ctx.prefix });
  try {
    const node = await flow.add({
      name: 'reprocess',
      queueName: 'reprocess',
      opts: { jobId: id, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } },
      data: {
        from: req.from.toISOString(),
        to: req.to.toISOString(),
        ...(req.bbox ? { bbox: req.bbox } : {}),
        ...(req.profile ? { profile: req.profile } : {}),
        windows: windows.length,
        requestedBy: req.requestedBy,
      },
      children: windows.map(([s, e]) => ({
        name: 'detect-window',
        queueName: 'detection',
        data: { from: new Date(s).toISOString(), to: new Date(e).toISOString(), reason: 'reprocess' as const, ...(req.bbox ? { bbox: req.bbox } : {}), ...(req.profile ? { profile: req.profile } : {}) },
        // A crashed worker's job is retried (stalled-job recovery plus attempts).
        opts: { jobId: `${id}-w${s}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 86_400 } },
      })),
    });
    return { job: node.job, windows: windows.length };
  } finally {
    await flow.close();
  }
}
