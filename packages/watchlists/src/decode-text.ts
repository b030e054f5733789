/**
 * Bytes → text for list files. Decoding is the loader's job; this is the one place it is done.
 *
 * Order: a BOM decides (UTF-8 EF BB BF, UTF-16LE FF FE, UTF-16BE FE FF); without one, text
 * whose odd or even bytes are mostly NUL is UTF-16 (LE/BE); otherwise strict UTF-8 is tried
 * and, if the bytes are not valid UTF-8, windows-1252 is used. windows-1252 is the superset
 * browsers use for "latin-1"; the Danish Maritime Authority's EU vessel list is latin-1 (its
 * non-ASCII bytes are 0xA0 no-break spaces). windows-1252 decodes any byte string, so binary
 * input comes out as text; the parsers then reject it (NUL characters, no known header).
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** Whether a byte-order mark was present (and stripped). */
  bom: boolean;
}

function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  // ASCII text in UTF-16 has a NUL in every pair on one side and (almost) none on the other.
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

export function decodeTextWithInfo(bytes: Uint8Array): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8', bom: true };
    } catch {
      return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252', bom: true };
    }
  }
  if (b0 === 0xff && b1 === 0xfe) {
    return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return { text: new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  }
  const u16 = utf16WithoutBom(bytes);
  if (u16 !== null) return { text: new TextDecoder(u16, { ignoreBOM: true }).decode(bytes), encoding: u16, bom: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', bom: false };
  }
}

/** The text only; use decodeTextWithInfo to learn which encoding was used. */
export function decodeText(bytes: Uint8Array): string {
  return decodeTextWithInfo(bytes).text;
}
