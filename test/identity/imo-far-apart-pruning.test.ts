// imo_far_apart set-based (issue 16): the query prunes hours whose boxes (from position_buckets)
// cannot be farther apart than the threshold before the exact per-fix test, and stops at
// imoFarApartMinFixes fixes per vessel. Its answer must be the plain query's for every
// input, so the plain query (as it was before the pruning) is kept here as the oracle and both
// run on the same positions: pairs near, far, partly far, at the distance threshold in the
// geometries where the box bound is tightest (north–south near a pole, east–west on the equator),
// across ±180°, at the exact ends of the time window, at hour edges and at the range's edges,
// plus random traffic, over several ranges, vessel lists and option values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityRepository } from '@rendezvous/db';
import { METRES_PER_NM } from '@rendezvous/geodesy';
import { identityOptions, type IdentityRuleOptions } from '@rendezvous/identity';
import { mulberry32 } from '@rendezvous/test-support';
import { openTestDatabase, resetIngestTables, testConfig } from '../support/harness.ts';
import { plainImoFarApart, validImo } from '../support/imo-far-apart-oracle.ts';
import { position, storePositions } from '../support/positions.ts';

const database = openTestDatabase(testConfig());
afterAll(() => database.close());

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 2, 1); // the fixtures lie in [T0 - 2 h, T0 + 10 h)
const NM = METRES_PER_NM;

/** The query before the pruning (identity-repository.ts until issue 16), word for word. */
async function oracle(from: Date, to: Date, mmsis: readonly number[] | undefined, options: Partial<IdentityRuleOptions> = {}) {
  return plainImoFarApart(database.db, from, to, mmsis, identityOptions(options));
}

async function pruned(from: Date, to: Date, mmsis: readonly number[] | undefined, options: Partial<IdentityRuleOptions> = {}) {
  const repo = createIdentityRepository(database.db, options);
  const rows = await repo.anomalousVessels({ from, to, mmsis, kinds: ['imo_far_apart'] });
  return rows.map((r) => r.mmsi);
}

interface Fix {
  mmsi: number;
  t: number;
  lon: number;
  lat: number;
}
const fixes: Fix[] = [];
const claims: { mmsi: number; value: string; firstSeen: number }[] = [];
let nextMmsi = 273_100_000;
let nextImo = 100_000;

/** The point `distM` metres from (lon, lat) at azimuth `azDeg`, on the spheroid (ST_Project). */
async function project(lon: number, lat: number, distM: number, azDeg: number): Promise<[number, number]> {
  const { rows } = await database.pool.query<{ x: number; y: number }>(
    'SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Project(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3, radians($4))::geometry AS g) q',
    [lon, lat, distM, azDeg],
  );
  return [rows[0]!.x, rows[0]!.y];
}

/** A group of MMSIs claiming one IMO (valid unless `value` says otherwise); returns the MMSIs. */
function group(n: number, value = validImo(nextImo++), firstSeen = T0 - 24 * HOUR): number[] {
  const mmsis = Array.from({ length: n }, () => nextMmsi++);
  for (const mmsi of mmsis) claims.push({ mmsi, value, firstSeen });
  return mmsis;
}
const track = (mmsi: number, t0: number, n: number, stepMs: number, at: (i: number) => [number, number]) => {
  for (let i = 0; i < n; i++) {
    const [lon, lat] = at(i);
    fixes.push({ mmsi, t: t0 + i * stepMs, lon, lat });
  }
};

const named: Record<string, number[]> = {};

beforeAll(async () => {
  await resetIngestTables(database);
  const thr = 500 * NM;

  // Near: 20 km apart all along, fixes a minute apart for 6 h (the case that was slow).
  {
    const [a, b] = (named['near'] = group(2));
    track(a!, T0, 360, MIN, (i) => [-30 + i * 0.002, 45]);
    track(b!, T0 + 17_000, 360, MIN, (i) => [-30 + i * 0.002, 45.18]);
  }
  // Far: 1,000 nm apart.
  {
    const [a, b] = (named['far'] = group(2));
    track(a!, T0, 120, MIN, (i) => [-30 + i * 0.002, 45]);
    track(b!, T0 + 30_000, 120, MIN, (i) => [-5 + i * 0.002, 52]);
  }
  // Three hulls on one IMO, only the third far from the first: the first and third fire, the second not.
  {
    const [a, b, c] = (named['three'] = group(3));
    track(a!, T0, 60, MIN, () => [10, 0]);
    track(b!, T0, 60, MIN, () => [10, 5]);
    track(c!, T0 + 5 * MIN, 60, MIN, () => [10, 9.5]); // ~ 570 nm north of a, ~ 270 nm of b
  }
  // At the threshold, in the geometries where the bound is tightest or loosest: the peer at
  // threshold ± 1 m and ± 20 m from each self fix (by ST_Project on the spheroid).
  for (const [label, lon, lat, az] of [
    ['pole', 40, 78, 0], // north–south at high latitude: a degree of meridian is ~111,690 m, the bound 111,700
    ['equator', -20, 0.01, 90], // east–west on the equator: a degree of parallel is 111,319 m
    ['diagonal', 60, -40, 135],
    ['antimeridian', 179.5, 10, 90], // the peer lies across ±180°
  ] as const) {
    for (const delta of [-20, -1, 1, 20]) {
      const [a, b] = (named[`${label}${delta}`] = group(2));
      // Both lie still, so every pair of their fixes is the same distance apart.
      track(a!, T0 + HOUR, 4, 10 * MIN, () => [lon, lat]);
      const peer = await project(lon, lat, thr + delta, az);
      track(b!, T0 + HOUR + 7 * MIN, 4, 10 * MIN, () => peer);
    }
  }
  // The time window's ends: far peer fixes exactly 60 min after (counts) and 60 min + 1 ms after
  // (does not) self fixes, straddling hour edges (self at hh:59:59.999).
  {
    const [a, b] = (named['window-exact'] = group(2));
    const [c, d] = (named['window-past'] = group(2));
    // 2.5 h apart: a peer fix is within the hour of one self fix at most.
    const ts = [T0 + HOUR - 1, T0 + 3.5 * HOUR - 1, T0 + 6 * HOUR - 1];
    for (const t of ts) {
      fixes.push({ mmsi: a!, t, lon: -40, lat: 30 }, { mmsi: b!, t: t + HOUR, lon: -20, lat: 30 });
      fixes.push({ mmsi: c!, t, lon: -40, lat: 30 }, { mmsi: d!, t: t + HOUR + 1, lon: -20, lat: 30 });
      fixes.push({ mmsi: b!, t: t + 5 * MIN, lon: -40.1, lat: 30 }, { mmsi: d!, t: t + 5 * MIN, lon: -40.1, lat: 30 });
    }
  }
  // Partly far: the peer's track far from the self's for two (one pair) or three (the other) of
  // its fixes; the self has many fixes within the hour of those.
  for (const farFixes of [2, 3]) {
    const [a, b] = (named[`partly${farFixes}`] = group(2));
    track(a!, T0 + 5 * HOUR, 120, MIN, (i) => [0, 50 + i * 0.001]);
    // The peer sits 15 nm away except for a short excursion 600 nm away (a stand-in for a spoofed position).
    track(b!, T0 + 5 * HOUR + 30_000, 120, MIN, (i) => (i >= 60 && i < 60 + farFixes ? [0, 60.1] : [0.3, 50 + i * 0.001]));
  }
  // Far, but only outside the range [T0, T0 + 8 h): before it and at its end.
  {
    const [a, b] = (named['edges'] = group(2));
    track(a!, T0 - 30 * MIN, 60, MIN, () => [-30, 40]); // 30 fixes before the range, 30 in it
    track(b!, T0 - 90 * MIN, 60, MIN, () => [-10, 40]); // all before the range
    track(a!, T0 + 8 * HOUR - 3 * MIN, 3, MIN, () => [-30, 40]);
    track(b!, T0 + 8 * HOUR, 30, MIN, () => [-10, 40]); // from the range's end on
  }
  // Far, but the IMO is invalid; and far, but the IMO was first claimed at the range's end.
  {
    const [a, b] = (named['invalid'] = group(2, '1234568'));
    track(a!, T0, 30, MIN, () => [100, 10]);
    track(b!, T0, 30, MIN, () => [100, 30]);
    const [c, d] = (named['late-claim'] = group(2, validImo(nextImo++), T0 + 8 * HOUR));
    track(c!, T0, 30, MIN, () => [100, 10]);
    track(d!, T0, 30, MIN, () => [100, 30]);
  }
  // Random traffic: groups of 2–3 hulls, each a random walk around its own centre, the peer's
  // centre 0–1,000 nm away, fixes 30 s–6 min apart with gaps.
  const rnd = mulberry32(16);
  for (let g = 0; g < 40; g++) {
    const hulls = group(rnd() < 0.25 ? 3 : 2);
    const lon0 = -60 + rnd() * 120;
    const lat0 = -70 + rnd() * 140;
    const sep = [0, 200, 480, 500, 520, 800][Math.floor(rnd() * 6)]! * NM + (rnd() - 0.5) * 40 * NM;
    for (const [k, mmsi] of hulls.entries()) {
      let [lon, lat] = k === 0 ? [lon0, lat0] : await project(lon0, lat0, sep, rnd() * 360);
      let t = T0 - 2 * HOUR + rnd() * 2 * HOUR;
      while (t < T0 + 10 * HOUR) {
        fixes.push({ mmsi, t: Math.round(t), lon, lat });
        lon += (rnd() - 0.5) * 0.3;
        lat = Math.max(-85, Math.min(85, lat + (rnd() - 0.5) * 0.3));
        t += rnd() < 0.02 ? rnd() * 3 * HOUR : 30_000 + rnd() * 330_000;
      }
    }
  }

  // As ingest writes them: positions with their 10-minute buckets (the pruning reads those).
  await storePositions(database, fixes.map((f) => position(f.mmsi, f.t, f.lon, f.lat, null)));
  await database.pool.query(
    `INSERT INTO vessel_identity_history (mmsi, field, value, first_seen)
     SELECT m, 'imo', v, to_timestamp(t / 1000.0) FROM unnest($1::int[], $2::text[], $3::float8[]) AS u(m, v, t)`,
    [claims.map((c) => c.mmsi), claims.map((c) => c.value), claims.map((c) => c.firstSeen)],
  );
  await database.pool.query('ANALYZE positions');
}, 120_000);

describe('imo_far_apart with pruning', () => {
  const from = new Date(T0);
  const to = new Date(T0 + 8 * HOUR);

  it('the fixtures mean what they say (by the oracle)', async () => {
    const hits = new Set(await oracle(from, to, undefined));
    const has = (k: string) => named[k]!.map((m) => hits.has(m));
    expect(has('near')).toEqual([false, false]);
    expect(has('far')).toEqual([true, true]);
    expect(has('three')).toEqual([true, false, true]);
    for (const label of ['pole', 'equator', 'diagonal', 'antimeridian']) {
      expect(has(`${label}-20`), label).toEqual([false, false]);
      expect(has(`${label}-1`), label).toEqual([false, false]);
      expect(has(`${label}1`), label).toEqual([true, true]);
      expect(has(`${label}20`), label).toEqual([true, true]);
    }
    expect(has('window-exact')).toEqual([true, true]);
    expect(has('window-past')).toEqual([false, false]);
    expect(has('partly2')).toEqual([true, false]); // the peer has 2 far fixes, the self ~120 within the hour of them
    expect(has('partly3')).toEqual([true, true]);
    expect(has('edges')).toEqual([false, false]);
    expect(has('invalid')).toEqual([false, false]);
    expect(has('late-claim')).toEqual([false, false]);
    // The random traffic has hulls on both sides.
    const random = claims.map((c) => c.mmsi).filter((m) => m >= named['late-claim']![1]! + 1);
    expect(random.some((m) => hits.has(m)) && random.some((m) => !hits.has(m))).toBe(true);
  });

  it('finds exactly what the plain query finds, over ranges, vessel lists and options', async () => {
    const all = [...new Set(claims.map((c) => c.mmsi))];
    const ranges: [number, number][] = [
      [T0, T0 + 8 * HOUR],
      [T0 - 3 * HOUR, T0 + 11 * HOUR],
      [T0 + 61 * MIN + 7_000, T0 + 4 * HOUR + 30 * MIN], // edges inside hours and inside tracks
      [T0 + 5 * HOUR, T0 + 5 * HOUR + 61 * MIN],
      [T0 + 2 * HOUR - 1, T0 + 3 * HOUR + 1],
    ];
    const lists: (number[] | undefined)[] = [undefined, all.filter((_, i) => i % 3 === 0), [named['far']![0]!, named['pole1']![1]!], []];
    const optionSets: Partial<IdentityRuleOptions>[] = [
      {},
      { imoFarApartWithinMin: 0 },
      { imoFarApartWithinMin: 25 },
      { imoFarApartWithinMin: 59 },
      { imoFarApartWithinMin: 61 },
      { imoFarApartWithinMin: 150 },
      { imoFarApartNm: 100, imoFarApartMinFixes: 1 },
      { imoFarApartNm: 520, imoFarApartMinFixes: 5 },
      { imoFarApartMinFixes: 40 },
    ];
    let compared = 0;
    let nonEmpty = 0;
    for (const [f, t] of ranges) {
      for (const list of lists) {
        for (const o of optionSets) {
          const expected = await oracle(new Date(f), new Date(t), list, o);
          expect(await pruned(new Date(f), new Date(t), list, o), `${new Date(f).toISOString()}–${new Date(t).toISOString()} ${JSON.stringify(o)} ${list?.length}`).toEqual(expected);
          compared++;
          if (expected.length) nonEmpty++;
        }
      }
    }
    expect(compared).toBe(ranges.length * lists.length * optionSets.length);
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  }, 300_000);
});
