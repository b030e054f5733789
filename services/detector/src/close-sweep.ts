import { createAlertRepository, type DatabaseHandle } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import { enqueueDetectionWindows, type Producer } from '@rendezvous/queue';

export interface CloseSweepOptions {
  database: DatabaseHandle;
  producer: Producer<'detection'>;
  logger: Logger;
  /** Detection window length (DETECTION_WINDOW_MINUTES): windows are re-run by their start. */
  windowMs: number;
  /** The longest merge gap of the profiles: a meeting can only be over once it has ended this long ago. */
  mergeGapMs: number;
  /** How often to look (ms). */
  everyMs?: number;
}

/**
 * Closes live meetings. An alert is judged only when a window it intersects runs; ingest enqueues
 * the windows its data falls in, and once two ships part, their new data falls in later windows,
 * so the meeting's own window would never run again and the alert would stay `ongoing` for ever.
 * This sweep re-enqueues the window holding the end of each ongoing alert that ended more than a
 * merge gap ago (before then nothing can have changed); the window detector then marks it
 * `closed` (or extends it). Same deduplication id as ingest's jobs, so any number of detectors
 * sweeping at once enqueue each window once.
 */
export function startCloseSweep(options: CloseSweepOptions) {
  const { database, producer, logger, windowMs, mergeGapMs } = options;
  const everyMs = options.everyMs ?? 60_000;
  const alerts = createAlertRepository(database.db);
  let running: Promise<void> | null = null;

  async function sweep(): Promise<number> {
    const starts = await alerts.ongoingEndWindows(windowMs, mergeGapMs);
    await enqueueDetectionWindows(producer, starts, windowMs, 'sweep');
    if (starts.length > 0) logger.debug({ windows: starts.length }, 'close sweep re-enqueued windows of ongoing meetings');
    return starts.length;
  }
  const tick = () => {
    if (running) return;
    running = sweep()
      .then(() => undefined)
      .catch((err: unknown) => logger.warn({ err }, 'close sweep failed; retrying at the next tick'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
