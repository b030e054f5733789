import { describe, expect, it } from 'vitest';
import { apiParams, filtersFromSearch, filtersToSearch, matches, parseVesselSearch } from '../src/filters.ts';
import type { AlertSummary } from '../src/types.ts';

describe('filters in the URL', () => {
  it('round-trips through the query string with the API parameter names', () => {
    const search = '?from=2025-01-01T00%3A00%3A00Z&bbox=170%2C-20%2C-170%2C-10&watchlist=demo&type=rendezvous%2Cloitering&triage=new&minScore=40&mmsi=626123020&sort=-start';
    const f = filtersFromSearch(search);
    expect(f).toMatchObject({ from: '2025-01-01T00:00:00Z', bbox: '170,-20,-170,-10', watchlist: 'demo', type: 'rendezvous,loitering', triage: 'new', minScore: 40, mmsi: 626123020, sort: '-start' });
    expect(filtersToSearch(f)).toBe(search);
    expect(apiParams(f, { limit: 100 })).toMatchObject({ bbox: '170,-20,-170,-10', minScore: 40, limit: 100 });
  });

  it('drops what the API would refuse instead of sending it, and never carries a token', () => {
    const f = filtersFromSearch('?from=yesterday&minScore=500&watchlist=Bad%20Name&type=%3Cscript%3E&sort=sideways&token=rzv_x&mmsi=12ab');
    expect(f).toEqual({ sort: '-score', from: undefined, to: undefined, type: undefined, status: undefined, triage: undefined, mmsi: undefined, imo: undefined });
    expect(filtersToSearch(f)).toBe('');
  });

  it('reads a vessel search as an MMSI (9 digits) or an IMO (7, with or without "IMO")', () => {
    expect(parseVesselSearch('626123020')).toEqual({ mmsi: 626123020 });
    expect(parseVesselSearch(' imo 9074729 ')).toEqual({ imo: 9074729 });
    expect(parseVesselSearch('9074729')).toEqual({ imo: 9074729 });
    expect(parseVesselSearch('')).toEqual({});
    expect(parseVesselSearch('STAR MERCURY')).toBeNull();
  });

  it('tells whether a live alert belongs in the list, across the antimeridian too', () => {
    const alert = (lon: number, over: Partial<AlertSummary> = {}) =>
      ({
        id: 1,
        type: 'rendezvous',
        status: 'closed',
        triage: { state: 'new', note: null, by: null, at: null },
        start: '2025-01-01T10:00:00Z',
        end: '2025-01-01T13:00:00Z',
        centroid: { lon, lat: -17 },
        score: 50,
        watchlists: ['demo'],
        vesselA: { mmsi: 1, imo: null },
        vesselB: { mmsi: 2, imo: 9074729 },
        ...over,
      }) as AlertSummary;
    const across = filtersFromSearch('?bbox=179,-20,-179,-10');
    expect(matches(across, alert(179.5))).toBe(true);
    expect(matches(across, alert(-179.5))).toBe(true);
    expect(matches(across, alert(0))).toBe(false);
    const f = filtersFromSearch('?minScore=40&watchlist=demo&imo=9074729&triage=new,escalated&to=2025-01-01T11:00:00Z');
    expect(matches(f, alert(10))).toBe(true);
    expect(matches(f, alert(10, { score: 39 }))).toBe(false);
    expect(matches(f, alert(10, { triage: { state: 'dismissed', note: null, by: null, at: null } }))).toBe(false);
    expect(matches(f, alert(10, { start: '2025-01-01T11:00:00Z' }))).toBe(false);
    // Retracted alerts stay out unless the status filter asks for them (as the API's default).
    expect(matches(filtersFromSearch(''), alert(10, { status: 'retracted' }))).toBe(false);
  });
});
