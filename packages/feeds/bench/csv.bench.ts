/**
 * CSV row parsing throughput: `createCsvRowParser` (split, parse, sentinels, validation,
 * observation objects) against a naive baseline in the same process.
 *
 *   node packages/feeds/bench/csv.bench.ts [--rows N] [--reps R]
 *
 * Input: the MarineCadastre 2022-01-03 sample from the shared data folder, repeated in memory to
 * at least N rows (default 1,000,000); synthetic rows in the same schema if the folder is absent.
 * Each contender runs once to warm up, then R times (default 5); the median is reported.
 * Single thread, in memory: file reading and line splitting are not timed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCsvRowParser } from '../src/index.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const targetRows = arg('--rows', 1_000_000);
const reps = arg('--reps', 5);

const SAMPLE = fileURLToPath(new URL('../../../../shared/data/tracks-marinecadastre-20220103/AIS_2022_01_03_sample99999.csv', import.meta.url));
const HEADER = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';

function loadRows(): { header: string; rows: string[]; input: string } {
  if (existsSync(SAMPLE)) {
    const all = readFileSync(SAMPLE, 'utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    return { header: all[0]!, rows: all.slice(1), input: SAMPLE };
  }
  // Synthetic rows shaped like the sample: ~60% with identity columns, sentinels sprinkled in.
  const rows: string[] = [];
  let seed = 1;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 100_000; i++) {
    const mmsi = 366_000_000 + Math.floor(rnd() * 10_000);
    const t = `2022-01-03T00:${String(Math.floor(i / 4200) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const lat = (25 + rnd() * 20).toFixed(5);
    const lon = (-125 + rnd() * 50).toFixed(5);
    const sog = rnd() < 0.01 ? '102.3' : (rnd() * 20).toFixed(1);
    const cog = rnd() < 0.15 ? '360' : (rnd() * 360).toFixed(1);
    const heading = rnd() < 0.5 ? '511' : String(Math.floor(rnd() * 360));
    const id = rnd() < 0.6 ? `VESSEL ${i % 997},IMO${9_000_000 + (i % 99_999)},WDC${i % 9999},70,0,120,20,7.5,70` : ',,,,,,,,';
    rows.push(`${mmsi},${t},${lat},${lon},${sog},${cog},${heading},${id},A`);
  }
  return { header: HEADER, rows, input: 'synthetic (shared data folder absent)' };
}

const { header, rows: base, input } = loadRows();
const lines: string[] = [];
while (lines.length < targetRows) for (const l of base) lines.push(l);
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

/** Ours: every row through the real parser; sums a field so the work cannot be skipped. */
function ours(): number {
  const p = createCsvRowParser(header, { now: Date.now() });
  let sum = 0;
  for (let i = 0; i < lines.length; i++) {
    const r = p.parse(lines[i]!, i + 2);
    if (r.ok) sum += r.observations.length;
  }
  return sum;
}

/** Baseline: naive split + Number() of the position fields + Date.parse of the time; no validation, no sentinels. */
function naive(): number {
  let sum = 0;
  for (let i = 0; i < lines.length; i++) {
    const f = lines[i]!.split(',');
    const o = {
      mmsi: Number(f[0]),
      ts: Date.parse(f[1] + 'Z'),
      lat: Number(f[2]),
      lon: Number(f[3]),
      sog: Number(f[4]),
      cog: Number(f[5]),
      heading: Number(f[6]),
    };
    if (o.lat === o.lat) sum++;
  }
  return sum;
}

/** Floor: only `split(',')`. */
function splitOnly(): number {
  let sum = 0;
  for (let i = 0; i < lines.length; i++) sum += lines[i]!.split(',').length;
  return sum;
}

function time(fn: () => number): { seconds: number; check: number } {
  fn(); // warm-up (JIT)
  const runs: number[] = [];
  let check = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    check = fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  runs.sort((a, b) => a - b);
  return { seconds: runs[Math.floor(runs.length / 2)]!, check };
}

const a = time(ours);
const b = time(naive);
const c = time(splitOnly);
const rate = (s: number): number => lines.length / s;
const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M`;

console.log(`input: ${input}`);
console.log(`${lines.length.toLocaleString('en')} rows (${(bytes / 1e6).toFixed(0)} MB), median of ${reps} runs, node ${process.version}\n`);
console.log('contender                                    | time (s) | rows/s');
console.log('---------------------------------------------|----------|--------');
console.log(`createCsvRowParser (full: validate, objects) | ${a.seconds.toFixed(3).padStart(8)} | ${fmt(rate(a.seconds))}`);
console.log(`naive split + Number() + Date.parse          | ${b.seconds.toFixed(3).padStart(8)} | ${fmt(rate(b.seconds))}`);
console.log(`split(',') only                              | ${c.seconds.toFixed(3).padStart(8)} | ${fmt(rate(c.seconds))}`);
console.log(`\nours / naive baseline: ${(rate(a.seconds) / rate(b.seconds)).toFixed(2)}×   (observations produced: ${a.check.toLocaleString('en')})`);
console.log(
  JSON.stringify({
    bench: 'feeds-csv',
    input,
    rows: lines.length,
    reps,
    node: process.version,
    ours_rows_per_s: Math.round(rate(a.seconds)),
    naive_rows_per_s: Math.round(rate(b.seconds)),
    split_only_rows_per_s: Math.round(rate(c.seconds)),
    ratio_vs_naive: Number((rate(a.seconds) / rate(b.seconds)).toFixed(3)),
  }),
);
