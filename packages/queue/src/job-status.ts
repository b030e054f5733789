import { Queue } from 'bullmq';
import type { JobResults } from './contracts.ts';
import { quietErrors, type QueueContext } from './queues.ts';

/**
 * Ids of reprocess flows (enqueueReprocess): `reprocess-<32 hex digits>`, derived from the
 * request (reprocessJobId); `reprocess-<uuid>` ids of flows enqueued before that are still
 * readable. Anything else is refused before Redis is asked, so a lookup cannot be steered at
 * another queue's keys.
 */
export const REPROCESS_JOB_ID = /^reprocess-(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface ReprocessStatus {
  id: string;
  /** BullMQ's state: waiting-children while windows run, then waiting/active (summing), completed or failed. */
  status: string;
  /** Completed windows over all windows, 0..1. */
  progress: number;
  windows: { done: number; failed: number; total: number };
  request: { from: string; to: string; bbox: [number, number, number, number] | null; profile: string | null; requestedBy: string };
  result: JobResults['reprocess']['reprocess'] | null;
  failedReason: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

/**
 * Read-only views of the queues for the API: reprocess job status, job schedulers, queue depths.
 * Holds one BullMQ Queue handle per queue on the caller's connection (close() releases them).
 */
export function createQueueMonitor(ctx: QueueContext) {
  const handles = new Map<string, Queue>();
  const queue = (name: string): Queue => {
    let q = handles.get(name);
    if (!q) {
      q = quietErrors(new Queue(name, { connection: ctx.connection, prefix: ctx.prefix }));
      handles.set(name, q);
    }
    return q;
  };
  return {
    reprocessStatus: (id: string) => reprocessStatus(queue('reprocess'), id),
    reprocessSchedules: () => reprocessSchedules(queue('reprocess')),
    /** Job counts by state of each named queue, for /metrics. */
    async depths(names: readonly string[]): Promise<QueueDepths> {
      const out: QueueDepths = {};
      await Promise.all(
        names.map(async (name) => {
          const c = await queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children');
          out[name] = {
            waiting: c['waiting'] ?? 0,
            active: c['active'] ?? 0,
            delayed: c['delayed'] ?? 0,
            failed: c['failed'] ?? 0,
            prioritized: c['prioritized'] ?? 0,
            waitingChildren: c['waiting-children'] ?? 0,
          };
        }),
      );
      return out;
    },
    async close(): Promise<void> {
      await Promise.all([...handles.values()].map((q) => q.close()));
      handles.clear();
    },
  };
}
export type QueueMonitor = ReturnType<typeof createQueueMonitor>;

/**
 * The state of one reprocess flow: how many of its windows are done (the parent's processed
 * dependencies), its result once every window has run, and its failure reason. Null when no such
 * job exists (never enqueued, or removed: completed flows are kept 7 days, failed ones 30).
 */
async function reprocessStatus(queue: Queue, id: string): Promise<ReprocessStatus | null> {
  if (!REPROCESS_JOB_ID.test(id)) return null;
  // State first, then the job: read the other way round, a job finishing in between would be
  // reported completed with the result it did not have yet when it was read.
  const state = await queue.getJobState(id);
  const job = await queue.getJob(id);
  if (!job || state === 'unknown') return null;
  const deps = await job.getDependenciesCount({ processed: true, failed: true, ignored: true });
  const data = job.data as { from: string; to: string; bbox?: [number, number, number, number]; profile?: string; windows: number; requestedBy: string };
  const total = data.windows;
  const failed = (deps.failed ?? 0) + (deps.ignored ?? 0);
  // A completed parent has run every window, whatever BullMQ kept of its dependency set.
  const done = state === 'completed' ? total : Math.min(total, deps.processed ?? 0);
  return {
    id,
    status: state,
    progress: total > 0 ? Math.round((done / total) * 1000) / 1000 : 0,
    windows: { done, failed, total },
    request: { from: data.from, to: data.to, bbox: data.bbox ?? null, profile: data.profile ?? null, requestedBy: data.requestedBy },
    result: state === 'completed' ? (job.returnvalue as JobResults['reprocess']['reprocess']) : null,
    failedReason: job.failedReason || null,
    createdAt: new Date(job.timestamp).toISOString(),
    startedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
  };
}

export type QueueDepths = Record<string, { waiting: number; active: number; delayed: number; failed: number; prioritized: number; waitingChildren: number }>;

export interface ReprocessSchedule {
  id: string;
  /** Cron pattern (UTC unless `tz` says otherwise). */
  pattern: string | null;
  tz: string | null;
  nextRunAt: string | null;
  lookbackHours: number | null;
  windowHours: number | null;
}

/** The job schedulers of the reprocess queue (REPROCESS_SCHEDULE sets one at detector boot). */
async function reprocessSchedules(queue: Queue): Promise<ReprocessSchedule[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  return schedulers.map((s) => {
    const data = (s.template?.data ?? {}) as { lookbackHours?: number; windowHours?: number };
    return {
      id: s.id ?? s.key,
      pattern: s.pattern ?? null,
      tz: s.tz ?? null,
      nextRunAt: iso(s.next),
      lookbackHours: data.lookbackHours ?? null,
      windowHours: data.windowHours ?? null,
    };
  });
}
