/** Decoders for static data: type 5, type 24 parts A/B, type 19 text helpers. */
import type { PayloadBits } from './bits.ts';
import type { StaticDataReportA, StaticDataReportB, StaticVoyageData } from './types.ts';
import { zeroToNull } from './scaling.ts';

/** Auxiliary craft associated with a parent ship: 98MIDxxxx (ITU-R M.585-9 Annex 1 §3). */
export function isAuxiliaryMmsi(mmsi: number): boolean {
  return mmsi >= 980000000 && mmsi < 990000000;
}

/** Type 5, M.1371-5 Table 52. Caller ensured ≥ 420 bits (gpsd accepts 420/422 from real transmitters). */
export function decodeStaticVoyage(b: PayloadBits, repeat: number, mmsi: number): StaticVoyageData {
  const etaHour = b.u(283, 5);
  const etaMinute = b.u(288, 6);
  const draught = b.u(294, 8);
  return {
    type: 5,
    repeat,
    mmsi,
    aisVersion: b.u(38, 2),
    imo: zeroToNull(b.u(40, 30)),
    callsign: b.text(70, 7),
    name: b.text(112, 20),
    shipType: zeroToNull(b.u(232, 8)),
    dimBow: zeroToNull(b.u(240, 9)),
    dimStern: zeroToNull(b.u(249, 9)),
    dimPort: zeroToNull(b.u(258, 6)),
    dimStarboard: zeroToNull(b.u(264, 6)),
    epfd: zeroToNull(b.u(270, 4)),
    etaMonth: zeroToNull(b.u(274, 4)),
    etaDay: zeroToNull(b.u(278, 5)),
    etaHour: etaHour === 24 ? null : etaHour,
    etaMinute: etaMinute === 60 ? null : etaMinute,
    draught: draught === 0 ? null : draught / 10,
    destination: b.text(302, 20),
    // Short (420/422-bit) reports lack the DTE bit; use its default, 1 = not available.
    dte: b.bitLength >= 423 ? b.u(422, 1) : 1,
  };
}

/** Type 24 part A, M.1371-5 Table 76 (160–168 bits). */
export function decodeStaticA(b: PayloadBits, repeat: number, mmsi: number): StaticDataReportA {
  return { type: 24, repeat, mmsi, partNumber: 0, name: b.text(40, 20) };
}

/** Type 24 part B, M.1371-5 Table 76 (≥ 168 bits). */
export function decodeStaticB(b: PayloadBits, repeat: number, mmsi: number): StaticDataReportB {
  const aux = isAuxiliaryMmsi(mmsi);
  return {
    type: 24,
    repeat,
    mmsi,
    partNumber: 1,
    shipType: zeroToNull(b.u(40, 8)),
    vendorId: b.text(48, 3),
    model: b.u(66, 4),
    serial: b.u(70, 20),
    callsign: b.text(90, 7),
    dimBow: aux ? null : zeroToNull(b.u(132, 9)),
    dimStern: aux ? null : zeroToNull(b.u(141, 9)),
    dimPort: aux ? null : zeroToNull(b.u(150, 6)),
    dimStarboard: aux ? null : zeroToNull(b.u(156, 6)),
    mothershipMmsi: aux ? zeroToNull(b.u(132, 30)) : null,
  };
}
