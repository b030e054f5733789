import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@rendezvous/errors';
import { openSource, parseSourceSpec, type LineSource } from '../src/sources/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rendezvous-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(source: LineSource): Promise<string[]> {
  const out: string[] = [];
  for await (const b of source.lines(new AbortController().signal)) out.push(...b.lines);
  return out;
}

describe('parseSourceSpec', () => {
  it.each([
    ['-', { kind: 'file', path: '-' }],
    ['stdin', { kind: 'file', path: '-' }],
    ['data/ais.nmea', { kind: 'file', path: 'data/ais.nmea' }],
    ['/abs/ais.nmea.gz', { kind: 'file', path: '/abs/ais.nmea.gz' }],
    ['./stdin', { kind: 'file', path: './stdin' }],
    ['file:rel/x.txt', { kind: 'file', path: 'rel/x.txt' }],
    ['file:/abs/x.txt', { kind: 'file', path: '/abs/x.txt' }],
    ['file:///abs/with%20space.txt', { kind: 'file', path: '/abs/with space.txt' }],
    ['capture:2024-01-01.nmea', { kind: 'file', path: 'capture:2024-01-01.nmea' }], // a colon is not a scheme without //
    ['  tcp://127.0.0.1:10110  ', { kind: 'tcp', host: '127.0.0.1', port: 10110 }],
    ['tcp://ais.example.org:5631', { kind: 'tcp', host: 'ais.example.org', port: 5631 }],
    ['TCP://[::1]:10110', { kind: 'tcp', host: '::1', port: 10110 }],
    ['udp://0.0.0.0:10110', { kind: 'udp', host: '0.0.0.0', port: 10110 }],
    ['udp://127.0.0.1:0', { kind: 'udp', host: '127.0.0.1', port: 0 }],
    ['replay:60:/data/day.nmea.gz', { kind: 'replay', speed: 60, path: '/data/day.nmea.gz' }],
    ['replay:0.5x:rel:with:colons.nmea', { kind: 'replay', speed: 0.5, path: 'rel:with:colons.nmea' }],
    ['replay:max:file:/x', { kind: 'replay', speed: Infinity, path: '/x' }],
    ['replay:inf:-', { kind: 'replay', speed: Infinity, path: '-' }],
    ['replay:0:x', { kind: 'replay', speed: Infinity, path: 'x' }],
  ])('%s', (spec, expected) => {
    expect(parseSourceSpec(spec)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['tcp://127.0.0.1', /<host>:<port>/],
    ['tcp://:10110', /<host>:<port>/],
    ['tcp://127.0.0.1:0', /port 0 is outside 1–65535/],
    ['tcp://127.0.0.1:70000', /port 70000/],
    ['tcp://127.0.0.1:10110/path', /nothing after the port/],
    ['tcp://127.0.0.1:abc', /<host>:<port>/],
    ['tcp:127.0.0.1:10110', /tcp:\/\/<host>:<port>/],
    ['udp:/127.0.0.1:10110', /udp:\/\/<host>:<port>/],
    ['http://example.org/feed', /unsupported scheme "http"/],
    ['serial:///dev/ttyUSB0', /unsupported scheme "serial"/],
    ['replay:60', /replay:<speed>:<path>/],
    ['replay:60:', /replay:<speed>:<path>/],
    ['replay::x', /replay:<speed>:<path>/],
    ['replay:fast:x', /replay speed "fast"/],
    ['replay:-2:x', /replay speed "-2"/],
    ['file:', /file path is empty/],
    ['replay:1:file:', /file path is empty/],
    ['file://relative/path', /not a valid file URL/],
  ])('rejects %j', (spec, message) => {
    const err = (() => {
      try {
        parseSourceSpec(spec);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/expected file:<path>/); // every message lists the accepted forms
  });
});

describe('openSource', () => {
  const text = '\\c:1700000000*00\\!AIVDM,a\n\\c:1700000030*00\\!AIVDM,b\n';
  const timeOf = (line: string) => {
    const m = /\\c:(\d+)/.exec(line);
    return m === null ? null : Number(m[1]) * 1000;
  };

  it('opens files by bare path, file: and file:// URL, gzip or not', async () => {
    const plain = join(dir, 'a.nmea');
    const gz = join(dir, 'a.dat');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(text));
    for (const spec of [plain, `file:${plain}`, pathToFileURL(plain).href, gz]) {
      expect(await readAll(openSource(spec)), spec).toEqual(['\\c:1700000000*00\\!AIVDM,a', '\\c:1700000030*00\\!AIVDM,b']);
    }
    expect(openSource(plain).name).toBe(`file:${plain}`);
    expect(openSource('-').name).toBe('stdin');
  });

  it('applies maxLineBytes', async () => {
    const path = join(dir, 'long.nmea');
    writeFileSync(path, `${'A'.repeat(50)}\nshort\n`);
    const source = openSource(path, { maxLineBytes: 20 });
    expect(await readAll(source)).toEqual(['short']);
    expect(source.stats().dropped.oversized_line_dropped).toBe(1);
  });

  it('opens a replay of a file, retimed through the caller hook', async () => {
    const path = join(dir, 'replay.nmea');
    writeFileSync(path, text);
    const retimeLine = (line: string, ms: number) => line.replace(/\\c:\d+/, `\\c:${Math.floor(ms / 1000)}`);
    const source = openSource(`replay:max:${path}`, { replay: { timeOf, retime: true, retimeLine } });
    const before = Date.now();
    const lines = await readAll(source);
    const after = Date.now();
    const times = lines.map(timeOf);
    expect(times[1]! - times[0]!).toBe(30_000);
    // The first line reads "now": some instant of the replay (to the second, as the hook writes it).
    expect(times[0]!).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(times[0]!).toBeLessThanOrEqual(after);
    expect(() => openSource(`replay:10:${path}`)).toThrow(/options\.replay\.timeOf/);
  });

  it('opens a TCP client that reads from a loopback server', async () => {
    const server = createServer((s) => s.end('one\r\ntwo\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const source = openSource(`tcp://127.0.0.1:${port}`, { tcp: { backoff: { initialMs: 5000 } } });
      expect(source.name).toBe(`tcp://127.0.0.1:${port}`);
      const ac = new AbortController();
      const got: string[] = [];
      for await (const b of source.lines(ac.signal)) {
        got.push(...b.lines);
        if (got.length >= 2) ac.abort();
      }
      expect(got).toEqual(['one', 'two']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('opens a UDP listener', async () => {
    let port = -1;
    const source = openSource('udp://127.0.0.1:0', { udp: { onListening: (a) => (port = a.port) } });
    expect(source.name).toBe('udp://127.0.0.1:0');
    const ac = new AbortController();
    const it = source.lines(ac.signal)[Symbol.asyncIterator]();
    const first = it.next();
    const deadline = Date.now() + 2000;
    while (port < 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.send('hello\n', port, '127.0.0.1', () => r()));
    s.close();
    expect((await first).value?.lines).toEqual(['hello']);
    ac.abort();
    expect((await it.next()).done).toBe(true);
  });

  it('throws ValidationError for a bad spec before touching anything', () => {
    expect(() => openSource('tcp://nowhere')).toThrow(ValidationError);
    expect(() => openSource('ftp://x/y')).toThrow(/unsupported scheme "ftp"/);
  });
});
