// Probe (run by hand): in-process CPU per distinct filtered list page, by stage (repo.list incl. pg parsing,
// toAlertSummary, JSON serialisation with the route's schema), sequential, one connection.
import fastJson from 'fast-json-stringify';
import { createAlertQueryRepository, createDatabase } from '@rendezvous/db';
import { parseAlertQuery, toAlertSummary } from '@rendezvous/alerts';
import { createLogger } from '@rendezvous/logger';
import { alertListSchema } from '../../src/alerts/alert-schemas.ts';
const benchUrl = Object.assign(new URL(process.env['DATABASE_MIGRATION_URL']!), { pathname: '/rendezvous_bench_api' }).toString();
const handle = createDatabase({ url: benchUrl, poolMax: 1 }, createLogger({ level: 'warn', format: 'json' }, 'x'));
const repo = createAlertQueryRepository(handle.db);
const stringify = fastJson(alertListSchema as object);
const day0 = Date.UTC(2024, 0, 1);
const N = Number(process.argv[2] ?? 2000);
let issued = 0;
const nextQuery = () => {
  const from = day0 + Math.floor(Math.random() * 640) * 86_400_000 + ++issued * 1000;
  return { bbox: '22,35.8,23.6,37.1', limit: '50', from: new Date(from).toISOString(), to: new Date(from + 90 * 86_400_000).toISOString(), minScore: String(10 + Math.floor(Math.random() * 31)) };
};
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const round of [0, 1, 2]) {
  let list = 0, view = 0, ser = 0, bytes = 0, nat = 0, differ = 0;
  const c0 = cpu();
  for (let i = 0; i < N; i++) {
    const { filter, page } = parseAlertQuery(nextQuery() as never);
    const a = cpu();
    const result = await repo.list(filter, page);
    const b = cpu();
    const items = result.rows.map(toAlertSummary);
    const c = cpu();
    const body = stringify({ items, nextCursor: result.nextCursor, sync: { updatedSince: result.highWater } });
    const d = cpu();
    const native = JSON.stringify({ items, nextCursor: result.nextCursor, sync: { updatedSince: result.highWater } });
    nat += cpu() - d;
    if (native !== body) differ++;
    list += b - a; view += c - b; ser += d - c; bytes += Buffer.byteLength(body);
  }
  const total = cpu() - c0;
  console.log(`round ${round}: total ${(total / N).toFixed(3)} ms/page  list ${(list / N).toFixed(3)}  view ${(view / N).toFixed(3)}  json ${(ser / N).toFixed(3)}  bytes ${Math.round(bytes / N)}  native JSON.stringify ${(nat / N).toFixed(3)} (differs on ${differ} pages)`);
}
await handle.close();
