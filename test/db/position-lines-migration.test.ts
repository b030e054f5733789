// Migration 0028 moves the received lines of raw_reports (0019) into positions.lines and drops
// raw_reports. Checked on a database migrated up to 0027 with data in both tables: each position
// gets exactly its own line, a position without one (stored before 0019) keeps NULL, a line whose
// position is gone is not kept, and the evidence export's reader returns what it returned before.
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createRawReportRepository, migrate, MIGRATIONS_DIR, type DatabaseHandle } from '@rendezvous/db';
import { createLogger } from '@rendezvous/logger';
import { dropDatabase, recreateDatabase } from '../support/databases.ts';
import { databaseUrlFor } from '../support/test-env.ts';

const logger = createLogger({ level: 'silent', format: 'json' }, 'test');
const scratch = `rendezvous_position_lines_${process.pid}`;
let through0027: string;
let through0028: string;
let db: DatabaseHandle;

beforeAll(async () => {
  // The repository's migrations up to a version (later ones would run too).
  const through = async (version: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rzv-0028-'));
    for (const file of await readdir(MIGRATIONS_DIR)) if (file.endsWith('.sql') && file.slice(0, 4) <= version) await copyFile(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
    return dir;
  };
  through0027 = await through('0027');
  through0028 = await through('0028');
  await recreateDatabase(scratch);
  db = createDatabase({ url: databaseUrlFor(scratch), poolMax: 2 }, logger);
});

afterAll(async () => {
  await db?.close();
  await dropDatabase(scratch);
  await rm(through0027, { recursive: true, force: true });
  await rm(through0028, { recursive: true, force: true });
});

describe('migration 0028: received lines into positions', () => {
  it('moves each line to its own position, leaves NULL where there was none, drops lines without a position, and the reader returns the same reports', async () => {
    await migrate(db.pool, logger, through0027);
    const t = (s: number) => new Date(Date.UTC(2025, 2, 3, 12, 0, s));
    await db.pool.query("SELECT rendezvous_ensure_position_partition('2025-03-03')");
    // Four positions: two with lines (one of them a two-part message), one from before 0019, and a
    // second vessel's; one line whose position was deleted.
    await db.pool.query(
      `INSERT INTO positions (mmsi, ts, geom, sog, msg_type, source)
       SELECT m, t, ST_SetSRID(ST_MakePoint(24, 36), 4326), 1, 1, s
       FROM unnest($1::int[], $2::timestamptz[], $3::text[]) AS u(m, t, s)`,
      [[211000001, 211000001, 211000001, 211000002], [t(0), t(10), t(20), t(5)], ['rx-a', 'rx-a', null, 'rx-b']],
    );
    await db.pool.query(
      `INSERT INTO raw_reports (mmsi, ts, source, lines)
       SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::text[], $4::text[])`,
      [
        [211000001, 211000001, 211000002, 211000003],
        [t(0), t(10), t(5), t(7)],
        ['rx-a', 'rx-a', 'rx-b', 'rx-c'],
        ['\\s:rx-a,c:1*00\\!AIVDM,1,1,,A,one,0*00', '!AIVDM,2,1,7,B,part1,0*00\n!AIVDM,2,2,7,B,part2,2*00', '$PGHP,1*00\n!AIVDM,1,1,,A,two,0*00', '!AIVDM,1,1,,A,orphan,0*00'],
      ],
    );
    // What the reader returned before 0028 (its query then, on raw_reports): the orphan included.
    const before = (await db.pool.query<{ mmsi: number; ts: Date; source: string | null; lines: string }>('SELECT mmsi, ts, source, lines FROM raw_reports ORDER BY ts, mmsi')).rows.map((r) => ({ ...r, ts: r.ts.getTime() }));
    expect(before).toHaveLength(4);

    const { applied } = await migrate(db.pool, logger, through0028);
    expect(applied).toEqual(['0028_position_lines']);

    const { rows } = await db.pool.query<{ mmsi: number; ts: Date; lines: string | null }>('SELECT mmsi, ts, lines FROM positions ORDER BY mmsi, ts');
    expect(rows.map((r) => [r.mmsi, r.ts.getTime(), r.lines])).toEqual([
      [211000001, t(0).getTime(), '\\s:rx-a,c:1*00\\!AIVDM,1,1,,A,one,0*00'],
      [211000001, t(10).getTime(), '!AIVDM,2,1,7,B,part1,0*00\n!AIVDM,2,2,7,B,part2,2*00'],
      [211000001, t(20).getTime(), null],
      [211000002, t(5).getTime(), '$PGHP,1*00\n!AIVDM,1,1,,A,two,0*00'],
    ]);
    expect((await db.pool.query("SELECT to_regclass('raw_reports') AS r")).rows[0].r).toBeNull();
    // The reader: the same reports as before, less the orphan, in the same order; none for the position stored without a line.
    const raw = createRawReportRepository(db.db);
    const after = await raw.linesOf([211000001, 211000002, 211000003], t(0), t(60), 100);
    expect(after).toEqual({ reports: before.filter((r) => r.mmsi !== 211000003), capped: false });
    expect(await raw.linesOf([211000001], t(15), t(25), 100)).toEqual({ reports: [], capped: false });
  });
});
