import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createScreeningService, createSuspectRepository, createWatchlistRepository } from '@rendezvous/db';
import { ParseError } from '@rendezvous/errors';
import { ingestFiles } from '@rendezvous/ingest';
import { prepareListSnapshot } from '@rendezvous/watchlists';
import { HAS_SHARED_DATA, ROOT, SHARED_DATA, SHARED_SKIP_NOTE, count, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';
import { testEnv } from '../support/test-env.ts';

const config = testConfig();
const database = openTestDatabase(config);
const lists = createWatchlistRepository(database.db);
afterAll(() => database.close());

async function resetLists() {
  await database.pool.query('TRUNCATE watchlist_entries, watchlist_versions, watchlists, suspect_audit, suspects RESTART IDENTITY CASCADE');
}
beforeEach(resetLists);

const csv = (rows: string[]) => new TextEncoder().encode(['imo,mmsi,name,reason,source,listed_at', ...rows].join('\n') + '\n');
const snapshot = (bytes: Uint8Array, name = 'team-list') => prepareListSnapshot({ name, bytes, fileName: 'team.csv', importedBy: 'test' });

describe('watchlist import: versioned snapshots', () => {
  it('re-importing the same file changes nothing; a newer one records what was added, removed and changed', async () => {
    const v1 = csv(['9074729,,OCEAN ONE,ofac,analyst,2024-01-10', '9187629,,SEA TWO,eu,analyst,2024-02-01', ',273344340,RIVER THREE,tip,analyst,']);
    const first = await lists.importSnapshot(snapshot(v1));
    expect(first).toMatchObject({ status: 'imported', version: 1, entries: 3, added: 3, removed: 0, changed: 0 });
    const again = await lists.importSnapshot(snapshot(v1));
    expect(again).toMatchObject({ status: 'unchanged', version: 1, added: 0 });
    expect(await count(database, 'SELECT count(*) AS n FROM watchlist_versions')).toBe(1);
    expect(await count(database, 'SELECT count(*) AS n FROM watchlist_entries')).toBe(3);

    // v2: SEA TWO gone, RIVER THREE renamed, one new vessel.
    const v2 = csv(['9074729,,OCEAN ONE,ofac,analyst,2024-01-10', ',273344340,RIVER THREE II,tip,analyst,', '9300002,,NEW FOUR,gur,analyst,2024-05-05']);
    const second = await lists.importSnapshot(snapshot(v2));
    expect(second).toMatchObject({ status: 'imported', version: 2, entries: 3, added: 1, removed: 1, changed: 1 });
    const versions = await lists.versions('team-list');
    expect(versions.map((v) => [v.version, v.added, v.removed, v.changed])).toEqual([
      [2, 1, 1, 1],
      [1, 3, 0, 0],
    ]);
    // Every past state stays queryable.
    expect((await lists.entries('team-list', 1)).map((e) => e.name).sort()).toEqual(['OCEAN ONE', 'RIVER THREE', 'SEA TWO']);
    expect((await lists.entries('team-list')).map((e) => e.name).sort()).toEqual(['NEW FOUR', 'OCEAN ONE', 'RIVER THREE II']);
    const listed = await database.pool.query("SELECT listed_at::text FROM watchlist_entries WHERE name = 'NEW FOUR'");
    expect(listed.rows[0].listed_at).toBe('2024-05-05');
  });

  it('a malformed file is refused with the line named, and nothing of it is imported', async () => {
    await lists.importSnapshot(snapshot(csv(['9074729,,OCEAN ONE,ofac,analyst,'])));
    const broken = new TextEncoder().encode('imo,mmsi,name,reason,source\n9187629,,"UNTERMINATED,eu,x\n9300002,,OK,eu,x\n');
    expect(() => snapshot(broken)).toThrow(ParseError);
    expect(() => snapshot(broken)).toThrow(/line 2/);
    expect(() => prepareListSnapshot({ name: 'x', bytes: new TextEncoder().encode('{"schema": "Vessel", "properties": {\n'), fileName: 'a.json', importedBy: 't' })).toThrow(/line 1/);
    expect(() => prepareListSnapshot({ name: 'x', bytes: new TextEncoder().encode('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<CONSOLIDATED_LIST></CONSOLIDATED_LIST>'), fileName: 'un.xml', importedBy: 't' })).toThrow(ParseError);
    expect(await count(database, 'SELECT count(*) AS n FROM watchlist_versions')).toBe(1);
    expect(await count(database, 'SELECT count(*) AS n FROM watchlist_entries')).toBe(1);
  });

  it('an import that fails inside the database leaves no trace (one transaction)', async () => {
    const good = snapshot(csv(['9074729,,OCEAN ONE,ofac,analyst,', '9187629,,SEA TWO,eu,analyst,']));
    // Sabotage the second entry so PostgreSQL rejects it after the first was inserted.
    const sabotaged = { ...good, entries: good.entries.map((e, i) => (i === 1 ? { ...e, listedAt: 'not-a-date' } : e)) };
    await expect(lists.importSnapshot(sabotaged)).rejects.toThrow();
    expect(await count(database, 'SELECT count(*) AS n FROM watchlists')).toBe(0);
    expect(await count(database, 'SELECT count(*) AS n FROM watchlist_entries')).toBe(0);
  });

  it('CLI: `lists import` refuses a 200 MB file of garbage with a clear error and imports nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-lists-'));
    const file = path.join(dir, 'huge.csv');
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i < block.length; i++) block[i] = (i * 7919) % 251;
    await writeFile(file, Buffer.concat(Array.from({ length: 200 }, () => block)));
    const result = await promisify(execFile)(process.execPath, ['services/cli/src/main.ts', 'lists', 'import', 'huge', file], {
      cwd: ROOT,
      env: testEnv(),
      maxBuffer: 1 << 20,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: .*line \d+|^error: /m);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(await count(database, 'SELECT count(*) AS n FROM watchlists')).toBe(0);
  }, 120_000);
});

describe('suspects', () => {
  it('are added and removed with a reason and the analyst, every change audited, and matched by IMO or MMSI', async () => {
    const suspects = createSuspectRepository(database.db);
    const screening = createScreeningService(database.db, { ttlMs: 0 });
    const s = await suspects.add({ mmsi: 273344340, reason: 'dark at Kalamata twice', actor: 'alice' });
    await expect(suspects.add({ mmsi: 273344340, reason: 'again', actor: 'bob' })).rejects.toThrow(/already an active suspect/);
    const hits = await screening.screenMmsi(273344340, new Date('2025-01-01T00:00:00Z'));
    expect(hits).toEqual([expect.objectContaining({ kind: 'suspect', suspectId: s.id, rule: 'mmsi', reason: 'dark at Kalamata twice', addedBy: 'alice' })]);
    await suspects.remove({ id: s.id, reason: 'cleared by boarding report', actor: 'bob' });
    expect(await screening.screenMmsi(273344340, new Date('2025-01-01T00:00:00Z'))).toEqual([]);
    expect((await suspects.audit(s.id)).map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['added', 'alice', 'dark at Kalamata twice'],
      ['removed', 'bob', 'cleared by boarding report'],
    ]);
    expect(await suspects.list()).toEqual([]);
    expect((await suspects.list({ includeRemoved: true }))[0]).toMatchObject({ removedBy: 'bob' });
  });
});

describe.skipIf(!HAS_SHARED_DATA)(`time-aware matching on real data ${HAS_SHARED_DATA ? '' : SHARED_SKIP_NOTE}`, () => {
  it('MMSI 636011916, a ship in the 2010 DMA stream, is not reported as the OFAC-designated KAZAN in 2010, but is at 2024', async () => {
    await resetIngestTables(database);
    await ingestFiles([path.join(SHARED_DATA, 'nmea-dma-aislib/stream_example.txt')], { config, logger: quietLogger, database, detection: null });
    expect(await count(database, 'SELECT count(*) AS n FROM vessels WHERE mmsi = 636011916')).toBe(1);
    const file = path.join(SHARED_DATA, 'sanctions-ofac-sdn/ofac_sdn_vessels_20240503.csv');
    await lists.importSnapshot(prepareListSnapshot({ name: 'ofac', bytes: readFileSync(file), fileName: path.basename(file), importedBy: 'test' }));
    const screening = createScreeningService(database.db, { ttlMs: 0 });
    const in2010 = await screening.screenMmsi(636011916, new Date('2010-06-11T11:46:20Z'));
    expect(in2010.filter((m) => m.kind === 'watchlist' && m.status === 'listed')).toEqual([]);
    const in2024 = await screening.screenMmsi(636011916, new Date('2024-06-01T00:00:00Z'));
    expect(in2024).toContainEqual(expect.objectContaining({ kind: 'watchlist', list: 'ofac', entryName: 'KAZAN', rule: 'mmsi', status: 'listed', listedAt: '2023-11-16' }));
  });

  it('imports every real list file; the latin-1 Danish EU list decodes as windows-1252', async () => {
    const files: [string, string][] = [
      ['ofac-sdn', 'sanctions-ofac-sdn/sdn_20240503.csv'],
      ['eu-annex-xlii', 'sanctions-eu/eu_reg833-2014_annexXLII_vessels.csv'],
      ['eu-dma', 'sanctions-eu/ImportversionListOfEUDesignatedVessels231025.csv'],
      ['eu-dprk', 'sanctions-eu/eu_reg2017-1509_dprk_vessels.csv'],
      ['uk', 'sanctions-uk/uk_sanctions_list_20250811_ships.csv'],
      ['un', 'sanctions-un/un_consolidated_20250419.xml'],
      ['gur', 'shadowfleet-gur/gur_vessels_master.csv'],
    ];
    for (const [name, rel] of files) {
      const snap = prepareListSnapshot({ name, bytes: readFileSync(path.join(SHARED_DATA, rel)), fileName: path.basename(rel), importedBy: 'test' });
      const result = await lists.importSnapshot(snap);
      expect(result.status, name).toBe('imported');
      expect(result.entries, name).toBeGreaterThan(10);
      if (name === 'eu-dma') expect(snap.encoding).toBe('windows-1252');
    }
    expect((await lists.lists()).map((l) => l.name)).toEqual(['eu-annex-xlii', 'eu-dma', 'eu-dprk', 'gur', 'ofac-sdn', 'uk', 'un']);
  });
});
