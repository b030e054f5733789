import { describe, expect, it } from 'vitest';
import { anomaliesFromFacts, watchlistPairingAnomalies, type VesselIdentityFacts, type WatchlistPairing } from '../src/index.ts';
import { DAY, HOUR, MIN, sail, T0 } from './tracks.ts';

const entry: WatchlistPairing = { list: 'gur', entryId: 7, entryKey: '1575', name: 'ZHUO YUAN', imo: 9408683, mmsi: 352005626, mmsiLegacy: [636019000] };
const at = (ms: number) => new Date(ms).toISOString();

describe('watchlist_pairing_mismatch', () => {
  it('the listed MMSI reporting another IMO: high, naming the list, the entry and both pairings', () => {
    const [a, ...rest] = watchlistPairingAnomalies(352005626, [{ imo: 9074729, firstSeen: T0 }], [entry]);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'watchlist_pairing_mismatch', severity: 'high', detectedFrom: at(T0), detectedTo: null });
    expect(a!.evidence).toEqual({
      list: 'gur',
      entryId: 7,
      entryKey: '1575',
      entryName: 'ZHUO YUAN',
      mismatch: 'imo',
      listed: { imo: 9408683, mmsi: 352005626, mmsiLegacy: [636019000] },
      observed: { imo: 9074729, mmsi: 352005626, firstSeen: at(T0) },
    });
    expect(a!.explanation).toBe('watchlist "gur" entry 1575 (ZHUO YUAN) pairs IMO 9408683 with MMSI 352005626, but MMSI 352005626 reports IMO 9074729 (since 2024-03-01 00:00Z)');
  });

  it('the listed IMO under an unlisted MMSI: medium; under the listed or a former MMSI: nothing', () => {
    const [a] = watchlistPairingAnomalies(273000009, [{ imo: 9408683, firstSeen: T0 }], [entry]);
    expect(a).toMatchObject({ severity: 'medium', evidence: { mismatch: 'mmsi', observed: { imo: 9408683, mmsi: 273000009 } } });
    expect(a!.explanation).toContain('which is neither the listed MMSI nor one of its former MMSIs (636019000)');
    expect(watchlistPairingAnomalies(352005626, [{ imo: 9408683, firstSeen: T0 }], [entry])).toEqual([]);
    expect(watchlistPairingAnomalies(636019000, [{ imo: 9408683, firstSeen: T0 }], [entry])).toEqual([]);
    expect(watchlistPairingAnomalies(273000009, [{ imo: 9408683, firstSeen: T0 }], [{ ...entry, mmsi: null }])).toEqual([]);
  });
});

describe('anomaliesFromFacts', () => {
  const clean: VesselIdentityFacts = {
    mmsi: 273000001,
    vessel: { imo: 9074729, flag: 'RU', firstSeen: T0, lastSeen: T0 + HOUR },
    history: [
      { field: 'imo', value: '9074729', firstSeen: T0 },
      { field: 'name', value: 'CLEAN', firstSeen: T0 },
      { field: 'flag', value: 'RU', firstSeen: T0 },
    ],
    imoClaims: [{ imo: 9074729, mmsi: 273000001, firstSeen: T0, lastSeen: T0 + HOUR, flag: 'RU' }],
    track: sail({ lon: 37.8, lat: 44.6, course: 200, kn: 11, n: 60, stepMs: MIN }),
    watchlist: [],
  };

  it('a clean vessel has none', () => {
    expect(anomaliesFromFacts(clean)).toEqual([]);
  });

  it('gathers every rule and sorts by kind, then time; options pass through', () => {
    const facts: VesselIdentityFacts = {
      ...clean,
      mmsi: 200000001,
      vessel: { ...clean.vessel!, imo: 9074728 },
      history: [...clean.history, { field: 'imo', value: '9074728', firstSeen: T0 + DAY }, { field: 'name', value: 'B', firstSeen: T0 + 2 * DAY }, { field: 'name', value: 'C', firstSeen: T0 + 3 * DAY }],
      imoClaims: [],
      watchlist: [{ ...entry, mmsi: 200000001 }],
    };
    const kinds = anomaliesFromFacts(facts).map((a) => `${a.kind}:${'imo' in a.evidence ? a.evidence.imo : ''}`);
    expect(kinds).toEqual([
      'invalid_mmsi:',
      'imo_check_digit:9074728',
      'mmsi_multiple_imo:',
      'identity_changes:null',
      'watchlist_pairing_mismatch:',
      'watchlist_pairing_mismatch:',
    ]);
    expect(anomaliesFromFacts(facts, { minChanges: 3 }).some((a) => a.kind === 'identity_changes')).toBe(false);
  });
});
