// The ingest benchmarks' input: synthetic traffic from the project's encoder, TAG-stamped class A
// reports, every one distinct (no duplicate to skip). ingest.bench.ts writes it to a file,
// reader.bench.ts decodes it from memory: both measure the same lines.
import { classAPosition, toNmeaLines } from '@rendezvous/ais';

/** `reports` rounds of one report per vessel, 10 s apart, as NMEA text (a line per sentence, trailing newline). */
export function benchTraffic(vessels: number, reports: number): { text: string; sentences: number } {
  const t0 = Date.UTC(2025, 0, 15);
  const chunks: string[] = [];
  let sentences = 0;
  for (let r = 0; r < reports; r++) {
    const lines: string[] = [];
    for (let v = 0; v < vessels; v++) {
      const msg = classAPosition({
        mmsi: 230_000_000 + v,
        lon: 20 + (v % 100) * 0.1 + r * 1e-4,
        lat: 35 + Math.floor(v / 100) * 0.1,
        sog: (v % 150) / 10,
        cog: (v * 7) % 360,
        heading: (v * 7) % 360,
        second: r % 60,
        navStatus: 0,
      });
      lines.push(...toNmeaLines(msg, { timeMs: t0 + r * 10_000 + v, source: 'bench', millis: true }));
    }
    sentences += lines.length;
    chunks.push(lines.join('\n'));
  }
  return { text: chunks.join('\n') + '\n', sentences };
}
