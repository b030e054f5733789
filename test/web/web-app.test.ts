// The analyst web app in a real browser (Debian's chromium through playwright-core) against the
// API on a real socket, the test database and Redis: sign in, the demo's alerts on the map,
// filters in a shareable URL, an alert's tracks and charts, triage seen live in a second page,
// the evidence export, a viewer without triage buttons, a refused token, and axe-core's check.
// Each step leaves a screenshot under test-output/web/ (the README shows two of them).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertRepository, createWatchlistRepository, type AlertWrite } from '@rendezvous/db';
import { prepareListSnapshot } from '@rendezvous/watchlists';
import { alertTestApp, alertWrite, resetAlerts, type SeedAlert } from '../api/alerts-seed.ts';
import { BROWSER_SKIP_NOTE, CHROMIUM, launchBrowser } from '../support/browser.ts';
import { ROOT, resetIngestTables } from '../support/harness.ts';
import { position, storePositions } from '../support/positions.ts';
import { ensureWebAppBuilt } from './build.ts';

const OUT = path.join(ROOT, 'test-output/web');
const HOUR = 3_600_000;
const MERCURY = 626_123_020;

/** The demo's scene (README "First run"): a listed tanker meeting a partner in the Laconian Gulf, and look-alikes. */
function demoAlerts(now: number): SeedAlert[] {
  const t = (hoursAgo: number) => Math.floor((now - hoursAgo * HOUR) / 60_000) * 60_000;
  return [
    { key: 'web-demo-1', a: MERCURY, b: 636_092_301, start: t(8), hours: 3, lon: 22.71, lat: 36.62, score: 86, watchlists: ['demo'], imoA: 9_074_729, nameA: 'DEMO STAR MERCURY', nameB: 'DEMO PARTNER' },
    { key: 'web-demo-2', a: 538_009_120, b: 229_555_001, start: t(6), hours: 2.5, lon: 22.95, lat: 36.48, score: 55, nameA: 'DEMO AEGEAN', nameB: 'DEMO KYTHERA' },
    { key: 'web-demo-3', a: 248_771_002, b: 215_330_004, start: t(5), hours: 2, lon: 23.12, lat: 36.38, score: 41, nameA: 'DEMO LACONIA', nameB: 'DEMO ELAFONISOS' },
    { key: 'web-demo-4', a: 636_019_882, b: 477_220_300, start: t(4), hours: 2, lon: 22.58, lat: 36.7, score: 24, nameA: 'DEMO GYTHIO', nameB: 'DEMO MONEMVASIA' },
    { key: 'web-demo-5', a: 352_100_400, b: 371_200_500, start: t(3), hours: 2.2, lon: 22.8, lat: 36.55, score: 33, status: 'ongoing', nameA: 'DEMO NEAPOLI', nameB: 'DEMO VATIKA' },
  ];
}

/**
 * Evidence as a meeting looks: each vessel sails in at ~11 kn, lies alongside the other (~150 m
 * apart, drifting) at under a knot, and sails off; a fix every 10 minutes, an hour either side.
 */
function withMeetingTracks(seed: SeedAlert): AlertWrite {
  const write = alertWrite(seed);
  const end = seed.start + seed.hours * HOUR;
  const track = (side: 1 | -1, from: [number, number], to: [number, number]) => {
    const rows: [number, number, number, number][] = [];
    for (let t = seed.start - HOUR; t <= end + HOUR; t += 600_000) {
      const drift = ((t - seed.start) / HOUR) * 0.002;
      const alongside: [number, number] = [seed.lon + side * 0.0008 + drift, seed.lat + drift / 2];
      let p: [number, number];
      if (t < seed.start) {
        const k = (seed.start - t) / HOUR;
        p = [alongside[0] + k * from[0], alongside[1] + k * from[1]];
      } else if (t > end) {
        const k = (t - end) / HOUR;
        const last: [number, number] = [seed.lon + side * 0.0008 + seed.hours * 0.002, seed.lat + seed.hours * 0.001];
        p = [last[0] + k * to[0], last[1] + k * to[1]];
      } else p = alongside;
      // Longitudes back within ±180 (a meeting on the antimeridian has tracks on both sides).
      rows.push([t, ((((p[0] + 180) % 360) + 360) % 360) - 180, p[1], t < seed.start || t > end ? 11.2 : 0.4 + 0.2 * Math.sin(t / HOUR)]);
    }
    return rows;
  };
  return { ...write, evidence: { marginS: 3600, trackA: track(-1, [-0.17, -0.1], [0.12, -0.14]), trackB: track(1, [0.2, 0.06], [0.15, 0.11]) } };
}

async function seedAlerts(database: Awaited<ReturnType<typeof alertTestApp>>['database'], seeds: SeedAlert[]): Promise<Map<string, number>> {
  await createAlertRepository(database.db).upsert(seeds.map(withMeetingTracks));
  const rows = await database.db.selectFrom('alerts').select(['id', 'alert_key']).where('alert_key', 'in', seeds.map((s) => s.key)).execute();
  return new Map(rows.map((r) => [r.alert_key, Number(r.id)]));
}

describe.skipIf(!CHROMIUM)(`analyst web app in a browser ${BROWSER_SKIP_NOTE}`, () => {
  let t: Awaited<ReturnType<typeof alertTestApp>>;
  let base: string;
  let browser: Browser;
  let ids: Map<string, number>;
  const token = (role: 'viewer' | 'analyst') => t.auth(role).authorization.slice('Bearer '.length);
  const problems: string[] = [];
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

  async function open(context: BrowserContext, url = '/'): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // 4xx answers are the app's business (it shows them); a 5xx or a console error is a fault.
    page.on('response', (r) => {
      if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
    });
    // Anything the CSP blocks would break the app silently in production: collect it.
    // (Browser code as strings: this file is type-checked with Node's types, not the DOM's.)
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP blocked ' + e.violatedDirective + ' ' + e.blockedURI))",
    });
    await page.goto(`${base}${url}`);
    return page;
  }

  async function signIn(page: Page, value: string): Promise<void> {
    await page.getByLabel('API token').fill(value);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const rows = (page: Page) => page.locator('#side li.alert-item');

  async function axeCheck(page: Page, what: string): Promise<void> {
    // Through the DevTools protocol, which the page's CSP does not govern (no inline script).
    await page.evaluate(axe.source);
    const result = (await page.evaluate(`(async () => {
      const run = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return {
        passed: run.passes.map((p) => p.id),
        violations: run.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })),
      };
    })()`)) as { passed: string[]; violations: { id: string; impact: string | null; nodes: string[] }[] };
    writeFileSync(path.join(OUT, `axe-${what}.json`), JSON.stringify(result, null, 2));
    // It checked what matters here (labels, contrast, names), and nothing serious failed.
    expect(result.passed).toEqual(expect.arrayContaining(['label', 'color-contrast', 'button-name', 'link-name']));
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `axe on ${what}`).toEqual([]);
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebAppBuilt();
    t = await alertTestApp('web');
    await resetAlerts(t.database);
    const list = prepareListSnapshot({
      name: 'demo',
      bytes: new TextEncoder().encode(`imo,mmsi,name,reason,source,listed_at\n9074729,${MERCURY},DEMO STAR MERCURY,simulated listing,demo,2024-01-01\n`),
      fileName: 'demo.csv',
      format: 'csv',
      importedBy: 'web test',
    });
    await createWatchlistRepository(t.database.db).importSnapshot(list);
    const seeds = demoAlerts(Date.now());
    ids = await seedAlerts(t.database, seeds);
    // The listed tanker's reports, so its vessel page has an identity and a track.
    await resetIngestTables(t.database);
    const mercury = withMeetingTracks(seeds[0]!).evidence.trackA as [number, number, number, number][];
    await storePositions(t.database, mercury.map(([ts, lon, lat, sog]) => position(MERCURY, ts, lon, lat, sog)));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses an invalid token and keeps the user on the sign-in form', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(context);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await shot(page, '01-sign-in');
    await signIn(page, `rzv_${'A'.repeat(43)}`);
    await page.getByText(/Token refused: Unknown API token/).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('rendezvous.token'))).toBeNull();
    expect(await page.locator('#workspace').isHidden()).toBe(true);
    await shot(page, '02-invalid-token');
    await context.close();
    // The refused attempt was a 401 the page handled: not a problem of the app.
    problems.splice(0);
  });

  it('walks an analyst through map, filters, an alert, triage seen live elsewhere, export; a viewer sees no triage buttons', async () => {
    const analyst = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await open(analyst);
    const clusters = page.waitForResponse((r) => r.url().includes('/v1/alerts/clusters') && r.status() === 200);
    await signIn(page, token('analyst'));
    await page.locator('#who').getByText('analyst-web (analyst)').waitFor();

    // The demo's alerts on the map (server clusters of the view) and in the list.
    const clustered = (await (await clusters).json()) as { total: number };
    expect(clustered.total).toBe(5);
    await page.waitForFunction('document.documentElement.dataset.alertsPainted !== undefined');
    await expect.poll(() => rows(page).count()).toBe(5);
    // The first view opens on them: clustered from afar, apart once the map has zoomed in.
    await expect.poll(async () => Number(await page.locator('#map').getAttribute('data-alert-symbols'))).toBeGreaterThan(1);
    await expect(page.locator('#map').getAttribute('data-alert-count')).resolves.toBe('5');
    // Sorted by score: the listed tanker first.
    await expect(rows(page).first().textContent()).resolves.toContain('DEMO STAR MERCURY');
    // The token is in sessionStorage only, never in the URL.
    expect(await page.evaluate(() => sessionStorage.getItem('rendezvous.token'))).toBe(token('analyst'));
    expect(page.url()).not.toContain('rzv_');
    await shot(page, '03-map-and-alerts');
    // The STS hub and port layers toggle on the map, or say the API has none.
    for (const [name, label, attr] of [['sts-hubs', 'STS hubs', 'data-layer-sts-hubs'], ['ports', 'Port masks', 'data-layer-ports']] as const) {
      const served = await fetch(`${base}/v1/layers/${name}`, { headers: t.auth('viewer') });
      if (served.status === 200) {
        await page.getByLabel(label).check();
        const features = ((await served.json()) as { features: unknown[] }).features.length;
        await expect.poll(() => page.locator('#map').getAttribute(attr)).toBe(String(features));
        await shot(page, `03-layer-${name}`);
        await page.getByLabel(label).uncheck();
        await expect.poll(() => page.locator('#map').getAttribute(attr)).toBeNull();
      } else {
        expect(served.status).toBe(404);
        // The app unticks it again at once: click, not check.
        await page.getByLabel(label).click();
        await expect.poll(() => page.getByLabel(label).isDisabled()).toBe(true);
        await page.locator('#layer-note').getByText(name === 'ports' ? 'The API has no port layer.' : 'The API has no STS hub layer.').waitFor();
      }
    }
    await axeCheck(page, 'list');

    // Filters: minimum score, then the demo watchlist; the URL holds them.
    await page.getByLabel('Minimum score').fill('40');
    await page.getByLabel('Minimum score').press('Tab');
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByLabel('Watchlist').selectOption('demo');
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?watchlist=demo&minScore=40');
    await page.getByLabel('Vessel (MMSI or IMO)').fill('IMO 9074729');
    await page.getByLabel('Vessel (MMSI or IMO)').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('imo')).toBe('9074729');
    await expect.poll(() => rows(page).count()).toBe(1);
    await shot(page, '04-filtered');
    // The filtered list as CSV: every match, fetched with the token and saved by the browser.
    const csvDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV (every match)' }).click();
    const csvPath = path.join(OUT, 'alerts.csv');
    await (await csvDownload).saveAs(csvPath);
    const csvLines = readFileSync(csvPath, 'utf8').trim().split('\n');
    expect(csvLines).toHaveLength(2);
    expect(csvLines[1]).toContain(String(MERCURY));
    // A shared link reopens the same filters (the tab keeps its token across the reload).
    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect(page.getByLabel('Watchlist').inputValue()).resolves.toBe('demo');
    await expect(page.getByLabel('Minimum score').inputValue()).resolves.toBe('40');

    // A second page, signed in as a viewer, watches the full list.
    const viewer = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const second = await open(viewer);
    // Signed in by keyboard alone: the token field has the focus, Enter submits.
    await second.getByLabel('API token').waitFor();
    await second.keyboard.type(token('viewer'));
    await second.keyboard.press('Enter');
    await expect.poll(() => rows(second).count()).toBe(5);
    await second.locator('#live-state').getByText('Live', { exact: true }).waitFor();

    // Open the alert: both tracks with the closest approach on the map, two charts, the score's reasons.
    const id = ids.get('web-demo-1')!;
    await rows(page).first().getByRole('link').click();
    await page.waitForURL(`**/alerts/${id}?watchlist=demo&minScore=40&imo=9074729`);
    await page.getByRole('heading', { name: `Rendezvous #${id}` }).waitFor();
    await expect.poll(() => page.locator('#map').getAttribute('data-tracks')).toBe('2');
    expect(Number(await page.locator('#map').getAttribute('data-closest-approach'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#charts .uplot canvas').count()).toBe(2);
    await expect(page.locator('#score-factors tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('#score-factors').textContent()).resolves.toContain('both vessels report tanker ship types');
    await expect(page.locator('.vessel-card.a').textContent()).resolves.toContain('demo (imo');
    await shot(page, '05-alert-detail');
    await axeCheck(page, 'alert');

    // Triage with a note; the change arrives in the viewer's page without a reload.
    // By keyboard: from the note, Tab reaches the first triage button and Enter presses it.
    await page.getByLabel('Note').fill('checked against the port call list');
    await page.getByLabel('Note').press('Tab');
    expect(await page.evaluate('document.activeElement.dataset.triageAction')).toBe('acknowledged');
    await page.keyboard.press('Enter');
    await page.getByText('Saved: acknowledged.').waitFor();
    await expect(page.locator('#triage-history').textContent()).resolves.toContain('new → acknowledged — “checked against the port call list”');
    await shot(page, '06-triaged');
    const liveRow = second.locator(`li.alert-item[data-alert-id="${id}"]`);
    await expect.poll(() => liveRow.locator('[data-triage]').getAttribute('data-triage')).toBe('acknowledged');
    await expect.poll(() => second.locator('#unseen-count').textContent()).toBe('1');
    await shot(second, '07-live-in-second-page');

    // The viewer opens it: the same facts, no triage buttons.
    await liveRow.getByRole('link').click();
    await second.getByRole('heading', { name: `Rendezvous #${id}` }).waitFor();
    await expect(second.locator('#triage-state').getAttribute('data-triage')).resolves.toBe('acknowledged');
    expect(await second.locator('[data-triage-action]').count()).toBe(0);
    expect(await second.getByRole('button', { name: /Acknowledge|Escalate|Dismiss/ }).count()).toBe(0);
    await shot(second, '08-viewer-no-triage');

    // Export: the evidence zip, fetched with the token header and saved by the browser.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Evidence (zip)' }).click();
    const download = await downloading;
    const saved = path.join(OUT, download.suggestedFilename());
    await download.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByText(/Downloaded .*\.zip/).waitFor();
    await shot(page, '09-exported');

    // Vessel page from the alert: identity, list match, its alerts.
    await page.getByRole('link', { name: 'DEMO STAR MERCURY' }).click();
    await page.waitForURL(`**/vessels/${MERCURY}?**`);
    await expect.poll(() => page.locator(`#side li.alert-item[data-alert-id="${id}"]`).count()).toBe(1);
    await page.getByText(/^\d+ positions \(\d+ drawn\)\.$/).waitFor();
    await page.getByText('demo: DEMO STAR MERCURY (mmsi)').waitFor();
    await shot(page, '10-vessel');

    expect(problems).toEqual([]);
    await analyst.close();
    await viewer.close();
  });

  it('is right across the antimeridian: a shared area from 179°E to 179°W, and tracks that cross it', async () => {
    const fiji = await seedAlerts(t.database, [
      { key: 'web-fiji-1', a: 520_100_001, b: 520_100_002, start: Date.now() - 9 * HOUR, hours: 2, lon: 179.97, lat: -16.8, score: 62, nameA: 'DEMO LAU', nameB: 'DEMO KORO' },
      { key: 'web-fiji-2', a: 520_100_003, b: 520_100_004, start: Date.now() - 7 * HOUR, hours: 2, lon: -179.9, lat: -17.2, score: 45, nameA: 'DEMO TAVEUNI', nameB: 'DEMO KADAVU' },
    ]);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(context, '/?bbox=179,-19,-179,-15');
    await signIn(page, token('analyst'));
    await expect.poll(() => rows(page).count()).toBe(2);
    // The map's own view is the same area across the antimeridian: both alerts on it.
    await expect.poll(() => page.locator('#map').getAttribute('data-alert-count')).toBe('2');
    await shot(page, '11-antimeridian-area');
    await page.locator(`li.alert-item[data-alert-id="${fiji.get('web-fiji-1')}"]`).getByRole('link').click();
    await expect.poll(() => page.locator('#map').getAttribute('data-tracks')).toBe('2');
    // Fitted to tracks that cross 180°: a view some kilometres wide, not the whole world.
    const scale = (await page.locator('.ol-scale-line-inner').textContent()) ?? '';
    const [, value, unit] = /^([\d.]+)\s*(m|km)$/.exec(scale.trim()) ?? [];
    expect(Number(value) * (unit === 'km' ? 1000 : 1), `scale line ${scale}`).toBeLessThan(50_000);
    await shot(page, '12-antimeridian-tracks');
    expect(problems).toEqual([]);
    await context.close();
  });
});
