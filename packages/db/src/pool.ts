import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Config } from '@rendezvous/config';
import type { Logger } from '@rendezvous/logger';
import { installStatementCache } from './prepared-statements.ts';
import type { Database } from './schema.ts';

// int8 (OID 20) as JS number: our bigint columns (row ids, counts) stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Kysely<Database>;
  /** Drains the pool; safe to call more than once. */
  close(): Promise<void>;
}

/** Session limits set on every connection at connect time (absent = PostgreSQL's default, none). */
export type SessionLimits = Partial<Pick<Config['db'], 'statementTimeoutMs' | 'lockTimeoutMs' | 'idleInTransactionTimeoutMs'>>;

/**
 * Session settings a service asks for beyond the limits. `jit: false` turns PostgreSQL's JIT
 * compilation off: it compiles any statement costed above jit_above_cost (100,000 by default), and
 * a detector's reads over days of positions are costed far above that whatever they return, once
 * per window, so the compiled code is never reused (issue 16: the identity rule imo_far_apart,
 * cost ~657,000 on the 8,000-vessel bench day, compiled for 209-485 ms per call once IMOs were
 * claimed, up to 3 calls a job; detector probe, 3 alternating pairs at load 2-3: PostgreSQL CPU a
 * warm job 1,498 -> 1,463 ms; services/detector/bench/probes/jit.ts lists what compiles).
 */
export interface SessionSettings {
  jit?: boolean;
}

/**
 * The one pool factory: one pg pool and one Kysely instance per process. Every connection runs
 * under the given statement, lock and idle-in-transaction timeouts and session settings (startup
 * parameters, so they hold from the first query on and survive reconnects): no query, lock wait or
 * stalled transaction can hold a connection or a lock for ever.
 */
export function createDatabase(config: Pick<Config['db'], 'url' | 'poolMax'> & SessionLimits & SessionSettings, logger: Logger): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
    ...(config.lockTimeoutMs ? { lock_timeout: config.lockTimeoutMs } : {}),
    ...(config.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs } : {}),
    ...(config.jit === false ? { options: '-c jit=off' } : {}),
    // Fail fast when Postgres is down instead of queueing forever; callers retry.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: `rendezvous-${logger.bindings()['service'] ?? 'process'}`,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL client error'));
  // Nor may a checked-out one: pg-pool removes its listener while a client is lent out, and a
  // client whose connection breaks emits 'error' even when a query is waiting on it (the query
  // fails as well); Kysely and COPY streams hold clients with no listener of their own, and an
  // unhandled 'error' event ends the process. The pool drops such a client when it comes back
  // (it is no longer queryable). Found by `npm run bench -- chaos`.
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.debug({ err: err.message }, 'PostgreSQL connection lost while lent out'));
    // Queries marked `prepared()` run as named statements, a bounded number per connection.
    installStatementCache(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    pool,
    db,
    // Kysely ends the pool only if it ever used it, so end it here too when it did not.
    close: () =>
      (closing ??= db.destroy().then(() => (pool.ended ? undefined : pool.end()))),
  };
}

export interface DependencyState {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** Health probe: a round trip to PostgreSQL, with its latency. Never throws. */
export async function checkDatabase(pool: pg.Pool): Promise<DependencyState & { postgis?: string }> {
  const started = performance.now();
  try {
    const result = await pool.query<{ postgis: string | null }>(
      "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis",
    );
    const postgis = result.rows[0]?.postgis ?? undefined;
    return { ok: true, latencyMs: round(performance.now() - started), ...(postgis ? { postgis } : {}) };
  } catch (err) {
    return { ok: false, latencyMs: round(performance.now() - started), error: (err as Error).message };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
