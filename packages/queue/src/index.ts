export { createRedis, checkRedis } from './redis.ts';
export { createProducer, createConsumer, createQueueEvents, lastQueueEventId, parsePayload } from './queues.ts';
export type { Producer, Handlers, QueueContext } from './queues.ts';
export { QUEUES, payloadProblem } from './contracts.ts';
export type { QueueName, JobName, JobPayload, JobResult, JobResults } from './contracts.ts';
export {
  enqueueReprocess,
  planWindows,
  reprocessJobId,
  upsertReprocessSchedule,
  removeReprocessSchedule,
  REPROCESS_SCHEDULER_ID,
  type ReprocessRequest,
} from './reprocess.ts';
export { DETECTION_RETRY, isTransientError, type RetryTiming } from './retry.ts';
export type { WindowResult } from './contracts.ts';
export { createQueueMonitor, REPROCESS_JOB_ID, type QueueMonitor, type QueueDepths, type ReprocessStatus, type ReprocessSchedule } from './job-status.ts';
export {
  startMetricsPublisher,
  readServiceMetrics,
  metricsKey,
  DEFAULT_PUBLISH_INTERVAL_MS,
  type MetricFamily,
  type MetricsPublisher,
  type PublishedSnapshot,
} from './service-metrics.ts';
export { enqueueDetectionWindows, windowsOf } from './detection-windows.ts';
export { startOutboxDrain, type OutboxDrain, type OutboxDrainOptions, type OutboxSource } from './outbox-drain.ts';
