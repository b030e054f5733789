import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '@rendezvous/config';
import type { DeliveryWork, WebhookRepository } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { createRedis } from '@rendezvous/queue';
import { createHookShare } from './hook-share.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './webhook-signature.ts';

/**
 * Delivery of recorded webhook changes (webhook_deliveries rows) through the BullMQ queue
 * `webhooks`: one job per delivery row, its id derived from the row's (so recording the same
 * change twice, or re-enqueueing a row whose job was lost, never makes a second job while the
 * first exists). The row is the truth; the job only says "try this row now". A worker attempt
 * POSTs the row's event, signed, and records the outcome on the row; a failure is retried with
 * exponential backoff (WEBHOOK_RETRY_BASE_MS, doubling, WEBHOOK_ATTEMPTS in all), after which the
 * row is `failed`.
 *
 * A dead or hanging endpoint only delays its own deliveries: a refused connection fails at once,
 * a silent endpoint is cut at WEBHOOK_TIMEOUT_MS, and no hook holds more than PER_HOOK_IN_FLIGHT
 * of the worker's WORKER_CONCURRENCY slots — a job of a hook at its share steps aside (back to
 * the delayed set, not counted as an attempt) for the others' jobs (hook-share.ts).
 *
 * The queue is not in packages/queue's contracts: nothing but the API process produces or
 * consumes it, and its one payload is a row id, checked here.
 */
export const WEBHOOK_QUEUE = 'webhooks';
export const WEBHOOK_JOB = 'deliver';
export const WEBHOOK_ATTEMPTS = 8;
export const WORKER_CONCURRENCY = 8;
export const PER_HOOK_IN_FLIGHT = 2;

/** BullMQ refuses integer-looking and ':'-holding custom ids. */
export const deliveryJobId = (deliveryId: number) => `delivery-${deliveryId}`;

export interface DeliveryOutcome {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

/** The producer side: hands delivery row ids to the queue. */
export interface WebhookQueue {
  enqueue(deliveryIds: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

export function createWebhookQueue(connection: Redis, prefix: string, retryBaseMs: number): WebhookQueue {
  const queue = new Queue(WEBHOOK_QUEUE, { connection, prefix });
  // Connection errors are logged once by createRedis; BullMQ would print each to stderr otherwise.
  queue.on('error', () => undefined);
  return {
    async enqueue(ids) {
      if (ids.length === 0) return;
      await queue.addBulk(
        ids.map((deliveryId) => ({
          name: WEBHOOK_JOB,
          data: { deliveryId },
          opts: {
            jobId: deliveryJobId(deliveryId),
            attempts: WEBHOOK_ATTEMPTS,
            backoff: { type: 'exponential', delay: retryBaseMs },
            // The delivery log is the row; Redis keeps nothing once a job is done.
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    },
    close: () => queue.close(),
  };
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (e?.name === 'AbortError') return 'the API shut down during the attempt';
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(err)}${cause ? `: ${cause}` : ''}`;
}

/**
 * One attempt: POSTs `{ delivery, webhook, change, alert }` with the signature headers; 2xx is
 * delivered. Redirects are not followed (a 3xx is a failure: the hook's URL should be the final
 * one, and following would send the signed body somewhere nobody registered).
 */
export async function postDelivery(
  work: Pick<DeliveryWork, 'webhookId' | 'event' | 'url' | 'secret'> & { id: number | null },
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<DeliveryOutcome> {
  const event = (work.event ?? {}) as { change?: unknown; alert?: unknown };
  const body = JSON.stringify({ delivery: work.id, webhook: work.webhookId, change: event.change ?? null, alert: event.alert ?? null });
  const timestamp = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(work.url, {
      method: 'POST',
      redirect: 'manual',
      signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Rendezvous-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhookBody(work.secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        // A test delivery (id null) has no row: receivers see "test".
        [DELIVERY_HEADER]: work.id === null ? 'test' : String(work.id),
      },
      body,
    });
    // What the endpoint answers is not read: only its status counts.
    await response.body?.cancel().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return { delivered, statusCode: response.status, error: delivered ? null : `HTTP ${response.status}${redirect}` };
  } catch (err) {
    return { delivered: false, statusCode: null, error: describeFailure(err, timeoutMs) };
  }
}

export interface WebhookWorker {
  close(): Promise<void>;
}

/** The consumer side: a BullMQ Worker in the API process, on a blocking connection of its own. */
export function startWebhookWorker(deps: { config: Config; logger: Logger; repo: WebhookRepository }): WebhookWorker {
  const { config, logger, repo } = deps;
  const connection = createRedis(config.redis, logger, 'worker');
  const share = createHookShare(PER_HOOK_IN_FLIGHT);
  const stopping = new AbortController();

  async function attempt(job: Job, token?: string): Promise<string> {
    const deliveryId = (job.data as { deliveryId?: unknown } | null)?.deliveryId;
    if (typeof deliveryId !== 'number' || !Number.isSafeInteger(deliveryId)) return 'not a delivery';
    const work = await repo.forDelivery(deliveryId);
    // Gone (the alerts were emptied) or settled by an earlier job of the same row.
    if (!work || work.status !== 'pending') return 'nothing to do';
    if (work.disabled) {
      await repo.abandon(deliveryId, 'webhook disabled before delivery');
      return 'webhook disabled';
    }
    const jobId = job.id ?? deliveryJobId(deliveryId);
    if (!share.tryTake(work.webhookId, jobId)) {
      // Not an attempt: the job goes back to the delayed set and keeps its attempts.
      await job.moveToDelayed(Date.now() + share.waitFor(work.webhookId, jobId), token);
      throw new DelayedError();
    }
    const started = performance.now();
    let outcome: DeliveryOutcome;
    try {
      outcome = await postDelivery(work, config.webhooks.timeoutMs, stopping.signal);
    } finally {
      share.release(work.webhookId, performance.now() - started);
    }
    // attemptsMade counts the attempts that failed before this one.
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await repo.recordAttempt(deliveryId, { ...outcome, final });
    if (!outcome.delivered) throw new Error(outcome.error ?? 'not delivered');
    return 'delivered';
  }

  const worker = new Worker(WEBHOOK_QUEUE, attempt, {
    connection,
    prefix: config.redis.prefix,
    concurrency: WORKER_CONCURRENCY,
    autorun: true,
  });
  // Failures are on the delivery rows (GET /v1/webhooks/:id/deliveries); the URL is not logged
  // (it may carry a credential of the receiver's).
  worker.on('failed', (job, err) => logger.debug({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'webhook delivery attempt failed'));
  // Redis away: the same error at every reconnect attempt; log each distinct one once.
  let lastError = '';
  worker.on('error', (err) => {
    if (err.message !== lastError) logger.warn({ err: err.message }, 'webhook worker error');
    lastError = err.message;
  });
  worker.on('ready', () => (lastError = ''));
  logger.info({ concurrency: WORKER_CONCURRENCY }, 'webhook delivery worker started');
  return {
    async close() {
      // Attempts in flight end now (recorded as failed, retried by the next process) rather than
      // holding shutdown for up to WEBHOOK_TIMEOUT_MS.
      stopping.abort();
      await worker.close();
      connection.disconnect();
    },
  };
}
