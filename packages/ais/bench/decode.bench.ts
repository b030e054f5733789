/**
 * Throughput benchmark: this decoder vs gpsdecode (gpsd) and libais (python3).
 *   node packages/ais/bench/decode.bench.ts [--sentences N] [--reps R]
 * Builds ≥ 1M sentences by repeating the real captures in /work/shared/data
 * (gpsd, DMA AisLib, Novorossiysk), or encoder output when absent, writes
 * them to a temp file, and times each decoder on that same file (one core).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AisDecoder, encodeMessage, type EncodableMessage } from '../src/index.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const TARGET = opt('sentences', 1_000_000);
const REPS = opt('reps', 5);

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const SOURCES = [
  'nmea-novorossiysk-boutsko/ais.txt',
  'nmea-dma-aislib/stream_example.txt',
  'nmea-gpsd/ais-nmea-type6-fid55.log',
  'nmea-gpsd/ais-raw-messages.log',
  'nmea-gpsd/ais-18-27.log',
];

/** Real AIS sentence lines only (plus $PGHP where present, which counts as a line, not a sentence). */
function baseLines(): { lines: string[]; origin: string } {
  const lines: string[] = [];
  const used: string[] = [];
  for (const rel of SOURCES) {
    if (!existsSync(DATA + rel)) continue;
    used.push(rel);
    for (const l of readFileSync(DATA + rel, 'utf8').split('\n')) if (l.startsWith('!')) lines.push(l);
  }
  if (lines.length > 0) return { lines, origin: used.join(', ') };
  // Fallback: synthetic traffic from the encoder (positions, static data, class B).
  let seed = 1;
  const r = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 20000; i++) {
    const mmsi = 200000000 + Math.floor(r() * 500000000);
    const msg: EncodableMessage =
      i % 10 === 0
        ? { type: 5, repeat: 0, mmsi, aisVersion: 2, imo: 9074729, callsign: 'ABCD', name: 'SYNTHETIC', shipType: 80, dimBow: 100, dimStern: 20, dimPort: 10, dimStarboard: 10, epfd: 1, etaMonth: 5, etaDay: 1, etaHour: 12, etaMinute: 0, draught: 9.5, destination: 'SKAGEN', dte: 0 }
        : { type: 1, repeat: 0, mmsi, navStatus: 0, rot: 0, rotRaw: 0, sog: Math.round(r() * 200) / 10, accuracy: true, lon: Math.round((r() * 20) * 600000) / 600000, lat: Math.round((50 + r() * 10) * 600000) / 600000, cog: Math.round(r() * 3599) / 10, heading: Math.floor(r() * 360), second: Math.floor(r() * 60), maneuver: null, raim: false, radio: 0 };
    lines.push(...encodeMessage(msg, { seqId: i % 10 }));
  }
  return { lines, origin: 'synthetic (encoder), shared data not found' };
}

const { lines: base, origin } = baseLines();
const reps = Math.ceil(TARGET / base.length);
const text = Array.from({ length: reps }, () => base.join('\n')).join('\n') + '\n';
const totalLines = base.length * reps;
const dir = mkdtempSync(join(tmpdir(), 'ais-bench-'));
const file = join(dir, 'input.nmea');
writeFileSync(file, text);
const mb = Buffer.byteLength(text) / 1e6;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Ours: scan the in-memory text line by line (indexOf/slice), push each line. Includes line splitting. */
function runOurs(): { seconds: number; messages: number; sentences: number } {
  const dec = new AisDecoder();
  const t0 = process.hrtime.bigint();
  let start = 0;
  let messages = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    if (dec.push(text.slice(start, nl), 0) !== null) messages++;
    start = nl + 1;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, messages, sentences: dec.stats.sentences };
}

runOurs(); // warm-up (JIT)
const ours: number[] = [];
let oursInfo = runOurs();
for (let i = 0; i < REPS; i++) {
  oursInfo = runOurs();
  ours.push(oursInfo.seconds);
}
const oursSec = median(ours);
const sentences = oursInfo.sentences;

interface Baseline {
  name: string;
  seconds: number | null;
  note: string;
}

function timeCommand(cmd: string, cmdArgs: string[], reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

const baselines: Baseline[] = [];
if (has('gpsdecode')) {
  const v = spawnSync('gpsdecode', ['-V'], { encoding: 'utf8' });
  const version = `${v.stdout}${v.stderr}`.trim();
  // -c: gpsd's compact pipe-separated dump (cheapest output mode); input from the same file.
  const seconds = timeCommand('sh', ['-c', `gpsdecode -c < ${file} > /dev/null`], Math.max(1, Math.min(REPS, 3)));
  baselines.push({ name: 'gpsdecode -c', seconds, note: version });
} else {
  baselines.push({ name: 'gpsdecode', seconds: null, note: 'not installed: apt-get install gpsd-clients' });
}

const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import ais'], { stdio: 'ignore' }).status === 0);
if (PY !== undefined) {
  // Minimal NMEA handling in Python (checksum, fields, in-order 2-part joins) around libais' C++ ais.decode().
  const script = join(dir, 'libais_bench.py');
  writeFileSync(
    script,
    `import sys, ais
from functools import reduce
pending = {}
n = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith('!'):
        continue
    star = line.find('*')
    if star < 0:
        continue
    body = line[1:star]
    x = 0
    for ch in body:
        x ^= ord(ch)
    if '%02X' % x != line[star+1:star+3].upper():
        continue
    f = body.split(',')
    if len(f) < 7:
        continue
    total, idx, seq, chan, payload, fill = f[1], f[2], f[3], f[4], f[5], f[6]
    if total != '1':
        key = (f[0][:2], chan, seq)
        if idx == '1':
            pending[key] = payload
            continue
        prev = pending.pop(key, None)
        if prev is None:
            continue
        payload = prev + payload
        if idx != total:
            pending[key] = payload
            continue
    try:
        ais.decode(payload, int(fill))
        n += 1
    except Exception:
        pass
print(n)
`,
  );
  const seconds = timeCommand(PY, [script, file], Math.max(1, Math.min(REPS, 3)));
  baselines.push({ name: 'libais (python3 + ais.decode)', seconds, note: `${PY}` });
} else {
  baselines.push({ name: 'libais', seconds: null, note: 'python3-ais not installed: apt-get install python3-ais' });
}

rmSync(dir, { recursive: true, force: true });

const rate = (s: number) => sentences / s;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`input: ${fmt(totalLines)} lines, ${fmt(sentences)} sentences, ${mb.toFixed(1)} MB — ${reps}× [${origin}]`);
console.log(`node ${process.version}, median of ${REPS} runs after 1 warm-up`);
console.log('');
console.log('decoder                          seconds   sentences/s   ours ÷ baseline');
console.log(`@rendezvous/ais (this package)   ${oursSec.toFixed(3).padStart(7)}   ${fmt(rate(oursSec)).padStart(11)}   —`);
for (const b of baselines) {
  if (b.seconds === null) console.log(`${b.name.padEnd(32)} ${'n/a'.padStart(7)}   ${'n/a'.padStart(11)}   ${b.note}`);
  else console.log(`${b.name.padEnd(32)} ${b.seconds.toFixed(3).padStart(7)}   ${fmt(rate(b.seconds)).padStart(11)}   ${(b.seconds / oursSec).toFixed(1)}×  (${b.note})`);
}
console.log(
  JSON.stringify({
    bench: 'ais-decode',
    node: process.version,
    lines: totalLines,
    sentences,
    messages: oursInfo.messages,
    oursSeconds: oursSec,
    oursSentencesPerSec: Math.round(rate(oursSec)),
    baselines: baselines.map((b) => ({ name: b.name, seconds: b.seconds, sentencesPerSec: b.seconds === null ? null : Math.round(rate(b.seconds)), ratio: b.seconds === null ? null : b.seconds / oursSec, note: b.note })),
  }),
);
