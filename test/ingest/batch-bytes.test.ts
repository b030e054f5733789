import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { ingestFiles } from '@rendezvous/ingest';
import { count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

/**
 * INGEST_BATCH_BYTES (issue 16): a batch also commits once the lines read for it reach a byte
 * bound, so long lines cannot make a batch, and the memory it holds, grow without bound while
 * INGEST_BATCH_SIZE counts observations only.
 */
const database = openTestDatabase(testConfig());
afterAll(() => database.close());
beforeEach(() => resetIngestTables(database));

const T0 = Date.UTC(2025, 3, 1);
async function nmeaFile(reports: number): Promise<{ file: string; bytes: number }> {
  const lines: string[] = [];
  for (let i = 0; i < reports; i++) {
    const msg = classAPosition({ mmsi: 219_000_000 + (i % 50), lon: 11 + i * 1e-4, lat: 55.5, sog: 8, cog: 90, heading: 90, second: i % 60, navStatus: 0 });
    lines.push(...toNmeaLines(msg, { timeMs: T0 + i * 1000, source: 'rx-bytes', millis: true }));
  }
  const text = lines.join('\n') + '\n';
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'rzv-bytes-')), 'in.nmea');
  await writeFile(file, text);
  return { file, bytes: Buffer.byteLength(text) };
}

describe('batches sized by bytes (INGEST_BATCH_BYTES)', () => {
  it('commits at the byte bound when the observation count is far off, and stores every report once', async () => {
    const { file, bytes } = await nmeaFile(6000);
    const config = testConfig({ INGEST_BATCH_SIZE: '1000000', INGEST_BATCH_BYTES: '65536' });
    const summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
    // The bound is checked after each read of the file (64 KiB), so a batch holds at most one read more.
    expect(summary.batches).toBeGreaterThanOrEqual(Math.floor(bytes / (2 * 65_536)));
    expect(summary.batches).toBeLessThanOrEqual(Math.ceil(bytes / 65_536));
    expect(summary.positionsStored).toBe(6000);
    expect(await count(database, 'SELECT count(*) AS n FROM positions')).toBe(6000);
    expect(await count(database, 'SELECT count(*) AS n FROM positions WHERE lines IS NOT NULL')).toBe(6000);
  });

  it('with the default bound, the same file is one batch', async () => {
    const { file, bytes } = await nmeaFile(6000);
    expect(bytes).toBeLessThan(8_388_608);
    const summary = await ingestFiles([file], { config: testConfig({ INGEST_BATCH_SIZE: '1000000' }), logger: quietLogger, database, detection: null });
    expect(summary.batches).toBe(1);
    expect(summary.positionsStored).toBe(6000);
  });
});
