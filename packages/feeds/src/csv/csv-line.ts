/**
 * One-line CSV field splitter (RFC 4180 quoting) that records field spans instead of building
 * strings: ingest runs it per row at 100k+ rows/s and most numeric fields are parsed straight
 * from the line (csv-number.ts), so a row costs no per-field allocation unless a caller asks
 * for a field's text.
 *
 * Scope: one physical line. A quoted field that would continue onto the next line (RFC 4180
 * allows it) is reported as malformed; none of the AIS CSV sources we read (MarineCadastre,
 * DMA aisdk) put line breaks inside fields.
 */

const QUOTE = 34;
const CR = 13;

/** `split` result for a line whose quoting is broken (unterminated quote, junk after a closing quote). */
export const CSV_MALFORMED = -1;

export class CsvSplitter {
  readonly delimiter: string;
  private readonly delimCode: number;
  /** Field i spans [starts[i], ends[i]) of the line, quotes excluded. Valid up to `count`. */
  starts: Int32Array;
  ends: Int32Array;
  /** Per field: 1 = was quoted, 2 = holds doubled quotes that `text` must unescape. */
  flags: Uint8Array;
  count = 0;

  constructor(delimiter = ',', initialCapacity = 32) {
    if (delimiter.length !== 1 || delimiter === '"') throw new RangeError(`bad CSV delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
    this.starts = new Int32Array(initialCapacity);
    this.ends = new Int32Array(initialCapacity);
    this.flags = new Uint8Array(initialCapacity);
  }

  /** Splits `line` (a trailing CR is ignored). Returns the field count, or CSV_MALFORMED. */
  split(line: string): number {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === CR) end--;
    const d = this.delimiter;
    let count = 0;
    let i = 0;
    for (;;) {
      if (count === this.starts.length) this.grow();
      if (i < end && line.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let flag = 1;
        let close: number;
        for (;;) {
          close = line.indexOf('"', j);
          if (close < 0 || close >= end) return (this.count = CSV_MALFORMED);
          if (close + 1 < end && line.charCodeAt(close + 1) === QUOTE) {
            flag = 3;
            j = close + 2;
            continue;
          }
          break;
        }
        this.starts[count] = i + 1;
        this.ends[count] = close;
        this.flags[count] = flag;
        count++;
        i = close + 1;
        if (i === end) break;
        // RFC 4180: a closing quote is followed by a delimiter or the end of the record.
        if (line.charCodeAt(i) !== this.delimCode) return (this.count = CSV_MALFORMED);
        i++;
        if (i === end) {
          // Trailing delimiter: one more, empty field.
          if (count === this.starts.length) this.grow();
          this.starts[count] = i;
          this.ends[count] = i;
          this.flags[count] = 0;
          count++;
          break;
        }
        continue;
      }
      let k = line.indexOf(d, i);
      if (k < 0 || k > end) k = end;
      this.starts[count] = i;
      this.ends[count] = k;
      this.flags[count] = 0;
      count++;
      if (k === end) break;
      i = k + 1;
    }
    return (this.count = count);
  }

  /** Field i's text, unquoted and unescaped (not trimmed). */
  text(line: string, i: number): string {
    const s = line.slice(this.starts[i]!, this.ends[i]!);
    return (this.flags[i]! & 2) === 0 ? s : s.replaceAll('""', '"');
  }

  /** Whether field i is empty or only spaces/tabs. */
  isBlank(line: string, i: number): boolean {
    const e = this.ends[i]!;
    for (let p = this.starts[i]!; p < e; p++) {
      const c = line.charCodeAt(p);
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const flags = new Uint8Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

/** Convenience (allocating) form: the fields of one line, or null when its quoting is broken. */
export function splitCsvLine(line: string, delimiter = ','): string[] | null {
  const sp = new CsvSplitter(delimiter);
  const n = sp.split(line);
  if (n === CSV_MALFORMED) return null;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = sp.text(line, i);
  return out;
}
