/**
 * Throughput of the source line splitter vs node:readline over the same bytes.
 *   node packages/ingest/bench/line-splitter.bench.ts [--mb 128] [--reps 3]
 * Builds ≥ 100 MB of NMEA-like lines in memory (mostly CRLF, some LF, some with TAG blocks), cuts
 * it into 64 KiB chunks like a file or socket read would, and times, on one core:
 *   - LineSplitter.push per chunk (a fresh lines array per chunk, as the sources do);
 *   - readline 'line' events over a Readable of the same chunks (readline's fastest mode);
 *   - readline's async iterator (what a naive `for await (const line of rl)` source would use).
 * Reports the median of the repetitions and a final JSON line.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { LineSplitter } from '../src/sources/line-splitter.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const TARGET_BYTES = opt('mb', 128) * 1024 * 1024;
const REPS = opt('reps', 3);
const CHUNK = 64 * 1024;

/** Deterministic NMEA-like lines: checksummed VDM sentences, a third with a TAG block. */
function buildData(): { data: Buffer; lines: number } {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const armour = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw';
  const base: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    let payload = '';
    for (let k = 0; k < 28; k++) payload += armour[Math.floor(rnd() * armour.length)];
    const body = `AIVDM,1,1,,${i % 2 ? 'A' : 'B'},${payload},0`;
    let x = 0;
    for (let k = 0; k < body.length; k++) x ^= body.charCodeAt(k);
    const sentence = `!${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
    const tagged = i % 3 === 0 ? `\\s:rx${i % 7},c:${1_700_000_000 + i}*00\\${sentence}` : sentence;
    base.push(tagged + (i % 10 === 0 ? '\n' : '\r\n'));
  }
  const block = Buffer.from(base.join(''), 'latin1');
  const reps = Math.ceil(TARGET_BYTES / block.length);
  return { data: Buffer.concat(Array.from({ length: reps }, () => block)), lines: reps * base.length };
}

const { data, lines: expectedLines } = buildData();
const chunks: Buffer[] = [];
for (let off = 0; off < data.length; off += CHUNK) chunks.push(data.subarray(off, off + CHUNK));
const mb = data.length / 1e6;

function runSplitter(): number {
  const s = new LineSplitter();
  let n = 0;
  for (const c of chunks) n += s.push(c).length;
  if (s.end() !== null) n++;
  return n;
}

async function runReadlineEvents(): Promise<number> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
  let n = 0;
  rl.on('line', () => n++);
  await once(rl, 'close');
  return n;
}

async function runReadlineIterator(): Promise<number> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
  let n = 0;
  for await (const _line of rl) n++;
  return n;
}

async function time(name: string, fn: () => number | Promise<number>): Promise<{ name: string; seconds: number; linesPerSec: number; mbPerSec: number }> {
  const secs: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = process.hrtime.bigint();
    const n = await fn();
    secs.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (n !== expectedLines) throw new Error(`${name} produced ${n} lines, expected ${expectedLines}`);
  }
  const seconds = [...secs].sort((a, b) => a - b)[Math.floor(secs.length / 2)]!;
  return { name, seconds, linesPerSec: expectedLines / seconds, mbPerSec: mb / seconds };
}

console.log(`${mb.toFixed(1)} MB, ${expectedLines.toLocaleString('en')} lines, ${chunks.length} chunks of 64 KiB, median of ${REPS}, node ${process.version}`);
runSplitter(); // warm-up (JIT), same for the baseline below
await runReadlineEvents();
const results = [await time('LineSplitter', runSplitter), await time('readline (line events)', runReadlineEvents), await time('readline (async iterator)', runReadlineIterator)];
for (const r of results) {
  console.log(`${r.name.padEnd(26)} ${(r.linesPerSec / 1e6).toFixed(2).padStart(6)} M lines/s  ${r.mbPerSec.toFixed(0).padStart(5)} MB/s  ${r.seconds.toFixed(3)} s`);
}
const [ours, events, iter] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
console.log(`ratio: ${(ours.linesPerSec / events.linesPerSec).toFixed(2)}× readline events, ${(ours.linesPerSec / iter.linesPerSec).toFixed(2)}× readline iterator`);
console.log(
  JSON.stringify({
    bench: 'line-splitter',
    bytes: data.length,
    lines: expectedLines,
    chunkBytes: CHUNK,
    reps: REPS,
    splitterLinesPerSec: Math.round(ours.linesPerSec),
    readlineEventsLinesPerSec: Math.round(events.linesPerSec),
    readlineIteratorLinesPerSec: Math.round(iter.linesPerSec),
    ratioVsReadlineEvents: Number((ours.linesPerSec / events.linesPerSec).toFixed(2)),
    ratioVsReadlineIterator: Number((ours.linesPerSec / iter.linesPerSec).toFixed(2)),
  }),
);
