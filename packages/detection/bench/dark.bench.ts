/**
 * Dark-activity throughput (reception index + AIS gaps + loitering + dark rendezvous) on synthetic
 * traffic, and its ratio to the rendezvous detector (`detectWindow`) on the same tracks in the
 * same run.
 *   node packages/detection/bench/dark.bench.ts [--vessels 500,2000,8000] [--reps 3]
 *
 * Traffic (in memory, column-wise, deterministic): vessels over 37 h (a 1 h window plus the
 * 12 h + 24 h of context a gap window loads) reporting once per 10 minutes (± 1 min), which is what
 * the detector reads from its 10-minute buckets. 78 % sail at 6–15 kn with course changes, 10 %
 * drift at 0.2–1.5 kn (loiterers), 2 % lie at anchorages, 10 % sail and go dark for 6–20 h. Density
 * is constant across cases (the area grows with the fleet; 8 000 vessels ↔ 20° × 15° at 45–60°N,
 * as in detect.bench.ts), so growth should be about linear.
 */
import { geodesicDistanceM, KN_TO_MS } from '@rendezvous/geodesy';
import { mulberry32 } from '@rendezvous/test-support';
import { detectAisGaps } from '../src/ais-gaps.ts';
import type { DarkContext } from '../src/dark-context.ts';
import { detectDarkRendezvous } from '../src/dark-rendezvous.ts';
import { detectWindow } from '../src/detect.ts';
import { detectLoitering } from '../src/loitering.ts';
import { DEFAULT_PROFILES } from '../src/profile.ts';
import { createReceptionIndex } from '../src/reception.ts';
import type { ColumnarTrack } from '../src/tracks.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const SIZES = opt('vessels', '500,2000,8000').split(',').map(Number);
const REPS = Number(opt('reps', '3'));

const DAY0 = Date.UTC(2024, 2, 10);
const HOUR = 3_600_000;
const SPAN = 37 * HOUR;
const EVERY = 10 * 60_000;

function traffic(nVessels: number, seed = 1): { tracks: ColumnarTrack[]; points: number } {
  const r = mulberry32(seed);
  const scale = Math.sqrt(nVessels / 8000);
  const lon0 = 0;
  const lat0 = 45;
  const dLon = 20 * scale;
  const dLat = 15 * scale;
  const anchorages = Array.from({ length: Math.max(2, Math.round(8 * scale * scale)) }, () => ({ lon: lon0 + r() * dLon, lat: lat0 + r() * dLat }));
  const step = (lon: number, lat: number, courseDeg: number, metres: number) => {
    const c = (courseDeg * Math.PI) / 180;
    return [lon + (metres * Math.sin(c)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (metres * Math.cos(c)) / 111_132] as const;
  };
  const tracks: ColumnarTrack[] = [];
  let points = 0;
  const cap = Math.ceil(SPAN / (EVERY - 60_000)) + 2;
  for (let v = 0; v < nVessels; v++) {
    const u = r();
    const kind = u < 0.02 ? 'anchor' : u < 0.12 ? 'drift' : u < 0.22 ? 'dark' : 'sail';
    let speed = kind === 'drift' ? 0.2 + 1.3 * r() : kind === 'anchor' ? 0 : 6 + 9 * r();
    let course = r() * 360;
    let x: number, y: number;
    if (kind === 'anchor') {
      const a = anchorages[Math.floor(r() * anchorages.length)]!;
      [x, y] = step(a.lon, a.lat, r() * 360, 1500 * Math.sqrt(r()));
    } else {
      x = lon0 + r() * dLon;
      y = lat0 + r() * dLat;
    }
    const darkFrom = DAY0 + (2 + r() * 14) * HOUR;
    const darkTo = darkFrom + (6 + r() * 14) * HOUR;
    const t = new Float64Array(cap);
    const lon = new Float64Array(cap);
    const lat = new Float64Array(cap);
    const sog = new Float64Array(cap);
    let n = 0;
    let now = DAY0 + r() * EVERY;
    let last = now;
    while (now < DAY0 + SPAN && n < cap) {
      if (kind !== 'anchor' && r() < 1 / 24) course = (course + (r() - 0.5) * 120 + 360) % 360;
      if (kind === 'drift' && r() < 1 / 36) speed = 0.2 + 1.3 * r();
      [x, y] = step(x, y, course, speed * KN_TO_MS * ((now - last) / 1000));
      last = now;
      if (!(kind === 'dark' && now >= darkFrom && now < darkTo)) {
        t[n] = Math.round(now);
        lon[n] = x;
        lat[n] = y;
        sog[n] = Math.round(speed * 10) / 10;
        n++;
      }
      now += EVERY - 60_000 + r() * 120_000;
    }
    points += n;
    tracks.push({ mmsi: 200_000_000 + v, t: t.subarray(0, n), lon: lon.subarray(0, n), lat: lat.subarray(0, n), sog: sog.subarray(0, n) });
  }
  return { tracks, points };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log(`dark-activity bench: ${SIZES.join(', ')} vessels × 37 h, 1 report / 10 min, median of ${REPS} (node ${process.version})`);
for (const nV of SIZES) {
  const { tracks, points } = traffic(nV);
  // Shore: the meridian 2° west of the box (a geodesic per call, like a real distance lookup).
  const ctx: DarkContext = {
    window: { from: DAY0, to: DAY0 + SPAN },
    horizon: DAY0 + SPAN,
    shoreDistanceM: (lon, lat) => geodesicDistanceM(lon, lat, -2, lat),
  };
  const dark = () => {
    const t0 = performance.now();
    const reception = createReceptionIndex(tracks);
    const t1 = performance.now();
    const gaps = detectAisGaps(tracks, ctx, reception);
    const t2 = performance.now();
    const loiterings = detectLoitering(tracks, ctx);
    const t3 = performance.now();
    const dr = detectDarkRendezvous(loiterings, gaps);
    const t4 = performance.now();
    return { total: t4 - t0, build: t1 - t0, gaps: t2 - t1, loiter: t3 - t2, dr: t4 - t3, nGaps: gaps.length, nLoiter: loiterings.length, nDr: dr.length };
  };
  const rendezvous = () => {
    const t0 = performance.now();
    const res = detectWindow(tracks, { from: DAY0, to: DAY0 + SPAN, profiles: DEFAULT_PROFILES });
    return { ms: performance.now() - t0, events: res.events.length };
  };
  dark();
  rendezvous(); // warm-up (JIT), untimed
  const ds: ReturnType<typeof dark>[] = [];
  const rs: ReturnType<typeof rendezvous>[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    ds.push(dark());
    rs.push(rendezvous());
  }
  const d = ds.sort((a, b) => a.total - b.total)[ds.length >> 1]!;
  const rMs = median(rs.map((x) => x.ms));
  console.log(
    `  ${fmt(nV).padStart(6)} vessels: ${fmt(points).padStart(10)} points → dark ${fmt(d.total, 1).padStart(7)} ms ` +
      `(${fmt(points / (d.total / 1000) / 1e6, 2)} M points/s; reception build ${fmt(d.build, 1)} ms, gaps ${fmt(d.gaps, 1)} ms, ` +
      `loitering ${fmt(d.loiter, 1)} ms, dark rendezvous ${fmt(d.dr, 1)} ms; ${d.nGaps} gaps, ${d.nLoiter} loitering, ${d.nDr} dark rendezvous) | ` +
      `detectWindow ${fmt(rMs, 1)} ms (${rs[0]!.events} events) | dark / rendezvous = ${fmt(d.total / rMs, 2)}`,
  );
}
