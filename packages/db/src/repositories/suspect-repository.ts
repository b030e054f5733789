import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '@rendezvous/errors';
import type { Database } from '../schema.ts';

export interface Suspect {
  id: number;
  imo: number | null;
  mmsi: number | null;
  reason: string;
  addedBy: string;
  addedAt: string;
  removedBy: string | null;
  removedAt: string | null;
  removalReason: string | null;
}

type Row = Database['suspects'] extends infer T ? { [K in keyof T]: unknown } : never;
const toSuspect = (r: Record<keyof Row, unknown>): Suspect => ({
  id: Number(r.id),
  imo: r.imo as number | null,
  mmsi: r.mmsi as number | null,
  reason: r.reason as string,
  addedBy: r.added_by as string,
  addedAt: (r.added_at as Date).toISOString(),
  removedBy: r.removed_by as string | null,
  removedAt: r.removed_at ? (r.removed_at as Date).toISOString() : null,
  removalReason: r.removal_reason as string | null,
});

/** Analysts' suspect vessels; every change is written to suspect_audit in the same transaction. */
export function createSuspectRepository(db: Kysely<Database>) {
  return {
    async add(input: { imo?: number | null; mmsi?: number | null; reason: string; actor: string }): Promise<Suspect> {
      const imo = input.imo ?? null;
      const mmsi = input.mmsi ?? null;
      if (imo === null && mmsi === null) throw new ValidationError('a suspect needs an IMO or an MMSI');
      if (!input.reason.trim()) throw new ValidationError('a suspect needs a reason');
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('suspects')
          .select('id')
          .where('removed_at', 'is', null)
          .where((eb) => eb.and([imo === null ? eb('imo', 'is', null) : eb('imo', '=', imo), mmsi === null ? eb('mmsi', 'is', null) : eb('mmsi', '=', mmsi)]))
          .executeTakeFirst();
        if (existing) throw new ConflictError(`already an active suspect (id ${existing.id})`);
        const row = await trx
          .insertInto('suspects')
          .values({ imo, mmsi, reason: input.reason, added_by: input.actor })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('suspect_audit')
          .values({ suspect_id: row.id, action: 'added', actor: input.actor, reason: input.reason, details: JSON.stringify({ imo, mmsi }) })
          .execute();
        return toSuspect(row);
      });
    },

    async remove(input: { id: number; reason: string; actor: string }): Promise<Suspect> {
      if (!input.reason.trim()) throw new ValidationError('removing a suspect needs a reason');
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('suspects')
          .set({ removed_at: new Date(), removed_by: input.actor, removal_reason: input.reason })
          .where('id', '=', input.id)
          .where('removed_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new NotFoundError(`no active suspect with id ${input.id}`);
        await trx
          .insertInto('suspect_audit')
          .values({ suspect_id: row.id, action: 'removed', actor: input.actor, reason: input.reason })
          .execute();
        return toSuspect(row);
      });
    },

    async list(opts: { includeRemoved?: boolean } = {}): Promise<Suspect[]> {
      let q = db.selectFrom('suspects').selectAll().orderBy('id');
      if (!opts.includeRemoved) q = q.where('removed_at', 'is', null);
      return (await q.execute()).map(toSuspect);
    },

    async audit(id: number) {
      const rows = await db.selectFrom('suspect_audit').selectAll().where('suspect_id', '=', id).orderBy('at').orderBy('id').execute();
      if (rows.length === 0) throw new NotFoundError(`no suspect with id ${id}`);
      return rows.map((r) => ({ action: r.action, actor: r.actor, reason: r.reason, at: r.at.toISOString(), details: r.details }));
    },

    /** Active suspects as the list matcher takes them. */
    async activeRows() {
      return db.selectFrom('suspects').select(['id', 'imo', 'mmsi', 'reason', 'added_by', 'added_at']).where('removed_at', 'is', null).execute();
    },
  };
}
export type SuspectRepository = ReturnType<typeof createSuspectRepository>;
