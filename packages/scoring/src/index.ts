export { scoreRendezvous, WEIGHTS, type ScoreFactor, type ScoredVessel, type ScoringInput } from './score.ts';
export { sunElevationDeg, nightShare } from './sun.ts';
