import { classifyMmsi, type MmsiKind } from '@rendezvous/ais';
import { iso, mmsiText } from './format.ts';
import type { AnomalyOf, Severity } from './types.ts';

/** ITU-R M.585 station kinds, as an analyst reads them. */
const KIND_NAMES: Record<MmsiKind, string> = {
  ship: 'a ship station',
  group: 'a group call identity (0MIDxxxxx)',
  coast_station: 'a coast station identity (00MIDxxxx)',
  sar_aircraft: 'a SAR aircraft identity (111MIDxxx)',
  handheld: 'a handheld VHF identity (8MIDxxxxx)',
  craft_associated: 'a craft associated with a parent ship (98MIDxxxx)',
  aton: 'an aid to navigation (99MIDxxxx)',
  sart_mob_epirb: 'an AIS-SART/MOB/EPIRB device (970/972/974xxxxxx)',
  invalid: 'no valid identity',
};

/**
 * Non-ship kinds that legitimately send position reports (a tender under its mother ship's
 * 98MID identity, a SART in distress, a handheld) are low; identities that never belong on a
 * moving vessel's report are medium; malformed or unallocated identities are high: nobody was
 * issued them, so someone typed them in.
 */
const NOT_A_SHIP_SEVERITY: Partial<Record<MmsiKind, Severity>> = {
  craft_associated: 'low',
  sart_mob_epirb: 'low',
  handheld: 'low',
};

/**
 * `invalid_mmsi`: not 9 digits, an unallocated MID, or not a ship identity (ITU-R M.585-9 via
 * classifyMmsi). `seen` is the vessel's first and last transmission.
 */
export function invalidMmsiAnomaly(mmsi: number, seen: { firstSeen: number; lastSeen: number }): AnomalyOf<'invalid_mmsi'> | null {
  const c = classifyMmsi(mmsi);
  if (c.valid && c.kind === 'ship') return null;
  const text = mmsiText(mmsi);
  let reason: AnomalyOf<'invalid_mmsi'>['evidence']['reason'];
  let severity: Severity;
  let why: string;
  if (!c.valid) {
    severity = 'high';
    reason = c.reason === 'unallocated_mid' || c.reason === 'bad_prefix' ? c.reason : 'not_9_digits';
    why =
      reason === 'unallocated_mid'
        ? `MID ${String(c.mid).padStart(3, '0')} is not allocated by the ITU`
        : reason === 'bad_prefix'
          ? `its leading digits ${text.slice(0, 3)} are no ITU-R M.585 identity format`
          : 'it is not a 9-digit number';
  } else {
    reason = 'not_a_ship';
    severity = NOT_A_SHIP_SEVERITY[c.kind] ?? 'medium';
    why = `it is ${KIND_NAMES[c.kind]}, not a ship station (MIDxxxxxx, first digit 2–7), yet it reported vessel positions`;
  }
  return {
    kind: 'invalid_mmsi',
    mmsi,
    severity,
    detectedFrom: iso(seen.firstSeen),
    detectedTo: iso(seen.lastSeen),
    evidence: { mmsi: text, reason, stationKind: c.kind, mid: c.mid },
    explanation: `MMSI ${text}: ${why}`,
  };
}
