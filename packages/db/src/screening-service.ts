import type { Kysely } from 'kysely';
import { createListMatcher, type ListMatcher } from '@rendezvous/watchlists';
import type { Database } from './schema.ts';
import { createSuspectRepository } from './repositories/suspect-repository.ts';
import { createVesselRepository } from './repositories/vessel-repository.ts';
import { createWatchlistRepository } from './repositories/watchlist-repository.ts';

/**
 * Not a repository: a cache over two of them. Screens vessels against all lists and suspects. The in-memory matcher is rebuilt at most every
 * `ttlMs` (and at once after `invalidate()`, which this process calls after an import or a
 * suspect change), so screening a whole track costs no query per position.
 */
export function createScreeningService(db: Kysely<Database>, { ttlMs = 10_000 }: { ttlMs?: number } = {}) {
  const lists = createWatchlistRepository(db);
  const suspects = createSuspectRepository(db);
  const vessels = createVesselRepository(db);
  let matcher: Promise<ListMatcher> | undefined;
  let builtAt = 0;

  const current = () => {
    if (!matcher || Date.now() - builtAt > ttlMs) {
      builtAt = Date.now();
      matcher = Promise.all([lists.matchRows(), suspects.activeRows()]).then(([entries, active]) =>
        createListMatcher(
          entries.map((e) => ({ ...e, id: Number(e.id) })),
          active.map((s) => ({ ...s, id: Number(s.id) })),
        ),
      );
      matcher.catch(() => (matcher = undefined));
    }
    return matcher;
  };

  return {
    invalidate() {
      matcher = undefined;
    },
    /** Matches of the vessel with this MMSI (identity as last reported) at time `at`. */
    async screenMmsi(mmsi: number, at: Date) {
      return (await current()).matchAt(await vessels.identity(mmsi), at.getTime());
    },
    async matcher() {
      return current();
    },
  };
}
export type ScreeningService = ReturnType<typeof createScreeningService>;
