/**
 * What the first-run demo writes to the database, through the same repositories the CLI uses:
 * the `demo` watchlist (one simulated vessel) and an analyst API token named `demo`.
 */
import { createTokenRepository, createWatchlistRepository, sql, type Database } from '@rendezvous/db';
import type { Kysely } from 'kysely';
import { prepareListSnapshot } from '@rendezvous/watchlists';

export const DEMO_LIST = 'demo';
export const DEMO_TOKEN_NAME = 'demo';

/** The demo's token is printed on a console: it stops working after this long. */
export const DEMO_TOKEN_TTL_MS = 7 * 86_400_000;

/**
 * A database nobody has ever used: it holds no positions, vessels, alerts, API tokens, watchlists
 * or suspects, and never held any. Emptied tables are not enough: an id sequence that has ever
 * handed out a value (a token, list, suspect or alert was created, even if deleted since) or a
 * positions partition for a day before yesterday (data was ingested, even if purged since) means
 * someone's data lived here, and demo data must never mix with it. After a demo the token (at
 * least) is there, so the demo never seeds twice.
 */
export async function isFreshDatabase(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM positions) OR EXISTS (SELECT 1 FROM vessels) OR EXISTS (SELECT 1 FROM alerts)
        OR EXISTS (SELECT 1 FROM api_tokens) OR EXISTS (SELECT 1 FROM watchlists) OR EXISTS (SELECT 1 FROM suspects)
        OR EXISTS (SELECT 1 FROM pg_sequences
                    WHERE schemaname = 'public' AND last_value IS NOT NULL
                      AND sequencename IN ('api_tokens_id_seq', 'alerts_id_seq', 'watchlists_id_seq', 'suspects_id_seq'))
        OR EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'positions'::regclass
                      AND c.relname < 'positions_' || to_char(now() AT TIME ZONE 'UTC' - interval '1 day', 'YYYYMMDD')) AS used`.execute(db);
  return rows[0]?.used === false;
}

export interface DemoSeed {
  /** The token's secret: shown once on the console, never stored in clear. */
  token: string;
  tokenId: number;
  listVersion: number;
}

export async function seedDemo(db: Kysely<Database>, watchlistCsv: string): Promise<DemoSeed> {
  const snapshot = prepareListSnapshot({
    name: DEMO_LIST,
    bytes: new TextEncoder().encode(watchlistCsv),
    fileName: 'demo.csv',
    format: 'csv',
    importedBy: 'demo',
  });
  const list = await createWatchlistRepository(db).importSnapshot(snapshot);
  const token = await createTokenRepository(db).create({ role: 'analyst', name: DEMO_TOKEN_NAME, expiresAt: new Date(Date.now() + DEMO_TOKEN_TTL_MS) });
  return { token: token.token, tokenId: token.id, listVersion: list.version };
}
