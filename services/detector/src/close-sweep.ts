import { createAlertRepository, createPortCallRepository, createVesselRepository, type DatabaseHandle } from '@rendezvous/db';
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
  /** AIS gap minimums of the dark profiles (e.g. 6 h and 12 h): a vessel silent this long gets its gap judged. */
  gapThresholdsMs?: readonly number[];
}

/** An open AIS gap or loitering is re-judged when its last evaluation is this old (its window reruns). */
const REEVALUATE_MS = 10 * 60_000;
/**
 * A port call stored as ongoing whose vessel was last heard this far from the port has ended:
 * beyond the exit of the widest port circle (a sanctioned port's 10 km × 4/3, port-calls.ts),
 * so a vessel still in port never triggers a re-run.
 */
const LEFT_PORT_M = 20_000;

/**
 * Keeps live alerts live. Meetings: an alert is judged only when a window it intersects runs;
 * ingest enqueues the windows its data falls in, and once two ships part, their new data falls in later windows,
 * so the meeting's own window would never run again and the alert would stay `ongoing` for ever.
 * This sweep re-enqueues the window holding the end of each ongoing alert that ended more than a
 * merge gap ago (before then nothing can have changed); the window detector then marks it
 * `closed` (or extends it). Same deduplication id as ingest's jobs, so any number of detectors
 * sweeping at once enqueue each window once.
 *
 * Dark activity is owned by the window holding its start: the sweep re-runs the window of each
 * open AIS gap, loitering or dark rendezvous last judged REEVALUATE_MS ago (so it grows, and
 * closes when the vessel is heard again), and the window of each vessel whose silence has just
 * crossed a gap minimum (that window ran while the vessel was still reporting, before any gap).
 * A gap stored without its end (its window ran before the vessel's next report was stored) is
 * re-judged once the vessel has been heard again, whatever its status.
 * Port calls likewise belong to the window holding their arrival: one stored while the vessel was
 * still in port has its window re-run once the vessel is heard well away from the port.
 */
export function startCloseSweep(options: CloseSweepOptions) {
  const { database, producer, logger, windowMs, mergeGapMs } = options;
  const everyMs = options.everyMs ?? 60_000;
  const alerts = createAlertRepository(database.db);
  const vessels = createVesselRepository(database.db);
  const portCalls = createPortCallRepository(database.db);
  const gapThresholdsMs = options.gapThresholdsMs ?? [];
  let running: Promise<void> | null = null;

  async function sweep(): Promise<number> {
    const starts = [
      ...new Set([
        ...(await alerts.ongoingEndWindows(windowMs, mergeGapMs)),
        ...(await alerts.ongoingStartWindows(windowMs, REEVALUATE_MS)),
        // Gaps stored open whose vessel has been heard since (archive data in batches).
        ...(await alerts.reheardGapWindows(windowMs, REEVALUATE_MS)),
        // Crossed within the last two sweeps: each silence is caught even if one sweep fails.
        ...(await vessels.silenceWindows(windowMs, gapThresholdsMs, 2 * everyMs)),
        // Port calls still open in the store whose vessel has sailed away (issue 15).
        ...(await portCalls.departedOngoingWindows(windowMs, REEVALUATE_MS, LEFT_PORT_M)),
      ]),
    ].sort((a, b) => a - b);
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
