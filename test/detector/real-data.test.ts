// The detector on the team's real captures (../shared/data; SOURCES.md there). None of them holds
// a known STS transfer; they are the hard negatives the detector must stay quiet on:
// - MarineCadastre 2022-01-03: 24 min of all US traffic, with tankers berthed side by side in
//   the Houston Ship Channel;
// - the DMA stream_example: 28 s of Danish traffic;
// - the Suez queue of March 2021 (Ever Given): 4 days of ships crowding the anchorages.
// Meetings near a port or anchorage are not alerted when the detector has a port list
// (PORTS_FILE; DESIGN.md, GFW: encounters ≥ 10 km from an anchorage).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTrackRepository } from '@rendezvous/db';
import { DEFAULT_PROFILE, createPortIndex, detectEvents, type PortIndex, type RendezvousEvent } from '@rendezvous/detection';
import type { PositionObservation } from '@rendezvous/feeds';
import { DEFAULT_IDENTITY_OPTIONS } from '@rendezvous/identity';
import { ingestFiles } from '@rendezvous/ingest';
import { planWindows } from '@rendezvous/queue';
import { loadPortsFile } from '@rendezvous/geography';
import { toDetectorTracks } from '../../services/detector/src/track-splitting.ts';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { position, storePositions } from '../support/positions.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SHARED_SKIP_NOTE, count, openTestDatabase, quietLogger, resetDetectionTables, resetIngestTables, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(() => resetDetectionTables(database));

const MIN = 60_000;
const HOUR = 60 * MIN;
const WINDOW = 6 * HOUR;
const shared = (p: string) => path.join(SHARED_DATA, p);

let ports: PortIndex;
beforeAll(async () => {
  if (!HAS_SHARED_DATA) return;
  // GFW's two lists, as a deployment would name them in PORTS_FILE (one file each here).
  const points = [
    ...(await loadPortsFile(shared('anchorages-gfw/WPI_ports.csv'))).points,
    ...(await loadPortsFile(shared('anchorages-gfw/anchorage_overrides.csv'))).points,
  ];
  ports = createPortIndex(points, DEFAULT_PROFILE.portRadiusM);
});

/** Runs the service's window detector over every 6-hour window the stored positions touch, one by one. */
async function detectStored(options: { ports: PortIndex | null; reverse?: boolean; type?: string }): Promise<{ key: string; status: string; startAt: Date; endAt: Date }[]> {
  const { rows } = await database.pool.query('SELECT min(ts) AS lo, max(ts) AS hi FROM positions');
  // The windows a reprocess request of that range fans out into.
  const windows = planWindows({ from: rows[0].lo, to: new Date(rows[0].hi.getTime() + 1), windowMs: WINDOW, requestedBy: 'test' });
  if (options.reverse) windows.reverse();
  const detector = createWindowDetector(database, quietLogger, { ports: options.ports });
  for (const [from, to] of windows) await detector.run({ from: new Date(from), to: new Date(to) });
  const alerts = await database.pool.query(
    "SELECT alert_key AS key, status, start_at AS \"startAt\", end_at AS \"endAt\" FROM alerts WHERE status != 'retracted' AND ($1::text IS NULL OR type = $1) ORDER BY alert_key",
    [options.type ?? null],
  );
  return alerts.rows;
}

const isTanker = (shipType: number | null) => shipType !== null && shipType >= 80 && shipType <= 89;

describe.skipIf(!HAS_SHARED_DATA)(`detector on real captures ${HAS_SHARED_DATA ? '' : SHARED_SKIP_NOTE}`, () => {
  it('MarineCadastre 2022-01-03 and the DMA stream: no alert, the captures are shorter than any meeting the rules accept', async () => {
    await ingestFiles([shared('tracks-marinecadastre-20220103/AIS_2022_01_03_sample99999.csv')], { config, logger: quietLogger, database, detection: null });
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(99_924);
    expect(await detectStored({ ports })).toEqual([]);
    expect(await detectStored({ ports: null })).toEqual([]);
    // Why: 99,572 of the rows fall in 00:00–00:24 and the rest are a few reports near 14:00 and
    // 23:00, hours away (tracks are never interpolated across a silence of ≥ 1 h). No vessel has
    // 30 min of connected track (the sensitive profile's minimum), let alone GFW's 2 h.
    const longest = await count(
      database,
      `SELECT max(span) AS n FROM (
         SELECT extract(epoch FROM max(ts) - min(ts)) AS span FROM (
           SELECT mmsi, ts, sum(gap) OVER (PARTITION BY mmsi ORDER BY ts) AS piece FROM (
             SELECT mmsi, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY mmsi ORDER BY ts) >= interval '1 hour' THEN 1 ELSE 0 END AS gap
             FROM positions) g) p
         GROUP BY mmsi, piece) s`,
    );
    expect(longest).toBeLessThan(30 * 60);

    await resetIngestTables(database);
    await ingestFiles([shared('nmea-dma-aislib/stream_example.txt')], { config, logger: quietLogger, database, detection: null });
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(2965);
    expect(await detectStored({ ports })).toEqual([]);
  });

  it('MarineCadastre: the berthed tanker pairs it holds are inside the port mask (exploratory 10-minute rule)', async () => {
    await ingestFiles([shared('tracks-marinecadastre-20220103/AIS_2022_01_03_sample99999.csv')], { config, logger: quietLogger, database, detection: null });
    const from = new Date(Date.UTC(2022, 0, 3));
    const positions = await createTrackRepository(database.pool).load({ from, to: new Date(from.getTime() + 30 * MIN) });
    const { tracks } = toDetectorTracks(positions, DEFAULT_IDENTITY_OPTIONS);
    const { rows } = await database.pool.query<{ mmsi: number; ship_type: number | null }>('SELECT mmsi, ship_type FROM vessels');
    const shipType = new Map(rows.map((r) => [r.mmsi, r.ship_type]));
    // GFW's rule with the duration cut to what 24 minutes of data can show, on a 1-minute grid:
    // not a product setting, a probe for what the port mask has to hold back.
    const probe = { ...DEFAULT_PROFILE, name: 'probe-10min', gridStepMs: MIN, minRunMs: 10 * MIN, minDurationMs: 10 * MIN };
    const tankerPairs = (events: RendezvousEvent[]) => events.filter((e) => isTanker(shipType.get(e.a) ?? null) && isTanker(shipType.get(e.b) ?? null));

    const open = tankerPairs(detectEvents(tracks, { profiles: [probe] }));
    const masked = tankerPairs(detectEvents(tracks, { profiles: [probe], isNearPort: (lon, lat, r) => ports.isNearPort(lon, lat, r) }));
    expect(open.length).toBe(31);
    // Most lie in the Houston Ship Channel (around 95.0–95.3° W, 29.7° N), all berthed (< 1 kn).
    expect(open.filter((e) => e.centroid.lon > -95.3 && e.centroid.lon < -95.0 && e.centroid.lat > 29.6 && e.centroid.lat < 29.8).length).toBeGreaterThan(15);
    expect(open.every((e) => e.medianSpeedKnA < 1 && e.medianSpeedKnB < 1)).toBe(true);
    // The port mask holds back all but one: two gas carriers at a Calcasieu River terminal (Lake
    // Charles, Louisiana) more than 10 km from any point of the GFW lists.
    expect(masked.map((e) => e.pairKey)).toEqual(['229248000-311000771']);
    expect(masked[0]!.centroid.lon).toBeCloseTo(-93.333, 2);
  });

  it('Suez queue, March 2021: anchorage crowding is no alert with the GFW port list; without it, each pair is one alert whatever the window order', async () => {
    // boat-positions.csv: ID,dd/mm/yyyy HH:MM,lon,lat; IDs anonymised, no speed. Each ID becomes an
    // MMSI under Egypt's MID (622) so the track store can hold it.
    const lines = readFileSync(shared('tracks-movingpandas-suez/boat-positions.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
    const positions: PositionObservation[] = lines.map((line) => {
      const [id, stamp, lon, lat] = line.split(',') as [string, string, string, string];
      const [, d, m, y, hm] = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d:\d\d)$/.exec(stamp)!;
      return position(622_000_000 + Number(id), Date.parse(`${y}-${m}-${d}T${hm}:00Z`), Number(lon), Number(lat), null);
    });
    await storePositions(database, positions);
    expect(await count(database, 'SELECT count(DISTINCT mmsi) AS n FROM positions')).toBe(256);

    expect(await detectStored({ ports })).toEqual([]);

    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    const unmasked = await detectStored({ ports: null });
    // Ships anchored within 500 m of each other for ≥ 2 h: 27 pairs, some together for 30–41 h.
    expect(unmasked).toHaveLength(27);
    expect(unmasked.every((a) => a.status === 'closed')).toBe(true);
    expect(Math.max(...unmasked.map((a) => a.endAt.getTime() - a.startAt.getTime()))).toBeGreaterThan(40 * HOUR);
    await database.pool.query('TRUNCATE alert_evidence, alerts RESTART IDENTITY CASCADE');
    expect(await detectStored({ ports: null, reverse: true })).toEqual(unmasked);
    expect(await count(database, "SELECT count(*) AS n FROM alerts WHERE status = 'retracted'")).toBe(0);
  });
});
