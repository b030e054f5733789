/**
 * What the first-run demo writes to the database, through the same repositories the CLI uses:
 * the `demo` watchlist (one simulated vessel) and an analyst API token named `demo`.
 */
import { createTokenRepository, createWatchlistRepository, sql, type Database } from '@rendezvous/db';
import type { Kysely } from 'kysely';
import { prepareListSnapshot } from '@rendezvous/watchlists';

export const DEMO_LIST = 'demo';
export const DEMO_TOKEN_NAME = 'demo';

/**
 * A database nobody has used yet: no positions, alerts, API tokens, watchlists or suspects. Any
 * one of them means someone ingested, detected, issued a token or screened, and demo data would
 * mix with theirs; after a demo the token (at least) is there, so the demo never seeds twice.
 */
export async function isFreshDatabase(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM positions) OR EXISTS (SELECT 1 FROM alerts) OR EXISTS (SELECT 1 FROM api_tokens)
        OR EXISTS (SELECT 1 FROM watchlists) OR EXISTS (SELECT 1 FROM suspects) AS used`.execute(db);
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
  const token = await createTokenRepository(db).create({ role: 'analyst', name: DEMO_TOKEN_NAME });
  return { token: token.token, tokenId: token.id, listVersion: list.version };
}
