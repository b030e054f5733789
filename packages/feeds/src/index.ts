export type { Observation, PositionObservation, StaticObservation } from './observation.ts';
export { checkPosition, isMmsiInvalid, POSITION_REJECTIONS, EARLIEST_TS, MAX_FUTURE_SKEW_MS } from './validate.ts';
export type { PositionRejection } from './validate.ts';
export { normalizeAis, staticFrom } from './normalize-ais.ts';
export type { NormalizeResult } from './normalize-ais.ts';
