import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSentence, classAPosition, encodePayload, encodeTagBlock, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import { ingestFiles } from '@rendezvous/ingest';
import { count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

/**
 * The raw archive (migrations/0019, positions.lines since 0028): ingest keeps, for every position it stores, the
 * line(s) it was decoded from exactly as read — TAG block, every part of a multi-sentence message,
 * the $PGHP line that stamped it, a CSV row — and nothing for lines it rejects or copies it drops.
 */
const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(async () => {
  await resetIngestTables(database);
});

const ingest = async (name: string, content: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-raw-'));
  const file = path.join(dir, name);
  await writeFile(file, content, 'latin1');
  return ingestFiles([file], { config, logger: quietLogger, database, detection: null });
};

async function rawRows(): Promise<{ mmsi: number; ts: number; source: string | null; lines: string }[]> {
  const { rows } = await database.pool.query<{ mmsi: number; ts: Date; source: string | null; lines: string }>('SELECT mmsi, ts, source, lines FROM positions WHERE lines IS NOT NULL ORDER BY ts, mmsi');
  return rows.map((r) => ({ mmsi: r.mmsi, ts: r.ts.getTime(), source: r.source, lines: r.lines }));
}

const T0 = Date.UTC(2024, 2, 1, 12, 0, 0);
const xor = (s: string) => [...s].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0');
/** A Gatehouse $PGHP line stamping the next sentence at `ms`. */
function pghp(ms: number): string {
  const d = new Date(ms);
  const body = `PGHP,1,${d.getUTCFullYear()},${d.getUTCMonth() + 1},${d.getUTCDate()},${d.getUTCHours()},${d.getUTCMinutes()},${d.getUTCSeconds()},${d.getUTCMilliseconds()},219,2,,1,0A`;
  return `$${body}*${xor(body)}`;
}

describe('raw AIS archive', () => {
  it('stores the received line(s) of every stored position — TAG block, both parts of a two-part message, its $PGHP line — and nothing for rejected lines or receiver copies', async () => {
    const tagged = toNmeaLines(classAPosition({ mmsi: 237100001, lon: 24.1, lat: 36.5, sog: 3.1 }), { timeMs: T0, source: 'rcvA' })[0]!;
    // The same payload heard by a second receiver 2 s later: a copy, dropped; the first keeps its line.
    const copy = tagged.replace(/^\\[^\\]*\\/, encodeTagBlock({ c: Math.floor(T0 / 1000) + 2, s: 'rcvB' }));
    // A position message split over two sentences (as some receivers do), another vessel's line between its parts.
    const { payload, fillBits } = encodePayload(classAPosition({ mmsi: 237100002, lon: 24.2, lat: 36.6, sog: 0.4 }));
    const half = Math.ceil(payload.length / 2);
    const part1 = encodeTagBlock({ g: { n: 1, m: 2, id: 77 }, c: Math.floor(T0 / 1000) + 60, s: 'rcvA' }) + buildSentence('AI', false, 2, 1, '7', 'B', payload.slice(0, half), 0);
    const part2 = encodeTagBlock({ g: { n: 2, m: 2, id: 77 } }) + buildSentence('AI', false, 2, 2, '7', 'B', payload.slice(half), fillBits);
    const between = toNmeaLines(classAPosition({ mmsi: 237100003, lon: 24.3, lat: 36.7, sog: 8 }), { timeMs: T0 + 61_000, source: 'rcvA' })[0]!;
    // A Gatehouse stamp and its plain sentence.
    const stamp = pghp(T0 + 120_000);
    const plain = toNmeaLines(classAPosition({ mmsi: 237100004, lon: 24.4, lat: 36.8, sog: 5 }), { timeMs: 0 })[0]!.replace(/^\\[^\\]*\\/, '');
    // Rejected: a broken checksum, an out-of-range latitude; a type 5 (identity, not a position).
    const badChecksum = toNmeaLines(classAPosition({ mmsi: 237100005, lon: 24.5, lat: 36.9 }), { timeMs: T0, source: 'rcvA' })[0]!.replace(/\*[0-9A-F]{2}$/, '*00');
    const badLat = toNmeaLines(classAPosition({ mmsi: 237100006, lon: 24.5, lat: 95 }), { timeMs: T0, source: 'rcvA' })[0]!;
    const identity = toNmeaLines(staticVoyage({ mmsi: 237100001, name: 'RAW ONE', imo: 9074729 }), { timeMs: T0, seqId: 1 });
    const summary = await ingest('raw.nmea', [tagged, copy, part1, between, part2, stamp, plain, badChecksum, badLat, ...identity].join('\n') + '\n');
    expect(summary.positionsStored).toBe(4);

    const rows = await rawRows();
    expect(rows).toEqual([
      { mmsi: 237100001, ts: T0, source: 'rcvA', lines: tagged },
      { mmsi: 237100002, ts: T0 + 60_000, source: 'rcvA', lines: `${part1}\n${part2}` },
      { mmsi: 237100003, ts: T0 + 61_000, source: 'rcvA', lines: between },
      { mmsi: 237100004, ts: T0 + 120_000, source: null, lines: `${stamp}\n${plain}` },
    ]);
    // Every stored position has its line.
    expect(await count(database, 'SELECT count(*) AS n FROM positions WHERE lines IS NULL')).toBe(0);

    // Re-ingesting the same file adds nothing and changes no line.
    await ingest('again.nmea', [tagged, copy, part1, between, part2, stamp, plain].join('\n') + '\n');
    expect(await rawRows()).toEqual(rows);
  });

  it('a key twice in one batch keeps the line of the position kept; a re-ingest with one new report adds its line only; a position deleted and stored again gets its new line', async () => {
    const at = (mmsi: number, t: number, lon: number, source = 'rcvA') => toNmeaLines(classAPosition({ mmsi, lon, lat: 36.5, sog: 1 }), { timeMs: t, source })[0]!;
    // Same MMSI and second, two places: the first is stored (staging path), with its own line.
    const first = at(237100021, T0, 24.1);
    const second = at(237100021, T0, 24.2);
    const other = at(237100022, T0 + 60_000, 24.3);
    await ingest('twice.nmea', [first, second, other].join('\n') + '\n');
    const stored = await database.pool.query<{ lon: number }>('SELECT ST_X(geom) AS lon FROM positions WHERE mmsi = 237100021');
    expect(stored.rows.map((r) => Number(r.lon.toFixed(4)))).toEqual([24.1]);
    expect((await rawRows()).map((r) => r.lines)).toEqual([first, other]);

    // Overlapping a stored span (the staging path): only the new report's line is added.
    const later = at(237100022, T0 + 30_000, 24.25);
    await ingest('overlap.nmea', [first, later, at(237100022, T0 + 60_000, 24.3, 'rcvB')].join('\n') + '\n');
    expect((await rawRows()).map((r) => r.lines)).toEqual([first, later, other]);

    // Positions emptied (their lines with them): the same keys come back with other lines (direct path).
    await database.pool.query('TRUNCATE positions');
    const again = [at(237100021, T0, 24.1, 'rcvC'), at(237100022, T0 + 30_000, 24.25, 'rcvC'), at(237100022, T0 + 60_000, 24.3, 'rcvC')];
    const summary = await ingest('after-truncate.nmea', again.join('\n') + '\n');
    expect(summary.positionsStored).toBe(3);
    expect((await rawRows()).map((r) => [r.lines, r.source])).toEqual(again.map((l) => [l, 'rcvC']));
  });

  it('keeps bytes the database cannot hold as text: a NUL after the checksum is stored (as U+2400) and its position kept', async () => {
    const line = toNmeaLines(classAPosition({ mmsi: 237100011, lon: 24.1, lat: 36.5 }), { timeMs: T0, source: 'rcvA' })[0]!;
    const summary = await ingest('nul.nmea', `${line}\u0000\u00e9\n`);
    expect(summary.positionsStored).toBe(1);
    const [row] = await rawRows();
    expect(Buffer.from(row!.lines, 'latin1')).toEqual(Buffer.from(`${line}\u0000\u00e9`, 'latin1'));
  });

  it('a MarineCadastre CSV row is the raw line of its position', async () => {
    const header = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
    const row1 = '367379190,2022-01-03T00:00:00,30.3706,-88.56408,1.5,336.2,511,EAGLE,IMO8207721,WTD4583,31,0,28,11,3.3,52,A';
    const row2 = '367379190,2022-01-03T00:01:00,30.3710,-88.56400,1.4,336.0,511,EAGLE,IMO8207721,WTD4583,31,0,28,11,3.3,52,A';
    const bad = '367379190,2022-01-03T00:02:00,95.0,-88.56400,1.4,336.0,511,EAGLE,IMO8207721,WTD4583,31,0,28,11,3.3,52,A';
    await ingest('day.csv', [header, row1, row2, bad].join('\n') + '\n');
    expect((await rawRows()).map((r) => r.lines)).toEqual([row1, row2]);
  });
});
