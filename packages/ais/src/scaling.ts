/**
 * Raw ↔ physical conversions and sentinel handling (ITU-R M.1371-5
 * Tables 48, 59, 87). Each decoder maps the sentinel to null; the encoder
 * maps null back to the sentinel, so decode(encode(x)) is the identity on
 * quantised values.
 */

/** 1/10000 minute units per degree (position reports, Table 48). */
export const POS_UNITS = 600000;
/** 1/10 minute units per degree (type 27 long-range, Table 87). */
export const POS_UNITS_LR = 600;

/** lon raw → degrees; 181° (n/a) and anything outside ±180° → null. */
export function lonFromRaw(raw: number, units: number): number | null {
  const deg = raw / units;
  return deg > 180 || deg < -180 ? null : deg;
}

/** lat raw → degrees; 91° (n/a) and anything outside ±90° → null. */
export function latFromRaw(raw: number, units: number): number | null {
  const deg = raw / units;
  return deg > 90 || deg < -90 ? null : deg;
}

export function lonToRaw(lon: number | null, units: number): number {
  return lon === null ? 181 * units : Math.round(lon * units);
}

export function latToRaw(lat: number | null, units: number): number {
  return lat === null ? 91 * units : Math.round(lat * units);
}

/** SOG in 0.1 kn; 1023 = n/a. */
export function sogFromRaw(raw: number): number | null {
  return raw === 1023 ? null : raw / 10;
}

export function sogToRaw(sog: number | null): number {
  return sog === null ? 1023 : Math.round(sog * 10);
}

/** COG in 0.1°; 3600 = n/a, 3601–4095 are not used and also mapped to null. */
export function cogFromRaw(raw: number): number | null {
  return raw >= 3600 ? null : raw / 10;
}

export function cogToRaw(cog: number | null): number {
  return cog === null ? 3600 : Math.round(cog * 10);
}

/** True heading 0–359; 511 = n/a (360–510 unused, also null). */
export function headingFromRaw(raw: number): number | null {
  return raw >= 360 ? null : raw;
}

export function headingToRaw(h: number | null): number {
  return h === null ? 511 : h;
}

/** UTC second 0–59; 60–63 are status codes (n/a, manual, DR, inoperative) → null. */
export function secondFromRaw(raw: number): number | null {
  return raw >= 60 ? null : raw;
}

export function secondToRaw(s: number | null): number {
  return s === null ? 60 : s;
}

/**
 * ROT (Table 48 note): ROT_AIS = 4.733·√ROT_sensor, ROT_sensor in °/min.
 * −128 = n/a; ±127 = turning faster than 5°/30 s without a turn indicator
 * (direction only), so no rate is reported for them.
 */
export function rotFromRaw(raw: number): number | null {
  if (raw === -128 || raw === 127 || raw === -127) return null;
  const r = raw / 4.733;
  return raw < 0 ? -(r * r) : r * r;
}

/** °/min → raw ROT_AIS, clamped to ±126 (±127/−128 are reserved for status). */
export function rotToRaw(degPerMin: number): number {
  const raw = Math.round(4.733 * Math.sqrt(Math.abs(degPerMin)));
  const clamped = raw > 126 ? 126 : raw;
  return degPerMin < 0 ? -clamped : clamped;
}

/** Zero means "not available" for dimensions, IMO, draught, ship type, EPFD, ETA month/day. */
export function zeroToNull(raw: number): number | null {
  return raw === 0 ? null : raw;
}

export function nullToZero(v: number | null): number {
  return v === null ? 0 : v;
}

/** Format an MMSI as the 9-digit zero-padded text used on the air and in registers. */
export function formatMmsi(mmsi: number): string {
  return String(mmsi).padStart(9, '0');
}
