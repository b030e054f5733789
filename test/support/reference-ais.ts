// An independent, deliberately plain reading of NMEA AIS files, used by the end-to-end ingest
// tests to count what ingest should store without asking the product's decoder. Written from
// ITU-R M.1371-5 directly: its own sentence parsing, checksum, fragment pairing and bit reader.
// Slow and simple on purpose.

export interface ReferencePosition {
  mmsi: number;
  ts: number | null;
  lon: number;
  lat: number;
  payload: string;
}

export interface ReferenceCounts {
  positions: ReferencePosition[];
  /** MMSIs that ingest should create vessel rows for: an accepted position or a complete identity report. */
  vessels: Set<number>;
  /** Last name reported per MMSI by type 5 (in file order). */
  type5Names: Map<number, string>;
  namedVessels: Set<number>;
}

function checksumOk(sentence: string): boolean {
  const star = sentence.indexOf('*');
  if (star < 0) return false;
  let x = 0;
  for (let i = 1; i < star; i++) x ^= sentence.charCodeAt(i);
  return parseInt(sentence.slice(star + 1, star + 3), 16) === x;
}

function bitsOf(payload: string): number[] {
  const bits: number[] = [];
  for (const ch of payload) {
    let v = ch.charCodeAt(0) - 48;
    if (v > 40) v -= 8;
    for (let b = 5; b >= 0; b--) bits.push((v >> b) & 1);
  }
  return bits;
}

function uint(bits: number[], start: number, len: number): number {
  let v = 0;
  for (let i = start; i < start + len; i++) v = v * 2 + (bits[i] ?? 0);
  return v;
}

function int(bits: number[], start: number, len: number): number {
  const v = uint(bits, start, len);
  return bits[start] === 1 ? v - 2 ** len : v;
}

function text(bits: number[], start: number, len: number): string {
  let s = '';
  for (let i = start; i + 6 <= start + len; i += 6) {
    const c = uint(bits, i, 6);
    s += String.fromCharCode(c < 32 ? c + 64 : c);
  }
  return s.replace(/@.*$/, '').trimEnd();
}

/** Where each position type keeps lon/lat (start bit, width, divisor to degrees). */
// Accepted lengths follow gpsd's tolerance (1-3: 163-204 bits; 27: exactly 96 or 168).
const POSITION_LAYOUT: Record<number, { lon: number; lat: number; width: [number, number]; div: number; bits: (n: number) => boolean }> = {
  1: { lon: 61, lat: 89, width: [28, 27], div: 600000, bits: (n) => n >= 163 && n <= 204 },
  2: { lon: 61, lat: 89, width: [28, 27], div: 600000, bits: (n) => n >= 163 && n <= 204 },
  3: { lon: 61, lat: 89, width: [28, 27], div: 600000, bits: (n) => n >= 163 && n <= 204 },
  18: { lon: 57, lat: 85, width: [28, 27], div: 600000, bits: (n) => n >= 168 },
  19: { lon: 57, lat: 85, width: [28, 27], div: 600000, bits: (n) => n >= 312 },
  27: { lon: 44, lat: 62, width: [18, 17], div: 600, bits: (n) => n === 96 || n === 168 },
};

export function referenceCounts(text_: string): ReferenceCounts {
  const positions: ReferencePosition[] = [];
  const vessels = new Set<number>();
  const type5Names = new Map<number, string>();
  const namedVessels = new Set<number>();
  let pendingTime: number | null = null;
  const groups = new Map<string, { parts: string[]; total: number; time: number | null }>();
  const seenPayloads = new Set<string>();
  const seenKeys = new Set<string>();

  for (const raw of text_.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('$PGHP')) {
      if (!checksumOk(line)) continue;
      const f = line.split(',');
      pendingTime = Date.UTC(+f[2]!, +f[3]! - 1, +f[4]!, +f[5]!, +f[6]!, +f[7]!, +f[8]!);
      continue;
    }
    // A trailing `,<unix time>` after the checksum is a common receiver addition (DMA, USCG).
    const m = /^!..VD[MO],(\d),(\d),(\d?),([^,]*),([^,]*),(\d)\*[0-9A-F]{2}(?:,\d+)?$/.exec(line);
    const time = pendingTime;
    pendingTime = null;
    if (!m || !checksumOk(line)) continue;
    const [, totalS, numS, seq, channel, payload, fillS] = m;
    const total = +totalS!;
    const num = +numS!;
    let full: string | null = null;
    let fullTime = time;
    if (total === 1) full = payload!;
    else {
      const key = `${seq}|${channel}`;
      if (num === 1) groups.set(key, { parts: [payload!], total, time });
      else {
        const g = groups.get(key);
        if (g && g.parts.length === num - 1) {
          g.parts.push(payload!);
          if (g.parts.length === g.total) {
            full = g.parts.join('');
            fullTime = g.time;
            groups.delete(key);
          }
        } else groups.delete(key);
      }
    }
    if (full === null || full.length === 0) continue;
    const bits = bitsOf(full);
    bits.length -= Math.min(+fillS!, bits.length);
    const type = uint(bits, 0, 6);
    const mmsi = uint(bits, 8, 30);
    if (mmsi === 0) continue;
    const layout = POSITION_LAYOUT[type];
    if (type === 5 && bits.length >= 420) {
      vessels.add(mmsi);
      const name = text(bits, 112, 120);
      if (name) {
        type5Names.set(mmsi, name);
        namedVessels.add(mmsi);
      }
    }
    if (type === 24 && bits.length >= 160) {
      const part = uint(bits, 38, 2);
      if (part === 0 || (part === 1 && bits.length >= 168)) vessels.add(mmsi);
      if (part === 0 && text(bits, 40, 120)) namedVessels.add(mmsi);
    }
    if (type === 19 && bits.length >= 312 && text(bits, 143, 120)) namedVessels.add(mmsi);
    if (!layout || !layout.bits(bits.length)) continue;
    if (type === 19) vessels.add(mmsi);
    const lon = int(bits, layout.lon, layout.width[0]) / layout.div;
    const lat = int(bits, layout.lat, layout.width[1]) / layout.div;
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90 || (lon === 0 && lat === 0)) continue;
    if (seenPayloads.has(full)) continue;
    seenPayloads.add(full);
    if (fullTime !== null) {
      const key = `${mmsi}|${fullTime}`;
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
    }
    positions.push({ mmsi, ts: fullTime, lon, lat, payload: full });
    vessels.add(mmsi);
  }
  return { positions, vessels, type5Names, namedVessels };
}
