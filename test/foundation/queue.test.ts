import type { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { DETECTION_RETRY, createConsumer, createProducer, createQueueEvents, createRedis, lastQueueEventId } from '@rendezvous/queue';
import { createLogger } from '@rendezvous/logger';
import { ValidationError } from '@rendezvous/errors';
import { TEST_REDIS_PREFIX, testRedisUrl } from '../support/test-env.ts';

const logger = createLogger({ level: 'silent', format: 'json' }, 'test');
const redisConfig = { url: testRedisUrl(), prefix: TEST_REDIS_PREFIX };
// Each test closes what it opened before the next starts: a worker left running by one test
// would compete for the next test's jobs on the shared queue.
let closers: (() => Promise<unknown> | void)[] = [];

describe('queue package', () => {
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers = [];
  });

  it('round-trips a typed job between a producer and a worker', async () => {
    const producerConnection = createRedis(redisConfig, logger, 'producer');
    const workerConnection = createRedis(redisConfig, logger, 'worker');
    const eventsConnection = createRedis(redisConfig, logger, 'worker');
    closers.push(() => producerConnection.disconnect(), () => workerConnection.disconnect(), () => eventsConnection.disconnect());
    const ctx = { connection: producerConnection, prefix: TEST_REDIS_PREFIX };
    const producer = createProducer('system', ctx);
    const events = createQueueEvents('system', { connection: eventsConnection, prefix: TEST_REDIS_PREFIX });
    const worker = createConsumer(
      'system',
      { ping: async (payload) => ({ nonce: payload.nonce, handledBy: 'test-worker', handledAt: new Date().toISOString() }) },
      { connection: workerConnection, prefix: TEST_REDIS_PREFIX, logger },
    );
    closers.push(() => producer.close(), () => events.close(), () => worker.close());
    await events.waitUntilReady();

    const nonce = `n-${Date.now()}`;
    const job = await producer.add('ping', { nonce, sentAt: new Date().toISOString() });
    const result = await job.waitUntilFinished(events, 10_000);
    expect(result).toMatchObject({ nonce, handledBy: 'test-worker' });
    expect(Date.parse(result.handledAt)).not.toBeNaN();
  });

  it('an event reader started from lastQueueEventId gets a completion written before its first read', async () => {
    // What the CLI's ping and reprocess --wait rely on: the id is read before the job is added,
    // so a job answered before the reader's first XREAD (BullMQ's default starts at '$', the
    // stream's end at that moment, and would never deliver it) still reports its answer.
    const producerConnection = createRedis(redisConfig, logger, 'producer');
    const workerConnection = createRedis(redisConfig, logger, 'worker');
    const eventsConnection = createRedis(redisConfig, logger, 'worker');
    closers.push(() => producerConnection.disconnect(), () => workerConnection.disconnect(), () => eventsConnection.disconnect());
    const ctx = { connection: producerConnection, prefix: TEST_REDIS_PREFIX };
    const producer = createProducer('system', ctx);
    const worker = createConsumer(
      'system',
      { ping: async (payload) => ({ nonce: payload.nonce, handledBy: 'early-worker', handledAt: new Date().toISOString() }) },
      { connection: workerConnection, prefix: TEST_REDIS_PREFIX, logger },
    );
    closers.push(() => producer.close(), () => worker.close());

    const from = await lastQueueEventId('system', ctx);
    const nonce = `early-${Date.now()}`;
    const completed = new Promise<string>((resolve) => worker.on('completed', (job) => resolve(job.id!)));
    const job = await producer.add('ping', { nonce, sentAt: new Date().toISOString() });
    expect(await completed).toBe(job.id);

    // Only now does the reader start; the completion is already in the stream.
    const events = createQueueEvents('system', { connection: eventsConnection, prefix: TEST_REDIS_PREFIX }, from);
    closers.push(() => events.close());
    const delivered = await new Promise<{ returnvalue: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the completion written before the first read was not delivered')), 10_000);
      // Per-job events (`completed:<id>`) are emitted but not in BullMQ's typed listener map.
      (events as unknown as EventEmitter).on(`completed:${job.id}`, (args: { returnvalue: unknown }) => (clearTimeout(timer), resolve(args)));
    });
    expect(delivered.returnvalue).toMatchObject({ nonce, handledBy: 'early-worker' });
  });

  it('refuses to enqueue a payload that breaks its schema', async () => {
    const connection = createRedis(redisConfig, logger, 'producer');
    closers.push(() => connection.disconnect());
    const producer = createProducer('system', { connection, prefix: TEST_REDIS_PREFIX });
    closers.push(() => producer.close());
    // @ts-expect-error: the contract types reject this at compile time too
    await expect(producer.add('ping', { nonce: '' })).rejects.toThrow(ValidationError);
  });

  it('fails a malformed job on receipt without retrying it', async () => {
    const raw = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const workerConnection = createRedis(redisConfig, logger, 'worker');
    closers.push(() => raw.disconnect(), () => workerConnection.disconnect());
    // Enqueue behind the package's back, as an old producer with another payload format would.
    const { Queue } = await import('bullmq');
    const queue = new Queue('system', { connection: raw, prefix: TEST_REDIS_PREFIX });
    closers.push(() => queue.close());
    let calls = 0;
    const worker = createConsumer(
      'system',
      { ping: async (p) => (calls++, { nonce: p.nonce, handledBy: 'x', handledAt: '' }) },
      { connection: workerConnection, prefix: TEST_REDIS_PREFIX, logger },
    );
    closers.push(() => worker.close());
    const failed = new Promise<Error>((resolve) => worker.on('failed', (_job, err) => resolve(err)));
    const job = await queue.add('ping', { legacyField: 1 }, { attempts: 5 });
    const err = await failed;
    expect(err.message).toMatch(/invalid system\/ping payload/);
    const state = await queue.getJobState(job.id!);
    expect(state).toBe('failed');
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    expect(calls).toBe(0);
  });

  it('retries a detection job for as long as its errors are transient, and any other error 5 times in all', async () => {
    const connection = createRedis(redisConfig, logger, 'producer');
    const workerConnection = createRedis(redisConfig, logger, 'worker');
    closers.push(() => connection.disconnect(), () => workerConnection.disconnect());
    const { Queue } = await import('bullmq');
    const queue = new Queue('detection', { connection, prefix: TEST_REDIS_PREFIX });
    closers.push(() => queue.close());
    await queue.obliterate({ force: true });
    const producer = createProducer('detection', { connection, prefix: TEST_REDIS_PREFIX });
    closers.push(() => producer.close());
    // Window 00:00 fails as PostgreSQL does while it is away, 8 times, then succeeds; window
    // 01:00 fails as a bug does, every time.
    const calls = new Map<string, number>();
    const summary = { vessels: 0, positions: 0, events: 0, created: 0, updated: 0, unchanged: 0, retracted: 0, provisional: 0, rereads: 0, ms: 0 };
    const worker = createConsumer(
      'detection',
      {
        'detect-window': async (p) => {
          const n = (calls.get(p.from) ?? 0) + 1;
          calls.set(p.from, n);
          if (p.from.startsWith('2024-01-01T00') && n <= 8) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          if (p.from.startsWith('2024-01-01T01')) throw new TypeError("cannot read properties of undefined (reading 'mmsi')");
          return { from: p.from, to: p.to, ...summary };
        },
      },
      { connection: workerConnection, prefix: TEST_REDIS_PREFIX, logger, retry: { baseMs: 5, capMs: 20 } },
    );
    closers.push(() => worker.close());
    const outage = await producer.add('detect-window', { from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T01:00:00.000Z', reason: 'ingest' }, DETECTION_RETRY);
    const bug = await producer.add('detect-window', { from: '2024-01-01T01:00:00.000Z', to: '2024-01-01T02:00:00.000Z', reason: 'ingest' }, DETECTION_RETRY);
    const finished = async (id: string) => {
      for (;;) {
        const state = await queue.getJobState(id);
        if (state === 'completed' || state === 'failed') return state;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    expect(await finished(outage.id!)).toBe('completed');
    expect((await queue.getJob(outage.id!))?.attemptsMade).toBe(9);
    expect(await finished(bug.id!)).toBe('failed');
    expect((await queue.getJob(bug.id!))?.attemptsMade).toBe(5);
    expect(calls.get('2024-01-01T01:00:00.000Z')).toBe(5);
  });

  it('refuses to start a worker without a handler for every job name', () => {
    const connection = createRedis(redisConfig, logger, 'worker');
    closers.push(() => connection.disconnect());
    expect(() =>
      // @ts-expect-error: a missing handler is a compile error as well
      createConsumer('system', {}, { connection, prefix: TEST_REDIS_PREFIX, logger }),
    ).toThrow(/handlers for \[\] but jobs are \[ping\]/);
  });
});
