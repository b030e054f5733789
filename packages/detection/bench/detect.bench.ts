/**
 * Detection throughput on synthetic traffic, and a naive O(n²) baseline in the same run.
 *   node packages/detection/bench/detect.bench.ts [--vessels 500,2000,8000] [--reps 3]
 *
 * Traffic (generated in memory, column-wise, deterministic): vessels over 24 h reporting about
 * once a minute (60 s ± 20 s jitter); most under way at 6–15 kn with course changes, 10 %
 * drifting slowly, 2 % lying at a few crowded anchorages, plus one scripted 3-hour meeting per
 * 50 vessels. Density is constant across cases (the sea area grows with the fleet; the 8 000
 * vessel case covers ~20° × 15° at 45–60°N, a little denser than the North Sea), so growth
 * should be about linear.
 *
 * Baseline: the same resampled grid, pair search by checking every pair at every step
 * (haversine, then the same geodesic test), measured on the 500-vessel case and extrapolated
 * by n² to the others. Its close pair-steps must equal the spatial hash's (checked).
 */
import { detectEvents, emptyStats, type DetectStats } from '../src/detect.ts';
import { geodesicDistanceM, haversineM, KN_TO_MS } from '@rendezvous/geodesy';
import { mulberry32 } from '@rendezvous/test-support';
import { findClosePairs } from '../src/pairs.ts';
import { DEFAULT_PROFILE } from '../src/profile.ts';
import { resample } from '../src/resample.ts';
import { normaliseTracks, type ColumnarTrack } from '../src/tracks.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const SIZES = opt('vessels', '500,2000,8000').split(',').map(Number);
const REPS = Number(opt('reps', '3'));

const DAY0 = Date.UTC(2024, 2, 10);
const HOUR = 3_600_000;

interface Traffic {
  tracks: ColumnarTrack[];
  points: number;
  scripted: number;
}

function traffic(nVessels: number, seed = 1): Traffic {
  const r = mulberry32(seed);
  // Box with area ∝ n: 8000 vessels ↔ 20° × 15° at 45–60°N.
  const scale = Math.sqrt(nVessels / 8000);
  const lon0 = 0;
  const lat0 = 45;
  const dLon = 20 * scale;
  const dLat = 15 * scale;
  const anchorages = Array.from({ length: Math.max(2, Math.round(8 * scale * scale)) }, () => ({ lon: lon0 + r() * dLon, lat: lat0 + r() * dLat }));
  const tracks: ColumnarTrack[] = [];
  let points = 0;
  const step = (lon: number, lat: number, courseDeg: number, metres: number) => {
    const c = (courseDeg * Math.PI) / 180;
    const dlat = (metres * Math.cos(c)) / 111_132;
    const dlon = (metres * Math.sin(c)) / (111_320 * Math.cos((lat * Math.PI) / 180));
    return [lon + dlon, lat + dlat] as const;
  };
  const nScripted = Math.floor(nVessels / 50);
  for (let v = 0; v < nVessels; v++) {
    const kind = v < 2 * nScripted ? 'meet' : r() < 0.02 ? 'anchor' : r() < 0.1 ? 'drift' : 'sail';
    const cap = 24 * 60 + 60;
    const t = new Float64Array(cap);
    const lon = new Float64Array(cap);
    const lat = new Float64Array(cap);
    const sog = new Float64Array(cap);
    let n = 0;
    let x: number, y: number;
    let course = r() * 360;
    let speed = kind === 'sail' ? 6 + 9 * r() : kind === 'drift' ? 0.2 + 1.2 * r() : 0;
    let meetStart = 0;
    let meetEnd = 0;
    let mx = 0;
    let my = 0;
    if (kind === 'anchor') {
      const a = anchorages[Math.floor(r() * anchorages.length)]!;
      [x, y] = step(a.lon, a.lat, r() * 360, 1500 * Math.sqrt(r()));
    } else if (kind === 'meet') {
      // Pairs (2i, 2i+1) meet for 3 h at a random time: both sail at 10 kn to the spot and stop.
      const pr = mulberry32(seed * 7919 + Math.floor(v / 2));
      mx = lon0 + pr() * dLon;
      my = lat0 + pr() * dLat;
      meetStart = DAY0 + 3 * HOUR + pr() * 15 * HOUR;
      meetEnd = meetStart + 3 * HOUR;
      course = v % 2 === 0 ? 0 : 180;
      [mx, my] = step(mx, my, 90, v % 2 === 0 ? 0 : 150);
      speed = 10;
      [x, y] = step(mx, my, course + 180, speed * KN_TO_MS * ((meetStart - DAY0) / 1000));
    } else {
      x = lon0 + r() * dLon;
      y = lat0 + r() * dLat;
    }
    let now = DAY0 + r() * 60_000;
    let last = now;
    while (now < DAY0 + 24 * HOUR && n < cap) {
      const dt = (now - last) / 1000;
      let sp = speed;
      if (kind === 'meet') {
        if (now < meetStart) [x, y] = step(mx, my, course + 180, speed * KN_TO_MS * ((meetStart - now) / 1000));
        else if (now <= meetEnd) {
          x = mx;
          y = my;
          sp = 0;
        } else [x, y] = step(mx, my, course, speed * KN_TO_MS * ((now - meetEnd) / 1000));
      } else {
        if (kind !== 'anchor' && r() < 1 / 240) course = (course + (r() - 0.5) * 120 + 360) % 360;
        [x, y] = step(x, y, course, speed * KN_TO_MS * dt);
      }
      t[n] = Math.round(now);
      lon[n] = x;
      lat[n] = y;
      sog[n] = Math.round(sp * 10) / 10;
      n++;
      last = now;
      now += 40_000 + r() * 40_000;
    }
    points += n;
    tracks.push({ mmsi: 200_000_000 + v, t: t.subarray(0, n), lon: lon.subarray(0, n), lat: lat.subarray(0, n), sog: sog.subarray(0, n) });
  }
  return { tracks, points, scripted: nScripted };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

interface CaseResult {
  n: number;
  points: number;
  totalMs: number;
  stats: DetectStats;
  events: number;
  scriptedFound: number;
  scripted: number;
}

function runCase(n: number): CaseResult {
  const tr = traffic(n);
  const times: number[] = [];
  let stats = emptyStats();
  let events = 0;
  let scriptedFound = 0;
  detectEvents(tr.tracks, { profiles: [DEFAULT_PROFILE] }); // warm-up (JIT), untimed
  for (let rep = 0; rep < REPS; rep++) {
    const s = emptyStats();
    const t0 = performance.now();
    const ev = detectEvents(tr.tracks, { profiles: [DEFAULT_PROFILE], stats: s });
    times.push(performance.now() - t0);
    stats = s;
    events = ev.length;
    scriptedFound = ev.filter((e) => e.a % 2 === 0 && e.b === e.a + 1 && e.a - 200_000_000 < 2 * tr.scripted).length;
  }
  return { n, points: tr.points, totalMs: median(times), stats, events, scriptedFound, scripted: tr.scripted };
}

/** Naive per-step all-pairs check on the same grid; returns ms and close pair-steps. */
function naive(n: number): { ms: number; close: number; hashMs: number; hashClose: number; positions: number } {
  const tr = traffic(n);
  const norm = normaliseTracks(tr.tracks);
  const res = resample(norm, DEFAULT_PROFILE.gridStepMs, DEFAULT_PROFILE.maxInterpolationGapMs);
  const r = DEFAULT_PROFILE.maxDistanceM;
  const t0 = performance.now();
  let close = 0;
  const nSteps = res.kMax - res.kMin + 1;
  for (let s = 0; s < nSteps; s++) {
    const from = res.stepStart[s]!;
    const to = res.stepStart[s + 1]!;
    for (let i = from; i < to; i++) {
      const p = res.byStep[i]!;
      const plon = res.lon[p]!;
      const plat = res.lat[p]!;
      for (let j = i + 1; j < to; j++) {
        const q = res.byStep[j]!;
        // Haversine first (cheap), the exact geodesic only near the threshold.
        if (haversineM(plon, plat, res.lon[q]!, res.lat[q]!) > r * 1.01) continue;
        if (geodesicDistanceM(plon, plat, res.lon[q]!, res.lat[q]!) <= r) close++;
      }
    }
  }
  const ms = performance.now() - t0;
  const stats = emptyStats();
  let hashMs = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const s = emptyStats();
    const t1 = performance.now();
    findClosePairs(res, norm, { radiusM: r, accept: () => true }, s);
    hashMs = Math.min(hashMs, performance.now() - t1);
    Object.assign(stats, s);
  }
  return { ms, close, hashMs, hashClose: stats.closePairSteps, positions: res.n };
}

console.log(`detection bench: ${SIZES.join(', ')} vessels × 24 h, ~1 report/min, profile ${DEFAULT_PROFILE.name}, median of ${REPS} (node ${process.version})`);
const results: CaseResult[] = [];
for (const n of SIZES) {
  const c = runCase(n);
  results.push(c);
  const s = c.stats;
  console.log(
    `  ${fmt(n).padStart(6)} vessels: ${fmt(c.points).padStart(11)} points, ${fmt(s.positions).padStart(10)} grid positions → ` +
      `${fmt(c.totalMs, 1).padStart(8)} ms  (${fmt(c.points / (c.totalMs / 1000) / 1e6, 2)} M points/s; resample ${fmt(s.resampleMs, 1)} ms, ` +
      `pair search ${fmt(s.pairSearchMs, 1)} ms = ${fmt((s.pairSearchMs / s.positions) * 100_000, 1)} ms per 100k positions, events ${fmt(s.eventsMs, 1)} ms)  ` +
      `events ${c.events} (scripted meetings found ${c.scriptedFound}/${c.scripted}), close pair-steps ${fmt(s.closePairSteps)}`,
  );
}
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  console.log(
    `  growth ${a.n} → ${b.n} vessels (×${fmt(b.n / a.n, 1)}): time ×${fmt(b.totalMs / a.totalMs, 2)}, points ×${fmt(b.points / a.points, 2)}`,
  );
}

const base = SIZES[0]!;
const nv = naive(base);
if (nv.close !== nv.hashClose) {
  console.error(`  MISMATCH: naive found ${nv.close} close pair-steps, spatial hash ${nv.hashClose}`);
  process.exitCode = 1;
}
console.log(
  `  baseline (naive all pairs per step, ${base} vessels, ${fmt(nv.positions)} positions): ${fmt(nv.ms, 1)} ms vs spatial hash ${fmt(nv.hashMs, 1)} ms ` +
    `→ ×${fmt(nv.ms / nv.hashMs, 1)} (same ${fmt(nv.close)} close pair-steps)`,
);
for (const c of results.slice(1)) {
  const extrapolated = nv.ms * (c.n / base) ** 2;
  console.log(
    `  baseline extrapolated by n² to ${fmt(c.n)} vessels: ~${fmt(extrapolated / 1000, 1)} s vs spatial hash ${fmt(c.stats.pairSearchMs, 1)} ms → ×${fmt(extrapolated / c.stats.pairSearchMs, 0)}`,
  );
}
