export {
  scoreDarkActivity,
  scoreDarkRendezvous,
  scoreRendezvous,
  scoreGapNearSanctionedArea,
  scoreSanctionedPortCall,
  scoreVoyageIrregularity,
  WEIGHTS,
  type DarkActivityScoringInput,
  type DarkRendezvousScoringInput,
  type EventContext,
  type GapNearSanctionedAreaScoringInput,
  type SanctionedPortCallScoringInput,
  type ScoreFactor,
  type ScoredVessel,
  type ScoringInput,
  type VoyageIrregularityScoringInput,
} from './score.ts';
export { sunElevationDeg, nightShare } from './sun.ts';
