import pg from 'pg';

/**
 * Drops a benchmark's own database and creates it empty, for the benchmark to migrate: each run
 * then measures the schema the migrations give, as on a fresh clone. Reusing the database kept
 * whatever an earlier run or a hand-run experiment had changed in it: a detector bench database
 * whose evidence columns had been set back to pglz compression (migrations/0013 sets lz4) wrote
 * alerts ~2.4× slower (2,000 vessels: alert writes 320 → 136 ms, warm ratio ×11.7 → ×14.9).
 * Only for benchmarks whose data is rebuilt every run; `name` must be a plain identifier.
 */
export async function recreateBenchDatabase(ownerUrl: URL | string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bench database name must be a plain lower-case identifier: ${name}`);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(ownerUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}
