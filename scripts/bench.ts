// `npm run bench`: every hot-path benchmark, one after another, each printing its throughput and
// its ratio to a baseline measured in the same run. Pass names to run a subset:
//   npm run bench -- decode csv splitter ingest
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, { file: string; args?: string[] }> = {
  decode: { file: 'packages/ais/bench/decode.bench.ts' },
  csv: { file: 'packages/feeds/bench/csv.bench.ts' },
  splitter: { file: 'packages/ingest/bench/line-splitter.bench.ts' },
  // Wall-clock timings the source tests no longer assert: replay pacing, stop after abort.
  sources: { file: 'packages/ingest/bench/sources.bench.ts' },
  match: { file: 'packages/watchlists/bench/match.bench.ts' },
  // Large (50 MB OFAC) and hostile (deep XML) lists: the speed the hostile-parser tests no longer assert.
  'watchlist-parse': { file: 'packages/watchlists/bench/parse.bench.ts' },
  detect: { file: 'packages/detection/bench/detect.bench.ts' },
  dark: { file: 'packages/detection/bench/dark.bench.ts' },
  shore: { file: 'packages/geography/bench/shore.bench.ts' },
  'detector-e2e': { file: 'services/detector/bench/detector.bench.ts', args: ['--vessels', '500,2000,8000'] },
  ingest: { file: 'packages/ingest/bench/ingest.bench.ts', args: ['--vessels', '2000', '--reports', '500'] },
  // 1, 2 and 4 detector processes over one backlog: throughput and identical alerts (issue 16).
  scale: { file: 'services/detector/bench/scale.bench.ts', args: ['--vessels', '300', '--processes', '1,2,4'] },
  api: { file: 'services/api/bench/api.bench.ts', args: ['--alerts', '1000000', '--duration', '10'] },
  // The analyst web app in Chromium over 100,000 alerts: first paint of the map, panning (issue 14).
  web: { file: 'services/api/bench/web.bench.ts', args: ['--alerts', '100000'] },
  // Faults: 1M sentences over TCP while Redis and PostgreSQL each restart twice (issue 11).
  chaos: { file: 'test/chaos/chaos.bench.ts', args: ['--vessels', '2000', '--reports', '500'] },
};

const root = fileURLToPath(new URL('../', import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
let failed = 0;
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  if (!existsSync(root + bench.file)) continue;
  console.log(`\n=== ${name} (${bench.file}) ===`);
  const result = spawnSync(process.execPath, [bench.file, ...(bench.args ?? [])], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
