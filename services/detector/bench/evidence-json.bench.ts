// Evidence text: JSON.stringify against the hand-built evidenceTrackJson (packages/db) on
// tracks shaped like the detector's (600 tracks of 150–350 rows [epoch ms, lon/lat rounded to
// 1e-7, float32 sog in tenths | null], 8.2 MB of JSON), CPU time per pass, 5 passes.
//   node services/detector/bench/evidence-json.bench.ts
import { evidenceTrackJson } from '@rendezvous/db';
import { mulberry32 } from '@rendezvous/test-support';
const r = mulberry32(7);
const roundDeg = (x: number) => Math.round(x * 1e7) / 1e7;
const tracks: unknown[] = [];
for (let k = 0; k < 600; k++) {
  const n = 150 + Math.floor(r() * 200);
  let t = Date.UTC(2024, 2, 10) + Math.floor(r() * 8e7), lon = -40 + r() * 15, lat = 40 + r() * 15;
  const rows: unknown[] = [];
  for (let i = 0; i < n; i++) {
    t += 40000 + Math.floor(r() * 40000); lon += (r() - 0.5) * 0.01; lat += (r() - 0.5) * 0.01;
    rows.push([t, roundDeg(lon), roundDeg(lat), r() < 0.05 ? null : Math.fround(Math.round(r() * 150) / 10)]);
  }
  tracks.push(rows);
}
let ok = true; for (const t of tracks) if (evidenceTrackJson(t) !== JSON.stringify(t)) ok = false;
console.log('identical', ok, 'bytes', tracks.reduce((a: number, t) => a + JSON.stringify(t).length, 0));
for (let rep = 0; rep < 5; rep++) {
  let c0 = process.cpuUsage(); let n = 0;
  for (const t of tracks) n += JSON.stringify(t).length;
  const a = process.cpuUsage(c0); c0 = process.cpuUsage();
  for (const t of tracks) n += evidenceTrackJson(t).length;
  const b = process.cpuUsage(c0);
  console.log('JSON.stringify', ((a.user + a.system) / 1000).toFixed(1), 'ms; hand', ((b.user + b.system) / 1000).toFixed(1), 'ms');
}
