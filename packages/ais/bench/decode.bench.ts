/**
 * Throughput benchmark: this decoder vs gpsdecode (gpsd) and libais (python3).
 *   node packages/ais/bench/decode.bench.ts [--sentences N] [--reps R]
 * Builds ≥ 1M sentences by repeating the real captures in /work/shared/data
 * (gpsd, DMA AisLib, Novorossiysk), or encoder output when absent, writes
 * them to a temp file, and times each decoder on that same file (one core).
 * Ours is timed in memory, decode only (lines pre-split; the headline figure)
 * and including line splitting; every result is consumed (MMSI sum).
 * gpsdecode is timed in both its -c and default JSON output modes.
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

/** Pre-split lines (the decode-only measurement does no splitting inside the timed loop). */
const lineArr = text.split('\n');
lineArr.pop(); // trailing ''

interface OursRun {
  seconds: number;
  messages: number;
  sentences: number;
  /** Sum of every returned MMSI: consumes each result so no work can be optimised away. */
  mmsiSum: number;
}

/** Ours, decode only: push each pre-split line. */
function runOursLines(): OursRun {
  const dec = new AisDecoder();
  const lines = lineArr;
  let messages = 0;
  let mmsiSum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    const d = dec.push(lines[i]!, 0);
    if (d !== null) {
      messages++;
      mmsiSum += d.msg.mmsi;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, messages, sentences: dec.stats.sentences, mmsiSum };
}

/** Ours, including line splitting: scan the in-memory text (indexOf/slice) and push each line. */
function runOursText(): OursRun {
  const dec = new AisDecoder();
  let start = 0;
  let messages = 0;
  let mmsiSum = 0;
  const t0 = process.hrtime.bigint();
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const d = dec.push(text.slice(start, nl), 0);
    if (d !== null) {
      messages++;
      mmsiSum += d.msg.mmsi;
    }
    start = nl + 1;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, messages, sentences: dec.stats.sentences, mmsiSum };
}

/** One warm-up (JIT), then REPS timed runs; median and spread. */
function measure(run: () => OursRun): { info: OursRun; median: number; min: number; max: number } {
  let info = run();
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    info = run();
    times.push(info.seconds);
  }
  return { info, median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

const oursLines = measure(runOursLines);
const oursText = measure(runOursText);
if (oursLines.info.mmsiSum !== oursText.info.mmsiSum || oursLines.info.messages !== oursText.info.messages) {
  throw new Error('decode-only and text runs disagree');
}
const oursSec = oursLines.median;
const oursInfo = oursLines.info;
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
  // Same file, output to /dev/null. -c: compact pipe-separated dump (its cheapest output);
  // no flag: JSON, what a user gets by default. Includes process start (a few ms) and reading the file.
  const runs = Math.max(1, Math.min(REPS, 3));
  baselines.push({ name: 'gpsdecode -c', seconds: timeCommand('sh', ['-c', `gpsdecode -c < ${file} > /dev/null`], runs), note: version });
  baselines.push({ name: 'gpsdecode (JSON, default)', seconds: timeCommand('sh', ['-c', `gpsdecode < ${file} > /dev/null`], runs), note: version });
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
const spread = (m: { min: number; max: number }) => `${m.min.toFixed(3)}–${m.max.toFixed(3)} s`;
console.log(`input: ${fmt(totalLines)} lines, ${fmt(sentences)} sentences, ${mb.toFixed(1)} MB — ${reps}× [${origin}]`);
console.log(`node ${process.version}; ours: median of ${REPS} runs after 1 warm-up (range ${spread(oursLines)} decode-only); baselines: median of ${Math.max(1, Math.min(REPS, 3))}`);
console.log(`consumed: ${fmt(oursInfo.messages)} messages, MMSI sum ${oursInfo.mmsiSum}`);
console.log('');
console.log('decoder                                 seconds   sentences/s   ours (decode-only) ÷ baseline');
console.log(`@rendezvous/ais, decode only            ${oursSec.toFixed(3).padStart(7)}   ${fmt(rate(oursSec)).padStart(11)}   —`);
console.log(`@rendezvous/ais, incl. line splitting   ${oursText.median.toFixed(3).padStart(7)}   ${fmt(rate(oursText.median)).padStart(11)}   —  (range ${spread(oursText)})`);
for (const b of baselines) {
  if (b.seconds === null) console.log(`${b.name.padEnd(39)} ${'n/a'.padStart(7)}   ${'n/a'.padStart(11)}   ${b.note}`);
  else console.log(`${b.name.padEnd(39)} ${b.seconds.toFixed(3).padStart(7)}   ${fmt(rate(b.seconds)).padStart(11)}   ${(b.seconds / oursSec).toFixed(1)}×  (incl. splitting: ${(b.seconds / oursText.median).toFixed(1)}×; ${b.note})`);
}
console.log(
  JSON.stringify({
    bench: 'ais-decode',
    node: process.version,
    lines: totalLines,
    sentences,
    messages: oursInfo.messages,
    mmsiSum: oursInfo.mmsiSum,
    oursSeconds: oursSec,
    oursSecondsRange: [oursLines.min, oursLines.max],
    oursSentencesPerSec: Math.round(rate(oursSec)),
    oursWithSplittingSeconds: oursText.median,
    oursWithSplittingSentencesPerSec: Math.round(rate(oursText.median)),
    baselines: baselines.map((b) => ({ name: b.name, seconds: b.seconds, sentencesPerSec: b.seconds === null ? null : Math.round(rate(b.seconds)), ratio: b.seconds === null ? null : b.seconds / oursSec, note: b.note })),
  }),
);
