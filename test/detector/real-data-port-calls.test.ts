// Port calls (issue 15) on the team's real captures (../shared/data; SOURCES.md there):
// MarineCadastre 2022-01-03, the DMA stream and the Suez queue of March 2021, with GFW's two port
// lists (WPI ports and the named anchorages) as a deployment would set PORTS_FILE. Every window
// of each capture is run as a reprocess would run it; the counts and each call are printed (the
// closing note of issue 15 checks some by hand), and the assertions hold what the data allows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortLookup, PORT_CALL_RADIUS_M, type PortLookup } from '@rendezvous/detection';
import type { PositionObservation } from '@rendezvous/feeds';
import { loadPortsFile } from '@rendezvous/geography';
import { ingestFiles } from '@rendezvous/ingest';
import { planWindows } from '@rendezvous/queue';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { position, storePositions } from '../support/positions.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SHARED_SKIP_NOTE, openTestDatabase, quietLogger, resetDetectionTables, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(async () => {
  await resetDetectionTables(database);
  await database.pool.query('TRUNCATE port_calls, vessel_draughts');
});

const HOUR = 3_600_000;
const shared = (p: string) => path.join(SHARED_DATA, p);

let ports: PortLookup;
beforeAll(async () => {
  if (!HAS_SHARED_DATA) return;
  const files = await Promise.all(['anchorages-gfw/WPI_ports.csv', 'anchorages-gfw/anchorage_overrides.csv'].map((f) => loadPortsFile(shared(f))));
  // WPI rows have no s2id: their row ids are qualified by the file so they cannot meet an anchorage's.
  ports = createPortLookup(
    files.flatMap((file, i) => file.ports.map((p) => ({ ...p, id: i === 0 ? `wpi:${p.id}` : p.id, radiusM: PORT_CALL_RADIUS_M }))),
  );
});

interface CallRow {
  mmsi: number;
  port_id: string;
  port_name: string | null;
  country: string | null;
  arrival: Date;
  departure: Date | null;
  draught_arrival: number | null;
  draught_departure: number | null;
  reasons: string[];
}

/** Every hour window of the stored data in order, then the stored calls, printed. */
async function detectPortCalls(label: string): Promise<CallRow[]> {
  const { rows } = await database.pool.query('SELECT min(ts) AS lo, max(ts) AS hi, count(DISTINCT mmsi)::int AS vessels FROM positions');
  const windows = planWindows({ from: rows[0].lo, to: new Date(rows[0].hi.getTime() + 1), windowMs: HOUR, requestedBy: 'test' });
  const detector = createWindowDetector(database, quietLogger, { portCalls: ports, darkActivity: false });
  for (const [from, to] of windows) await detector.run({ from: new Date(from), to: new Date(to) });
  const calls = (await database.pool.query<CallRow>('SELECT * FROM port_calls ORDER BY arrival, mmsi')).rows;
  const byPort = new Map<string, number>();
  for (const c of calls) byPort.set(`${c.port_name} (${c.country})`, (byPort.get(`${c.port_name} (${c.country})`) ?? 0) + 1);
  console.log(`${label}: ${rows[0].vessels} vessels, ${windows.length} windows; ${calls.length} port calls by ${new Set(calls.map((c) => c.mmsi)).size} vessels; by port ${JSON.stringify(Object.fromEntries(byPort))}`);
  for (const c of calls) {
    console.log(
      `  ${c.mmsi} ${c.port_name} (${c.country}) [${c.port_id}] ${c.arrival.toISOString()} → ${c.departure?.toISOString() ?? 'still there'} draught ${c.draught_arrival ?? '-'}/${c.draught_departure ?? '-'}: ${c.reasons.join('; ')}`,
    );
  }
  return calls;
}

describe.skipIf(!HAS_SHARED_DATA)(`port calls on real captures ${HAS_SHARED_DATA ? '' : SHARED_SKIP_NOTE}`, () => {
  it('MarineCadastre 2022-01-03 (US coastal)', async () => {
    await ingestFiles([shared('tracks-marinecadastre-20220103/AIS_2022_01_03_sample99999.csv')], { config, logger: quietLogger, database, detection: null });
    const calls = await detectPortCalls('MarineCadastre 2022-01-03');
    // Every call is in the United States (the capture is US coastal waters) and slow for ≥ 2 h.
    for (const c of calls) {
      expect(c.country).toBe('USA');
      expect(c.reasons.join(' ')).toMatch(/slow \(< 1 kn\)/);
    }
  }, 600_000);

  it('DMA stream (28 s of Danish traffic): far shorter than a 2 h stay — no call', async () => {
    await ingestFiles([shared('nmea-dma-aislib/stream_example.txt')], { config, logger: quietLogger, database, detection: null });
    expect(await detectPortCalls('DMA stream_example')).toEqual([]);
  }, 120_000);

  it('Suez queue, March 2021: ships waiting at the Port Said anchorages call at PORT SAID (EGY)', async () => {
    const lines = readFileSync(shared('tracks-movingpandas-suez/boat-positions.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
    const positions: PositionObservation[] = lines.map((line) => {
      const [id, stamp, lon, lat] = line.split(',') as [string, string, string, string];
      const [, d, m, y, hm] = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d:\d\d)$/.exec(stamp)!;
      return position(622_000_000 + Number(id), Date.parse(`${y}-${m}-${d}T${hm}:00Z`), Number(lon), Number(lat), null);
    });
    await storePositions(database, positions);
    const calls = await detectPortCalls('Suez queue, March 2021');
    expect(calls.some((c) => c.port_name === 'PORT SAID' && c.country === 'EGY')).toBe(true);
    for (const c of calls) expect(c.country).toBe('EGY');
  }, 900_000);
});
