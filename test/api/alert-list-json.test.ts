import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import type { AlertRow } from '@rendezvous/db';
import { toAlertSummary } from '@rendezvous/alerts';
import { alertListSchema } from '../../services/api/src/alerts/alert-schemas.ts';

// GET /v1/alerts sends JSON.stringify of the views (alert-routes.ts): it must give exactly the
// bytes the response schema's serialiser gives, for well-formed rows and for the odd stored JSON
// the views read defensively.
const bySchema = fastJson(alertListSchema as object);

const row = (over: Partial<AlertRow>): AlertRow => ({
  id: 7,
  alert_key: 'rendezvous:111000001:222000001:2025-03-01T00:00:00Z',
  type: 'rendezvous',
  status: 'closed',
  mmsi_a: 111000001,
  mmsi_b: 222000001,
  vessel_a: { imo: 9258002, name: 'KAZAN', callsign: 'UBCD3', shipType: 80, flag: 'RU', listMatches: [{ list: 'ofac', rule: 'imo', confidence: 1, entryName: 'KAZAN' }], suspects: [{ suspectId: 3, rule: 'imo', reason: 'seen dark' }], anomalies: ['name_change'] },
  vessel_b: { name: 'ACME, "BIG" TANKER\u2028\u00e9\ud83d\udea2', listMatches: [], suspects: [], anomalies: [] },
  start_at: new Date(Date.UTC(2025, 2, 1, 0, 0, 0, 123)),
  end_at: new Date(Date.UTC(2025, 2, 1, 3, 0, 0, 0)),
  duration_s: 10800,
  closest_m: 123.45600128173828,
  median_m: 0.1,
  median_sog_a: -0,
  median_sog_b: null,
  lon: 22.500000000000004,
  lat: -36.5,
  in_port: false,
  score: 80.5,
  watchlists: ['ofac', 'eu'],
  profile: 'default',
  detector_version: '1.2.3',
  retraction_reason: null,
  replaced_by: null,
  first_detected_at: new Date(Date.UTC(2025, 2, 1, 1, 0, 0, 999)),
  updated_at: new Date(Date.UTC(2025, 2, 2)),
  triage_state: 'new',
  triage_note: null,
  triaged_by: null,
  triaged_at: null,
  change_seq: '9007199254740993',
  start_us: '1740787200123000',
  ...over,
}) as AlertRow;

const rows: AlertRow[] = [
  row({}),
  row({ id: 8, mmsi_b: null, vessel_b: null, type: 'ais_gap', closest_m: null, median_m: null, score: 1e21, lon: 1e-7 }),
  row({ id: 9, status: 'retracted', retraction_reason: 'no longer supported', replaced_by: 'k2', triage_state: 'dismissed', triage_note: '-3 kn\n"=x"', triaged_by: 'ana', triaged_at: new Date(Date.UTC(2025, 5, 1, 2, 3, 4, 5)) }),
  // Stored JSON the detector never writes: wrong types, fractions where integers go, extra fields.
  row({
    id: 10,
    vessel_a: { imo: 9258002.7, shipType: -80.5, name: 5, flag: null, extra: 'x', listMatches: [{ list: 'a', rule: 'b', confidence: 0.25, entryName: 3 }, { list: 'no rule' }], suspects: [{ suspectId: 4.9, rule: 'mmsi' }, { suspectId: 'x', rule: 'imo' }], anomalies: ['a', 3, null] },
    vessel_b: 'not an object',
  }),
  row({ id: 11, vessel_a: { imo: Infinity, shipType: Number.NaN, listMatches: 'x', suspects: null, anomalies: {} }, vessel_b: [] }),
];

describe('alert list JSON', () => {
  it('JSON.stringify of the views equals the response schema serialisation', () => {
    for (const nextCursor of [null, 'eyJzIjoiLXN0YXJ0In0']) {
      const page = { items: rows.map(toAlertSummary), nextCursor, sync: { updatedSince: '9007199254740993' } };
      expect(JSON.stringify(page)).toBe(bySchema(page));
    }
    const empty = { items: [], nextCursor: null, sync: { updatedSince: '0' } };
    expect(JSON.stringify(empty)).toBe(bySchema(empty));
  });
});
