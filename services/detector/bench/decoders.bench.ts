// CPU of the track decoders in a fresh process, after their warm-up (as the detector does): the
// 24 h window's buckets with its ±18 h context (loadBuckets), then 6 h of raw reports of 400
// vessels (loadSpans), twice (first call, then warm). Needs the data `detector.bench.ts
// --vessels 2000 --keep` leaves in rendezvous_bench_detector:
//   DATABASE_URL=postgres://…/rendezvous_bench_detector node services/detector/bench/decoders.bench.ts
import { createDatabase, createTrackRepository } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
const database = createDatabase({ url: process.env['DATABASE_URL']!, poolMax: 4 }, createLogger({ level: 'warn', format: 'json' }, 'x'));
const tracks = createTrackRepository(database.pool);
await tracks.warmUpDecoders();
const D0 = Date.UTC(2024, 2, 10), H = 3_600_000;
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const out: string[] = [];
for (let k = 0; k < 2; k++) {
  const c0 = cpu();
  const b = await tracks.loadBuckets({ from: new Date(D0 - 18 * H), to: new Date(D0 + 42 * H) });
  const c1 = cpu();
  const spans = b.slice(0, 400).map((p) => ({ mmsi: p.mmsi, from: D0 + 2 * H, to: D0 + 8 * H }));
  const s = await tracks.loadSpans(spans);
  const c2 = cpu();
  out.push(`${k ? 'second' : 'first'}: buckets ${Math.round(c1 - c0)} ms (${b.length} vessels), spans ${Math.round(c2 - c1)} ms (${[...s.values()].reduce((n, p) => n + p.t.length, 0)} reports)`);
}
console.log(out.join(' | '), 'rss', Math.round(process.resourceUsage().maxRSS / 1024), 'MB');
await database.close();
