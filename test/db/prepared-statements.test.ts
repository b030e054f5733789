// Named statements for marked queries (packages/db/src/prepared-statements.ts): on a real
// PostgreSQL, what the server holds per connection (pg_prepared_statements), the bound on it, and
// that results and errors are those of the same query run unnamed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, installStatementCache, prepared, PREPARE_MARKER, sql, type DatabaseHandle } from '@rendezvous/db';
import { quietLogger, testConfig } from '../support/harness.ts';

const config = testConfig();

/** The names and texts of the statements prepared on this connection, by the server's account. */
async function serverStatements(client: pg.ClientBase): Promise<{ name: string; statement: string }[]> {
  return (await client.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements ORDER BY prepare_time, name')).rows;
}

describe('marked queries on a createDatabase pool', () => {
  let database: DatabaseHandle;
  beforeAll(() => {
    // One connection, so the statements the server lists are the ones these queries made.
    database = createDatabase({ ...config.db, poolMax: 1 }, quietLogger);
  });
  afterAll(() => database.close());

  const series = (n: number) => database.db.selectFrom(sql<{ x: number }>`(SELECT generate_series(1, ${n}::int) AS x)`.as('s')).select('s.x');

  it('run as one named statement per text, with the same rows as unnamed, parameters varying', async () => {
    for (const n of [3, 5, 1]) {
      expect(await prepared(series(n)).execute()).toEqual(await series(n).execute());
    }
    const client = await database.pool.connect();
    try {
      const statements = await serverStatements(client);
      // Three executions of one text with different parameters: one statement, prepared once.
      expect(statements).toHaveLength(1);
      expect(statements[0]!.name).toMatch(/^rzv_/);
      expect(statements[0]!.statement.endsWith(PREPARE_MARKER)).toBe(true);
    } finally {
      client.release();
    }
  });

  it('leave unmarked queries unnamed', async () => {
    await database.db.selectFrom(sql<{ y: number }>`(SELECT generate_series(1, 2) AS y)`.as('t')).select('t.y').execute();
    const client = await database.pool.connect();
    try {
      expect((await serverStatements(client)).map((s) => s.statement).filter((s) => s.includes('t.y'))).toEqual([]);
    } finally {
      client.release();
    }
  });
});

describe('installStatementCache on one connection', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: config.db.url });
    await client.connect();
    installStatementCache(client, 2);
  });
  afterAll(() => client.end());

  const marked = (k: number) => `SELECT ${k} + $1::int AS v ${PREPARE_MARKER}`;
  const run = async (k: number, v: number) => (await client.query<{ v: number }>(marked(k), [v])).rows[0]!.v;

  it('keeps at most its bound, dropping the least recently used on the server too', async () => {
    expect(await run(10, 1)).toBe(11);
    expect(await run(20, 1)).toBe(21);
    expect(await run(10, 2)).toBe(12); // 10 is now the most recently used
    expect(await run(30, 1)).toBe(31); // evicts 20
    expect((await serverStatements(client)).map((s) => s.statement).sort()).toEqual([marked(10), marked(30)].sort());
    // The evicted text prepares again (its name was forgotten on both sides) and evicts 10.
    expect(await run(20, 5)).toBe(25);
    expect((await serverStatements(client)).map((s) => s.statement).sort()).toEqual([marked(20), marked(30)].sort());
  });

  it('passes errors through: a statement that failed in execution stays prepared, one the server refused is not kept', async () => {
    const failing = `SELECT 10 / $1::int AS v ${PREPARE_MARKER}`;
    await expect(client.query(failing, [0])).rejects.toThrow(/division by zero/);
    expect((await client.query<{ v: number }>(failing, [5])).rows[0]!.v).toBe(2);
    expect((await serverStatements(client)).map((s) => s.statement)).toContain(failing);
    const refused = `SELECT no_such_column ${PREPARE_MARKER}`;
    await expect(client.query(refused)).rejects.toThrow(/no_such_column/);
    await expect(client.query(refused)).rejects.toThrow(/no_such_column/);
    expect(await run(30, 2)).toBe(32);
    const held = (await serverStatements(client)).map((s) => s.statement);
    expect(held).not.toContain(refused);
    expect(held.length).toBeLessThanOrEqual(2);
  });

  it('resynchronises when the server holds a statement the connection had forgotten', async () => {
    const text = marked(40);
    expect(await run(40, 1)).toBe(41);
    const name = (await serverStatements(client)).find((s) => s.statement === text)!.name;
    // As after a DEALLOCATE that failed inside an aborted transaction: pg's book forgets the
    // name while the server keeps it. The next use fails once (42P05) and the one after works.
    const book = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
    delete book.parsedStatements[name];
    await expect(client.query(text, [1])).rejects.toThrow(/already exists/);
    expect(await run(40, 2)).toBe(42);
  });

  it('sends other forms of query (config objects, callbacks) unchanged', async () => {
    const res = await client.query({ text: `SELECT 7 AS v ${PREPARE_MARKER}` });
    expect(res.rows[0].v).toBe(7);
    expect((await serverStatements(client)).some((s) => s.statement === `SELECT 7 AS v ${PREPARE_MARKER}`)).toBe(false);
  });
});
