// The detector's binary COPY reader (packages/db/src/repositories/copy-binary.ts) parses rows
// straight out of the socket's chunks and hands the connection back to pg for anything else.
// On a real server: every row and NULL of a large read (messages cut by chunk ends), rows larger
// than a chunk, a notice in the middle of the stream (pg's parser takes over), an error in the
// middle (the read fails with the server's error), a wrong field count — and after each failure
// the same connection answers the next query.
import { afterAll, describe, expect, it } from 'vitest';
import { copyBinaryRows } from '../../packages/db/src/repositories/copy-binary.ts';
import { openTestDatabase } from '../support/harness.ts';

const database = openTestDatabase();
afterAll(() => database.close());

/** Rows of (int4, float8 or NULL, text) as [i, x, s]. */
async function read(sql: string, fields = 3): Promise<[number, number | null, string][]> {
  const client = await database.pool.connect();
  try {
    const rows: [number, number | null, string][] = [];
    const decoder = new TextDecoder();
    await copyBinaryRows(client, `COPY (${sql}) TO STDOUT (FORMAT binary)`, fields, (v, o) => {
      const len = o[2]! < 0 ? 0 : v.getInt32(o[2]! - 4);
      rows.push([v.getInt32(o[0]!), o[1]! < 0 ? null : v.getFloat64(o[1]!), decoder.decode(new Uint8Array(v.buffer, v.byteOffset + o[2]!, len))]);
    });
    return rows;
  } finally {
    client.release();
  }
}

/** The same rows through pg's ordinary query path. */
async function expected(sql: string): Promise<[number, number | null, string][]> {
  const { rows } = await database.pool.query<{ i: number; x: number | null; s: string }>(sql);
  return rows.map((r) => [r.i, r.x, r.s]);
}

async function connectionStillAnswers(): Promise<void> {
  const client = await database.pool.connect();
  try {
    // A fresh pool client may be the one that failed: both must answer.
    expect((await client.query('SELECT 41 + 1 AS n')).rows[0].n).toBe(42);
  } finally {
    client.release();
  }
}

describe('copyBinaryRows', () => {
  it('reads every row and NULL of a large result, rows of varying length cut by chunk ends', async () => {
    const sql = `SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.25 END::float8 AS x, repeat('ab', i % 41) AS s
      FROM generate_series(1, 60000) i ORDER BY i`;
    const rows = await read(sql);
    expect(rows).toHaveLength(60000);
    expect(rows).toEqual(await expected(sql));
  });

  it('reads rows larger than a socket chunk', async () => {
    const sql = `SELECT i, i::float8 AS x, repeat(chr(65 + i), 200000 + i * 977) AS s FROM generate_series(1, 6) i ORDER BY i`;
    expect(await read(sql)).toEqual(await expected(sql));
  });

  it('reads an empty result', async () => {
    expect(await read('SELECT 1 AS i, 1::float8 AS x, $$a$$ AS s WHERE false')).toEqual([]);
  });

  it('keeps every row when a notice arrives in the middle of the stream', async () => {
    const client = await database.pool.connect();
    try {
      // A function that raises a notice on one row: the notice message sits between CopyData messages.
      await client.query(`CREATE OR REPLACE FUNCTION pg_temp.noisy(i int) RETURNS int AS $$
        BEGIN IF i = 20000 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$ LANGUAGE plpgsql`);
      const notices: string[] = [];
      const onNotice = (n: { message?: string }) => notices.push(n.message ?? '');
      client.on('notice', onNotice);
      const got: number[] = [];
      await copyBinaryRows(client, `COPY (SELECT pg_temp.noisy(i), i::float8, 'x' FROM generate_series(1, 40000) i) TO STDOUT (FORMAT binary)`, 3, (v, o) => {
        got.push(v.getInt32(o[0]!));
      });
      client.off('notice', onNotice);
      expect(notices).toEqual(['row 20000']);
      expect(got).toEqual(Array.from({ length: 40000 }, (_, i) => i + 1));
      expect((await client.query('SELECT 1 AS n')).rows[0].n).toBe(1);
    } finally {
      client.release();
    }
  });

  it("fails with the server's error when the query fails in the middle of the stream, and the connection answers after", async () => {
    const client = await database.pool.connect();
    try {
      let rows = 0;
      const failed = await copyBinaryRows(client, `COPY (SELECT 1 / (30000 - i), i::float8, 'x' FROM generate_series(1, 40000) i) TO STDOUT (FORMAT binary)`, 3, () => {
        rows++;
      }).catch((err: unknown) => err);
      expect((failed as { code?: string }).code).toBe('22012'); // division_by_zero
      expect(rows).toBeGreaterThan(0);
      expect((await client.query('SELECT 2 AS n')).rows[0].n).toBe(2);
    } finally {
      client.release();
    }
    await connectionStillAnswers();
  });

  it('fails when a row has another number of fields than asked, and the connection answers after', async () => {
    const client = await database.pool.connect();
    try {
      const failed = await copyBinaryRows(client, `COPY (SELECT i, i FROM generate_series(1, 5000) i) TO STDOUT (FORMAT binary)`, 3, () => {}).catch((err: unknown) => err);
      expect(String(failed)).toContain('COPY row has 2 fields, expected 3');
      expect((await client.query('SELECT 3 AS n')).rows[0].n).toBe(3);
    } finally {
      client.release();
    }
  });

  it('fails on a statement error before any row, and the connection answers after', async () => {
    const client = await database.pool.connect();
    try {
      const failed = await copyBinaryRows(client, 'COPY (SELECT * FROM no_such_table) TO STDOUT (FORMAT binary)', 1, () => {}).catch((err: unknown) => err);
      expect((failed as { code?: string }).code).toBe('42P01');
      expect((await client.query('SELECT 4 AS n')).rows[0].n).toBe(4);
    } finally {
      client.release();
    }
  });

  it('fails, not hangs, when the server goes away in the middle of a read, and the pool answers after', async () => {
    // What a PostgreSQL restart does to a detector's bucket read: the socket closes under the
    // reader that holds pg's data listener; the job must fail (and be retried), never wait for ever.
    const client = await database.pool.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let rows = 0;
    let killed: Promise<unknown> | undefined;
    const sql = `SELECT i, i::float8 AS x, CASE WHEN i % 500 = 0 THEN pg_sleep(0.02)::text ELSE '' END AS s FROM generate_series(1, 200000) i`;
    const failed = await copyBinaryRows(client, `COPY (${sql}) TO STDOUT (FORMAT binary)`, 3, () => {
      rows++;
      killed ??= database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    }).catch((err: unknown) => err);
    await killed;
    client.release(true);
    expect(failed).toBeInstanceOf(Error);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(200000);
    await connectionStillAnswers();
  });
});
