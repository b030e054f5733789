import { Queue, QueueEvents, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { ValidationError } from '@rendezvous/errors';
import type { Logger } from '@rendezvous/logger';
import { QUEUES, payloadProblem, type JobName, type JobPayload, type JobResult, type QueueName } from './contracts.ts';
import { detectionBackoff, type RetryTiming } from './retry.ts';

export interface QueueContext {
  connection: Redis;
  prefix: string;
}

/**
 * Checks a payload against the shared contract (schema, then what a schema cannot say, e.g. a
 * range that ends before it starts). Every producer calls it before enqueueing (queues, flows,
 * the scheduler), every consumer on receipt.
 */
export function parsePayload<Q extends QueueName, J extends JobName<Q>>(queue: Q, name: J, data: unknown): JobPayload<Q, J> {
  const schema = (QUEUES[queue] as Record<string, TSchema>)[name];
  if (!schema) throw new ValidationError(`queue ${queue} has no job named ${name}`);
  if (!Value.Check(schema, data)) {
    const first = [...Value.Errors(schema, data)][0];
    throw new ValidationError(
      `invalid ${queue}/${name} payload: ${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'}`,
    );
  }
  const problem = payloadProblem(data as Parameters<typeof payloadProblem>[0]);
  if (problem) throw new ValidationError(`invalid ${queue}/${name} payload: ${problem}`);
  return data as JobPayload<Q, J>;
}

/**
 * Gives a BullMQ Queue, FlowProducer or QueueEvents an 'error' listener. They re-emit every error
 * of the connection they share; with no listener BullMQ prints each one to stderr (a stack per
 * reconnect attempt while Redis is away). The connection's errors are already logged, once per
 * distinct message, by createRedis.
 */
export function quietErrors<T extends { on(event: 'error', listener: (err: Error) => void): unknown }>(handle: T): T {
  handle.on('error', () => undefined);
  return handle;
}

/** A producer for one queue whose `add` only accepts that queue's job names and payloads. */
export function createProducer<Q extends QueueName>(queue: Q, ctx: QueueContext) {
  const q = quietErrors(new Queue(queue, { connection: ctx.connection, prefix: ctx.prefix }));
  return {
    queue: q,
    async add<J extends JobName<Q>>(name: J, payload: JobPayload<Q, J>, opts?: JobsOptions) {
      parsePayload(queue, name, payload);
      return q.add(name, payload, opts);
    },
    async addBulk<J extends JobName<Q>>(jobs: { name: J; data: JobPayload<Q, J>; opts?: JobsOptions }[]) {
      for (const j of jobs) parsePayload(queue, j.name, j.data);
      return q.addBulk(jobs);
    },
    close: () => q.close(),
  };
}
export type Producer<Q extends QueueName> = ReturnType<typeof createProducer<Q>>;

export type Handlers<Q extends QueueName> = {
  [J in JobName<Q>]: (payload: JobPayload<Q, J>, job: Job) => Promise<JobResult<Q, J>>;
};

/**
 * One worker per queue, with exactly one handler per job name (checked at boot). A payload that
 * fails its contract, or a handler's ValidationError (unknown profile, invalid range), fails the
 * job without retries (UnrecoverableError): retrying cannot fix it. Jobs with the detection retry
 * policy (retry.ts) are retried for as long as their errors are transient; `retry` sets its waits.
 */
export function createConsumer<Q extends QueueName>(
  queue: Q,
  handlers: Handlers<Q>,
  ctx: QueueContext & { logger: Logger; concurrency?: number; lockMs?: number; retry?: RetryTiming },
): Worker {
  const expected = Object.keys(QUEUES[queue]).sort();
  const given = Object.keys(handlers).sort();
  if (expected.join() !== given.join()) {
    throw new ValidationError(`queue ${queue}: handlers for [${given}] but jobs are [${expected}]`);
  }
  const worker = new Worker(
    queue,
    async (job: Job) => {
      let payload;
      try {
        payload = parsePayload(queue, job.name as JobName<Q>, job.data);
      } catch (err) {
        throw new UnrecoverableError((err as Error).message);
      }
      const handler = handlers[job.name as JobName<Q>] as (p: unknown, j: Job) => Promise<unknown>;
      try {
        return await handler(payload, job);
      } catch (err) {
        if (err instanceof ValidationError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection: ctx.connection,
      prefix: ctx.prefix,
      concurrency: ctx.concurrency ?? 1,
      autorun: true,
      settings: { backoffStrategy: detectionBackoff(ctx.retry) },
      // A worker that dies holding a job stops renewing its lock; after lockMs the job counts as
      // stalled and another worker runs it again (jobs are idempotent, so a re-run is harmless).
      ...(ctx.lockMs ? { lockDuration: ctx.lockMs, stalledInterval: ctx.lockMs } : {}),
    },
  );
  worker.on('failed', (job, err) =>
    ctx.logger.warn({ queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
  );
  worker.on('error', (err) => ctx.logger.warn({ queue, err: err.message }, 'worker error'));
  return worker;
}

/**
 * Event stream of one queue (job completion), for callers that wait on results. By default it
 * reads events from the first XREAD on: an event written between the caller's start and that
 * read (BullMQ sends it only after CLIENT SETNAME answers) is never delivered. Pass the id from
 * `lastQueueEventId`, read before the job is added, and no event after it can be missed.
 */
export function createQueueEvents(queue: QueueName, ctx: QueueContext, lastEventId?: string): QueueEvents {
  return quietErrors(new QueueEvents(queue, { connection: ctx.connection, prefix: ctx.prefix, ...(lastEventId ? { lastEventId } : {}) }));
}

/** The id of the newest event in a queue's event stream (BullMQ's `<prefix>:<queue>:events`), or '0-0' when it has none. */
export async function lastQueueEventId(queue: QueueName, ctx: QueueContext): Promise<string> {
  const newest = await ctx.connection.xrevrange(`${ctx.prefix}:${queue}:events`, '+', '-', 'COUNT', 1);
  return newest[0]?.[0] ?? '0-0';
}
