export {
  scoreDarkActivity,
  scoreDarkRendezvous,
  scoreRendezvous,
  WEIGHTS,
  type DarkActivityScoringInput,
  type DarkRendezvousScoringInput,
  type EventContext,
  type ScoreFactor,
  type ScoredVessel,
  type ScoringInput,
} from './score.ts';
export { sunElevationDeg, nightShare } from './sun.ts';
