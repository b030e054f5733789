import { afterAll, describe, expect, it } from 'vitest';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import { BinaryCopyWriter, ewkbPoint, isoTime } from '@rendezvous/db';
import type { PositionObservation } from '@rendezvous/feeds';
import { PositionStore } from '@rendezvous/ingest';
import { setRaw } from '../../packages/ingest/src/raw-lines.ts';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

/**
 * Ingest writes positions and raw lines with binary COPY (issue 16). Binary rows bypass
 * PostgreSQL's text parsing, so these tests hold them to the text encoding ingest used before:
 * the same values, loaded both ways into twin tables on the real server, must read back equal.
 */
const database = openTestDatabase(testConfig());
afterAll(() => database.close());

interface Row {
  mmsi: number;
  ts: number;
  lon: number;
  lat: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  navStatus: number | null;
  msgType: number;
  source: string | null;
  lines: string;
}

const ROWS: Row[] = [
  { mmsi: 230_000_001, ts: Date.UTC(2025, 0, 15, 12, 0, 0, 123), lon: 20.123456789, lat: 35.987654321, sog: 12.3, cog: 359.9, heading: 511, navStatus: 15, msgType: 1, source: 'bench', lines: '\\s:bench,c:1736942400*5B\\!AIVDM,1,1,,A,13KF5P0P001KSH0D1g@000000000,0*1F' },
  // Before PostgreSQL's epoch (negative microseconds) and a fraction of a millisecond (dropped).
  { mmsi: 1, ts: Date.UTC(1999, 11, 31, 23, 59, 59, 999) + 0.75, lon: -180, lat: -90, sog: null, cog: null, heading: null, navStatus: null, msgType: 27, source: null, lines: 'ÿþ latin1 bytes ¤ and a NUL stand-in \u2400' },
  { mmsi: 999_999_999, ts: Date.UTC(2099, 11, 31, 23, 59, 59, 1), lon: 180, lat: 90, sog: 0.1, cog: 0, heading: 0, navStatus: 0, msgType: 18, source: 'Ørsted, ÆØÅ – 船', lines: 'tab\there, newline\nthere, backslash \\ and carriage\rreturn' },
  { mmsi: 2_147_483_647, ts: Date.UTC(2024, 1, 29), lon: -0.000001, lat: 1e-300, sog: 102.3, cog: 0.05, heading: -1, navStatus: 32_767, msgType: -32_768, source: '', lines: '' },
];

const escapeText = (value: string): string => value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
const textOrNull = (value: number | string | null): string => (value === null ? '\\N' : typeof value === 'string' ? escapeText(value) : String(value));

function textRows(rows: Row[]): string {
  return rows
    .map((r) =>
      [r.mmsi, isoTime(r.ts), ewkbPoint(r.lon, r.lat), textOrNull(r.sog), textOrNull(r.cog), textOrNull(r.heading), textOrNull(r.navStatus), r.msgType, textOrNull(r.source), escapeText(r.lines)].join('\t'),
    )
    .join('\n') + '\n';
}

function binaryRows(writer: BinaryCopyWriter, rows: Row[]): Buffer {
  writer.begin();
  for (const r of rows) {
    writer.row(10, 96);
    writer.int4(r.mmsi);
    writer.timestamptz(r.ts);
    writer.pointEwkb(r.lon, r.lat, 4326);
    if (r.sog === null) writer.null();
    else writer.float4(r.sog);
    if (r.cog === null) writer.null();
    else writer.float4(r.cog);
    if (r.heading === null) writer.null();
    else writer.int2(r.heading);
    if (r.navStatus === null) writer.null();
    else writer.int2(r.navStatus);
    writer.int2(r.msgType);
    writer.text(r.source);
    writer.text(r.lines);
  }
  return writer.end();
}

function copy(client: pg.PoolClient, sql: string, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('error', reject).on('finish', () => resolve());
    stream.end(data);
  });
}

const TWIN = `(mmsi integer, ts timestamptz, geom geometry(Point, 4326), sog real, cog real, heading smallint,
               nav_status smallint, msg_type smallint, source text, lines text)`;

async function readBack(client: pg.PoolClient, table: string) {
  const { rows } = await client.query(
    `SELECT mmsi, ts, ST_AsEWKT(geom) AS geom, ST_SRID(geom) AS srid, sog, cog, heading, nav_status, msg_type, source, lines FROM ${table} ORDER BY mmsi`,
  );
  return rows;
}

describe('binary COPY rows (BinaryCopyWriter)', () => {
  it('store exactly what the text encoding stored: times, points, reals, smallints, NULLs and text', async () => {
    const client = await database.pool.connect();
    try {
      await client.query(`CREATE TEMP TABLE via_text ${TWIN}; CREATE TEMP TABLE via_binary ${TWIN}`);
      await copy(client, 'COPY via_text FROM STDIN', textRows(ROWS));
      // A tiny initial buffer: every row makes it grow, so growth keeps what was written.
      await copy(client, 'COPY via_binary FROM STDIN (FORMAT binary)', binaryRows(new BinaryCopyWriter(16), ROWS));
      const text = await readBack(client, 'via_text');
      const binary = await readBack(client, 'via_binary');
      expect(binary).toHaveLength(ROWS.length);
      expect(binary).toEqual(text);
      // Spot checks against the inputs, so "equal" cannot mean "equally wrong".
      const first = binary.find((r) => r.mmsi === 230_000_001)!;
      expect(first.ts.toISOString()).toBe('2025-01-15T12:00:00.123Z');
      expect(first.srid).toBe(4326);
      expect(first.geom).toBe('SRID=4326;POINT(20.123456789 35.987654321)');
      const early = binary.find((r) => r.mmsi === 1)!;
      expect(early.ts.toISOString()).toBe('1999-12-31T23:59:59.999Z');
      expect([early.sog, early.cog, early.heading, early.nav_status, early.source]).toEqual([null, null, null, null, null]);
      expect(binary.find((r) => r.mmsi === 999_999_999)!.source).toBe('Ørsted, ÆØÅ – 船');
    } finally {
      await client.query('DROP TABLE IF EXISTS via_text, via_binary').catch(() => undefined);
      client.release();
    }
  });

  it('bytes() (text already encoded as UTF-8, short and long) and float8() load like text() and a float8 written as text', async () => {
    const client = await database.pool.connect();
    const long = 'x'.repeat(300) + ' – ✓';
    const values = ['', 'rx-1', 'Ørsted, ÆØÅ – 船', long];
    const doubles = [0, -0.1, 1736942400123.5, 1e-300, -1.7976931348623157e308];
    try {
      await client.query('CREATE TEMP TABLE encoded (i integer, via_text text, via_bytes text, d float8)');
      const writer = new BinaryCopyWriter(16).begin();
      const source = Buffer.from(values.join(''), 'utf8');
      let at = 0;
      values.forEach((v, i) => {
        const length = Buffer.byteLength(v, 'utf8');
        writer.row(4, 32);
        writer.int4(i);
        writer.text(v);
        writer.bytes(source, at, at + length); // a field taken from the middle of a larger buffer
        writer.float8(doubles[i]!);
        at += length;
      });
      await copy(client, 'COPY encoded FROM STDIN (FORMAT binary)', writer.end());
      const { rows } = await client.query<{ via_text: string; via_bytes: string; d: number; d_text: boolean }>(
        `SELECT via_text, via_bytes, d, d = ANY($1::float8[]) AS d_text FROM encoded ORDER BY i`,
        [doubles.map(String)],
      );
      expect(rows.map((r) => r.via_bytes)).toEqual(values);
      expect(rows.map((r) => r.via_text)).toEqual(values);
      expect(rows.map((r) => r.d)).toEqual(doubles.slice(0, values.length));
      expect(rows.every((r) => r.d_text)).toBe(true);
    } finally {
      await client.query('DROP TABLE IF EXISTS encoded').catch(() => undefined);
      client.release();
    }
  });

  it('a writer reused for a second stream starts afresh', async () => {
    const client = await database.pool.connect();
    const writer = new BinaryCopyWriter(64);
    try {
      await client.query(`CREATE TEMP TABLE reused ${TWIN}`);
      await copy(client, 'COPY reused FROM STDIN (FORMAT binary)', binaryRows(writer, ROWS));
      await copy(client, 'COPY reused FROM STDIN (FORMAT binary)', binaryRows(writer, ROWS.slice(0, 1)));
      const { rows } = await client.query<{ mmsi: number; n: number }>('SELECT mmsi, count(*)::int AS n FROM reused GROUP BY mmsi ORDER BY mmsi');
      expect(rows).toEqual([
        { mmsi: 1, n: 1 },
        { mmsi: 230_000_001, n: 2 },
        { mmsi: 999_999_999, n: 1 },
        { mmsi: 2_147_483_647, n: 1 },
      ]);
    } finally {
      await client.query('DROP TABLE IF EXISTS reused').catch(() => undefined);
      client.release();
    }
  });
});

describe('PositionStore on the binary path', () => {
  const position = (i: number, heading: number | null): PositionObservation => {
    const p: PositionObservation = {
      kind: 'position', mmsi: 211_000_000 + i, ts: Date.UTC(2025, 5, 1, 0, 0, i), tsFromFeed: true, lon: 10 + i / 100, lat: 55,
      sog: 9.5, cog: 180, heading, navStatus: 0, msgType: 1, source: 'rx-1', dedupKey: null, mmsiInvalid: false,
    };
    setRaw(p, `!AIVDM,1,1,,A,line-${i},0*00`);
    return p;
  };

  it('stores a batch and its raw lines; a smallint out of range still gets PostgreSQL\'s data error, not a wrapped value', async () => {
    await resetIngestTables(database);
    const store = new PositionStore(database.pool, quietLogger);
    try {
      const result = await store.write({ positions: [0, 1, 2].map((i) => position(i, i === 1 ? null : 90)), statics: [] });
      expect(result.positionsStored).toBe(3);
      const { rows } = await database.pool.query('SELECT mmsi, heading, lines FROM positions ORDER BY mmsi');
      expect(rows).toEqual([
        { mmsi: 211_000_000, heading: 90, lines: '!AIVDM,1,1,,A,line-0,0*00' },
        { mmsi: 211_000_001, heading: null, lines: '!AIVDM,1,1,,A,line-1,0*00' },
        { mmsi: 211_000_002, heading: 90, lines: '!AIVDM,1,1,,A,line-2,0*00' },
      ]);
      // 40,000 does not fit heading's smallint: binary COPY would store it wrapped (-25,536).
      const refused = await store.write({ positions: [position(10, 40_000)], statics: [] }).then(() => null, (err: { code?: string }) => err);
      expect(refused?.code).toBe('22003'); // numeric_value_out_of_range: the pipeline isolates and counts such rows
      expect(Number((await database.pool.query('SELECT count(*) AS n FROM positions')).rows[0].n)).toBe(3);
    } finally {
      await store.close();
    }
  });
});
