// Probe (run by hand): prints the SQL and parameters list() sends for a set of filters (no database: a fake
// driver records them), to diff the repository's SQL before and after a change.
import { Kysely, PostgresDialect } from 'kysely';
import { createAlertQueryRepository } from '@rendezvous/db';
import { parseAlertQuery } from '@rendezvous/alerts';
const out: string[] = [];
const fakePool = { connect: async () => ({ query: async (text: string, values: unknown[]) => { out.push(text, JSON.stringify(values)); return { rows: [1, 2, 3, 4].map((id) => ({ high_water: '1', id, start_us: '1', score: 1, change_seq: '1' })), command: 'SELECT' }; }, release() {} }) };
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: fakePool as any }) });
const repo = createAlertQueryRepository(db as any);
const queries = ['bbox=22,35.8,23.6,37.1&from=2024-03-01T00:00:00Z&to=2024-05-01T00:00:00Z&minScore=20', 'bbox=170,-10,-170,10&type=rendezvous,ais_gap&status=ongoing', 'bbox=-180,-90,180,90', '', 'sort=score&minScore=5&mmsi=111000001', 'sort=-updated&watchlist=ofac&imo=9258002&triage=new,escalated', 'updatedSince=123', 'updatedSince=2024-01-01T00:00:00Z&bbox=1,1,2,2'];
for (const q of queries) {
  const { filter, page } = parseAlertQuery({ ...Object.fromEntries(new URLSearchParams(q)), limit: 3 } as any);
  const r = await repo.list(filter, page);
  if (r.nextCursor) await repo.list(filter, { ...page, cursor: r.nextCursor });
}
await repo.get(5); await repo.changedAfter('5');
console.log(out.join('\n'));
