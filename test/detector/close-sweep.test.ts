// Live meetings close: once two ships have parted, the detector's close sweep re-runs the window
// holding the meeting's end, and the alert goes from `ongoing` to `closed` (issue 5: "status
// ongoing → closed"). Paced live data never lands in that window again, so without the sweep the
// alert would stay ongoing for ever (seen in the first-run demo).
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { METRES_PER_NM } from '@rendezvous/geodesy';
import { ingestFiles } from '@rendezvous/ingest';
import { createAlertRepository } from '@rendezvous/db';
import { createProducer, createRedis } from '@rendezvous/queue';
import { startCloseSweep } from '../../services/detector/src/close-sweep.ts';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { openTestDatabase, quietLogger, resetDetection, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
afterAll(async () => {
  redis.disconnect();
  await database.close();
});
beforeEach(() => resetDetection(database, redis, config));

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 5, 2, 0);
const A = 636019101;
const B = 636019102;
const [LON, LAT] = [23.1, 36.3];

/** A lies 150 m from B from 01:00 to 04:00 and then sails east at 10 kn; B stays. Reports every 2 min in [from, to). */
function lines(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = from; t < to; t += 2 * MIN) {
    const away = Math.max(0, (t - (T0 + 4 * HOUR)) / HOUR) * 10 * METRES_PER_NM; // metres east after 04:00
    const before = Math.max(0, (T0 + HOUR - t) / HOUR) * 10 * METRES_PER_NM; // metres west before 01:00
    const lonA = LON + (away - before) / (111_320 * Math.cos((LAT * Math.PI) / 180));
    const sogA = away > 0 || before > 0 ? 10 : 0.2;
    for (const [mmsi, lon, lat, sog] of [[A, lonA, LAT, sogA], [B, LON, LAT + 0.00135, 0.1]] as const) {
      out.push(...toNmeaLines(classAPosition({ mmsi, lon: Math.round(lon * 600000) / 600000, lat: Math.round(lat * 600000) / 600000, sog }), { timeMs: t, source: 'test' }));
    }
  }
  return out;
}

async function ingest(nmea: string[]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-sweep-'));
  const file = path.join(dir, 'feed.nmea');
  await writeFile(file, nmea.join('\n') + '\n');
  await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
}

describe('close sweep', () => {
  it("re-runs the window holding an ongoing meeting's end once the ships have parted, and the alert closes", async () => {
    const windowMs = HOUR;
    // Live, up to 04:30: the meeting is found and may still grow.
    await ingest(lines(T0, T0 + 4.5 * HOUR));
    const live = createWindowDetector(database, quietLogger, { now: () => T0 + 4.5 * HOUR });
    for (let w = T0; w < T0 + 5 * HOUR; w += windowMs) await live.run({ from: new Date(w), to: new Date(w + windowMs) });
    const before = (await database.pool.query('SELECT id, status, end_at FROM alerts')).rows;
    expect(before).toHaveLength(1);
    expect(before[0].status).toBe('ongoing');

    // Later data only lands in later windows (ingest enqueues those, not the meeting's).
    await ingest(lines(T0 + 4.5 * HOUR, T0 + 10 * HOUR));
    const producer = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
    const sweep = startCloseSweep({ database, producer, logger: quietLogger, windowMs, mergeGapMs: 4 * HOUR, everyMs: 3_600_000 });
    try {
      expect(await sweep.sweep()).toBe(1);
    } finally {
      await sweep.stop();
      await producer.close();
    }
    const queue = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    await queue.close();
    const endWindow = Math.floor(new Date(before[0].end_at).getTime() / windowMs) * windowMs;
    expect(jobs.map((j) => j.data)).toContainEqual({ from: new Date(endWindow).toISOString(), to: new Date(endWindow + windowMs).toISOString(), reason: 'sweep' });

    // What a detector does with that job: the same alert, now closed.
    const later = createWindowDetector(database, quietLogger, { now: () => T0 + 10 * HOUR });
    await later.run({ from: new Date(endWindow), to: new Date(endWindow + windowMs) });
    const after = (await database.pool.query('SELECT id, status FROM alerts')).rows;
    expect(after).toEqual([{ id: before[0].id, status: 'closed' }]);

    // Nothing ongoing is left, so the next sweep enqueues nothing.
    const producer2 = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
    const again = startCloseSweep({ database, producer: producer2, logger: quietLogger, windowMs, mergeGapMs: 4 * HOUR, everyMs: 3_600_000 });
    try {
      expect(await again.sweep()).toBe(0);
    } finally {
      await again.stop();
      await producer2.close();
    }
  });

  it('re-runs the window owning an open AIS gap, and the window where a vessel fell silent once its silence crosses a gap minimum', async () => {
    const windowMs = HOUR;
    // A vessel heard last 6 h 1 min ago (by the database clock) has just crossed the sensitive 6 h minimum.
    const { rows } = await database.pool.query<{ t: Date }>("SELECT now() - interval '6 hours 1 minute' AS t");
    const lastSeen = rows[0]!.t;
    await database.pool.query(
      'INSERT INTO vessels (mmsi, first_seen, last_seen) VALUES ($1, $2, $2), ($3, $4, $4)',
      [A, lastSeen, B, new Date(lastSeen.getTime() - 3 * HOUR)], // B crossed it 3 h ago: already judged
    );
    // An open AIS gap of B, last judged an hour ago.
    const gapStart = lastSeen.getTime() - 3 * HOUR;
    await createAlertRepository(database.db).upsert([
      {
        type: 'ais_gap',
        key: `ais_gap:${B}:test`,
        status: 'ongoing',
        event: { profile: 'dark-default', detectorVersion: 'test' },
        mmsiA: B,
        mmsiB: null,
        vesselA: { mmsi: B },
        vesselB: null,
        start: gapStart,
        end: lastSeen.getTime(),
        centroid: { lon: LON, lat: LAT },
        inPort: false,
        closestM: null,
        medianM: null,
        medianSogA: null,
        medianSogB: null,
        score: 20,
        scoreFactors: [],
        watchlists: [],
        evidence: { marginS: 3600, trackA: [], trackB: null },
      },
    ]);
    await database.pool.query("UPDATE alerts SET updated_at = now() - interval '1 hour'");
    const producer = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
    const sweep = startCloseSweep({ database, producer, logger: quietLogger, windowMs, mergeGapMs: 4 * HOUR, everyMs: 60_000, gapThresholdsMs: [6 * HOUR, 12 * HOUR] });
    try {
      expect(await sweep.sweep()).toBe(2);
    } finally {
      await sweep.stop();
      await producer.close();
    }
    const queue = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
    const starts = (await queue.getJobs(['waiting', 'prioritized', 'delayed'])).map((j) => Date.parse(j.data.from)).sort((a, b) => a - b);
    await queue.close();
    const windowOf = (t: number) => Math.floor(t / windowMs) * windowMs;
    expect(starts).toEqual([windowOf(gapStart), windowOf(lastSeen.getTime())].sort((a, b) => a - b));
  });
});

