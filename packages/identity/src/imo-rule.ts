import { isValidImo } from '@rendezvous/ais';
import { iso, mmsiText } from './format.ts';
import type { AnomalyOf } from './types.ts';

/** The check digit a 7-digit IMO number should end in (IMO Res. A.1117(30)), or null if it has not 7 digits. */
export function imoCheckDigit(imo: number): number | null {
  if (!Number.isInteger(imo) || imo < 1_000_000 || imo > 9_999_999) return null;
  const d = String(imo);
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (d.charCodeAt(i) - 48) * (7 - i);
  return sum % 10;
}

/**
 * `imo_check_digit` for one reported IMO value. A 7-digit number with the wrong check digit is
 * high: typos happen, but a made-up IMO is how a hull hides its history. Other values (1, 1234,
 * 123456789) are low: crews of small and inland craft, which have no IMO number, fill the type 5
 * field with placeholders.
 */
export function imoCheckDigitAnomaly(mmsi: number, imo: number, firstSeen: number): AnomalyOf<'imo_check_digit'> | null {
  if (isValidImo(imo)) return null;
  const expected = imoCheckDigit(imo);
  const reason = expected === null ? 'not_7_digits' : 'check_digit';
  const d = String(imo);
  const explanation =
    expected === null
      ? `MMSI ${mmsiText(mmsi)} reports IMO ${imo}, which is not a 7-digit IMO number`
      : `MMSI ${mmsiText(mmsi)} reports IMO ${imo}, whose check digit should be ${expected}, not ${d[6]} ` +
        `(${[...d.slice(0, 6)].map((c, i) => `${c}×${7 - i}`).join(' + ')} = ${[...d.slice(0, 6)].reduce((s, c, i) => s + Number(c) * (7 - i), 0)})`;
  return {
    kind: 'imo_check_digit',
    mmsi,
    severity: reason === 'check_digit' ? 'high' : 'low',
    detectedFrom: iso(firstSeen),
    detectedTo: null,
    evidence: { imo, reason, expectedCheckDigit: expected, firstSeen: iso(firstSeen) },
    explanation,
  };
}
