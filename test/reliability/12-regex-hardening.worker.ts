// Worker for 12-regex-hardening.test.ts: runs one parser call off the test's thread. A regex that
// backtracks for minutes blocks its thread; here it blocks only this worker, so vitest's test
// timeout still fires and the test terminates the worker. Plain data in, plain data out.
import { parentPort, workerData } from 'node:worker_threads';
import { AisDecoder } from '../../packages/ais/src/index.ts';
import { createCsvRowParser } from '../../packages/feeds/src/index.ts';
import * as watchlists from '../../packages/watchlists/src/index.ts';
import { parseSourceSpec } from '../../packages/ingest/src/sources/source-spec.ts';

type Op = { op: 'watchlists'; fn: string; args: unknown[] } | { op: 'csv'; header: string; rows: string[] } | { op: 'nmea'; lines: string[] } | { op: 'spec'; specs: string[] };

function run(job: Op): unknown {
  switch (job.op) {
    case 'watchlists': {
      if (job.fn === 'normalizeVesselNames') return (job.args[0] as string[]).map((n) => watchlists.normalizeVesselName(n));
      const fn = (watchlists as unknown as Record<string, (...a: unknown[]) => unknown>)[job.fn];
      if (typeof fn !== 'function') throw new Error(`no export ${job.fn}`);
      return fn(...job.args);
    }
    case 'csv': {
      const parser = createCsvRowParser(job.header, { now: Date.UTC(2026, 0, 1) });
      return job.rows.map((row, i) => parser.parse(row, i + 2));
    }
    case 'nmea': {
      const decoder = new AisDecoder();
      const messages: number[] = [];
      for (const line of job.lines) {
        let d = decoder.push(line, 0);
        while (d) {
          messages.push(d.msg.mmsi);
          d = decoder.shift();
        }
      }
      return { messages, rejected: decoder.stats.rejected };
    }
    case 'spec':
      return job.specs.map((s) => {
        try {
          return parseSourceSpec(s);
        } catch (err) {
          return { error: (err as Error).message.slice(0, 200) };
        }
      });
  }
}

try {
  parentPort!.postMessage({ ok: true, value: run(workerData as Op) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: String((err as Error).message).slice(0, 500), name: (err as Error).name });
}
