/**
 * @rendezvous/ais — NMEA 0183 AIS decoder and encoder (pure, no I/O).
 * See README.md for the API and conventions.
 */
export type * from './types.ts';
export { AisDecoder, type AisDecoderOptions, type AisDecoderStats } from './stream-decoder.ts';
export { cyrb53, cyrb53Bytes } from './cyrb53.ts';
export { decodePayload, type DecodePayloadResult } from './decode-message.ts';
export { parseSentence, type ParsedSentence, type ParseResult } from './parse.ts';
export { REJECT_REASONS, WARNING_KINDS, type RejectReason, type WarningKind } from './reasons.ts';
export {
  encodeMessage,
  encodePayload,
  encodeTagBlock,
  buildSentence,
  type EncodeOptions,
  type TagBlockFields,
} from './encode.ts';
export { formatMmsi, rotFromRaw, rotToRaw } from './scaling.ts';
export { utcFromParts } from './decode-other.ts';
export { isAuxiliaryMmsi } from './decode-static.ts';
export { classifyMmsi, isValidMmsi, type MmsiClass, type MmsiKind } from './mmsi.ts';
export { lookupMid, allMids, type MidEntry } from './mid.ts';
export { isValidImo } from './imo.ts';
export { toNmeaLines, classAPosition, classBPosition, staticVoyage } from './nmea-lines.ts';
export { retimeLine } from './retime.ts';
export { EARLIEST_AIS_MS } from './earliest.ts';
