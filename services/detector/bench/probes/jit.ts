// Probe (hand-run): which of a 24 h job's statements PostgreSQL would JIT-compile. Runs the job
// as first-job.ts does (prepare, warm-up, then the job) with every statement the pool sends
// recorded, then EXPLAIN ANALYZEs each one (a COPY by its inner SELECT; inside a transaction
// rolled back) and prints those whose plan has a "JIT:" section, with their JIT times, and the
// slowest statements.
//   DATABASE_URL=…/rendezvous_bench_detector node services/detector/bench/probes/jit.ts [fromMs]
import pg from 'pg';
import { loadSanctioned, sanctionedPortEntries } from '@rendezvous/geography';
import { createPortLookup } from '@rendezvous/detection';
import { createDatabase } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { createWindowDetector } from '../../src/window-detector.ts';

// Patched before the pool opens a client: installStatementCache binds each client's query at connect.
const seen: { text: string; values: unknown[] | undefined }[] = [];
let recording = false;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const [a, b] = args as [unknown, unknown];
    const text = typeof a === 'string' ? a : (a as { text?: string }).text;
    const values = Array.isArray(b) ? b : (a as { values?: unknown[] }).values;
    if (text) seen.push({ text, values });
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const from = Number(process.argv[2] ?? Date.UTC(2024, 2, 10));
const logger = createLogger({ level: 'warn', format: 'json' }, 'probe');
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 4 }, logger);
const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
const sanctionedPorts = sanctionedPortEntries({ countries: ['PRK'], portsFile: null, areasFile: null });
const detector = createWindowDetector(database, logger, { portCalls: createPortLookup(sanctionedPorts), sanctioned, knownPorts: sanctionedPorts });
await detector.prepareConnections();
await detector.warmUp();

await database.pool.query('TRUNCATE alerts, alert_evidence CASCADE');
recording = true;
await detector.run({ from: new Date(from), to: new Date(from + 24 * 3_600_000) });
recording = false;
pg.Client.prototype.query = query as typeof pg.Client.prototype.query;

const client = new pg.Client({ connectionString: process.env['DATABASE_URL']! });
await client.connect();
let jitted = 0;
const slowest: { ms: number; head: string; sql: string; values: unknown[] | undefined }[] = [];
for (const { text, values } of seen) {
  const copy = /^\s*COPY\s*\(([\s\S]*)\)\s*TO\s+STDOUT/i.exec(text);
  const sql = copy ? copy[1]! : text;
  if (!/^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)/i.test(sql)) continue;
  // ANALYZE inside a transaction rolled back: a write's plan runs (its JIT times show) and leaves nothing.
  await client.query('BEGIN');
  const plan = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values)).rows[0]['QUERY PLAN'][0];
  await client.query('ROLLBACK');
  const head = sql.replace(/\s+/g, ' ').slice(0, 160);
  slowest.push({ ms: plan['Execution Time'], head, sql, values });
  if (plan.JIT) {
    jitted++;
    console.log(`JIT ${JSON.stringify(plan.JIT)}\n  cost ${plan.Plan['Total Cost']}, execution ${plan['Execution Time']} ms: ${head}`);
  }
}
console.log(`${seen.length} statements, ${jitted} with JIT; the slowest (EXPLAIN ANALYZE execution):`);
for (const x of slowest.sort((a, b) => b.ms - a.ms).slice(0, 12)) console.log(`  ${x.ms.toFixed(1)} ms: ${x.head}`);
// PROBE_DUMP=<file>: the statements and their parameters, as JSON (to EXPLAIN by hand).
if (process.env['PROBE_DUMP']) (await import('node:fs')).writeFileSync(process.env['PROBE_DUMP'], JSON.stringify(slowest));
await client.end();
await database.close();
