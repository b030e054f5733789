import { DistinctCounter } from './distinct-counter.ts';

/**
 * The one place ingest counts things: lines, messages by AIS type, rejections and warnings by
 * reason, duplicates, stored rows and batch latency. The CLI summary and the API's /metrics
 * (published through Redis) both read `snapshot()`.
 */
export class IngestMetrics {
  lines = 0;
  /**
   * Messages by AIS type (6 bits: 0–63), counted in an array: this runs once per message, and a
   * Map's get and set per message showed in ingest's CPU profile (issue 16).
   */
  private readonly typeCounts = new Float64Array(64);
  readonly rejections = new Map<string, number>();
  readonly warnings = new Map<string, number>();
  receiverDuplicates = 0;
  positionsAccepted = 0;
  positionsStored = 0;
  staticReports = 0;
  batches = 0;
  batchRetries = 0;
  /** Batches that failed for a reason other than PostgreSQL being away or the rows' content (bugs). */
  batchesFailed = 0;
  /** Live sources restarted after failing (with backoff). */
  sourceRestarts = 0;
  /** Live sources currently running (not failed and waiting for their restart). */
  sourcesUp = 0;
  /** 1 while detection windows cannot be handed to the queue (Redis away): they wait in the outbox. */
  outboxFailing = 0;
  /** Detection windows handed from the outbox to the queue. */
  windowsEnqueued = 0;
  batchLatencyMsSum = 0;
  batchLatencyMsMax = 0;
  /** Batch commit latency histogram (upper bounds in ms), Prometheus-style cumulative on export. */
  readonly latencyBucketsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Infinity];
  readonly latencyCounts = new Array<number>(this.latencyBucketsMs.length).fill(0);
  /** Distinct MMSIs: exact up to 50,000, a HyperLogLog estimate (±~1 %) beyond; bounded memory (distinct-counter.ts). */
  readonly vessels = new DistinctCounter();

  message(type: number): void {
    this.typeCounts[type & 63]!++;
  }

  /** The message types seen, in type order, with their counts. */
  get messagesByType(): Map<number, number> {
    const counts = new Map<number, number>();
    this.typeCounts.forEach((n, type) => {
      if (n > 0) counts.set(type, n);
    });
    return counts;
  }

  reject(reason: string, n = 1): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + n);
  }

  warn(kind: string, n = 1): void {
    this.warnings.set(kind, (this.warnings.get(kind) ?? 0) + n);
  }

  duplicate(): void {
    this.receiverDuplicates++;
  }

  batch(latencyMs: number, accepted: number, stored: number): void {
    this.batches++;
    this.positionsAccepted += accepted;
    this.positionsStored += stored;
    this.batchLatencyMsSum += latencyMs;
    if (latencyMs > this.batchLatencyMsMax) this.batchLatencyMsMax = latencyMs;
    const i = this.latencyBucketsMs.findIndex((b) => latencyMs <= b);
    this.latencyCounts[i]!++;
  }

  snapshot() {
    const sortedEntries = <K extends string | number>(m: Map<K, number>) =>
      Object.fromEntries([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    return {
      linesRead: this.lines,
      messagesByType: sortedEntries(this.messagesByType),
      positionsAccepted: this.positionsAccepted,
      positionsStored: this.positionsStored,
      positionsAlreadyStored: this.positionsAccepted - this.positionsStored,
      staticReports: this.staticReports,
      receiverDuplicates: this.receiverDuplicates,
      vesselsSeen: this.vessels.size,
      rejections: sortedEntries(this.rejections),
      rejected: [...this.rejections.values()].reduce((a, b) => a + b, 0),
      warnings: sortedEntries(this.warnings),
      batches: this.batches,
      batchRetries: this.batchRetries,
      ...(this.batchesFailed ? { batchesFailed: this.batchesFailed } : {}),
      batchLatencyMs: {
        mean: this.batches ? Math.round((this.batchLatencyMsSum / this.batches) * 10) / 10 : 0,
        max: Math.round(this.batchLatencyMsMax * 10) / 10,
      },
    };
  }
}
export type IngestSnapshot = ReturnType<IngestMetrics['snapshot']>;
