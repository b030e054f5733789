// Probe (hand-run): CPU of the detector's reads in one process, repeated, with the minimum over
// the repetitions (less moved by a shared machine's load than one run): the 24 h window's buckets
// with its ±18 h context (loadBuckets), and 6 h of raw reports of 400 vessels (loadSpans). Needs the
// data `detector.bench.ts --vessels 2000 --keep` leaves in rendezvous_bench_detector.
//   DATABASE_URL=postgres://…/rendezvous_bench_detector node services/detector/bench/probes/reads-min.ts [repeats]
import { createDatabase, createTrackRepository } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 4 }, createLogger({ level: 'warn', format: 'json' }, 'x'));
const tracks = createTrackRepository(database.pool);
await tracks.warmUpDecoders();
const D0 = Date.UTC(2024, 2, 10), H = 3_600_000;
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const b: number[] = [], s: number[] = [];
for (let k = 0; k < Number(process.argv[2] ?? 10); k++) {
  const c0 = cpu();
  const rows = await tracks.loadBuckets({ from: new Date(D0 - 18 * H), to: new Date(D0 + 42 * H) });
  const c1 = cpu();
  await tracks.loadSpans(rows.slice(0, 400).map((p) => ({ mmsi: p.mmsi, from: D0 + 2 * H, to: D0 + 8 * H })));
  const c2 = cpu();
  b.push(c1 - c0); s.push(c2 - c1);
}
const f = (xs: number[]) => `first ${Math.round(xs[0]!)}, min ${Math.round(Math.min(...xs.slice(1)))}, median ${Math.round([...xs.slice(1)].sort((x, y) => x - y)[xs.length >> 1]!)}`;
console.log(`buckets: ${f(b)} ms | spans: ${f(s)} ms`);
await database.close();
