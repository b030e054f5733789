import { forgetToken, storedToken } from './session.ts';
import type { AlertDetail, AlertPage, ClusterResponse, Session, TrackFeature, TriageState, VesselIdentity, VesselPortCalls, VesselVoyages, Watchlist } from './types.ts';

/** A problem+json answer (or a failed request) with what the API said. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Called when the API refuses the token (revoked, expired): the app goes back to sign-in. */
let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (handler: () => void): void => {
  onUnauthorized = handler;
};

/** Same-origin request with the bearer token in the Authorization header, never in the URL. */
export async function request(path: string, init: RequestInit = {}, token: string | null = storedToken()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (response.ok) return response;
  let detail = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { detail?: string };
    if (body.detail) detail = body.detail;
  } catch {
    // not problem+json: keep the status line
  }
  if (response.status === 401 && token === storedToken()) {
    forgetToken();
    onUnauthorized();
  }
  throw new ApiError(response.status, detail);
}

const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await request(path, init)).json() as Promise<T>;

/** Drops empty values so the query string holds only what is set. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  /** Checks a token before keeping it: 401 means refused. */
  session: (token: string) => request('/v1/session', {}, token).then((r) => r.json() as Promise<Session>),
  alerts: (params: Record<string, string | number | undefined>, signal?: AbortSignal) => json<AlertPage>(`/v1/alerts${query(params)}`, { signal }),
  vesselAlerts: (mmsi: number, params: Record<string, string | number | undefined>) => json<AlertPage>(`/v1/vessels/${mmsi}/alerts${query(params)}`),
  clusters: (params: Record<string, string | number | undefined>, signal?: AbortSignal) => json<ClusterResponse>(`/v1/alerts/clusters${query(params)}`, { signal }),
  alertsGeoJson: (params: Record<string, string | number | undefined>, signal?: AbortSignal) =>
    json<{ type: 'FeatureCollection'; features: unknown[] }>(`/v1/alerts${query(params)}`, { signal, headers: { accept: 'application/geo+json' } }),
  alert: (id: number) => json<AlertDetail>(`/v1/alerts/${id}`),
  triage: (id: number, state: TriageState, note: string) =>
    json<AlertDetail>(`/v1/alerts/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(note ? { state, note } : { state }) }),
  watchlists: () => json<Watchlist[]>('/v1/watchlists'),
  layer: (name: 'sts-hubs' | 'ports') => json<{ type: 'FeatureCollection'; features: unknown[] }>(`/v1/layers/${name}`),
  vessel: (mmsi: number) => json<VesselIdentity>(`/v1/vessels/${mmsi}`),
  vesselHistory: (mmsi: number) => json<{ field: string; value: string; firstSeen: string }[]>(`/v1/vessels/${mmsi}/history`),
  vesselMatches: (mmsi: number) =>
    json<{ matches: { kind: string; rule: string; list?: string; entryName?: string | null; reason?: string; program?: string | null; confidence: number }[] }>(`/v1/vessels/${mmsi}/matches`),
  vesselAnomalies: (mmsi: number) => json<{ anomalies: { kind: string; severity: string; explanation: string; detectedFrom: string }[] }>(`/v1/vessels/${mmsi}/anomalies`),
  vesselTrack: (mmsi: number, from: string, to: string, simplify: number) => json<TrackFeature>(`/v1/vessels/${mmsi}/track${query({ from, to, simplify })}`),
  vesselPortCalls: (mmsi: number) => json<VesselPortCalls>(`/v1/vessels/${mmsi}/port-calls`),
  vesselVoyages: (mmsi: number) => json<VesselVoyages>(`/v1/vessels/${mmsi}/voyages`),
};

/** Downloads an authenticated file: fetched with the header, handed to the browser as a blob URL. */
export async function download(path: string, fileName: string, accept?: string): Promise<void> {
  const response = await request(path, accept ? { headers: { accept } } : {});
  const url = URL.createObjectURL(await response.blob());
  // The server's name for the file when it gives one (Content-Disposition), else ours.
  const named = /filename="([^"/\\]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const a = document.createElement('a');
  a.href = url;
  a.download = named ?? fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
