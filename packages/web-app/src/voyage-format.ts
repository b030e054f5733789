/** How port calls and voyages read on the vessel page (pure: unit-tested in test/voyage-format.test.ts). */
import type { AlertSummary, PortCall, PortRef } from './types.ts';

/**
 * Countries whose ports are sanctioned when no list is given: the SANCTIONED_COUNTRIES default
 * (packages/config: PRK). The page passes the API's own setting (GET /v1/session
 * `sanctionedCountries`). A call the detector itself found sanctioned is known by its alert
 * instead (sanctionedAlertKey), whatever the setting.
 */
export const DEFAULT_SANCTIONED_COUNTRIES: readonly string[] = ['PRK'];

/**
 * The key of the `port_call_sanctioned` alert raised for a call: the detector keys it
 * `port_call_sanctioned:` + the call's key without its `port_call:` prefix
 * (services/detector/src/stages/sanctioned-port-writes.ts).
 */
export const sanctionedAlertKey = (callKey: string): string => `port_call_sanctioned:${callKey.replace(/^port_call:/, '')}`;

/**
 * The key of the `voyage_irregularity` alert raised for a leg: its two calls' keys without their
 * `port_call:` prefix, joined by ">" (services/detector/src/stages/sanctions-writes.ts).
 */
export const voyageAlertKey = (fromCallKey: string, toCallKey: string): string =>
  `voyage_irregularity:${fromCallKey.replace(/^port_call:/, '')}>${toCallKey.replace(/^port_call:/, '')}`;

export interface CallSanction {
  sanctioned: boolean;
  /** Why, in words (shown next to the call: never colour alone). */
  text: string | null;
  /** The call's port_call_sanctioned alert, when the detector raised one. */
  alertId: number | null;
}

/** Is this call at a sanctioned port? By its alert first (the detector's own finding), else by its country. */
export function callSanction(call: PortCall, alerts: readonly Pick<AlertSummary, 'id' | 'key' | 'type'>[], countries: readonly string[] = DEFAULT_SANCTIONED_COUNTRIES): CallSanction {
  const key = sanctionedAlertKey(call.key);
  const alert = alerts.find((a) => a.type === 'port_call_sanctioned' && a.key === key);
  const country = call.port.country?.toUpperCase() ?? null;
  const listed = country !== null && countries.includes(country);
  if (alert) return { sanctioned: true, text: `Sanctioned port call (alert #${alert.id})`, alertId: alert.id };
  if (listed) return { sanctioned: true, text: `Sanctioned country (${country})`, alertId: null };
  return { sanctioned: false, text: null, alertId: null };
}

/** "Nampho, PRK"; the port's id when the list gives no name. */
export function portLabel(port: Pick<PortRef, 'id' | 'name' | 'country'>): string {
  const name = port.name?.trim() || port.id;
  return port.country ? `${name}, ${port.country}` : name;
}

/** Durations of calls and legs, which run to days: "3 d 4 h", "5 h 20 min", "40 min". */
export function span(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const minutes = Math.round(Math.max(0, seconds) / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} d ${h} h`;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

const draught = (m: number | null | undefined): string => (m === null || m === undefined ? '—' : m.toFixed(1));

/** Draught on arrival → on departure (type 5, metres). */
export function draughtPair(first: number | null | undefined, second: number | null | undefined): string {
  if ((first === null || first === undefined) && (second === null || second === undefined)) return '—';
  return `${draught(first)} → ${draught(second)} m`;
}

/** A draught change with its sign: "+6.0 m" deeper (loaded), "−1.5 m" lighter. */
export function signedMetres(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—';
  const r = Math.round(m * 10) / 10;
  if (r === 0) return '0.0 m';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)} m`;
}

/** Nautical miles: one decimal under 100 nm, whole above. */
export function nauticalMiles(nm: number | null | undefined): string {
  if (nm === null || nm === undefined || !Number.isFinite(nm)) return '—';
  return nm < 100 ? `${nm.toFixed(1)} nm` : `${Math.round(nm).toLocaleString('en-GB')} nm`;
}

export const IRREGULARITY_LABEL: Record<string, string> = {
  destination_mismatch: 'Destination mismatch',
  hidden_stop: 'Hidden stop',
  draught_change_at_sea: 'Draught change at sea',
};

/** A kind the app does not know yet still reads as words. */
export function irregularityLabel(kind: string): string {
  return IRREGULARITY_LABEL[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** "1 of 3 legs flagged: hidden stop, draught change at sea" — the table's summary line. */
export function legsSummary(legs: readonly { irregularities: readonly { kind: string }[] }[]): string {
  if (legs.length === 0) return 'No legs yet: one call only.';
  const flagged = legs.filter((l) => l.irregularities.length > 0);
  const plural = legs.length === 1 ? 'leg' : 'legs';
  if (flagged.length === 0) return `${legs.length} ${plural}, none flagged.`;
  const kinds = [...new Set(flagged.flatMap((l) => l.irregularities.map((i) => irregularityLabel(i.kind).toLowerCase())))];
  return `${flagged.length} of ${legs.length} ${plural} flagged: ${kinds.join(', ')}.`;
}
