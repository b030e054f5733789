/**
 * An independent, brute-force reading of the generated NMEA for the tests: decode with the project's
 * decoder, drop receiver duplicates, split tracks whose implied speed is impossible, resample to a
 * 1-minute grid (no interpolation across gaps ≥ 1 h, as GFW) and look for GFW-rule encounters.
 * Deliberately simple and slow: it must not share code with the generator it checks.
 */
import { AisDecoder, type DecodedAis } from '@rendezvous/ais';
import { METRES_PER_NM } from '@rendezvous/geodesy';

export interface Fix {
  t: number;
  lat: number;
  lon: number;
  sog: number;
}

export interface Decoded {
  fixes: Map<number, Fix[]>;
  statics: DecodedAis[];
  /** All positions incl. receiver copies (for duplicate checks). */
  copies: number;
  rejected: Record<string, number>;
  byType: Record<number, number>;
  lines: number;
  /** c: times in line order (for the sort check). */
  times: number[];
  sources: Set<string>;
}

export function decodeLines(lines: Iterable<string>): Decoded {
  const dec = new AisDecoder();
  const fixes = new Map<number, Fix[]>();
  const seen = new Map<number, Set<string>>();
  const statics: DecodedAis[] = [];
  const times: number[] = [];
  const sources = new Set<string>();
  let copies = 0;
  let n = 0;
  const take = (d: DecodedAis) => {
    times.push(d.timestampMs ?? NaN);
    if (d.source) sources.add(d.source);
    const m = d.msg;
    if (m.type === 1 || m.type === 2 || m.type === 3 || m.type === 18) {
      copies++;
      if (m.lat === null || m.lon === null) throw new Error(`position without coordinates for ${m.mmsi}`);
      let s = seen.get(m.mmsi);
      if (!s) seen.set(m.mmsi, (s = new Set()));
      if (s.has(d.payload)) return; // the same transmission heard by another receiver
      s.add(d.payload);
      let list = fixes.get(m.mmsi);
      if (!list) fixes.set(m.mmsi, (list = []));
      list.push({ t: d.timestampMs!, lat: m.lat, lon: m.lon, sog: m.sog ?? 0 });
    } else {
      statics.push(d);
    }
  };
  for (const line of lines) {
    n++;
    const d = dec.push(line, n);
    if (d) take(d);
    for (let x = dec.shift(); x; x = dec.shift()) take(x);
  }
  dec.flush();
  const st = dec.stats;
  const rejected: Record<string, number> = {};
  for (const [k, v] of Object.entries(st.rejected)) if (v > 0) rejected[k] = v;
  for (const list of fixes.values()) list.sort((a, b) => a.t - b.t);
  return { fixes, statics, copies, rejected, byType: { ...st.byType }, lines: n, times, sources };
}

const R = 6_371_008.8;
export function haversineM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Split one MMSI's fixes into tracks: a fix joins the track it can be reached from at ≤ 50 kn. */
export function splitTracks(fixes: Fix[], maxKn = 50): Fix[][] {
  const tracks: Fix[][] = [];
  for (const f of fixes) {
    let best: Fix[] | null = null;
    for (const tr of tracks) {
      const last = tr[tr.length - 1]!;
      const hours = Math.max(1, f.t - last.t) / 3_600_000;
      const kn = haversineM(last, f) / METRES_PER_NM / hours;
      if (kn <= maxKn && (!best || last.t > best[best.length - 1]!.t)) best = tr;
    }
    if (best) best.push(f);
    else tracks.push([f]);
  }
  return tracks;
}

export const MIN = 60_000;
export const HOUR = 3_600_000;

/** Positions on a 1-minute grid; linear between fixes < 1 h apart (longitude across the wrap). */
export function resample(track: Fix[], stepMs = MIN, maxGapMs = HOUR): Map<number, Fix> {
  const out = new Map<number, Fix>();
  for (let i = 0; i < track.length; i++) {
    const a = track[i]!;
    const b = track[i + 1];
    const t0 = Math.ceil(a.t / stepMs) * stepMs;
    if (!b || b.t - a.t >= maxGapMs) {
      if (t0 === a.t) out.set(t0, a);
      continue;
    }
    let dLon = b.lon - a.lon;
    if (dLon > 180) dLon -= 360;
    if (dLon < -180) dLon += 360;
    for (let t = t0; t < b.t; t += stepMs) {
      const f = (t - a.t) / (b.t - a.t);
      let lon = a.lon + dLon * f;
      if (lon > 180) lon -= 360;
      if (lon <= -180) lon += 360;
      out.set(t, { t, lat: a.lat + (b.lat - a.lat) * f, lon, sog: a.sog + (b.sog - a.sog) * f });
    }
  }
  return out;
}

export interface Run {
  start: number;
  end: number;
  minutes: number;
  medianSog: [number, number];
  maxDistanceM: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs of consecutive grid minutes where both are present and within `distanceM`. */
export function closeRuns(a: Map<number, Fix>, b: Map<number, Fix>, distanceM = 500, stepMs = MIN): Run[] {
  const runs: Run[] = [];
  const times = [...a.keys()].filter((t) => b.has(t)).sort((x, y) => x - y);
  let cur: { start: number; last: number; sa: number[]; sb: number[]; maxD: number } | null = null;
  const close = () => {
    if (cur) runs.push({ start: cur.start, end: cur.last, minutes: (cur.last - cur.start) / MIN, medianSog: [median(cur.sa), median(cur.sb)], maxDistanceM: cur.maxD });
    cur = null;
  };
  for (const t of times) {
    const fa = a.get(t)!;
    const fb = b.get(t)!;
    const d = haversineM(fa, fb);
    if (d > distanceM) {
      close();
      continue;
    }
    if (cur && t - cur.last !== stepMs) close();
    if (!cur) cur = { start: t, last: t, sa: [], sb: [], maxD: 0 };
    cur.last = t;
    cur.sa.push(fa.sog);
    cur.sb.push(fb.sog);
    cur.maxD = Math.max(cur.maxD, d);
  }
  close();
  return runs;
}

/** The GFW rule applied to runs: ≥ 2 h and both median speeds < 2 kn. */
export const gfwEncounters = (runs: Run[]): Run[] => runs.filter((r) => r.minutes >= 120 && r.medianSog[0] < 2 && r.medianSog[1] < 2);
