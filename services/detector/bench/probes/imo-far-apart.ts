// Probe (hand-run): the set-based identity rule imo_far_apart on the detector bench's data (run
// the bench with --keep first) once some vessels share an IMO. For each share, inside one
// transaction rolled back at the end: pairs of vessels (picked at random, seeded) claim one valid
// IMO each, then the repository's query (the pruned one) and the plain query it replaced (kept
// word for word in test/support/imo-far-apart-oracle.ts, the pruning test's oracle) run alternately, each
// `reps` times, on the connection the detector would use (jit = off). Prints per run the wall ms
// and the backend's CPU ms (/proc/<pid>/stat; with --no-parallel, parallel workers are off so the
// backend's CPU is all of it), and checks that both return the same MMSIs.
//   DATABASE_URL=…/rendezvous_bench_detector node services/detector/bench/probes/imo-far-apart.ts \
//     [--shares 2,20] [--reps 2] [--from <ms>] [--pairing random|near] [--no-parallel] [--skip-old] [--explain] [--plan]
// --explain: EXPLAIN ANALYZE of the pruned query after the runs; --plan: its plan before the runs
// (from the second share on).
import { parseArgs } from 'node:util';
import pg from 'pg';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { createDatabase, createIdentityRepository, type Database } from '@rendezvous/db';
import { identityOptions } from '@rendezvous/identity';
import { createLogger } from '@rendezvous/logger';
import { mulberry32, processCpuMs } from '@rendezvous/test-support';
import { plainImoFarApart, validImo } from '../../../../test/support/imo-far-apart-oracle.ts';

const { values } = parseArgs({
  options: {
    shares: { type: 'string', default: '2,20' },
    reps: { type: 'string', default: '2' },
    from: { type: 'string', default: String(Date.UTC(2024, 2, 10)) },
    'no-parallel': { type: 'boolean', default: false },
    'skip-old': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    plan: { type: 'boolean', default: false },
    pairing: { type: 'string', default: 'random' },
  },
});
const from = new Date(Number(values.from));
const to = new Date(from.getTime() + 24 * 3_600_000);
const reps = Number(values.reps);
const opts = identityOptions({});

// The statements the repository sends (to EXPLAIN the pruned query as it is sent).
let recorded: { text: string; values: unknown[] | undefined } | null = null;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [a, b] = args as [unknown, unknown];
  const text = typeof a === 'string' ? a : (a as { text?: string } | undefined)?.text;
  if (text && /WITH claims AS/.test(text) && /candidates AS/.test(text)) {
    recorded = { text, values: Array.isArray(b) ? b : (a as { values?: unknown[] }).values };
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

/** The plain query (identity-repository.ts before issue 16's pruning). */
const plain = (db: Kysely<Database>) => plainImoFarApart(db, from, to, undefined, opts);

async function explain(db: Kysely<Database>, q: { text: string; values: unknown[] | undefined }, analyze: boolean) {
  const { rows } = await db.executeQuery(CompiledQuery.raw(`EXPLAIN ${analyze ? '(ANALYZE) ' : ''}${q.text}`, q.values ?? []));
  console.log((rows as { 'QUERY PLAN': string }[]).map((p) => `    ${p['QUERY PLAN']}`).join('\n'));
}

const logger = createLogger({ level: 'warn', format: 'json' }, 'probe');
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 1 }, logger);
class Rollback extends Error {}

for (const share of values.shares.split(',').map(Number)) {
  await database.db
    .transaction()
    .execute(async (trx) => {
      await sql`SET LOCAL jit = off`.execute(trx);
      if (values['no-parallel']) await sql`SET LOCAL max_parallel_workers_per_gather = 0`.execute(trx);
      const pid = (await sql<{ p: number }>`SELECT pg_backend_pid() AS p`.execute(trx)).rows[0]!.p;
      const mmsis = (await sql<{ mmsi: number }>`SELECT mmsi FROM vessels ORDER BY mmsi`.execute(trx)).rows.map((r) => r.mmsi);
      const rnd = mulberry32(16 + share);
      for (let i = mmsis.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [mmsis[i], mmsis[j]] = [mmsis[j]!, mmsis[i]!];
      }
      let sharing = mmsis.slice(0, 2 * Math.round((mmsis.length * share) / 200));
      if (values.pairing === 'near') {
        // Pairs of neighbours: the chosen vessels ordered by their first position of the day in
        // 1° latitude bands, then longitude; consecutive ones pair (mostly the slow, never-far case).
        const { rows } = await sql<{ mmsi: number }>`
          SELECT DISTINCT ON (mmsi) mmsi, first_lat, first_lon FROM position_buckets
          WHERE mmsi = ANY(${sharing}::int[]) AND bucket >= ${Math.floor(from.getTime() / 600_000)}
          ORDER BY mmsi, bucket`.execute(trx);
        const at = new Map(rows.map((r) => [r.mmsi, r as unknown as { first_lat: number; first_lon: number }]));
        sharing = sharing
          .filter((m) => at.has(m))
          .sort((a, b) => Math.floor(at.get(a)!.first_lat) - Math.floor(at.get(b)!.first_lat) || at.get(a)!.first_lon - at.get(b)!.first_lon);
        sharing.length -= sharing.length % 2;
      }
      await sql`
        INSERT INTO vessel_identity_history (mmsi, field, value, first_seen)
        SELECT m, 'imo', v, ${new Date(from.getTime() - 86_400_000)}
        FROM unnest(${sharing}::int[], ${sharing.map((_, i) => validImo(900_000 + (i >> 1)))}::text[]) AS u(m, v)
        ON CONFLICT DO NOTHING`.execute(trx);
      await sql`ANALYZE vessel_identity_history`.execute(trx);
      const repo = createIdentityRepository(trx);
      console.log(`${share} % of ${mmsis.length} vessels share an IMO (${sharing.length / 2} ${values.pairing} pairs), ${from.toISOString()} + 24 h, jit off${values['no-parallel'] ? ', no parallel workers' : ''}`);

      const run = async (name: 'pruned' | 'plain') => {
        const cpu0 = await processCpuMs(pid);
        const t0 = performance.now();
        const mmsis =
          name === 'pruned' ? (await repo.anomalousVessels({ from, to, kinds: ['imo_far_apart'] })).map((r) => r.mmsi).sort((a, b) => a - b) : await plain(trx);
        const ms = performance.now() - t0;
        const cpu = (await processCpuMs(pid))! - cpu0!;
        return { ms, cpu, mmsis };
      };
      // --plan: the pruned query's plan here (EXPLAIN, no ANALYZE) before it runs; its text and
      // parameters do not depend on the share, so those recorded at an earlier share serve.
      if (values.plan && recorded) await explain(trx, recorded, false);
      let answer: number[] | null = null;
      for (let r = 0; r < reps; r++) {
        for (const name of r % 2 ? (['plain', 'pruned'] as const) : (['pruned', 'plain'] as const)) {
          if (name === 'plain' && values['skip-old']) continue;
          const x = await run(name);
          console.log(`  ${name.padEnd(6)} ${x.ms.toFixed(0).padStart(6)} ms wall, backend CPU ${x.cpu.toFixed(0).padStart(6)} ms, ${x.mmsis.length} MMSIs`);
          if (answer && JSON.stringify(answer) !== JSON.stringify(x.mmsis)) throw new Error(`${name} answered other MMSIs than the other query`);
          answer = x.mmsis;
        }
      }
      if (values.explain && recorded) await explain(trx, recorded, true);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
}
pg.Client.prototype.query = query as typeof pg.Client.prototype.query;
await database.close();
