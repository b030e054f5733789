/** decode(encode(x)) === x for random valid (quantised) records of every encodable type, and for every sentinel. */
import { describe, expect, it } from 'vitest';
import { AisDecoder, decodePayload, encodeMessage, encodePayload, encodeTagBlock, type EncodableMessage, type PositionReportA } from '../src/index.ts';
import { ENCODABLE_TYPES, Gen, genMessage } from './gen.ts';

function viaDecoder(msg: EncodableMessage, seqId = 3): { decoded: unknown; sentences: string[] } {
  const dec = new AisDecoder();
  const sentences = encodeMessage(msg, { seqId });
  let out = null;
  for (const s of sentences) out = dec.push(s, 0) ?? out;
  return { decoded: out?.msg, sentences };
}

describe('round trip, property style', () => {
  for (const type of ENCODABLE_TYPES) {
    it(`type ${type}: 3000 random records survive encode → sentences → decode unchanged`, () => {
      const g = new Gen(1000 + type);
      for (let i = 0; i < 3000; i++) {
        const msg = genMessage(g, type);
        const { decoded } = viaDecoder(msg);
        expect(decoded).toEqual(msg);
      }
    });
  }

  it('payload lengths are the nominal M.1371-5 lengths', () => {
    const g = new Gen(7);
    const bits = (m: EncodableMessage) => {
      const p = encodePayload(m);
      return p.payload.length * 6 - p.fillBits;
    };
    expect(bits(genMessage(g, 1))).toBe(168);
    expect(bits(genMessage(g, 4))).toBe(168);
    expect(bits(genMessage(g, 5))).toBe(424);
    expect(bits(genMessage(g, 18))).toBe(168);
    expect(bits(genMessage(g, 19))).toBe(312);
    expect(bits(genMessage(g, 27))).toBe(96);
    expect(bits({ type: 24, repeat: 0, mmsi: 1, partNumber: 0, name: 'X' })).toBe(160);
    const b = genMessage(g, 24);
    expect(bits(b)).toBe(b.type === 24 && b.partNumber === 0 ? 160 : 168);
    const aton = (name: string) => bits({ ...(genMessage(g, 21) as Extract<EncodableMessage, { type: 21 }>), name });
    expect(aton('SHORT')).toBe(272);
    expect(aton('A'.repeat(21))).toBe(280); // 272 + 6, padded to a byte boundary
    expect(aton('A'.repeat(34))).toBe(360);
  });

  it('type 5 is split into two sentences (60 + 11 characters) with fill bits on the last', () => {
    const msg = genMessage(new Gen(5), 5);
    const s = encodeMessage(msg, { seqId: 7, channel: 'B', talker: 'BS' });
    expect(s).toHaveLength(2);
    expect(s[0]).toMatch(/^!BSVDM,2,1,7,B,[0-9:;<=>?@A-W`a-w]{60},0\*[0-9A-F]{2}$/);
    expect(s[1]).toMatch(/^!BSVDM,2,2,7,B,[0-9:;<=>?@A-W`a-w]{11},2\*[0-9A-F]{2}$/);
  });
});

describe('sentinels', () => {
  const allNull: EncodableMessage[] = [
    { type: 1, repeat: 0, mmsi: 1, navStatus: null, rot: null, rotRaw: -128, sog: null, accuracy: false, lon: null, lat: null, cog: null, heading: null, second: null, maneuver: null, raim: false, radio: 0 },
    { type: 4, repeat: 0, mmsi: 2, utc: null, year: null, month: null, day: null, hour: null, minute: null, second: null, accuracy: false, lon: null, lat: null, epfd: null, raim: false, radio: 0 },
    { type: 5, repeat: 0, mmsi: 3, aisVersion: 0, imo: null, callsign: null, name: null, shipType: null, dimBow: null, dimStern: null, dimPort: null, dimStarboard: null, epfd: null, etaMonth: null, etaDay: null, etaHour: null, etaMinute: null, draught: null, destination: null, dte: 1 },
    { type: 18, repeat: 0, mmsi: 4, sog: null, accuracy: false, lon: null, lat: null, cog: null, heading: null, second: null, csUnit: true, display: false, dsc: false, band: false, msg22: false, assigned: false, raim: false, radio: 0 },
    { type: 19, repeat: 0, mmsi: 5, sog: null, accuracy: false, lon: null, lat: null, cog: null, heading: null, second: null, name: null, shipType: null, dimBow: null, dimStern: null, dimPort: null, dimStarboard: null, epfd: null, raim: false, dte: 1, assigned: false },
    { type: 21, repeat: 0, mmsi: 993000000, aidType: null, name: null, accuracy: false, lon: null, lat: null, dimBow: null, dimStern: null, dimPort: null, dimStarboard: null, epfd: null, second: null, offPosition: false, raim: false, virtualAid: true, assigned: false },
    { type: 24, repeat: 0, mmsi: 6, partNumber: 0, name: null },
    { type: 24, repeat: 0, mmsi: 7, partNumber: 1, shipType: null, vendorId: null, model: 0, serial: 0, callsign: null, dimBow: null, dimStern: null, dimPort: null, dimStarboard: null, mothershipMmsi: null },
    { type: 24, repeat: 0, mmsi: 982000001, partNumber: 1, shipType: null, vendorId: null, model: 0, serial: 0, callsign: null, dimBow: null, dimStern: null, dimPort: null, dimStarboard: null, mothershipMmsi: null },
    { type: 27, repeat: 0, mmsi: 8, accuracy: false, raim: false, navStatus: null, lon: null, lat: null, sog: null, cog: null, gnss: true },
  ];
  for (const m of allNull) {
    it(`type ${m.type}${m.type === 24 ? ` part ${m.partNumber} mmsi ${m.mmsi}` : ''}: all "not available" values round-trip as null`, () => {
      expect(viaDecoder(m).decoded).toEqual(m);
    });
  }

  it('encodes the ITU sentinel raw values (lon 181, lat 91, SOG 1023, COG 3600, heading 511, second 60, ROT -128)', () => {
    const { payload, fillBits } = encodePayload(allNull[0]!);
    // Re-read the raw fields with a hand-written big-endian reader, independent of the decoder.
    let bits = '';
    for (const ch of payload) {
      let v = ch.charCodeAt(0) - 48;
      if (v > 40) v -= 8;
      bits += v.toString(2).padStart(6, '0');
    }
    bits = bits.slice(0, bits.length - fillBits);
    const u = (s: number, l: number) => parseInt(bits.slice(s, s + l), 2);
    const sgn = (s: number, l: number) => {
      const v = u(s, l);
      return v >= 2 ** (l - 1) ? v - 2 ** l : v;
    };
    expect(u(38, 4)).toBe(15);
    expect(sgn(42, 8)).toBe(-128);
    expect(u(50, 10)).toBe(1023);
    expect(sgn(61, 28)).toBe(181 * 600000);
    expect(sgn(89, 27)).toBe(91 * 600000);
    expect(u(116, 12)).toBe(3600);
    expect(u(128, 9)).toBe(511);
    expect(u(137, 6)).toBe(60);
  });

  it('decodes raw 360–510 heading, 3601+ COG, ±127 ROT and seconds 61–63 to null', () => {
    const base = allNull[0] as PositionReportA;
    for (const [rotRaw, rot] of [[127, null], [-127, null], [126, (126 / 4.733) ** 2], [-2, -((2 / 4.733) ** 2)]] as const) {
      const r = decodePayload(encodePayload({ ...base, rotRaw }).payload, 0);
      expect(r.ok && r.msg.type === 1 && r.msg.rot).toBe(rot);
    }
  });

  it('TAG block + sentence is a valid line carrying time and source', () => {
    const msg = genMessage(new Gen(3), 1);
    const line = encodeTagBlock({ c: 1700000000, s: 'rTEST' }) + encodeMessage(msg)[0];
    const d = new AisDecoder().push(line, 0);
    expect(d?.timestampMs).toBe(1700000000000);
    expect(d?.source).toBe('rTEST');
    expect(d?.msg).toEqual(msg);
  });
});
