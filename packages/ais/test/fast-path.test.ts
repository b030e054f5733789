/**
 * The decoder has a fast path for plain `!xxVDM,n,m,s,c,<payload>,f*hh`
 * lines and a general path for everything else. A leading space sends a
 * line down the general path without changing its meaning (leading
 * whitespace is trimmed), so feeding every line both ways must give
 * identical results and identical counters — for real captures and for
 * single-character mutations of them (bad checksums, stray delimiters,
 * multi-digit fields, non-ASCII, truncation…).
 */
import { describe, expect, it } from 'vitest';
import { AisDecoder, encodeMessage, type DecodedAis } from '../src/index.ts';
import { hasData, readLines, SKIP_NOTE } from './data.ts';
import { Gen, genMessage } from './gen.ts';

function decodeAll(lines: string[], prefix: string): { out: (DecodedAis | null)[]; stats: unknown } {
  const dec = new AisDecoder();
  const out: (DecodedAis | null)[] = [];
  let t = 0;
  for (const l of lines) {
    t += 3;
    out.push(dec.push(prefix + l, t));
    for (let d = dec.shift(); d; d = dec.shift()) out.push(d);
  }
  dec.flush();
  return { out, stats: dec.stats };
}

function expectSameBothWays(lines: string[]): void {
  const fast = decodeAll(lines, '');
  const general = decodeAll(lines, ' ');
  expect(fast.out.length).toBe(general.out.length);
  for (let i = 0; i < fast.out.length; i++) {
    if (JSON.stringify(fast.out[i]) !== JSON.stringify(general.out[i])) {
      expect({ line: lines[i], fast: fast.out[i] }).toEqual({ line: lines[i], fast: general.out[i] });
    }
  }
  expect(fast.stats).toEqual(general.stats);
}

/** The line with its checksum recomputed (over '!'…last '*'), so structural edits are not hidden behind a checksum error. */
function withChecksum(line: string): string {
  const star = line.lastIndexOf('*');
  if (star < 1) return line;
  let x = 0;
  for (let i = 1; i < star; i++) x ^= line.charCodeAt(i);
  return line.slice(0, star + 1) + (x & 0xff).toString(16).toUpperCase().padStart(2, '0') + line.slice(star + 3);
}

/** A TAG block with a correct checksum around `params`, then `rest`. */
function withTag(params: string, rest: string): string {
  let x = 0;
  for (let i = 0; i < params.length; i++) x ^= params.charCodeAt(i);
  return `\\${params}*${(x & 0xff).toString(16).toUpperCase().padStart(2, '0')}\\${rest}`;
}

/** The line with its leading TAG block's checksum recomputed (over the text between '\\' and the first '*'). */
function withTagChecksum(line: string): string {
  if (line.charCodeAt(0) !== 92) return line;
  const star = line.indexOf('*');
  if (star < 1) return line;
  let x = 0;
  for (let i = 1; i < star; i++) x ^= line.charCodeAt(i);
  return line.slice(0, star + 1) + (x & 0xff).toString(16).toUpperCase().padStart(2, '0') + line.slice(star + 3);
}

/** Deterministic single-character edits of a line. */
function mutations(line: string, g: Gen): string[] {
  const out: string[] = [];
  const specials = [',', '*', '!', '\\', ' ', '0', '9', 'A', 'z', '~', 'é', '\u2603', '@', 'X', '_', '`', 'w'];
  for (let k = 0; k < 4; k++) {
    const i = g.int(0, line.length - 1);
    const ch = specials[g.int(0, specials.length - 1)]!;
    for (const m of [line.slice(0, i) + ch + line.slice(i + 1), line.slice(0, i) + ch + line.slice(i), line.slice(0, i) + line.slice(i + 1)]) {
      out.push(m, withChecksum(m)); // replace, insert, delete
    }
  }
  out.push(line.slice(0, g.int(1, line.length))); // truncate
  out.push(line + '\r\n');
  out.push(line + ' ,b003669794,1272412827');
  out.push(line.toLowerCase());
  return out;
}

describe('fast path ≡ general path', () => {
  it('every position × every special character, on each fragment shape', () => {
    const base = [
      '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24',
      '!AIVDM,1,1,,,13u?etPv2;0n:dDPwUM1U1Cb069D,0*65',
      '!BSVDO,1,1,3,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*0F',
      '!AIVDM,2,1,8,A,A02VqM0F?`l@p0@RPIQk?@2d01PdwrL0;Ewwe@1>9OwO01IJwgd0CS;w,0*25',
      '!AIVDM,2,2,8,A,UP2U8gv9018q02h0A:bb,0*05',
      withChecksum('!AIVDM,1,1,,A,,0*00'), // empty payload
      withChecksum('!AIVDM,1,1,,A,1,0*00'),
      withChecksum('!AIVDM,1,1,,A,13,0*00'),
      withChecksum('!AIVDM,01,1,12,AB,13u?etPv2;0n:dDPwUM1U1Cb069D,0*00'), // multi-character fields
    ];
    const specials = [',', '*', '!', '\\', ' ', '\t', '0', '1', '5', '6', '9', 'A', 'a', 'F', 'X', '@', '~', '\u00e9'];
    const lines: string[] = [];
    for (const l of base) {
      lines.push(l);
      for (let i = 0; i < l.length; i++) {
        for (const ch of specials) {
          for (const m of [l.slice(0, i) + ch + l.slice(i + 1), l.slice(0, i) + ch + l.slice(i)]) lines.push(m, withChecksum(m));
        }
      }
    }
    expectSameBothWays(lines);
  });

  it('encoder output, all fragment shapes, with mutations', () => {
    const g = new Gen(1234);
    const lines: string[] = [];
    const types = [1, 2, 3, 4, 5, 11, 18, 19, 21, 24, 27] as const;
    for (let i = 0; i < 1500; i++) {
      const sentences = encodeMessage(genMessage(g, types[i % types.length]!), { seqId: i % 10, channel: i % 3 === 0 ? 'A' : 'B', maxPayloadChars: i % 4 === 0 ? 20 : 60 });
      for (const s of sentences) {
        lines.push(s);
        if (i % 5 === 0) lines.push(...mutations(s, g));
      }
    }
    expectSameBothWays(lines);
  });

  it('TAG-stamped lines: every position × every special character, TAG checksum recomputed too', () => {
    const base = [
      '\\s:bench,c:1736899200000*67\\!AIVDM,1,1,,A,13KF5P0P001KSH0D1g@000000000,0*1F',
      withTag('s:42809,c:1635731889,t:1635731965', '!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37'),
      withTag('c:1635731889', '!BSVDO,1,1,3,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*0F'),
      withTag('s:rx1', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'),
      withTag('c:1635731889.25,s:a', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'), // fraction: general path
      withTag('g:1-2-73,s:r1,c:1635731889', '!AIVDM,2,1,8,A,A02VqM0F?`l@p0@RPIQk?@2d01PdwrL0;Ewwe@1>9OwO01IJwgd0CS;w,0*25'),
      withTag('g:2-2-73', '!AIVDM,2,2,8,A,UP2U8gv9018q02h0A:bb,0*05'),
      withTag('1G2:73,s:r1', '!AIVDM,2,1,8,A,A02VqM0F?`l@p0@RPIQk?@2d01PdwrL0;Ewwe@1>9OwO01IJwgd0CS;w,0*25'),
      withTag('s:r1,c:1635731890', '!AIVDM,2,2,8,A,UP2U8gv9018q02h0A:bb,0*05'), // fragment with a TAG, no grouping
      withTag('s:,c:,x,:y,zz:1,n:3', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'), // empty values, keyless fields
      withTag('s:a', '') + withTag('c:1635731889', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'), // two TAG blocks
      withTag('s:a,c:1635731889', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24,b003669794,1272412827'), // trailer
      withTag('s:a,c:1635731889', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24') + '!AIVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*27', // two sentences
    ];
    const specials = [',', '*', '!', '\\', ':', ' ', '.', '0', '1', '9', 'c', 's', 'g', 'G', 'A', '-', '\u00e9'];
    const lines: string[] = [];
    for (const l of base) {
      lines.push(l);
      for (let i = 0; i < l.length; i++) {
        for (const ch of specials) {
          for (const m of [l.slice(0, i) + ch + l.slice(i + 1), l.slice(0, i) + ch + l.slice(i)]) lines.push(m, withChecksum(m), withTagChecksum(m), withTagChecksum(withChecksum(m)));
        }
      }
    }
    expectSameBothWays(lines);
  });

  it('TAG times and $PGHP: the TAG time wins, a $PGHP line stamps the next sentence only when the TAG has none', () => {
    const pghp = '$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21';
    const lines = [
      pghp,
      withTag('s:a,c:1635731889', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'),
      pghp,
      withTag('s:a', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'),
      withTag('s:b', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'),
      withTag('s:b,c:1635731889999', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'),
      withTag('s:a', '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24'),
    ];
    expectSameBothWays(lines);
    const dec = new AisDecoder();
    const got = lines.map((l) => dec.push(l, 5)).filter((d) => d !== null).map((d) => [d.timestampMs, d.source]);
    expect(got).toEqual([[1635731889000, 'a'], [1276256771929, 'a'], [null, 'b'], [1635731889999, 'b'], [null, 'a']]);
  });

  it('encoder output behind TAG blocks, with mutations', () => {
    const g = new Gen(4321);
    const lines: string[] = [];
    const types = [1, 2, 3, 4, 5, 11, 18, 19, 21, 24, 27] as const;
    for (let i = 0; i < 1500; i++) {
      const sentences = encodeMessage(genMessage(g, types[i % types.length]!), { seqId: i % 10, channel: i % 3 === 0 ? 'A' : 'B', maxPayloadChars: i % 4 === 0 ? 20 : 60 });
      for (const s of sentences) {
        const params = [`s:${['rx', 'station-' + (i % 7), ''][i % 3]}`, `c:${1_600_000_000 + i * (i % 2 ? 1 : 1000)}`];
        if (i % 5 === 0) params.reverse();
        if (i % 11 === 0) params.push('t:x');
        const l = withTag(params.join(','), s);
        lines.push(l);
        if (i % 5 === 0) lines.push(...mutations(l, g).flatMap((m) => [m, withTagChecksum(m)]));
      }
    }
    expectSameBothWays(lines);
  });

  const captures = [
    'nmea-novorossiysk-boutsko/ais.txt',
    'nmea-dma-aislib/stream_example.txt',
    'nmea-gpsd/ais-18-27.log',
    // TAG-stamped captures
    'nmea-aisdb/test_data_20211101.nm4',
    'nmea-gfw-ais-tools/spire-test.nmea',
    'nmea-gfw-ais-tools/ee-multiline.nmea',
    'nmea-gfw-ais-tools/errors.nmea',
    'nmea-pyais/mixed.txt',
    'nmea-dma-aislib/small_cb_example.txt',
  ];
  for (const rel of captures) {
    it.skipIf(!hasData(rel))(`real capture ${rel}, with mutations`, () => {
      if (!hasData(rel)) return console.warn(SKIP_NOTE);
      const g = new Gen(99);
      const lines: string[] = [];
      for (const l of readLines(rel)) {
        lines.push(l);
        if (g.int(0, 9) === 0) lines.push(...mutations(l, g));
      }
      expectSameBothWays(lines);
    });
  }
});
