import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * `COPY (…) TO STDOUT (FORMAT binary)` read row by row without a text parser: the fastest way
 * to move millions of numeric rows out of PostgreSQL into Node (measured on 2.88 M positions:
 * 0.9 s to drain binary against 1.5 s for COPY text and ~3 s for one WKB line per vessel built
 * by ST_MakeLine). `onRow` gets the chunk's DataView and each field's byte offset (-1 = NULL);
 * a row split across chunks is reassembled before it is handed over.
 */
export async function copyBinaryRows(
  client: pg.ClientBase,
  sql: string,
  fields: number,
  onRow: (view: DataView, offsets: Int32Array) => void,
): Promise<number> {
  const offsets = new Int32Array(fields);
  let carry: Buffer | null = null;
  let headerDone = false;
  let rows = 0;
  const stream = client.query(copyTo(sql));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    if (!headerDone) {
      // "PGCOPY\n\377\r\n\0", flags (int32), header extension length (int32) + extension.
      if (buf.length < 19) {
        carry = buf;
        continue;
      }
      pos = 19 + view.getInt32(15);
      headerDone = true;
    }
    const end = buf.length;
    while (pos + 2 <= end) {
      const count = view.getInt16(pos);
      if (count === -1) {
        pos = end; // trailer
        break;
      }
      if (count !== fields) throw new Error(`COPY row has ${count} fields, expected ${fields}`);
      let p = pos + 2;
      let complete = true;
      for (let f = 0; f < fields; f++) {
        if (p + 4 > end) {
          complete = false;
          break;
        }
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) offsets[f] = -1;
        else {
          if (p + len > end) {
            complete = false;
            break;
          }
          offsets[f] = p;
          p += len;
        }
      }
      if (!complete) break;
      onRow(view, offsets);
      rows++;
      pos = p;
    }
    if (pos < end) carry = buf.subarray(pos);
  }
  return rows;
}

/** PostgreSQL's epoch (2000-01-01) in Unix µs. */
const PG_EPOCH_US = 946_684_800_000_000;

/**
 * A binary timestamptz (int64 µs since 2000) as epoch ms. One rounding of the exact µs count,
 * so it equals `extract(epoch FROM ts) * 1000` read as float8.
 */
export function timestampMs(view: DataView, offset: number): number {
  return (view.getInt32(offset) * 4_294_967_296 + view.getUint32(offset + 4) + PG_EPOCH_US) / 1000;
}

/** A SQL literal for a timestamp in a COPY statement (COPY takes no bind parameters). */
export function timestampLiteral(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a finite time: ${ms}`);
  return `'${new Date(ms).toISOString()}'::timestamptz`;
}

/** A SQL literal for a number in a COPY statement; refuses anything but a finite number. */
export function numberLiteral(x: number): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`not a finite number: ${String(x)}`);
  return String(x);
}

/** An integer[] literal for a COPY statement; refuses anything but safe integers. */
export function integerArrayLiteral(values: readonly number[]): string {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new RangeError(`not an integer: ${String(v)}`);
  return `'{${values.join(',')}}'::integer[]`;
}
