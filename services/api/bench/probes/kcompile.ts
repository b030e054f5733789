import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createAlertQueryRepository } from '@rendezvous/db';
import { parseAlertQuery } from '@rendezvous/alerts';
// A driver that compiles and returns canned rows: measures building + compiling only.
let captured = 0;
const fakePool = { connect: async () => ({ query: async (text: string, values: unknown[]) => { captured++; return { rows: [{ high_water: '1', id: 1 }], command: 'SELECT' }; }, release() {} }) };
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: fakePool as any }) });
const repo = createAlertQueryRepository(db as any);
const day0 = Date.UTC(2024, 0, 1);
const N = 5000;
for (const r of [0, 1, 2]) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const from = day0 + (i % 600) * 86_400_000 + i * 1000;
    const { filter, page } = parseAlertQuery({ bbox: '22,35.8,23.6,37.1', limit: '50', from: new Date(from).toISOString(), to: new Date(from + 90 * 86_400_000).toISOString(), minScore: String(10 + (i % 31)) } as any);
    await repo.list(filter, page);
  }
  const u = process.cpuUsage(t0);
  console.log('build+compile+list ms/page', ((u.user + u.system) / 1000 / N).toFixed(4));
}
