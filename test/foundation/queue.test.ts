import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createConsumer, createProducer, createQueueEvents, createRedis } from '@rendezvous/queue';
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

  it('refuses to start a worker without a handler for every job name', () => {
    const connection = createRedis(redisConfig, logger, 'worker');
    closers.push(() => connection.disconnect());
    expect(() =>
      // @ts-expect-error: a missing handler is a compile error as well
      createConsumer('system', {}, { connection, prefix: TEST_REDIS_PREFIX, logger }),
    ).toThrow(/handlers for \[\] but jobs are \[ping\]/);
  });
});
