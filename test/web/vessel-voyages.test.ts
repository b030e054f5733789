// The web app's port calls, voyages and sanctions alerts (issue 15) in a real browser (Debian's
// chromium through playwright-core) against the API on a real socket and the test database: a
// tanker's four calls seeded through the port-call repository (one at Nampho, North Korea), its
// type 5 report declaring a destination, and the three sanctions alerts the detector would raise
// for them. The vessel page lists the calls with the sanctioned one said in words and drawn on the
// map, and the voyages with the leg that hid a stop flagged; each sanctions alert shows its
// behaviour view; an API without the voyages route (404) leaves the rest of the vessel page
// whole; axe-core checks both pages. The vessel page's screenshot goes to
// test-output/web/vessel-port-calls.png (copied by hand to docs/screenshots/ for the README: a
// test run never edits the repository).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertRepository, createPortCallRepository, type BehaviourAlertWrite, type PortCallRecord } from '@rendezvous/db';
import { analyseVoyages, gapNearSanctionedArea, portCallKey, portCallSanctioned, PORT_CALL_RADIUS_M } from '@rendezvous/detection';
import type { PositionObservation, StaticObservation } from '@rendezvous/feeds';
import { loadSanctioned } from '@rendezvous/geography';
import { PositionStore } from '@rendezvous/ingest';
import { alertTestApp, resetAlerts } from '../api/alerts-seed.ts';
import { BROWSER_SKIP_NOTE, CHROMIUM, launchBrowser } from '../support/browser.ts';
import { quietLogger, resetIngestTables, ROOT } from '../support/harness.ts';
import { position } from '../support/positions.ts';
import { ensureWebAppBuilt } from './build.ts';

const OUT = path.join(ROOT, 'test-output/web');
const SCREENSHOT = path.join(ROOT, 'test-output/web/vessel-port-calls.png');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** MID 445: North Korea. A made-up tanker. */
const MMSI = 445_100_200;
const NAME = 'DEMO CHOLLIMA';

// The shipped sanctioned ports (default SANCTIONED_COUNTRIES=PRK), as the detector service loads them.
const sanctioned = loadSanctioned({ countries: ['PRK'], portsFile: null, areasFile: null });
const nampho = sanctioned.ports.find((p) => /nampho|nampo/i.test(p.name));

interface SeedPort {
  id: string;
  name: string;
  country: string;
  lon: number;
  lat: number;
}
const LONGKOU: SeedPort = { id: 'wpi:longkou', name: 'LONGKOU', country: 'CHN', lon: 120.33, lat: 37.65 };
const DALIAN: SeedPort = { id: 'wpi:dalian', name: 'DALIAN', country: 'CHN', lon: 121.65, lat: 38.93 };
const QINGDAO: SeedPort = { id: 'wpi:qingdao', name: 'QINGDAO', country: 'CHN', lon: 120.32, lat: 36.07 };

/**
 * Longkou → Nampho in 22 h (~11 kn: its usual speed), two days at Nampho loading (7.1 → 13.8 m),
 * Nampho → Dalian in six days for ~170 nm (a hidden stop: ≥ 2.5× and ≥ 24 h over the usual
 * speed, packages/detection voyages.ts), Dalian → Qingdao in 18 h arriving 4.8 m lighter
 * (discharged at sea), and still at Qingdao.
 */
function seedCalls(now: number): PortCallRecord[] {
  const base = Math.floor(now / MIN) * MIN;
  const np: SeedPort = { id: `sanctioned:PRK:${nampho!.name}`, name: nampho!.name, country: 'PRK', lon: nampho!.lon, lat: nampho!.lat };
  const longkouArr = base - 21 * DAY;
  const longkouDep = longkouArr + DAY;
  const namphoArr = longkouDep + 22 * HOUR;
  const namphoDep = namphoArr + 2 * DAY;
  const dalianArr = namphoDep + 6 * DAY;
  const dalianDep = dalianArr + DAY;
  const qingdaoArr = dalianDep + 18 * HOUR;
  const call = (port: SeedPort, arrival: number, departure: number | null, draughtArrivalM: number | null, draughtDepartureM: number | null): PortCallRecord => ({
    key: portCallKey({ mmsi: MMSI, segment: null, port: { ...port, radiusM: PORT_CALL_RADIUS_M }, arrival }),
    mmsi: MMSI,
    segment: null,
    portId: port.id,
    portName: port.name,
    country: port.country,
    lon: port.lon,
    lat: port.lat,
    arrival,
    departure,
    draughtArrivalM,
    draughtDepartureM,
    reasons: [`within ${port.name}'s radius and under 1 kn for ${(((departure ?? now) - arrival) / HOUR).toFixed(1)} h`],
    detectorVersion: 'web-test',
  });
  return [
    call(LONGKOU, longkouArr, longkouDep, 7.0, 7.0),
    call(np, namphoArr, namphoDep, 7.1, 13.8),
    call(DALIAN, dalianArr, dalianDep, 13.8, 13.8),
    call(QINGDAO, qingdaoArr, null, 9.0, null),
  ];
}

const snapshot = { mmsi: MMSI, imo: null, name: NAME, callsign: 'HMZZ9', shipType: 80, flag: 'KP', listMatches: [], suspects: [], anomalies: [] };
const stillAt = (lon: number, lat: number, from: number, to: number) => {
  const rows: [number, number, number, number][] = [];
  for (let t = from; t <= to; t += 30 * MIN) rows.push([t, lon, lat, 0.2]);
  return rows;
};

/** The three sanctions alerts as the detector writes them (services/detector/src/stages/sanctions-writes.ts), events from the real rules. */
function sanctionsAlerts(calls: PortCallRecord[]): BehaviourAlertWrite[] {
  const np = calls[1]!;
  const finding = portCallSanctioned(
    { key: np.key, mmsi: MMSI, segment: null, port: { id: np.portId, name: np.portName, country: np.country, lon: np.lon, lat: np.lat, radiusM: PORT_CALL_RADIUS_M }, arrival: np.arrival, departure: np.departure },
    sanctioned,
  );
  if (!finding) throw new Error('the seeded Nampho call is not a sanctioned port call: the shipped port list changed');
  const common = { status: 'closed' as const, mmsiA: MMSI, mmsiB: null, vesselA: snapshot, vesselB: null, closestM: null, medianM: null, medianSogA: null, medianSogB: null, watchlists: [] };
  const [analysed] = analyseVoyages(
    calls.map((c) => ({ key: c.key, mmsi: c.mmsi, segment: c.segment, port: { id: c.portId, name: c.portName, country: c.country, lon: c.lon, lat: c.lat }, arrival: c.arrival, departure: c.departure, draughtArrivalM: c.draughtArrivalM, draughtDepartureM: c.draughtDepartureM })),
    () => ({}),
  );
  const hidden = analysed!.irregularities.filter((f) => f.legIndex === 1);
  if (!hidden.some((f) => f.kind === 'hidden_stop')) throw new Error('the seeded Nampho → Dalian leg is not a hidden stop: the rule changed');
  const leg = analysed!.voyage.legs[1]!;
  const dalian = calls[2]!;
  // Dark for 3.6 days off the DPRK West Sea area after leaving Nampho, back 5.7 m deeper.
  const off = { t: np.departure! + 10 * HOUR, lon: 124.1, lat: 38.3 };
  const on = { t: np.departure! + 4 * DAY, lon: 123.2, lat: 38.6 };
  const area = sanctioned.areas.find((a) => a.country === 'PRK');
  const gapFinding = area
    ? gapNearSanctionedArea({ mmsi: MMSI, segment: null, off, on, durationMs: on.t - off.t }, area, { reachSpeedKn: 14, draughtBeforeM: 7.2, draughtAfterM: 12.9, minDraughtIncreaseM: 1 })
    : null;
  if (!gapFinding) throw new Error('the seeded gap is not near a shipped sanctioned area: the area file or the rule changed');
  return [
    {
      ...common,
      type: 'port_call_sanctioned',
      key: `port_call_sanctioned:${np.key.slice('port_call:'.length)}`,
      event: { ...finding, profile: 'sanctions', detectorVersion: 'web-test', call: { key: np.key, port: { id: np.portId, name: np.portName, country: np.country, lon: np.lon, lat: np.lat }, draughtArrivalM: 7.1, draughtDepartureM: 13.8, reasons: np.reasons } } as BehaviourAlertWrite['event'],
      start: np.arrival,
      end: np.departure!,
      centroid: { lon: np.lon, lat: np.lat },
      inPort: true,
      score: 78,
      scoreFactors: [{ factor: 'sanctioned_port', points: 60, detail: finding.reasons.join('; ') }, { factor: 'tanker', points: 18, detail: 'ship type 80 (tanker)' }],
      evidence: { marginS: 3600, trackA: stillAt(np.lon, np.lat, np.arrival, np.departure!), trackB: null },
    },
    {
      ...common,
      type: 'voyage_irregularity',
      key: `voyage_irregularity:${np.key.replace(/^port_call:/, '')}>${dalian.key.replace(/^port_call:/, '')}`,
      event: {
        type: 'voyage_irregularity',
        kinds: hidden.map((f) => f.kind),
        mmsi: MMSI,
        segment: null,
        from: { id: np.portId, name: np.portName, country: np.country, lon: np.lon, lat: np.lat, callKey: np.key, departure: leg.departure, draughtM: leg.draughtDepartureM },
        to: { id: dalian.portId, name: dalian.portName, country: dalian.country, lon: dalian.lon, lat: dalian.lat, callKey: dalian.key, arrival: leg.arrival, draughtM: leg.draughtArrivalM },
        durationMs: leg.durationMs,
        distanceM: Math.round(leg.distanceM),
        usualSpeedKn: analysed!.usualSpeedKn,
        findings: hidden.map((f) => ({ kind: f.kind, reason: f.reason, values: f.values })),
        reasons: hidden.map((f) => f.reason),
        profile: 'sanctions',
        detectorVersion: 'web-test',
      } as BehaviourAlertWrite['event'],
      start: leg.departure,
      end: leg.arrival,
      centroid: { lon: dalian.lon, lat: dalian.lat },
      inPort: false,
      score: 55,
      scoreFactors: [{ factor: 'voyage_irregularity', points: 30, detail: hidden.map((f) => f.reason).join('; ') }],
      evidence: { marginS: 3600, trackA: stillAt(dalian.lon, dalian.lat, dalian.arrival, dalian.arrival + 2 * HOUR), trackB: null },
    },
    {
      ...common,
      type: 'gap_near_sanctioned_area',
      key: `gap_near_sanctioned_area:${MMSI}:${new Date(off.t).toISOString()}`,
      event: {
        ...gapFinding,
        reasons: [...gapFinding.reasons, 'draught rule: 7.2 m → 12.9 m (+5.7 m ≥ 1 m for a small tanker): loaded while dark'],
        gapKey: `ais_gap:${MMSI}:${new Date(off.t).toISOString()}`,
        off,
        on,
        draughtSizeClass: 'small',
        profile: 'sanctions',
        detectorVersion: 'web-test',
      } as BehaviourAlertWrite['event'],
      start: off.t,
      end: on.t,
      centroid: { lon: off.lon, lat: off.lat },
      inPort: false,
      score: 64,
      scoreFactors: [{ factor: 'sanctioned_area', points: 30, detail: 'AIS gap within reach of DPRK waters, deeper after' }],
      evidence: { marginS: 3600, trackA: [], trackB: null },
    },
  ];
}

describe.skipIf(!CHROMIUM || !nampho)(`port calls, voyages and sanctions alerts in the web app ${BROWSER_SKIP_NOTE}${nampho ? '' : '(skipped: the shipped sanctioned ports name no Nampho)'}`, () => {
  let t: Awaited<ReturnType<typeof alertTestApp>>;
  let base: string;
  let browser: Browser;
  let calls: PortCallRecord[];
  let ids: Map<string, number>;
  const problems: string[] = [];
  // Sign-in, the list and the map answer within a second alone, slower beside a full test run.
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });
  const token = () => t.auth('analyst').authorization.slice('Bearer '.length);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', (r) => {
      if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
    });
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP blocked ' + e.violatedDirective + ' ' + e.blockedURI))",
    });
    await page.goto(`${base}${url}`);
    await page.getByLabel('API token').fill(token());
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  async function axeCheck(page: Page, what: string): Promise<void> {
    await page.evaluate(axe.source);
    const result = (await page.evaluate(`(async () => {
      const run = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return {
        passed: run.passes.map((p) => p.id),
        violations: run.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })),
      };
    })()`)) as { passed: string[]; violations: { id: string; impact: string | null; nodes: string[] }[] };
    writeFileSync(path.join(OUT, `axe-${what}.json`), JSON.stringify(result, null, 2));
    // Tables with headers, contrast of the flagged rows, names of the port buttons and alert links.
    expect(result.passed).toEqual(expect.arrayContaining(['color-contrast', 'button-name', 'link-name', 'th-has-data-cells']));
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `axe on ${what}`).toEqual([]);
  }

  const api = async <T>(p: string): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${base}${p}`, { headers: t.auth('viewer') });
    return { status: r.status, body: (await r.json()) as T };
  };

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    ensureWebAppBuilt();
    t = await alertTestApp('voyages');
    await resetAlerts(t.database);
    await resetIngestTables(t.database);
    await t.database.pool.query('TRUNCATE port_calls');
    const now = Date.now();
    calls = seedCalls(now);
    await createPortCallRepository(t.database.db).reconcile({ from: new Date(now - 30 * DAY), to: new Date(now + DAY), mmsis: [MMSI] }, calls);
    // Its reports: a day lying at Qingdao (the page's default track range), and one type 5 at
    // Nampho naming it and declaring Vladivostok (RUVVO) for the leg that ended in Dalian.
    const qingdao = calls[3]!;
    const positions: PositionObservation[] = stillAt(qingdao.lon, qingdao.lat, now - DAY + HOUR, now - HOUR).map(([ts, lon, lat, sog]) => position(MMSI, ts, lon, lat, sog));
    const declared: StaticObservation = {
      kind: 'static', mmsi: MMSI, ts: calls[1]!.arrival + 12 * HOUR, tsFromFeed: true, imo: null, name: NAME, callsign: 'HMZZ9', shipType: 80,
      length: 180, width: 30, draught: 13.8, destination: 'RUVVO', msgType: 5, source: null, dedupKey: null, mmsiInvalid: false,
    };
    const store = new PositionStore(t.database.pool, quietLogger);
    try {
      await store.write({ positions, statics: [declared] });
    } finally {
      await store.close();
    }
    const alerts = sanctionsAlerts(calls);
    await createAlertRepository(t.database.db).upsert(alerts);
    const rows = await t.database.db.selectFrom('alerts').select(['id', 'alert_key']).execute();
    ids = new Map(rows.map((r) => [r.alert_key, Number(r.id)]));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the port calls (the sanctioned one said in words, linked to its alert, drawn on the map) and the voyages with the leg that hid a stop flagged', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await open(context, `/vessels/${MMSI}`);
    await page.getByRole('heading', { name: NAME }).waitFor();

    // The calls, by arrival: port and country, arrival, departure or "in port", draughts.
    const table = page.locator('#port-calls-table');
    await poll(() => table.locator('tbody tr').count()).toBe(4);
    await expect(table.locator('caption').textContent()).resolves.toBe('4 port calls by arrival (UTC), 1 at a sanctioned port');
    const rows = table.locator('tbody tr');
    await expect(rows.nth(0).locator('th').textContent()).resolves.toContain('LONGKOU, CHN');
    const namphoId = ids.get(`port_call_sanctioned:${calls[1]!.key.slice('port_call:'.length)}`)!;
    const namphoRow = rows.nth(1);
    await expect(namphoRow.getAttribute('data-sanctioned')).resolves.toBe('true');
    // Said in words, not by the row's colour alone, and linked to the detector's alert.
    await expect(namphoRow.locator('th').textContent()).resolves.toContain(`${nampho!.name}, PRK`);
    await expect(namphoRow.getByRole('link', { name: `Sanctioned port call (alert #${namphoId})` }).count()).resolves.toBe(1);
    await expect(namphoRow.locator('td').nth(3).textContent()).resolves.toBe('7.1 → 13.8 m');
    await expect(namphoRow.locator('td').nth(2).textContent()).resolves.toBe('2 d 0 h');
    for (const i of [0, 2, 3]) await expect(rows.nth(i).getAttribute('data-sanctioned')).resolves.toBeNull();
    await expect(rows.nth(3).locator('td').nth(1).textContent()).resolves.toBe('in port');
    await expect(rows.nth(3).locator('td').nth(2).textContent()).resolves.toBe('ongoing');

    // On the map: one point per port, the sanctioned one emphasised.
    await poll(() => page.locator('#map').getAttribute('data-marks-of')).toBe('port-calls');
    await expect(page.locator('#map').getAttribute('data-marks')).resolves.toBe('4');
    // Voyages: as the API computes them (the route may not be there in an older API: then unavailable).
    const voyages = await api<{ usualSpeedKn: number | null; voyages: { legs: { index: number; irregularities: { kind: string }[]; declaredDestination: { destination: string } | null }[] }[] }>(
      `/v1/vessels/${MMSI}/voyages`,
    );
    const section = page.locator('#voyages');
    if (voyages.status === 404) {
      await section.locator('[data-unavailable]').waitFor();
      await expect(section.textContent()).resolves.toContain('Voyages are not available from this API');
    } else {
      expect(voyages.status).toBe(200);
      const legs = voyages.body.voyages.flatMap((v) => v.legs);
      expect(legs).toHaveLength(3);
      await poll(() => section.locator('table.voyage-legs tbody tr').count()).toBe(3);
      await expect(section.locator('#usual-speed').textContent()).resolves.toContain(`${voyages.body.usualSpeedKn!.toFixed(1)} kn`);
      // The leg that took six days for ~170 nm is flagged, in words, with the detector's reason and its alert.
      const leg = section.locator('tr[data-leg="1"]');
      await expect(leg.getAttribute('data-irregularities')).resolves.toContain('hidden_stop');
      await expect(leg.locator('th').textContent()).resolves.toBe(`${nampho!.name}, PRK → DALIAN, CHN`);
      await expect(leg.locator('.flag').textContent()).resolves.toContain('Hidden stop');
      await expect(section.locator('li[data-leg="1"][data-kind="hidden_stop"]').textContent()).resolves.toMatch(/, hidden stop: .*h unexplained/);
      const voyageAlert = ids.get(`voyage_irregularity:${calls[1]!.key.replace(/^port_call:/, '')}>${calls[2]!.key.replace(/^port_call:/, '')}`)!;
      await expect(leg.getByRole('link', { name: `alert #${voyageAlert}` }).count()).resolves.toBe(1);
      // Every leg the API flags is flagged on the page, with the same kinds; the others are not.
      for (const l of legs) {
        const row = section.locator(`tr[data-leg="${l.index}"]`);
        await expect(row.getAttribute('data-irregularities')).resolves.toBe(l.irregularities.length > 0 ? l.irregularities.map((i) => i.kind).join(' ') : null);
        if (l.declaredDestination) await expect(row.textContent()).resolves.toContain(l.declaredDestination.destination);
      }
      // Unflagged legs say so in words.
      await expect(section.locator('tr[data-leg="0"] td').first().textContent()).resolves.toBe('none');
      // Dalian → Qingdao arrived 4.8 m lighter: the change is shown with its sign.
      await expect(section.locator('tr[data-leg="2"]').textContent()).resolves.toContain('13.8 → 9.0 m (−4.8 m)');
    }
    await axeCheck(page, 'vessel-voyages');
    // The README's picture: the map framing its recent track and its ports, the side panel
    // scrolled to the port calls and voyages.
    await page.getByText(/^\d+ positions \(\d+ drawn\)\.$/).waitFor();
    await page.evaluate("document.getElementById('port-calls').previousElementSibling.scrollIntoView()");
    await page.screenshot({ path: SCREENSHOT });
    await shot(page, '20-vessel-port-calls');

    // Keyboard: the port's button is reachable by Tab and Enter centres the map on it (zoom 11: a scale of a few km).
    const button = namphoRow.getByRole('button', { name: `${nampho!.name}, PRK (show on the map)` });
    await button.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe(`${nampho!.name}, PRK (show on the map)`);
    await page.keyboard.press('Enter');
    await poll(() => page.locator('#map').getAttribute('data-centred-on')).toBe(`${nampho!.lon.toFixed(4)},${nampho!.lat.toFixed(4)}`);


    // From the sanctioned call to its alert: the behaviour view's reasons, facts and places.
    await namphoRow.getByRole('link', { name: `Sanctioned port call (alert #${namphoId})` }).click();
    await page.getByRole('heading', { name: `Sanctioned port call #${namphoId}` }).waitFor();
    const detail = await api<{ behaviour: { reasons: string[]; facts: Record<string, unknown>; geometry: { features: unknown[] } } | null }>(`/v1/alerts/${namphoId}`);
    const behaviour = detail.body.behaviour!;
    expect(behaviour.reasons.length).toBeGreaterThan(0);
    await expect(page.locator('#behaviour-reasons li').allTextContents()).resolves.toEqual(behaviour.reasons);
    const shownFacts = Object.values(behaviour.facts).filter((v) => v !== null && v !== '').length;
    await expect(page.locator('#behaviour-facts dt').count()).resolves.toBe(shownFacts);
    if (behaviour.geometry.features.length > 0) {
      await poll(() => page.locator('#map').getAttribute('data-marks-of')).toBe('behaviour');
      await expect(page.locator('#behaviour-places li').count()).resolves.toBe(behaviour.geometry.features.length);
    } else {
      // The port calls' marks are gone with the vessel page.
      await poll(() => page.locator('#map').getAttribute('data-marks')).toBeNull();
    }
    await axeCheck(page, 'sanctioned-port-call');
    await shot(page, '21-sanctioned-port-call');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the vessel page whole where the API has no voyages route (an API from before it answers 404)', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // The one answer replaced in the browser: what an older API says for a route it does not have.
    await context.route('**/v1/vessels/*/voyages', (route) =>
      route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Route GET:/v1/vessels/445100200/voyages not found' }) }),
    );
    const page = await open(context, `/vessels/${MMSI}`);
    await page.locator('#voyages [data-unavailable]').waitFor();
    await expect(page.locator('#voyages').textContent()).resolves.toContain('Voyages are not available from this API');
    await poll(() => page.locator('#port-calls-table tbody tr').count()).toBe(4);
    await poll(() => page.locator('#map').getAttribute('data-marks')).toBe('4');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('knows the three sanctions alert types: filter, list label, map symbol, legend, and each detail shows what its view gives', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(context, '/?type=port_call_sanctioned,gap_near_sanctioned_area,voyage_irregularity');
    const rows = page.locator('#side li.alert-item');
    await poll(() => rows.count()).toBe(3);
    const titles = (await rows.locator('.alert-title').allTextContents()).map((s) => s.split(' · ')[0]).sort();
    expect(titles).toEqual(['Gap near sanctioned area', 'Sanctioned port call', 'Voyage irregularity']);
    // Each type has its own filter box, and its own entry in the map's legend.
    for (const label of ['Sanctioned port call', 'Gap near sanctioned area', 'Voyage irregularity']) {
      await expect(page.getByRole('checkbox', { name: label, exact: true }).isChecked()).resolves.toBe(true);
    }
    await expect(page.locator('.legend').textContent()).resolves.toMatch(/gap near sanctioned area[\s\S]*voyage irregularity/);
    await poll(() => page.locator('#map').getAttribute('data-alert-count')).toBe('3');
    await shot(page, '22-sanctions-alerts');

    for (const [type, heading] of [
      ['gap_near_sanctioned_area', 'Gap near sanctioned area'],
      ['voyage_irregularity', 'Voyage irregularity'],
    ] as const) {
      const id = [...ids.entries()].find(([k]) => k.startsWith(`${type}:`))![1];
      await page.locator(`li.alert-item[data-alert-id="${id}"]`).getByRole('link').click();
      await page.getByRole('heading', { name: `${heading} #${id}` }).waitFor();
      const detail = await api<{ behaviour: { reasons: string[]; geometry: { features: unknown[] } } | null }>(`/v1/alerts/${id}`);
      await expect(page.locator('#behaviour-reasons li').allTextContents()).resolves.toEqual(detail.body.behaviour!.reasons);
      await expect(page.locator('#behaviour-places li').count()).resolves.toBe(detail.body.behaviour!.geometry.features.length);
      await shot(page, `23-${type}`);
      await page.goBack();
      await poll(() => rows.count()).toBe(3);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
