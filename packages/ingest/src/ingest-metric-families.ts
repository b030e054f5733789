import type { MetricFamily } from '@rendezvous/queue';
import type { IngestMetrics } from './ingest-metrics.ts';

/**
 * IngestMetrics as Prometheus metric families, published through Redis for the API's /metrics
 * (see @rendezvous/queue service-metrics). Labels are bounded: AIS message types (1–27),
 * rejection/warning reasons (a fixed set in the readers).
 */
export function ingestMetricFamilies(m: IngestMetrics): MetricFamily[] {
  const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', samples: [{ value }] });
  const byLabel = (name: string, help: string, label: string, values: Map<string | number, number>): MetricFamily => ({
    name,
    help,
    type: 'counter',
    samples: [...values.entries()].map(([k, value]) => ({ labels: { [label]: String(k) }, value })),
  });
  const bounds = m.latencyBucketsMs.filter(Number.isFinite);
  let cumulative = 0;
  const counts = m.latencyCounts.slice(0, bounds.length).map((n) => (cumulative += n));
  return [
    counter('rendezvous_ingest_lines_total', 'Feed lines read', m.lines),
    byLabel('rendezvous_ingest_messages_total', 'AIS messages decoded, by message type', 'type', m.messagesByType),
    counter('rendezvous_ingest_positions_accepted_total', 'Positions that passed validation', m.positionsAccepted),
    counter('rendezvous_ingest_positions_stored_total', 'Positions newly stored (re-ingested ones excluded)', m.positionsStored),
    counter('rendezvous_ingest_static_reports_total', 'Static and voyage reports applied to vessel identity', m.staticReports),
    counter('rendezvous_ingest_receiver_duplicates_total', 'Copies of a message heard by several receivers, dropped', m.receiverDuplicates),
    byLabel('rendezvous_ingest_rejections_total', 'Input rejected, by reason', 'reason', m.rejections),
    byLabel('rendezvous_ingest_warnings_total', 'Input accepted with a warning, by kind', 'kind', m.warnings),
    counter('rendezvous_ingest_batches_total', 'Batches committed', m.batches),
    counter('rendezvous_ingest_batch_retries_total', 'Batch commits retried (PostgreSQL unavailable or refusing writes)', m.batchRetries),
    counter('rendezvous_ingest_batches_failed_total', 'Batches that could not be written for another reason (logged; the source is restarted)', m.batchesFailed),
    counter('rendezvous_ingest_source_restarts_total', 'Live sources restarted after failing', m.sourceRestarts),
    { name: 'rendezvous_ingest_sources_up', help: 'Live sources running', type: 'gauge', samples: [{ value: m.sourcesUp }] },
    { name: 'rendezvous_ingest_outbox_failing', help: '1 while detection windows wait in the outbox because the queue (Redis) does not answer', type: 'gauge', samples: [{ value: m.outboxFailing }] },
    counter('rendezvous_ingest_windows_enqueued_total', 'Detection windows handed from the outbox to the queue', m.windowsEnqueued),
    { name: 'rendezvous_ingest_vessels_seen', help: 'Distinct MMSIs seen since the process started (exact to 50,000, estimated beyond)', type: 'gauge', samples: [{ value: m.vessels.size }] },
    {
      name: 'rendezvous_ingest_batch_commit_seconds',
      help: 'Time to commit one batch (COPY + upserts + transaction)',
      type: 'histogram',
      buckets: bounds.map((ms) => ms / 1000),
      counts,
      sum: m.batchLatencyMsSum / 1000,
      count: m.batches,
    },
  ];
}
