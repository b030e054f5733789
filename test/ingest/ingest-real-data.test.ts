import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestFiles } from '@rendezvous/ingest';
import { referenceCounts } from '../support/reference-ais.ts';
import {
  HAS_SHARED_DATA,
  SHARED_DATA,
  SHARED_SKIP_NOTE,
  count,
  openTestDatabase,
  quietLogger,
  resetIngestTables,
  testConfig,
} from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(() => resetIngestTables(database));

const ingest = (files: string[]) => ingestFiles(files, { config, logger: quietLogger, database, detection: null });
const shared = (p: string) => path.join(SHARED_DATA, p);

async function expectNamesFromType5(names: Map<number, string>) {
  const { rows } = await database.pool.query<{ mmsi: number; name: string | null }>(
    'SELECT mmsi, name FROM vessels WHERE mmsi = ANY($1::int[])',
    [[...names.keys()]],
  );
  expect(rows.length).toBe(names.size);
  for (const row of rows) expect(row.name, `vessel ${row.mmsi}`).toBe(names.get(row.mmsi));
}

describe.skipIf(!HAS_SHARED_DATA)(`ingest of real captures ${HAS_SHARED_DATA ? '' : SHARED_SKIP_NOTE}`, () => {
  it('DMA stream_example ($PGHP stamps): stores exactly the valid positions and vessels, with names from type 5; a second ingest adds nothing', async () => {
    const file = shared('nmea-dma-aislib/stream_example.txt');
    const ref = referenceCounts(readFileSync(file, 'latin1'));
    expect(ref.positions.length).toBeGreaterThan(1000);
    expect(ref.positions.every((p) => p.ts !== null)).toBe(true);

    const first = await ingest([file]);
    expect(first.positionsStored).toBe(ref.positions.length);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(ref.positions.length);
    expect(await count(database, 'SELECT count(*) AS n FROM vessels')).toBe(ref.vessels.size);
    expect(first.vesselsSeen).toBe(ref.vessels.size);
    expect(first.messagesByType[5]).toBeGreaterThan(100);
    // Every stored time is the $PGHP time of 2010-06-11, not the receive time.
    const { rows } = await database.pool.query('SELECT min(ts) AS lo, max(ts) AS hi FROM positions');
    expect(rows[0].lo.toISOString()).toMatch(/^2010-06-11T11:4/);
    expect(rows[0].hi.toISOString()).toMatch(/^2010-06-11T11:4/);
    await expectNamesFromType5(new Map([...ref.type5Names].filter(([mmsi]) => ref.vessels.has(mmsi))));

    const second = await ingest([file]);
    expect(second.positionsStored).toBe(0);
    expect(second.positionsAlreadyStored).toBe(ref.positions.length);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(ref.positions.length);
    expect(await count(database, 'SELECT count(*) AS n FROM vessels')).toBe(ref.vessels.size);
  });

  it('Novorossiysk capture (no timestamps): every valid position stored once under receive time, vessels with type 5 names', async () => {
    const file = shared('nmea-novorossiysk-boutsko/ais.txt');
    const ref = referenceCounts(readFileSync(file, 'latin1'));
    const before = Date.now();
    const summary = await ingest([file]);
    expect(summary.positionsStored).toBe(ref.positions.length);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(ref.positions.length);
    expect(await count(database, 'SELECT count(*) AS n FROM vessels')).toBe(ref.vessels.size);
    expect(summary.linesRead).toBe(readFileSync(file, 'latin1').split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').length);
    // No stamp in the file: positions carry the time they were received.
    const { rows } = await database.pool.query('SELECT min(ts) AS lo, max(ts) AS hi FROM positions');
    expect(rows[0].lo.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows[0].hi.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    await expectNamesFromType5(new Map([...ref.type5Names].filter(([mmsi]) => ref.vessels.has(mmsi))));
    // Lon/lat land where the capture was made (Novorossiysk roads, SOURCES.md).
    const box = await database.pool.query(
      'SELECT count(*)::int AS n FROM positions WHERE ST_Intersects(geom, ST_MakeEnvelope(37.5, 44.4, 38.2, 44.9, 4326))',
    );
    expect(box.rows[0].n).toBeGreaterThan(ref.positions.length * 0.9);
  });

  it('MarineCadastre CSV sample: every valid row is stored, identity columns fill vessels', async () => {
    const file = shared('tracks-marinecadastre-20220103/AIS_2022_01_03_sample99999.csv');
    const rows = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
    // Independent count: MMSI present, LAT/LON numeric, in range and not 0,0; one row per (MMSI, time).
    const keys = new Set<string>();
    const mmsis = new Set<string>();
    for (const row of rows) {
      const [mmsi, time, lat, lon] = row.split(',');
      const la = Number(lat);
      const lo = Number(lon);
      if (!mmsi || !time || lat === '' || lon === '' || !Number.isFinite(la) || !Number.isFinite(lo)) continue;
      if (Math.abs(la) > 90 || Math.abs(lo) > 180 || (la === 0 && lo === 0)) continue;
      keys.add(`${mmsi}|${time}`);
      mmsis.add(mmsi);
    }
    const summary = await ingest([file]);
    expect(summary.files[0]!.format).toBe('marinecadastre');
    expect(summary.positionsStored).toBe(keys.size);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(keys.size);
    expect(await count(database, 'SELECT count(*) AS n FROM vessels')).toBe(mmsis.size);
    expect(await count(database, "SELECT count(*) AS n FROM vessels WHERE mmsi = 367379190 AND name = 'EAGLE' AND imo = 8207721 AND callsign = 'WTD4583'")).toBe(1);
  });
});
