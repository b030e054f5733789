import { nightShare } from './sun.ts';

export interface ScoreFactor {
  factor:
    | 'watchlist'
    | 'suspect'
    | 'duration'
    | 'tightness'
    | 'tanker_pair'
    | 'night'
    | 'identity_anomaly'
    | 'in_port'
    | 'hub'
    | 'dark_nearby'
    | 'draught_change'
    | 'offshore'
    | 'reception'
    | 'dark_partner'
    | 'sanctioned_port'
    | 'sanctioned_area'
    | 'voyage_irregularity'
    | 'sanctions_history';
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

/**
 * Circumstances around an event that raise its risk (DESIGN.md "Risk context"; issue 13): inside
 * a known STS hub, AIS gaps or loitering of the same vessels close by in time, and a draught
 * change across the event ("laden after the meeting").
 */
export interface EventContext {
  /** The STS hub the event lies in, if any. */
  hub?: string | null;
  /** Other dark-activity alerts of the event's vessels near it in time, each with its reason. */
  darkNearby?: readonly string[];
  /** Draught changes of the event's vessels across it, away from ports, each with its reason. */
  draughtChanges?: readonly string[];
  /**
   * The vessels' recent sanctioned-place history before the event (issue 15 item 4): a call at a
   * sanctioned port, a gap near a sanctioned area, a voyage leg hiding a stop; each with its reason.
   */
  sanctionsHistory?: readonly string[];
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
  context?: EventContext;
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
  /** Inside a known STS hub (DESIGN.md "STS hubs": where transfers are reported). */
  hub: 10,
  /** Per related gap/loitering of the same vessels near the event, at most darkNearbyCap. */
  darkNearby: 6,
  darkNearbyCap: 12,
  /** Per vessel whose draught changed across the event ("laden after the meeting"). */
  draughtChange: 10,
  /** AIS gap / loitering: base points for the behaviour itself (it passed every filter). */
  aisGap: 20,
  loitering: 15,
  /** +2 per hour of gap beyond the minimum, at most 10; loitering likewise beyond its minimum. */
  darkPerHour: 2,
  darkDurationCap: 10,
  /** Neighbours kept transmitting nearby during a gap: the silence is the vessel's. */
  reception: 8,
  /** Dark rendezvous: by the confidence of the reach or separation test. */
  darkPartner: { high: 30, medium: 20, low: 10 },
  /**
   * A call at a sanctioned port: for the DPRK the call is itself what the resolutions forbid for
   * most cargo (UNSCR 2270 (2016), 2371 (2017), 2397 (2017): coal, iron, seafood, textiles out;
   * refined petroleum in beyond the cap), so it alone reads as "high" once anything else joins.
   */
  sanctionedPort: 40,
  /**
   * Dark near a sanctioned area and deeper afterwards: the pattern of the Panel of Experts' coal
   * and petroleum cases (loaded in or off a DPRK port with AIS off, reappearing laden). Less than
   * a seen call: the visit is inferred from reach, not observed.
   */
  sanctionedArea: 30,
  /** A voyage leg's irregularities (2020 US advisory, "voyage irregularities"), per kind. */
  voyageIrregularity: { hidden_stop: 15, draught_change_at_sea: 15, destination_mismatch: 10 },
  voyageIrregularityCap: 30,
  /**
   * Per vessel of a rendezvous with a recent sanctioned-place history (a sanctioned port call or
   * area gap, or a hidden stop): a meeting after such a call is where laundered cargo changes
   * hulls (issue 15 item 4). Capped so it cannot outweigh a list match.
   */
  sanctionsHistory: 15,
  sanctionsHistoryCap: 25,
} as const;

const isTanker = (shipType: number | null) => shipType !== null && shipType >= 80 && shipType <= 89;
const label = (v: ScoredVessel) => `${v.name ?? 'unnamed'} (MMSI ${v.mmsi})`;

/** List and suspect involvement of the parties, capped. */
function involvementFactors(vessels: readonly ScoredVessel[]): ScoreFactor[] {
  const factors: ScoreFactor[] = [];
  let involvement = 0;
  for (const v of vessels) {
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
  return factors;
}

/** Hub, nearby dark activity and draught changes (EventContext). */
function contextFactors(context: EventContext | undefined): ScoreFactor[] {
  const factors: ScoreFactor[] = [];
  if (!context) return factors;
  if (context.hub) factors.push({ factor: 'hub', points: WEIGHTS.hub, detail: `inside ${context.hub}, a known ship-to-ship transfer area` });
  const dark = context.darkNearby ?? [];
  if (dark.length > 0) {
    factors.push({ factor: 'dark_nearby', points: Math.min(WEIGHTS.darkNearbyCap, dark.length * WEIGHTS.darkNearby), detail: dark.join('; ') });
  }
  for (const d of context.draughtChanges ?? []) factors.push({ factor: 'draught_change', points: WEIGHTS.draughtChange, detail: d });
  const history = context.sanctionsHistory ?? [];
  if (history.length > 0) {
    factors.push({ factor: 'sanctions_history', points: Math.min(WEIGHTS.sanctionsHistoryCap, history.length * WEIGHTS.sanctionsHistory), detail: history.join('; ') });
  }
  return factors;
}

/** Anomaly factors of each party. */
function anomalyFactors(vessels: readonly ScoredVessel[]): ScoreFactor[] {
  return vessels
    .filter((v) => v.anomalies.length > 0)
    .map((v) => ({ factor: 'identity_anomaly' as const, points: WEIGHTS.identityAnomaly, detail: `${label(v)}: ${v.anomalies.join(', ')}` }));
}

function tankerFactors(vessels: readonly ScoredVessel[]): ScoreFactor[] {
  const tankers = vessels.filter((v) => isTanker(v.shipType)).length;
  if (vessels.length === 2 && tankers === 2) return [{ factor: 'tanker_pair', points: WEIGHTS.tankerPair, detail: 'both vessels report tanker ship types (80–89)' }];
  if (tankers >= 1) return [{ factor: 'tanker_pair', points: WEIGHTS.oneTanker, detail: `${vessels.length === 1 ? 'the vessel reports' : 'one vessel reports'} a tanker ship type (80–89)` }];
  return [];
}

function nightFactors(centroid: { lon: number; lat: number }, start: number, end: number, what: string): ScoreFactor[] {
  const night = nightShare(centroid.lon, centroid.lat, start, end);
  const points = Math.round(WEIGHTS.night * night);
  return points > 0 ? [{ factor: 'night', points, detail: `${Math.round(night * 100)}% of the ${what} with the sun below the horizon at its location` }] : [];
}

const clamp = (factors: ScoreFactor[]) => ({ score: Math.max(0, Math.min(100, factors.reduce((s, f) => s + f.points, 0))), factors });

/** A 0–100 score and the factors that produced it, each with points and a readable reason. */
export function scoreRendezvous(input: ScoringInput): { score: number; factors: ScoreFactor[] } {
  const factors: ScoreFactor[] = involvementFactors([input.a, input.b]);
  const hours = input.durationMs / 3_600_000;
  const durationPoints = Math.min(WEIGHTS.durationCap, Math.max(0, Math.floor(hours - 2) * WEIGHTS.durationPerHour));
  if (durationPoints > 0) factors.push({ factor: 'duration', points: durationPoints, detail: `alongside for ${hours.toFixed(1)} h` });
  const tight = WEIGHTS.tightness.find((t) => input.closestDistanceM <= t.withinM);
  if (tight) factors.push({ factor: 'tightness', points: tight.points, detail: `closest approach ${Math.round(input.closestDistanceM)} m (≤ ${tight.withinM} m)` });
  factors.push(...tankerFactors([input.a, input.b]));
  factors.push(...nightFactors(input.centroid, input.start, input.end, 'meeting'));
  factors.push(...anomalyFactors([input.a, input.b]));
  if (input.inPort) factors.push({ factor: 'in_port', points: WEIGHTS.inPort, detail: 'within the port/anchorage radius: likely berthing, not a transfer at sea' });
  factors.push(...contextFactors(input.context));
  return clamp(factors);
}

/** What a one-vessel dark-activity event (AIS gap, loitering) is scored on. */
export interface DarkActivityScoringInput {
  kind: 'ais_gap' | 'loitering';
  start: number;
  end: number;
  /** The behaviour's own minimum duration (the profile's), so only the excess earns points. */
  minDurationMs: number;
  centroid: { lon: number; lat: number };
  vessel: ScoredVessel;
  /** Distance from shore (m) of the event (a gap: its off position). */
  shoreDistanceM: number;
  /** AIS gap: other vessels heard nearby during it. */
  neighboursHeard?: number;
  context?: EventContext;
}

/** Score of an AIS gap or a loitering: the behaviour, its length, where, who, and what is around it. */
export function scoreDarkActivity(input: DarkActivityScoringInput): { score: number; factors: ScoreFactor[] } {
  const what = input.kind === 'ais_gap' ? 'AIS gap' : 'loitering';
  const hours = (input.end - input.start) / 3_600_000;
  const factors: ScoreFactor[] = [
    {
      factor: 'duration',
      points: input.kind === 'ais_gap' ? WEIGHTS.aisGap : WEIGHTS.loitering,
      detail: `${what} of ${hours.toFixed(1)} h, ${(input.shoreDistanceM / 1852).toFixed(0)} nm from shore`,
    },
  ];
  const extra = Math.min(WEIGHTS.darkDurationCap, Math.max(0, Math.floor((input.end - input.start - input.minDurationMs) / 3_600_000) * WEIGHTS.darkPerHour));
  if (extra > 0) factors.push({ factor: 'duration', points: extra, detail: `${(hours - input.minDurationMs / 3_600_000).toFixed(1)} h beyond the ${input.minDurationMs / 3_600_000} h minimum` });
  if (input.kind === 'ais_gap' && (input.neighboursHeard ?? 0) > 0) {
    factors.push({ factor: 'reception', points: WEIGHTS.reception, detail: `${input.neighboursHeard} other vessel(s) kept transmitting nearby during the gap: the silence is the vessel's, not the receivers'` });
  }
  factors.push(...involvementFactors([input.vessel]));
  factors.push(...tankerFactors([input.vessel]));
  factors.push(...nightFactors(input.centroid, input.start, input.end, what));
  factors.push(...anomalyFactors([input.vessel]));
  factors.push(...contextFactors(input.context));
  return clamp(factors);
}

/** What a dark rendezvous is scored on. */
export interface DarkRendezvousScoringInput {
  start: number;
  end: number;
  centroid: { lon: number; lat: number };
  confidence: 'high' | 'medium' | 'low';
  /** The reasoning of the reach or separation test, with its numbers. */
  reason: string;
  a: ScoredVessel;
  b: ScoredVessel;
  context?: EventContext;
}

/** Score of a dark rendezvous: the test's confidence, the parties, and what is around it. */
export function scoreDarkRendezvous(input: DarkRendezvousScoringInput): { score: number; factors: ScoreFactor[] } {
  const factors: ScoreFactor[] = [{ factor: 'dark_partner', points: WEIGHTS.darkPartner[input.confidence], detail: `${input.confidence} confidence: ${input.reason}` }];
  factors.push(...involvementFactors([input.a, input.b]));
  factors.push(...tankerFactors([input.a, input.b]));
  factors.push(...nightFactors(input.centroid, input.start, input.end, 'overlap'));
  factors.push(...anomalyFactors([input.a, input.b]));
  factors.push(...contextFactors(input.context));
  return clamp(factors);
}

/** What a call at a sanctioned port is scored on. */
export interface SanctionedPortCallScoringInput {
  start: number;
  end: number;
  centroid: { lon: number; lat: number };
  /** The rule's reasoning: which listed port or country, and how far. */
  reason: string;
  vessel: ScoredVessel;
  context?: EventContext;
}

/**
 * A one-vessel sanctions alert's score: the rule's own factors first, then who the vessel is
 * (lists, tanker, night over `night` when given, identity anomalies) and what is around it.
 */
function scoreOneVessel(
  rule: ScoreFactor[],
  vessel: ScoredVessel,
  context: EventContext | undefined,
  night?: { centroid: { lon: number; lat: number }; start: number; end: number; what: string },
): { score: number; factors: ScoreFactor[] } {
  return clamp([
    ...rule,
    ...involvementFactors([vessel]),
    ...tankerFactors([vessel]),
    ...(night ? nightFactors(night.centroid, night.start, night.end, night.what) : []),
    ...anomalyFactors([vessel]),
    ...contextFactors(context),
  ]);
}

/** Score of a call at a sanctioned port: the call itself, who, and what is around it (draught: loaded there). */
export function scoreSanctionedPortCall(input: SanctionedPortCallScoringInput): { score: number; factors: ScoreFactor[] } {
  return scoreOneVessel([{ factor: 'sanctioned_port', points: WEIGHTS.sanctionedPort, detail: input.reason }], input.vessel, input.context);
}

/** What an AIS gap near a sanctioned area, deeper afterwards, is scored on. */
export interface GapNearSanctionedAreaScoringInput {
  start: number;
  end: number;
  centroid: { lon: number; lat: number };
  /** The rule's reasoning: the gap, the reach of the area, the draught before and after. */
  reason: string;
  vessel: ScoredVessel;
  context?: EventContext;
}

/** Score of a gap near a sanctioned area with a deeper draught after it ("loaded while dark"). */
export function scoreGapNearSanctionedArea(input: GapNearSanctionedAreaScoringInput): { score: number; factors: ScoreFactor[] } {
  return scoreOneVessel([{ factor: 'sanctioned_area', points: WEIGHTS.sanctionedArea, detail: input.reason }], input.vessel, input.context, {
    centroid: input.centroid,
    start: input.start,
    end: input.end,
    what: 'gap',
  });
}

/** What a voyage leg's irregularities are scored on. */
export interface VoyageIrregularityScoringInput {
  /** Each finding of the leg: its kind and the rule's reason with the numbers. */
  findings: readonly { kind: keyof typeof WEIGHTS.voyageIrregularity; reason: string }[];
  vessel: ScoredVessel;
  context?: EventContext;
}

/** Score of a voyage leg with irregularities: each kind's points (capped), who, and what is around it. */
export function scoreVoyageIrregularity(input: VoyageIrregularityScoringInput): { score: number; factors: ScoreFactor[] } {
  const factors: ScoreFactor[] = [];
  let total = 0;
  for (const f of input.findings) {
    const points = Math.max(0, Math.min(WEIGHTS.voyageIrregularity[f.kind], WEIGHTS.voyageIrregularityCap - total));
    total += points;
    factors.push({ factor: 'voyage_irregularity', points, detail: `${f.kind.replaceAll('_', ' ')}: ${f.reason}` });
  }
  return scoreOneVessel(factors, input.vessel, input.context);
}
