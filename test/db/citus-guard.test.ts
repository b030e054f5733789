// Migration 0026 (Citus distribution, docs/scaling.md section 3) is guarded: on plain PostgreSQL
// it must change nothing, and where Citus's functions are visible it must distribute exactly the
// plan's tables. Citus itself cannot run here (it is not in Debian's archive), so the Citus side
// is checked with stand-ins: functions named create_distributed_table and create_reference_table,
// created in a throwaway database, that record their calls. This checks the guard, the
// precondition check and the call list; it does not check that Citus accepts the schema or that
// the application works on it.
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrate, MigrationError, MIGRATIONS_DIR, type DatabaseHandle } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { dropDatabase, recreateDatabase } from '../support/databases.ts';
import { databaseUrlFor } from '../support/test-env.ts';

const logger = createLogger({ level: 'silent', format: 'json' }, 'test');
const scratch = `rendezvous_citus_guard_${process.pid}`;
const CITUS_VERSION = '0026';
/** The repository's migrations before 0026, and up to and including it (later ones would change the schema too). */
let before0026: string;
let through0026: string;
let db: DatabaseHandle;

/** Everything a migration could change in the schema, as text: compared before and after 0026. */
async function schemaFingerprint(): Promise<Record<string, string[]>> {
  const queries: Record<string, string> = {
    relations: `SELECT c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '') AS r FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace`,
    columns: `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS r FROM information_schema.columns WHERE table_schema = 'public'`,
    constraints: `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS r FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
    indexes: `SELECT indexdef AS r FROM pg_indexes WHERE schemaname = 'public'`,
    functions: `SELECT oid::regprocedure::text || ' ' || md5(prosrc) AS r FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
    triggers: `SELECT pg_get_triggerdef(oid) AS r FROM pg_trigger WHERE NOT tgisinternal`,
    extensions: `SELECT extname || ' ' || extversion AS r FROM pg_extension`,
    schemas: `SELECT nspname AS r FROM pg_namespace`,
  };
  const out: Record<string, string[]> = {};
  for (const [what, sql] of Object.entries(queries)) out[what] = (await db.pool.query<{ r: string }>(`${sql} ORDER BY 1`)).rows.map((row) => row.r);
  return out;
}

/** A fresh database migrated up to, not including, 0026. */
async function freshBefore0026(): Promise<void> {
  await db?.close();
  await recreateDatabase(scratch);
  db = createDatabase({ url: databaseUrlFor(scratch), poolMax: 2 }, logger);
  const { applied } = await migrate(db.pool, logger, before0026);
  expect(applied).not.toContain('0026_citus_distribution');
}

/**
 * The stand-ins: the two Citus functions (Citus's argument names, so the migration's named
 * `colocate_with =>` resolves as it would on Citus), recording each call in citus_stub_calls.
 */
async function installCitusStandIns(): Promise<void> {
  await db.pool.query(`
    CREATE TABLE citus_stub_calls (n serial PRIMARY KEY, fn text NOT NULL, table_name text NOT NULL, distribution_column text, colocate_with text);
    CREATE FUNCTION create_distributed_table(table_name regclass, distribution_column text, distribution_type text DEFAULT 'hash',
                                             colocate_with text DEFAULT 'default', shard_count integer DEFAULT NULL) RETURNS void
      LANGUAGE sql AS $$ INSERT INTO citus_stub_calls (fn, table_name, distribution_column, colocate_with)
                         VALUES ('create_distributed_table', table_name::text, distribution_column, colocate_with) $$;
    CREATE FUNCTION create_reference_table(table_name regclass) RETURNS void
      LANGUAGE sql AS $$ INSERT INTO citus_stub_calls (fn, table_name) VALUES ('create_reference_table', table_name::text) $$;`);
}

const calls = async () =>
  (await db.pool.query<{ fn: string; table_name: string; distribution_column: string | null; colocate_with: string | null }>('SELECT fn, table_name, distribution_column, colocate_with FROM citus_stub_calls ORDER BY n')).rows;

async function migrationsWhere(keep: (version: string) => boolean): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-citus-guard-'));
  for (const file of await readdir(MIGRATIONS_DIR)) if (file.endsWith('.sql') && keep(file.slice(0, 4))) await copyFile(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  return dir;
}

beforeAll(async () => {
  before0026 = await migrationsWhere((v) => v < CITUS_VERSION);
  through0026 = await migrationsWhere((v) => v <= CITUS_VERSION);
});

afterAll(async () => {
  await db?.close();
  await dropDatabase(scratch);
  await rm(before0026, { recursive: true, force: true });
  await rm(through0026, { recursive: true, force: true });
});

describe('migration 0026: Citus distribution behind a guard', () => {
  it('on plain PostgreSQL it is applied and recorded, and the schema is exactly what the migrations before it made', async () => {
    await freshBefore0026();
    const before = await schemaFingerprint();
    const { applied } = await migrate(db.pool, logger, through0026);
    expect(applied).toEqual(['0026_citus_distribution']);
    expect(await schemaFingerprint()).toEqual(before);
    // Not vacuous: the fingerprint sees the tables the plan names.
    expect(before['constraints']).toContain('alerts alerts_pkey PRIMARY KEY (id)');
    expect(before['relations']!.some((r) => r.startsWith('positions p'))).toBe(true);
  });

  it('with the Citus functions visible and today\'s keys, it stops before any call and names every key Citus would refuse', async () => {
    await freshBefore0026();
    await installCitusStandIns();
    const error = await migrate(db.pool, logger, through0026).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(MigrationError);
    const message = (error as Error).message;
    const listed = message.split('\n').slice(1).map((line) => line.trim().replace(/;$/, ''));
    // What must change before the schema can be distributed (docs/scaling.md section 5).
    expect(listed).toEqual([
      'alert_evidence alert_evidence_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES alerts(id) (distributed → distributed)',
      'alert_evidence has no column mmsi_a',
      'alert_triage_history alert_triage_history_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES alerts(id) (distributed → distributed)',
      'alert_triage_history has no column mmsi_a',
      'alerts alerts_alert_key_key UNIQUE (alert_key) does not include mmsi_a',
      'alerts alerts_pkey PRIMARY KEY (id) does not include mmsi_a',
      'alerts unique index alerts_change_seq does not include mmsi_a',
      'port_calls port_calls_pkey PRIMARY KEY (key) does not include mmsi',
      'webhook_deliveries webhook_deliveries_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES alerts(id) (local → distributed)',
      'webhook_deliveries webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES webhooks(id) (local → reference)',
    ]);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM schema_migrations WHERE version = '0026'");
    expect(rows[0].n).toBe(0);
    expect(await calls()).toEqual([]);
  });

  it('with the Citus functions visible and keys that include the distribution column, it makes exactly the plan\'s calls, co-located with positions', async () => {
    await freshBefore0026();
    await installCitusStandIns();
    // A stand-in for the key migration that must come first (not written yet: docs/scaling.md
    // section 5). It only has to satisfy the precondition check; whether these are the right keys
    // for the application (alert_key and change_seq unique per vessel, not globally) is that
    // migration's question.
    await db.pool.query(`
      ALTER TABLE alert_evidence DROP CONSTRAINT alert_evidence_alert_id_fkey, ADD COLUMN mmsi_a integer;
      ALTER TABLE alert_triage_history DROP CONSTRAINT alert_triage_history_alert_id_fkey, ADD COLUMN mmsi_a integer;
      ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_alert_id_fkey, DROP CONSTRAINT webhook_deliveries_webhook_id_fkey;
      ALTER TABLE alerts DROP CONSTRAINT alerts_pkey, DROP CONSTRAINT alerts_alert_key_key, ADD PRIMARY KEY (mmsi_a, id), ADD UNIQUE (mmsi_a, alert_key);
      DROP INDEX alerts_change_seq;
      CREATE UNIQUE INDEX alerts_change_seq ON alerts (mmsi_a, change_seq);
      ALTER TABLE alert_evidence DROP CONSTRAINT alert_evidence_pkey, ADD PRIMARY KEY (mmsi_a, alert_id),
        ADD FOREIGN KEY (mmsi_a, alert_id) REFERENCES alerts (mmsi_a, id);
      ALTER TABLE alert_triage_history DROP CONSTRAINT alert_triage_history_pkey, ADD PRIMARY KEY (mmsi_a, id),
        ADD FOREIGN KEY (mmsi_a, alert_id) REFERENCES alerts (mmsi_a, id);
      ALTER TABLE port_calls DROP CONSTRAINT port_calls_pkey, ADD PRIMARY KEY (mmsi, key);`);
    const { applied } = await migrate(db.pool, logger, through0026);
    expect(applied).toEqual(['0026_citus_distribution']);
    const reference = (table: string) => ({ fn: 'create_reference_table', table_name: table, distribution_column: null, colocate_with: null });
    const distributed = (table: string, column: string, colocateWith = 'positions') => ({ fn: 'create_distributed_table', table_name: table, distribution_column: column, colocate_with: colocateWith });
    // docs/scaling.md section 3, in order: reference tables first, positions starts the
    // co-location group, every other distributed table joins it.
    expect(await calls()).toEqual([
      reference('watchlists'),
      reference('watchlist_versions'),
      reference('watchlist_entries'),
      reference('suspects'),
      reference('suspect_audit'),
      reference('api_tokens'),
      reference('webhooks'),
      distributed('positions', 'mmsi', 'none'),
      distributed('position_buckets', 'mmsi'),
      distributed('raw_reports', 'mmsi'),
      distributed('vessels', 'mmsi'),
      distributed('vessel_identity_history', 'mmsi'),
      distributed('vessel_draughts', 'mmsi'),
      distributed('vessel_destinations', 'mmsi'),
      distributed('port_calls', 'mmsi'),
      distributed('alerts', 'mmsi_a'),
      distributed('alert_evidence', 'mmsi_a'),
      distributed('alert_triage_history', 'mmsi_a'),
      distributed('alert_pair_versions', 'mmsi_a'),
    ]);
    // Every other table of the schema stays on the coordinator, as the plan says: the queue-like
    // ones, the migrations' record, PostGIS's own, positions' partitions (which follow their parent),
    // and the stand-ins' log.
    const { rows } = await db.pool.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    const called = new Set((await calls()).map((c) => c.table_name));
    expect(rows.map((r) => r.relname).filter((t) => !called.has(t))).toEqual([
      'citus_stub_calls',
      'detection_outbox',
      'schema_migrations',
      'spatial_ref_sys',
      'webhook_deliveries',
      'webhook_dispatch_cursor',
    ]);
  });
});
