/**
 * @rendezvous/identity — vessel identity anomalies from ingested AIS (pure, no I/O).
 * See README.md for the rules, their thresholds and where those come from.
 */
export type * from './types.ts';
export { ANOMALY_KINDS } from './types.ts';
export { DEFAULT_IDENTITY_OPTIONS, identityOptions, type IdentityRuleOptions } from './options.ts';
export { impossibleJumps, isImpossible, leg, sharedMmsiAnomaly, splitTrackByImpossibleSpeed, type Jump } from './speed-rule.ts';
export { invalidMmsiAnomaly } from './mmsi-rule.ts';
export { imoCheckDigit, imoCheckDigitAnomaly } from './imo-rule.ts';
export { imoMultipleMmsiAnomalies, mmsiMultipleImoAnomaly } from './pairing-rules.ts';
export { densestChanges, flagHoppingAnomalies, nameChangesAnomaly, normalizeName, type TimedValue } from './identity-changes-rule.ts';
export { watchlistPairingAnomalies } from './watchlist-rule.ts';
export { anomaliesFromFacts, reportedImos } from './vessel-anomalies.ts';
export {
  DEFAULT_DRAUGHT_OPTIONS,
  draughtChangeAcross,
  tankerSizeClass,
  type DraughtChangeFinding,
  type DraughtRuleOptions,
  type DraughtSample,
  type TankerSizeClass,
} from './draught-rule.ts';
export {
  fixedPatternAnomaly,
  imoFarApartAnomaly,
  imoPeers,
  boxAcrossM,
  isInland,
  onLandAnomaly,
  sogMismatchAnomaly,
  speedHours,
  type IdentityHooks,
  type SpeedHour,
} from './spoofing-rules.ts';
