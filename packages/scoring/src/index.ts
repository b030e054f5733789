export {
  scoreDarkActivity,
  scoreDarkRendezvous,
  scoreRendezvous,
  scoreSanctionedPortCall,
  WEIGHTS,
  type DarkActivityScoringInput,
  type DarkRendezvousScoringInput,
  type EventContext,
  type SanctionedPortCallScoringInput,
  type ScoreFactor,
  type ScoredVessel,
  type ScoringInput,
} from './score.ts';
export { sunElevationDeg, nightShare } from './sun.ts';
