import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { NotFoundError } from '@rendezvous/errors';
import type { ListSnapshot, SnapshotEntry } from '@rendezvous/watchlists';
import type { Database } from '../schema.ts';

export interface ImportResult {
  status: 'imported' | 'unchanged';
  list: string;
  format: string;
  version: number;
  sha256: string;
  entries: number;
  added: number;
  removed: number;
  changed: number;
  skipped: { location: string; reason: string }[];
  invalidImos: { location: string; imoRaw: string }[];
  importedAt: string;
}

const INSERT_CHUNK = 1000;

/** Watchlists as versioned snapshots: every import is one transaction, so nothing is half-imported. */
export function createWatchlistRepository(db: Kysely<Database>) {
  return {
    /**
     * Stores a snapshot as the list's next version, recording what was added, removed and changed
     * since the previous one. The same file (same SHA-256) again changes nothing.
     */
    async importSnapshot(snapshot: ListSnapshot): Promise<ImportResult> {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('watchlists')
          .values({ name: snapshot.name, format: snapshot.format })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        // Row lock: two imports of one list run one after the other.
        const list = await trx.selectFrom('watchlists').selectAll().where('name', '=', snapshot.name).forUpdate().executeTakeFirstOrThrow();
        const same = await trx
          .selectFrom('watchlist_versions')
          .selectAll()
          .where('watchlist_id', '=', list.id)
          .where('sha256', '=', snapshot.sha256)
          .executeTakeFirst();
        if (same) {
          return {
            status: 'unchanged' as const,
            list: list.name,
            format: same.format,
            version: same.version,
            sha256: same.sha256,
            entries: same.entries,
            added: 0,
            removed: 0,
            changed: 0,
            skipped: snapshot.skipped,
            invalidImos: snapshot.invalidImos,
            importedAt: same.imported_at.toISOString(),
          };
        }
        const { max } = await trx
          .selectFrom('watchlist_versions')
          .select((eb) => eb.fn.max('version').as('max'))
          .where('watchlist_id', '=', list.id)
          .executeTakeFirstOrThrow();
        const version = (max ?? 0) + 1;
        const now = new Date();

        const current = await trx
          .selectFrom('watchlist_entries')
          .select(['id', 'entry_key', 'content_hash'])
          .where('watchlist_id', '=', list.id)
          .where('removed_version', 'is', null)
          .execute();
        const currentByKey = new Map(current.map((c) => [c.entry_key, c]));
        const incomingKeys = new Set(snapshot.entries.map((e) => e.key));
        const toInsert: SnapshotEntry[] = [];
        const toClose: number[] = [];
        let added = 0;
        let changed = 0;
        for (const e of snapshot.entries) {
          const existing = currentByKey.get(e.key);
          if (!existing) {
            added++;
            toInsert.push(e);
          } else if (existing.content_hash !== e.contentHash) {
            changed++;
            toClose.push(existing.id);
            toInsert.push(e);
          }
        }
        let removed = 0;
        for (const c of current) {
          if (!incomingKeys.has(c.entry_key)) {
            removed++;
            toClose.push(c.id);
          }
        }
        for (let i = 0; i < toClose.length; i += INSERT_CHUNK) {
          await trx
            .updateTable('watchlist_entries')
            .set({ removed_version: version, removed_at: now })
            .where('id', 'in', toClose.slice(i, i + INSERT_CHUNK))
            .execute();
        }
        for (let i = 0; i < toInsert.length; i += INSERT_CHUNK) {
          await trx
            .insertInto('watchlist_entries')
            .values(
              toInsert.slice(i, i + INSERT_CHUNK).map((e) => ({
                watchlist_id: list.id,
                entry_key: e.key,
                name: e.name,
                name_key: e.nameKey,
                aliases: e.aliases,
                imo: e.imo,
                imo_raw: e.imoRaw,
                imo_valid: e.imoValid,
                mmsi: e.mmsi,
                mmsi_legacy: e.mmsiLegacy,
                callsign: e.callsign,
                flag: e.flag,
                vessel_type: e.vesselType,
                program: e.program,
                subject: e.subject,
                listed_at: e.listedAt,
                location: e.location,
                content_hash: e.contentHash,
                added_version: version,
                added_at: now,
              })),
            )
            .execute();
        }
        await trx
          .insertInto('watchlist_versions')
          .values({
            watchlist_id: list.id,
            version,
            sha256: snapshot.sha256,
            file_name: snapshot.fileName,
            format: snapshot.format,
            encoding: snapshot.encoding,
            imported_at: now,
            imported_by: snapshot.importedBy,
            entries: snapshot.entries.length,
            added,
            removed,
            changed,
            skipped: snapshot.skipped.length,
            invalid_imos: snapshot.invalidImos.length,
          })
          .execute();
        return {
          status: 'imported' as const,
          list: list.name,
          format: snapshot.format,
          version,
          sha256: snapshot.sha256,
          entries: snapshot.entries.length,
          added,
          removed,
          changed,
          skipped: snapshot.skipped,
          invalidImos: snapshot.invalidImos,
          importedAt: now.toISOString(),
        };
      });
    },

    /** Every list with its latest version. */
    async lists() {
      const rows = await db
        .selectFrom('watchlists as w')
        .leftJoin('watchlist_versions as v', (j) =>
          j.onRef('v.watchlist_id', '=', 'w.id').on('v.version', '=', (eb) =>
            eb.selectFrom('watchlist_versions').select((e) => e.fn.max('version').as('m')).whereRef('watchlist_id', '=', 'w.id'),
          ),
        )
        .select(['w.name', 'w.format', 'w.created_at', 'v.version', 'v.entries', 'v.imported_at', 'v.imported_by'])
        .orderBy('w.name')
        .execute();
      return rows.map((r) => ({
        name: r.name,
        format: r.format,
        createdAt: r.created_at.toISOString(),
        currentVersion: r.version,
        entries: r.entries,
        lastImportedAt: r.imported_at?.toISOString() ?? null,
        lastImportedBy: r.imported_by,
      }));
    },

    async versions(name: string) {
      const list = await db.selectFrom('watchlists').select('id').where('name', '=', name).executeTakeFirst();
      if (!list) throw new NotFoundError(`no watchlist named ${name}`);
      const rows = await db.selectFrom('watchlist_versions').selectAll().where('watchlist_id', '=', list.id).orderBy('version', 'desc').execute();
      return rows.map((v) => ({
        version: v.version,
        sha256: v.sha256,
        fileName: v.file_name,
        format: v.format,
        encoding: v.encoding,
        importedAt: v.imported_at.toISOString(),
        importedBy: v.imported_by,
        entries: v.entries,
        added: v.added,
        removed: v.removed,
        changed: v.changed,
        skipped: v.skipped,
        invalidImos: v.invalid_imos,
      }));
    },

    /** Entries of a list as they were at `version` (default: the latest). */
    async entries(name: string, version?: number) {
      const list = await db.selectFrom('watchlists').select('id').where('name', '=', name).executeTakeFirst();
      if (!list) throw new NotFoundError(`no watchlist named ${name}`);
      let q = db.selectFrom('watchlist_entries').selectAll().where('watchlist_id', '=', list.id);
      if (version === undefined) q = q.where('removed_version', 'is', null);
      else
        q = q
          .where('added_version', '<=', version)
          .where((eb) => eb.or([eb('removed_version', 'is', null), eb('removed_version', '>', version)]));
      return q.orderBy('entry_key').execute();
    },

    /**
     * Every entry ever listed, with the list's name and when it was added/removed: the matcher
     * needs removed entries too, to answer "was this vessel listed at time t?".
     */
    async matchRows() {
      return db
        .selectFrom('watchlist_entries as e')
        .innerJoin('watchlists as w', 'w.id', 'e.watchlist_id')
        .select([
          'e.id',
          'w.name as list',
          'e.entry_key',
          'e.name',
          'e.aliases',
          'e.imo',
          'e.mmsi',
          'e.mmsi_legacy',
          'e.callsign',
          'e.listed_at',
          'e.subject',
          'e.program',
          'e.added_at',
          'e.removed_at',
        ])
        .execute();
    },
  };
}
export type WatchlistRepository = ReturnType<typeof createWatchlistRepository>;
