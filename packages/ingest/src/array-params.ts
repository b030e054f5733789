/**
 * Array parameters in PostgreSQL's binary array format (array_recv): pg sends a Buffer parameter
 * as binary, so a batch's upsert arrays go as one buffer each instead of pg's text literal, which
 * it builds element by element — a string per value, quoted, escaped by two regular expressions
 * and concatenated — ≈ 190 B of garbage per ingested position for the vessels' upsert alone, alive
 * through the commit and so promoted by V8 (issue 16). The element type must be the one the query
 * casts to ($1::int[] → int4), or the server refuses the array.
 *
 * Each encoder returns null when a value would not be read as pg's text would have it (an integer
 * beyond its column's range, which text refuses as a data error but binary would wrap; a text with
 * a NUL character): the caller then passes the plain array, exactly as before.
 */

const OID = { bool: 16, int2: 21, int4: 23, text: 25, float8: 701 } as const;

function header(n: number, oid: number, valueBytes: number): { buffer: Buffer; at: number } {
  const buffer = Buffer.allocUnsafe(20 + n * 4 + valueBytes);
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(0, 4); // flags (has-null is informational; array_recv ignores it)
  buffer.writeInt32BE(oid, 8);
  buffer.writeInt32BE(n, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  return { buffer, at: 20 };
}

/** int4[] of `value(i)` for i < n (null: NULL), or null when a value is not a 32-bit integer. */
export function int4Array(n: number, value: (i: number) => number | null): Buffer | null {
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) nulls++;
    else if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) return null;
  }
  const { buffer } = header(n, OID.int4, (n - nulls) * 4);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) at = buffer.writeInt32BE(-1, at);
    else at = buffer.writeInt32BE(v, buffer.writeInt32BE(4, at));
  }
  return buffer;
}

/** int2[] of `value(i)` (null: NULL), or null when a value is not a 16-bit integer. */
export function int2Array(n: number, value: (i: number) => number | null): Buffer | null {
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) nulls++;
    else if (!Number.isInteger(v) || v < -32768 || v > 32767) return null;
  }
  const { buffer } = header(n, OID.int2, (n - nulls) * 2);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) at = buffer.writeInt32BE(-1, at);
    else at = buffer.writeInt16BE(v, buffer.writeInt32BE(2, at));
  }
  return buffer;
}

/** float8[] of `value(i)` (null: NULL): the double's own bits, which the shortest round-trip text also gives. */
export function float8Array(n: number, value: (i: number) => number | null): Buffer {
  let nulls = 0;
  for (let i = 0; i < n; i++) if (value(i) === null) nulls++;
  const { buffer } = header(n, OID.float8, (n - nulls) * 8);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) at = buffer.writeInt32BE(-1, at);
    // -0 as 0: pg's text of -0 is "0".
    else at = buffer.writeDoubleBE(v === 0 ? 0 : v, buffer.writeInt32BE(8, at));
  }
  return buffer;
}

/** bool[] of `value(i)` (null: NULL). */
export function boolArray(n: number, value: (i: number) => boolean | null): Buffer {
  let nulls = 0;
  for (let i = 0; i < n; i++) if (value(i) === null) nulls++;
  const { buffer } = header(n, OID.bool, n - nulls);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) at = buffer.writeInt32BE(-1, at);
    else at = buffer.writeUInt8(v ? 1 : 0, buffer.writeInt32BE(1, at));
  }
  return buffer;
}

/** text[] of `value(i)` as UTF-8 (null: NULL), or null when a text holds a NUL character. */
export function textArray(n: number, value: (i: number) => string | null): Buffer | null {
  let bound = 0;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) continue;
    if (v.includes('\0')) return null;
    bound += v.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
  }
  const { buffer } = header(n, OID.text, bound);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) {
      at = buffer.writeInt32BE(-1, at);
      continue;
    }
    const written = buffer.write(v, at + 4, 'utf8');
    buffer.writeInt32BE(written, at);
    at += 4 + written;
  }
  return buffer.subarray(0, at);
}
