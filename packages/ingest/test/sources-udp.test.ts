import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '@rendezvous/errors';
import type { LineBatch } from '../src/sources/line-source.ts';
import { udpSource } from '../src/sources/udp-source.ts';

const HOST = '127.0.0.1';
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function sender(): Socket {
  const s = createSocket('udp4');
  cleanup.push(() => s.close());
  return s;
}

function send(s: Socket, port: number, payload: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => s.send(payload, port, HOST, (err) => (err ? reject(err) : resolve())));
}

/** Binds `port` once the source has let it go (polls while it is still in use), then frees it again. */
async function bindWhenFree(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const again = createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        again.once('error', reject);
        again.bind(port, HOST, resolve);
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) throw err;
      await sleep(5);
    } finally {
      again.close();
    }
  }
}

/** Starts a UDP source on a free loopback port; resolves once it is bound. */
async function start(options: { maxQueuedLines?: number; batchLines?: number } = {}) {
  const ac = new AbortController();
  cleanup.push(() => ac.abort());
  let resolveAddress: (a: AddressInfo) => void = () => {};
  const bound = new Promise<AddressInfo>((r) => (resolveAddress = r));
  const source = udpSource({ host: HOST, port: 0, ...options, onListening: resolveAddress });
  const it = source.lines(ac.signal)[Symbol.asyncIterator]();
  const batches: LineBatch[] = [];
  let pump: Promise<void> | null = null;
  const startPump = () =>
    (pump ??= (async () => {
      for (;;) {
        const r = await it.next();
        if (r.done === true) return;
        batches.push(r.value);
      }
    })());
  // The generator runs (and binds) only once pulled.
  startPump();
  const { port } = await bound;
  const lines = () => batches.flatMap((b) => b.lines);
  async function until(n: number): Promise<void> {
    const deadline = Date.now() + 5000;
    while (lines().length < n && Date.now() < deadline) await sleep(5);
    expect(lines()).toHaveLength(n);
  }
  return { source, port, ac, batches, lines, until, done: () => pump! };
}

describe('udpSource', () => {
  it('yields every line of datagrams holding several lines, with or without a final terminator', async () => {
    const u = await start();
    const s = sender();
    await send(s, u.port, '!AIVDM,a\r\n!AIVDM,b\r\n');
    await send(s, u.port, '!AIVDM,c\n!AIVDM,d'); // last line unterminated: complete anyway
    await send(s, u.port, Buffer.from('!AIVDM,e\r!AIVDM,f\n\n'));
    await send(s, u.port, 'tail-only-'); // must not be glued to the next datagram
    await send(s, u.port, 'g\n');
    await u.until(8);
    expect(u.lines()).toEqual(['!AIVDM,a', '!AIVDM,b', '!AIVDM,c', '!AIVDM,d', '!AIVDM,e', '!AIVDM,f', 'tail-only-', 'g']);
    const stats = u.source.stats();
    expect(stats).toMatchObject({ state: 'listening', datagrams: 5, lines: 8, emptyLines: 1 });
    expect(u.source.name).toBe(`udp://${HOST}:0`);
    u.ac.abort();
    await u.done();
    expect(u.source.stats().state).toBe('stopped');
  });

  it('merges datagrams that arrive while the consumer is busy into batches of up to batchLines', async () => {
    const ac = new AbortController();
    cleanup.push(() => ac.abort());
    let resolvePort: (p: number) => void = () => {};
    const portP = new Promise<number>((r) => (resolvePort = r));
    const source = udpSource({ host: HOST, port: 0, batchLines: 10, onListening: (a) => resolvePort(a.port) });
    const it = source.lines(ac.signal)[Symbol.asyncIterator]();
    const first = it.next(); // binds, then waits for data
    const port = await portP;
    const s = sender();
    for (let i = 0; i < 25; i++) await send(s, port, `l${i}a\nl${i}b\n`);
    // Everything has arrived before the consumer pulls again (the first pull took datagram 0).
    const deadline = Date.now() + 5000;
    while (source.stats().datagrams < 25 && Date.now() < deadline) await sleep(5);
    const batches: LineBatch[] = [(await first).value as LineBatch];
    while (batches.reduce((n, b) => n + b.lines.length, 0) < 50) batches.push((await it.next()).value as LineBatch);
    expect(batches.flatMap((b) => b.lines)).toEqual(Array.from({ length: 25 }, (_, i) => [`l${i}a`, `l${i}b`]).flat());
    expect(batches.map((b) => b.lines.length)).toEqual([2, 10, 10, 10, 10, 8]);
    ac.abort();
    expect((await it.next()).done).toBe(true);
  });

  it('drops and counts lines beyond maxQueuedLines when the consumer does not keep up', async () => {
    const ac = new AbortController();
    cleanup.push(() => ac.abort());
    let resolvePort: (p: number) => void = () => {};
    const portP = new Promise<number>((r) => (resolvePort = r));
    const source = udpSource({ host: HOST, port: 0, maxQueuedLines: 5, onListening: (a) => resolvePort(a.port) });
    const it = source.lines(ac.signal)[Symbol.asyncIterator]();
    const first = it.next();
    const port = await portP;
    const s = sender();
    for (let i = 0; i < 8; i++) await send(s, port, `line${i}\n`);
    // Let all datagrams arrive while nobody consumes beyond the first.
    const deadline = Date.now() + 5000;
    while (source.stats().datagrams < 8 && Date.now() < deadline) await sleep(5);
    const got = [...((await first).value as LineBatch).lines];
    while (got.length + source.stats().dropped.queue_overflow_dropped < 8) got.push(...((await it.next()).value as LineBatch).lines);
    expect(got.length).toBeGreaterThanOrEqual(5);
    expect(got.length + source.stats().dropped.queue_overflow_dropped).toBe(8);
    expect(source.stats().dropped.queue_overflow_dropped).toBeGreaterThan(0);
    ac.abort();
    await it.next();
  });

  it('releases the port on abort even when the consumer is not pulling', async () => {
    const ac = new AbortController();
    let resolvePort: (p: number) => void = () => {};
    const portP = new Promise<number>((r) => (resolvePort = r));
    const source = udpSource({ host: HOST, port: 0, onListening: (a) => resolvePort(a.port) });
    const it = source.lines(ac.signal)[Symbol.asyncIterator]();
    const first = it.next();
    const port = await portP;
    const s = sender();
    await send(s, port, 'x\n');
    expect(((await first).value as LineBatch).lines).toEqual(['x']);
    ac.abort(); // the generator is suspended at its yield; nobody calls next()
    await bindWhenFree(port);
    expect((await it.next()).done).toBe(true);
  });

  it('stops promptly on abort while waiting and frees the port', async () => {
    const u = await start();
    // Nothing else would end the wait for datagrams; how fast it ends is measured by
    // `npm run bench -- sources`, not asserted here.
    u.ac.abort();
    await u.done();
    // The port is free again: another socket can bind it at once.
    await bindWhenFree(u.port, 0);
  });

  it('reports a port it cannot bind as a ValidationError', async () => {
    const taken = createSocket('udp4');
    cleanup.push(() => taken.close());
    await new Promise<void>((r) => taken.bind(0, HOST, r));
    const source = udpSource({ host: HOST, port: taken.address().port });
    const ac = new AbortController();
    cleanup.push(() => ac.abort());
    const err = await source.lines(ac.signal)[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/EADDRINUSE/);
  });
});
