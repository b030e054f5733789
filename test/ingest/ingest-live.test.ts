import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, toNmeaLines } from '@rendezvous/ais';
import { ROOT, count, openTestDatabase, resetIngestTables, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { waitFor } from '../support/wait.ts';

const database = openTestDatabase(testConfig());
afterAll(() => database.close());
beforeEach(() => resetIngestTables(database));

const T0 = Date.UTC(2025, 3, 2, 12);
const lines = (mmsi: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    toNmeaLines(classAPosition({ mmsi, lon: 10 + i * 1e-3, lat: 57, sog: 0.4, second: i % 60 }), { timeMs: T0 + i * 5000, source: 'live' }),
  ).flat();

function startIngest(sources: string) {
  const child = spawn(process.execPath, ['services/ingest/src/main.ts'], {
    cwd: ROOT,
    env: testEnv({ INGEST_SOURCES: sources, INGEST_FLUSH_MS: '100', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('ingest service with live sources (INGEST_SOURCES)', () => {
  it('reads a TCP feed whose sentences are split across writes and whose connection drops, storing every report once', async () => {
    const mmsi = 211000001;
    const all = lines(mmsi, 200);
    const text = all.join('\r\n') + '\r\n';
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      // First connection: first half of the feed in awkward 7-byte pieces, then drop mid-line.
      // Second connection: the whole feed again (a receiver replaying its buffer).
      const payload = connections === 1 ? text.slice(0, Math.floor(text.length / 2)) : text;
      let offset = 0;
      const tick = setInterval(() => {
        if (offset >= payload.length) {
          clearInterval(tick);
          if (connections === 1) socket.destroy();
          return;
        }
        socket.write(payload.slice(offset, offset + 700));
        offset += 700;
      }, 5);
      socket.on('error', () => clearInterval(tick));
      socket.on('close', () => clearInterval(tick));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const ingest = startIngest(`tcp://127.0.0.1:${port}`);
    try {
      const ok = await waitFor(async () => (await count(database, 'SELECT count(*) AS n FROM positions WHERE mmsi = $1', [mmsi])) === 200, 30_000);
      expect(ok, ingest.output()).toBe(true);
      expect(connections).toBeGreaterThanOrEqual(2);
      expect(await count(database, 'SELECT count(DISTINCT ts) AS n FROM positions WHERE mmsi = $1', [mmsi])).toBe(200);
    } finally {
      ingest.child.kill('SIGTERM');
      expect(await ingest.exited).toBe(0);
      server.close();
    }
  });

  it('listens for UDP datagrams carrying several sentences each', async () => {
    const mmsi = 211000002;
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const ingest = startIngest(`udp://127.0.0.1:${port}`);
    const sender = dgram.createSocket('udp4');
    try {
      // Logged once the socket is bound: datagrams sent from then on are received.
      const listening = await waitFor(async () => /listening for UDP feed/.test(ingest.output()), 20_000);
      expect(listening, ingest.output()).toBe(true);
      const all = lines(mmsi, 60);
      for (let i = 0; i < all.length; i += 3) {
        await new Promise<void>((resolve, reject) => sender.send(all.slice(i, i + 3).join('\n') + '\n', port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      }
      const ok = await waitFor(async () => (await count(database, 'SELECT count(*) AS n FROM positions WHERE mmsi = $1', [mmsi])) === 60, 20_000);
      expect(ok, ingest.output()).toBe(true);
    } finally {
      sender.close();
      ingest.child.kill('SIGTERM');
      expect(await ingest.exited).toBe(0);
    }
  });
});
