/**
 * Shore index: build time, then distanceToShoreM / isOnLand lookups per second for seeded random
 * sea points, against the brute force over every coastline arc (test/brute.ts) in the same run.
 *   node packages/geography/bench/shore.bench.ts [--points 200000] [--brute 5]
 */
import { mulberry32 } from '@rendezvous/test-support';
import { buildShoreIndex, readLandRings } from '../src/index.ts';
import { bruteDistanceM } from '../test/brute.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const N = Number(opt('points', '200000'));
const NB = Number(opt('brute', '5'));

let t = performance.now();
const rings = readLandRings();
const readMs = performance.now() - t;
t = performance.now();
const ix = buildShoreIndex(rings);
const buildMs = performance.now() - t;
console.log(`read+decode land-10m.json: ${readMs.toFixed(0)} ms; index build: ${buildMs.toFixed(0)} ms`, ix.stats);

const r = mulberry32(1);
const lon = new Float64Array(N);
const lat = new Float64Array(N);
for (let i = 0; i < N; ) {
  const x = r() * 360 - 180;
  const y = (Math.asin(2 * r() - 1) * 180) / Math.PI; // uniform on the sphere
  if (ix.isOnLand(x, y)) continue;
  lon[i] = x;
  lat[i++] = y;
}
t = performance.now();
let land = 0;
for (let i = 0; i < N; i++) if (ix.isOnLand(lon[i]!, lat[i]!)) land++;
const landPerS = N / ((performance.now() - t) / 1000);
t = performance.now();
let sum = 0;
for (let i = 0; i < N; i++) sum += ix.distanceToShoreM(lon[i]!, lat[i]!);
const distPerS = N / ((performance.now() - t) / 1000);
t = performance.now();
for (let i = 0; i < NB; i++) sum += bruteDistanceM(rings, lon[i]!, lat[i]!);
const brutePerS = NB / ((performance.now() - t) / 1000);
console.log(`isOnLand: ${landPerS.toFixed(0)}/s (${land} land)`);
console.log(`distanceToShoreM (sea points): ${distPerS.toFixed(0)}/s; brute force: ${brutePerS.toFixed(1)}/s; ratio ×${(distPerS / brutePerS).toFixed(0)} (checksum ${sum.toFixed(0)})`);
