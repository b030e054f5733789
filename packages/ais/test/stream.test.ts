/**
 * Streaming decoder behaviour on own fixtures built with the encoder:
 * TAG blocks, $PGHP, trailers, interleaved multi-part groups, missing /
 * duplicate / out-of-order fragments, timeouts, overflow, flush.
 */
import { describe, expect, it } from 'vitest';
import { AisDecoder, buildSentence, encodeMessage, encodeTagBlock, parseSentence, type EncodableMessage, type PositionReportA } from '../src/index.ts';
import { Gen, genMessage } from './gen.ts';

const g = new Gen(42);
const pos = (mmsi: number) => ({ ...(genMessage(g, 1) as PositionReportA), mmsi });
const stat = (mmsi: number, name: string) => ({ ...(genMessage(g, 5) as Extract<EncodableMessage, { type: 5 }>), mmsi, name });

function run(lines: string[], dec = new AisDecoder()) {
  const out = [];
  let t = 0;
  for (const l of lines) {
    const d = dec.push(l, t++);
    if (d) out.push(d);
    for (let e = dec.shift(); e; e = dec.shift()) out.push(e);
  }
  return { out, dec, stats: dec.stats };
}

/** Recompute a sentence's checksum after editing its body. */
function withFixedChecksum(s: string): string {
  const body = s.slice(1, s.indexOf('*'));
  let x = 0;
  for (const ch of body) x ^= ch.charCodeAt(0);
  return `!${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

describe('TAG blocks', () => {
  const m = pos(244000001);
  const s = encodeMessage(m)[0]!;
  it('seconds and milliseconds in c:, source from s:', () => {
    const { out } = run([encodeTagBlock({ c: 1661782474, s: '66' }) + s, encodeTagBlock({ c: 1599239526500, s: 'sdr' }) + s]);
    expect(out.map((d) => [d.timestampMs, d.source])).toEqual([
      [1661782474000, '66'],
      [1599239526500, 'sdr'],
    ]);
    expect(out[0]!.msg).toEqual(m);
  });
  it('bad TAG checksum rejects the sentence behind it', () => {
    const bad = encodeTagBlock({ c: 1661782474, s: '66' }).replace(/\*[0-9A-F]{2}\\$/, '*00\\') + s;
    const { out, stats } = run([bad]);
    expect(out).toHaveLength(0);
    expect(stats.rejected.tagblock_checksum).toBe(1);
    expect(stats.sentences).toBe(0);
  });
  it('unterminated TAG block and bad group spec are tagblock_malformed', () => {
    const { stats } = run(['\\c:1661782474*0F!AIVDM', '\\g:1-2--001,c:1326055296*3C\\' + s]);
    expect(stats.rejected.tagblock_malformed).toBe(2);
  });
  it('g: groups reassemble even when later fragments omit s:', () => {
    const st = stat(244000002, 'TAGGED');
    const [a, b] = encodeMessage(st, { seqId: 1 });
    const { out } = run([
      encodeTagBlock({ g: { n: 1, m: 2, id: 1278 }, s: 'sat1', c: 1661782369 }) + a,
      encodeTagBlock({ c: 1661782370, s: 'sat1' }) + s, // unrelated single sentence in between
      encodeTagBlock({ g: { n: 2, m: 2, id: 1278 } }) + b,
    ]);
    expect(out.map((d) => d.msg.type)).toEqual([1, 5]);
    expect(out[1]!.msg).toEqual(st);
    expect(out[1]!.source).toBe('sat1');
    expect(out[1]!.timestampMs).toBe(1661782369000);
    expect(out[1]!.fragments).toBe(2);
  });
  it('older IEC grouping form <n>G<m>:<id> is accepted', () => {
    const st = stat(244000003, 'IEC');
    const [a, b] = encodeMessage(st, { seqId: 4 });
    const tag = (body: string) => {
      let x = 0;
      for (const ch of body) x ^= ch.charCodeAt(0);
      return `\\${body}*${x.toString(16).toUpperCase().padStart(2, '0')}\\`;
    };
    const { out } = run([tag('1G2:0125,c:1354719387') + a, tag('2G2:0125') + b]);
    expect(out).toHaveLength(1);
    expect(out[0]!.msg).toEqual(st);
  });
});

describe('timestamps outside the sentence', () => {
  const m = pos(244000010);
  const s = encodeMessage(m)[0]!;
  it('$PGHP applies to the next sentence only (and to a whole multi-part group)', () => {
    const st = stat(219000001, 'PGHP');
    const [a, b] = encodeMessage(st, { seqId: 2 });
    const pghp = (body: string) => {
      let x = 0;
      for (const ch of body) x ^= ch.charCodeAt(0);
      return `$${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
    };
    const { out, stats } = run([pghp('PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B'), s, s, pghp('PGHP,1,2010,6,11,11,46,12,5,219,,2190048,1,1B'), a!, b!]);
    expect(out.map((d) => d.timestampMs)).toEqual([Date.UTC(2010, 5, 11, 11, 46, 11, 390), null, Date.UTC(2010, 5, 11, 11, 46, 12, 5)]);
    expect(stats.pghpLines).toBe(2);
  });
  it('$PGHP with a bad checksum is counted and gives no time', () => {
    const { out, stats } = run(['$PGHP,1,2009,5,9,0,0,0,10,338,2,,1,09*17', s]);
    expect(stats.rejected.pghp_malformed).toBe(1);
    expect(out[0]!.timestampMs).toBeNull();
  });
  it('USCG trailer: station and unix time; aisdb variant takes the first unix time', () => {
    const { out } = run([
      `${s},b003669794,1272412827`,
      `${s},d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001`,
      `${s},1357134218`,
      `${s},1daasd4218,,1357134222`,
      `${s},s36310,d-081,T59.01777335`,
    ]);
    expect(out.map((d) => [d.source, d.timestampMs])).toEqual([
      ['b003669794', 1272412827000],
      ['r003669946', 1325394060000],
      [null, 1357134218000],
      [null, 1357134222000],
      [null, null],
    ]);
  });
  it('leading epoch (simpleais) with fractional seconds', () => {
    const { out } = run([`1452468552.938 ${s}`]);
    expect(out[0]!.timestampMs).toBe(1452468552938);
  });
  it('TAG c: wins over $PGHP and trailers', () => {
    const { out } = run(['$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17', `${encodeTagBlock({ c: 1600000000 })}${s},1357134218`]);
    expect(out[0]!.timestampMs).toBe(1600000000000);
  });
});

describe('multi-sentence reassembly', () => {
  const a1 = stat(244000020, 'ALPHA');
  const a2 = stat(244000021, 'BRAVO');
  const a3 = stat(244000022, 'CHARLIE');
  it('interleaved groups from two sources and two channels with the same sequence id', () => {
    const [x1, x2] = encodeMessage(a1, { seqId: 5, channel: 'A', talker: 'AB' });
    const [y1, y2] = encodeMessage(a2, { seqId: 5, channel: 'B', talker: 'AB' });
    const [z1, z2] = encodeMessage(a3, { seqId: 5, channel: 'A', talker: 'AI' });
    const { out, stats } = run([x1!, y1!, z1!, encodeMessage(pos(1))[0]!, z2!, y2!, x2!]);
    expect(out.map((d) => (d.msg.type === 5 ? d.msg.name : d.msg.type))).toEqual([1, 'CHARLIE', 'BRAVO', 'ALPHA']);
    expect(stats.pendingGroups).toBe(0);
    expect(out[1]!.payload).toBe(z1!.split(',')[5]! + z2!.split(',')[5]!);
  });
  it('same talker/channel/seq from two stations (trailer) does not mix', () => {
    const [x1, x2] = encodeMessage(a1, { seqId: 1 });
    const [y1, y2] = encodeMessage(a2, { seqId: 1 });
    const { out } = run([`${x1},b1`, `${y1},b2`, `${x2},b1`, `${y2},b2`]);
    expect(out.map((d) => [d.source, d.msg.type === 5 && d.msg.name])).toEqual([
      ['b1', 'ALPHA'],
      ['b2', 'BRAVO'],
    ]);
  });
  it('orphan, duplicate, out-of-order and superseded fragments are counted, never thrown', () => {
    const [x1, x2] = encodeMessage(a1, { seqId: 2 });
    const [y1, y2] = encodeMessage(a2, { seqId: 2 });
    const { out, stats } = run([
      x2!, // orphan
      x1!,
      x1!, // duplicate of fragment 1
      x2!, // completes ALPHA
      y1!,
      x1!, // new fragment 1 on the same key: BRAVO's group is discarded
      x2!, // completes the new ALPHA group
    ]);
    // Note: a wrong fragment that carries the expected number cannot be detected
    // by sequence checks alone (same as gpsd); only numbering/count anomalies are.
    expect(out.map((d) => d.msg.type === 5 && d.msg.name)).toEqual(['ALPHA', 'ALPHA']);
    expect(stats.rejected.orphan_fragment).toBe(1);
    expect(stats.rejected.duplicate_fragment).toBe(1);
    expect(stats.rejected.fragment_out_of_order).toBe(1);
    expect(stats.pendingGroups).toBe(0);
  });
  it('fragment-count mismatch within a group is out of order', () => {
    const [x1] = encodeMessage(a1, { seqId: 3 });
    const bogus = withFixedChecksum(x1!.replace('!AIVDM,2,1,3', '!AIVDM,3,2,3'));
    const { stats } = run([x1!, bogus]);
    expect(stats.rejected.fragment_out_of_order).toBe(1);
  });
  it('times out by caller clock and by sentence budget; flush counts the rest', () => {
    const [x1, x2] = encodeMessage(a1, { seqId: 6 });
    const dec = new AisDecoder({ fragmentTimeoutMs: 1000, fragmentTimeoutSentences: 3 });
    dec.push(x1!, 0);
    expect(dec.push(x2!, 1500)).toBeNull(); // 1.5 s later: group expired, x2 is an orphan
    expect(dec.stats.rejected.fragment_timeout).toBe(1);
    expect(dec.stats.rejected.orphan_fragment).toBe(1);
    dec.push(x1!, 2000);
    const single = encodeMessage(pos(9))[0]!;
    for (let i = 0; i < 4; i++) dec.push(single, 2000);
    dec.push(x2!, 2000);
    expect(dec.stats.rejected.fragment_timeout).toBe(2);
    dec.push(x1!, 3000);
    dec.flush();
    expect(dec.stats.rejected.fragment_incomplete).toBe(1);
    expect(dec.stats.pendingGroups).toBe(0);
  });
  it('bounded: the oldest open group is evicted beyond maxPendingGroups', () => {
    const dec = new AisDecoder({ maxPendingGroups: 2 });
    const firsts = [a1, a2, a3].map((m, i) => encodeMessage(m, { seqId: i })[0]!);
    for (const f of firsts) dec.push(f, 0);
    expect(dec.stats.rejected.fragment_overflow).toBe(1);
    expect(dec.stats.pendingGroups).toBe(2);
    // ALPHA (seq 0) was evicted: its second fragment is now an orphan; CHARLIE still completes.
    expect(dec.push(encodeMessage(a1, { seqId: 0 })[1]!, 0)).toBeNull();
    expect(dec.push(encodeMessage(a3, { seqId: 2 })[1]!, 0)?.msg).toEqual(a3);
  });
  it('two complete messages on one line: first returned, second via shift()', () => {
    const dec = new AisDecoder();
    const [x1, x2] = encodeMessage(a1, { seqId: 1 });
    const single = encodeMessage(pos(77))[0]!;
    const d = dec.push(`${single}${encodeTagBlock({ c: 1 })}${x1}${x2}`, 0);
    expect(d?.msg.mmsi).toBe(77);
    expect(dec.shift()?.msg).toEqual(a1);
    expect(dec.shift()).toBeNull();
  });
});

describe('sentence variants', () => {
  const m = pos(244000030);
  const { payload, fillBits } = { payload: encodeMessage(m)[0]!.split(',')[5]!, fillBits: 0 };
  it('any two-character talker, VDO = own ship, empty channel', () => {
    const { out } = run(['AB', 'BS', 'SA', 'BY', 'SS', '--'].map((t) => buildSentence(t, t === 'SS', 1, 1, '', '', payload, fillBits)));
    expect(out.map((d) => [d.talker, d.own, d.channel])).toEqual([
      ['AB', false, null],
      ['BS', false, null],
      ['SA', false, null],
      ['BY', false, null],
      ['SS', true, null],
      ['--', false, null],
    ]);
  });
  it('signalk gofree 8-field VDM is accepted with a warning', () => {
    const body = `AIVDM,1,1,1,,${payload},0,0`;
    let x = 0;
    for (const ch of body) x ^= ch.charCodeAt(0);
    const { out, stats } = run([`!${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`]);
    expect(out[0]!.msg).toEqual(m);
    expect(stats.warnings.extra_fields).toBe(1);
  });
  it('lower-case checksum hex, CRLF and surrounding blanks are tolerated', () => {
    const s = encodeMessage(m)[0]!;
    const lower = s.slice(0, -2) + s.slice(-2).toLowerCase();
    expect(run([`  ${lower}\r\n`]).out[0]!.msg).toEqual(m);
  });
  it('parseSentence exposes the NMEA layer', () => {
    const r = parseSentence(`${encodeTagBlock({ g: { n: 1, m: 2, id: 9 }, s: 'x', c: 5 })}${encodeMessage(stat(1, 'P'), { seqId: 8, channel: 'B' })[0]}`);
    expect(r.ok && r.sentence).toMatchObject({ talker: 'AI', fragmentCount: 2, fragmentNumber: 1, sequenceId: 8, channel: 'B', fillBits: 0, source: 'x', timestampMs: 5000, group: { number: 1, total: 2, id: '9' } });
    expect(parseSentence('$GPGGA,1*00')).toEqual({ ok: false, reason: 'not_ais' });
  });
});

describe('retimeLine', () => {
  it('rewrites the TAG-block time (keeping its unit) with a valid checksum, or adds a block', async () => {
    const { retimeLine, AisDecoder, encodeTagBlock } = await import('../src/index.ts');
    const sentence = '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24';
    const when = Date.UTC(2026, 10, 27, 12, 0, 0);
    const cases = [
      [sentence, when - (when % 1000)],
      [encodeTagBlock({ c: 1_300_000_000, s: 'r1' }) + sentence, when - (when % 1000)],
      [encodeTagBlock({ c: 1_300_000_000_123, s: 'r1' }) + sentence, when + 7],
    ] as const;
    for (const [line, expected] of cases) {
      const dec = new AisDecoder();
      const out = dec.push(retimeLine(line, when + 7), 0);
      expect(out?.timestampMs).toBe(expected);
      expect(out?.msg.mmsi).toBe(265547250);
    }
  });
});
