import { geodesicDistanceM, haversineM, METRES_PER_NM } from '@rendezvous/geodesy';
import { describe, expect, it } from 'vitest';
import { allowedEdits, damerauLevenshtein, matchDestination, normaliseDestination, type DestinationPort } from '../src/destination-match.ts';
import { buildVoyages, DEFAULT_VOYAGE_OPTIONS, usualSpeedKn, voyageIrregularities, type VoyageLeg, type VoyagePortCall } from '../src/voyages.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const NM = METRES_PER_NM;

const port = (id: string, name: string | null, country: string | null, lon: number, lat: number): DestinationPort & { radiusM: number } => ({ id, name, country, lon, lat, radiusM: 5_000 });
const ROTTERDAM = port('nlrtm', 'Rotterdam', 'NLD', 4.05, 51.95);
const EUROPOORT = port('nleur', 'Europoort', 'NLD', 4.13, 51.95); // ~6 km from ROTTERDAM's centre: one port area
const AMSTERDAM = port('nlams', 'Amsterdam', 'NLD', 4.9, 52.38);
const ANTWERP = port('bean', 'Antwerp', 'BEL', 4.4, 51.23);
const SINGAPORE = port('sgsin', 'Singapore', 'SGP', 103.8, 1.26);
const FUJAIRAH = port('aefjr', 'Fujairah', 'ARE', 56.36, 25.17);
const PORT_SAID = port('egpsd', 'Port Said', 'EGY', 32.3, 31.26);
const SUVA = port('fjsuv', 'Suva', 'FJI', 178.43, -18.14);
const APIA = port('wsapw', 'Apia', 'WSM', -171.76, -13.83); // Samoa: across the antimeridian from Suva
const GAZETTEER = [ROTTERDAM, EUROPOORT, AMSTERDAM, ANTWERP, SINGAPORE, FUJAIRAH, PORT_SAID];

const V = 538000001;
let n = 0;
/** A call of vessel V (unless given) at `p` from `arr` h to `dep` h after T0 (null = still in port). */
function call(p: DestinationPort, arr: number, dep: number | null, o: { mmsi?: number; segment?: string | null; dArr?: number | null; dDep?: number | null } = {}): VoyagePortCall {
  return {
    key: `call-${++n}`,
    mmsi: o.mmsi ?? V,
    segment: o.segment ?? null,
    port: p,
    arrival: T0 + arr * HOUR,
    departure: dep === null ? null : T0 + dep * HOUR,
    draughtArrivalM: o.dArr ?? null,
    draughtDepartureM: o.dDep ?? null,
  };
}
const nmBetween = (a: DestinationPort, b: DestinationPort) => geodesicDistanceM(a.lon, a.lat, b.lon, b.lat) / NM;
/** Hours to sail a → b at `kn` over the great circle. */
const hoursAt = (a: DestinationPort, b: DestinationPort, kn: number) => nmBetween(a, b) / kn;

describe('normaliseDestination', () => {
  it('drops AIS padding and blanks, takes the last part of a route', () => {
    expect(normaliseDestination('NLRTM@@@@@@@@@@@@@@@')).toBe('NLRTM');
    expect(normaliseDestination('@@@@@@@@@@@@@@@@@@@@')).toBeNull();
    expect(normaliseDestination('     ')).toBeNull();
    expect(normaliseDestination(null)).toBeNull();
    expect(normaliseDestination('sgsin>cnsha')).toBe('CNSHA');
    expect(normaliseDestination('SGSIN => NL RTM')).toBe('NL RTM');
    expect(normaliseDestination('AEFJR -> ')).toBe('AEFJR');
    expect(normaliseDestination('  FOR   ORDERS ')).toBe('FOR ORDERS');
  });
});

describe('damerauLevenshtein', () => {
  it('counts one transposition as one edit and stops early past the cap', () => {
    expect(damerauLevenshtein('ROTTERDAM', 'ROTTERDAM')).toBe(0);
    expect(damerauLevenshtein('ROTERDAM', 'ROTTERDAM')).toBe(1);
    expect(damerauLevenshtein('ROTTEDRAM', 'ROTTERDAM')).toBe(1); // transposition
    expect(damerauLevenshtein('ROTTERDM', 'ROTTERDAM')).toBe(1);
    expect(damerauLevenshtein('SINGAPORE', 'ROTTERDAM', 2)).toBe(3); // capped: max + 1
    expect(damerauLevenshtein('', 'ABC')).toBe(3);
    expect(allowedEdits(4)).toBe(0);
    expect(allowedEdits(8)).toBe(1);
    expect(allowedEdits(9)).toBe(2);
  });
});

describe('matchDestination', () => {
  const m = (declared: string | null, reached: DestinationPort = ROTTERDAM) => matchDestination(declared, reached, { knownPorts: GAZETTEER });

  it('matches the port reached by name, with typos, abbreviations and extra words', () => {
    for (const d of ['ROTTERDAM', 'rotterdam', 'ROTERDAM', 'ROTTERDAMM', 'ROTTEDRAM', "R'DAM", 'RDAM', 'ROTTERDAM NL', 'ROTTERDAM@@@@@@@@@@@', 'SGSIN>ROTTERDAM']) {
      expect(m(d), d).toMatchObject({ verdict: 'match' });
    }
    expect(m('PORT SAID', PORT_SAID).verdict).toBe('match');
    expect(m('PORTSAID', PORT_SAID).verdict).toBe('match');
    expect(m('FUJAIRAH ANCH', FUJAIRAH).verdict).toBe('match');
    expect(m('SPORE', SINGAPORE).verdict).toBe('match');
    // The 20-character field cuts long names: a cut of 5+ letters is the port (not a LOCODE of Romania).
    expect(m('ROTTE').verdict).toBe('match');
    expect(m('ROTT').verdict).toBe('unknown'); // 4 letters: too short to tell
  });

  it('matches a UN/LOCODE of the reached country, with or without the space, also at the end of a route', () => {
    for (const d of ['NLRTM', 'NL RTM', 'nlrtm', 'SGSIN>NLRTM', 'NLAMS']) expect(m(d), d).toMatchObject({ verdict: 'match' });
    expect(m('NLAMS').reason).toMatch(/location part not checked/);
    expect(m('SGSIN', SINGAPORE).verdict).toBe('match');
  });

  it('free text, blanks, padding and orders are unknown, never a mismatch', () => {
    for (const d of ['FOR ORDERS', 'FOR ORDER', 'ORDERS', 'TBA', 'OPL', 'SEA', 'AT SEA', '', '@@@@@@@@@@@@@@@@@@@@', null, 'ANCH', 'STS']) {
      expect(m(d), String(d)).toMatchObject({ verdict: 'unknown' });
    }
  });

  it('a name that is no known port, or a typo too far for a short name, is unknown, not a mismatch', () => {
    expect(m('ROTTRDMA').verdict).toBe('unknown'); // 2 edits on 8 letters: too far to call it Rotterdam, yet names nothing else
    expect(m('NORTH SEA').verdict).toBe('unknown');
    expect(m('WAITING BERTH').verdict).toBe('unknown');
    // Without a gazetteer a foreign port name cannot be told from free text.
    expect(matchDestination('SINGAPORE', ROTTERDAM).verdict).toBe('unknown');
    // A LOCODE of a country outside the partial table, or a reached port outside it, is unknown.
    expect(m('XXABC').verdict).toBe('unknown');
    expect(m('NLRTM', APIA).verdict).toBe('unknown');
  });

  it('a name of another port of the same area is a match (Europoort for Rotterdam)', () => {
    const r = m('EUROPOORT');
    expect(r.verdict).toBe('match');
    expect(r.reason).toMatch(/Europoort, \d+ km from Rotterdam/);
  });

  it('mismatch: another known port far away, or a LOCODE of another country', () => {
    const far = m('SINGAPORE');
    expect(far.verdict).toBe('mismatch');
    expect(far.reason).toMatch(/Singapore, \d+ km from Rotterdam/);
    expect(m('SINGAPOR').verdict).toBe('mismatch'); // a typo of another port is still that port
    expect(m('AMSTERDAM').verdict).toBe('mismatch'); // same country, but ~70 km away: not the same place
    const locode = m('SG SIN');
    expect(locode).toMatchObject({ verdict: 'mismatch' });
    expect(locode.reason).toMatch(/is in SG; Rotterdam is in NL/);
    expect(m('NLRTM>BEANR').verdict).toBe('mismatch'); // the route ends in Belgium
  });

  it('a name shared by several known ports: the nearest decides', () => {
    const otherRotterdam = port('xx-rtm', 'Rotterdam', 'USA', -73.9, 42.8); // a namesake far away
    const reachedNear = port('nl-botlek', 'Botlek', 'NLD', 4.3, 51.88);
    expect(matchDestination('ROTTERDAM', reachedNear, { knownPorts: [otherRotterdam, ROTTERDAM] }).verdict).toBe('match');
    expect(matchDestination('ROTTERDAM', reachedNear, { knownPorts: [otherRotterdam] }).verdict).toBe('mismatch');
  });
});

describe('buildVoyages', () => {
  it('legs between consecutive calls with distance, duration, speed and draught change', () => {
    const h = hoursAt(ROTTERDAM, SINGAPORE, 12);
    const calls = [call(SINGAPORE, 48 + h, 72 + h, { dArr: 20.5, dDep: 12.1 }), call(ROTTERDAM, 0, 48, { dArr: 9, dDep: 20.4 })];
    const [v, ...rest] = buildVoyages(calls);
    expect(rest).toEqual([]);
    expect(v!.calls.map((c) => c.port.id)).toEqual(['nlrtm', 'sgsin']); // sorted by arrival
    expect(v!.ongoing).toBe(false);
    const [leg] = v!.legs;
    expect(leg!.distanceM).toBeCloseTo(geodesicDistanceM(ROTTERDAM.lon, ROTTERDAM.lat, SINGAPORE.lon, SINGAPORE.lat), 3);
    expect(leg!.durationMs).toBeCloseTo(h * HOUR, 0);
    expect(leg!.impliedSpeedKn).toBeCloseTo(12, 6);
    expect(leg).toMatchObject({ draughtDepartureM: 20.4, draughtArrivalM: 20.5, draughtChangeM: 0.1, index: 0 });
  });

  it('one voyage per vessel and segment; zero (unknown) draught gives no change', () => {
    const calls = [
      call(ROTTERDAM, 0, 10, { segment: 'a', dDep: 0 }),
      call(ANTWERP, 30, 40, { segment: 'a', dArr: 8 }),
      call(ROTTERDAM, 0, 10, { segment: 'b' }),
      call(FUJAIRAH, 0, 5, { mmsi: 100 }),
    ];
    const vs = buildVoyages(calls);
    expect(vs.map((v) => [v.mmsi, v.segment, v.legs.length])).toEqual([
      [100, null, 0],
      [V, 'a', 1],
      [V, 'b', 0],
    ]);
    expect(vs[1]!.legs[0]!.draughtChangeM).toBeNull();
  });

  it('an ongoing last call ends the chain', () => {
    const [v] = buildVoyages([call(ROTTERDAM, 0, 10), call(ANTWERP, 30, null)]);
    expect(v!.ongoing).toBe(true);
    expect(v!.legs).toHaveLength(1);
    expect(v!.legs[0]!.to.port.id).toBe('bean');
  });

  it('overlapping calls of one vessel, a call after an ongoing one, or a bad time span: RangeError', () => {
    expect(() => buildVoyages([call(ROTTERDAM, 0, 20), call(ANTWERP, 10, 30)])).toThrow(RangeError);
    expect(() => buildVoyages([call(ROTTERDAM, 0, null), call(ANTWERP, 10, 30)])).toThrow(/ongoing/);
    expect(() => buildVoyages([call(ROTTERDAM, 10, 5)])).toThrow(RangeError);
    expect(() => buildVoyages([{ ...call(ROTTERDAM, 0, 5), arrival: Number.NaN }])).toThrow(RangeError);
    // Other vessels may be in port at the same time, and back-to-back calls touch without overlapping.
    expect(() => buildVoyages([call(ROTTERDAM, 0, 20), call(ANTWERP, 10, 30, { mmsi: 2 }), call(ANTWERP, 20, 30)])).not.toThrow();
  });

  it('an antimeridian leg is measured the short way across ±180°', () => {
    const [v] = buildVoyages([call(SUVA, 0, 10), call(APIA, 10 + 60, 80)]);
    const leg = v!.legs[0]!;
    expect(leg.distanceM).toBeCloseTo(haversineM(SUVA.lon, SUVA.lat, APIA.lon, APIA.lat), -4); // within ~10 km of the sphere
    expect(leg.distanceM / NM).toBeLessThan(700); // not ~20,000 km the long way round
    expect(leg.impliedSpeedKn!).toBeGreaterThan(8);
    expect(leg.impliedSpeedKn!).toBeLessThan(12);
  });
});

/** Vessel V: Rotterdam → Antwerp → Fujairah → Singapore with leg speeds `kn` (null = a 0 h leg). */
function chain(kns: readonly number[], ports: readonly DestinationPort[] = [ROTTERDAM, ANTWERP, FUJAIRAH, SINGAPORE], draughts: readonly (readonly [number, number])[] = []): { legs: VoyageLeg[]; calls: VoyagePortCall[] } {
  const calls: VoyagePortCall[] = [];
  let t = 0;
  for (let i = 0; i < ports.length; i++) {
    if (i > 0) t += hoursAt(ports[i - 1]!, ports[i]!, kns[i - 1]!);
    const d = draughts[i];
    calls.push(call(ports[i]!, t, t + 24, { dArr: d?.[0] ?? null, dDep: d?.[1] ?? null }));
    t += 24;
  }
  return { legs: buildVoyages(calls)[0]!.legs, calls };
}

describe('usualSpeedKn', () => {
  it('the median of regular legs, hidden stops left out', () => {
    // Three legs at 12–13 kn and one at 3.5 kn (a ~2 week stop on the way): the slow leg is dropped.
    const { legs } = chain([12, 13, 12.5, 3.5], [ROTTERDAM, PORT_SAID, FUJAIRAH, SINGAPORE, ROTTERDAM]);
    expect(usualSpeedKn(legs)).toBeCloseTo(12.5, 6);
  });

  it('too few legs: clamped to floor–ceiling; none: the floor', () => {
    expect(usualSpeedKn(chain([20], [FUJAIRAH, SINGAPORE]).legs)).toBe(DEFAULT_VOYAGE_OPTIONS.usualSpeedCeilingKn);
    expect(usualSpeedKn(chain([5], [FUJAIRAH, SINGAPORE]).legs)).toBe(DEFAULT_VOYAGE_OPTIONS.usualSpeedFloorKn);
    expect(usualSpeedKn(chain([11], [FUJAIRAH, SINGAPORE]).legs)).toBeCloseTo(11, 6);
    expect(usualSpeedKn([])).toBe(DEFAULT_VOYAGE_OPTIONS.usualSpeedFloorKn);
  });
});

describe('voyageIrregularities', () => {
  const kinds = (fs: { kind: string; legIndex: number }[]) => fs.map((f) => `${f.legIndex}:${f.kind}`);

  it('hidden_stop: a leg that took far longer than its distance at the usual speed', () => {
    // Fujairah → Singapore (~3,300 nm) at the usual 12 kn is ~11.5 days; it took 3.5 kn (~39 days).
    const [v] = buildVoyages(chain([12, 3.5], [ANTWERP, FUJAIRAH, SINGAPORE]).calls);
    const fs = voyageIrregularities(v!, { usualSpeedKn: 12 });
    expect(kinds(fs)).toEqual(['1:hidden_stop']);
    const f = fs[0]!;
    expect(f.values.excessH as number).toBeGreaterThan(24);
    expect(f.values.durationH as number).toBeGreaterThan(2.5 * (f.values.expectedH as number));
    expect(f.reason).toMatch(/Fujairah → Singapore: \d+ nm in [\d.]+ h, [\d.]+ h expected at the usual 12\.0 kn/);
    expect(f).toMatchObject({ type: 'voyage_irregularity', mmsi: V, fromPortId: 'aefjr', toPortId: 'sgsin' });
  });

  it('not a hidden stop: slow steaming, and a short leg only hours late', () => {
    // 6 kn against a usual 13 kn: 2.2× as long, under the 2.5× factor.
    const slow = buildVoyages(chain([6], [FUJAIRAH, SINGAPORE]).calls)[0]!;
    expect(voyageIrregularities(slow, { usualSpeedKn: 13 })).toEqual([]);
    // Rotterdam → Antwerp (~45 nm): 4 h expected, it took 20 h — 5× but only 16 h over: not ≥ 24 h.
    const c = [call(ROTTERDAM, 0, 10), call(ANTWERP, 30, 40)];
    expect(voyageIrregularities(buildVoyages(c)[0]!, { usualSpeedKn: 12 })).toEqual([]);
    // The same leg over 40 h is 36 h unexplained.
    const c2 = [call(ROTTERDAM, 0, 10), call(ANTWERP, 50, 60)];
    expect(kinds(voyageIrregularities(buildVoyages(c2)[0]!, { usualSpeedKn: 12 }))).toEqual(['0:hidden_stop']);
    // Thresholds come from the options.
    expect(voyageIrregularities(slow, { usualSpeedKn: 13, options: { hiddenStopFactor: 2 } }).map((f) => f.kind)).toEqual(['hidden_stop']);
  });

  it('hidden_stop: out of a port and back after days (zero distance)', () => {
    const [v] = buildVoyages([call(FUJAIRAH, 0, 10), call(FUJAIRAH, 10 + 72, 100)]);
    const fs = voyageIrregularities(v!, { usualSpeedKn: 12 });
    expect(kinds(fs)).toEqual(['0:hidden_stop']);
    expect(fs[0]!.values).toMatchObject({ distanceNm: 0, expectedH: 0, excessH: 72 });
  });

  it('draught_change_at_sea: by size class; a small change or an unknown draught is not', () => {
    // Left Fujairah at 12.0 m, arrived Singapore at 14.5 m: +2.5 m with no call in between.
    const calls = [call(FUJAIRAH, 0, 24, { dDep: 12 }), call(SINGAPORE, 24 + hoursAt(FUJAIRAH, SINGAPORE, 12), 300, { dArr: 14.5 })];
    const [v] = buildVoyages(calls);
    const small = voyageIrregularities(v!, { usualSpeedKn: 12, lengthM: 183 });
    expect(kinds(small)).toEqual(['0:draught_change_at_sea']);
    expect(small[0]!.values).toMatchObject({ deltaM: 2.5, thresholdM: 1, sizeClass: 'small' });
    expect(small[0]!.reason).toMatch(/\+2\.5 m ≥ 1 m for a small tanker\): cargo loaded at sea/);
    expect(kinds(voyageIrregularities(v!, { usualSpeedKn: 12, lengthM: 280 }))).toEqual(['0:draught_change_at_sea']); // Suezmax: 2 m
    expect(voyageIrregularities(v!, { usualSpeedKn: 12, lengthM: 333 })).toEqual([]); // VLCC: 3 m
    // Discharged: 14.5 → 13.4 m is −1.1 m.
    const d = buildVoyages([call(FUJAIRAH, 0, 24, { dDep: 14.5 }), call(SINGAPORE, 24 + hoursAt(FUJAIRAH, SINGAPORE, 12), 300, { dArr: 13.4 })])[0]!;
    expect(voyageIrregularities(d, { usualSpeedKn: 12 })[0]!.reason).toMatch(/-1\.1 m ≥ 1 m.*discharged at sea/);
    // 0.9 m (under 1 m), and a draught not available (0) on arrival.
    const under = buildVoyages([call(FUJAIRAH, 0, 24, { dDep: 12 }), call(SINGAPORE, 24 + hoursAt(FUJAIRAH, SINGAPORE, 12), 300, { dArr: 12.9 })])[0]!;
    expect(voyageIrregularities(under, { usualSpeedKn: 12 })).toEqual([]);
    const na = buildVoyages([call(FUJAIRAH, 0, 24, { dDep: 12 }), call(SINGAPORE, 24 + hoursAt(FUJAIRAH, SINGAPORE, 12), 300, { dArr: 0 })])[0]!;
    expect(voyageIrregularities(na, { usualSpeedKn: 12 })).toEqual([]);
  });

  it('destination_mismatch: the destination in force at arrival against the port reached', () => {
    const { calls } = chain([12, 12], [ROTTERDAM, ANTWERP, SINGAPORE]);
    const [v] = buildVoyages(calls);
    const arriveAntwerp = calls[1]!.arrival;
    const input = {
      usualSpeedKn: 12,
      destinationMatch: { knownPorts: GAZETTEER },
      destinations: [
        { t: T0 + HOUR, destination: 'BEANR' }, // leg 0: set in Rotterdam, Antwerp reached: a match
        { t: arriveAntwerp + HOUR, destination: 'FUJAIRAH' }, // leg 1: declared Fujairah, reached Singapore
      ],
    };
    const fs = voyageIrregularities(v!, input);
    expect(kinds(fs)).toEqual(['1:destination_mismatch']);
    expect(fs[0]!.values).toMatchObject({ declared: 'FUJAIRAH', normalised: 'FUJAIRAH', reached: 'Singapore' });
    expect(fs[0]!.reason).toMatch(/declared destination "FUJAIRAH" .* but reached Singapore/);
    // Declared after arrival does not count for that leg: the Fujairah entry came after Antwerp.
    expect(fs.some((f) => f.legIndex === 0)).toBe(false);
  });

  it('a stale destination is not compared: declared before the previous arrival, or naming the port left', () => {
    const { calls } = chain([12, 12], [ROTTERDAM, ANTWERP, SINGAPORE]);
    const [v] = buildVoyages(calls);
    const base = { usualSpeedKn: 12, destinationMatch: { knownPorts: GAZETTEER } };
    // "ANTWERP" set in Rotterdam and never updated: leg 1 (Antwerp → Singapore) says nothing.
    expect(voyageIrregularities(v!, { ...base, destinations: [{ t: T0, destination: 'ANTWERP' }] })).toEqual([]);
    // Updated in Antwerp to its own name ("BEANR"), never to the next port: still nothing.
    expect(voyageIrregularities(v!, { ...base, destinations: [{ t: calls[1]!.arrival + HOUR, destination: 'BE ANR' }] })).toEqual([]);
    // With the freshness rule off, the carried-over "FUJAIRAH" counts for both legs.
    const carried = voyageIrregularities(v!, { ...base, destinations: [{ t: T0, destination: 'FUJAIRAH' }], options: { destinationSincePreviousArrival: false } });
    expect(kinds(carried)).toEqual(['0:destination_mismatch', '1:destination_mismatch']);
    // With it on (the default), only leg 0 (declared on arrival in Rotterdam, the leg's departure port) counts.
    expect(kinds(voyageIrregularities(v!, { ...base, destinations: [{ t: T0, destination: 'FUJAIRAH' }] }))).toEqual(['0:destination_mismatch']);
  });

  it('no destination_mismatch for typos, LOCODEs, free text or no declaration', () => {
    const { calls } = chain([12], [FUJAIRAH, SINGAPORE]);
    const [v] = buildVoyages(calls);
    for (const destination of ['SINGAPOR', 'SINGAPORE', 'SG SIN', 'SGSIN', 'AEFJR>SGSIN', 'FOR ORDERS', 'ORDERS', 'TBA', 'OPL', '@@@@@@@@@@@@@@@@@@@@', null, 'SPORE']) {
      const fs = voyageIrregularities(v!, { usualSpeedKn: 12, destinationMatch: { knownPorts: GAZETTEER }, destinations: [{ t: T0, destination }] });
      expect(fs, String(destination)).toEqual([]);
    }
    expect(voyageIrregularities(v!, { usualSpeedKn: 12 })).toEqual([]);
  });

  it('a bad usual speed is a RangeError', () => {
    const [v] = buildVoyages(chain([12], [FUJAIRAH, SINGAPORE]).calls);
    expect(() => voyageIrregularities(v!, { usualSpeedKn: 0 })).toThrow(RangeError);
    expect(() => voyageIrregularities(v!, { usualSpeedKn: Number.NaN })).toThrow(RangeError);
  });
});
