/**
 * Record types produced by the decoder and accepted by the encoder.
 *
 * Units follow ITU-R M.1371-5 after scaling: degrees (WGS-84), knots, metres,
 * degrees/minute. Every "not available" sentinel becomes `null`; the exact
 * sentinel for each field is noted next to it (M.1371-5 table numbers cited).
 */

/** Fields shared by every message (M.1371-5 §3.3.7, bits 0–37). */
export interface AisHeader {
  repeat: number; // 0–3
  /** 30-bit MMSI as a number; format with `formatMmsi()` for the 9-digit zero-padded text. */
  mmsi: number;
}

/** Types 1, 2, 3: Class A position report (M.1371-5 Table 48). */
export interface PositionReportA extends AisHeader {
  type: 1 | 2 | 3;
  /** 0–14; raw 15 ("not defined", the default) → null. */
  navStatus: number | null;
  /** Rate of turn in degrees/minute, signed (+ = starboard), from ROT_AIS = 4.733·√ROT. null for raw −128 (n/a) and ±127 (turning > 5°/30 s, no TI: direction is in `rotRaw`). */
  rot: number | null;
  /** Raw signed 8-bit ROT field (−128…127); the encoder uses this, not `rot`. */
  rotRaw: number;
  /** Knots, 0.1 kn resolution; raw 1023 → null (1022 means ≥ 102.2 kn). */
  sog: number | null;
  accuracy: boolean;
  /** Degrees, 1/10000 min resolution; 181 → null. */
  lon: number | null;
  /** Degrees, 1/10000 min resolution; 91 → null. */
  lat: number | null;
  /** Degrees, 0.1° resolution; raw 3600 → null. */
  cog: number | null;
  /** Degrees 0–359; 511 → null. */
  heading: number | null;
  /** UTC second 0–59; 60 (n/a), 61 (manual), 62 (dead reckoning), 63 (inoperative) → null. */
  second: number | null;
  /** 1 = no special manoeuvre, 2 = special; 0 (n/a) → null. */
  maneuver: number | null;
  raim: boolean;
  /** Raw 19-bit communication state (SOTDMA/ITDMA), undecoded. */
  radio: number;
}

/** Types 4 and 11: base station report / UTC date response (M.1371-5 Table 51). */
export interface BaseStationReport extends AisHeader {
  type: 4 | 11;
  /** Epoch milliseconds, null if any component is n/a or the date is impossible. Derived: the encoder ignores it. */
  utc: number | null;
  year: number | null; // 1–9999, 0 → null
  month: number | null; // 1–12, 0 → null
  day: number | null; // 1–31, 0 → null
  hour: number | null; // 0–23, 24 → null
  minute: number | null; // 0–59, 60 → null
  second: number | null; // 0–59, 60 → null
  accuracy: boolean;
  lon: number | null;
  lat: number | null;
  /** Position fixing device type 1–15; 0 (undefined) → null. */
  epfd: number | null;
  raim: boolean;
  radio: number;
}

/** Type 5: static and voyage related data (M.1371-5 Table 52). */
export interface StaticVoyageData extends AisHeader {
  type: 5;
  aisVersion: number; // 0–3
  /** IMO number; 0 → null. Not check-digit-validated here (see isValidImo). */
  imo: number | null;
  callsign: string | null;
  name: string | null;
  /** Ship and cargo type 1–255; 0 → null. */
  shipType: number | null;
  /** Metres; 0 → null. 511 (bow/stern) and 63 (port/starboard) mean "that or more". */
  dimBow: number | null;
  dimStern: number | null;
  dimPort: number | null;
  dimStarboard: number | null;
  epfd: number | null;
  etaMonth: number | null; // 0 → null
  etaDay: number | null; // 0 → null
  etaHour: number | null; // 24 → null
  etaMinute: number | null; // 60 → null
  /** Metres, 0.1 m resolution; 0 → null (25.5 means ≥ 25.5 m). */
  draught: number | null;
  destination: string | null;
  /** Raw DTE bit: 0 = data terminal available, 1 = not available. */
  dte: number;
}

/** Type 18: standard Class B CS position report (M.1371-5 Table 59). */
export interface PositionReportB extends AisHeader {
  type: 18;
  sog: number | null;
  accuracy: boolean;
  lon: number | null;
  lat: number | null;
  cog: number | null;
  heading: number | null;
  second: number | null;
  /** true = Class B "CS" (carrier-sense) unit, false = SOTDMA unit. */
  csUnit: boolean;
  display: boolean;
  dsc: boolean;
  band: boolean;
  msg22: boolean;
  assigned: boolean;
  raim: boolean;
  radio: number;
}

/** Type 19: extended Class B position report (M.1371-5 Table 60). */
export interface ExtendedPositionReportB extends AisHeader {
  type: 19;
  sog: number | null;
  accuracy: boolean;
  lon: number | null;
  lat: number | null;
  cog: number | null;
  heading: number | null;
  second: number | null;
  name: string | null;
  shipType: number | null;
  dimBow: number | null;
  dimStern: number | null;
  dimPort: number | null;
  dimStarboard: number | null;
  epfd: number | null;
  raim: boolean;
  dte: number;
  assigned: boolean;
}

/** Type 21: aid-to-navigation report (M.1371-5 Table 72). */
export interface AidToNavigationReport extends AisHeader {
  type: 21;
  /** 1–31 (Table 74); 0 (not specified) → null. */
  aidType: number | null;
  /** Name including the name extension (up to 34 characters). */
  name: string | null;
  accuracy: boolean;
  lon: number | null;
  lat: number | null;
  dimBow: number | null;
  dimStern: number | null;
  dimPort: number | null;
  dimStarboard: number | null;
  epfd: number | null;
  second: number | null;
  /** Raw off-position bit; only meaningful when `second` is not null. */
  offPosition: boolean;
  raim: boolean;
  virtualAid: boolean;
  assigned: boolean;
}

/** Type 24 part A (M.1371-5 Table 76). */
export interface StaticDataReportA extends AisHeader {
  type: 24;
  partNumber: 0;
  name: string | null;
}

/** Type 24 part B (M.1371-5 Table 76). */
export interface StaticDataReportB extends AisHeader {
  type: 24;
  partNumber: 1;
  shipType: number | null;
  /** Manufacturer ID, 3 characters (first 18 bits of the 42-bit vendor ID since M.1371-4). */
  vendorId: string | null;
  /** Unit model code 0–15 (bits 66–69). */
  model: number;
  /** Unit serial number 0–1048575 (bits 70–89). */
  serial: number;
  callsign: string | null;
  /** Dimensions (metres, 0 → null); all null when the MMSI is an auxiliary craft (98MIDxxxx). */
  dimBow: number | null;
  dimStern: number | null;
  dimPort: number | null;
  dimStarboard: number | null;
  /** Parent ship MMSI, only for auxiliary craft (98MIDxxxx); otherwise null. */
  mothershipMmsi: number | null;
}

/** Type 27: long-range AIS broadcast (M.1371-5 Table 87). */
export interface LongRangeReport extends AisHeader {
  type: 27;
  accuracy: boolean;
  raim: boolean;
  /** 0–14; 15 → null. */
  navStatus: number | null;
  /** Degrees at 1/10 minute resolution; 181 → null. */
  lon: number | null;
  /** Degrees at 1/10 minute resolution; 91 → null. */
  lat: number | null;
  /** Knots 0–62; 63 → null. */
  sog: number | null;
  /** Degrees 0–359; 511 → null. */
  cog: number | null;
  /** Raw bit 94: M.1371-5 calls it "position latency" (true = latency > 5 s); gpsd calls it `gnss`. */
  gnss: boolean;
}

/** Message types recognised and counted but not decoded beyond the header. */
export type OtherMessageType =
  | 6 | 7 | 8 | 9 | 10 | 12 | 13 | 14 | 15 | 16 | 17 | 20 | 22 | 23 | 25 | 26;

export interface OtherMessage extends AisHeader {
  type: OtherMessageType;
  /** Length of the reassembled payload in bits (after fill bits). */
  bitLength: number;
}

export type StaticDataReport = StaticDataReportA | StaticDataReportB;

/** Discriminated union keyed by `type`. */
export type AisMessage =
  | PositionReportA
  | BaseStationReport
  | StaticVoyageData
  | PositionReportB
  | ExtendedPositionReportB
  | AidToNavigationReport
  | StaticDataReport
  | LongRangeReport
  | OtherMessage;

/** Everything the encoder can produce. */
export type EncodableMessage = Exclude<AisMessage, OtherMessage>;

/** One completed message out of the streaming decoder. */
export interface DecodedAis {
  msg: AisMessage;
  /** From the TAG block `c:`, else `$PGHP`, else a trailing / leading unix time; null if the line carried none. Epoch ms. */
  timestampMs: number | null;
  /** The `receivedAtMs` passed to push() with the last fragment. */
  receivedAtMs: number;
  /** TAG block `s:` or trailing station id (e.g. `b003669794`, `r09STOL1`); null if none. */
  source: string | null;
  /** Two-character talker of the (last) sentence, e.g. `AI`, `BS`. */
  talker: string;
  /** Radio channel `A`/`B`/`1`/`2`/…; null when empty. */
  channel: string | null;
  /** true for VDO (own-ship) sentences. */
  own: boolean;
  /** Full reassembled 6-bit armored payload; stable dedup key across receivers. */
  payload: string;
  /** Fill bits of the last fragment (0–5). */
  fillBits: number;
  /** Number of NMEA sentences the message was carried in. */
  fragments: number;
}
