/**
 * Wall-clock timings of the live and replay sources, which the tests check only logically (a
 * virtual clock for replay pacing; an abort that is the only way out for stops):
 *   node packages/ingest/bench/sources.bench.ts [--reps 5]
 *   - replay: 120 s of feed at 60× (ideal 2000 ms): wall time, its ratio to the ideal, the worst
 *     lateness of a line against its due time; 1000 lines at full speed;
 *   - replay abort during an hour's pause, UDP stop while waiting for datagrams, TCP stop while
 *     connected and idle and during a long backoff: ms from abort to the end of iteration.
 * Each number is the median of the repetitions, shown against the bound the tests used to assert
 * (ratio > 1: slower than that bound). Ends with one JSON line.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { emptyStats, type LineBatch, type LineSource } from '../src/sources/line-source.ts';
import { replaySource } from '../src/sources/replay-source.ts';
import { tcpSource } from '../src/sources/tcp-source.ts';
import { udpSource } from '../src/sources/udp-source.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const REPS = opt('reps', 5);
const HOST = '127.0.0.1';
const T0 = 1_700_000_000_000;
const at = (ms: number, payload = 'x') => `T=${T0 + ms};${payload}`;
const timeOf = (line: string): number | null => {
  const m = /^T=(\d+);/.exec(line);
  return m === null ? null : Number(m[1]);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function arraySource(lines: string[], size = 50): LineSource {
  return {
    name: 'mem',
    stats: () => ({ ...emptyStats(), lines: lines.length }),
    async *lines(signal: AbortSignal): AsyncGenerator<LineBatch> {
      for (let i = 0; i < lines.length && !signal.aborted; i += size) yield { lines: lines.slice(i, i + size), receivedAtMs: Date.now() };
    },
  };
}

/** Iterates `source`, aborts once `afterStart` has resolved, and times abort → end of iteration. */
async function timeStop(source: LineSource, afterStart: (ac: AbortController) => void | Promise<void>): Promise<number> {
  const ac = new AbortController();
  const done = (async () => {
    for await (const _ of source.lines(ac.signal)) void _;
    return performance.now();
  })();
  await afterStart(ac);
  const t0 = performance.now();
  ac.abort();
  return (await done) - t0;
}

async function replayPacing(): Promise<{ wallMs: number; worstLateMs: number }> {
  const input = Array.from({ length: 121 }, (_, i) => at(i * 1000, `msg${i}`));
  const t0 = performance.now();
  let worstLateMs = 0;
  let first = -1;
  for await (const b of replaySource(arraySource(input), { speed: 60, timeOf }).lines(new AbortController().signal)) {
    const now = performance.now();
    if (first < 0) first = now;
    for (const l of b.lines) worstLateMs = Math.max(worstLateMs, now - first - (timeOf(l)! - T0) / 60);
  }
  return { wallMs: performance.now() - t0, worstLateMs };
}

async function replayFullSpeed(): Promise<number> {
  const input = Array.from({ length: 1000 }, (_, i) => at(i * 60_000));
  const t0 = performance.now();
  for await (const _ of replaySource(arraySource(input, 300), { speed: Infinity, timeOf }).lines(new AbortController().signal)) void _;
  return performance.now() - t0;
}

function replayAbort(): Promise<number> {
  const source = replaySource(arraySource([at(0, 'a'), at(3_600_000, 'an hour later')]), { speed: 1, timeOf });
  // The first batch goes out at once; the pause follows. Give it a moment to be under way.
  return timeStop(source, () => new Promise((r) => setTimeout(r, 20)));
}

async function udpStop(): Promise<number> {
  let bound: () => void = () => {};
  const listening = new Promise<void>((r) => (bound = r));
  return timeStop(udpSource({ host: HOST, port: 0, onListening: () => bound() }), () => listening);
}

async function tcpStopConnected(): Promise<number> {
  const server = createServer((s) => s.on('error', () => {}));
  server.listen(0, HOST);
  await once(server, 'listening');
  const connected = once(server, 'connection');
  try {
    return await timeStop(tcpSource({ host: HOST, port: (server.address() as AddressInfo).port }), async () => void (await connected));
  } finally {
    server.close();
  }
}

async function tcpStopInBackoff(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  const source = tcpSource({ host: HOST, port, backoff: { initialMs: 3_600_000, maxMs: 3_600_000 } });
  return timeStop(source, async () => {
    while (source.stats().state !== 'backoff') await new Promise((r) => setTimeout(r, 5));
  });
}

const rows: { name: string; ms: number; boundMs: number; extra?: string }[] = [];
const pacing: { wallMs: number; worstLateMs: number }[] = [];
for (let i = 0; i < REPS; i++) pacing.push(await replayPacing());
const wall = median(pacing.map((p) => p.wallMs));
rows.push({ name: 'replay 120 s at 60× (ideal 2000 ms)', ms: wall, boundMs: 6000, extra: `${(wall / 2000).toFixed(3)}× ideal, worst line late ${median(pacing.map((p) => p.worstLateMs)).toFixed(1)} ms` });
const measure = async (name: string, boundMs: number, f: () => Promise<number>) => {
  const xs: number[] = [];
  for (let i = 0; i < REPS; i++) xs.push(await f());
  rows.push({ name, ms: median(xs), boundMs });
};
await measure('replay 1000 lines at speed Infinity', 500, replayFullSpeed);
await measure('replay abort during a 1 h pause', 400, replayAbort);
await measure('UDP stop while waiting', 200, udpStop);
await measure('TCP stop while connected and idle', 500, tcpStopConnected);
await measure('TCP stop during a 1 h backoff', 300, tcpStopInBackoff);

for (const r of rows) {
  console.log(`${r.name.padEnd(40)} ${r.ms.toFixed(1).padStart(8)} ms   ${(r.ms / r.boundMs).toFixed(3)} of the old test bound ${r.boundMs} ms${r.extra ? `   (${r.extra})` : ''}`);
}
console.log(JSON.stringify({ bench: 'sources', reps: REPS, results: rows.map((r) => ({ name: r.name, ms: Number(r.ms.toFixed(2)), boundMs: r.boundMs })) }));
