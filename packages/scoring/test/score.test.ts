import { describe, expect, it } from 'vitest';
import {
  nightShare,
  scoreDarkActivity,
  scoreDarkRendezvous,
  scoreGapNearSanctionedArea,
  scoreRendezvous,
  scoreSanctionedPortCall,
  scoreVoyageIrregularity,
  sunElevationDeg,
  WEIGHTS,
  type ScoredVessel,
} from '../src/index.ts';

const vessel = (over: Partial<ScoredVessel> = {}): ScoredVessel => ({ mmsi: 636000001, name: 'A', shipType: 70, listMatches: [], suspects: [], anomalies: [], ...over });
const base = { start: Date.UTC(2025, 5, 21, 10), end: Date.UTC(2025, 5, 21, 13), durationMs: 3 * 3_600_000, closestDistanceM: 400, centroid: { lon: 22.6, lat: 36.6 }, inPort: false };

describe('sun elevation', () => {
  it('is high at noon in summer and below the horizon at midnight (Laconian Gulf, 36.6°N 22.6°E)', () => {
    // Local solar noon ≈ 10:30 UTC; published elevation at the June solstice ≈ 90 − 36.6 + 23.4 = 76.8°.
    expect(sunElevationDeg(22.6, 36.6, Date.UTC(2025, 5, 21, 10, 30))).toBeCloseTo(76.8, 0);
    expect(sunElevationDeg(22.6, 36.6, Date.UTC(2025, 5, 21, 22, 30))).toBeLessThan(-20);
    expect(nightShare(22.6, 36.6, Date.UTC(2025, 5, 21, 21), Date.UTC(2025, 5, 22, 1))).toBe(1);
    expect(nightShare(22.6, 36.6, Date.UTC(2025, 5, 21, 9), Date.UTC(2025, 5, 21, 12))).toBe(0);
  });

  it('knows polar day: the sun never sets at 78°N in June (Svalbard)', () => {
    expect(nightShare(15.6, 78.2, Date.UTC(2025, 5, 21), Date.UTC(2025, 5, 22))).toBe(0);
  });

  it('night share is the share of 10-minute samples with the sun below the horizon, across a new year and a leap day too', () => {
    const bySamples = (lon: number, lat: number, from: number, to: number) => {
      let [night, all] = [0, 0];
      for (let t = from; t <= to; t += 600_000, all++) if (sunElevationDeg(lon, lat, t) < -0.833) night++;
      return night / all;
    };
    const spans: [number, number, number, number][] = [
      [22.6, 36.6, Date.UTC(2023, 11, 31, 6, 0, 7, 250), Date.UTC(2024, 0, 2, 7)], // over New Year, odd seconds and ms
      [-70.1, -33.4, Date.UTC(2024, 1, 28, 12), Date.UTC(2024, 2, 1, 12)], // over 29 February
      [179.9, 65, Date.UTC(2025, 11, 30), Date.UTC(2026, 0, 3)],
    ];
    for (const [lon, lat, from, to] of spans) {
      const share = nightShare(lon, lat, from, to);
      expect(share).toBe(bySamples(lon, lat, from, to));
      expect(share).toBeGreaterThan(0);
      expect(share).toBeLessThan(1);
    }
  });
});

describe('scoreRendezvous', () => {
  it('explains every point: a daytime meeting of two cargo ships scores only duration and tightness', () => {
    const { score, factors } = scoreRendezvous({ ...base, a: vessel(), b: vessel({ mmsi: 636000002, name: 'B' }) });
    expect(factors.map((f) => f.factor)).toEqual(['duration', 'tightness']);
    expect(score).toBe(2 + 3);
  });

  it('raises a listed tanker meeting another tanker at night, naming the list and the rule', () => {
    const night = { ...base, start: Date.UTC(2025, 0, 10, 22), end: Date.UTC(2025, 0, 11, 3), durationMs: 5 * 3_600_000, closestDistanceM: 80 };
    const { score, factors } = scoreRendezvous({
      ...night,
      a: vessel({ shipType: 80, name: 'KAZAN', listMatches: [{ list: 'ofac', rule: 'imo', confidence: 1, entryName: 'KAZAN' }] }),
      b: vessel({ mmsi: 636000002, name: 'B', shipType: 84, anomalies: ['identity_changes'] }),
    });
    expect(factors.find((f) => f.factor === 'watchlist')).toMatchObject({ points: 40, detail: expect.stringMatching(/KAZAN .* on ofac \(matched by imo, confidence 1/) });
    expect(factors.map((f) => f.factor)).toEqual(['watchlist', 'duration', 'tightness', 'tanker_pair', 'night', 'identity_anomaly']);
    expect(score).toBe(40 + 6 + 10 + 10 + 8 + 6);
    expect(score).toBe(factors.reduce((s, f) => s + f.points, 0));
  });

  it('caps list involvement and clamps to 0–100; a port meeting is discounted', () => {
    const listed = { listMatches: [{ list: 'gur', rule: 'imo', confidence: 1, entryName: 'X' }], suspects: [{ suspectId: 1, rule: 'mmsi', reason: 'tip' }] };
    const both = scoreRendezvous({ ...base, a: vessel(listed), b: vessel({ mmsi: 2, ...listed }) });
    expect(both.factors.filter((f) => f.factor === 'watchlist' || f.factor === 'suspect').reduce((s, f) => s + f.points, 0)).toBe(60);
    const port = scoreRendezvous({ ...base, inPort: true, a: vessel(), b: vessel({ mmsi: 2 }) });
    expect(port.score).toBe(0);
    expect(port.factors.at(-1)).toMatchObject({ factor: 'in_port', points: -20 });
  });
});

describe('event context (issue 13)', () => {
  it('a rendezvous inside a hub, next to a gap of one party and with a draught change, names each', () => {
    const plain = scoreRendezvous({ ...base, a: vessel(), b: vessel({ mmsi: 636000002, name: 'B' }) });
    const { score, factors } = scoreRendezvous({
      ...base,
      a: vessel(),
      b: vessel({ mmsi: 636000002, name: 'B' }),
      context: { hub: 'Laconian Gulf', darkNearby: ['B dark 14 h before'], draughtChanges: ['B draught 9.1 → 12.4 m after the meeting'] },
    });
    expect(factors.map((f) => f.factor)).toEqual(['duration', 'tightness', 'hub', 'dark_nearby', 'draught_change']);
    expect(factors.find((f) => f.factor === 'hub')!.detail).toMatch(/Laconian Gulf/);
    expect(score).toBe(plain.score + WEIGHTS.hub + WEIGHTS.darkNearby + WEIGHTS.draughtChange);
  });

  it('nearby dark activity is capped', () => {
    const { factors } = scoreRendezvous({ ...base, a: vessel(), b: vessel({ mmsi: 2 }), context: { darkNearby: ['a', 'b', 'c', 'd'] } });
    expect(factors.find((f) => f.factor === 'dark_nearby')!.points).toBe(WEIGHTS.darkNearbyCap);
  });
});

describe('scoreDarkActivity', () => {
  const gap = { kind: 'ais_gap' as const, start: Date.UTC(2025, 5, 21, 10), end: Date.UTC(2025, 5, 21, 10) + 15 * 3_600_000, minDurationMs: 12 * 3_600_000, centroid: { lon: -40, lat: 30 }, shoreDistanceM: 600_000 };

  it('a gap scores the behaviour, its excess over the minimum and the reception that makes it the vessel’s silence', () => {
    const { score, factors } = scoreDarkActivity({ ...gap, vessel: vessel(), neighboursHeard: 3 });
    expect(factors.map((f) => f.factor).slice(0, 3)).toEqual(['duration', 'duration', 'reception']);
    expect(factors[1]!.points).toBe(3 * WEIGHTS.darkPerHour);
    expect(factors[2]!.detail).toMatch(/3 other vessel/);
    expect(score).toBe(factors.reduce((s, f) => s + f.points, 0));
  });

  it('no reception factor without neighbours; a listed tanker adds the list and the tanker', () => {
    const listed = vessel({ shipType: 84, listMatches: [{ list: 'ofac', rule: 'imo', confidence: 1, entryName: 'X' }] });
    const { factors } = scoreDarkActivity({ ...gap, vessel: listed, neighboursHeard: 0 });
    const kinds = factors.map((f) => f.factor);
    expect(kinds).not.toContain('reception');
    expect(kinds).toEqual(expect.arrayContaining(['watchlist', 'tanker_pair']));
  });
});

describe('scoreDarkRendezvous', () => {
  it('points by confidence, the reasoning in the factor, both parties scored', () => {
    const input = { start: Date.UTC(2025, 5, 21, 10), end: Date.UTC(2025, 5, 21, 16), centroid: { lon: -40, lat: 30 }, reason: 'off 3 nm apart', a: vessel(), b: vessel({ mmsi: 2 }) };
    const high = scoreDarkRendezvous({ ...input, confidence: 'high' });
    const low = scoreDarkRendezvous({ ...input, confidence: 'low' });
    expect(high.factors[0]).toEqual({ factor: 'dark_partner', points: WEIGHTS.darkPartner.high, detail: 'high confidence: off 3 nm apart' });
    expect(high.score - low.score).toBe(WEIGHTS.darkPartner.high - WEIGHTS.darkPartner.low);
  });
});

describe('scoreSanctionedPortCall', () => {
  it('scores the call itself with its reason, and what else is known: a tanker on a list, loaded there', () => {
    const plain = scoreSanctionedPortCall({ start: 0, end: 6 * 3_600_000, centroid: { lon: 125.4, lat: 38.7 }, reason: 'call at NAMPHO (PRK)', vessel: vessel({ shipType: 70 }) });
    expect(plain.factors).toEqual([{ factor: 'sanctioned_port', points: WEIGHTS.sanctionedPort, detail: 'call at NAMPHO (PRK)' }]);
    expect(plain.score).toBe(WEIGHTS.sanctionedPort);
    const worse = scoreSanctionedPortCall({
      start: 0,
      end: 6 * 3_600_000,
      centroid: { lon: 125.4, lat: 38.7 },
      reason: 'call at NAMPHO (PRK)',
      vessel: vessel({ shipType: 80, listMatches: [{ list: 'ofac', rule: 'imo', confidence: 1, entryName: 'A' }] }),
      context: { draughtChanges: ['MMSI 636000001: draught 7.1 → 9.8 m'] },
    });
    expect(worse.factors.map((f) => f.factor)).toEqual(expect.arrayContaining(['sanctioned_port', 'watchlist', 'draught_change']));
    expect(worse.score).toBeGreaterThan(plain.score);
  });
});

describe('scoreGapNearSanctionedArea', () => {
  it('scores the rule with its reason first, and adds night, a tanker and the context', () => {
    // 02:00–08:00 UTC on 1 March off Nampho (125.4°E) is 11:00–17:00 local: daylight, no night points.
    const day = { start: Date.UTC(2025, 2, 1, 2), end: Date.UTC(2025, 2, 1, 8), centroid: { lon: 125.0, lat: 38.5 }, reason: 'dark 6 h near DPRK waters; +3.0 m' };
    const plain = scoreGapNearSanctionedArea({ ...day, vessel: vessel() });
    expect(plain.factors).toEqual([{ factor: 'sanctioned_area', points: WEIGHTS.sanctionedArea, detail: day.reason }]);
    const night = scoreGapNearSanctionedArea({ ...day, start: Date.UTC(2025, 2, 1, 12), end: Date.UTC(2025, 2, 1, 18), vessel: vessel({ shipType: 81 }) });
    expect(night.factors.map((f) => f.factor)).toEqual(['sanctioned_area', 'tanker_pair', 'night']);
    expect(night.score).toBe(WEIGHTS.sanctionedArea + WEIGHTS.oneTanker + WEIGHTS.night);
  });
});

describe('scoreVoyageIrregularity', () => {
  it('gives each kind its points, capped in all, with the rule reason in the detail', () => {
    const one = scoreVoyageIrregularity({ findings: [{ kind: 'hidden_stop', reason: 'A → B: 300 nm in 80 h' }], vessel: vessel() });
    expect(one.factors).toEqual([{ factor: 'voyage_irregularity', points: WEIGHTS.voyageIrregularity.hidden_stop, detail: 'hidden stop: A → B: 300 nm in 80 h' }]);
    const all = scoreVoyageIrregularity({
      findings: [
        { kind: 'destination_mismatch', reason: 'declared CNDLC' },
        { kind: 'hidden_stop', reason: 'x' },
        { kind: 'draught_change_at_sea', reason: 'y' },
      ],
      vessel: vessel(),
    });
    expect(all.factors.map((f) => f.points).reduce((a, b) => a + b, 0)).toBe(WEIGHTS.voyageIrregularityCap);
    expect(all.score).toBe(WEIGHTS.voyageIrregularityCap);
  });
});

describe('sanctions history in a rendezvous score (issue 15 item 4)', () => {
  it('raises a meeting of a vessel with a recent sanctioned call, capped, and says why', () => {
    const a = vessel();
    const b = vessel({ mmsi: 636000002, name: 'B' });
    const without = scoreRendezvous({ ...base, a, b });
    const one = scoreRendezvous({ ...base, a, b, context: { sanctionsHistory: ['MMSI 636000001 called at Nampho (PRK) 12 days before'] } });
    expect(one.score - without.score).toBe(WEIGHTS.sanctionsHistory);
    expect(one.factors.find((f) => f.factor === 'sanctions_history')?.detail).toMatch(/Nampho/);
    const many = scoreRendezvous({ ...base, a, b, context: { sanctionsHistory: ['x', 'y', 'z'] } });
    expect(many.score - without.score).toBe(WEIGHTS.sanctionsHistoryCap);
  });
});
