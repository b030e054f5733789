/**
 * Readers of the JSON the detector stored (snapshots, events, factors): each returns the value
 * only when it has the expected type, so a malformed field is left out, never passed on.
 */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const record = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
/**
 * A number read where the API promises an integer (imo, shipType, suspectId): truncated toward
 * zero, as the response schema's serialiser did, so lists can be sent as JSON.stringify output.
 */
export const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
