import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@rendezvous/errors';
import { fileSource, sniffFirstLine } from '../src/sources/file-source.ts';
import type { LineBatch, LineSource } from '../src/sources/line-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'rendezvous-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

async function collect(source: LineSource, signal = new AbortController().signal): Promise<{ lines: string[]; batches: LineBatch[] }> {
  const batches: LineBatch[] = [];
  for await (const b of source.lines(signal)) batches.push(b);
  return { lines: batches.flatMap((b) => b.lines), batches };
}

// ~300 KB: several 64 KiB reads and several gunzip output chunks, so lines straddle chunk ends.
const LINES = Array.from({ length: 4000 }, (_, i) => `\\c:${1700000000 + i}*00\\!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*${String(i % 100).padStart(2, '0')}`);
const TEXT = LINES.join('\r\n') + '\r\n';

describe('fileSource', () => {
  it('yields every line of a plain file, in order, in read-chunk batches', async () => {
    const before = Date.now();
    const source = fileSource(write('plain.nmea', TEXT));
    const { lines, batches } = await collect(source);
    expect(lines).toEqual(LINES);
    expect(batches.length).toBeGreaterThan(1);
    expect(Math.max(...batches.map((b) => b.lines.length))).toBeLessThanOrEqual(1000);
    expect(batches.every((b) => b.receivedAtMs >= before && b.receivedAtMs <= Date.now())).toBe(true);
    const stats = source.stats();
    expect(stats).toMatchObject({ state: 'ended', lines: LINES.length, batches: batches.length, bytes: Buffer.byteLength(TEXT) });
  });

  it('gives identical lines for gzip content, detected by magic bytes even with a .txt name', async () => {
    const gz = write('compressed.txt', gzipSync(TEXT));
    const { lines } = await collect(fileSource(gz));
    expect(lines).toEqual(LINES);
    expect(await sniffFirstLine(gz)).toBe(LINES[0]);
  });

  it('reads a .gz-named file that is not compressed as plain text', async () => {
    const path = write('not-really.gz', 'a\nb\n');
    expect((await collect(fileSource(path))).lines).toEqual(['a', 'b']);
  });

  it('decompresses concatenated gzip members (cat a.gz b.gz) as one stream', async () => {
    const path = write('multi.gz', Buffer.concat([gzipSync('one\ntwo\n'), gzipSync('three\nfour')]));
    expect((await collect(fileSource(path))).lines).toEqual(['one', 'two', 'three', 'four']);
  });

  it('handles an empty file and a final line without a newline', async () => {
    expect((await collect(fileSource(write('empty.nmea', '')))).lines).toEqual([]);
    expect((await collect(fileSource(write('empty.gz', gzipSync(''))))).lines).toEqual([]);
    expect((await collect(fileSource(write('one-byte', 'x')))).lines).toEqual(['x']);
    expect((await collect(fileSource(write('nonl.nmea', 'a\r\nb')))).lines).toEqual(['a', 'b']);
  });

  it('counts oversized lines as dropped', async () => {
    const source = fileSource(write('oversized.nmea', `ok\n${'A'.repeat(200)}\nok2\n`), { maxLineBytes: 100 });
    expect((await collect(source)).lines).toEqual(['ok', 'ok2']);
    expect(source.stats().dropped.oversized_line_dropped).toBe(1);
  });

  it('reports a missing file or corrupt gzip as a ValidationError naming the path', async () => {
    const missing = join(dir, 'nope.nmea');
    await expect(collect(fileSource(missing))).rejects.toThrow(ValidationError);
    await expect(collect(fileSource(missing))).rejects.toThrow(/nope\.nmea: ENOENT/);
    await expect(collect(fileSource(dir))).rejects.toThrow(/EISDIR/);
    const truncated = gzipSync(TEXT).subarray(0, 2000);
    const err = await collect(fileSource(write('truncated.gz', truncated))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/truncated\.gz/);
  });

  it.each([
    ['plain', TEXT],
    ['gzip', gzipSync(TEXT)],
  ])('stops right after an abort without an error (%s)', async (kind, content) => {
    const ac = new AbortController();
    const source = fileSource(write(`abort-${kind}`, content), { readBytes: 4096 });
    let batches = 0;
    for await (const _ of source.lines(ac.signal)) {
      batches++;
      ac.abort();
    }
    expect(batches).toBe(1); // nothing buffered (e.g. in zlib) comes out after the abort
    expect(source.stats().state).toBe('stopped');
  });

  it('reads stdin (-) from a supplied stream, gzip included, even when bytes trickle in', async () => {
    const gz = gzipSync(TEXT);
    const stream = new PassThrough();
    const source = fileSource('-', { stdin: stream });
    expect(source.name).toBe('stdin');
    const done = collect(source);
    stream.write(gz.subarray(0, 1)); // one byte: not enough to decide gzip yet
    // Let the source read that byte on its own before the rest arrives.
    for (let i = 0; i < 10_000 && stream.readableLength > 0; i++) await new Promise((r) => setImmediate(r));
    expect(stream.readableLength).toBe(0);
    stream.end(gz.subarray(1));
    expect((await done).lines).toEqual(LINES);
    expect((await collect(fileSource('-', { stdin: Readable.from([Buffer.from('a\nb')]) }))).lines).toEqual(['a', 'b']);
  });

  it('reads the real stdin of a child process', async () => {
    const module = fileURLToPath(new URL('../src/sources/file-source.ts', import.meta.url));
    const script = `import { fileSource } from ${JSON.stringify(module)};
      let n = 0, first = null, last = null;
      for await (const b of fileSource('-').lines(new AbortController().signal)) {
        for (const l of b.lines) { n++; first ??= l; last = l; }
      }
      console.log(JSON.stringify({ n, first, last }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(gzipSync(TEXT));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ n: LINES.length, first: LINES[0], last: LINES.at(-1) });
  });
});

describe('sniffFirstLine', () => {
  it('returns the first non-blank line of plain or gzip files', async () => {
    expect(await sniffFirstLine(write('csv.csv', '\r\n  \nmmsi,lat,lon\n1,2,3\n'))).toBe('mmsi,lat,lon');
    expect(await sniffFirstLine(write('csv.gz', gzipSync('\nmmsi,lat,lon\n')))).toBe('mmsi,lat,lon');
    expect(await sniffFirstLine(write('single', 'only'))).toBe('only');
  });

  it('returns null for an empty or blank file and when nothing turns up within maxBytes', async () => {
    expect(await sniffFirstLine(write('blank', '\n\n   \n'))).toBeNull();
    expect(await sniffFirstLine(write('empty', ''))).toBeNull();
    expect(await sniffFirstLine(write('late', '\n'.repeat(200_000) + 'x\n'), { maxBytes: 65536 })).toBeNull();
  });

  it('refuses stdin and reports missing files', async () => {
    await expect(sniffFirstLine('-')).rejects.toThrow(ValidationError);
    await expect(sniffFirstLine(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
