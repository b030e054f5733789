import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The transactional outbox of detection windows (migrations/0014_detection_outbox.sql).
 * Ingest records the windows a batch touched inside the batch's own transaction (`record`); a
 * drainer hands due rows to the queue (`due`, then `markEnqueued`); the detector deletes the rows
 * it saw once their window ran (`pending` before the run, `ack` after). A row handed over long
 * ago and still here is due again, so a job lost by Redis, or one that failed every attempt, is
 * re-run without anyone asking.
 */

/** Rows for one batch's windows, on the batch's own client and transaction. */
export async function recordOutboxWindows(client: pg.PoolClient, starts: readonly number[], windowMs: number): Promise<void> {
  if (starts.length === 0) return;
  await client.query(
    'INSERT INTO detection_outbox (window_start, window_ms) SELECT to_timestamp(s / 1000.0), $2 FROM unnest($1::float8[]) AS s',
    [starts, windowMs],
  );
}

export interface DueWindow {
  start: number;
  windowMs: number;
  ids: number[];
}

export function createOutboxRepository(db: Kysely<Database>) {
  return {
    /**
     * Windows with rows never handed over, or handed over more than `redeliverAfterMs` ago, up
     * to `limit` rows, grouped by window.
     */
    async due(redeliverAfterMs: number, limit = 10_000): Promise<DueWindow[]> {
      const rows = await db
        .selectFrom('detection_outbox')
        .select(['id', 'window_start', 'window_ms'])
        .where((eb) =>
          eb.or([
            eb('enqueued_at', 'is', null),
            eb('enqueued_at', '<', sql<Date>`now() - make_interval(secs => ${redeliverAfterMs / 1000})`),
          ]),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
      const byWindow = new Map<string, DueWindow>();
      for (const r of rows) {
        const start = r.window_start.getTime();
        const key = `${start}:${r.window_ms}`;
        let w = byWindow.get(key);
        if (!w) byWindow.set(key, (w = { start, windowMs: r.window_ms, ids: [] }));
        w.ids.push(r.id);
      }
      return [...byWindow.values()].sort((a, b) => a.start - b.start);
    },

    async markEnqueued(ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await db.updateTable('detection_outbox').set({ enqueued_at: sql`now()` }).where('id', '=', sql<number>`any(${[...ids]}::bigint[])`).execute();
    },

    /**
     * Ids of the rows whose window lies within [from, to): what a run over that range is about to
     * cover (read before the run reads any position).
     */
    async pending(from: Date, to: Date): Promise<number[]> {
      const rows = await db
        .selectFrom('detection_outbox')
        .select('id')
        .where('window_start', '>=', from)
        .where('window_start', '<', to)
        .where(sql<boolean>`window_start + make_interval(secs => window_ms / 1000.0) <= ${to}`)
        .execute();
      return rows.map((r) => r.id);
    },

    /** Deletes exactly the rows a successful run covered; rows committed meanwhile stay due. */
    async ack(ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await db.deleteFrom('detection_outbox').where('id', '=', sql<number>`any(${[...ids]}::bigint[])`).execute();
    },

    /** Rows waiting and the age of the oldest (for /ready and /metrics). */
    async backlog(): Promise<{ rows: number; windows: number; oldestAgeS: number | null }> {
      const r = await db
        .selectFrom('detection_outbox')
        .select([
          sql<number>`count(*)::int`.as('rows'),
          sql<number>`count(DISTINCT window_start)::int`.as('windows'),
          sql<number | null>`extract(epoch FROM now() - min(created_at))::float8`.as('oldest'),
        ])
        .executeTakeFirstOrThrow();
      return { rows: r.rows, windows: r.windows, oldestAgeS: r.oldest === null ? null : Math.round(r.oldest) };
    },
  };
}
export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
