/**
 * Incremental line splitter: feed it chunks as they are read, get back the complete lines.
 *
 * - Terminators: `\n`, `\r\n` and a lone `\r` (some receivers and serial bridges send CR only).
 *   A `\r\n` split across two chunks is still one terminator. Empty lines carry nothing and are
 *   skipped (counted in `emptyLines`), which is what makes `\r\n` vs `\n\r` vs `\r` unambiguous.
 * - A partial last line is kept until the chunk that terminates it arrives, so a sentence split
 *   across TCP reads comes out whole. `end()` returns it at end of input (a file whose last line
 *   has no newline); `dropPartial()` discards it (a TCP disconnect: never glue it to the next
 *   connection's first line).
 * - Bytes are decoded as latin1, not UTF-8. NMEA 0183 is 7-bit ASCII, so for valid input the two
 *   agree; for garbage latin1 maps every byte to exactly one char, so it never throws, never emits
 *   U+FFFD, needs no state for a multi-byte sequence split across chunks, keeps length in chars ==
 *   length in bytes, and V8 stores the result as a one-byte string (the fastest decode there is).
 *   Non-ASCII bytes reach the decoder as such and fail its checksum / character checks.
 * - `maxLineBytes` is memory protection, not validation (the AIS decoder counts `line_too_long`
 *   at 1024 itself): a line longer than it is discarded up to its terminator and counted once in
 *   `oversizedLines`, whether it arrived in one chunk or in many, so output never depends on how
 *   the input was chunked.
 *
 * Hot path: one `indexOf` per terminator kind, moving forward only, and one `slice` per line;
 * no per-character JS loop.
 */
import { DEFAULT_MAX_LINE_BYTES } from './line-source.ts';

const LF = 10;

export interface LineSplitterOptions {
  /** Longer lines are dropped and counted. Default 64 KiB. For string input: chars. */
  maxLineBytes?: number;
}

export class LineSplitter {
  readonly maxLineBytes: number;
  /** Lines dropped for exceeding maxLineBytes. */
  oversizedLines = 0;
  /** Empty lines skipped (e.g. blank lines between sentences). */
  emptyLines = 0;
  /** Unterminated tail of the previous chunks ('' when none). */
  private carry = '';
  /** The previous chunk ended with '\r': a '\n' starting the next one completes that CRLF. */
  private skipLeadingLF = false;
  /** Inside an oversized line: everything up to the next terminator is discarded. */
  private discarding = false;

  constructor(options: LineSplitterOptions = {}) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${max}`);
    this.maxLineBytes = max;
  }

  /** Bytes (chars) of the pending partial line. */
  get pendingLength(): number {
    return this.carry.length;
  }

  /** Split `chunk`, appending complete lines to `out` (a fresh array by default); returns `out`. */
  push(chunk: Buffer | string, out: string[] = []): string[] {
    const s = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const n = s.length;
    if (n === 0) return out;
    let pos = 0;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (s.charCodeAt(0) === LF) pos = 1;
    }
    const max = this.maxLineBytes;
    let lf = s.indexOf('\n', pos);
    let cr = s.indexOf('\r', pos);
    while (lf >= 0 || cr >= 0) {
      let end: number;
      let next: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        end = cr;
        if (cr + 1 < n) next = s.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        else {
          next = n;
          this.skipLeadingLF = true;
        }
      } else {
        end = lf;
        next = lf + 1;
      }
      if (this.discarding) this.discarding = false; // the oversized line ends here; already counted
      else {
        const carry = this.carry;
        const len = carry.length + end - pos;
        if (len === 0) this.emptyLines++;
        else if (len > max) this.oversizedLines++;
        else out.push(carry === '' ? s.slice(pos, end) : carry + s.slice(pos, end));
        if (carry !== '') this.carry = '';
      }
      pos = next;
      if (lf >= 0 && lf < pos) lf = s.indexOf('\n', pos);
      if (cr >= 0 && cr < pos) cr = s.indexOf('\r', pos);
    }
    if (pos < n && !this.discarding) {
      if (this.carry.length + n - pos > max) {
        // Cap memory now rather than buffer a line that will be dropped anyway.
        this.oversizedLines++;
        this.discarding = true;
        this.carry = '';
      } else this.carry = this.carry === '' ? s.slice(pos) : this.carry + s.slice(pos);
    }
    return out;
  }

  /** End of input: returns the unterminated last line (null if none) and resets for reuse. */
  end(): string | null {
    const line = this.carry;
    const complete = !this.discarding && line !== '';
    this.reset();
    return complete ? line : null;
  }

  /** Discards the partial line (connection lost); returns whether there was one. */
  dropPartial(): boolean {
    const had = this.carry !== '';
    this.reset();
    return had;
  }

  private reset(): void {
    this.carry = '';
    this.skipLeadingLF = false;
    this.discarding = false;
  }
}
