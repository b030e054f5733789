import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertQueryRepository } from '@rendezvous/db';
import { alertCsvStream, csvTruncationNote } from '../../services/api/src/alerts/csv.ts';
import { alertTestApp, resetAlerts, seedAlerts, type SeedAlert } from './alerts-seed.ts';

const T = Date.UTC(2025, 5, 1);
const HOUR = 3_600_000;

/** Deterministic pseudo-random numbers (LCG), so a failure replays the same way. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

let serial = 0;
function randomSeed(random: () => number, prefix: string): SeedAlert {
  serial++;
  return {
    key: `${prefix}-${serial}`,
    a: 300_000_000 + serial,
    b: 400_000_000 + serial,
    // Grid-aligned starts over 10 days; several alerts share a start (ties broken by id).
    start: T + Math.floor(random() * 48) * 5 * HOUR,
    hours: 2 + Math.floor(random() * 4),
    lon: -20 + random() * 40,
    lat: 30 + random() * 20,
    // Few distinct scores: many ties.
    score: Math.floor(random() * 8) * 10,
  };
}

const h = await alertTestApp('alerts-pagination');
const { app, database, auth } = h;
let preexisting: Set<number>;

beforeAll(async () => {
  await resetAlerts(database);
  const random = rng(6);
  const ids = await seedAlerts(database, Array.from({ length: 40 }, () => randomSeed(random, 'pre')));
  preexisting = new Set(ids.values());
});
afterAll(() => h.close());

describe('keyset pagination while alerts are inserted', () => {
  it.each(['-start', 'start', '-score', 'score', 'updated'])('sort=%s: a full walk has no duplicates and skips none of the pre-existing alerts', async (sort) => {
    const random = rng(sort.length * 31 + (sort.startsWith('-') ? 7 : 0));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { statusCode: number; body: string; json: () => unknown } = await app.inject({ method: 'GET', url: `/v1/alerts?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, headers: auth() });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { id: number }[]; nextCursor: string | null };
      seen.push(...body.items.map((a: { id: number }) => a.id));
      cursor = body.nextCursor;
      pages++;
      // Between page fetches the detector writes new alerts anywhere in the order.
      await seedAlerts(database, Array.from({ length: 3 }, () => randomSeed(random, `during-${sort}`)));
    } while (cursor && pages < 100);
    expect(pages).toBeGreaterThan(5);
    expect(new Set(seen).size).toBe(seen.length);
    const missing = [...preexisting].filter((id) => !seen.includes(id));
    expect(missing).toEqual([]);
  });
});

describe('CSV export', () => {
  it('walks every page of the export and says so when it stops at the row cap', async () => {
    const repo = createAlertQueryRepository(database.db);
    const total = Number((await database.pool.query('SELECT count(*) AS n FROM alerts')).rows[0].n);
    const collect = async (maxRows: number) => {
      let text = '';
      for await (const chunk of await alertCsvStream(repo, {}, { sort: '-start' }, maxRows, 7)) text += chunk;
      return text.split('\r\n').filter(Boolean);
    };
    const full = await collect(1_000);
    expect(full).toHaveLength(1 + total);
    expect(new Set(full.slice(1).map((l) => l.split(',')[0])).size).toBe(total);
    const capped = await collect(10);
    expect(capped).toHaveLength(1 + 10 + 1);
    expect(capped.at(-1)! + '\r\n').toBe(csvTruncationNote(10));
    // Exactly at the cap: nothing was left out, so no truncation note.
    expect(await collect(total)).toHaveLength(1 + total);
  });
});
