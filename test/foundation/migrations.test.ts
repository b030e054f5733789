import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrate, MigrationError, MIGRATIONS_DIR, readMigrations, type DatabaseHandle } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { dropDatabase, recreateDatabase } from '../support/databases.ts';
import { databaseUrlFor } from '../support/test-env.ts';

const logger = createLogger({ level: 'silent', format: 'json' }, 'test');
const scratch = `rendezvous_migrate_${process.pid}`;
const handles: DatabaseHandle[] = [];
const open = () => {
  const handle = createDatabase({ url: databaseUrlFor(scratch), poolMax: 3 }, logger);
  handles.push(handle);
  return handle;
};

describe('migrations', () => {
  beforeAll(() => recreateDatabase(scratch));
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await dropDatabase(scratch);
  });

  it('apply on an empty database, then a second run is a no-op', async () => {
    const all = await readMigrations();
    const db = open();
    const first = await migrate(db.pool, logger);
    expect(first.applied).toEqual(all.map((m) => `${m.version}_${m.name}`));
    expect(first.alreadyApplied).toBe(0);
    const { rows } = await db.pool.query("SELECT extname FROM pg_extension WHERE extname = 'postgis'");
    expect(rows).toHaveLength(1);

    const before = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    const second = await migrate(db.pool, logger);
    expect(second).toEqual({ applied: [], alreadyApplied: all.length });
    const after = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
  });

  it('two concurrent migrators do not collide: each migration is applied exactly once', async () => {
    await recreateDatabase(scratch);
    // A slow extra migration widens the window in which the two runners overlap.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, '9000_slow_probe.sql'), 'SELECT pg_sleep(0.5);\nCREATE TABLE slow_probe (id int);\n');
    const [a, b] = [open(), open()];
    const results = await Promise.all([migrate(a.pool, logger, dir), migrate(b.pool, logger, dir)]);
    const total = (await readMigrations(dir)).length;
    const appliedTwice = results.flatMap((r) => r.applied);
    expect(appliedTwice).toHaveLength(total);
    expect(new Set(appliedTwice).size).toBe(total);
    expect(results.map((r) => r.alreadyApplied).sort()).toEqual([0, total]);
    const { rows } = await a.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBe(total);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, '9000_slow_probe.sql'), 'CREATE TABLE slow_probe (id int, changed int);\n');
    await expect(migrate(open().pool, logger, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(open().pool, logger, dir)).rejects.toThrow(/changed after it was applied/);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    await recreateDatabase(scratch);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, '9001_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    const db = open();
    await expect(migrate(db.pool, logger, dir)).rejects.toThrow(/9001_broken failed: .*no_such_function/);
    const { rows } = await db.pool.query("SELECT to_regclass('half_done') AS t, (SELECT count(*)::int FROM schema_migrations WHERE version = '9001') AS n");
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });
});
