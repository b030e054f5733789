import type { Producer } from './queues.ts';
import { DETECTION_RETRY } from './retry.ts';

/** Start times (epoch ms) of the detection windows a set of positions falls in. */
export function windowsOf(positions: readonly { ts: number }[], windowMs: number): number[] {
  const starts = new Set<number>();
  for (const p of positions) starts.add(Math.floor(p.ts / windowMs) * windowMs);
  return [...starts].sort((a, b) => a - b);
}

/**
 * Enqueues one detect-window job per window start: ingest for each window a committed batch
 * touched, the detector's close sweep for windows whose ongoing meetings may now be over. The deterministic
 * deduplication id `detect-window:<start>` coalesces: while a window's job waits, more data for
 * it adds nothing; while it runs, one follow-up job is kept (BullMQ keepLastIfActive), so data
 * that lands mid-run is still detected. A window is retried for as long as PostgreSQL is away
 * (DETECTION_RETRY), so an outage of any length delays its detection but never loses it.
 */
export async function enqueueDetectionWindows(
  producer: Producer<'detection'>,
  starts: readonly number[],
  windowMs: number,
  reason: 'ingest' | 'sweep' = 'ingest',
): Promise<void> {
  if (starts.length === 0) return;
  await producer.addBulk(
    starts.map((start) => {
      const from = new Date(start).toISOString();
      return {
        name: 'detect-window' as const,
        data: { from, to: new Date(start + windowMs).toISOString(), reason },
        opts: {
          deduplication: { id: `detect-window:${from}`, keepLastIfActive: true },
          removeOnComplete: 1000,
          removeOnFail: 5000,
          ...DETECTION_RETRY,
        },
      };
    }),
  );
}
