import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { createRedis } from '@rendezvous/queue';
import { ROOT, openTestDatabase, quietLogger, resetDetection, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { waitFor } from '../support/wait.ts';

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
const A = 248000001;
const B = 248000002;

/** A and B alongside (≈110 m) from `meetStart` for `togetherMs`, then B steams away; 2-minute reports. */
function lines(meetStart: number, fromMs: number, toMs: number, togetherMs: number): string[] {
  const out: string[] = [];
  for (let t = fromMs; t <= toMs; t += 2 * MIN) {
    const apart = t > meetStart + togetherMs;
    const bLon = apart ? 14.5 + ((t - meetStart - togetherMs) / HOUR) * 0.25 : 14.5;
    out.push(...toNmeaLines(classAPosition({ mmsi: A, lon: 14.5, lat: 35.9, sog: 0.2 }), { timeMs: t, source: 'live' }));
    out.push(...toNmeaLines(classAPosition({ mmsi: B, lon: Math.round(bLon * 600000) / 600000, lat: 35.901, sog: apart ? 12 : 0.3 }), { timeMs: t, source: 'live' }));
  }
  return out;
}

describe('live detection', () => {
  it('an alert appears within seconds of the data that crosses the threshold (ongoing), then closes when the ships part', async () => {
    // Off Malta (an STS hub), in the recent past so the meeting is live-ish.
    const meetStart = Math.floor((Date.now() - 10 * HOUR) / (10 * MIN)) * 10 * MIN;
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const env = testEnv({ LOG_LEVEL: 'warn', INGEST_SOURCES: `tcp://127.0.0.1:${port}`, INGEST_FLUSH_MS: '200' });
    const services: ChildProcess[] = ['ingest', 'detector'].map((s) => spawn(process.execPath, [`services/${s}/src/main.ts`], { cwd: ROOT, env, stdio: 'ignore' }));
    try {
      const connected = await waitFor(async () => (sockets.length > 0 ? true : undefined), 20_000);
      expect(connected).toBe(true);
      // 2 h 30 min alongside: past the 2 h minimum.
      sockets[0]!.write(lines(meetStart, meetStart - HOUR, meetStart + 2.5 * HOUR, 6 * HOUR).join('\r\n') + '\r\n');
      const sentAt = Date.now();
      const ongoing = await waitFor(async () => {
        const { rows } = await database.pool.query('SELECT alert_key, status, end_at FROM alerts');
        return rows.length > 0 ? rows : undefined;
      }, 30_000);
      const latencyMs = Date.now() - sentAt;
      expect(ongoing).toHaveLength(1);
      expect(ongoing![0]).toMatchObject({ status: 'ongoing' });
      // The latency is printed, not asserted (the 30 s wait above only keeps a stuck pipeline from hanging the test).
      console.log(`live: alert ${ongoing![0].alert_key} appeared ${latencyMs} ms after the data was sent`);
      // The rest: alongside until 3 h, then B leaves and both keep reporting for 5 h.
      sockets[0]!.write(lines(meetStart, meetStart + 2.5 * HOUR + 2 * MIN, meetStart + 8 * HOUR, 3 * HOUR).join('\r\n') + '\r\n');
      const closed = await waitFor(async () => {
        const { rows } = await database.pool.query("SELECT alert_key, status, start_at, end_at FROM alerts WHERE status = 'closed'");
        return rows.length > 0 ? rows : undefined;
      }, 30_000);
      expect(closed).toHaveLength(1);
      expect(closed![0].alert_key).toBe(ongoing![0].alert_key); // the same alert grew and closed
      expect(closed![0].end_at.getTime()).toBeGreaterThan(ongoing![0].end_at.getTime());
      expect(Math.abs(closed![0].end_at.getTime() - (meetStart + 3 * HOUR))).toBeLessThanOrEqual(10 * MIN);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
      await Promise.all(services.map((c) => new Promise((r) => (c.on('exit', r), c.kill('SIGTERM')))));
    }
  }, 90_000);
});
