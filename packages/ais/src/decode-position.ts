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
  const nav = b.u(38, 4);
  const rotRaw = b.s(42, 8);
  const len = b.bitLength;
  return {
    type,
    repeat,
    mmsi,
    navStatus: nav === 15 ? null : nav,
    rot: rotFromRaw(rotRaw),
    rotRaw,
    sog: sogFromRaw(b.u(50, 10)),
    accuracy: b.b(60),
    lon: lonFromRaw(b.s(61, 28), POS_UNITS),
    lat: latFromRaw(b.s(89, 27), POS_UNITS),
    cog: cogFromRaw(b.u(116, 12)),
    heading: headingFromRaw(b.u(128, 9)),
    second: secondFromRaw(b.u(137, 6)),
    maneuver: zeroToNull(b.u(143, 2)),
    raim: b.b(148),
    // gpsd reads only the bits present when a report is short (163–167 bits).
    radio: len >= 168 ? b.u(149, 19) : b.u(149, len - 149),
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
