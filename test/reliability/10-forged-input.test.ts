// Issue 11 item 10: forged or flooding feed input must not freeze state or grow memory.
//  - Static reports (types 5, 19, 24) get the same time range check as positions: one report
//    stamped in 2100 must not become the vessel's "latest" identity for ever.
//  - The UDP queue is capped in bytes (INGEST_UDP_QUEUE_BYTES): beyond it datagrams are dropped and
//    counted (`udp_queue_full`) while the consumer is blocked; data before and after is kept.
//  - The vessels-seen metric holds a bounded structure, whatever the number of MMSIs.
//  - A flood of distinct past days cannot create partitions without bound: one batch creates at
//    most INGEST_MAX_DAYS_PER_BATCH new ones; positions on further new days are refused and counted
//    (`too_many_days`), and the rest of the batch is stored.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, staticVoyage, toNmeaLines, type EncodableMessage } from '@rendezvous/ais';
import type { Observation } from '@rendezvous/feeds';
import { ingestFiles, IngestMetrics, NmeaReader, udpSource, type LineBatch } from '@rendezvous/ingest';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const MMSI = 237200001;
const T0 = Date.UTC(2024, 2, 1, 12, 0, 0);
const YEAR_2100 = Date.UTC(2100, 0, 1);
const NOW = Date.UTC(2024, 2, 2);

const lines = (msg: EncodableMessage, timeMs: number, source = 'rx1') => toNmeaLines(msg, { timeMs, source });
const typeFive = (name: string) => staticVoyage({ mmsi: MMSI, name, callsign: 'SV1234', imo: 9187629, shipType: 80, dimBow: 100, dimStern: 50, dimPort: 10, dimStarboard: 10 });

function read(input: string[]): { out: Observation[]; metrics: IngestMetrics } {
  const metrics = new IngestMetrics();
  const reader = new NmeaReader(metrics, () => NOW);
  const out: Observation[] = [];
  for (const line of input) reader.push(line, NOW, out);
  reader.finish();
  return { out, metrics };
}

describe('static reports: time range', () => {
  it.each([
    ['type 5 in 2100', () => lines(typeFive('FORGED'), YEAR_2100)],
    ['type 5 in 1990 (before AIS)', () => lines(typeFive('FORGED'), Date.UTC(1990, 0, 1))],
    ['type 24 part A in 2100', () => lines({ type: 24, repeat: 0, mmsi: MMSI, partNumber: 0, name: 'FORGED' }, YEAR_2100)],
    [
      'type 24 part B in 2100',
      () =>
        lines(
          { type: 24, repeat: 0, mmsi: MMSI, partNumber: 1, shipType: 80, vendorId: 'ABC', model: 1, serial: 1, callsign: 'FORGED', dimBow: 1, dimStern: 1, dimPort: 1, dimStarboard: 1, mothershipMmsi: null },
          YEAR_2100,
        ),
    ],
  ])('%s is rejected as time_out_of_range and yields no identity', (_label, make) => {
    const { out, metrics } = read(make());
    expect(metrics.messagesByType.size).toBe(1); // it decoded: the rejection is the time, not the encoding
    expect(out).toEqual([]);
    expect(metrics.rejections.get('time_out_of_range')).toBe(1);
  });

  it('type 19 in 2100: neither its position nor its identity is taken, one rejection', () => {
    const msg: EncodableMessage = {
      type: 19, repeat: 0, mmsi: MMSI, sog: 0.1, accuracy: false, lon: 23.6, lat: 37.9, cog: 10, heading: 10, second: 0,
      name: 'FORGED', shipType: 80, dimBow: 10, dimStern: 10, dimPort: 2, dimStarboard: 2, epfd: 1, raim: false, dte: 0, assigned: false,
    };
    const { out, metrics } = read(lines(msg, YEAR_2100));
    expect(metrics.messagesByType.get(19)).toBe(1);
    expect(out).toEqual([]);
    expect(metrics.rejections.get('time_out_of_range')).toBe(1);
  });

  it('a static report inside the range is still taken', () => {
    const { out, metrics } = read(lines(typeFive('HONEST'), T0));
    expect(out).toMatchObject([{ kind: 'static', mmsi: MMSI, name: 'HONEST', ts: T0 }]);
    expect(metrics.rejections.size).toBe(0);
  });
});

describe('static reports end to end', () => {
  const config = testConfig();
  const database = openTestDatabase(config);
  afterAll(() => database.close());
  beforeEach(() => resetIngestTables(database));

  it("a type 5 stamped in 2100 is rejected and counted, and the vessel's later real identity still applies", async () => {
    const input = [
      ...lines(classAPosition({ mmsi: MMSI, lon: 23.6, lat: 37.9, second: 0 }), T0),
      ...lines(typeFive('FIRST NAME'), T0 + 60_000),
      ...lines(typeFive('FROZEN FOREVER'), YEAR_2100),
      ...lines(typeFive('RENAMED LATER'), T0 + 3_600_000),
    ];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-rel10-'));
    const file = path.join(dir, 'forged.nmea');
    await writeFile(file, input.join('\n') + '\n');
    const summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
    expect(summary.rejections['time_out_of_range']).toBe(1);
    expect(summary.staticReports).toBe(2);
    const { rows } = await database.pool.query('SELECT name, identity_at FROM vessels WHERE mmsi = $1', [MMSI]);
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe('RENAMED LATER');
    expect(new Date(rows[0].identity_at).getTime()).toBe(T0 + 3_600_000);
    const history = await database.pool.query("SELECT value FROM vessel_identity_history WHERE mmsi = $1 AND field = 'name' ORDER BY first_seen", [MMSI]);
    expect(history.rows.map((r) => r.value)).toEqual(['FIRST NAME', 'RENAMED LATER']);
  });
});

describe('UDP queue capped in bytes', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  const send = (s: Socket, port: number, payload: string) =>
    new Promise<void>((resolve, reject) => s.send(payload, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));

  it('drops and counts datagrams beyond the cap while the consumer is blocked; keeps what came before and after', async () => {
    const CAP = 64 * 1024;
    const ac = new AbortController();
    cleanup.push(() => ac.abort());
    let resolveAddress: (a: AddressInfo) => void = () => {};
    const bound = new Promise<AddressInfo>((r) => (resolveAddress = r));
    const source = udpSource({ host: '127.0.0.1', port: 0, maxQueuedBytes: CAP, onListening: resolveAddress });
    const it = source.lines(ac.signal)[Symbol.asyncIterator]();
    const first = it.next();
    const { port } = await bound;
    const sender = createSocket('udp4');
    cleanup.push(() => sender.close());
    const line = (tag: string, i: number) => `${tag}-${String(i).padStart(6, '0')}-${'x'.repeat(480)}`; // ~500 bytes

    // Before: one datagram, taken by the consumer.
    await send(sender, port, line('before', 0));
    expect((await first).value?.lines).toEqual([line('before', 0)]);

    // Blocked consumer (nobody pulls): 2,000 datagrams of ~500 bytes, 1 MB against a 64 KiB cap.
    const FLOOD = 2000;
    for (let i = 0; i < FLOOD; i++) {
      await send(sender, port, line('flood', i));
      if (i % 20 === 19) await new Promise((r) => setImmediate(r)); // let the socket read, so the kernel buffer never overflows
    }
    for (let waited = 0; source.stats().datagrams < FLOOD + 1 && waited < 400; waited++) await sleep(10);
    const stats = source.stats();
    expect(stats.datagrams).toBe(FLOOD + 1);
    expect(stats.queuedBytes).toBeLessThanOrEqual(CAP);
    expect(stats.queuedBytesMax).toBeLessThanOrEqual(CAP);
    expect(stats.dropped.udp_queue_full).toBeGreaterThan(FLOOD / 2);

    // Unblock: what was queued comes out in order, then data sent after the flood.
    const got: string[] = [];
    while (got.length + source.stats().dropped.udp_queue_full < FLOOD) got.push(...((await it.next()).value as LineBatch).lines);
    expect(got.length).toBeGreaterThan(0);
    expect(got.reduce((bytes, l) => bytes + l.length, 0)).toBeLessThanOrEqual(CAP);
    expect(got).toEqual([...got].sort());
    expect(got.length + source.stats().dropped.udp_queue_full).toBe(FLOOD);
    await send(sender, port, line('after', 0));
    expect((await it.next()).value?.lines).toEqual([line('after', 0)]);
    ac.abort();
    await it.next();
  });
});

describe('vessels-seen metric is bounded', () => {
  it('holds a fixed-size structure with millions of MMSIs; exact for a few, within 2 % for millions', () => {
    const small = new IngestMetrics();
    for (let r = 0; r < 3; r++) for (let i = 0; i < 1719; i++) small.vessels.add(219_000_000 + i);
    expect(small.snapshot().vesselsSeen).toBe(1719);

    const m = new IngestMetrics();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) m.vessels.add(200_000_000 + i * 37);
    const bytesAtOneMillion = m.vessels.memoryBytes;
    for (let i = 1_000_000; i < 3_000_000; i++) m.vessels.add(200_000_000 + i * 37);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    // The structure reports its own size, and it does not grow between 1 and 3 million MMSIs.
    expect(m.vessels.memoryBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(m.vessels.memoryBytes).toBe(bytesAtOneMillion);
    // Independent of what it reports: a Set of 3 million numbers takes about 170 MB of heap.
    expect(heapGrowth).toBeLessThan(32 * 1024 * 1024);
    const seen = m.snapshot().vesselsSeen;
    expect(Math.abs(seen - 3_000_000) / 3_000_000).toBeLessThan(0.02);
  });
});

describe('partitions per batch are capped', () => {
  const config = testConfig({ INGEST_MAX_DAYS_PER_BATCH: '5', INGEST_BATCH_SIZE: '1000' });
  const database = openTestDatabase(config);
  afterAll(() => database.close());
  // 20 days of 2003 that no other test uses; their partitions are dropped first, so each run
  // starts with none of them.
  const days = Array.from({ length: 20 }, (_, i) => Date.UTC(2003, 6, 1 + i));
  const partition = (day: number) => `positions_${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;

  it('one batch spanning 20 new days creates 5 partitions; the other days are refused and counted, the rest stored', async () => {
    await resetIngestTables(database);
    for (const d of days) await database.pool.query(`DROP TABLE IF EXISTS ${partition(d)}`);
    // Day i has 20 + i reports, so the five kept are the five busiest (days 15–19).
    const input: string[] = [];
    days.forEach((day, i) => {
      for (let k = 0; k < 20 + i; k++) {
        input.push(...lines(classAPosition({ mmsi: 237300000 + i, lon: 4 + k * 0.001, lat: 52, sog: 3, second: k % 60 }), day + 3_600_000 + k * 60_000));
      }
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-days-'));
    const file = path.join(dir, 'days.nmea');
    await writeFile(file, input.join('\n') + '\n');
    const summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
    const kept = days.slice(15).reduce((n, _, j) => n + 20 + 15 + j, 0);
    expect(summary.positionsStored).toBe(kept);
    expect(summary.rejections['too_many_days']).toBe(input.length - kept);
    const { rows } = await database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_class WHERE relname = ANY($1::text[])',
      [days.map(partition)],
    );
    expect(rows[0]!.n).toBe(5);
  });
});
