import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type pg from 'pg';
import { AppError } from '@rendezvous/errors';
import type { Logger } from '@rendezvous/logger';

/** Where the SQL-first migrations live: `migrations/NNNN_name.sql` at the repository root. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** Fixed advisory-lock key, so concurrent migrators (several processes booting) run one at a time. */
const LOCK_KEY = 7_366_252_110; // "rzv-migrations"
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** First-line marker for statements that cannot run inside a transaction (CREATE INDEX CONCURRENTLY). */
const NO_TRANSACTION = '-- migrate: no-transaction';

export class MigrationError extends AppError {
  override readonly code = 'migration_failed';
}

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new MigrationError(`${file}: migration files are named NNNN_snake_name.sql`);
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({
      version: match[1]!,
      name: match[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const versions = new Set(migrations.map((m) => m.version));
  if (versions.size !== migrations.length) throw new MigrationError(`duplicate migration version in ${dir}`);
  return migrations;
}

/**
 * Applies pending migrations in order, each in its own transaction, recording them in
 * `schema_migrations`. Holds a session advisory lock throughout, so two processes migrating at
 * once serialise and the second finds nothing to do. Applied migrations are frozen: an edited one
 * is an error, not a silent divergence.
 */
export async function migrate(pool: pg.Pool, logger: Logger, dir = MIGRATIONS_DIR, options: { serviceRole?: string | null } = {}): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations',
      );
      const done = new Map(rows.map((r) => [r.version, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        const checksum = done.get(m.version);
        if (checksum !== undefined) {
          if (checksum !== m.checksum) {
            throw new MigrationError(
              `migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        await applyOne(client, m);
        applied.push(`${m.version}_${m.name}`);
        logger.info({ migration: `${m.version}_${m.name}` }, 'migration applied');
      }
      if (options.serviceRole) await grantServiceRole(client, options.serviceRole);
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyOne(client: pg.PoolClient, m: Migration): Promise<void> {
  const record = () =>
    client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
      m.version,
      m.name,
      m.checksum,
    ]);
  try {
    if (m.sql.startsWith(NO_TRANSACTION)) {
      await client.query(m.sql);
      await record();
      return;
    }
    await client.query('BEGIN');
    await client.query(m.sql);
    await record();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * What the services' role may do, granted by the schema owner after every migration run (so new
 * tables are covered too): read and write rows, use sequences, create temporary staging tables,
 * and call the partition function (which runs as its owner, migrations/0016). No DDL, no
 * TRUNCATE, no schema_migrations. Idempotent. Partitions created later by the owner are covered
 * by its default privileges.
 */
async function grantServiceRole(client: pg.PoolClient, role: string): Promise<void> {
  const { rows } = await client.query<{ me: string; db: string; exists: boolean }>(
    'SELECT current_user AS me, current_database() AS db, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists',
    [role],
  );
  const { me, db, exists } = rows[0]!;
  if (role === me) return;
  if (!exists) throw new MigrationError(`the service role ${role} (the user of DATABASE_URL) does not exist; create it (LOGIN, no superuser) or run setup`);
  const r = client.escapeIdentifier(role);
  await client.query(`
    GRANT CONNECT, TEMPORARY ON DATABASE ${client.escapeIdentifier(db)} TO ${r};
    GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    REVOKE ALL ON schema_migrations FROM ${r};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r};
    GRANT EXECUTE ON FUNCTION rendezvous_ensure_position_partition(date) TO ${r};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r};`);
}

/** The role the services connect as, when it differs from the migrating one (else null: one role does both). */
export function serviceRoleOf(config: { url: string; migrationUrl?: string }): string | null {
  if (!config.migrationUrl || config.migrationUrl === config.url) return null;
  const user = decodeURIComponent(new URL(config.url).username);
  return user || null;
}
