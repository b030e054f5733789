// The detector's port list (PORTS_FILE): the CSV formats it loads, bad rows counted and skipped,
// an unusable file refused at boot like any configuration error, and a meeting inside a port's
// radius not alerted (DESIGN.md: GFW counts encounters ≥ 10 km from an anchorage).
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, createPortIndex } from '@rendezvous/detection';
import { ConfigError } from '@rendezvous/errors';
import type { PositionObservation } from '@rendezvous/feeds';
import { loadPortsFile, parsePortsCsv } from '@rendezvous/geography';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { HAS_SHARED_DATA, ROOT, SHARED_DATA, SHARED_SKIP_NOTE, openTestDatabase, quietLogger, resetDetectionTables } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';
import { testEnv } from '../support/test-env.ts';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./fixtures/ports.csv', import.meta.url));
const database = openTestDatabase();
afterAll(() => database.close());
beforeEach(() => resetDetectionTables(database));

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 6, 1);


/** Two vessels lying 150 m apart at (lon, lat) for 4 h from 02:00, reporting every 2 min. */
async function meetingAt(a: number, b: number, lon: number, lat: number): Promise<void> {
  const positions: PositionObservation[] = [];
  for (let t = T0 + 2 * HOUR; t <= T0 + 6 * HOUR; t += 2 * MIN) {
    positions.push(position(a, t, lon, lat, 0.1), position(b, t + 20_000, lon + 0.00168, lat, 0.1));
  }
  await storePositions(database, positions);
}

async function alertPairs(): Promise<string[]> {
  const { rows } = await database.pool.query("SELECT mmsi_a || '-' || mmsi_b AS pair FROM alerts WHERE status != 'retracted' ORDER BY 1");
  return rows.map((r) => r.pair);
}

describe('port list (PORTS_FILE)', () => {
  it('loads the fixture: quoted labels, bad rows counted and skipped, not fatal', async () => {
    const file = await loadPortsFile(FIXTURE);
    expect(file.points).toEqual([
      { lon: 22.5661, lat: 36.7597 },
      { lon: 22.1136, lat: 37.0225 },
    ]);
    expect(file.rows).toBe(5);
    expect(file.bad).toBe(3);
    expect(file.badSamples.map((s) => s.line)).toEqual([4, 5, 6]);
    expect(file.badSamples[2]!.reason).toMatch(/quoting/);
    // Column order and names vary: anchorage_overrides.csv puts latitude second; lat/lon work too.
    expect(parsePortsCsv('s2id,latitude,longitude,label\nab,1.5,-2.5,X\n').points).toEqual([{ lon: -2.5, lat: 1.5 }]);
    expect(parsePortsCsv('\uFEFFLat,Lon\r\n3,4\r\n').points).toEqual([{ lon: 4, lat: 3 }]);
  });

  it('refuses a file it cannot use with a ConfigError naming PORTS_FILE', async () => {
    await expect(loadPortsFile('/nonexistent/ports.csv')).rejects.toThrow(ConfigError);
    await expect(loadPortsFile('/nonexistent/ports.csv')).rejects.toThrow(/PORTS_FILE: cannot read/);
    expect(() => parsePortsCsv('name,x,y\nA,1,2\n')).toThrow(/PORTS_FILE: .*latitude and longitude columns/);
    expect(() => parsePortsCsv('latitude,longitude\n,\nx,y\n')).toThrow(/no row with a valid position/);
  });

  it('a detector started with an unreadable or unusable PORTS_FILE exits 78 naming the variable', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-ports-'));
    const noColumns = path.join(dir, 'no-columns.csv');
    await writeFile(noColumns, 'name,x,y\nA,1,2\n');
    for (const file of [path.join(dir, 'missing.csv'), noColumns]) {
      const err = await run(process.execPath, ['services/detector/src/main.ts'], { cwd: ROOT, env: { ...process.env, ...testEnv({ PORTS_FILE: file }) }, timeout: 20_000 }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).toBe(78);
      expect(err?.stderr).toMatch(/PORTS_FILE: /);
    }
  });

  it('a meeting inside a port radius is not alerted; the same meeting at sea is', async () => {
    const ports = createPortIndex((await loadPortsFile(FIXTURE)).points, DEFAULT_PROFILE.portRadiusM);
    // 4 km off Gytheio (inside 10 km), and the same in the open sea 60 km south of it.
    await meetingAt(247100001, 247100002, 22.5661, 36.7237);
    await meetingAt(247100003, 247100004, 22.5661, 36.2197);
    const window = { from: new Date(T0), to: new Date(T0 + 24 * HOUR) };
    await createWindowDetector(database, quietLogger, { ports }).run(window);
    expect(await alertPairs()).toEqual(['247100003-247100004']);
    // Without the port list both are alerts: the port mask is what removed the first.
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    await createWindowDetector(database, quietLogger).run(window);
    expect(await alertPairs()).toEqual(['247100001-247100002', '247100003-247100004']);
  });

  it.skipIf(!HAS_SHARED_DATA)(`loads the real GFW lists: WPI ports and anchorage overrides ${HAS_SHARED_DATA ? '' : SHARED_SKIP_NOTE}`, async () => {
    const wpi = await loadPortsFile(path.join(SHARED_DATA, 'anchorages-gfw/WPI_ports.csv'));
    const overrides = await loadPortsFile(path.join(SHARED_DATA, 'anchorages-gfw/anchorage_overrides.csv'));
    expect(wpi.points.length).toBe(wpi.rows - wpi.bad);
    expect(wpi.points.length).toBeGreaterThan(3000);
    expect(overrides.points.length).toBeGreaterThan(60_000);
    const index = createPortIndex([...wpi.points, ...overrides.points], 10_000);
    expect(index.isNearPort(1.2833, 6.1333)).toBe(true); // Lomé, a WPI row
    expect(index.isNearPort(-30, 0)).toBe(false); // mid-Atlantic
  });
});
