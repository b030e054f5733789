/** How numbers and times read in the app: UTC everywhere, as AIS and the API are. */

export const utc = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : '—');
export const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

export const metres = (m: number | null | undefined): string => (m === null || m === undefined ? '—' : m >= 10_000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`);
export const knots = (kn: number | null | undefined): string => (kn === null || kn === undefined ? '—' : `${kn.toFixed(1)} kn`);

export const TYPE_LABEL: Record<string, string> = {
  rendezvous: 'Rendezvous',
  ais_gap: 'AIS gap',
  loitering: 'Loitering',
  dark_rendezvous: 'Dark rendezvous',
  port_call_sanctioned: 'Sanctioned port call',
  gap_near_sanctioned_area: 'Gap near sanctioned area',
  voyage_irregularity: 'Voyage irregularity',
};
export const typeLabel = (t: string): string => TYPE_LABEL[t] ?? t;

export function vesselName(v: { name: string | null; mmsi: number } | null): string {
  if (!v) return '—';
  return v.name ? `${v.name} (${v.mmsi})` : String(v.mmsi);
}

/**
 * Score colours, low to high; each keeps ≥ 4.5:1 contrast with the white label text drawn on it
 * (WCAG AA), so the list's score badges stay readable.
 */
export function scoreColour(score: number): string {
  if (score >= 70) return '#b3261e';
  if (score >= 50) return '#b34700';
  if (score >= 30) return '#7a5a00';
  return '#2f6b3a';
}

/** Alert types by shape on the map and by hue in the list. */
export type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'star' | 'pentagon' | 'cross';
export const TYPE_SHAPE: Record<string, Shape> = {
  rendezvous: 'circle',
  dark_rendezvous: 'diamond',
  loitering: 'square',
  ais_gap: 'triangle',
  port_call_sanctioned: 'star',
  gap_near_sanctioned_area: 'pentagon',
  voyage_irregularity: 'cross',
};
