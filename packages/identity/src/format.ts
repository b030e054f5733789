import { formatMmsi } from '@rendezvous/ais';
import type { Fix, FixEvidence } from './types.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Minute precision is what an analyst reads; evidence keeps full ISO times. */
export const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';

export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const mmsiText = (mmsi: number): string => (mmsi >= 0 && mmsi <= 999_999_999 ? formatMmsi(mmsi) : String(mmsi));

export const fixEvidence = (f: Fix): FixEvidence => ({ ts: iso(f.ts), lon: f.lon, lat: f.lat });

export const round = (x: number, digits: number): number => {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
};

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function duration(hours: number): string {
  if (hours < 1 / 60) return `${round(hours * 3600, 1)} s`;
  if (hours < 1) return `${round(hours * 60, 1)} min`;
  return `${round(hours, 1)} h`;
}
