/**
 * AisDecoder.payloadKey: the cyrb53 of a message's payload, hashed from the decoder's byte copy of
 * the line for what the fast path just returned, from the payload string otherwise. Both must
 * give cyrb53(payload), or ingest's receiver-duplicate filter would stop matching copies.
 */
import { describe, expect, it } from 'vitest';
import { AisDecoder, cyrb53, cyrb53Bytes, encodeMessage, type DecodedAis } from '../src/index.ts';
import { hasData, readLines } from './data.ts';
import { ENCODABLE_TYPES, Gen, genMessage } from './gen.ts';

function keysOf(lines: string[], prefix: string): { checked: number; fast: number } {
  const dec = new AisDecoder();
  let checked = 0;
  let fast = 0;
  let earlier: DecodedAis | null = null;
  let t = 0;
  for (const l of lines) {
    t += 3;
    for (let d = dec.push(prefix + l, t); d; d = dec.shift()) {
      const key = dec.payloadKey(d);
      if (key !== cyrb53(d.payload)) expect({ line: l, key }).toEqual({ line: l, key: cyrb53(d.payload) });
      if (prefix === '' && d.fragments === 1 && l.startsWith('!')) fast++;
      checked++;
      // A message of an earlier line: its bytes are gone from the decoder, its key is not.
      if (earlier !== null) expect(dec.payloadKey(earlier)).toBe(cyrb53(earlier.payload));
      earlier = d;
    }
  }
  return { checked, fast };
}

describe('AisDecoder.payloadKey', () => {
  it('is cyrb53 of the payload on the fast and the general path: encoder output of every type, and real captures when present', () => {
    const g = new Gen(7);
    const lines: string[] = [];
    for (let i = 0; i < 3_000; i++) lines.push(...encodeMessage(genMessage(g, ENCODABLE_TYPES[i % ENCODABLE_TYPES.length]!)));
    for (const rel of ['nmea-gpsd/ais-raw-messages.log', 'nmea-aisdb/test_data_20211101.nm4']) if (hasData(rel)) lines.push(...readLines(rel));
    const fast = keysOf(lines, '');
    const general = keysOf(lines, ' '); // a leading space takes the general path, same messages
    expect(fast.checked).toBe(general.checked);
    expect(fast.fast).toBeGreaterThan(1_000);
  });

  it('cyrb53Bytes over ASCII bytes equals cyrb53 over the text', () => {
    let seed = 5;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: rnd(90) }, () => String.fromCharCode(32 + rnd(95))).join('');
      const bytes = Buffer.from('xx' + text + 'yy', 'latin1');
      expect(cyrb53Bytes(bytes, 2, 2 + text.length)).toBe(cyrb53(text));
    }
  });
});
