import { createHash } from 'node:crypto';
import type pg from 'pg';
import { sql, type Expression } from 'kysely';

/**
 * Server-side prepared statements for the few hot queries whose planning costs more than their
 * execution. The alert list's newest-first walk of a box (alert-query-repository.ts walkPage())
 * merges one index range per 1° cell: planning it took 1.4–4 ms of backend CPU, running it about
 * 0.5 ms. As a named statement it is planned once per connection and shape, and PostgreSQL
 * reuses a generic plan when that is estimated no dearer than planning each time (after five
 * custom plans; plan_cache_mode `auto`): 2.8–3.8 → 1.1–1.3 ms of backend CPU a page
 * (the captured list statement run 300 times unnamed, then named, on one connection of the API
 * bench database; issue 16).
 *
 * A query opts in with `prepared(query)`, which appends PREPARE_MARKER; every pool connection
 * (installStatementCache, createDatabase) runs marked text as a named statement, the name a hash
 * of the text, and keeps at most `max` of them, DEALLOCATEing the least recently used. Filters
 * give the list many shapes (cells, lists, a cursor or not), each its own text, so the number a
 * connection holds, and the server memory their plans take, must stay bounded.
 *
 * Named statements need a session of their own: behind a transaction-pooling PgBouncer they
 * would fail. Rendezvous connects to PostgreSQL directly.
 */
export const PREPARE_MARKER = '/* rendezvous:prepared */';

/** Most named statements one connection keeps (each holds its plans in the server backend). */
export const PREPARED_PER_CONNECTION = 32;

/** The query, marked to run as a named statement on any createDatabase connection. */
export function prepared<Q extends { modifyEnd(modifier: Expression<unknown>): Q }>(query: Q): Q {
  return query.modifyEnd(sql.raw(PREPARE_MARKER));
}

/** What pg keeps per connection about named statements (pg/lib/connection.js, 8.x). */
interface StatementBook {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Makes `client` run PREPARE_MARKER-ed text as named statements, at most `max` at a time.
 * Safe because a pool client runs one caller's queries at a time: an eviction's DEALLOCATE is
 * queued before the query that caused it, and nothing else can be queued in between.
 */
export function installStatementCache(client: pg.ClientBase, max = PREPARED_PER_CONNECTION): void {
  const connection = (client as unknown as { connection: StatementBook }).connection;
  const query = client.query.bind(client) as QueryFn;
  /** Statement names, least recently used first (a Map keeps insertion order). */
  const names = new Map<string, true>();

  const forget = (name: string) => {
    names.delete(name);
    delete connection.parsedStatements[name];
    delete connection.submittedNamedStatements[name];
  };

  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || !text.endsWith(PREPARE_MARKER) || args.length > 2) return query(...args);
    const name = `rzv_${createHash('sha1').update(text).digest('hex')}`;
    if (names.has(name)) names.delete(name); // most recently used: to the end
    else if (names.size >= max) {
      const oldest = names.keys().next().value!;
      forget(oldest);
      // The server forgets it too; a failure (connection lost) leaves nothing to clean up.
      (query(`DEALLOCATE "${oldest}"`) as Promise<unknown>).catch(() => undefined);
    }
    names.set(name, true);
    const result = query({ name, text, values: (values as unknown[] | undefined) ?? [] }) as Promise<unknown>;
    return result.catch((err: unknown) => {
      const code = (err as { code?: string }).code;
      if (code === '0A000' || code === '42P05') {
        // A plan a schema change invalidated beyond replanning ("cached plan must not change
        // result type"), or a name the server holds that this book lost (a DEALLOCATE that
        // failed inside an aborted transaction): drop it on both sides, the next use prepares
        // it afresh.
        forget(name);
        (query(`DEALLOCATE "${name}"`) as Promise<unknown>).catch(() => undefined);
      } else if (connection.parsedStatements[name] === undefined) {
        // Never prepared (the server refused the text): nothing to keep. A statement that
        // failed only in execution (a division by zero, a timeout) stays prepared.
        names.delete(name);
      }
      throw err;
    });
  };
}
