/**
 * Each hook's share of the delivery worker: at most `perHook` attempts in flight per hook, so a
 * hook whose endpoint hangs holds that many slots and the others keep theirs.
 *
 * A job of a hook at its share steps aside (the worker moves it back to the delayed set). How
 * long it waits follows what is ahead of it: the jobs of that hook already waiting, divided by
 * the share, times the hook's recent attempt time (a moving average) — so a burst of thousands
 * of changes to one hook, or a hook that only ever times out, has its jobs come back about when
 * a slot can be free, not every few hundred milliseconds each.
 */
export interface HookShare {
  /** Takes a slot for the hook; false when it holds its share already. */
  tryTake(hookId: number, jobId: string): boolean;
  /** Gives the slot back after an attempt that took `ms`. */
  release(hookId: number, ms: number): void;
  /** How long a job that could not take a slot should wait (ms). */
  waitFor(hookId: number, jobId: string): number;
}

const MIN_WAIT_MS = 250;
const MAX_WAIT_MS = 60_000;
/** Weight of the newest attempt in the moving average of attempt times. */
const PACE_WEIGHT = 0.2;

export function createHookShare(perHook: number, now: () => number = Date.now, random: () => number = Math.random): HookShare {
  const inFlight = new Map<number, number>();
  const pace = new Map<number, number>();
  /** Per hook: jobs that stepped aside and have not run here since, with when to forget them. */
  const waiting = new Map<number, Map<string, number>>();
  const sweptAt = new Map<number, number>();

  function waitingFor(hookId: number): Map<string, number> {
    let jobs = waiting.get(hookId);
    if (!jobs) waiting.set(hookId, (jobs = new Map()));
    // A job that came back to another API process never runs here: forget it after a while
    // (looked for once a second, not at every step aside of a burst).
    const t = now();
    if (t - (sweptAt.get(hookId) ?? 0) >= 1000) {
      for (const [id, until] of jobs) if (until < t) jobs.delete(id);
      sweptAt.set(hookId, t);
    }
    return jobs;
  }

  return {
    tryTake(hookId, jobId) {
      const busy = inFlight.get(hookId) ?? 0;
      if (busy >= perHook) return false;
      inFlight.set(hookId, busy + 1);
      const jobs = waiting.get(hookId);
      jobs?.delete(jobId);
      if (jobs?.size === 0) {
        waiting.delete(hookId);
        sweptAt.delete(hookId);
      }
      return true;
    },
    release(hookId, ms) {
      const left = (inFlight.get(hookId) ?? 1) - 1;
      if (left > 0) inFlight.set(hookId, left);
      else inFlight.delete(hookId);
      const previous = pace.get(hookId);
      pace.set(hookId, previous === undefined ? ms : previous + PACE_WEIGHT * (ms - previous));
    },
    waitFor(hookId, jobId) {
      const jobs = waitingFor(hookId);
      const ahead = jobs.has(jobId) ? jobs.size : jobs.size + 1;
      const expected = Math.ceil(ahead / perHook) * (pace.get(hookId) ?? MIN_WAIT_MS);
      // ±25 % so jobs that stepped aside together do not all come back together.
      const wait = Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, Math.round(expected * (0.75 + random() / 2))));
      jobs.set(jobId, now() + 2 * MAX_WAIT_MS);
      return wait;
    },
  };
}
