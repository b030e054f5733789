import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createGzip, type Gzip } from 'node:zlib';
import { ValidationError } from '@rendezvous/errors';
import { portsCsv, SCENARIO_NAMES, simulate, watchlistCsv, type ScenarioName, type SimulationOptions } from '@rendezvous/simulator';
import type { Command } from '../command.ts';

const USAGE =
  'simulate --out <file.nmea[.gz]> [--truth <file.json>] [--watchlist <file.csv>] [--ports <file.csv>] [--vessels 200] [--hours 24] ' +
  '[--start 2026-01-01T00:00:00Z] [--seed 1] [--scenarios all|meeting,passing,…] [--receivers 1]';

const whole = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new ValidationError(`${flag} must be a whole number`);
  return Number(v);
};

/** Lines are batched into ~1 MB writes and the stream's backpressure is honoured, so memory stays flat. */
async function writeLines(lines: Iterable<string>, path: string): Promise<{ lines: number; bytes: number; first: string | null; last: string | null }> {
  const file: WriteStream = createWriteStream(path);
  const gzip: Gzip | null = path.endsWith('.gz') ? createGzip() : null;
  if (gzip) gzip.pipe(file);
  const sink: NodeJS.WritableStream = gzip ?? file;
  const failed = new Promise<never>((_, reject) => {
    file.once('error', reject);
    gzip?.once('error', reject);
  });
  failed.catch(() => {}); // observed below via Promise.race
  let n = 0;
  let bytes = 0;
  let first: string | null = null;
  let last: string | null = null;
  let chunk: string[] = [];
  let chunkChars = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const text = chunk.join('\n') + '\n';
    chunk = [];
    chunkChars = 0;
    if (!sink.write(text)) await Promise.race([once(sink, 'drain'), failed]);
  };
  for (const line of lines) {
    if (first === null) first = line;
    last = line;
    n++;
    bytes += line.length + 1;
    chunk.push(line);
    chunkChars += line.length + 1;
    if (chunkChars >= 1 << 20) await flush();
  }
  await flush();
  sink.end();
  await Promise.race([once(file, 'close'), failed]);
  return { lines: n, bytes, first, last };
}

const tagTime = (line: string | null): string | null => {
  const m = line === null ? null : /c:(\d+)/.exec(line);
  return m ? new Date(Number(m[1]) * 1000).toISOString() : null;
};

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Generate deterministic AIS traffic (NMEA with TAG blocks) with scripted rendezvous scenarios and a ground-truth JSON; prints a JSON summary',
  usage: 'simulate --out <file.nmea> [--truth <file.json>] [options…]',
  async run(args, { logger, stdout }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        truth: { type: 'string' },
        watchlist: { type: 'string' },
        ports: { type: 'string' },
        vessels: { type: 'string' },
        hours: { type: 'string' },
        start: { type: 'string' },
        seed: { type: 'string' },
        scenarios: { type: 'string' },
        receivers: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new ValidationError(`unexpected argument ${positionals[0]}; usage: ${USAGE}`);
    if (!values.out) throw new ValidationError(`--out is required; usage: ${USAGE}`);
    let scenarios: SimulationOptions['scenarios'] = 'all';
    if (values.scenarios !== undefined && values.scenarios !== 'all') {
      const names = values.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.find((n) => !(SCENARIO_NAMES as readonly string[]).includes(n));
      if (unknown) throw new ValidationError(`unknown scenario ${unknown} (known: ${SCENARIO_NAMES.join(', ')}, or all)`);
      scenarios = names as ScenarioName[];
    }
    const hours = values.hours === undefined ? undefined : Number(values.hours);
    if (hours !== undefined && !Number.isFinite(hours)) throw new ValidationError('--hours must be a number');
    const options: SimulationOptions = {
      scenarios,
      ...(values.start !== undefined ? { start: values.start } : {}),
      ...(hours !== undefined ? { hours } : {}),
      ...(values.vessels !== undefined ? { vessels: whole(values.vessels, '--vessels')! } : {}),
      ...(values.seed !== undefined ? { seed: whole(values.seed, '--seed')! } : {}),
      ...(values.receivers !== undefined ? { receivers: whole(values.receivers, '--receivers')! } : {}),
    };
    let sim: ReturnType<typeof simulate>;
    try {
      sim = simulate(options);
    } catch (err) {
      // The simulator validates its options with RangeError; to the operator that is a usage error.
      if (err instanceof RangeError) throw new ValidationError(err.message);
      throw err;
    }
    const { truth } = sim;
    const started = performance.now();
    logger.info({ out: values.out, vessels: truth.vessels.length, hours: truth.hours, scenarios: truth.scenarios.length }, 'simulating');
    const written = await writeLines(sim.lines, values.out);
    if (values.truth) await writeFile(values.truth, JSON.stringify(truth, null, 2) + '\n');
    if (values.watchlist) await writeFile(values.watchlist, watchlistCsv(truth));
    // The ports the scenarios call at (issue 15), as a PORTS_FILE for the detector.
    if (values.ports) await writeFile(values.ports, portsCsv(truth));
    const durationMs = Math.round(performance.now() - started);
    const summary = {
      out: values.out,
      truth: values.truth ?? null,
      watchlist: values.watchlist ?? null,
      ports: values.ports ?? null,
      seed: truth.seed,
      start: truth.start,
      end: truth.end,
      lines: written.lines,
      bytes: written.bytes,
      firstLineTime: tagTime(written.first),
      lastLineTime: tagTime(written.last),
      vessels: truth.vessels.length,
      backgroundVessels: truth.background.vessels,
      receivers: truth.receivers,
      scenarios: truth.scenarios.map((s) => ({ name: s.name, vessels: s.vessels.length, expectedEncounters: s.expectedEncounters })),
      skippedScenarios: truth.skippedScenarios,
      truthMeetings: truth.meetings.length,
      sharedMmsis: truth.sharedMmsis,
      durationMs,
      linesPerSecond: durationMs > 0 ? Math.round((written.lines / durationMs) * 1000) : null,
    };
    stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return 0;
  },
};
