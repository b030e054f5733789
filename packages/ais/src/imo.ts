/**
 * IMO ship identification number check (IMO Resolution A.1117(30)): seven
 * digits; the last is Σ(dᵢ × (7,6,5,4,3,2)) mod 10 over the first six.
 * Accepts a number, or a string with an optional "IMO" prefix.
 */
export function isValidImo(imo: number | string): boolean {
  let text: string;
  if (typeof imo === 'number') {
    if (!Number.isInteger(imo)) return false;
    text = String(imo);
  } else {
    text = imo.trim().replace(/^IMO\s*/i, '');
  }
  if (!/^[1-9][0-9]{6}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (text.charCodeAt(i) - 48) * (7 - i);
  return sum % 10 === text.charCodeAt(6) - 48;
}
