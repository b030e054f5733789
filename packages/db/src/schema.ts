import type { Generated } from 'kysely';

/** Kysely's view of the tables that migrations/ creates. Keep in step with the SQL. */
export interface Database {
  schema_migrations: SchemaMigrationsTable;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}
