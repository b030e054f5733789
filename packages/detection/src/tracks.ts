/**
 * Track input: one vessel (or one segment of an MMSI shared by several transmitters, split by the
 * caller: DESIGN.md "Identity signals") with its positions in time order.
 */

export interface TrackPoint {
  /** Epoch ms. */
  t: number;
  /** Degrees, WGS-84. */
  lon: number;
  lat: number;
  /** Speed over ground (knots) as reported; null when not available. */
  sog: number | null;
}

export interface Track {
  mmsi: number;
  /** Segment id when the caller split an MMSI into several tracks; qualifies the pair key. */
  segment?: string | number;
  /** Sorted by `t` (non-decreasing). */
  points: readonly TrackPoint[];
}

/**
 * The same, column-wise (what a bulk loader or the benchmark produces without allocating an
 * object per point). `sog` uses NaN for "not available".
 */
export interface ColumnarTrack {
  mmsi: number;
  segment?: string | number;
  t: ArrayLike<number>;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  sog?: ArrayLike<number>;
}

export type TrackInput = Track | ColumnarTrack;

/** Internal, normalised form. */
export interface NormTrack {
  mmsi: number;
  segment: string | null;
  /** `${mmsi}` or `${mmsi}:${segment}`: the vessel part of pair keys. */
  id: string;
  t: ArrayLike<number>;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  sog: ArrayLike<number> | null;
  n: number;
}

function isColumnar(tr: TrackInput): tr is ColumnarTrack {
  return (tr as ColumnarTrack).t !== undefined;
}

const validPoint = (t: number, lon: number, lat: number) =>
  Number.isFinite(t) && Number.isFinite(lon) && Number.isFinite(lat) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;

/**
 * Normalises and sorts tracks into a canonical order (mmsi, segment, first time, length), so
 * that results never depend on the order the caller passed them in. Points that are not valid
 * positions are skipped; unsorted points are a caller error (RangeError).
 */
export function normaliseTracks(tracks: readonly TrackInput[]): NormTrack[] {
  const out: NormTrack[] = [];
  for (const tr of tracks) {
    if (!Number.isInteger(tr.mmsi)) throw new RangeError(`track mmsi must be an integer, got ${String(tr.mmsi)}`);
    const segment = tr.segment === undefined || tr.segment === null ? null : String(tr.segment);
    const id = segment === null ? String(tr.mmsi) : `${tr.mmsi}:${segment}`;
    let t: ArrayLike<number>, lon: ArrayLike<number>, lat: ArrayLike<number>, sog: ArrayLike<number> | null;
    let n: number;
    if (isColumnar(tr)) {
      n = tr.t.length;
      if (tr.lon.length !== n || tr.lat.length !== n || (tr.sog && tr.sog.length !== n)) {
        throw new RangeError(`track ${id}: columns differ in length`);
      }
      ({ t, lon, lat } = tr);
      sog = tr.sog ?? null;
      for (let i = 0; i < n; i++) {
        if (!validPoint(t[i]!, lon[i]!, lat[i]!)) throw new RangeError(`track ${id}: invalid position at index ${i}`);
        if (i > 0 && t[i]! < t[i - 1]!) throw new RangeError(`track ${id}: points are not sorted by time (index ${i})`);
      }
    } else {
      const pts = tr.points;
      const ft = new Float64Array(pts.length);
      const flon = new Float64Array(pts.length);
      const flat = new Float64Array(pts.length);
      const fsog = new Float64Array(pts.length);
      n = 0;
      for (const p of pts) {
        if (!validPoint(p.t, p.lon, p.lat)) continue;
        ft[n] = p.t;
        flon[n] = p.lon;
        flat[n] = p.lat;
        fsog[n] = p.sog === null || !Number.isFinite(p.sog) ? Number.NaN : p.sog;
        n++;
      }
      t = ft.subarray(0, n);
      lon = flon.subarray(0, n);
      lat = flat.subarray(0, n);
      sog = fsog.subarray(0, n);
      for (let i = 1; i < n; i++) {
        if (t[i]! < t[i - 1]!) throw new RangeError(`track ${id}: points are not sorted by time (index ${i})`);
      }
    }
    if (n > 0) out.push({ mmsi: tr.mmsi, segment, id, t, lon, lat, sog, n });
  }
  out.sort(compareTracks);
  return out;
}

function compareTracks(a: NormTrack, b: NormTrack): number {
  if (a.mmsi !== b.mmsi) return a.mmsi - b.mmsi;
  if (a.segment !== b.segment) {
    if (a.segment === null) return -1;
    if (b.segment === null) return 1;
    return a.segment < b.segment ? -1 : 1;
  }
  if (a.t[0] !== b.t[0]) return a.t[0]! - b.t[0]!;
  return a.n - b.n;
}

/**
 * The part of each track inside [from, to] (inclusive), dropping empty tracks: what a window
 * query over the position store returns. Pure helper for callers and tests.
 */
export function sliceTracks(tracks: readonly Track[], from: number, to: number): Track[] {
  const out: Track[] = [];
  for (const tr of tracks) {
    const pts = tr.points.filter((p) => p.t >= from && p.t <= to);
    if (pts.length > 0) out.push(tr.segment === undefined ? { mmsi: tr.mmsi, points: pts } : { mmsi: tr.mmsi, segment: tr.segment, points: pts });
  }
  return out;
}
