/** NMEA 0183 checksum helpers: XOR of all characters between the start delimiter and '*'. */

/** Value of a hex digit char code (either case), or −1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** XOR checksum of `s` from index `from` (inclusive) to `to` (exclusive). */
export function xorChecksum(s: string, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= s.charCodeAt(i);
  return x;
}

/** Two upper-case hex digits. */
export function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16).toUpperCase();
}
