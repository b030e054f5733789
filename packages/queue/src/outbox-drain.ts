import type { Logger } from '@rendezvous/logger';
import { enqueueDetectionWindows } from './detection-windows.ts';
import type { Producer } from './queues.ts';

/** What the drain needs of the outbox table (@rendezvous/db createOutboxRepository). */
export interface OutboxSource {
  due(redeliverAfterMs: number, limit?: number): Promise<{ start: number; windowMs: number; ids: number[] }[]>;
  markEnqueued(ids: readonly number[]): Promise<void>;
}

export interface OutboxDrainOptions {
  outbox: OutboxSource;
  producer: Producer<'detection'>;
  logger: Logger;
  /** Look for due rows at least this often (rows other processes wrote, redeliveries). Default 1 s. */
  everyMs?: number;
  /**
   * A row handed to BullMQ this long ago and still in the outbox is handed over again: its job was
   * lost (Redis restarted without persistence) or failed every attempt (a long PostgreSQL outage).
   * BullMQ's deduplication id makes a redelivery of a window still waiting a no-op. Default 2 min.
   */
  redeliverAfterMs?: number;
  /** An enqueue that has not answered in this long counts as Redis being away. Default 5 s. */
  enqueueTimeoutMs?: number;
  /** Backoff while Redis or PostgreSQL is away: initial and ceiling (ms). */
  retry?: { initialMs: number; maxMs: number };
  /** false: no background loop; the caller drains with drainOnce() (a one-shot CLI ingest). Default true. */
  background?: boolean;
  /** Told after each drain attempt (metrics). */
  onState?: (state: { ok: boolean; enqueued: number; error?: string }) => void;
}

export interface OutboxDrain {
  /** Drain soon (ingest calls it after each commit, so live windows are queued at once). */
  wake(): void;
  /** One pass now; resolves with the windows handed over. */
  drainOnce(): Promise<number>;
  /** True while the last attempt failed (Redis or PostgreSQL away). */
  readonly failing: boolean;
  stop(): Promise<void>;
}

/**
 * Moves detection windows from the PostgreSQL outbox to BullMQ. Positions and their windows are
 * committed together, so this is the only place a window can wait, and it waits in PostgreSQL:
 * while Redis is away ingest goes on storing, the rows accumulate, and they are handed over when
 * Redis answers again (with backoff meanwhile, logged once per outage).
 */
export function startOutboxDrain(options: OutboxDrainOptions): OutboxDrain {
  const { outbox, producer, logger } = options;
  const everyMs = options.everyMs ?? 1000;
  const redeliverAfterMs = options.redeliverAfterMs ?? 120_000;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5000;
  const retry = options.retry ?? { initialMs: 250, maxMs: 10_000 };
  let stopped = false;
  let failing = false;
  let delay = retry.initialMs;
  let sleeper: { done: () => void; wakeable: boolean } | null = null;
  let woken = false;

  async function drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await outbox.due(redeliverAfterMs);
      if (due.length === 0) return total;
      const byLength = new Map<number, typeof due>();
      for (const w of due) byLength.set(w.windowMs, [...(byLength.get(w.windowMs) ?? []), w]);
      for (const [windowMs, windows] of byLength) {
        await withTimeout(
          enqueueDetectionWindows(producer, windows.map((w) => w.start), windowMs),
          enqueueTimeoutMs,
          'Redis did not accept the detection jobs',
        );
        await outbox.markEnqueued(windows.flatMap((w) => w.ids));
        total += windows.length;
      }
    }
  }

  const loop = (async () => {
    while (!stopped && options.background !== false) {
      try {
        const enqueued = await drainOnce();
        if (failing) logger.info({ enqueued }, 'detection outbox drained again: queue reachable');
        failing = false;
        delay = retry.initialMs;
        options.onState?.({ ok: true, enqueued });
        await sleepOrWake(everyMs);
      } catch (err) {
        const message = (err as Error).message;
        if (!failing) logger.warn({ err: message }, 'detection windows kept in the outbox until the queue answers');
        failing = true;
        options.onState?.({ ok: false, enqueued: 0, error: message });
        await sleepOrWake(delay, false);
        delay = Math.min(delay * 2, retry.maxMs);
      }
    }
  })();

  function sleepOrWake(ms: number, wakeable = true): Promise<void> {
    if (wakeable && woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleeper = null;
        woken = false;
        resolve();
      }
      // While failing, a commit does not cut the backoff short (it would hammer a dead Redis);
      // stop() always does.
      sleeper = { done, wakeable };
    });
  }

  return {
    wake() {
      if (!sleeper) woken = true;
      else if (sleeper.wakeable) sleeper.done();
    },
    drainOnce,
    get failing() {
      return failing;
    },
    async stop() {
      stopped = true;
      sleeper?.done();
      await loop;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
