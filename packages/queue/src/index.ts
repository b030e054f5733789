export { createRedis, checkRedis } from './redis.ts';
export { createProducer, createConsumer, createQueueEvents } from './queues.ts';
export type { Producer, Handlers, QueueContext } from './queues.ts';
export { QUEUES } from './contracts.ts';
export type { QueueName, JobName, JobPayload, JobResult, JobResults } from './contracts.ts';
export { enqueueReprocess, planWindows, type ReprocessRequest } from './reprocess.ts';
export type { WindowResult } from './contracts.ts';
