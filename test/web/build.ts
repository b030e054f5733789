// The browser tests test the app as it is in the checkout: the same build `npm start` and
// `npm test` run (scripts/build-web.ts: vite build when dist is missing or older than its sources).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/harness.ts';

export const WEB_DIST = path.join(ROOT, 'packages/web-app/dist');

export function ensureWebAppBuilt(): { assets: string[] } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-web.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the web app did not build:\n${run.stdout}\n${run.stderr}`);
  return { assets: readdirSync(path.join(WEB_DIST, 'assets')) };
}
