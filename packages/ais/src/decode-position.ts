/** Decoders for position reports: types 1/2/3, 18, 19 and 27. */
import type { PayloadBits } from './bits.ts';
import type {
  ExtendedPositionReportB,
  LongRangeReport,
  PositionReportA,
  PositionReportB,
} from './types.ts';
import {
  POS_UNITS,
  POS_UNITS_LR,
  cogFromRaw,
  headingFromRaw,
  latFromRaw,
  lonFromRaw,
  rotFromRaw,
  secondFromRaw,
  sogFromRaw,
  zeroToNull,
} from './scaling.ts';

/** Types 1–3, M.1371-5 Table 48. Caller has checked the length (≥ 163 bits, as gpsd). */
export function decodePositionA(b: PayloadBits, type: 1 | 2 | 3, repeat: number, mmsi: number): PositionReportA {
  // The hottest record: fields are read with constant shifts from big-endian
  // 32-bit windows of the packed bytes (same results as b.u()/b.s(), without
  // a call per field). A 163-bit payload still spans bytes 0–20 (guard bytes
  // after it are zero), so every read below stays in the buffer.
  const B = b.bytes;
  const w4 = (B[4]! << 24) | (B[5]! << 16) | (B[6]! << 8) | B[7]!; // bits 32–63
  const w7 = (B[7]! << 24) | (B[8]! << 16) | (B[9]! << 8) | B[10]!; // bits 56–87
  const w11 = (B[11]! << 24) | (B[12]! << 16) | (B[13]! << 8) | B[14]!; // bits 88–119
  const w14 = (B[14]! << 24) | (B[15]! << 16) | (B[16]! << 8) | B[17]!; // bits 112–143
  const w17 = (B[17]! << 24) | (B[18]! << 16) | (B[19]! << 8) | B[20]!; // bits 136–167
  const nav = (w4 << 6) >>> 28; // 38, 4
  const rotRaw = (w4 << 10) >> 24; // 42, 8 signed
  const lonRaw = ((w7 << 5) >> 4) | (B[11]! >> 7); // 61, 28 signed (27 bits + 1 from byte 11)
  const latRaw = (w11 << 1) >> 5; // 89, 27 signed
  const len = b.bitLength;
  return {
    type,
    repeat,
    mmsi,
    navStatus: nav === 15 ? null : nav,
    rot: rotFromRaw(rotRaw),
    rotRaw,
    sog: sogFromRaw((w4 << 18) >>> 22), // 50, 10
    accuracy: ((w4 >> 3) & 1) === 1, // 60
    lon: lonFromRaw(lonRaw, POS_UNITS),
    lat: latFromRaw(latRaw, POS_UNITS),
    cog: cogFromRaw((w14 << 4) >>> 20), // 116, 12
    heading: headingFromRaw((w14 << 16) >>> 23), // 128, 9
    second: secondFromRaw((w17 << 1) >>> 26), // 137, 6
    maneuver: zeroToNull((w17 << 7) >>> 30), // 143, 2
    raim: ((w17 >> 19) & 1) === 1, // 148
    // gpsd reads only the bits present when a report is short (163–167 bits).
    radio: len >= 168 ? (w17 << 13) >>> 13 : b.u(149, len - 149), // 149, 19
  };
}

/** Type 18, M.1371-5 Table 59 (≥ 168 bits). */
export function decodePositionB(b: PayloadBits, repeat: number, mmsi: number): PositionReportB {
  return {
    type: 18,
    repeat,
    mmsi,
    sog: sogFromRaw(b.u(46, 10)),
    accuracy: b.b(56),
    lon: lonFromRaw(b.s(57, 28), POS_UNITS),
    lat: latFromRaw(b.s(85, 27), POS_UNITS),
    cog: cogFromRaw(b.u(112, 12)),
    heading: headingFromRaw(b.u(124, 9)),
    second: secondFromRaw(b.u(133, 6)),
    csUnit: b.b(141),
    display: b.b(142),
    dsc: b.b(143),
    band: b.b(144),
    msg22: b.b(145),
    assigned: b.b(146),
    raim: b.b(147),
    radio: b.u(148, 20),
  };
}

/** Type 19, M.1371-5 Table 60 (≥ 312 bits). */
export function decodeExtendedPositionB(b: PayloadBits, repeat: number, mmsi: number): ExtendedPositionReportB {
  return {
    type: 19,
    repeat,
    mmsi,
    sog: sogFromRaw(b.u(46, 10)),
    accuracy: b.b(56),
    lon: lonFromRaw(b.s(57, 28), POS_UNITS),
    lat: latFromRaw(b.s(85, 27), POS_UNITS),
    cog: cogFromRaw(b.u(112, 12)),
    heading: headingFromRaw(b.u(124, 9)),
    second: secondFromRaw(b.u(133, 6)),
    name: b.text(143, 20),
    shipType: zeroToNull(b.u(263, 8)),
    dimBow: zeroToNull(b.u(271, 9)),
    dimStern: zeroToNull(b.u(280, 9)),
    dimPort: zeroToNull(b.u(289, 6)),
    dimStarboard: zeroToNull(b.u(295, 6)),
    epfd: zeroToNull(b.u(301, 4)),
    raim: b.b(305),
    dte: b.u(306, 1),
    assigned: b.b(307),
  };
}

/** Type 27, M.1371-5 Table 87 (96 bits; 168 seen in the wild, as gpsd notes). */
export function decodeLongRange(b: PayloadBits, repeat: number, mmsi: number): LongRangeReport {
  const nav = b.u(40, 4);
  const sog = b.u(79, 6);
  const cog = b.u(85, 9);
  return {
    type: 27,
    repeat,
    mmsi,
    accuracy: b.b(38),
    raim: b.b(39),
    navStatus: nav === 15 ? null : nav,
    lon: lonFromRaw(b.s(44, 18), POS_UNITS_LR),
    lat: latFromRaw(b.s(62, 17), POS_UNITS_LR),
    sog: sog === 63 ? null : sog,
    cog: cog >= 360 ? null : cog,
    gnss: b.b(94),
  };
}
