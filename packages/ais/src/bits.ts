/**
 * 6-bit payload armoring (ITU-R M.1371-5 / IEC 61162-1 §8.2.4, "six-bit
 * ASCII") and big-endian bit-field access. Hot path: no regexes, no arrays
 * per call; one growable Uint8Array of 6-bit values is reused.
 */

/** Armored character → 6-bit value, or −1 if the character is not in the alphabet. */
export function dearmorChar(code: number): number {
  if (code >= 48 && code <= 87) return code - 48; // '0'..'W' → 0..39
  if (code >= 96 && code <= 119) return code - 56; // '`'..'w' → 40..63
  return -1;
}

/** 6-bit value → armored character code. */
export function armorValue(v: number): number {
  return v < 40 ? v + 48 : v + 56;
}

/**
 * Six-bit text alphabet (M.1371-5 Table 47): values 0–31 map to '@'..'_',
 * 32–63 map to ' '..'?'.
 */
export function sixbitToCharCode(v: number): number {
  return v < 32 ? v + 64 : v;
}

/** ASCII char code → 6-bit text value, or −1 if not representable. */
export function charCodeToSixbit(code: number): number {
  if (code >= 64 && code <= 95) return code - 64;
  if (code >= 32 && code <= 63) return code;
  return -1;
}

/** Armored character code → 6-bit value, −1 outside the alphabet (index by char code < 128). */
export const DEARMOR: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 0; c < 128; c++) t[c] = dearmorChar(c);
  return t;
})();

/** DEARMOR over all byte values (−1 from 128 up), so byte input needs no range test. */
const DEARMOR256: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  t.set(DEARMOR);
  return t;
})();

const UTF8 = new TextEncoder();
/** Payloads up to this many characters are copied to bytes by `load()`; ≤ 3 UTF-8 bytes per UTF-16 unit, so any of them fits. */
const SCRATCH_CHARS = 1024;
const SCRATCH = new Uint8Array(SCRATCH_CHARS * 3);

/** Guard bytes zeroed past the payload so reads near the end see 0 bits, never stale data. */
const GUARD = 8;

/**
 * A dearmored payload, packed MSB-first into bytes. `load()` /
 * `loadBytes()` validate and pack in one pass (table lookup, no per-call
 * allocation); the readers then do 32-bit integer arithmetic on at most five
 * bytes per field.
 */
export class PayloadBits {
  bytes: Uint8Array = new Uint8Array(512);
  /** Number of armored characters loaded. */
  chars = 0;
  /** Payload length in bits (chars·6 − fill). */
  bitLength = 0;

  private ensure(n: number): Uint8Array {
    // n chars → ceil(6n/8) bytes, plus the guard.
    const need = ((n * 3) >> 2) + 1 + GUARD;
    if (this.bytes.length < need) this.bytes = new Uint8Array(need * 2);
    return this.bytes;
  }

  private finish(o: number, acc: number, nbits: number, n: number, fillBits: number): void {
    const out = this.bytes;
    if (nbits > 0) out[o++] = (acc << (8 - nbits)) & 0xff;
    for (let k = 0; k < GUARD; k++) out[o + k] = 0;
    this.chars = n;
    this.bitLength = n * 6 - fillBits;
  }

  /**
   * Load an armored payload. Returns the index of the first invalid
   * character, or −1 when every character is valid.
   */
  load(payload: string, fillBits: number): number {
    const n = payload.length;
    // Native copy to bytes, then the byte loop: faster than charCodeAt per character.
    if (n <= SCRATCH_CHARS && UTF8.encodeInto(payload, SCRATCH).written === n) return this.loadBytes(SCRATCH, 0, n, fillBits);
    return this.loadChars(payload, fillBits);
  }

  /** `load()` one character at a time (long or non-ASCII payloads). */
  private loadChars(payload: string, fillBits: number): number {
    const n = payload.length;
    const out = this.ensure(n);
    let acc = 0;
    let nbits = 0;
    let o = 0;
    for (let i = 0; i < n; i++) {
      const c = payload.charCodeAt(i);
      const v = c < 128 ? DEARMOR[c]! : -1;
      if (v < 0) return i;
      acc = ((acc << 6) | v) & 0x3fff;
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        out[o++] = acc >> nbits;
      }
    }
    this.finish(o, acc, nbits, n, fillBits);
    return -1;
  }

  /** As `load()`, from ASCII bytes `src[from, to)`. Returns the offset (from `from`) of the first invalid byte, or −1. */
  loadBytes(src: Uint8Array, from: number, to: number, fillBits: number): number {
    const n = to - from;
    const out = this.ensure(n);
    const T = DEARMOR256;
    let o = 0;
    let i = from;
    // Four characters (24 bits) → three bytes, one validity test per group.
    for (; i + 4 <= to; i += 4) {
      const a = T[src[i]!]!;
      const b = T[src[i + 1]!]!;
      const c = T[src[i + 2]!]!;
      const d = T[src[i + 3]!]!;
      if ((a | b | c | d) < 0) break;
      out[o] = (a << 2) | (b >> 4);
      out[o + 1] = (b << 4) | (c >> 2);
      out[o + 2] = (c << 6) | d;
      o += 3;
    }
    let acc = 0;
    let nbits = 0;
    for (; i < to; i++) {
      const v = T[src[i]!]!;
      if (v < 0) return i - from;
      acc = ((acc << 6) | v) & 0x3fff;
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        out[o++] = acc >> nbits;
      }
    }
    this.finish(o, acc, nbits, n, fillBits);
    return -1;
  }

  /**
   * `loadBytes()` that also returns the XOR of the bytes `src[from, to)`
   * (the payload's share of the NMEA checksum), or −1 if a byte is outside
   * the armoring alphabet (nothing else is guaranteed then).
   */
  loadBytesXor(src: Uint8Array, from: number, to: number, fillBits: number): number {
    const n = to - from;
    const out = this.ensure(n);
    const T = DEARMOR256;
    let x = 0;
    let o = 0;
    let i = from;
    for (; i + 4 <= to; i += 4) {
      const ra = src[i]!;
      const rb = src[i + 1]!;
      const rc = src[i + 2]!;
      const rd = src[i + 3]!;
      const a = T[ra]!;
      const b = T[rb]!;
      const c = T[rc]!;
      const d = T[rd]!;
      if ((a | b | c | d) < 0) return -1;
      x ^= ra ^ rb ^ rc ^ rd;
      out[o] = (a << 2) | (b >> 4);
      out[o + 1] = (b << 4) | (c >> 2);
      out[o + 2] = (c << 6) | d;
      o += 3;
    }
    let acc = 0;
    let nbits = 0;
    for (; i < to; i++) {
      const r = src[i]!;
      const v = T[r]!;
      if (v < 0) return -1;
      x ^= r;
      acc = ((acc << 6) | v) & 0x3fff;
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        out[o++] = acc >> nbits;
      }
    }
    this.finish(o, acc, nbits, n, fillBits);
    return x;
  }

  /**
   * XOR of the bytes `src[from, to)`, or −1 if one is outside the armoring
   * alphabet. Validates a fragment without unpacking it (it is unpacked
   * once, when its message is complete).
   */
  static xorArmored(src: Uint8Array, from: number, to: number): number {
    const T = DEARMOR256;
    let x = 0;
    let bad = 0;
    for (let i = from; i < to; i++) {
      const r = src[i]!;
      bad |= T[r]!;
      x ^= r;
    }
    return bad < 0 ? -1 : x;
  }

  /** Unsigned big-endian field of `len` (1–30) bits starting at bit `start`. */
  u(start: number, len: number): number {
    const B = this.bytes;
    const j = start >> 3;
    const off = start & 7;
    const w = (B[j]! << 24) | (B[j + 1]! << 16) | (B[j + 2]! << 8) | B[j + 3]!;
    const v = (w << off) >>> (32 - len);
    const over = off + len - 32;
    // A field that spans a fifth byte (only when off + len > 32, i.e. len ≥ 26).
    return over > 0 ? v | (B[j + 4]! >> (8 - over)) : v;
  }

  /** Two's-complement signed field of `len` (1–30) bits. */
  s(start: number, len: number): number {
    const sh = 32 - len;
    return (this.u(start, len) << sh) >> sh;
  }

  /** Boolean from one bit. */
  b(start: number): boolean {
    return ((this.bytes[start >> 3]! >> (7 - (start & 7))) & 1) === 1;
  }

  /**
   * Six-bit text of `count` characters. Like gpsd (driver_ais.c
   * from_sixbit), stops at the first '@' and trims trailing spaces; returns
   * null for an empty result. Never reads past `bitLength`.
   */
  text(start: number, count: number, trim = true): string | null {
    const maxCount = ((this.bitLength - start) / 6) | 0;
    if (count > maxCount) count = maxCount;
    if (count <= 0) return null;
    const codes = TEXT_CODES;
    let end = 0; // number of chars before the first '@'
    for (; end < count; end++) {
      const v = this.u(start + end * 6, 6);
      if (v === 0) break;
      codes[end] = v < 32 ? v + 64 : v;
    }
    if (trim) while (end > 0 && codes[end - 1] === 32) end--;
    if (end === 0) return null;
    return textFromCodes(codes, end);
  }
}

/** Scratch char codes for `text()` (six-bit strings are at most 60 characters in any field we decode). */
const TEXT_CODES: number[] = new Array<number>(256).fill(0);
/** Exact-length scratch arrays, so one `String.fromCharCode.apply` builds the whole string. */
const BY_LEN: number[][] = Array.from({ length: 64 }, (_, n) => new Array<number>(n).fill(0));

function textFromCodes(codes: number[], n: number): string {
  if (n < BY_LEN.length) {
    const a = BY_LEN[n]!;
    for (let i = 0; i < n; i++) a[i] = codes[i]!;
    return String.fromCharCode.apply(null, a);
  }
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(codes[i]!);
  return s;
}

/**
 * Bit writer for the encoder. Not on the decode hot path; favours clarity.
 */
export class BitWriter {
  private bits: number[] = [];

  get length(): number {
    return this.bits.length;
  }

  /** Append `len` bits of `value` (two's complement if negative), MSB first. */
  put(value: number, len: number): this {
    if (!Number.isInteger(value)) throw new RangeError(`non-integer field value ${value}`);
    const min = -(2 ** (len - 1));
    if (value < min || value >= 2 ** len) throw new RangeError(`value ${value} does not fit in ${len} bits`);
    let v = value < 0 ? value + 2 ** len : value;
    const out = new Array<number>(len);
    for (let i = len - 1; i >= 0; i--) {
      out[i] = v % 2;
      v = Math.floor(v / 2);
    }
    for (const b of out) this.bits.push(b);
    return this;
  }

  putBool(v: boolean): this {
    return this.put(v ? 1 : 0, 1);
  }

  /** Six-bit text, upper-cased, padded with '@' to `count` characters. Throws on unrepresentable characters. */
  putText(text: string | null, count: number): this {
    const s = (text ?? '').toUpperCase();
    if (s.length > count) throw new RangeError(`text "${s}" longer than ${count} characters`);
    for (let i = 0; i < count; i++) {
      const v = i < s.length ? charCodeToSixbit(s.charCodeAt(i)) : 0;
      if (v < 0) throw new RangeError(`character ${JSON.stringify(s[i])} not in the AIS six-bit alphabet`);
      this.put(v, 6);
    }
    return this;
  }

  /** Armor to a 6-bit payload; returns the payload and the number of fill bits. */
  armor(): { payload: string; fillBits: number } {
    const fillBits = (6 - (this.bits.length % 6)) % 6;
    const all = this.bits.concat(new Array<number>(fillBits).fill(0));
    let payload = '';
    for (let i = 0; i < all.length; i += 6) {
      let v = 0;
      for (let j = 0; j < 6; j++) v = (v << 1) | all[i + j]!;
      payload += String.fromCharCode(armorValue(v));
    }
    return { payload, fillBits };
  }
}
