import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import { ingestFiles } from '@rendezvous/ingest';
import { createProducer, createRedis } from '@rendezvous/queue';
import { Queue } from 'bullmq';
import {
  HAS_SHARED_DATA,
  ROOT,
  SHARED_DATA,
  count,
  openTestDatabase,
  quietLogger,
  resetIngestTables,
  testConfig,
} from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { rootRng } from '../../packages/simulator/src/prng.ts';

const config = testConfig();
const database = openTestDatabase(config);
afterAll(() => database.close());
beforeEach(() => resetIngestTables(database));
const ingest = (files: string[]) => ingestFiles(files, { config, logger: quietLogger, database, detection: null });

const T0 = Date.UTC(2024, 2, 1, 22, 0, 0);
/** Own fixture: `n` Class A reports of vessel `mmsi`, one a minute from T0, as TAG-stamped NMEA. */
function track(mmsi: number, n: number, start = T0, stepMs = 60_000): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const msg = classAPosition({ mmsi, lon: 24.1 + i * 0.001, lat: 36.5, sog: 1.2, cog: 90, heading: 90, second: i % 60 });
    lines.push(...toNmeaLines(msg, { timeMs: start + i * stepMs, source: 'fixture' }));
  }
  return lines;
}

async function tempFile(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-ingest-'));
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

const FIXTURE_MMSIS = [237000001, 237000002, 237000003];

describe('ingest of own fixtures', () => {
  it('bad input (broken GFW samples, random bytes, truncated and oversized lines) is counted by reason; every good line around it is stored', async () => {
    const good = FIXTURE_MMSIS.map((m) => track(m, 40));
    // Seeded: the same garbage on every run (an unseeded draw once gave exactly 20 sentence errors).
    const rng = rootRng(0x5eed);
    const rand = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(rng.next() * 256))).join('');
    let broken: string[] = [];
    if (HAS_SHARED_DATA) {
      const dir = path.join(SHARED_DATA, 'nmea-gfw-ais-tools');
      for (const f of await readdir(dir)) broken.push(...(await readFile(path.join(dir, f), 'latin1')).split('\n'));
    }
    broken = broken.concat(
      Array.from({ length: 50 }, () => rand(80).replace(/[\r\n]/g, ' ')),
      good[0]!.slice(0, 20).map((l) => l.slice(0, Math.floor(l.length / 2))), // truncated mid-sentence
      ['!AIVDM,1,1,,A,' + '1'.repeat(1500) + ',0*00', 'x'.repeat(5000)], // over 1 KB
    );
    // Interleave: good, garbage, good, garbage…
    const lines: string[] = [];
    const goodLines = good.flat();
    for (let i = 0; i < Math.max(goodLines.length, broken.length); i++) {
      if (i < goodLines.length) lines.push(goodLines[i]!);
      if (i < broken.length) lines.push(broken[i]!);
    }
    const file = await tempFile('mixed.nmea', lines.join('\n') + '\n');
    const summary = await ingest([file]);

    const stored = await count(database, 'SELECT count(*) AS n FROM positions WHERE mmsi = ANY($1::int[])', [FIXTURE_MMSIS]);
    expect(stored).toBe(120);
    expect(summary.rejections['line_too_long']).toBeGreaterThanOrEqual(2);
    // At least the 20 truncated sentences; random lines mostly fail earlier (not NMEA at all).
    expect((summary.rejections['malformed_sentence'] ?? 0) + (summary.rejections['no_checksum'] ?? 0) + (summary.rejections['checksum'] ?? 0)).toBeGreaterThanOrEqual(20);
    expect(summary.rejected).toBeGreaterThanOrEqual(50);
    expect(summary.linesRead).toBe(lines.length);
  });

  it('gzip and plain files of the same content store the same; a timestamped file ingested twice adds nothing', async () => {
    const content = track(FIXTURE_MMSIS[0]!, 30).join('\n') + '\n';
    const plain = await tempFile('a.nmea', content);
    const gz = await tempFile('a.txt', gzipSync(content)); // detected by content, not by name
    const first = await ingest([plain]);
    expect(first.positionsStored).toBe(30);
    const second = await ingest([gz]);
    expect(second.positionsStored).toBe(0);
    expect(second.positionsAlreadyStored).toBe(30);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(30);
  });

  it('lines without any timestamp take the receive time; stamped ones keep theirs', async () => {
    const stamped = track(FIXTURE_MMSIS[0]!, 5);
    const bare = track(FIXTURE_MMSIS[1]!, 5).map((l) => l.replace(/^\\[^\\]*\\/, ''));
    const file = await tempFile('mixed-time.nmea', [...stamped, ...bare].join('\n') + '\n');
    const before = Date.now();
    await ingest([file]);
    const rows = await database.pool.query<{ mmsi: number; lo: Date; hi: Date; n: number }>(
      'SELECT mmsi, min(ts) AS lo, max(ts) AS hi, count(*)::int AS n FROM positions GROUP BY mmsi ORDER BY mmsi',
    );
    expect(rows.rows.map((r) => r.n)).toEqual([5, 5]);
    expect(rows.rows[0]!.lo.getTime()).toBe(T0);
    expect(rows.rows[1]!.lo.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows.rows[1]!.hi.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('keeps identity from type 5 and records each change with the time it was first seen', async () => {
    const mmsi = FIXTURE_MMSIS[2]!;
    const reports = [
      { t: T0, name: 'OLD NAME', callsign: 'ABC1' },
      { t: T0 + 3_600_000, name: 'NEW NAME', callsign: 'ABC1' },
    ];
    const lines = [
      ...track(mmsi, 3),
      ...reports.flatMap((r, i) =>
        toNmeaLines(staticVoyage({ mmsi, imo: 9074729, name: r.name, callsign: r.callsign, shipType: 80, dimBow: 100, dimStern: 50, dimPort: 10, dimStarboard: 12, draught: 9.5 }), {
          timeMs: r.t,
          source: 'fixture',
          seqId: i + 1,
        }),
      ),
    ];
    // Deliver the newer report first: the current identity must still be the newer one.
    const file = await tempFile('static.nmea', [...lines.slice(0, 3), ...lines.slice(5), ...lines.slice(3, 5)].join('\n') + '\n');
    await ingest([file]);
    const { rows } = await database.pool.query('SELECT name, callsign, imo, ship_type, length, width, draught, flag FROM vessels WHERE mmsi = $1', [mmsi]);
    expect(rows[0]).toEqual({ name: 'NEW NAME', callsign: 'ABC1', imo: 9074729, ship_type: 80, length: 150, width: 22, draught: 9.5, flag: 'GR' });
    const history = await database.pool.query(
      "SELECT field, value, first_seen FROM vessel_identity_history WHERE mmsi = $1 AND field IN ('name','callsign') ORDER BY first_seen, field",
      [mmsi],
    );
    expect(history.rows.map((r) => [r.field, r.value, r.first_seen.getTime()])).toEqual([
      ['callsign', 'ABC1', T0],
      ['name', 'OLD NAME', T0],
      ['name', 'NEW NAME', T0 + 3_600_000],
    ]);
  });

  it('stores an invalid MMSI flagged, not dropped', async () => {
    const file = await tempFile('bad-mmsi.nmea', track(12345, 4).join('\n') + '\n');
    await ingest([file]);
    const { rows } = await database.pool.query('SELECT mmsi_invalid, flag FROM vessels WHERE mmsi = 12345');
    expect(rows).toEqual([{ mmsi_invalid: true, flag: null }]);
    expect(await count(database, 'SELECT count(*) AS n FROM positions WHERE mmsi = 12345')).toBe(4);
  });

  it('enqueues one coalesced detection job per time window touched', async () => {
    const redis = createRedis(config.redis, quietLogger, 'producer');
    const detection = createProducer('detection', { connection: redis, prefix: config.redis.prefix });
    const queue = new Queue('detection', { connection: redis, prefix: config.redis.prefix });
    try {
      await queue.obliterate({ force: true });
      // 3 hours of data from 22:00 → windows 22:00, 23:00, 00:00; ingested twice.
      const file = await tempFile('windows.nmea', track(FIXTURE_MMSIS[0]!, 180).join('\n') + '\n');
      for (let i = 0; i < 2; i++) await ingestFiles([file], { config, logger: quietLogger, database, detection });
      const jobs = await queue.getJobs(['waiting', 'delayed', 'active']);
      expect(jobs.map((j) => j.data.from).sort()).toEqual([
        '2024-03-01T22:00:00.000Z',
        '2024-03-01T23:00:00.000Z',
        '2024-03-02T00:00:00.000Z',
      ]);
      expect(jobs.every((j) => j.name === 'detect-window' && j.data.reason === 'ingest')).toBe(true);
      expect(jobs.map((j) => j.opts.deduplication?.id).sort()).toEqual(jobs.map((j) => `detect-window:${j.data.from}`).sort());
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await detection.close();
      redis.disconnect();
    }
  });

  it('`npm run cli -- ingest <files>` prints a JSON summary of what it read, stored and rejected', async () => {
    const file = await tempFile('cli.nmea', [...track(FIXTURE_MMSIS[0]!, 10), 'garbage line', '!AIVDM,1,1,,A,bad*00'].join('\n') + '\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['services/cli/src/main.ts', 'ingest', '--no-detect', file], {
      cwd: ROOT,
      env: testEnv(),
    });
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      linesRead: 12,
      messagesByType: { 1: 10 },
      positionsStored: 10,
      vesselsSeen: 1,
      files: [{ path: file, format: 'nmea' }],
    });
    expect(summary.rejected).toBe(2);
    expect(Object.keys(summary.rejections).length).toBeGreaterThan(0);
  });
});
