// Issue 11 item 3: the receiver-duplicate filter must drop only copies of one transmission.
// An AIS position payload carries the UTC second of the minute, not the minute (ITU-R M.1371-5,
// message 1 "Time stamp"), so a moored ship's unchanged report one minute later is bit-for-bit the
// same payload. Copies of one transmission heard by several receivers are stamped within seconds
// of each other; the filter treats payloads stamped less than 30 s apart as copies, and decides by
// the stamped (feed) time, never by when the line happened to be read.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import type { Observation } from '@rendezvous/feeds';
import { ingestFiles, IngestMetrics, NmeaReader } from '@rendezvous/ingest';
import { count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const T0 = Date.UTC(2024, 2, 1, 12, 0, 7); // second 7 of a minute, as the payload says
const MOORED = { mmsi: 237100001, lon: 23.6123, lat: 37.9401, sog: 0, cog: 0, heading: 210, navStatus: 5, second: 7 };

/** One report of the moored ship, heard by `source` and stamped `atMs` (TAG block c:, ms). */
const heard = (atMs: number, source: string, fields: Partial<typeof MOORED> = {}): string[] =>
  toNmeaLines(classAPosition({ ...MOORED, ...fields }), { timeMs: atMs, source, millis: true });

/** Feeds lines as one read chunk (or chunk by chunk), with a wall clock that has nothing to do with the stamps. */
function read(chunks: string[][], wallClockMs = Date.UTC(2031, 5, 1)): { out: Observation[]; metrics: IngestMetrics } {
  const metrics = new IngestMetrics();
  const reader = new NmeaReader(metrics, () => wallClockMs);
  const out: Observation[] = [];
  for (const chunk of chunks) for (const line of chunk) reader.push(line, wallClockMs, out);
  reader.finish();
  return { out, metrics };
}

const positionTimes = (out: Observation[]) => out.filter((o) => o.kind === 'position').map((o) => o.ts);

describe('receiver duplicates: the same payload by stamped time', () => {
  it.each([
    [59_000, false],
    [60_000, false],
    [61_000, false],
    [29_000, true],
    [31_000, false],
    [0, true],
    [5_000, true],
  ])('an identical payload stamped %i ms after the first is a copy: %s', (deltaMs, isCopy) => {
    const { out, metrics } = read([[...heard(T0, 'rx1'), ...heard(T0 + deltaMs, 'rx1')]]);
    expect(positionTimes(out)).toEqual(isCopy ? [T0] : [T0, T0 + deltaMs]);
    expect(metrics.receiverDuplicates).toBe(isCopy ? 1 : 0);
  });

  it('a copy stamped earlier than the first sighting (a receiver with a slow clock) is still a copy', () => {
    const { out, metrics } = read([[...heard(T0, 'rx1'), ...heard(T0 - 3_000, 'rx2')]]);
    expect(positionTimes(out)).toEqual([T0]);
    expect(metrics.receiverDuplicates).toBe(1);
  });

  it('several receivers, a moored ship repeating every minute: one report a minute, each copy dropped', () => {
    // Three receivers hear every transmission; their stamps lag by 0, 1.2 and 4.5 s; their lines
    // interleave as an aggregator would forward them.
    const lines: string[] = [];
    const minutes = 30;
    for (let m = 0; m < minutes; m++) {
      const t = T0 + m * 60_000;
      lines.push(...heard(t + 1_200, 'rx2'), ...heard(t, 'rx1'), ...heard(t + 4_500, 'rx3'));
    }
    const { out, metrics } = read([lines]);
    expect(positionTimes(out)).toEqual(Array.from({ length: minutes }, (_, m) => T0 + m * 60_000 + 1_200));
    expect(metrics.receiverDuplicates).toBe(minutes * 2);
  });

  it('a replayed archive (wall clock years after the stamps, every line read in one burst) keeps every minute', () => {
    const lines: string[] = [];
    for (let m = 0; m < 10; m++) lines.push(...heard(T0 + m * 60_000, 'rx1'), ...heard(T0 + m * 60_000 + 2_000, 'rx2'));
    // The whole capture arrives in one chunk, so every line has the same receive time.
    const { out, metrics } = read([lines], Date.UTC(2031, 0, 1));
    expect(positionTimes(out)).toEqual(Array.from({ length: 10 }, (_, m) => T0 + m * 60_000));
    expect(metrics.receiverDuplicates).toBe(10);
  });
});

describe('receiver duplicates end to end', () => {
  const config = testConfig();
  const database = openTestDatabase(config);
  afterAll(() => database.close());
  beforeEach(() => resetIngestTables(database));

  it('every distinct report of moored and moving ships is stored; only receiver copies are dropped', async () => {
    const lines: string[] = [];
    let distinct = 0;
    const mmsis = [237100001, 237100002, 237100003, 237100004];
    for (let m = 0; m < 20; m++) {
      for (const [k, mmsi] of mmsis.entries()) {
        const t = T0 + m * 60_000 + k * 1_000;
        // Two ships moored (identical payload every minute), two moving slowly.
        const fields = k < 2 ? { mmsi, second: (7 + k) % 60 } : { mmsi, second: (7 + k) % 60, lon: MOORED.lon + m * 0.0005 };
        lines.push(...heard(t, 'rx1', fields), ...heard(t + 800, 'rx2', fields));
        if (m % 3 === 0) lines.push(...heard(t + 2_500, 'rx3', fields)); // a third receiver now and then
        distinct++;
      }
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-rel03-'));
    const file = path.join(dir, 'moored.nmea');
    await writeFile(file, lines.join('\n') + '\n');
    const summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
    expect(summary.positionsStored).toBe(distinct);
    expect(summary.receiverDuplicates).toBe(lines.length - distinct);
    expect(await count(database, 'SELECT count(*) AS n FROM positions WHERE mmsi = ANY($1::int[])', [mmsis])).toBe(distinct);
    for (const mmsi of mmsis) {
      expect(await count(database, 'SELECT count(*) AS n FROM positions WHERE mmsi = $1', [mmsi])).toBe(20);
    }
  });
});
