import { describe, expect, it } from 'vitest';
import { aggregateBuckets, BUCKET_MS, type BucketInput } from '../src/repositories/position-buckets.ts';

/**
 * The bucket aggregation folds rows into columns (issue 16: an object per row, and an array per
 * position, were promoted garbage of every ingest batch). This is the object version it replaced,
 * kept as the reference: every batch must give the same rows, in the same order.
 */
function reference(positions: Iterable<BucketInput>) {
  const byVessel = new Map<number, Map<number, ReturnType<typeof row>>>();
  const row = (p: BucketInput, bucket: number) => ({
    mmsi: p.mmsi, bucket, firstTs: p.ts, firstLon: p.lon, firstLat: p.lat, firstSog: p.sog,
    lastTs: p.ts, lastLon: p.lon, lastLat: p.lat, lastSog: p.sog, lonMin: p.lon, lonMax: p.lon, latMin: p.lat, latMax: p.lat,
  });
  const rows: ReturnType<typeof row>[] = [];
  for (const p of positions) {
    let buckets = byVessel.get(p.mmsi);
    if (!buckets) byVessel.set(p.mmsi, (buckets = new Map()));
    const bucket = Math.floor(p.ts / BUCKET_MS);
    const r = buckets.get(bucket);
    if (!r) {
      const created = row(p, bucket);
      buckets.set(bucket, created);
      rows.push(created);
      continue;
    }
    if (p.ts < r.firstTs) [r.firstTs, r.firstLon, r.firstLat, r.firstSog] = [p.ts, p.lon, p.lat, p.sog];
    if (p.ts > r.lastTs) [r.lastTs, r.lastLon, r.lastLat, r.lastSog] = [p.ts, p.lon, p.lat, p.sog];
    if (p.lon < r.lonMin) r.lonMin = p.lon;
    if (p.lon > r.lonMax) r.lonMax = p.lon;
    if (p.lat < r.latMin) r.latMin = p.lat;
    if (p.lat > r.latMax) r.latMax = p.lat;
  }
  // What the writer stores: a NaN speed is NULL like none.
  const speed = (x: number | null) => (x === null || Number.isNaN(x) ? null : x);
  return rows.sort((a, b) => a.mmsi - b.mmsi || a.bucket - b.bucket).map((r) => ({ ...r, firstSog: speed(r.firstSog), lastSog: speed(r.lastSog) }));
}

/** A deterministic generator (mulberry32), so a failure names its batch. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function batch(seed: number, n: number, vessels: number, spanMs: number): BucketInput[] {
  const r = random(seed);
  const t0 = Date.UTC(2025, 0, 15) - 3 * BUCKET_MS;
  const out: BucketInput[] = [];
  for (let i = 0; i < n; i++) {
    const sog = r() < 0.2 ? null : r() < 0.05 ? NaN : Math.round(r() * 300) / 10;
    // Few distinct times and places, so equal times, equal extents and ±0 occur.
    const lon = r() < 0.1 ? (r() < 0.5 ? 0 : -0) : Math.round((r() * 2 - 1) * 50) / 10;
    out.push({ mmsi: 230_000_000 + Math.floor(r() * vessels), ts: t0 + Math.floor(r() * (spanMs / 1000)) * 1000, lon, lat: Math.round(r() * 40) / 10, sog });
  }
  return out;
}

function columnsOf(positions: BucketInput[]) {
  return {
    length: positions.length,
    mmsi: Float64Array.from(positions, (p) => p.mmsi),
    ts: Float64Array.from(positions, (p) => p.ts),
    lon: Float64Array.from(positions, (p) => p.lon),
    lat: Float64Array.from(positions, (p) => p.lat),
    sog: Float64Array.from(positions, (p) => p.sog ?? NaN),
  };
}

describe('aggregateBuckets', () => {
  it('gives the rows of the object aggregation, from objects and from columns alike', () => {
    const cases: [number, number, number][] = [
      [0, 1, 60_000], [1, 1, 60_000], [50, 3, 20 * BUCKET_MS], [2_000, 40, 60_000], [2_000, 40, 5 * BUCKET_MS],
      [5_000, 3, 100 * BUCKET_MS], [20_000, 2_000, 100_000], [20_000, 2_000, 2 * BUCKET_MS], [6_000, 1, 30 * BUCKET_MS],
    ];
    let seed = 1;
    for (const [n, vessels, span] of cases) {
      const positions = batch(seed++, n, vessels, span);
      const expected = reference(positions);
      expect(aggregateBuckets(positions)).toEqual(expected);
      expect(aggregateBuckets(columnsOf(positions))).toEqual(expected);
    }
  });

  it('keeps the sign of a zero longitude as the first report of the bucket had it', () => {
    const t = Date.UTC(2025, 0, 15);
    const rows = aggregateBuckets([
      { mmsi: 1, ts: t, lon: -0, lat: 0, sog: null },
      { mmsi: 1, ts: t + 1, lon: 0, lat: -0, sog: 1 },
    ]);
    expect(Object.is(rows[0]!.lonMin, -0)).toBe(true);
    expect(Object.is(rows[0]!.latMin, 0)).toBe(true);
    expect(rows[0]!.firstSog).toBeNull();
    expect(rows[0]!.lastSog).toBe(1);
  });
});
