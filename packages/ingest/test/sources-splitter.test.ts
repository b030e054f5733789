import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/sources/line-splitter.ts';

/** What any chunking must produce: split on \r\n, \r or \n, skip empties, drop lines over max. */
function reference(text: string, max = Infinity): { lines: string[]; oversized: number } {
  const all = text.split(/\r\n|\r|\n/).filter((l) => l !== '');
  return { lines: all.filter((l) => l.length <= max), oversized: all.filter((l) => l.length > max).length };
}

function splitChunks(chunks: (string | Buffer)[], max?: number): { lines: string[]; oversized: number; empty: number } {
  const s = new LineSplitter(max === undefined ? {} : { maxLineBytes: max });
  const lines: string[] = [];
  for (const c of chunks) s.push(c, lines);
  const last = s.end();
  if (last !== null) lines.push(last);
  return { lines, oversized: s.oversizedLines, empty: s.emptyLines };
}

const SAMPLE =
  '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*23\r\n' +
  '\\c:1700000000,s:rx1*5A\\!AIVDM,1,1,,B,15Muq70001G?tRrM5M4P8?v4080u,0*0B\n' +
  '\n' + // empty line
  '$PGHP,1,2023,11,14,22,13,20,0,,,,1,*1E\r' + // lone CR
  '!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E\r\n' +
  '\r\n' + // empty CRLF line
  '!AIVDM,2,2,3,B,1@0000000000000,2*55\n' +
  'last line without newline';

describe('LineSplitter', () => {
  it('splits LF, CRLF and lone CR, skipping empty lines', () => {
    const r = splitChunks([SAMPLE]);
    expect(r.lines).toEqual(reference(SAMPLE).lines);
    expect(r.lines).toHaveLength(6);
    expect(r.lines[2]).toBe('$PGHP,1,2023,11,14,22,13,20,0,,,,1,*1E');
    expect(r.lines.at(-1)).toBe('last line without newline');
    expect(r.empty).toBe(2);
  });

  it('gives the same lines wherever the input is split (every byte offset, Buffer chunks)', () => {
    const buf = Buffer.from(SAMPLE, 'latin1');
    const expected = reference(SAMPLE).lines;
    for (let i = 0; i <= buf.length; i++) {
      const r = splitChunks([buf.subarray(0, i), buf.subarray(i)]);
      expect(r.lines, `split at ${i}`).toEqual(expected);
    }
  });

  it('gives the same lines for every pair of split points (three chunks)', () => {
    const text = 'ab\r\ncd\r\re\n\nfgh\rij';
    const expected = reference(text).lines;
    expect(expected).toEqual(['ab', 'cd', 'e', 'fgh', 'ij']);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        expect(splitChunks([text.slice(0, i), text.slice(i, j), text.slice(j)]).lines, `${i}/${j}`).toEqual(expected);
      }
    }
  });

  it('survives byte-at-a-time input', () => {
    const bytes = [...Buffer.from(SAMPLE, 'latin1')].map((b) => Buffer.from([b]));
    expect(splitChunks(bytes).lines).toEqual(reference(SAMPLE).lines);
  });

  it('treats a CRLF split across chunks as one terminator, not an extra line', () => {
    const s = new LineSplitter();
    expect(s.push('abc\r')).toEqual(['abc']);
    expect(s.push('\ndef\n')).toEqual(['def']);
    expect(s.emptyLines).toBe(0);
    // A CR at a chunk end followed by anything but LF: the next line starts right there.
    expect(s.push('x\r')).toEqual(['x']);
    expect(s.push('y\n')).toEqual(['y']);
  });

  it('handles empty input and empty chunks', () => {
    expect(splitChunks([]).lines).toEqual([]);
    expect(splitChunks(['', Buffer.alloc(0), '']).lines).toEqual([]);
    expect(splitChunks(['\n\r\n\r']).lines).toEqual([]);
    const s = new LineSplitter();
    expect(s.push('')).toEqual([]);
    expect(s.end()).toBeNull();
  });

  it('appends to a caller-provided array', () => {
    const out = ['existing'];
    const s = new LineSplitter();
    expect(s.push('a\nb\n', out)).toBe(out);
    expect(out).toEqual(['existing', 'a', 'b']);
  });

  it('drops lines over maxLineBytes up to their terminator, counting each once, at any chunking', () => {
    const max = 16;
    const long = 'X'.repeat(40);
    const text = `ok1\n${long}\r\nok2\r${'Y'.repeat(17)}\n${'Z'.repeat(16)}\n${long}`;
    const expected = reference(text, max);
    expect(expected).toEqual({ lines: ['ok1', 'ok2', 'Z'.repeat(16)], oversized: 3 });
    for (let i = 0; i <= text.length; i++) {
      for (const step of [1, 3, 7]) {
        const chunks = [text.slice(0, i)];
        for (let k = i; k < text.length; k += step) chunks.push(text.slice(k, k + step));
        const r = splitChunks(chunks, max);
        expect(r.lines, `split at ${i} step ${step}`).toEqual(expected.lines);
        expect(r.oversized, `split at ${i} step ${step}`).toBe(3);
      }
    }
  });

  it('caps memory: an endless line without a newline is not buffered', () => {
    const s = new LineSplitter({ maxLineBytes: 1024 });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 100; i++) expect(s.push(chunk)).toEqual([]);
    expect(s.pendingLength).toBe(0);
    expect(s.oversizedLines).toBe(1);
    expect(s.push('tail of the monster\nnext\n')).toEqual(['next']);
    expect(s.oversizedLines).toBe(1);
  });

  it('defaults to 64 KiB, so 1024+ byte lines still reach the decoder (it counts line_too_long)', () => {
    const s = new LineSplitter();
    expect(s.maxLineBytes).toBe(65536);
    const long = 'A'.repeat(5000);
    expect(s.push(`${long}\n`)).toEqual([long]);
    expect(() => new LineSplitter({ maxLineBytes: 0 })).toThrow(RangeError);
  });

  it('decodes bytes as latin1: never throws, one char per byte, even for invalid UTF-8', () => {
    const bytes = Buffer.from([0x21, 0xe9, 0xff, 0xc3, 0x0a, 0xc3]); // "!é\xff" + half a UTF-8 sequence
    const s = new LineSplitter();
    const [line] = s.push(bytes.subarray(0, 5));
    expect(line).toBe('!\u00e9\u00ff\u00c3');
    expect(line).toHaveLength(4);
    s.push(bytes.subarray(5));
    expect(s.end()).toBe('\u00c3');
  });

  it('dropPartial discards the unterminated tail and reports whether there was one', () => {
    const s = new LineSplitter();
    expect(s.push('complete\npart')).toEqual(['complete']);
    expect(s.dropPartial()).toBe(true);
    expect(s.dropPartial()).toBe(false);
    expect(s.push('ial\nfresh\n')).toEqual(['ial', 'fresh']);
    expect(s.end()).toBeNull();
  });
});
