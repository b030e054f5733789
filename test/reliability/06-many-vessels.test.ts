// Issue 11, item 6: a window holding more than 65,535 vessels. PostgreSQL's extended protocol
// carries at most 65,535 bind parameters per statement, so a `where mmsi in ($1, …, $n)` list
// of every vessel in a window (their identities; the stored alerts of a bbox run) cannot be sent
// at all. 70,000 vessels here: one listed pair meets among them, the rest lie 5 km apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionObservation } from '@rendezvous/feeds';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, quietLogger, resetDetectionTables } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';

const database = openTestDatabase();
afterAll(() => database.close());

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 2, 5, 6); // an archive window: nothing stays ongoing
const VESSELS = 70_000;
const FIRST = 211_000_000; // German MID block: 70,000 valid 9-digit MMSIs
const A = 538_000_001;
const B = 538_000_002;
/** The grid of bystanders: 280 columns × 250 rows, 0.05° (≈ 5 km) apart, in the North Atlantic. */
const COLUMNS = 280;
const [LON0, LAT0] = [-40, 30];

beforeAll(async () => {
  await resetDetectionTables(database);
  const bystanders: PositionObservation[] = [];
  for (let i = 0; i < VESSELS; i++) {
    const lon = LON0 + (i % COLUMNS) * 0.05;
    const lat = LAT0 + Math.floor(i / COLUMNS) * 0.05;
    bystanders.push(position(FIRST + i, T0 + 20 * MIN, lon, lat, 0.1));
  }
  // A and B lie 150 m apart from T0 − 1 h to T0 + 3 h, in the middle of the grid.
  const pair: PositionObservation[] = [];
  for (let t = T0 - HOUR; t <= T0 + 3 * HOUR; t += 5 * MIN) {
    pair.push(position(A, t, LON0 + 7.025, LAT0 + 6.025, 0.2), position(B, t + 30_000, LON0 + 7.025, LAT0 + 6.02635, 0.1));
  }
  await storePositions(database, bystanders, pair);
  await database.pool.query(`UPDATE vessels SET name = 'MANY ALPHA' WHERE mmsi = $1`, [A]);
}, 300_000);

describe('a window with more than 65,535 vessels', () => {
  it('is detected whole: identities read, stored alerts found by a bbox run, one alert for the one meeting', async () => {
    const detector = createWindowDetector(database, quietLogger, { now: () => T0 + 30 * 24 * HOUR });
    const window = { from: new Date(T0), to: new Date(T0 + HOUR) };

    const first = await detector.run(window);
    expect(first.vessels).toBe(VESSELS + 2);
    expect(first).toMatchObject({ events: 1, created: 1, retracted: 0 });
    const { rows } = await database.pool.query<{ mmsi_a: number; mmsi_b: number; name: string }>(
      `SELECT mmsi_a, mmsi_b, vessel_a->>'name' AS name FROM alerts WHERE status != 'retracted'`,
    );
    // The identity of A came from the vessels read for all 70,002 MMSIs.
    expect(rows).toEqual([{ mmsi_a: A, mmsi_b: B, name: 'MANY ALPHA' }]);

    // A bbox run over the whole grid reads the stored alerts of its 70,002 vessels: the alert is
    // found (unchanged), not created again and not retracted.
    const bbox = { west: LON0 - 1, south: LAT0 - 1, east: LON0 + 15, north: LAT0 + 14 };
    const again = await detector.run({ ...window, bbox });
    expect(again.vessels).toBe(VESSELS + 2);
    expect(again).toMatchObject({ events: 1, created: 0, updated: 0, unchanged: 1, retracted: 0 });
    const active = await database.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE status != 'retracted'`);
    expect(active.rows[0].n).toBe(1);
  }, 300_000);
});
