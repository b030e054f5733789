// Identity anomalies end to end: fixtures encoded with the project's AIS encoder, ingested into
// the real test database, then read back through the identity repository.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classAPosition, isValidImo, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import { createIdentityRepository, sql } from '@rendezvous/db';
import { METRES_PER_NM } from '@rendezvous/geodesy';
import { ingestFiles } from '@rendezvous/ingest';
import { ANOMALY_KINDS, type Anomaly } from '@rendezvous/identity';
import { openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const repo = createIdentityRepository(database.db);
const LIST = 'identity-test';

const T0 = Date.UTC(2024, 4, 1, 6, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();

/** A valid IMO from six digits (check digit computed here, independently of the code under test). */
function imo(six: number): number {
  const d = String(six);
  const sum = [...d].reduce((s, c, i) => s + Number(c) * (7 - i), 0);
  return six * 10 + (sum % 10);
}

interface FixtureFix {
  ts: number;
  lon: number;
  lat: number;
}

/** The position the encoder can carry: 1/10000 minute. */
const q = (deg: number) => Math.round(deg * 600_000) / 600_000;

function fixLines(mmsi: number, fixes: FixtureFix[]): string[] {
  return fixes.flatMap((f) =>
    toNmeaLines(classAPosition({ mmsi, lon: f.lon, lat: f.lat, sog: 11, cog: 90, heading: 90, second: Math.floor(f.ts / 1000) % 60 }), {
      timeMs: f.ts,
      source: 'identity-test',
    }),
  );
}

let seq = 0;
function staticLines(mmsi: number, ts: number, fields: { imo?: number | null; name?: string }): string[] {
  return toNmeaLines(staticVoyage({ mmsi, imo: fields.imo ?? null, name: fields.name ?? null, shipType: 80, callsign: 'UBZZ' }), {
    timeMs: ts,
    source: 'identity-test',
    seqId: seq++ % 10,
  });
}

/** A steady eastbound track: `n` fixes a `stepMs` apart from (lon, lat), ~10 kn. */
function steady(lon: number, lat: number, n: number, start = T0, stepMs = 6 * MIN): FixtureFix[] {
  return Array.from({ length: n }, (_, i) => ({ ts: start + i * stepMs, lon: q(lon + i * 0.025 * (stepMs / (6 * MIN))), lat: q(lat) }));
}

async function ingestLines(lines: string[]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-identity-'));
  const file = path.join(dir, 'fixture.nmea');
  await writeFile(file, lines.join('\n') + '\n');
  const summary = await ingestFiles([file], { config, logger: quietLogger, database, detection: null });
  expect(summary.rejected).toBe(0);
  return summary;
}

async function dropTestList() {
  const list = await database.db.selectFrom('watchlists').select('id').where('name', '=', LIST).executeTakeFirst();
  if (!list) return;
  await database.db.deleteFrom('watchlist_entries').where('watchlist_id', '=', list.id).execute();
  await database.db.deleteFrom('watchlist_versions').where('watchlist_id', '=', list.id).execute();
  await database.db.deleteFrom('watchlists').where('id', '=', list.id).execute();
}

/** The test's own list, version 1, with the given entries (schema of migrations/0003). */
async function insertTestList(entries: { key: string; name: string; imo: number; mmsi: number; legacy?: number[] }[]) {
  await dropTestList();
  const list = await database.db.insertInto('watchlists').values({ name: LIST, format: 'plain-csv' }).returning('id').executeTakeFirstOrThrow();
  await database.db
    .insertInto('watchlist_versions')
    .values({ watchlist_id: list.id, version: 1, sha256: 'f'.repeat(64), format: 'plain-csv', imported_by: 'identity-test', entries: entries.length, added: entries.length, removed: 0, changed: 0 })
    .execute();
  const rows = await database.db
    .insertInto('watchlist_entries')
    .values(
      entries.map((e) => ({
        watchlist_id: list.id,
        entry_key: e.key,
        name: e.name,
        imo: e.imo,
        imo_raw: String(e.imo),
        imo_valid: true,
        mmsi: e.mmsi,
        mmsi_legacy: e.legacy ?? [],
        content_hash: `hash-${e.key}`,
        added_version: 1,
        added_at: new Date(T0),
      })),
    )
    .returning(['id', 'entry_key'])
    .execute();
  return new Map(rows.map((r) => [r.entry_key, Number(r.id)]));
}

beforeAll(dropTestList);
afterAll(async () => {
  await dropTestList();
  await database.close();
});
beforeEach(() => resetIngestTables(database));

const kinds = (as: Anomaly[]) => as.map((a) => a.kind);

// MMSIs 2x3991xxx and IMOs 93991xx are used by no other test.
const CLEAN = 273991000;

describe('identity anomalies from ingested AIS', () => {
  it('a clean vessel (valid MMSI and IMO, one name, a plausible track) has none', async () => {
    await ingestLines([...staticLines(CLEAN, T0, { imo: imo(939910), name: 'CLEAN SHIP' }), ...fixLines(CLEAN, steady(37.8, 44.6, 20))]);
    expect(await repo.anomaliesForVessel(CLEAN)).toEqual([]);
    expect(await repo.historyForVessel(CLEAN)).toEqual([
      { field: 'callsign', value: 'UBZZ', firstSeen: at(T0) },
      { field: 'flag', value: 'RU', firstSeen: at(T0) },
      { field: 'imo', value: String(imo(939910)), firstSeen: at(T0) },
      { field: 'name', value: 'CLEAN SHIP', firstSeen: at(T0) },
      { field: 'ship_type', value: '80', firstSeen: at(T0) },
    ]);
  });

  it('invalid_mmsi: an MMSI with an unallocated MID', async () => {
    const mmsi = 200991001;
    const track = steady(24.1, 36.5, 10);
    await ingestLines(fixLines(mmsi, track));
    expect(await repo.anomaliesForVessel(mmsi)).toEqual([
      {
        kind: 'invalid_mmsi',
        mmsi,
        severity: 'high',
        detectedFrom: at(T0),
        detectedTo: at(track[9]!.ts),
        evidence: { mmsi: '200991001', reason: 'unallocated_mid', stationKind: 'ship', mid: 200 },
        explanation: 'MMSI 200991001: MID 200 is not allocated by the ITU',
      },
    ]);
  });

  it('imo_check_digit: a type 5 IMO with a wrong check digit', async () => {
    const mmsi = 273991002;
    const bad = imo(939911) + (imo(939911) % 10 === 9 ? -1 : 1);
    expect(isValidImo(bad)).toBe(false);
    await ingestLines([...staticLines(mmsi, T0 + MIN, { imo: bad, name: 'BAD IMO' }), ...fixLines(mmsi, steady(37.8, 44.6, 10))]);
    const [a, ...rest] = await repo.anomaliesForVessel(mmsi);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      kind: 'imo_check_digit',
      mmsi,
      severity: 'high',
      detectedFrom: at(T0 + MIN),
      detectedTo: null,
      evidence: { imo: bad, reason: 'check_digit', expectedCheckDigit: imo(939911) % 10, firstSeen: at(T0 + MIN) },
    });
    expect(a!.explanation).toMatch(new RegExp(`^MMSI 273991002 reports IMO ${bad}, whose check digit should be ${imo(939911) % 10}, not ${bad % 10} \\(9×7 \\+ 3×6`));
  });

  it('shared_mmsi: two transmitters 150+ km apart interleave under one MMSI; the worst jump matches PostGIS geodesy', async () => {
    const mmsi = 273991003;
    const a = steady(37.8, 44.6, 12, T0, 4 * MIN); // off Novorossiysk
    const b = steady(36.0, 45.3, 12, T0 + 2 * MIN, 4 * MIN); // Kerch Strait approaches
    await ingestLines(fixLines(mmsi, [...a, ...b]));
    const [anomaly, ...rest] = await repo.anomaliesForVessel(mmsi);
    expect(rest).toEqual([]);
    if (anomaly?.kind !== 'shared_mmsi') throw new Error(`expected shared_mmsi, got ${anomaly?.kind}`);
    expect(anomaly).toMatchObject({ mmsi, severity: 'high', detectedFrom: at(T0), detectedTo: at(b[11]!.ts) });
    expect(anomaly.evidence).toMatchObject({ fixes: 24, jumps: 23, maxSpeedKn: 50, minJumpKm: 10 });
    expect(anomaly.evidence.segments).toEqual([
      { fixes: 12, from: at(a[0]!.ts), to: at(a[11]!.ts) },
      { fixes: 12, from: at(b[0]!.ts), to: at(b[11]!.ts) },
    ]);
    const w = anomaly.evidence.worst;
    expect(w.hours).toBeCloseTo(2 / 60, 6); // evidence keeps 6 decimals
    const { rows } = await sql<{ m: number }>`SELECT ST_Distance(ST_MakePoint(${w.from.lon}, ${w.from.lat})::geography, ST_MakePoint(${w.to.lon}, ${w.to.lat})::geography) AS m`.execute(database.db);
    expect(w.km).toBeCloseTo(rows[0]!.m / 1000, 3);
    expect(w.kn).toBeCloseTo(rows[0]!.m / METRES_PER_NM / (2 / 60), 0);
    expect(anomaly.explanation).toContain('MMSI 273991003: 23 consecutive-fix jumps faster than 50 kn over more than 10 km');
    expect(anomaly.explanation).toContain('the track splits into 2 segments (12, 12 fixes)');
    // A range covering only one transmitter's first fix sees no jump.
    expect(await repo.anomaliesForVessel(mmsi, { from: new Date(T0), to: new Date(T0 + MIN) })).toEqual([]);
  });

  it('imo_multiple_mmsi: one IMO under two MMSIs, one after the other (a reflagging)', async () => {
    const [ru, pa] = [273991004, 352991004];
    const hull = imo(939912);
    await ingestLines([
      ...staticLines(ru, T0, { imo: hull, name: 'HULL ONE' }),
      ...fixLines(ru, steady(37.8, 44.6, 5)),
      ...staticLines(pa, T0 + 10 * DAY, { imo: hull, name: 'HULL ONE' }),
      ...fixLines(pa, steady(37.8, 44.6, 5, T0 + 10 * DAY)),
    ]);
    const anomalies = await repo.anomaliesForVessel(ru);
    expect(anomalies).toEqual([
      {
        kind: 'imo_multiple_mmsi',
        mmsi: ru,
        severity: 'medium',
        detectedFrom: at(T0 + 10 * DAY),
        detectedTo: null,
        evidence: {
          imo: hull,
          self: { mmsi: ru, firstSeen: at(T0) },
          others: [{ mmsi: pa, firstSeen: at(T0 + 10 * DAY), lastSeen: at(T0 + 10 * DAY + 24 * MIN), flag: 'PA' }],
          concurrent: false,
        },
        explanation: `IMO ${hull}, reported by MMSI 273991004 since 2024-05-01 06:00Z, is also reported by MMSI 352991004 (since 2024-05-11 06:00Z, last heard 2024-05-11 06:24Z); one after the other, as when a ship changes MMSI`,
      },
    ]);
    expect(kinds(await repo.anomaliesForVessel(pa))).toEqual(['imo_multiple_mmsi']);
    // Known by the end of a range only: before the second MMSI appeared, nothing.
    expect(await repo.anomaliesForVessel(ru, { to: new Date(T0 + DAY) })).toEqual([]);
  });

  it('mmsi_multiple_imo: one MMSI reporting two valid IMOs', async () => {
    const mmsi = 273991005;
    const [first, second] = [imo(939913), imo(939914)];
    await ingestLines([
      ...staticLines(mmsi, T0, { imo: first, name: 'TWO HULLS' }),
      ...fixLines(mmsi, steady(37.8, 44.6, 10)),
      ...staticLines(mmsi, T0 + 30 * MIN, { imo: second, name: 'TWO HULLS' }),
    ]);
    expect(await repo.anomaliesForVessel(mmsi)).toEqual([
      {
        kind: 'mmsi_multiple_imo',
        mmsi,
        severity: 'high',
        detectedFrom: at(T0 + 30 * MIN),
        detectedTo: null,
        evidence: {
          imos: [
            { imo: first, firstSeen: at(T0), validCheckDigit: true },
            { imo: second, firstSeen: at(T0 + 30 * MIN), validCheckDigit: true },
          ],
        },
        explanation: `MMSI 273991005 has reported 2 IMO numbers: ${first} since 2024-05-01 06:00Z, ${second} since 2024-05-01 06:30Z`,
      },
    ]);
  });

  it('identity_changes: three names within 180 days', async () => {
    const mmsi = 273991006;
    const dates = [T0, T0 + 20 * DAY, T0 + 50 * DAY];
    await ingestLines([
      ...staticLines(mmsi, dates[0]!, { imo: imo(939915), name: 'OCEAN LADY' }),
      ...staticLines(mmsi, dates[1]!, { imo: imo(939915), name: 'PACIFIC BRIDGE' }),
      ...staticLines(mmsi, dates[2]!, { imo: imo(939915), name: 'RHEA' }),
      ...dates.flatMap((d) => fixLines(mmsi, steady(37.8, 44.6, 3, d))),
    ]);
    expect(await repo.anomaliesForVessel(mmsi)).toEqual([
      {
        kind: 'identity_changes',
        mmsi,
        severity: 'medium',
        detectedFrom: at(dates[1]!),
        detectedTo: at(dates[2]!),
        evidence: {
          field: 'name',
          imo: null,
          windowDays: 180,
          changes: 2,
          window: { from: at(dates[1]!), to: at(dates[2]!) },
          values: [
            { value: 'OCEAN LADY', firstSeen: at(dates[0]!) },
            { value: 'PACIFIC BRIDGE', firstSeen: at(dates[1]!) },
            { value: 'RHEA', firstSeen: at(dates[2]!) },
          ],
        },
        explanation:
          'MMSI 273991006 changed name 2 times between 2024-05-21 and 2024-06-20 (within 180 days): "OCEAN LADY" (first seen 2024-05-01) → "PACIFIC BRIDGE" (first seen 2024-05-21) → "RHEA" (first seen 2024-06-20)',
      },
    ]);
    // A stricter rule (3 changes) or a shorter window (20 days) finds nothing.
    expect(await createIdentityRepository(database.db, { minChanges: 3 }).anomaliesForVessel(mmsi)).toEqual([]);
    expect(await createIdentityRepository(database.db, { changeWindowDays: 20 }).anomaliesForVessel(mmsi)).toEqual([]);
  });

  it('identity_changes (flag hopping): one IMO under Russian, Panamanian and Cameroonian MMSIs within 60 days', async () => {
    const mmsis = [273991007, 352991007, 613991007];
    const hull = imo(939916);
    await ingestLines(mmsis.flatMap((m, i) => [...staticLines(m, T0 + i * 30 * DAY, { imo: hull, name: 'HOPPER' }), ...fixLines(m, steady(37.8, 44.6, 3, T0 + i * 30 * DAY))]));
    const anomalies = await repo.anomaliesForVessel(352991007);
    // Three MMSIs for one hull are also imo_multiple_mmsi (high: three or more).
    expect(kinds(anomalies)).toEqual(['imo_multiple_mmsi', 'identity_changes']);
    expect(anomalies[0]).toMatchObject({ severity: 'high', evidence: { imo: hull, concurrent: false } });
    expect(anomalies[1]).toMatchObject({
      kind: 'identity_changes',
      severity: 'medium',
      detectedFrom: at(T0 + 30 * DAY),
      detectedTo: at(T0 + 60 * DAY),
      evidence: {
        field: 'flag',
        imo: hull,
        changes: 2,
        values: [
          { value: 'RU', firstSeen: at(T0), via: 273991007 },
          { value: 'PA', firstSeen: at(T0 + 30 * DAY), via: 352991007 },
          { value: 'CM', firstSeen: at(T0 + 60 * DAY), via: 613991007 },
        ],
      },
    });
    expect(anomalies[1]!.explanation).toBe(
      `IMO ${hull} (reported by MMSI 352991007) changed flag 2 times between 2024-05-31 and 2024-06-30 (within 180 days): RU (MMSI 273991007, from 2024-05-01) → PA (MMSI 352991007, from 2024-05-31) → CM (MMSI 613991007, from 2024-06-30)`,
    );
  });

  it('watchlist_pairing_mismatch: the listed MMSI reports another IMO; the listed IMO appears under an unlisted MMSI; a former MMSI is fine', async () => {
    const listed = { imo: imo(939917), mmsi: 273991008 };
    const moved = { imo: imo(939918), mmsi: 273991018, newMmsi: 620991018, formerMmsi: 273991028 };
    const ids = await insertTestList([
      { key: 'E1', name: 'LISTED ONE', ...listed },
      { key: 'E2', name: 'LISTED TWO', imo: moved.imo, mmsi: moved.mmsi, legacy: [moved.formerMmsi] },
    ]);
    const other = imo(939919);
    await ingestLines([
      ...staticLines(listed.mmsi, T0, { imo: other, name: 'NOT LISTED ONE' }),
      ...fixLines(listed.mmsi, steady(37.8, 44.6, 5)),
      ...staticLines(moved.newMmsi, T0 + MIN, { imo: moved.imo, name: 'LISTED TWO' }),
      ...fixLines(moved.newMmsi, steady(37.9, 44.7, 5)),
      ...staticLines(moved.formerMmsi, T0 + 2 * MIN, { imo: moved.imo, name: 'LISTED TWO' }),
      ...fixLines(moved.formerMmsi, steady(37.7, 44.5, 5)),
    ]);
    expect(await repo.anomaliesForVessel(listed.mmsi)).toEqual([
      {
        kind: 'watchlist_pairing_mismatch',
        mmsi: listed.mmsi,
        severity: 'high',
        detectedFrom: at(T0),
        detectedTo: null,
        evidence: {
          list: LIST,
          entryId: ids.get('E1')!,
          entryKey: 'E1',
          entryName: 'LISTED ONE',
          mismatch: 'imo',
          listed: { imo: listed.imo, mmsi: listed.mmsi, mmsiLegacy: [] },
          observed: { imo: other, mmsi: listed.mmsi, firstSeen: at(T0) },
        },
        explanation: `watchlist "identity-test" entry E1 (LISTED ONE) pairs IMO ${listed.imo} with MMSI 273991008, but MMSI 273991008 reports IMO ${other} (since 2024-05-01 06:00Z)`,
      },
    ]);
    // The new MMSI: the pairing mismatch, and (the former MMSI still transmits the same IMO) imo_multiple_mmsi.
    const onNew = await repo.anomaliesForVessel(moved.newMmsi);
    expect(kinds(onNew)).toEqual(['imo_multiple_mmsi', 'watchlist_pairing_mismatch']);
    expect(onNew[1]).toMatchObject({
      severity: 'medium',
      evidence: { entryKey: 'E2', mismatch: 'mmsi', listed: { imo: moved.imo, mmsi: moved.mmsi, mmsiLegacy: [moved.formerMmsi] }, observed: { imo: moved.imo, mmsi: moved.newMmsi } },
    });
    expect(onNew[1]!.explanation).toBe(
      `watchlist "identity-test" entry E2 (LISTED TWO) pairs IMO ${moved.imo} with MMSI 273991018, but IMO ${moved.imo} is reported by MMSI 620991018 (since 2024-05-01 06:01Z), which is neither the listed MMSI nor one of its former MMSIs (273991028)`,
    );
    // The former MMSI is listed in mmsi_legacy: no pairing mismatch, only the shared IMO.
    expect(kinds(await repo.anomaliesForVessel(moved.formerMmsi))).toEqual(['imo_multiple_mmsi']);
    // A removed entry no longer counts.
    await database.db.updateTable('watchlist_entries').set({ removed_version: 2, removed_at: new Date() }).where('id', '=', ids.get('E1')!).execute();
    expect(await repo.anomaliesForVessel(listed.mmsi)).toEqual([]);
  });
});

describe('anomalousVessels (set-based, for scoring)', () => {
  it('finds, per kind, exactly the vessels anomaliesForVessel finds; its SQL IMO check agrees with isValidImo', async () => {
    await insertTestList([{ key: 'E1', name: 'LISTED', imo: imo(939930), mmsi: 273991030 }]);
    const lines: string[] = [];
    const add = (mmsi: number, start: number, lon: number, statics: { imo?: number; name?: string }[] = []) => {
      statics.forEach((s, i) => lines.push(...staticLines(mmsi, start + i * 20 * DAY, s)));
      lines.push(...fixLines(mmsi, steady(lon, 44.6, 6, start)));
    };
    add(273991020, T0, 37.8, [{ imo: imo(939920), name: 'CLEAN' }]);
    add(200991021, T0, 37.8); // invalid MID
    add(3991022, T0, 37.8); // 003991022: coast-station format, MID 399 unallocated
    // IMO values across the check-digit rule: wrong digit, too short, too long, valid.
    const imoCases = [imo(939923) + 1 - (imo(939923) % 10 === 9 ? 10 : 0), 1234, 123456789, 1000000, imo(939924), 9999999];
    imoCases.forEach((v, i) => add(273991040 + i, T0, 37.8, [{ imo: v, name: `IMO CASE ${i}` }]));
    // Shared MMSI.
    lines.push(...fixLines(273991025, [...steady(37.8, 44.6, 6, T0, 4 * MIN), ...steady(36.0, 45.3, 6, T0 + 2 * MIN, 4 * MIN)]));
    // One IMO, two MMSIs at once.
    add(273991026, T0, 37.8, [{ imo: imo(939926), name: 'TWIN' }]);
    add(352991026, T0, 30.0, [{ imo: imo(939926), name: 'TWIN' }]);
    // Two IMOs on one MMSI.
    add(273991027, T0, 37.8, [{ imo: imo(939927), name: 'A' }, { imo: imo(939928), name: 'A' }]);
    // Three names.
    add(273991029, T0, 37.8, [{ name: 'N1' }, { name: 'N2' }, { name: 'N3' }]);
    // Listed MMSI reporting another IMO.
    add(273991030, T0, 37.8, [{ imo: imo(939931), name: 'LISTED' }]);
    await ingestLines(lines);

    const range = { from: new Date(T0 - DAY), to: new Date(T0 + 100 * DAY) };
    const sets = await repo.anomalousVessels(range);
    const { rows } = await sql<{ mmsi: number }>`SELECT mmsi FROM vessels ORDER BY mmsi`.execute(database.db);
    const expected = [];
    for (const { mmsi } of rows) {
      const found = [...new Set(kinds(await repo.anomaliesForVessel(mmsi, range)))];
      if (found.length) expected.push({ mmsi, kinds: ANOMALY_KINDS.filter((k) => found.includes(k)) });
    }
    expect(sets).toEqual(expected);
    // Every kind is exercised (the spoofing kinds by spoofing.test.ts), and the clean vessel is in neither.
    const spoofing = ['imo_far_apart', 'fixed_pattern', 'on_land', 'sog_mismatch'];
    expect(new Set(sets.flatMap((s) => s.kinds))).toEqual(new Set(ANOMALY_KINDS.filter((k) => !spoofing.includes(k))));
    expect(sets.some((s) => s.mmsi === 273991020)).toBe(false);
    // The SQL check digit agrees with isValidImo on every case.
    const flagged = new Set(sets.filter((s) => s.kinds.includes('imo_check_digit')).map((s) => s.mmsi));
    imoCases.forEach((v, i) => expect(flagged.has(273991040 + i), `IMO ${v}`).toBe(!isValidImo(v)));
    expect(imoCases.filter((v) => !isValidImo(v))).toHaveLength(5);

    // Filtered by kind, and by range: before any fixture transmitted, nothing.
    expect(await repo.anomalousVessels({ ...range, kinds: ['shared_mmsi'] })).toEqual([{ mmsi: 273991025, kinds: ['shared_mmsi'] }]);
    expect(await repo.anomalousVessels({ from: new Date(T0 - 10 * DAY), to: new Date(T0 - DAY) })).toEqual([]);
  });
});
