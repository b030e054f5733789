import type { MetricFamily, WindowResult } from '@rendezvous/queue';

/** Window durations (s): a live hour window takes tens of ms, a busy archive day several seconds. */
const DURATION_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

type Reason = 'ingest' | 'reprocess' | 'schedule' | 'sweep';

/**
 * What the detector counts for /metrics (published through Redis, see @rendezvous/queue
 * service-metrics): windows by reason, their duration, positions read, events found, and what
 * happened to alerts.
 */
export class DetectorMetrics {
  readonly windows = new Map<Reason, number>();
  failedWindows = 0;
  positions = 0;
  events = 0;
  readonly alerts = { created: 0, updated: 0, unchanged: 0, retracted: 0 };
  readonly #durationCounts = new Array<number>(DURATION_BUCKETS_S.length).fill(0);
  #durationSum = 0;
  #durationCount = 0;

  window(reason: Reason, summary: WindowResult): void {
    this.windows.set(reason, (this.windows.get(reason) ?? 0) + 1);
    this.positions += summary.positions;
    this.events += summary.events;
    this.alerts.created += summary.created;
    this.alerts.updated += summary.updated;
    this.alerts.unchanged += summary.unchanged;
    this.alerts.retracted += summary.retracted;
    const seconds = summary.ms / 1000;
    this.#durationSum += seconds;
    this.#durationCount++;
    const i = DURATION_BUCKETS_S.findIndex((b) => seconds <= b);
    if (i >= 0) this.#durationCounts[i]!++;
  }

  failed(): void {
    this.failedWindows++;
  }

  families(): MetricFamily[] {
    let cumulative = 0;
    const counts = this.#durationCounts.map((n) => (cumulative += n));
    return [
      {
        name: 'rendezvous_detector_windows_total',
        help: 'Detection windows completed, by why they ran',
        type: 'counter',
        samples: [...this.windows.entries()].map(([reason, value]) => ({ labels: { reason }, value })),
      },
      { name: 'rendezvous_detector_windows_failed_total', help: 'Detection window attempts that failed (retried by BullMQ)', type: 'counter', samples: [{ value: this.failedWindows }] },
      {
        name: 'rendezvous_detector_window_duration_seconds',
        help: 'Time to detect one window (load, detect, reconcile, write)',
        type: 'histogram',
        buckets: DURATION_BUCKETS_S,
        counts,
        sum: this.#durationSum,
        count: this.#durationCount,
      },
      { name: 'rendezvous_detector_positions_total', help: 'Positions loaded by detection windows (with context)', type: 'counter', samples: [{ value: this.positions }] },
      { name: 'rendezvous_detector_events_total', help: 'Rendezvous events found by detection windows', type: 'counter', samples: [{ value: this.events }] },
      {
        name: 'rendezvous_detector_alerts_total',
        help: 'Alerts written by detection windows, by outcome',
        type: 'counter',
        samples: Object.entries(this.alerts).map(([outcome, value]) => ({ labels: { outcome }, value })),
      },
    ];
  }
}
