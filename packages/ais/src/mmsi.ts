/**
 * MMSI classification per ITU-R M.585-9 Annex 1 (formats of maritime
 * identities): the leading digits select the station kind and where the
 * MID sits; the MID must be allocated (see mid.ts).
 */
import { lookupMid } from './mid.ts';

export type MmsiKind =
  | 'ship' // MIDxxxxxx, first digit 2–7
  | 'group' // 0MIDxxxxx
  | 'coast_station' // 00MIDxxxx
  | 'sar_aircraft' // 111MIDxxx
  | 'handheld' // 8MIDxxxxx (handheld VHF with DSC and GNSS)
  | 'craft_associated' // 98MIDxxxx (craft associated with a parent ship)
  | 'aton' // 99MIDxxxx (aid to navigation)
  | 'sart_mob_epirb' // 970xxyyyy AIS-SART, 972xxyyyy MOB, 974xxyyyy EPIRB-AIS (no MID)
  | 'invalid';

export interface MmsiClass {
  valid: boolean;
  kind: MmsiKind;
  mid: number | null;
  /** ISO 3166-1 alpha-2 of the MID's flag state. */
  flag: string | null;
  /** Why `valid` is false: 'not_9_digits', 'bad_prefix', 'unallocated_mid'. */
  reason?: string;
}

/**
 * Classify an MMSI given as a number (0–999999999) or a 9-digit string.
 */
export function classifyMmsi(mmsi: number | string): MmsiClass {
  let text: string;
  if (typeof mmsi === 'number') {
    if (!Number.isInteger(mmsi) || mmsi < 0 || mmsi > 999999999) {
      return { valid: false, kind: 'invalid', mid: null, flag: null, reason: 'not_9_digits' };
    }
    text = String(mmsi).padStart(9, '0');
  } else {
    text = mmsi.trim();
    if (!/^[0-9]{9}$/.test(text)) return { valid: false, kind: 'invalid', mid: null, flag: null, reason: 'not_9_digits' };
  }
  const d0 = text.charCodeAt(0) - 48;
  let kind: MmsiKind;
  let midAt: number;
  if (d0 >= 2 && d0 <= 7) {
    kind = 'ship';
    midAt = 0;
  } else if (d0 === 0) {
    if (text[1] === '0') {
      kind = 'coast_station';
      midAt = 2;
    } else {
      kind = 'group';
      midAt = 1;
    }
  } else if (d0 === 1) {
    if (!text.startsWith('111')) return { valid: false, kind: 'invalid', mid: null, flag: null, reason: 'bad_prefix' };
    kind = 'sar_aircraft';
    midAt = 3;
  } else if (d0 === 8) {
    kind = 'handheld';
    midAt = 1;
  } else {
    const p = text.slice(0, 3);
    if (p === '970' || p === '972' || p === '974') return { valid: true, kind: 'sart_mob_epirb', mid: null, flag: null };
    if (text[1] === '8') kind = 'craft_associated';
    else if (text[1] === '9') kind = 'aton';
    else return { valid: false, kind: 'invalid', mid: null, flag: null, reason: 'bad_prefix' };
    midAt = 2;
  }
  const mid = Number(text.slice(midAt, midAt + 3));
  const entry = lookupMid(mid);
  if (entry === undefined) return { valid: false, kind, mid, flag: null, reason: 'unallocated_mid' };
  return { valid: true, kind, mid, flag: entry.iso2 };
}

/**
 * `classifyMmsi(mmsi).valid` without building the classification: ingest asks it of every report
 * (issue 16), and a ship's MMSI (first digit 2–7, the MID its first three digits) is read
 * arithmetically; anything else is classified in full.
 */
export function isValidMmsi(mmsi: number): boolean {
  if (mmsi >= 200_000_000 && mmsi <= 799_999_999 && Number.isInteger(mmsi)) return lookupMid(Math.floor(mmsi / 1_000_000)) !== undefined;
  return classifyMmsi(mmsi).valid;
}
