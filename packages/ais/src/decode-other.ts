/** Decoders for type 4/11 (base station / UTC response) and type 21 (AtoN). */
import type { PayloadBits } from './bits.ts';
import type { AidToNavigationReport, BaseStationReport } from './types.ts';
import { POS_UNITS, latFromRaw, lonFromRaw, secondFromRaw, zeroToNull } from './scaling.ts';

/** Epoch ms for a fully valid UTC date/time, else null (rejects e.g. 31 February). */
export function utcFromParts(
  year: number | null,
  month: number | null,
  day: number | null,
  hour: number | null,
  minute: number | null,
  second: number | null,
): number | null {
  if (year === null || month === null || day === null || hour === null || minute === null || second === null) return null;
  if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  // Date.UTC maps years 0–99 to 1900–1999 and rolls impossible days over; reject both.
  if (d.getUTCFullYear() !== year || d.getUTCDate() !== day) return null;
  return ms;
}

/** Types 4 and 11, M.1371-5 Table 51 (≥ 168 bits). */
export function decodeBaseStation(b: PayloadBits, type: 4 | 11, repeat: number, mmsi: number): BaseStationReport {
  const year = zeroToNull(b.u(38, 14));
  const month = zeroToNull(b.u(52, 4));
  const day = zeroToNull(b.u(56, 5));
  const h = b.u(61, 5);
  const m = b.u(66, 6);
  const hour = h === 24 ? null : h;
  const minute = m === 60 ? null : m;
  const second = secondFromRaw(b.u(72, 6));
  return {
    type,
    repeat,
    mmsi,
    utc: utcFromParts(year, month, day, hour, minute, second),
    year,
    month,
    day,
    hour,
    minute,
    second,
    accuracy: b.b(78),
    lon: lonFromRaw(b.s(79, 28), POS_UNITS),
    lat: latFromRaw(b.s(107, 27), POS_UNITS),
    epfd: zeroToNull(b.u(134, 4)),
    raim: b.b(148),
    radio: b.u(149, 19),
  };
}

/** Type 21, M.1371-5 Table 72 (272–368 bits; name extension from bit 272). */
export function decodeAidToNavigation(b: PayloadBits, repeat: number, mmsi: number): AidToNavigationReport {
  // As gpsd: the extension only continues a name that fills all 20 characters
  // (trailing spaces included), and the joined name is trimmed afterwards.
  let name: string | null;
  const extChars = ((b.bitLength - 272) / 6) | 0;
  const full = extChars > 0 ? b.text(43, 20, false) : null;
  if (full !== null && full.length === 20) {
    const joined = (full + (b.text(272, extChars, false) ?? '')).trimEnd();
    name = joined === '' ? null : joined;
  } else {
    name = b.text(43, 20);
  }
  return {
    type: 21,
    repeat,
    mmsi,
    aidType: zeroToNull(b.u(38, 5)),
    name,
    accuracy: b.b(163),
    lon: lonFromRaw(b.s(164, 28), POS_UNITS),
    lat: latFromRaw(b.s(192, 27), POS_UNITS),
    dimBow: zeroToNull(b.u(219, 9)),
    dimStern: zeroToNull(b.u(228, 9)),
    dimPort: zeroToNull(b.u(237, 6)),
    dimStarboard: zeroToNull(b.u(243, 6)),
    epfd: zeroToNull(b.u(249, 4)),
    second: secondFromRaw(b.u(253, 6)),
    offPosition: b.b(259),
    raim: b.b(268),
    virtualAid: b.b(269),
    assigned: b.b(270),
  };
}
