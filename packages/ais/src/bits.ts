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

/**
 * A dearmored payload. `load()` validates and unpacks in one pass; the
 * readers then work on the 6-bit values directly.
 */
export class PayloadBits {
  values: Uint8Array = new Uint8Array(256);
  /** Number of armored characters loaded. */
  chars = 0;
  /** Payload length in bits (chars·6 − fill). */
  bitLength = 0;

  /**
   * Load an armored payload. Returns the index of the first invalid
   * character, or −1 when every character is valid.
   */
  load(payload: string, fillBits: number): number {
    const n = payload.length;
    if (this.values.length < n + 8) this.values = new Uint8Array((n + 8) * 2);
    const vals = this.values;
    for (let i = 0; i < n; i++) {
      const c = payload.charCodeAt(i);
      let v = c - 48;
      if (v > 39) {
        v = c - 56;
        if (v < 40 || v > 63) return i;
      } else if (v < 0) return i;
      vals[i] = v;
    }
    // Zero a guard area so permissive reads past the end see 0 bits, never stale data.
    for (let i = n; i < n + 6; i++) vals[i] = 0;
    this.chars = n;
    this.bitLength = n * 6 - fillBits;
    return -1;
  }

  /** Unsigned big-endian field of `len` ≤ 30 bits starting at bit `start`. */
  u(start: number, len: number): number {
    const vals = this.values;
    let idx = (start / 6) | 0;
    let off = start - idx * 6; // bits already consumed in values[idx] (from the MSB)
    let v = 0;
    let remaining = len;
    while (remaining > 0) {
      const avail = 6 - off;
      const take = avail < remaining ? avail : remaining;
      v = (v << take) | ((vals[idx]! >> (avail - take)) & ((1 << take) - 1));
      remaining -= take;
      idx++;
      off = 0;
    }
    return v;
  }

  /** Two's-complement signed field of `len` ≤ 30 bits. */
  s(start: number, len: number): number {
    const v = this.u(start, len);
    const sign = 1 << (len - 1);
    return v & sign ? v - (sign << 1) : v;
  }

  /** Boolean from one bit. */
  b(start: number): boolean {
    const idx = (start / 6) | 0;
    return ((this.values[idx]! >> (5 - (start - idx * 6))) & 1) === 1;
  }

  /**
   * Six-bit text of `count` characters. Like gpsd (driver_ais.c
   * from_sixbit), stops at the first '@' and trims trailing spaces; returns
   * null for an empty result. Never reads past `bitLength`.
   */
  text(start: number, count: number, trim = true): string | null {
    const maxCount = ((this.bitLength - start) / 6) | 0;
    if (count > maxCount) count = maxCount;
    let end = 0; // number of chars before the first '@'
    for (; end < count; end++) {
      if (this.u(start + end * 6, 6) === 0) break;
    }
    if (trim) while (end > 0 && this.u(start + (end - 1) * 6, 6) === 32) end--;
    if (end === 0) return null;
    let s = '';
    for (let i = 0; i < end; i++) s += String.fromCharCode(sixbitToCharCode(this.u(start + i * 6, 6)));
    return s;
  }
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
