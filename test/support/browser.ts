import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// The browser the web app's tests and `npm run bench -- web` drive: Debian's `chromium` package
// (scripts/setup.sh installs it where missing), never a browser Playwright downloads. CHROMIUM_PATH
// points elsewhere (another distribution's binary, a Chrome build).
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable browser: CHROMIUM_PATH when set (and only it), else the usual Debian places. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env['CHROMIUM_PATH'];
  if (chosen) return executable(chosen) ? chosen : null;
  return CANDIDATES.find(executable) ?? null;
}

export const CHROMIUM: string | null = chromiumPath();

/** Why browser tests skip: put it in the describe's title, as the shared-data tests do. */
export const BROWSER_SKIP_NOTE = CHROMIUM
  ? ''
  : process.env['CHROMIUM_PATH']
    ? `(skipped: CHROMIUM_PATH=${process.env['CHROMIUM_PATH']} is not an executable browser)`
    : '(skipped: no chromium found; `npm run setup` installs Debian\'s chromium package, or set CHROMIUM_PATH)';

/**
 * Headless Chromium through playwright-core. As root (containers, CI) Chromium refuses its
 * sandbox, so it runs without one there; /dev/shm is small in containers, so shared memory goes
 * to /tmp instead of crashing a renderer on a large canvas.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error(`no browser to launch ${BROWSER_SKIP_NOTE}`);
  const args = ['--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', '--disable-extensions'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}
