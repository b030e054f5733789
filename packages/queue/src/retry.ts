import type { JobsOptions, MinimalJob } from 'bullmq';

/**
 * How detection jobs are retried. A job failing because PostgreSQL (or the network to it) is
 * away is retried for as long as the outage lasts, with exponential backoff capped at
 * RETRY_CAP_MS: it cannot be fixed by giving up, and an outage longer than a fixed number of
 * attempts (five used to cover 30 s) would otherwise leave the window never detected. Any other
 * error is retried LIMITED_ATTEMPTS times in all, then the job fails; an error that says the job
 * can never succeed (a ValidationError: unknown profile, invalid range) fails it at once
 * (createConsumer turns it into BullMQ's UnrecoverableError).
 */
export const RETRY_BACKOFF_TYPE = 'transient-forever';
export const LIMITED_ATTEMPTS = 5;
const RETRY_BASE_MS = 2000;
export const RETRY_CAP_MS = 60_000;
/** BullMQ needs a number: at the cap, a million attempts is more than a year of outage. */
const UNBOUNDED_ATTEMPTS = 1_000_000;

/** Job options of every detect-window job (ingest, sweeps, reprocess flows). */
export const DETECTION_RETRY: Pick<JobsOptions, 'attempts' | 'backoff'> = {
  attempts: UNBOUNDED_ATTEMPTS,
  backoff: { type: RETRY_BACKOFF_TYPE, delay: RETRY_BASE_MS },
};

export interface RetryTiming {
  /** First wait between attempts (default: the job's backoff delay). */
  baseMs?: number;
  /** Longest wait between attempts (default RETRY_CAP_MS). */
  capMs?: number;
}

// Node socket errors, and PostgreSQL SQLSTATEs that mean "not now" rather than "never":
// 08 connection exception, 53 insufficient resources, 57P01–57P03 shutdown / cannot connect now,
// 40001 serialization failure, 40P01 deadlock, 55P03 lock not available. Not 57014 (statement
// timeout): a window too heavy for the timeout would time out at every attempt, for ever.
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
const TRANSIENT_SQLSTATE = /^(08|53)|^(57P01|57P02|57P03|40001|40P01|55P03)$/;
// node-postgres reports a dropped or refused connection with these messages and no code.
const TRANSIENT_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Client was closed/i;

/** Whether an error means the database or network was away (worth retrying for as long as it lasts). */
export function isTransientError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (TRANSIENT_SOCKET_CODES.has(e.code) || TRANSIENT_SQLSTATE.test(e.code))) return true;
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((x) => isTransientError(x, depth + 1))) return true;
  return isTransientError(e.cause, depth + 1);
}

/**
 * BullMQ's custom backoff strategy (Worker settings.backoffStrategy) for RETRY_BACKOFF_TYPE:
 * the wait before the next attempt, or -1 to fail the job now.
 */
export function detectionBackoff(timing: RetryTiming = {}) {
  return (attemptsMade: number, type: string | undefined, err: Error | undefined, job: MinimalJob | undefined): number => {
    if (type !== RETRY_BACKOFF_TYPE) throw new Error(`unknown backoff strategy ${type}`);
    const first = timing.baseMs ?? (typeof job?.opts.backoff === 'object' ? job.opts.backoff.delay : undefined) ?? RETRY_BASE_MS;
    const delay = Math.min(timing.capMs ?? RETRY_CAP_MS, first * 2 ** Math.max(0, attemptsMade - 1));
    if (isTransientError(err)) return delay;
    return attemptsMade >= LIMITED_ATTEMPTS ? -1 : delay;
  };
}
