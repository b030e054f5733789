// `npm start`: runs api, ingest and detector together, each line prefixed by its service.
// One Ctrl-C (SIGINT) or SIGTERM stops all three; if one dies, the others are stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@rendezvous/config';
import { ConfigError } from '@rendezvous/errors';
import { startDemo } from './demo/demo.ts';

const SERVICES = ['api', 'ingest', 'detector'] as const;
const COLORS: Record<string, string> = { api: '36', ingest: '35', detector: '33', demo: '32' };

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}

const tty = process.stdout.isTTY === true;
// The services get no schema owner's credentials: setup has migrated already, and they connect
// as DATABASE_URL's role only.
const { DATABASE_MIGRATION_URL: _owner, ...serviceEnv } = process.env;
const env = {
  ...serviceEnv,
  // Children write to a pipe, not the terminal: tell them what the final output is.
  LOG_FORMAT: process.env['LOG_FORMAT'] && process.env['LOG_FORMAT'] !== 'auto' ? process.env['LOG_FORMAT'] : tty ? 'pretty' : 'json',
};
const width = Math.max(...SERVICES.map((s) => s.length));
const children = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

function prefix(name: string): string {
  const label = `[${name}]`.padEnd(width + 2);
  return tty ? `\x1b[${COLORS[name]}m${label}\x1b[0m ` : `${label} `;
}

function stopAll(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
}

// First run on an empty database (DEMO=on): seed the labelled demo and feed ingest its traffic.
const demo = await startDemo(config, (line) => process.stdout.write(prefix('demo') + line + '\n'));
const ingestSources = demo === null ? null : [...config.ingest.sources, demo.ingestSource].join(',');

/**
 * Node flags per service, as docker-compose.yml gives them too. Ingest: a 16 MB semi-space keeps
 * V8's young generation from growing to 128 MB — its batches are columns that die young, so the
 * smaller one costs no CPU and saves ≈ 80 MB of peak RSS for 1M sentences (issue 16, measured
 * with `npm run bench -- ingest`); it does not touch the old generation's limit.
 * --no-allocation-site-pretenuring: with it on, V8 pretenured the batches' short-lived objects in
 * about half of the ingest runs, which then ran ≈ 0.8 µs per position slower with ≈ 45 MB more peak
 * RSS (issue 16: 19 of 19 runs normal with the flag; 2 runs without it at 3.6 µs and 307–310 MB
 * against 3 with it at 2.7–2.9 µs and 261–266 MB, `node packages/ingest/bench/ingest.bench.ts`).
 */
const INGEST_NODE_FLAGS = ['--max-semi-space-size=16', '--no-allocation-site-pretenuring'];
const NODE_FLAGS: Partial<Record<(typeof SERVICES)[number], string[]>> = { ingest: INGEST_NODE_FLAGS };

for (const name of SERVICES) {
  const entry = fileURLToPath(new URL(`../services/${name}/src/main.ts`, import.meta.url));
  const childEnv = name === 'ingest' && ingestSources !== null ? { ...env, INGEST_SOURCES: ingestSources } : env;
  const child = spawn(process.execPath, [...(NODE_FLAGS[name] ?? []), entry], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix(name) + line + '\n'));
  }
  // 'close' (not 'exit'): fires after the child's output is drained, so no last line is lost.
  child.on('close', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      process.stdout.write(`${prefix(name)}exited unexpectedly (${signal ?? `code ${code}`}); stopping the others\n`);
      exitCode = 1;
      stopAll('SIGTERM');
    } else if (code !== 0 && code !== null) {
      exitCode = code;
    }
    if (children.size === 0) {
      const stopped = demo === null ? Promise.resolve() : demo.stop().catch(() => undefined);
      void Promise.race([stopped, new Promise((r) => setTimeout(r, 1000))]).then(() => process.exit(exitCode));
    }
  });
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
// `npm start` runs us under `sh -c`, which does not pass on a SIGTERM sent to npm: when our
// parent goes away, stop as if signalled instead of leaving orphaned services behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stopAll('SIGTERM');
}, 500).unref();

process.stdout.write(
  `Rendezvous: api on http://${config.http.host}:${config.http.port} (GET /health), ingest and detector workers; Ctrl-C stops all\n`,
);
