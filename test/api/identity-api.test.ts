import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTokenRepository } from '@rendezvous/db';
import { ingestFiles } from '@rendezvous/ingest';
import { createRedis } from '@rendezvous/queue';
import { classAPosition, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { buildApp } from '../../services/api/src/app.ts';
import { HAS_SHARED_DATA, ROOT, SHARED_DATA, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const config = testConfig();
const database = openTestDatabase(config);
const redis = createRedis(config.redis, quietLogger, 'producer');
let app: FastifyInstance;
const tokens: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };
const auth = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

const MMSI = 636099001;
const BAD_MMSI = 200991001;
const T0 = Date.UTC(2025, 4, 1, 6);

beforeAll(async () => {
  await resetIngestTables(database);
  await database.pool.query('TRUNCATE watchlist_entries, watchlist_versions, watchlists, suspect_audit, suspects RESTART IDENTITY CASCADE');
  const repo = createTokenRepository(database.db);
  for (const role of ['viewer', 'analyst', 'admin'] as const) tokens[role] = (await repo.create({ role, name: `${role}-identity-test` })).token;
  // A vessel with two names over time and a type 5 identity.
  const lines = [
    ...toNmeaLines(classAPosition({ mmsi: MMSI, lon: 22.6, lat: 36.8, sog: 0.3 }), { timeMs: T0 }),
    ...toNmeaLines(staticVoyage({ mmsi: MMSI, imo: 9258002, name: 'OLD NAME', callsign: 'A8CE6', shipType: 80 }), { timeMs: T0, seqId: 1 }),
    ...toNmeaLines(staticVoyage({ mmsi: MMSI, imo: 9258002, name: 'KAZAN', callsign: 'A8CE6', shipType: 80 }), { timeMs: T0 + 86_400_000, seqId: 2 }),
    // MID 200 is not allocated by the ITU: an identity anomaly, stored all the same.
    ...toNmeaLines(classAPosition({ mmsi: BAD_MMSI, lon: 22.7, lat: 36.9, sog: 0.2 }), { timeMs: T0 }),
  ];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-api-'));
  await writeFile(path.join(dir, 'v.nmea'), lines.join('\n') + '\n');
  await ingestFiles([path.join(dir, 'v.nmea')], { config, logger: quietLogger, database, detection: null });
  app = await buildApp({ config, logger: quietLogger, database, redis });
});
afterAll(async () => {
  await app.close();
  redis.disconnect();
  await database.close();
});

describe('/v1 watchlists, suspects and vessels', () => {
  it('imports a list over HTTP (admin only), lists it with its versions, and a repeat upload is unchanged', async () => {
    const body = 'imo,mmsi,name,reason,source,listed_at\n9258002,,KAZAN,designated tanker,team,2023-11-16\n';
    const denied = await app.inject({ method: 'PUT', url: '/v1/watchlists/team', headers: { ...auth('analyst'), 'content-type': 'text/csv' }, payload: body });
    expect(denied.statusCode).toBe(403);
    const created = await app.inject({ method: 'PUT', url: '/v1/watchlists/team?fileName=team.csv', headers: { ...auth('admin'), 'content-type': 'text/csv' }, payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'imported', list: 'team', format: 'csv', version: 1, entries: 1, added: 1 });
    const again = await app.inject({ method: 'PUT', url: '/v1/watchlists/team', headers: { ...auth('admin'), 'content-type': 'text/csv' }, payload: body });
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('unchanged');
    const lists = await app.inject({ method: 'GET', url: '/v1/watchlists', headers: auth('viewer') });
    expect(lists.json()).toEqual([expect.objectContaining({ name: 'team', currentVersion: 1, entries: 1 })]);
    const versions = await app.inject({ method: 'GET', url: '/v1/watchlists/team/versions', headers: auth('viewer') });
    expect(versions.json()[0]).toMatchObject({ version: 1, added: 1, importedBy: 'token:admin-identity-test' });
  });

  it('refuses a malformed upload with a 400 naming the line, and imports nothing', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/watchlists/broken',
      headers: { ...auth('admin'), 'content-type': 'text/csv' },
      payload: 'imo,mmsi,name,reason,source\n9258002,,"KAZAN,x,y\n',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().detail).toMatch(/line 2/);
    const missing = await app.inject({ method: 'GET', url: '/v1/watchlists/broken/versions', headers: auth('viewer') });
    expect(missing.statusCode).toBe(404);
  });

  it('shows a vessel identity, its history, and its list matches by IMO with the rule named', async () => {
    const vessel = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}`, headers: auth('viewer') });
    expect(vessel.json()).toMatchObject({ mmsi: MMSI, imo: 9258002, imoValid: true, name: 'KAZAN', flag: 'LR', mmsiValid: true });
    const history = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/history`, headers: auth('viewer') });
    expect(history.json().filter((h: { field: string }) => h.field === 'name')).toEqual([
      { field: 'name', value: 'OLD NAME', firstSeen: new Date(T0).toISOString() },
      { field: 'name', value: 'KAZAN', firstSeen: new Date(T0 + 86_400_000).toISOString() },
    ]);
    const matches = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/matches?at=2024-01-01T00:00:00Z`, headers: auth('viewer') });
    expect(matches.json().matches).toEqual([expect.objectContaining({ kind: 'watchlist', list: 'team', rule: 'imo', confidence: 1, status: 'listed' })]);
    const before = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/matches?at=2015-01-01T00:00:00Z`, headers: auth('viewer') });
    expect(before.json().matches).toEqual([expect.objectContaining({ rule: 'imo', status: 'listed_later', listedAt: '2023-11-16' })]);
    expect((await app.inject({ method: 'GET', url: '/v1/vessels/123/matches?at=yesterday', headers: auth('viewer') })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/vessels/111111111', headers: auth('viewer') })).statusCode).toBe(404);
  });

  it('suspects: analysts add and remove with a reason, viewers cannot, and the audit names who did what', async () => {
    const viewer = await app.inject({ method: 'POST', url: '/v1/suspects', headers: auth('viewer'), payload: { mmsi: MMSI, reason: 'seen dark off Kalamata' } });
    expect(viewer.statusCode).toBe(403);
    const unknownField = await app.inject({ method: 'POST', url: '/v1/suspects', headers: auth('analyst'), payload: { mmsi: MMSI, reason: 'x'.repeat(10), colour: 'red' } });
    expect(unknownField.statusCode).toBe(400);
    const added = await app.inject({ method: 'POST', url: '/v1/suspects', headers: auth('analyst'), payload: { mmsi: MMSI, reason: 'seen dark off Kalamata' } });
    expect(added.statusCode).toBe(201);
    const id = added.json().id;
    const matches = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/matches`, headers: auth('viewer') });
    expect(matches.json().matches).toContainEqual(expect.objectContaining({ kind: 'suspect', suspectId: id, rule: 'mmsi', addedBy: 'analyst-identity-test' }));
    const removed = await app.inject({ method: 'DELETE', url: `/v1/suspects/${id}`, headers: auth('analyst'), payload: { reason: 'boarding found nothing' } });
    expect(removed.statusCode).toBe(200);
    const audit = await app.inject({ method: 'GET', url: `/v1/suspects/${id}/audit`, headers: auth('viewer') });
    expect(audit.json().map((a: { action: string; actor: string }) => [a.action, a.actor])).toEqual([
      ['added', 'analyst-identity-test'],
      ['removed', 'analyst-identity-test'],
    ]);
  });

  it.skipIf(!HAS_SHARED_DATA)('imports the real GUR list over HTTP (skipped without ../shared/data)', async () => {
    const file = path.join(SHARED_DATA, 'shadowfleet-gur/gur_vessels_master.csv');
    const res = await app.inject({ method: 'PUT', url: '/v1/watchlists/gur', headers: { ...auth('admin'), 'content-type': 'text/csv' }, payload: readFileSync(file) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ format: 'gur', entries: 1414 });
  });

  it('explains identity anomalies of a vessel, and a clean one has none', async () => {
    const bad = await app.inject({ method: 'GET', url: `/v1/vessels/${BAD_MMSI}/anomalies`, headers: auth('viewer') });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().anomalies).toEqual([expect.objectContaining({ kind: 'invalid_mmsi', mmsi: BAD_MMSI, explanation: expect.stringMatching(/MID 200/) })]);
    const kazan = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/anomalies`, headers: auth('viewer') });
    const kinds = kazan.json().anomalies.map((a: { kind: string }) => a.kind);
    if (HAS_SHARED_DATA) {
      // The real GUR list (imported above) pairs KAZAN's IMO 9258002 with MMSI 273259910; this
      // fixture transmits that IMO under 636099001: exactly the contradiction the rule exists for.
      expect(kinds).toEqual(['watchlist_pairing_mismatch']);
      expect(kazan.json().anomalies[0].evidence).toMatchObject({ list: 'gur', entryName: 'KAZAN', listed: { imo: 9258002, mmsi: 273259910 } });
    } else {
      expect(kinds).toEqual([]);
    }
    const reversed = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/anomalies?from=2025-05-02T00:00:00Z&to=2025-05-01T00:00:00Z`, headers: auth('viewer') });
    expect(reversed.statusCode).toBe(400);
    const sqlish = await app.inject({ method: 'GET', url: `/v1/vessels/${MMSI}/anomalies?from=${encodeURIComponent("2025-01-01' OR 1=1 --")}`, headers: auth('viewer') });
    expect(sqlish.statusCode).toBe(400);
  });

  it('`npm run cli -- vessel <mmsi>` prints the same identity, history, matches and anomalies', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['services/cli/src/main.ts', 'vessel', String(BAD_MMSI), '--at', '2025-05-01T07:00:00Z'], {
      cwd: ROOT,
      env: testEnv(),
    });
    const out = JSON.parse(stdout);
    expect(out.vessel).toMatchObject({ mmsi: BAD_MMSI, mmsi_invalid: true, mmsiCheck: { valid: false } });
    expect(out.matches).toEqual({ at: '2025-05-01T07:00:00.000Z', matches: [] });
    expect(out.anomalies.map((a: { kind: string }) => a.kind)).toEqual(['invalid_mmsi']);
  });
});
