// Issue 14, evidence export: simulated traffic (a dark partner meeting a loitering tanker: a
// rendezvous, a dark rendezvous, a loitering and an AIS gap) goes through the project's own ingest
// and detector, then GET /v1/alerts/:id/evidence.zip gives each alert's evidence as files that
// stand on their own: raw lines byte for byte as ingested, the tracks the API shows, KML, the
// thresholds, and a summary whose SHA-256 lines check every other file.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, parseSentence } from '@rendezvous/ais';
import { createRawReportRepository } from '@rendezvous/db';
import { DEFAULT_DARK_PROFILES, DEFAULT_PROFILES } from '@rendezvous/detection';
import { ingestFiles } from '@rendezvous/ingest';
import { simulate } from '@rendezvous/simulator';
import { createWindowDetector } from '../../services/detector/src/window-detector.ts';
import { apiFactory, bearer, issueToken } from '../../services/api/test/support/api-harness.ts';
import { evidenceFiles, RAW_MARGIN_MS } from '../../services/api/src/evidence/evidence-bundle.ts';
import { thresholdsOf } from '../../services/api/src/evidence/thresholds.ts';
import { openTestDatabase, quietLogger, resetDetectionTables, testConfig } from '../support/harness.ts';
import { writeSimulationFile } from '../support/simulation-file.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 2, 1);
const config = testConfig();
const database = openTestDatabase(config);
const api = apiFactory();
afterAll(async () => {
  await api.closeAll();
  await database.close();
});

interface AlertJson {
  id: number;
  type: string;
  start: string;
  end: string;
  profile: string;
  detectorVersion: string;
  vesselA: { mmsi: number };
  vesselB: { mmsi: number } | null;
  evidence: { trackA: { properties: { times: string[] } }; trackB: { properties: { times: string[] } } | null } | null;
}

let app: Awaited<ReturnType<typeof api.start>>['app'];
let viewer = '';
let fileLines: string[] = [];
let alerts: AlertJson[] = [];

/** Time and MMSI of a position line of the simulator (TAG block c: time, one sentence), else null. */
function positionOf(line: string): { mmsi: number; ts: number } | null {
  const parsed = parseSentence(line);
  if (!parsed.ok || parsed.sentence.fragmentCount !== 1 || parsed.sentence.timestampMs === null) return null;
  const decoded = decodePayload(parsed.sentence.payload, parsed.sentence.fillBits);
  if (!decoded.ok || ![1, 2, 3, 18, 19, 27].includes(decoded.msg.type)) return null;
  return { mmsi: decoded.msg.mmsi, ts: parsed.sentence.timestampMs };
}

beforeAll(async () => {
  await resetDetectionTables(database);
  const sim = simulate({ start: new Date(START), hours: 24, vessels: 6, seed: 5, scenarios: ['dark_partner', 'meeting'], receivers: 1 });
  const file = await writeSimulationFile(sim.lines, 'rzv-evidence-');
  fileLines = (await readFile(file, 'latin1')).split('\n').filter((l) => l.length > 0);
  await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
  const detector = createWindowDetector(database, quietLogger, { now: () => START + 30 * 24 * HOUR });
  for (let w = START; w < START + 24 * HOUR; w += HOUR) await detector.run({ from: new Date(w), to: new Date(w + HOUR) });

  const started = await api.start();
  app = started.app;
  viewer = (await issueToken(started.database, 'viewer', 'evidence-viewer')).token;
  const list = await app.inject({ method: 'GET', url: '/v1/alerts?status=ongoing,closed&limit=100', headers: bearer(viewer) });
  expect(list.statusCode).toBe(200);
  alerts = [];
  for (const item of list.json().items as { id: number }[]) alerts.push((await app.inject({ method: 'GET', url: `/v1/alerts/${item.id}`, headers: bearer(viewer) })).json());
}, 240_000);

async function evidenceOf(id: number) {
  const res = await app.inject({ method: 'GET', url: `/v1/alerts/${id}/evidence.zip`, headers: bearer(viewer) });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  expect(res.headers['content-type']).toBe('application/zip');
  expect(res.headers['content-disposition']).toBe(`attachment; filename="rendezvous-alert-${id}-evidence.zip"`);
  return unzipSync(new Uint8Array(res.rawPayload));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A small well-formedness check: every element closes in order, nothing but declarations outside them. */
function checkXml(text: string): { elements: string[] } {
  const stack: string[] = [];
  const elements: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<\?xml[^?]*\?>|[<>]/g;
  for (const m of text.matchAll(tag)) {
    if (m[0].startsWith('<?xml')) continue;
    if (m[2] === undefined) throw new Error(`stray ${m[0]} at ${m.index}`);
    if (m[1]) {
      const open = stack.pop();
      if (open !== m[2]) throw new Error(`</${m[2]}> closes <${open}>`);
    } else {
      elements.push(m[2]);
      if (!m[4]) stack.push(m[2]);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  // Text between tags holds only escaped ampersands.
  for (const m of text.matchAll(/&(?!amp;|lt;|gt;|quot;|apos;)/g)) throw new Error(`bare & at ${m.index}`);
  return { elements };
}

describe('GET /v1/alerts/:id/evidence.zip', () => {
  it('the simulated dark partner gives every alert type, two-vessel and one-vessel', () => {
    const types = new Set(alerts.map((a) => a.type));
    expect([...types].sort()).toEqual(expect.arrayContaining(['rendezvous', 'dark_rendezvous', 'loitering']));
    expect(alerts.some((a) => a.vesselB === null)).toBe(true);
  });

  it('holds summary, tracks as GeoJSON equal to the alert evidence, KML, raw lines, thresholds and the alert, for every alert', async () => {
    for (const alert of alerts) {
      const files = await evidenceOf(alert.id);
      const two = alert.vesselB !== null;
      const expected = ['summary.txt', 'track-a.geojson', ...(two ? ['track-b.geojson'] : []), 'tracks.kml', 'raw-ais.nmea', 'thresholds.json', 'alert.json'];
      expect(Object.keys(files).sort(), `alert ${alert.id} (${alert.type})`).toEqual(expected.sort());
      // alert.json is the detail as GET /v1/alerts/:id gives it; the tracks are its evidence.
      expect(JSON.parse(strFromU8(files['alert.json']!))).toEqual(alert);
      expect(JSON.parse(strFromU8(files['track-a.geojson']!))).toEqual(alert.evidence!.trackA);
      if (two) expect(JSON.parse(strFromU8(files['track-b.geojson']!))).toEqual(alert.evidence!.trackB);
      // Thresholds: the profile the alert names, in full, with the detector version.
      const thresholds = JSON.parse(strFromU8(files['thresholds.json']!));
      const profile = [...DEFAULT_PROFILES, ...DEFAULT_DARK_PROFILES].find((p) => p.name === alert.profile);
      expect(profile, alert.profile).toBeDefined();
      expect(thresholds).toMatchObject({ profile: alert.profile, thresholds: { ...profile }, detectorVersion: { alert: alert.detectorVersion } });
      // KML: well-formed, one timed track per vessel with a time per point.
      const kml = strFromU8(files['tracks.kml']!);
      const { elements } = checkXml(kml);
      expect(elements.filter((e) => e === 'gx:Track')).toHaveLength(two ? 2 : 1);
      const points = alert.evidence!.trackA.properties.times.length + (two ? alert.evidence!.trackB!.properties.times.length : 0);
      expect(elements.filter((e) => e === 'when')).toHaveLength(points);
      expect(elements.filter((e) => e === 'gx:coord')).toHaveLength(points);
      expect(kml).toContain(`<when>${alert.evidence!.trackA.properties.times[0]}</when>`);
      // The summary names the alert and lists every other file with its SHA-256.
      const summary = strFromU8(files['summary.txt']!);
      expect(summary).toContain(`ALERT ${alert.id}`);
      expect(summary).toContain(`MMSI ${alert.vesselA.mmsi}`);
      if (two) expect(summary).toContain(`MMSI ${alert.vesselB!.mmsi}`);
      expect(summary).toContain(alert.detectorVersion);
      const listed = new Map([...summary.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)].map((m) => [m[2]!, m[1]!]));
      expect([...listed.keys()].sort()).toEqual(expected.filter((f) => f !== 'summary.txt').sort());
      for (const [name, hash] of listed) expect(sha256(files[name]!), name).toBe(hash);
    }
  });

  it('raw-ais.nmea holds, byte for byte and in time order, every ingested line of both vessels over the meeting ± 2 h', async () => {
    const meeting = alerts.find((a) => a.type === 'rendezvous')!;
    const files = await evidenceOf(meeting.id);
    const raw = Buffer.from(files['raw-ais.nmea']!).toString('latin1');
    expect(raw.endsWith('\n')).toBe(true);
    const got = raw.slice(0, -1).split('\n');
    const from = Date.parse(meeting.start) - RAW_MARGIN_MS;
    const to = Date.parse(meeting.end) + RAW_MARGIN_MS;
    const parties = new Set([meeting.vesselA.mmsi, meeting.vesselB!.mmsi]);
    // Expected from the file itself: the position lines of the two vessels stamped in the range.
    const expected = fileLines.filter((line) => {
      const p = positionOf(line);
      return p !== null && parties.has(p.mmsi) && p.ts >= from && p.ts <= to;
    });
    expect(expected.length).toBeGreaterThan(100);
    // Time order (the TAG block's whole seconds; reports of one second by MMSI), as the export writes them.
    const key = (line: string) => positionOf(line)!;
    expected.sort((x, y) => key(x).ts - key(y).ts || key(x).mmsi - key(y).mmsi);
    expect(got).toEqual(expected);
    const perVessel = (mmsi: number) => got.filter((l) => positionOf(l)!.mmsi === mmsi);
    for (const mmsi of parties) {
      const times = perVessel(mmsi).map((l) => positionOf(l)!.ts);
      expect(times.length).toBeGreaterThan(10);
      // It covers the margin on both sides of the meeting (the vessels report at least hourly here).
      expect(times[0]!).toBeLessThan(Date.parse(meeting.start) - HOUR);
      expect(times.at(-1)!).toBeGreaterThan(Date.parse(meeting.end) + HOUR);
    }
    // Byte-identical: each line is a line of the ingested file, as bytes.
    const fileBytes = new Set(fileLines.map((l) => Buffer.from(l, 'latin1').toString('hex')));
    for (const line of got) expect(fileBytes.has(Buffer.from(line, 'latin1').toString('hex'))).toBe(true);
  });

  it('stops at the raw report cap and says so in the summary', async () => {
    const meeting = alerts.find((a) => a.type === 'rendezvous')!;
    const from = new Date(Date.parse(meeting.start) - RAW_MARGIN_MS);
    const to = new Date(Date.parse(meeting.end) + RAW_MARGIN_MS);
    const { reports, capped } = await createRawReportRepository(database.db).linesOf([meeting.vesselA.mmsi, meeting.vesselB!.mmsi], from, to, 25);
    expect(capped).toBe(true);
    expect(reports).toHaveLength(25);
    expect(reports.map((r) => r.ts)).toEqual([...reports.map((r) => r.ts)].sort((a, b) => a - b));
    const files = evidenceFiles({ alert: meeting as never, raw: { reports, capped, from, to, limit: 25 }, thresholds: thresholdsOf(meeting.profile, meeting.detectorVersion) });
    const summary = strFromU8(files.find((f) => f.name === 'summary.txt')!.bytes);
    expect(summary).toMatch(/CAPPED: the export stops at 25 reports/);
    expect(Buffer.from(files.find((f) => f.name === 'raw-ais.nmea')!.bytes).toString('latin1').split('\n')).toHaveLength(26);
  });

  it('answers 404 problem+json for an unknown alert, 400 for a malformed id, 401 without a token', async () => {
    const missing = await app.inject({ method: 'GET', url: '/v1/alerts/999999/evidence.zip', headers: bearer(viewer) });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json().detail).toMatch(/no alert with id 999999/);
    for (const bad of ['abc', '0', '-1', '1.5']) {
      expect((await app.inject({ method: 'GET', url: `/v1/alerts/${bad}/evidence.zip`, headers: bearer(viewer) })).statusCode, bad).toBe(400);
    }
    const anonymous = await app.inject({ method: 'GET', url: `/v1/alerts/${alerts[0]!.id}/evidence.zip` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
