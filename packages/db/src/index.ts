export { createDatabase, checkDatabase } from './pool.ts';
export type { DatabaseHandle, DependencyState } from './pool.ts';
export { migrate, readMigrations, MigrationError, MIGRATIONS_DIR } from './migrator.ts';
export type { Migration, MigrationResult } from './migrator.ts';
export type { Database, IdentityField } from './schema.ts';
export { sql } from 'kysely';
