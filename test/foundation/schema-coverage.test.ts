import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_COLUMNS } from '@rendezvous/db';
import { openTestDatabase } from '../support/harness.ts';

/**
 * The Kysely schema (packages/db schema.ts, listed column by column in schema-columns.ts, which
 * the compiler holds to the interfaces) describes exactly the tables and columns the migrations
 * create: a migration that adds a table or column without the schema, or a schema entry for
 * something no migration creates, fails here.
 */
const database = openTestDatabase();
afterAll(() => database.close());

describe('Kysely schema against the migrated database', () => {
  it('names every table and every column, and nothing else', async () => {
    // Ordinary and partitioned tables of the public schema, without positions' day partitions
    // and PostGIS's own spatial_ref_sys.
    const { rows } = await database.pool.query<{ table_name: string; columns: string[] }>(
      `SELECT c.relname AS table_name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'spatial_ref_sys'
        GROUP BY c.relname`,
    );
    const inDatabase = Object.fromEntries(rows.map((r) => [r.table_name, [...r.columns].sort()]));
    const inSchema = Object.fromEntries(Object.entries(DATABASE_COLUMNS).map(([t, cols]) => [t, [...cols].sort()]));
    expect(Object.keys(inDatabase).sort()).toEqual(Object.keys(inSchema).sort());
    expect(inDatabase).toEqual(inSchema);
    expect(inSchema.position_buckets).toContain('spread_m');
  });
});
