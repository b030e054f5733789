// Builds the analyst web app (packages/web-app, `vite build`) into packages/web-app/dist when the
// build is missing or older than any of its sources, so `npm start` and `npm test` serve and test
// the app as it is in the checkout with no extra step. Prints one line; a failed build prints
// Vite's output and exits 1 (the caller stops: an API serving a stale app would mislead).
//   node scripts/build-web.ts [--force]
//
// The build goes to a fresh directory that then replaces dist in two renames: a running API
// never serves a half-written dist, and two builds at once (npm start beside npm test) each
// finish with a whole one.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP = path.join(ROOT, 'packages/web-app');
const DIST = path.join(APP, 'dist');
const VITE = path.join(ROOT, 'node_modules/vite/bin/vite.js');
const rel = (p: string) => path.relative(ROOT, p);
const say = (line: string) => process.stdout.write(`web app: ${line}\n`);

/** Newest modification time (ms) under `dir`, 0 when it does not exist. */
function newest(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file shows only as its directory's change
  for (const name of readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

/** What the build reads: the page, the Vite config, the sources and static files, the package's manifest. */
function sources(): string[] {
  const configs = existsSync(APP) ? readdirSync(APP).filter((f) => /^vite\.config\.[cm]?[jt]s$/.test(f)) : [];
  return ['index.html', 'src', 'public', 'package.json', 'tsconfig.json', ...configs].map((f) => path.join(APP, f)).filter(existsSync);
}

function runVite(outDir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: APP,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<number> {
  if (!existsSync(path.join(APP, 'index.html'))) {
    say(`no app sources yet (${rel(path.join(APP, 'index.html'))} is missing); nothing to build`);
    return 0;
  }
  const built = existsSync(path.join(DIST, 'index.html')) ? statSync(path.join(DIST, 'index.html')).mtimeMs : 0;
  const changed = Math.max(...sources().map(newest));
  if (!process.argv.includes('--force') && built > 0 && built >= changed) {
    say(`${rel(DIST)} is up to date`);
    return 0;
  }
  if (!existsSync(VITE)) {
    process.stderr.write(`web app: FAILED: ${rel(VITE)} is missing; run \`npm ci\` (setup does) to install Vite\n`);
    return 1;
  }
  const started = performance.now();
  const staging = path.join(APP, `.dist-${process.pid}`);
  const { code, output } = await runVite(staging);
  if (code !== 0 || !existsSync(path.join(staging, 'index.html'))) {
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write(output);
    process.stderr.write(`web app: FAILED: vite build exited with ${code}${code === 0 ? ' without writing index.html' : ''} (output above)\n`);
    return 1;
  }
  const old = path.join(APP, `.dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(staging, DIST);
  rmSync(old, { recursive: true, force: true });
  // Vite's warnings (chunk sizes, unresolved assets) still reach the user, after the summary.
  say(`built ${rel(DIST)} in ${((performance.now() - started) / 1000).toFixed(1)} s${built > 0 ? ' (sources changed)' : ''}`);
  if (output.trim()) process.stderr.write(output);
  return 0;
}

process.exitCode = await main();
