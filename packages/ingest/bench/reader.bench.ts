/**
 * CPU of ingest's read-and-decode side alone, no database: the ingest bench's input (TAG-stamped
 * class A reports, every one distinct) as file bytes in 64 KiB chunks → the source's line
 * splitter → AutoReader (decode, duplicate filter, normalise) → PositionColumns, as
 * IngestPipeline.take fills a batch (20,000 positions, then reset).
 *   node --max-semi-space-size=16 --no-allocation-site-pretenuring packages/ingest/bench/reader.bench.ts [--vessels 2000] [--reports 500] [--reps 5]
 * Prints the CPU time (user + system, this process) per position of each repetition, each with a
 * fresh reader (so nothing is a duplicate of the previous repetition), and a final JSON line. The
 * end-to-end figure, with the store and PostgreSQL, is ingest.bench.ts.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Observation } from '@rendezvous/feeds';
import { AutoReader } from '../src/feed-readers.ts';
import { benchTraffic } from './bench-traffic.ts';
import { IngestMetrics } from '../src/ingest-metrics.ts';
import { PositionColumns } from '../src/position-columns.ts';
import { rawOf } from '../src/raw-lines.ts';
import { CountingSplitter } from '../src/sources/counting-splitter.ts';
import { emptyStats } from '../src/sources/line-source.ts';

const { values } = parseArgs({ options: { vessels: { type: 'string', default: '2000' }, reports: { type: 'string', default: '500' }, reps: { type: 'string', default: '5' } } });
const VESSELS = Number(values.vessels);
const REPORTS = Number(values.reports);
const REPS = Number(values.reps);
const BATCH = 20_000;

/** The same traffic as ingest.bench.ts writes to its file. */
function input(): Buffer {
  return Buffer.from(benchTraffic(VESSELS, REPORTS).text, 'latin1');
}

const data = input();
const perPosition: number[] = [];
let positions = 0;
let checksum = 0;
for (let rep = 0; rep < REPS; rep++) {
  const metrics = new IngestMetrics();
  const reader = new AutoReader(metrics);
  const splitter = new CountingSplitter(emptyStats());
  const columns = new PositionColumns(PositionColumns.capacityFor(BATCH));
  const out: Observation[] = [];
  positions = 0;
  const before = process.cpuUsage();
  for (let at = 0; at < data.length; at += 65_536) {
    const batch = splitter.chunk(data.subarray(at, Math.min(data.length, at + 65_536)), Date.now());
    if (batch === null) continue;
    for (const line of batch.lines) {
      metrics.lines++;
      reader.push(line, batch.receivedAtMs, out);
    }
    for (const o of out) {
      metrics.vessels.add(o.mmsi);
      if (o.kind === 'position') columns.push(o, rawOf(o));
    }
    out.length = 0;
    if (columns.length >= BATCH) {
      positions += columns.length;
      checksum += columns.ts[columns.length - 1]!; // consume a result
      columns.reset();
    }
  }
  reader.finish();
  positions += columns.length;
  const cpu = process.cpuUsage(before);
  perPosition.push((cpu.user + cpu.system) / positions);
}
const sorted = [...perPosition].sort((a, b) => a - b);
console.log(`read and decode, no database: ${positions.toLocaleString()} positions (${VESSELS} vessels × ${REPORTS} reports, TAG-stamped), load ${os.loadavg()[0]!.toFixed(2)}`);
console.log(`  CPU per position, each repetition: ${perPosition.map((x) => `${x.toFixed(3)} µs`).join(', ')}`);
console.log(JSON.stringify({ bench: 'ingest-reader', positions, cpuUsPerPositionMedian: Number(sorted[sorted.length >> 1]!.toFixed(3)), cpuUsPerPositionMin: Number(sorted[0]!.toFixed(3)), checksum: checksum > 0 }));
