import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertRepository } from '@rendezvous/db';
import { alertTestApp, alertWrite, resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

const T = Date.UTC(2025, 3, 10, 2);
const SEED: SeedAlert = { key: 'detail-1', a: 273351450, b: 636099001, start: T, hours: 3, lon: 22.6, lat: 36.8, score: 75, watchlists: ['ofac'], imoA: 9258002, nameA: 'KAZAN' };

const h = await alertTestApp('alerts-detail');
const { app, database, auth } = h;
let id = 0;

beforeAll(async () => {
  await resetAlerts(database);
  id = (await seedAlerts(database, [SEED])).get('detail-1')!;
});
afterAll(() => h.close());

const get = (url: string, role: 'viewer' | 'analyst' = 'viewer') => app.inject({ method: 'GET', url, headers: auth(role) });
const patch = (body: unknown, role: 'viewer' | 'analyst' | 'admin' = 'analyst', alertId: number | string = id) =>
  app.inject({ method: 'PATCH', url: `/v1/alerts/${alertId}`, headers: auth(role), payload: body as Record<string, unknown> });

describe('GET /v1/alerts/:id', () => {
  it('gives the score factors as stored and both evidence tracks as GeoJSON with times and SOG', async () => {
    const res = await get(`/v1/alerts/${id}`);
    expect(res.statusCode).toBe(200);
    const a = res.json();
    const written = alertWrite(SEED);
    expect(a).toMatchObject({ id, key: 'detail-1', closestM: 120, medianM: 240, medianSogA: 0.4, medianSogB: 0.5, history: [] });
    expect(a.scoreFactors).toEqual(written.scoreFactors);
    expect(a.vesselA).toMatchObject({ mmsi: SEED.a, imo: 9258002, name: 'KAZAN', listMatches: [expect.objectContaining({ list: 'ofac' })] });
    expect(a.evidence.marginS).toBe(3600);
    for (const [feature, vessel, mmsi, track] of [
      [a.evidence.trackA, 'a', SEED.a, written.evidence.trackA],
      [a.evidence.trackB, 'b', SEED.b, written.evidence.trackB],
    ] as const) {
      const rows = track as [number, number, number, number | null][];
      expect(feature.type).toBe('Feature');
      expect(feature.geometry.type).toBe('LineString');
      expect(feature.geometry.coordinates).toEqual(rows.map((r) => [r[1], r[2]]));
      expect(feature.properties).toMatchObject({ vessel, mmsi, marginS: 3600 });
      expect(feature.properties.times).toEqual(rows.map((r) => new Date(r[0]).toISOString()));
      expect(feature.properties.sog).toEqual(rows.map((r) => r[3]));
      // The evidence spans the meeting plus the margin either side.
      expect(feature.properties.times[0]).toBe(new Date(T - 3_600_000).toISOString());
    }
  });

  it('answers 404 problem+json for an unknown id and 400 for a malformed one', async () => {
    const missing = await get('/v1/alerts/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json().detail).toMatch(/no alert with id 999999/);
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999', "1'%20OR%201=1"]) {
      const res = await get(`/v1/alerts/${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
    expect((await get('/v1/alerts/999999/history')).statusCode).toBe(404);
  });
});

describe('PATCH /v1/alerts/:id (triage)', () => {
  it('needs the analyst role: a viewer gets 403 and nothing changes', async () => {
    const res = await patch({ state: 'acknowledged' }, 'viewer');
    expect(res.statusCode).toBe(403);
    expect((await get(`/v1/alerts/${id}`)).json().triage.state).toBe('new');
    expect((await get(`/v1/alerts/${id}/history`)).json()).toEqual([]);
    expect((await app.inject({ method: 'PATCH', url: `/v1/alerts/${id}`, payload: { state: 'acknowledged' } })).statusCode).toBe(401);
  });

  it('refuses bad bodies with 400 and unknown alerts with 404', async () => {
    for (const body of [{}, { state: 'closed' }, { state: 'dismissed', extra: 1 }, { state: 'dismissed', note: 'x'.repeat(2001) }, { state: "' OR 1=1 --" }]) {
      const res = await patch(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await patch({ state: 'dismissed' }, 'analyst', 999999)).statusCode).toBe(404);
  });

  it('records who, when, from and to, and the note; the history reads back in order', async () => {
    const before = Date.now();
    const first = await patch({ state: 'acknowledged', note: 'looking at it' });
    expect(first.statusCode).toBe(200);
    const detail = first.json();
    expect(detail.triage).toMatchObject({ state: 'acknowledged', note: 'looking at it', by: expect.stringMatching(/^analyst-alerts-detail \(token \d+\)$/) });
    expect(Date.parse(detail.triage.at)).toBeGreaterThanOrEqual(before - 1000);
    // The detail carries its evidence and the history with the new entry.
    expect(detail.evidence.trackA.type).toBe('Feature');
    expect(detail.history).toHaveLength(1);

    const second = await patch({ state: 'escalated', note: 'second vessel listed: ofac; "urgent" — ünïcode ✓' }, 'admin');
    expect(second.statusCode).toBe(200);
    const history = (await get(`/v1/alerts/${id}/history`)).json();
    expect(history).toEqual([
      { id: expect.any(Number), from: 'new', to: 'acknowledged', note: 'looking at it', by: detail.triage.by, at: expect.any(String) },
      { id: expect.any(Number), from: 'acknowledged', to: 'escalated', note: 'second vessel listed: ofac; "urgent" — ünïcode ✓', by: expect.stringMatching(/^admin-alerts-detail/), at: expect.any(String) },
    ]);
    expect(Date.parse(history[1].at)).toBeGreaterThanOrEqual(Date.parse(history[0].at));
    expect((await get(`/v1/alerts/${id}`)).json().history).toEqual(history);
  });

  it('survives the detector re-upserting the same alert (unchanged or revised)', async () => {
    const repo = createAlertRepository(database.db);
    expect(await repo.upsert([alertWrite(SEED)])).toEqual({ created: 0, updated: 0, unchanged: 1 });
    // Later data extends the meeting: the detector rewrites the row, triage stays.
    expect(await repo.upsert([alertWrite({ ...SEED, hours: 4, score: 82 })])).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const a = (await get(`/v1/alerts/${id}`)).json();
    expect(a).toMatchObject({ score: 82, durationS: 4 * 3600, triage: { state: 'escalated', note: 'second vessel listed: ofac; "urgent" — ünïcode ✓' } });
    expect(a.history).toHaveLength(2);
  });

  it('serialises concurrent triage: each history row starts from the state the previous one left', async () => {
    const states = ['dismissed', 'acknowledged', 'escalated', 'new', 'dismissed', 'acknowledged'] as const;
    const results = await Promise.all(states.map((state) => patch({ state, note: `concurrent ${state}` })));
    expect(results.map((r) => r.statusCode)).toEqual(states.map(() => 200));
    const history = (await get(`/v1/alerts/${id}/history`)).json() as { from: string; to: string }[];
    expect(history).toHaveLength(2 + states.length);
    for (let i = 1; i < history.length; i++) expect(history[i]!.from).toBe(history[i - 1]!.to);
    expect((await get(`/v1/alerts/${id}`)).json().triage.state).toBe(history.at(-1)!.to);
  });
});
