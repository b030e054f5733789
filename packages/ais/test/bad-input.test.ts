/**
 * Hostile input: GFW ais-tools' deliberately broken samples, random bytes,
 * truncated and over-long lines. The decoder must never throw, must count
 * every rejection under a stable reason, and every good sentence around the
 * bad ones must still decode (checked against an independent count).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AisDecoder, REJECT_REASONS, encodeMessage, type DecodedAis } from '../src/index.ts';
import { dataPath, hasData, SKIP_NOTE } from './data.ts';
import { Gen, genMessage } from './gen.ts';

function xor(s: string): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x ^= s.charCodeAt(i);
  return x;
}

/**
 * Independent count of decodable single-sentence messages: regex-found
 * `!xxVDM,1,1,…*hh` segments whose NMEA checksum (and TAG block checksum,
 * if any) is right and whose payload uses only armoring characters.
 */
function goodSingles(text: string): number {
  let n = 0;
  // Anchored: at line start (after an optional leading epoch) or right after a previous sentence's checksum.
  const re = /(?:^\s*(?:\d+(?:\.\d+)?\s+)?|(?<=\*[0-9A-Fa-f]{2}))(?:\\([^\\]*)\*([0-9A-Fa-f]{2})\\)?!(..VD[MO],1,1,[^,*]*,[^,*]*,([^,*]+),[0-5](?:,[^,*]*)?)\*([0-9A-Fa-f]{2})/g;
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(re)) {
      if (m[1] !== undefined && xor(m[1]) !== parseInt(m[2]!, 16)) continue;
      if (xor(m[3]!) !== parseInt(m[5]!, 16)) continue;
      if (!/^[0-9:;<=>?@A-W`a-w]+$/.test(m[4]!)) continue;
      n++;
    }
  }
  return n;
}

function runAll(lines: string[], dec = new AisDecoder()): { out: DecodedAis[]; dec: AisDecoder } {
  const out: DecodedAis[] = [];
  let t = 0;
  for (const l of lines) {
    const d = dec.push(l, t++);
    if (d) out.push(d);
    for (let e = dec.shift(); e; e = dec.shift()) out.push(e);
  }
  return { out, dec };
}

const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v > 0));

describe.skipIf(!hasData('nmea-gfw-ais-tools'))(`GFW ais-tools broken samples${hasData('nmea-gfw-ais-tools') ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  // Hand-checked outcome per file (see README "Length policy" and "Reassembly").
  const EXPECT: Record<string, { messages: number; rejected: Record<string, number>; warnings?: Record<string, number> }> = {
    'bad-tagblock-group.nmea': { messages: 0, rejected: { tagblock_malformed: 2 } }, // g:1-2--001
    'bad-type5.nmea': {
      messages: 2, // 448- and 444-bit type 5s accepted like gpsd (no upper bound), flagged non-standard
      rejected: { blank_line: 1, not_ais: 3, bad_bit_count: 1 }, // 400-bit type 5 < 420; bare payload lines
      warnings: { bit_count_nonstandard: 2 },
    },
    'ee-multiline.nmea': { messages: 8, rejected: { blank_line: 1 } },
    'errors.nmea': { messages: 3, rejected: { checksum: 2 }, warnings: { bit_count_nonstandard: 2 } },
    'mixed_types.nmea': { messages: 99, rejected: {} },
    'multi-part.nmea': { messages: 43, rejected: { blank_line: 1 } },
    'sample.nmea': { messages: 3, rejected: {}, warnings: { bit_count_nonstandard: 1, trailing_garbage: 1 } },
    'single-message-type-5.nmea': { messages: 0, rejected: { blank_line: 1, checksum: 1 } },
    'spire-test.nmea': { messages: 0, rejected: { blank_line: 1, tagblock_checksum: 4 } }, // TAG checksums "*00"
    'type1-bad-bitcount.nmea': { messages: 12, rejected: { blank_line: 2 }, warnings: { bit_count_nonstandard: 12 } }, // 186 bits: inside gpsd's 163–204
    'type8.nmea': { messages: 1, rejected: { blank_line: 2 } },
  };
  const files = hasData('nmea-gfw-ais-tools') ? readdirSync(dataPath('nmea-gfw-ais-tools')).filter((f) => f.endsWith('.nmea')) : [];
  it('covers every file in the folder', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECT).sort());
  });
  for (const f of files) {
    it(`${f}: counted by reason, good single sentences all decode`, () => {
      const text = readFileSync(dataPath(`nmea-gfw-ais-tools/${f}`), 'utf8');
      const { out, dec } = runAll(text.split('\n'));
      dec.flush();
      const st = dec.stats;
      const e = EXPECT[f]!;
      expect(st.messages).toBe(e.messages);
      expect(out).toHaveLength(e.messages);
      expect(nonZero(st.rejected)).toEqual(e.rejected);
      expect(nonZero(st.warnings)).toEqual(e.warnings ?? {});
      expect(out.filter((d) => d.fragments === 1)).toHaveLength(goodSingles(text));
    });
  }
});

describe.skipIf(!hasData('nmea-novorossiysk-boutsko'))('good lines survive interleaved garbage (real Novorossiysk capture)', () => {
  it('same messages with and without garbage; singles match an independent checksum count', () => {
    const text = readFileSync(dataPath('nmea-novorossiysk-boutsko/ais.txt'), 'utf8');
    const lines = text.split('\n');
    const clean = runAll(lines).out;
    expect(clean.filter((d) => d.fragments === 1)).toHaveLength(goodSingles(text));
    const g = new Gen(99);
    const noisy: string[] = [];
    let garbage = 0;
    for (let i = 0; i < lines.length; i++) {
      noisy.push(lines[i]!);
      // Never between the two fragments of a group (that would rightly break it).
      if (i % 7 === 0 && !/^!AIVDM,2,1,/.test(lines[i]!)) {
        noisy.push(garbageLine(g, lines[i]!));
        garbage++;
      }
    }
    const { out, dec } = runAll(noisy);
    expect(out.map((d) => d.payload)).toEqual(clean.map((d) => d.payload));
    const rejected = Object.values(dec.stats.rejected).reduce((a, b) => a + b, 0);
    expect(rejected).toBeGreaterThanOrEqual(garbage);
  });
});

/** A line that cannot be a valid sentence: random bytes, a truncated copy, an over-long line, or a corrupted copy. */
function garbageLine(g: Gen, valid: string): string {
  switch (g.int(0, 4)) {
    case 0: {
      let s = '';
      const n = g.int(0, 200);
      for (let i = 0; i < n; i++) s += String.fromCharCode(g.int(0, 0xffff));
      return s;
    }
    case 1:
      return valid.slice(0, g.int(0, Math.max(0, valid.length - 3)));
    case 2:
      return valid + ','.repeat(1100);
    case 3: {
      // flip one payload character: checksum no longer matches
      const i = valid.lastIndexOf(',', valid.indexOf('*')) - 1;
      if (i < 8) return 'x';
      const c = valid.charCodeAt(i);
      return valid.slice(0, i) + String.fromCharCode(c === 48 ? 49 : 48) + valid.slice(i + 1);
    }
    default: {
      let s = '';
      const alphabet = '!$\\,*0123456789ABCDEFVDMOabcdef:;<=>?@`w \t\r';
      const n = g.int(1, 120);
      for (let i = 0; i < n; i++) s += alphabet[g.int(0, alphabet.length - 1)];
      return s;
    }
  }
}

describe('random and malformed input (own fixtures, always run)', () => {
  it('never throws on 50 000 random lines; every encoded message in between decodes', () => {
    const g = new Gen(2024);
    const dec = new AisDecoder();
    const expected: string[] = [];
    const got: string[] = [];
    let garbage = 0;
    for (let i = 0; i < 50000; i++) {
      if (i % 10 === 0) {
        const m = genMessage(g, ([1, 3, 5, 18, 19, 21, 24, 27] as const)[g.int(0, 7)]!);
        const sentences = encodeMessage(m, { seqId: g.int(0, 9), channel: g.bool() ? 'A' : 'B' });
        expected.push(JSON.stringify(m));
        for (const s of sentences) {
          const d = dec.push(s, i);
          if (d) got.push(JSON.stringify(d.msg));
        }
      } else {
        garbage++;
        const line = garbageLine(g, encodeMessage(genMessage(g, 1))[0]!);
        expect(() => dec.push(line, i)).not.toThrow();
      }
    }
    expect(got).toEqual(expected);
    const st = dec.stats;
    const rejected = Object.values(st.rejected).reduce((a, b) => a + b, 0);
    expect(rejected).toBeGreaterThanOrEqual(garbage);
    expect(st.rejected.line_too_long).toBeGreaterThan(0);
    expect(st.rejected.checksum).toBeGreaterThan(0);
    expect(st.rejected.no_checksum).toBeGreaterThan(0);
    expect(st.rejected.not_ais).toBeGreaterThan(0);
    expect(Object.keys(st.rejected).sort()).toEqual([...REJECT_REASONS].sort());
  });

  it('specific malformed sentences map to specific reasons', () => {
    const good = encodeMessage(genMessage(new Gen(1), 1))[0]!;
    const fix = (body: string) => `!${body}*${xor(body).toString(16).toUpperCase().padStart(2, '0')}`;
    const cases: [string, string][] = [
      ['', 'blank_line'],
      ['# comment', 'comment'],
      ['$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D', 'not_ais'],
      ['IamNotAnAisMessage1111', 'not_ais'],
      ['AIVDM,2,2,1,B,00000000000,2*26', 'not_ais'],
      [good.slice(0, -3), 'no_checksum'],
      [good.slice(0, -1) + (good.endsWith('0') ? '1' : '0'), 'checksum'],
      [good.slice(0, -2) + 'ZZ', 'checksum'],
      [fix('AIVDM,1,1,,B,,0'), 'empty_payload'],
      [fix('AIVDM,1,1,,B,13aI8e?P00PGpU:NR6s00?vT2000,6'), 'malformed_sentence'],
      [fix('AIVDM,0,1,,B,13aI8e?P00PGpU:NR6s00?vT2000,0'), 'malformed_sentence'],
      [fix('AIVDM,1,2,,B,13aI8e?P00PGpU:NR6s00?vT2000,0'), 'malformed_sentence'],
      [fix('AIVDM,1,1,,B,13aI8e?P00PGpU:NR6s00?vT2000'), 'malformed_sentence'],
      [fix('AIVDM,1,1,,B,13aI8e?P00PGpU:NR6s00?vT2|00,0'), 'bad_payload_char'],
      [fix('AIVDM,1,1,,B,13aI8e?P00PGpU:NR6s00?vT2x00,0'), 'bad_payload_char'],
      [fix('AIVDM,1,1,,B,13aI8e?P00PGpU:NR6s00?vT,0'), 'bad_bit_count'],
      [fix('AIVDM,1,1,,B,0000000000000000000000000000,0'), 'unknown_type'],
      [fix('AIVDM,1,1,,B,H3KLehdt00000000?6ekkjm000000,0'), 'invalid_field'], // type 24 part 3 (gpsd ais-18-27.log)
      [fix('AIVDM,2,2,1,B,00000000000,2'), 'orphan_fragment'],
      ['\\c:1354719388*56\\', 'malformed_sentence'],
      ['x'.repeat(1025), 'line_too_long'],
    ];
    for (const [line, reason] of cases) {
      const dec = new AisDecoder();
      expect(dec.push(line, 0), line).toBeNull();
      expect(nonZero(dec.stats.rejected), line).toEqual({ [reason]: 1 });
    }
  });
});

describe.skipIf(!hasData('nmea-gpsd'))(`every real NMEA file: no throw, consistent counters${hasData('nmea-gpsd') ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  const dirs = hasData('nmea-gpsd') ? readdirSync(dataPath('')).filter((d) => d.startsWith('nmea-')) : [];
  for (const dir of dirs) {
    it(dir, () => {
      for (const f of readdirSync(dataPath(dir))) {
        if (/\.(chk|json)$|^LICENSE/.test(f)) continue;
        const text = readFileSync(dataPath(`${dir}/${f}`), 'utf8');
        const lines = text.split('\n');
        const { out, dec } = runAll(lines);
        dec.flush();
        const st = dec.stats;
        expect(st.lines).toBe(lines.length);
        expect(st.messages).toBe(out.length);
        expect(Object.values(st.byType).reduce((a, b) => a + b, 0)).toBe(st.messages);
        expect(st.pendingGroups).toBe(0);
        // Every checksum-valid single sentence either decodes or is rejected at message level (length/type/field).
        const msgLevel = st.rejected.bad_bit_count + st.rejected.unknown_type + st.rejected.invalid_field;
        expect(out.filter((d) => d.fragments === 1).length + msgLevel, `${dir}/${f}`).toBeGreaterThanOrEqual(goodSingles(text));
      }
    });
  }
});
