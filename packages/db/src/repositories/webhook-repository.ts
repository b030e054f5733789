import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '@rendezvous/errors';
import type { Database } from '../schema.ts';
import type { AlertStatus, AlertType, WebhookDeliveryStatus } from '../schema-tables.ts';

/**
 * Webhooks and their delivery log (migrations/0020_webhooks.sql). The secret leaves this module
 * in `create`'s answer (shown once to the admin who registered the hook), and in `forDelivery`
 * and `target` (signing a request). Every other read leaves it out.
 */

/** Which alert changes a hook hears of: each given field must match (absent = any). */
export interface WebhookFilter {
  types?: AlertType[];
  /** Default: every status, retracted included (a subscriber must hear that an alert it was sent is withdrawn). */
  statuses?: AlertStatus[];
  /** Any of these list names in the alert's watchlists. */
  watchlists?: string[];
  minScore?: number;
  /** Either vessel is one of these. */
  mmsi?: number[];
}

export interface Webhook {
  id: number;
  url: string;
  filter: WebhookFilter;
  description: string | null;
  createdBy: string;
  createdAt: string;
  disabledAt: string | null;
}

/** What the dispatcher matches changes against (no secret). */
export interface ActiveWebhook {
  id: number;
  filter: WebhookFilter;
  /** Changes after this one are delivered. */
  fromSeq: bigint;
}

export interface NewDelivery {
  webhookId: number;
  alertId: number;
  changeSeq: string;
  event: unknown;
}

export interface WebhookDelivery {
  id: number;
  webhookId: number;
  alertId: number;
  changeSeq: string;
  kind: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** A delivery with what the worker needs to send it. */
export interface DeliveryWork {
  id: number;
  webhookId: number;
  status: WebhookDeliveryStatus;
  event: unknown;
  url: string;
  secret: string;
  disabled: boolean;
}

/** last_error is a diagnostic, not a store for whatever an endpoint answers. */
export const WEBHOOK_ERROR_MAX = 500;

const PUBLIC_COLUMNS = ['id', 'url', 'filter', 'description', 'created_by', 'created_at', 'disabled_at'] as const;

const toWebhook = (r: { id: number; url: string; filter: unknown; description: string | null; created_by: string; created_at: Date; disabled_at: Date | null }): Webhook => ({
  id: Number(r.id),
  url: r.url,
  filter: (r.filter ?? {}) as WebhookFilter,
  description: r.description,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  disabledAt: r.disabled_at?.toISOString() ?? null,
});

const notFound = (id: number) => new NotFoundError(`webhook ${id} does not exist`);

export function createWebhookRepository(db: Kysely<Database>) {
  return {
    /**
     * Registers a hook hearing of changes after the newest one it can see; returns it with its
     * secret (the only time). change_seq is drawn in commit order (migrations/0006), so every
     * change committed after this insert is numbered above from_seq.
     */
    async create(input: { url: string; secret: string; filter: WebhookFilter; description: string | null; createdBy: string }): Promise<Webhook & { secret: string }> {
      const row = await db
        .insertInto('webhooks')
        .values({
          url: input.url,
          secret: input.secret,
          filter: JSON.stringify(input.filter),
          description: input.description,
          created_by: input.createdBy,
          from_seq: sql<number>`(SELECT coalesce(max(change_seq), 0) FROM alerts)`,
          disabled_at: null,
        })
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirstOrThrow();
      return { ...toWebhook(row), secret: input.secret };
    },

    /** Every hook, disabled ones too, oldest first; never the secrets. */
    async list(): Promise<Webhook[]> {
      return (await db.selectFrom('webhooks').select(PUBLIC_COLUMNS).orderBy('id').execute()).map(toWebhook);
    },

    async get(id: number): Promise<Webhook> {
      const row = await db.selectFrom('webhooks').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(id);
      return toWebhook(row);
    },

    /** Idempotent: disabling a disabled hook keeps its first disabling time. */
    async disable(id: number): Promise<Webhook> {
      const row = await db
        .updateTable('webhooks')
        .set((eb) => ({ disabled_at: eb.fn.coalesce('disabled_at', eb.fn<Date>('now')) }))
        .where('id', '=', id)
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirst();
      if (!row) throw notFound(id);
      return toWebhook(row);
    },

    async active(): Promise<ActiveWebhook[]> {
      const rows = await db.selectFrom('webhooks').select(['id', 'filter', 'from_seq']).where('disabled_at', 'is', null).orderBy('id').execute();
      return rows.map((r) => ({ id: Number(r.id), filter: (r.filter ?? {}) as WebhookFilter, fromSeq: BigInt(r.from_seq) }));
    },

    /**
     * Records deliveries (a (hook, alert, change) already recorded is left as it is) and returns
     * the ids of those among them still pending: the ones to hand to the queue, whether recorded
     * now or by an earlier pass that stopped before moving the cursor.
     */
    async record(deliveries: readonly NewDelivery[]): Promise<number[]> {
      if (deliveries.length === 0) return [];
      await db
        .insertInto('webhook_deliveries')
        .values(deliveries.map((d) => ({ webhook_id: d.webhookId, alert_id: d.alertId, change_seq: sql<number>`${d.changeSeq}::bigint`, event: JSON.stringify(d.event), last_status_code: null, last_error: null, delivered_at: null })))
        .onConflict((oc) => oc.columns(['webhook_id', 'alert_id', 'change_seq']).doNothing())
        .execute();
      const keys = deliveries.map((d) => sql`(${d.webhookId}::bigint, ${d.alertId}::bigint, ${d.changeSeq}::bigint)`);
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where(sql<boolean>`(webhook_id, alert_id, change_seq) IN (${sql.join(keys)})`)
        .where('status', '=', 'pending')
        .orderBy('id')
        .execute();
      return rows.map((r) => Number(r.id));
    },

    /** Pending deliveries recorded over `olderThanMs` ago, of hooks still active: a lost job's row is found again here. */
    async pending(olderThanMs: number, limit = 1000): Promise<number[]> {
      const rows = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select('d.id')
        .where('d.status', '=', 'pending')
        .where('w.disabled_at', 'is', null)
        .where('d.created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
        .orderBy('d.id')
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.id));
    },

    /** The delivery, its hook's URL and secret; null when the row is gone. */
    async forDelivery(id: number): Promise<DeliveryWork | null> {
      const row = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select(['d.id', 'd.webhook_id', 'd.status', 'd.event', 'w.url', 'w.secret', 'w.disabled_at'])
        .where('d.id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      return { id: Number(row.id), webhookId: Number(row.webhook_id), status: row.status, event: row.event, url: row.url, secret: row.secret, disabled: row.disabled_at !== null };
    },

    /** Where and how to send a hook's test delivery (POST /v1/webhooks/:id/test); NotFoundError if there is no such hook. */
    async target(id: number): Promise<{ url: string; secret: string; disabled: boolean }> {
      const row = await db.selectFrom('webhooks').select(['url', 'secret', 'disabled_at']).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(id);
      return { url: row.url, secret: row.secret, disabled: row.disabled_at !== null };
    },

    /**
     * One attempt's outcome: delivered, or failed with its status code and error; `final` marks
     * the last attempt the queue will make (the row becomes failed). Only a pending row changes.
     */
    async recordAttempt(id: number, outcome: { delivered: boolean; statusCode: number | null; error: string | null; final: boolean }): Promise<void> {
      const status: WebhookDeliveryStatus = outcome.delivered ? 'delivered' : outcome.final ? 'failed' : 'pending';
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status,
          attempts: eb('attempts', '+', 1),
          last_status_code: outcome.statusCode,
          last_error: outcome.error === null ? null : outcome.error.slice(0, WEBHOOK_ERROR_MAX),
          updated_at: sql<Date>`now()`,
          delivered_at: outcome.delivered ? sql<Date>`now()` : null,
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },

    /** Closes a pending delivery without an attempt (its hook was disabled). */
    async abandon(id: number, reason: string): Promise<void> {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', last_error: reason.slice(0, WEBHOOK_ERROR_MAX), updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },

    /** A hook's delivery log, newest first; `before` is the last id of the previous page. */
    async deliveries(webhookId: number, page: { limit: number; before?: number | undefined }): Promise<WebhookDelivery[]> {
      let q = db
        .selectFrom('webhook_deliveries')
        .select([
          'id', 'webhook_id', 'alert_id', 'change_seq', 'status', 'attempts', 'last_status_code', 'last_error', 'created_at', 'updated_at',
          'delivered_at', sql<string | null>`event->'change'->>'kind'`.as('kind'),
        ])
        .where('webhook_id', '=', webhookId);
      if (page.before !== undefined) q = q.where('id', '<', page.before);
      const rows = await q.orderBy('id', 'desc').limit(page.limit).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        webhookId: Number(r.webhook_id),
        alertId: Number(r.alert_id),
        changeSeq: String(r.change_seq),
        kind: r.kind,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        lastError: r.last_error,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        deliveredAt: r.delivered_at?.toISOString() ?? null,
      }));
    },

    /** The dispatcher's cursor: every change ≤ it has its deliveries recorded and enqueued. */
    async cursor(): Promise<bigint> {
      // The migration inserts the row; a database emptied since (TRUNCATE) starts again at the newest change.
      await db
        .insertInto('webhook_dispatch_cursor')
        .values({ id: 1, last_seq: sql<number>`(SELECT coalesce(max(change_seq), 0) FROM alerts)` })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const row = await db.selectFrom('webhook_dispatch_cursor').select(sql<string>`last_seq::text`.as('seq')).where('id', '=', 1).executeTakeFirstOrThrow();
      return BigInt(row.seq);
    },

    /** Moves the cursor forward only (several API processes may dispatch the same changes). */
    async advance(seq: bigint): Promise<void> {
      await db
        .updateTable('webhook_dispatch_cursor')
        .set({ last_seq: sql<number>`greatest(last_seq, ${seq.toString()}::bigint)`, updated_at: sql<Date>`now()` })
        .where('id', '=', 1)
        .execute();
    },

    /** Puts the cursor back to `seq`: the change sequence restarted below it (a restored or reset database). */
    async rewind(seq: bigint): Promise<void> {
      await db.updateTable('webhook_dispatch_cursor').set({ last_seq: sql<number>`${seq.toString()}::bigint`, updated_at: sql<Date>`now()` }).where('id', '=', 1).execute();
    },
  };
}
export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
