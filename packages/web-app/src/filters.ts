/**
 * The list/map filters and their place in the URL: the query string holds exactly the API's
 * parameter names, so a shared link reopens the same view (and the token is never part of it).
 */
export interface Filters {
  from?: string;
  to?: string;
  /** west,south,east,north; west > east crosses the antimeridian (as the API reads it). */
  bbox?: string;
  watchlist?: string;
  /** Comma-separated lists, as the API takes them. */
  type?: string;
  status?: string;
  triage?: string;
  minScore?: number;
  mmsi?: number;
  imo?: number;
  sort: Sort;
}

export const SORTS = ['-score', '-start', 'start', 'score'] as const;
export type Sort = (typeof SORTS)[number];
const KEYS = ['from', 'to', 'bbox', 'watchlist', 'type', 'status', 'triage', 'minScore', 'mmsi', 'imo', 'sort'] as const;

/** Reads filters from a query string; values the API would refuse are dropped, not sent. */
export function filtersFromSearch(search: string): Filters {
  const q = new URLSearchParams(search);
  const f: Filters = { sort: '-score' };
  const iso = (v: string | null) => (v && !Number.isNaN(Date.parse(v)) ? v : undefined);
  const list = (v: string | null) => (v && /^[a-z_]+(,[a-z_]+)*$/.test(v) ? v : undefined);
  const int = (v: string | null) => (v && /^\d{1,10}$/.test(v) ? Number(v) : undefined);
  f.from = iso(q.get('from'));
  f.to = iso(q.get('to'));
  const bbox = q.get('bbox');
  if (bbox && /^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/.test(bbox)) f.bbox = bbox;
  const watchlist = q.get('watchlist');
  if (watchlist && /^[a-z0-9][a-z0-9._-]{0,63}$/.test(watchlist)) f.watchlist = watchlist;
  f.type = list(q.get('type'));
  f.status = list(q.get('status'));
  f.triage = list(q.get('triage'));
  const minScore = Number(q.get('minScore'));
  if (q.get('minScore') && minScore >= 0 && minScore <= 100) f.minScore = minScore;
  f.mmsi = int(q.get('mmsi'));
  f.imo = int(q.get('imo'));
  const sort = q.get('sort');
  if (sort && (SORTS as readonly string[]).includes(sort)) f.sort = sort as Sort;
  return f;
}

export function filtersToSearch(f: Filters): string {
  const q = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k];
    if (v === undefined || v === '' || (k === 'sort' && v === '-score')) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The API parameters of these filters (what the list, the map and the clusters ask with). */
export function apiParams(f: Filters, extra: Record<string, string | number | undefined> = {}): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (const k of KEYS) if (f[k] !== undefined && f[k] !== '') out[k] = f[k];
  return { ...out, ...extra };
}

/** A stable key of what the filters select (the map and list reload only when it changes). */
export const filterKey = (f: Filters): string => filtersToSearch({ ...f, sort: '-score' });

/** "626123020" → MMSI, "IMO 9123456" or "9123456" → IMO; anything else → null. */
export function parseVesselSearch(text: string): { mmsi?: number; imo?: number } | null {
  const t = text.trim().toUpperCase().replace(/\s+/g, ' ');
  if (t === '') return {};
  let m = /^(?:IMO ?)(\d{7})$/.exec(t) ?? /^(\d{7})$/.exec(t);
  if (m) return { imo: Number(m[1]) };
  m = /^(?:MMSI ?)?(\d{9})$/.exec(t);
  if (m) return { mmsi: Number(m[1]) };
  return null;
}

/** Does an alert (from the live stream) belong in the list these filters show? */
export function matches(f: Filters, a: import('./types.ts').AlertSummary): boolean {
  const inList = (list: string | undefined, v: string, dflt?: string) => {
    const l = list ?? dflt;
    return !l || l.split(',').includes(v);
  };
  if (!inList(f.type, a.type) || !inList(f.status, a.status, 'ongoing,closed') || !inList(f.triage, a.triage.state)) return false;
  if (f.minScore !== undefined && a.score < f.minScore) return false;
  if (f.watchlist && !a.watchlists.includes(f.watchlist)) return false;
  if (f.mmsi !== undefined && a.vesselA.mmsi !== f.mmsi && a.vesselB?.mmsi !== f.mmsi) return false;
  if (f.imo !== undefined && a.vesselA.imo !== f.imo && a.vesselB?.imo !== f.imo) return false;
  if (f.from && Date.parse(a.end) < Date.parse(f.from)) return false;
  if (f.to && Date.parse(a.start) >= Date.parse(f.to)) return false;
  if (f.bbox) {
    const [w, s, e, n] = f.bbox.split(',').map(Number) as [number, number, number, number];
    const { lon, lat } = a.centroid;
    if (lat < s || lat > n) return false;
    if (w <= e ? lon < w || lon > e : lon < w && lon > e) return false;
  }
  return true;
}
