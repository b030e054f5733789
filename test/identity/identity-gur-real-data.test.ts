// The data join watchlist screening and identity anomalies rely on, on real data: the Novorossiysk
// capture (SOURCES.md: 85 MMSIs, 587 type 5 reports) against the GUR shadow-fleet list.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidImo } from '@rendezvous/ais';
import { createIdentityRepository } from '@rendezvous/db';
import { ingestFiles } from '@rendezvous/ingest';
import { HAS_SHARED_DATA, SHARED_DATA, SHARED_SKIP_NOTE, openTestDatabase, quietLogger, resetIngestTables, testConfig } from '../support/harness.ts';

const config = testConfig();
const database = openTestDatabase(config);
const repo = createIdentityRepository(database.db);
const LIST = 'identity-test-gur';
const CAPTURE = path.join(SHARED_DATA, 'nmea-novorossiysk-boutsko/ais.txt');
const GUR = path.join(SHARED_DATA, 'shadowfleet-gur/gur_vessels_master.csv');

interface GurRow {
  line: number;
  name: string;
  imo: number | null;
  mmsi: number | null;
  legacy: number[];
}

/**
 * Simple split parse (the CSV has no quoted fields). The scrape's artefacts ("Call sign" in
 * mmsi_current, a U+FFFD before some mmsi_legacy values) are absorbed by taking 9-digit runs.
 */
function parseGur(text: string): GurRow[] {
  const [header, ...lines] = text.split('\n');
  const cols = header!.trim().split(',');
  const col = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`GUR CSV has no column ${name}`);
    return i;
  };
  const [iName, iImo, iMmsi, iLegacy] = [col('name'), col('imo'), col('mmsi_current'), col('mmsi_legacy')];
  const nine = (s: string | undefined) => (s ?? '').match(/\d{9}/g)?.map(Number) ?? [];
  return lines
    .map((l, i) => ({ l: l.replace(/\r$/, ''), line: i + 2 }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, line }) => {
      const f = l.split(',');
      const imoText = (f[iImo] ?? '').trim();
      const mmsi = nine(f[iMmsi])[0] ?? null;
      return { line, name: (f[iName] ?? '').trim(), imo: /^\d{7}$/.test(imoText) ? Number(imoText) : null, mmsi, legacy: nine(f[iLegacy]).filter((m) => m !== mmsi) };
    });
}

async function dropList() {
  const list = await database.db.selectFrom('watchlists').select('id').where('name', '=', LIST).executeTakeFirst();
  if (!list) return;
  await database.db.deleteFrom('watchlist_entries').where('watchlist_id', '=', list.id).execute();
  await database.db.deleteFrom('watchlist_versions').where('watchlist_id', '=', list.id).execute();
  await database.db.deleteFrom('watchlists').where('id', '=', list.id).execute();
}

describe.skipIf(!HAS_SHARED_DATA)(`Novorossiysk capture against the GUR shadow-fleet list ${HAS_SHARED_DATA ? '' : SHARED_SKIP_NOTE}`, () => {
  let gur: GurRow[] = [];
  // One ingest for both tests: the GUR rows as watchlist_entries of this test's own list, then the capture.
  beforeAll(async () => {
    await dropList();
    await resetIngestTables(database);
    gur = parseGur(readFileSync(GUR, 'utf8'));
    expect(gur.length).toBeGreaterThan(1400); // SOURCES.md: 1,414 vessels

    // The rows as watchlist_entries (IMO only when its check digit passes, as the schema says).
    const list = await database.db.insertInto('watchlists').values({ name: LIST, format: 'gur-csv' }).returning('id').executeTakeFirstOrThrow();
    await database.db
      .insertInto('watchlist_versions')
      .values({ watchlist_id: list.id, version: 1, sha256: '0'.repeat(64), format: 'gur-csv', imported_by: 'identity-test', entries: gur.length, added: gur.length, removed: 0, changed: 0 })
      .execute();
    for (let i = 0; i < gur.length; i += 500) {
      await database.db
        .insertInto('watchlist_entries')
        .values(
          gur.slice(i, i + 500).map((g) => ({
            watchlist_id: list.id,
            entry_key: `line-${g.line}`,
            name: g.name,
            imo: g.imo !== null && isValidImo(g.imo) ? g.imo : null,
            imo_raw: g.imo === null ? null : String(g.imo),
            imo_valid: g.imo === null ? null : isValidImo(g.imo),
            mmsi: g.mmsi,
            mmsi_legacy: g.legacy,
            content_hash: `line-${g.line}`,
            added_version: 1,
            added_at: new Date(),
          })),
        )
        .execute();
    }

    await ingestFiles([CAPTURE], { config, logger: quietLogger, database, detection: null });
  });
  afterAll(async () => {
    await dropList();
    await database.close();
  });

  it('the vessels joined to GUR entries (MMSI, former MMSI or type 5 IMO) are exactly those an independent in-memory intersection finds', async () => {
    const vessels = await database.db.selectFrom('vessels').select(['mmsi', 'imo', 'name']).orderBy('mmsi').execute();
    // SOURCES.md counts 85 MMSIs, base stations included; those are not vessels.
    expect(vessels.length).toBeGreaterThan(80);

    // Independent: the intersection in memory.
    const byMmsi = new Map<number, GurRow>();
    const byImo = new Map<number, GurRow>();
    for (const g of gur) {
      for (const m of [g.mmsi, ...g.legacy]) if (m !== null && !byMmsi.has(m)) byMmsi.set(m, g);
      if (g.imo !== null && !byImo.has(g.imo)) byImo.set(g.imo, g);
    }
    const expected = vessels
      .map((v) => ({ v, g: byMmsi.get(v.mmsi) ?? (v.imo !== null ? byImo.get(v.imo) : undefined) }))
      .filter((x) => x.g !== undefined);

    // Through the repository: the entries its join attaches to each vessel.
    const joined: { mmsi: number; entries: string[] }[] = [];
    for (const v of vessels) {
      const facts = await repo.factsForVessel(v.mmsi);
      const entries = facts.watchlist.filter((e) => e.list === LIST).map((e) => e.name ?? e.entryKey);
      if (entries.length) joined.push({ mmsi: v.mmsi, entries });
    }

    const report = expected.map(({ v, g }) => {
      const how = [
        g!.mmsi === v.mmsi ? 'MMSI' : g!.legacy.includes(v.mmsi) ? 'former MMSI' : null,
        v.imo !== null && g!.imo === v.imo ? 'IMO' : null,
      ].filter(Boolean);
      return `${v.mmsi} ${v.name ?? '(no type 5 name)'} IMO ${v.imo ?? '-'} ↔ GUR "${g!.name}" (IMO ${g!.imo ?? '-'}, by ${how.join(' + ')})`;
    });
    console.log(`Novorossiysk ↔ GUR shadow fleet: ${expected.length} vessels\n  ${report.join('\n  ')}`);

    expect(joined.map((j) => j.mmsi)).toEqual(expected.map((x) => x.v.mmsi));
    // SOURCES.md: "7 MMSIs match the GUR shadow-fleet list (e.g. OLANGA, PIZHMA, IVAN KRAMSKOY, NIKOLAY VELIKIY)".
    const names = new Set(joined.flatMap((j) => j.entries));
    for (const n of ['OLANGA', 'PIZHMA', 'IVAN KRAMSKOY', 'NIKOLAY VELIKIY']) expect(names, n).toContain(n);

    // Pairing mismatches against this list, predicted in memory: a listed MMSI reporting another
    // IMO, or a listed IMO under an MMSI the entry does not name.
    const predicted = new Set<string>();
    for (const v of vessels) {
      if (v.imo === null) continue;
      for (const g of gur) {
        if (g.imo === null || !isValidImo(g.imo)) continue; // entries carry only IMOs that pass the check
        if (g.mmsi === v.mmsi && v.imo !== g.imo) predicted.add(`${v.mmsi}:imo`);
        if (g.imo === v.imo && g.mmsi !== null && g.mmsi !== v.mmsi && !g.legacy.includes(v.mmsi)) predicted.add(`${v.mmsi}:mmsi`);
      }
    }
    const found: string[] = [];
    const mismatches = new Set<string>();
    for (const { mmsi } of joined) {
      for (const a of await repo.anomaliesForVessel(mmsi)) {
        found.push(`${a.kind} (${a.severity}): ${a.explanation}`);
        if (a.kind === 'watchlist_pairing_mismatch' && a.evidence.list === LIST) mismatches.add(`${mmsi}:${a.evidence.mismatch}`);
      }
    }
    console.log(`Identity anomalies of the matched vessels: ${found.length}\n  ${found.join('\n  ')}`);
    expect(mismatches).toEqual(predicted);
  });

  it('on the whole capture, the set-based query finds exactly the vessels and kinds the per-vessel rules find', async () => {
    const range = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) };
    const vessels = await database.db.selectFrom('vessels').select('mmsi').orderBy('mmsi').execute();
    expect(vessels.length).toBeGreaterThan(80);
    const perVessel: { mmsi: number; kinds: string[] }[] = [];
    const lines: string[] = [];
    for (const { mmsi } of vessels) {
      const anomalies = await repo.anomaliesForVessel(mmsi, range);
      if (anomalies.length) perVessel.push({ mmsi, kinds: [...new Set(anomalies.map((a) => a.kind))] });
      for (const a of anomalies) lines.push(`${a.kind} (${a.severity}): ${a.explanation}`);
    }
    console.log(`Identity anomalies in the Novorossiysk capture: ${lines.length}\n  ${lines.join('\n  ')}`);
    expect(await repo.anomalousVessels(range)).toEqual(perVessel);
  });
});
