import { afterAll, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { createDatabase } from '@rendezvous/db';
import { createPipeline, IngestMetrics, NmeaReader } from '@rendezvous/ingest';
import { count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const config = testConfig({ INGEST_BATCH_SIZE: '200', INGEST_FLUSH_MS: '50' });
const direct = openTestDatabase(config);
const target = new URL(config.db.url);
const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
afterAll(async () => {
  await proxy.stop();
  await direct.close();
});

const MMSI = 237000009;
const TOTAL = 3000;
const T0 = Date.UTC(2023, 5, 1);

describe('PostgreSQL outage mid-stream', () => {
  it('pauses ingest and resumes without losing or duplicating a position', async () => {
    await resetIngestTables(direct);
    const port = await proxy.start();
    const viaProxy = new URL(config.db.url);
    viaProxy.port = String(port);
    const database = createDatabase({ url: viaProxy.toString(), poolMax: 2 }, quietLogger);
    const metrics = new IngestMetrics();
    const { pipeline, store } = createPipeline({ config, logger: quietLogger, database, detection: null }, metrics);

    let cut = false;
    let restored = false;
    async function* feed() {
      for (let i = 0; i < TOTAL; i += 100) {
        const lines: string[] = [];
        for (let j = i; j < i + 100; j++) {
          lines.push(...toNmeaLines(classAPosition({ mmsi: MMSI, lon: 5 + j * 1e-4, lat: 55, sog: 0.5, second: j % 60 }), { timeMs: T0 + j * 10_000 }));
        }
        yield { lines, receivedAtMs: Date.now() };
        if (!cut && (await count(direct, 'SELECT count(*) AS n FROM positions')) >= 400) {
          cut = true;
          await proxy.cut();
          // Restore after a while, from outside the pipeline (as an operator would).
          setTimeout(() => void proxy.restore().then(() => (restored = true)), 1500);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    await pipeline.consume(feed(), new NmeaReader(metrics));
    await store.close();
    await database.close();

    expect(cut).toBe(true);
    expect(restored).toBe(true);
    expect(metrics.batchRetries).toBeGreaterThan(0);
    expect(await count(direct, 'SELECT count(*) AS n FROM positions WHERE mmsi = $1', [MMSI])).toBe(TOTAL);
    expect(await count(direct, 'SELECT count(DISTINCT ts) AS n FROM positions WHERE mmsi = $1', [MMSI])).toBe(TOTAL);
    // Every report accepted once; a commit whose acknowledgement was lost with the connection is
    // retried and finds its rows already there (counted as already stored, not stored twice).
    expect(metrics.positionsAccepted).toBe(TOTAL);
    expect(metrics.positionsStored).toBeLessThanOrEqual(TOTAL);
  });
});
