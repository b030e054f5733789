// The raw lines a reader attaches to each position (migrations/0019): no database here.
import { describe, expect, it } from 'vitest';
import { buildSentence, classAPosition, encodePayload, encodeTagBlock, toNmeaLines } from '@rendezvous/ais';
import type { Observation } from '@rendezvous/feeds';
import { NmeaReader } from '../src/feed-readers.ts';
import { IngestMetrics } from '../src/ingest-metrics.ts';
import { rawOf } from '../src/raw-lines.ts';

const T0 = Date.UTC(2024, 5, 1, 8) / 1000;

/** A position message of `mmsi` split over two sentences of group `id`, TAG-stamped by `source`. */
function twoParts(mmsi: number, id: number, seq: string, source: string): [string, string] {
  const { payload, fillBits } = encodePayload(classAPosition({ mmsi, lon: 10 + mmsi % 10, lat: 55, sog: 1 }));
  const half = Math.ceil(payload.length / 2);
  return [
    encodeTagBlock({ g: { n: 1, m: 2, id }, c: T0, s: source }) + buildSentence('AI', false, 2, 1, seq, 'A', payload.slice(0, half), 0),
    encodeTagBlock({ g: { n: 2, m: 2, id } }) + buildSentence('AI', false, 2, 2, seq, 'A', payload.slice(half), fillBits),
  ];
}

function read(lines: string[]): Map<number, string | undefined> {
  const reader = new NmeaReader(new IngestMetrics());
  const out: Observation[] = [];
  for (const line of lines) reader.push(line, T0 * 1000, out);
  reader.finish();
  return new Map(out.filter((o) => o.kind === 'position').map((o) => [o.mmsi, rawOf(o as never)]));
}

describe('raw lines of positions', () => {
  it('two receivers\u2019 two-part messages interleaved: each position gets its own two lines, in arrival order', () => {
    const [a1, a2] = twoParts(219000001, 11, '1', 'rxA');
    const [b1, b2] = twoParts(219000002, 12, '2', 'rxB');
    const single = toNmeaLines(classAPosition({ mmsi: 219000003, lon: 11, lat: 55 }), { timeMs: T0 * 1000, source: 'rxA' })[0]!;
    const raw = read([a1, b1, single, '# a comment', b2, a2]);
    expect(raw.get(219000001)).toBe(`${a1}\n${a2}`);
    expect(raw.get(219000002)).toBe(`${b1}\n${b2}`);
    expect(raw.get(219000003)).toBe(single);
  });

  it('both parts on one line (concatenated sentences) are that line', () => {
    const [p1, p2] = twoParts(219000004, 13, '3', 'rxA');
    const line = p1 + p2;
    expect(read([line]).get(219000004)).toBe(line);
  });

  it('an earlier unfinished first part with the same payload (a group the decoder dropped) is not taken: the newest part is', () => {
    const [old1] = twoParts(219000005, 14, '4', 'rxA');
    const filler = Array.from({ length: 600 }, (_, i) => toNmeaLines(classAPosition({ mmsi: 219100000 + i, lon: 12, lat: 55 }), { timeMs: T0 * 1000 + i, source: 'rxA' })[0]!);
    const [n1, n2] = twoParts(219000005, 15, '4', 'rxA');
    const raw = read([old1, ...filler, n1, n2]);
    expect(raw.get(219000005)).toBe(`${n1}\n${n2}`);
  });
});
