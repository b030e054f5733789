import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { PositionObservation } from '@rendezvous/feeds';
import { PositionStore } from '@rendezvous/ingest';
import { setRaw } from '../../packages/ingest/src/raw-lines.ts';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

/**
 * The direct COPY into positions is optimistic (issue 16): no precheck while batches are new; a
 * batch holding stored keys fails its COPY, rolls back to the savepoint and takes the staging
 * path, and the next batches check first until one is new again. Whichever path a batch takes,
 * the stored rows, their raw lines and the counts must be what the staging path alone gives: the
 * first position stored under a key stays, with its own line.
 */
const database = openTestDatabase(testConfig());
afterAll(() => database.close());
// Before any query, so every client of the pool, the store's included, is watched.
const statements = watchStatements(database.pool);

const T0 = Date.UTC(2025, 5, 2);
const VESSELS = [211_000_101, 211_000_102, 211_000_103];

/** Vessel v at second t; `variant` changes the place and the line, not the key. */
function position(v: number, t: number, variant = 0): PositionObservation {
  const p: PositionObservation = {
    kind: 'position', mmsi: VESSELS[v]!, ts: T0 + t * 1000, tsFromFeed: true, lon: 10 + t / 100 + variant, lat: 55 + v / 10,
    sog: 9.5, cog: 180, heading: 90, navStatus: 0, msgType: 1, source: `rx-${variant}`, dedupKey: null, mmsiInvalid: false,
  };
  setRaw(p, `!AIVDM,1,1,,A,v${v}-t${t}-x${variant},0*00`);
  return p;
}
const grid = (seconds: number[], variant = 0) => seconds.flatMap((t) => VESSELS.map((_, v) => position(v, t, variant)));

/** The statements the store sends, by what they are for (recorded on the pool's real clients, then sent). */
function watchStatements(pool: pg.Pool): { take(): string[] } {
  let seen: string[] = [];
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const q = args[0] as string | { text?: string };
      const text = typeof q === 'string' ? q : (q.text ?? '');
      if (/^\s*SELECT 1 FROM unnest\(\$1::int\[\]\) AS m\(mmsi\)\s+CROSS JOIN LATERAL \(SELECT 1 FROM positions/.test(text)) seen.push('precheck');
      else if (text.startsWith('COPY positions ')) seen.push('direct');
      else if (text.startsWith('COPY positions_in')) seen.push('staging');
      else if (text.startsWith('ROLLBACK TO SAVEPOINT direct_copy')) seen.push('rollback');
      return query(...args);
    };
  });
  return { take: () => [seen, (seen = [])][0]! };
}

describe('optimistic direct COPY', () => {
  it('a re-ingest, partial overlaps (first key and last key) and new batches store what the staging path stores, with the same counts and lines', async () => {
    await resetIngestTables(database);
    const store = new PositionStore(database.pool, quietLogger);
    try {
      const write = async (positions: PositionObservation[]) => (await store.write({ positions, statics: [] })).positionsStored;

      // New: straight COPY, no precheck.
      expect(await write(grid([0, 1, 2]))).toBe(9);
      expect(statements.take()).toEqual(['direct']);
      // The same batch again (other places and lines under the same keys): the sorted COPY fails on its first row; nothing new.
      expect(await write(grid([0, 1, 2], 1))).toBe(0);
      expect(statements.take()).toEqual(['direct', 'rollback', 'staging']);
      // Overlapping the stored span: the precheck sends it to staging; only the new seconds are stored.
      expect(await write(grid([2, 3, 4], 2))).toBe(6);
      expect(statements.take()).toEqual(['precheck', 'staging']);
      // New again: the precheck finds its span free and it is copied directly.
      expect(await write(grid([5, 6]))).toBe(6);
      expect(statements.take()).toEqual(['precheck', 'direct']);
      // New: no precheck. Then a batch whose only stored key sorts last (vessel 3 at second 6):
      // no precheck, the COPY fails on its last row and the staging path stores the other two.
      expect(await write(grid([7]))).toBe(3);
      expect(statements.take()).toEqual(['direct']);
      expect(await write([position(0, 8), position(1, 8), position(2, 6, 3)])).toBe(2);
      expect(statements.take()).toEqual(['direct', 'rollback', 'staging']);
      // A key twice in one new batch: the first one is kept, as on the staging path.
      expect(await write([position(0, 9), position(0, 9, 4), position(1, 9)])).toBe(2);
      expect(statements.take()).toEqual(['precheck', 'direct', 'rollback', 'staging']);
    } finally {
      await store.close();
    }

    // Every key once, with the place, source and line of its first ingest (variant 0), except the
    // seconds first stored by the overlapping batch (3 and 4, variant 2).
    const { rows } = await database.pool.query<{ mmsi: number; ts: Date; lon: number; source: string; lines: string }>(
      'SELECT mmsi, ts, ST_X(geom) AS lon, source, lines FROM positions ORDER BY ts, mmsi',
    );
    const expected = [
      ...[0, 1, 2].flatMap((t) => VESSELS.map((_, v) => [v, t, 0])),
      ...[3, 4].flatMap((t) => VESSELS.map((_, v) => [v, t, 2])),
      ...[5, 6, 7].flatMap((t) => VESSELS.map((_, v) => [v, t, 0])),
      [0, 8, 0], [1, 8, 0], [0, 9, 0], [1, 9, 0],
    ].map(([v, t, x]) => ({ mmsi: VESSELS[v!]!, ts: T0 + t! * 1000, lon: Number((10 + t! / 100 + x!).toFixed(6)), source: `rx-${x}`, lines: `!AIVDM,1,1,,A,v${v}-t${t}-x${x},0*00` }));
    expect(rows.map((r) => ({ mmsi: r.mmsi, ts: r.ts.getTime(), lon: Number(r.lon.toFixed(6)), source: r.source, lines: r.lines }))).toEqual(expected);
  });
});
