import type pg from 'pg';
import { toAlertSummary } from '@rendezvous/alerts';
import { readAlertHighWater, type AlertQueryRepository, type AlertRow, type NewDelivery, type WebhookRepository } from '@rendezvous/db';
import type { Logger } from '@rendezvous/logger';
import type { AlertChangeFeed } from '../changes/change-feed.ts';
import { matchesWebhookFilter } from './webhook-filter.ts';
import type { WebhookQueue } from './webhook-delivery.ts';

/** Changes read per query: one page of summaries in memory at a time. */
export const DISPATCH_PAGE = 200;
/** A pending delivery recorded longer ago than this is handed to the queue again (its job may be lost with Redis's memory). */
const REDELIVER_AFTER_MS = 60_000;
/** How often lost jobs are looked for, and a pass runs even without a change notification. */
const SWEEP_MS = 30_000;
const RETRY_MS = 2000;

export type ChangeKind = 'created' | 'updated' | 'triaged' | 'retracted';

/**
 * What the change was, read from the alert as it is after it (the feed keeps no history of
 * versions; as in the SSE stream, an alert changed twice between two reads is seen once, at its
 * newest change). Triage and insert stamp their times with the statement's now(), which
 * updated_at shares.
 */
export function changeKind(row: Pick<AlertRow, 'status' | 'triaged_at' | 'first_detected_at' | 'updated_at'>): ChangeKind {
  if (row.status === 'retracted') return 'retracted';
  if (row.triaged_at && row.triaged_at.getTime() === row.updated_at.getTime()) return 'triaged';
  if (row.first_detected_at.getTime() === row.updated_at.getTime()) return 'created';
  return 'updated';
}

export interface WebhookDispatcher {
  /** Runs a pass now (and waits for it); a pass already running is followed by one more. */
  dispatch(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Turns alert changes into webhook deliveries. Follows the API's alert change feed (NOTIFY, with
 * its fallback poll) from a cursor kept in PostgreSQL (webhook_dispatch_cursor); each pass reads
 * the changes after it a page at a time, matches each against every active hook's filter,
 * records a delivery row per match, enqueues the pending rows' jobs, and only then moves the
 * cursor. A pass that stops half-way (crash, PostgreSQL or Redis away) is re-run from the same
 * cursor: rows already recorded are kept (unique per hook, alert and change), their jobs are
 * re-added under the same ids (BullMQ keeps one), so nothing is sent twice or skipped. Several
 * API processes may dispatch at once for the same reason.
 *
 * The hooks are read after each page of changes, so a change committed after a hook was
 * registered is never missed: the page that holds it was read after the hook was committed, and
 * its change_seq is above the hook's from_seq (numbers are drawn in commit order). A change
 * committed while the registration was under way may or may not be sent.
 *
 * With no active hook a pass is one small query, and the delivery worker is not started (no
 * blocking Redis connection for a feature nobody uses); `onHooks` starts it the first time.
 */
export function startWebhookDispatcher(deps: {
  repo: WebhookRepository;
  alerts: AlertQueryRepository;
  feed: AlertChangeFeed;
  pool: pg.Pool;
  queue: WebhookQueue;
  logger: Logger;
  /** Called whenever active hooks exist (starts the delivery worker once). */
  onHooks(): void;
}): WebhookDispatcher {
  const { repo, alerts, feed, queue, logger } = deps;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let retry: NodeJS.Timeout | null = null;
  let lastError = '';
  let lastSweep = 0;

  async function pass(): Promise<void> {
    const hooks = await repo.active();
    if (hooks.length === 0) return;
    deps.onHooks();
    let cursor = await repo.cursor();
    if (BigInt(feed.version()) < cursor) {
      // The feed's version may lag a moment behind the database: ask the database itself.
      const newest = BigInt(await readAlertHighWater(deps.pool));
      if (newest < cursor) {
        logger.warn({ cursor: cursor.toString(), newest: newest.toString() }, 'alert changes restarted below the webhook cursor (restored database?); following from the newest');
        await repo.rewind(newest);
        cursor = newest;
      }
    }
    // Changes up to the oldest hook's registration concern no hook.
    const oldest = hooks.reduce((min, h) => (h.fromSeq < min ? h.fromSeq : min), hooks[0]!.fromSeq);
    let after = cursor > oldest ? cursor : oldest;
    for (;;) {
      const rows = await alerts.changedAfter(after.toString(), DISPATCH_PAGE);
      if (rows.length === 0 || closed) break;
      const current = await repo.active();
      const deliveries: NewDelivery[] = [];
      for (const row of rows) {
        const seq = BigInt(row.change_seq);
        let event: unknown;
        for (const hook of current) {
          if (seq <= hook.fromSeq || !matchesWebhookFilter(hook.filter, row)) continue;
          event ??= { change: { seq: String(row.change_seq), kind: changeKind(row) }, alert: toAlertSummary(row) };
          deliveries.push({ webhookId: hook.id, alertId: Number(row.id), changeSeq: String(row.change_seq), event });
        }
      }
      await queue.enqueue(await repo.record(deliveries));
      after = BigInt(rows[rows.length - 1]!.change_seq);
      await repo.advance(after);
      if (rows.length < DISPATCH_PAGE) break;
    }
    if (Date.now() - lastSweep >= SWEEP_MS) {
      await queue.enqueue(await repo.pending(REDELIVER_AFTER_MS));
      lastSweep = Date.now();
    }
  }

  function dispatch(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again && !closed);
        lastError = '';
      } catch (err) {
        if (closed) return;
        // Nothing was skipped (the cursor only moves after a page is enqueued): try again shortly.
        const message = (err as Error).message;
        if (message !== lastError) logger.warn({ err: message }, 'webhook dispatch failed; retrying');
        lastError = message;
        retry ??= setTimeout(() => {
          retry = null;
          void dispatch();
        }, RETRY_MS);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const unsubscribe = feed.subscribe(() => void dispatch());
  const sweep = setInterval(() => void dispatch(), SWEEP_MS);
  sweep.unref();
  void dispatch();

  return {
    dispatch,
    async close() {
      closed = true;
      unsubscribe();
      clearInterval(sweep);
      if (retry) clearTimeout(retry);
      await running;
    },
  };
}
