import { nightShare } from './sun.ts';

export interface ScoreFactor {
  factor: 'watchlist' | 'suspect' | 'duration' | 'tightness' | 'tanker_pair' | 'night' | 'identity_anomaly' | 'in_port';
  points: number;
  detail: string;
}

export interface ScoredVessel {
  mmsi: number;
  name: string | null;
  shipType: number | null;
  /** Strongest list matches at the time of the meeting (status 'listed' only). */
  listMatches: { list: string; rule: string; confidence: number; entryName: string | null }[];
  suspects: { suspectId: number; rule: string; reason: string }[];
  /** Kinds of identity anomaly found for this vessel. */
  anomalies: string[];
}

export interface ScoringInput {
  start: number;
  end: number;
  durationMs: number;
  closestDistanceM: number;
  centroid: { lon: number; lat: number };
  inPort: boolean;
  a: ScoredVessel;
  b: ScoredVessel;
}

/**
 * Points per factor. The risk factors and their order come from DESIGN.md ("Risk context",
 * after the US 2020 Global Maritime Sanctions Advisory and UN 1718 Panel reports): a watchlisted
 * or suspect party dominates; then STS-typical circumstances (tanker–tanker, at night, long and
 * tight) and identity manipulation. Weights are a team judgement, kept here in one table.
 */
export const WEIGHTS = {
  /** Per listed party, scaled by the match's confidence (IMO 1.0 … name only 0.4). */
  watchlist: 40,
  suspect: 25,
  /** Capped total for list and suspect involvement, so two listed parties read as "high", not "off the scale". */
  involvementCap: 60,
  /** +2 per hour beyond the 2 h minimum, at most 10. */
  durationPerHour: 2,
  durationCap: 10,
  tightness: [
    { withinM: 100, points: 10 },
    { withinM: 250, points: 6 },
    { withinM: 500, points: 3 },
  ],
  tankerPair: 10,
  oneTanker: 4,
  /** Scaled by the share of the meeting in darkness. */
  night: 8,
  /** Per vessel with identity anomalies. */
  identityAnomaly: 6,
  inPort: -20,
} as const;

const isTanker = (shipType: number | null) => shipType !== null && shipType >= 80 && shipType <= 89;
const label = (v: ScoredVessel) => `${v.name ?? 'unnamed'} (MMSI ${v.mmsi})`;

/** A 0–100 score and the factors that produced it, each with points and a readable reason. */
export function scoreRendezvous(input: ScoringInput): { score: number; factors: ScoreFactor[] } {
  const factors: ScoreFactor[] = [];
  let involvement = 0;
  for (const v of [input.a, input.b]) {
    const best = [...v.listMatches].sort((x, y) => y.confidence - x.confidence)[0];
    if (best) {
      const points = Math.round(WEIGHTS.watchlist * best.confidence);
      involvement += points;
      const lists = [...new Set(v.listMatches.map((m) => m.list))].join(', ');
      factors.push({ factor: 'watchlist', points, detail: `${label(v)} is on ${lists} (matched by ${best.rule}, confidence ${best.confidence}${best.entryName ? `, listed as ${best.entryName}` : ''})` });
    }
    if (v.suspects.length > 0) {
      involvement += WEIGHTS.suspect;
      factors.push({ factor: 'suspect', points: WEIGHTS.suspect, detail: `${label(v)} is a suspect: ${v.suspects.map((s) => s.reason).join('; ')}` });
    }
  }
  if (involvement > WEIGHTS.involvementCap) {
    const over = involvement - WEIGHTS.involvementCap;
    factors.push({ factor: 'watchlist', points: -over, detail: `list and suspect involvement capped at ${WEIGHTS.involvementCap} points` });
  }
  const hours = input.durationMs / 3_600_000;
  const durationPoints = Math.min(WEIGHTS.durationCap, Math.max(0, Math.floor(hours - 2) * WEIGHTS.durationPerHour));
  if (durationPoints > 0) factors.push({ factor: 'duration', points: durationPoints, detail: `alongside for ${hours.toFixed(1)} h` });
  const tight = WEIGHTS.tightness.find((t) => input.closestDistanceM <= t.withinM);
  if (tight) factors.push({ factor: 'tightness', points: tight.points, detail: `closest approach ${Math.round(input.closestDistanceM)} m (≤ ${tight.withinM} m)` });
  const tankers = [input.a, input.b].filter((v) => isTanker(v.shipType)).length;
  if (tankers === 2) factors.push({ factor: 'tanker_pair', points: WEIGHTS.tankerPair, detail: 'both vessels report tanker ship types (80–89)' });
  else if (tankers === 1) factors.push({ factor: 'tanker_pair', points: WEIGHTS.oneTanker, detail: 'one vessel reports a tanker ship type (80–89)' });
  const night = nightShare(input.centroid.lon, input.centroid.lat, input.start, input.end);
  const nightPoints = Math.round(WEIGHTS.night * night);
  if (nightPoints > 0) factors.push({ factor: 'night', points: nightPoints, detail: `${Math.round(night * 100)}% of the meeting with the sun below the horizon at its location` });
  for (const v of [input.a, input.b]) {
    if (v.anomalies.length > 0) factors.push({ factor: 'identity_anomaly', points: WEIGHTS.identityAnomaly, detail: `${label(v)}: ${v.anomalies.join(', ')}` });
  }
  if (input.inPort) factors.push({ factor: 'in_port', points: WEIGHTS.inPort, detail: 'within the port/anchorage radius: likely berthing, not a transfer at sea' });
  const total = factors.reduce((s, f) => s + f.points, 0);
  return { score: Math.max(0, Math.min(100, total)), factors };
}
