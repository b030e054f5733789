/**
 * Replays another source at N× real time, paced by the feed's own timestamps, so a recorded
 * capture can drive the pipeline like a live feed (demos, soak tests, reproducing an incident).
 * It knows nothing about NMEA: the caller says how to read a line's time (`timeOf`) and, to make
 * the replay look live, how to rewrite it (`retimeLine`).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { LineBatch, LineSource, SourceStats } from './line-source.ts';

export interface ReplayOptions {
  /** Feed time runs this many times faster than wall time. ≤ 0, NaN or Infinity: as fast as possible. */
  speed: number;
  /** Epoch ms of a line (TAG block `c:`, preceding $PGHP…), or null: such lines pass straight through. */
  timeOf: (line: string) => number | null;
  /**
   * Shift every timed line by one constant offset so the replay looks live: feed intervals (and
   * so vessel kinematics and dwell times) are preserved. Without `feedEnd` the first line reads
   * "now", so above 1× the times run ahead of the wall clock (and ingest refuses positions more
   * than 10 min in the future). With `feedEnd` the capture is placed so that its last line reads
   * the moment it is replayed: every line is then stamped at or before the moment it goes out.
   * Needs `retimeLine`. Default false: lines are never rewritten.
   */
  retime?: boolean;
  /** The capture's last feed time (epoch ms), found by a first pass over it; see `retime`. */
  feedEnd?: (signal: AbortSignal) => Promise<number | null>;
  /** Returns `line` stamped with `newTimeMs`; supplied by the caller (e.g. rewriting the TAG-block `c:`). */
  retimeLine?: (line: string, newTimeMs: number) => string;
  /**
   * Feed time jumping back by more than this (a capture concatenated from several files) restarts
   * the clock at that line instead of emitting everything until it catches up. Default 60 s.
   */
  rewindToleranceMs?: number;
  /** Wall clock and pause; default the real ones. Tests pass a virtual clock (no wall-time asserts). */
  clock?: ReplayClock;
}

export interface ReplayClock {
  now(): number;
  /** Resolves true after `ms`, or false as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
}

/** Lines due within this many ms are emitted now: batches stay batches, timers stay coarse. */
const MIN_SLEEP_MS = 4;

const realClock: ReplayClock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    try {
      await delay(ms, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  },
};

export function replaySource(inner: LineSource, options: ReplayOptions): LineSource {
  const { speed, timeOf } = options;
  const paced = speed > 0 && Number.isFinite(speed);
  const retimeLine = options.retime === true ? options.retimeLine : undefined;
  if (options.retime === true && retimeLine === undefined) throw new TypeError('replaySource: retime needs a retimeLine function');
  const rewindToleranceMs = options.rewindToleranceMs ?? 60_000;
  const clock = options.clock ?? realClock;
  let lines = 0;
  let batches = 0;

  return {
    name: `replay:${paced ? speed : 'max'}:${inner.name}`,
    stats: (): SourceStats => ({ ...inner.stats(), lines, batches }),
    async *lines(signal: AbortSignal): AsyncGenerator<LineBatch> {
      // Anchor: feed time `feed0` maps to wall time `wall0`; a line at feed time t is due at
      // wall0 + (t − feed0) / speed. Due times are absolute, so time spent downstream never drifts.
      let feed0 = 0;
      let wall0 = 0;
      let anchored = false;
      let latest = -Infinity;
      // Feed time → stamp: t + offset. Fixed once when the capture's end is known (above).
      let offset = 0;
      const end = retimeLine !== undefined && paced && speed > 1 && options.feedEnd ? await options.feedEnd(signal) : null;
      const emit = (out: string[]): LineBatch => {
        lines += out.length;
        batches++;
        return { lines: out, receivedAtMs: clock.now() };
      };
      for await (const batch of inner.lines(signal)) {
        if (signal.aborted) return;
        let out: string[] = [];
        for (const line of batch.lines) {
          const t = timeOf(line);
          if (t === null) {
            out.push(line);
            continue;
          }
          if (!anchored || t < latest - rewindToleranceMs) {
            feed0 = t;
            wall0 = clock.now();
            if (end === null) offset = wall0 - feed0;
            // The last line, due at wall0 + (end − feed0) / speed, is stamped exactly then; a line
            // (end − t) earlier in feed time is stamped (end − t)(1 − 1/speed) before it goes out.
            else if (!anchored) offset = wall0 + (Math.max(end, t) - feed0) / speed - Math.max(end, t);
            anchored = true;
            latest = t;
          } else if (t > latest) latest = t;
          if (paced) {
            const wait = wall0 + (t - feed0) / speed - clock.now();
            if (wait >= MIN_SLEEP_MS) {
              // What is due now goes out before the pause, not after it.
              if (out.length > 0) {
                yield emit(out);
                out = [];
              }
              if (!(await clock.sleep(wait, signal))) return;
            }
          }
          out.push(retimeLine === undefined ? line : retimeLine(line, t + offset));
        }
        if (out.length > 0) yield emit(out);
      }
    },
  };
}
