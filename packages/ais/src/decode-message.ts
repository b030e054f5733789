/**
 * Payload → typed record. Length policy per type follows gpsd's
 * driver_ais.c (ntpsec/gpsd, 2023): reports that are a little long are
 * accepted (and counted as non-standard), reports too short to hold their
 * fields are rejected as `bad_bit_count`.
 */
import { PayloadBits } from './bits.ts';
import { decodeExtendedPositionB, decodeLongRange, decodePositionA, decodePositionB } from './decode-position.ts';
import { decodeStaticA, decodeStaticB, decodeStaticVoyage } from './decode-static.ts';
import { decodeAidToNavigation, decodeBaseStation } from './decode-other.ts';
import type { RejectReason } from './reasons.ts';
import type { AisMessage, OtherMessageType } from './types.ts';

const INF = 1 << 30;

/**
 * [min, max, nominal] payload bits per message type (index = type).
 * Sources: M.1371-5 message tables for the nominal length; gpsd
 * RANGE_CHECK / PERMISSIVE_LENGTH_CHECK for the accepted range.
 * A nominal of 0 means "variable length" (no warning).
 */
const LENGTHS: ReadonlyArray<readonly [number, number, number] | undefined> = [
  undefined, // 0: not defined
  [163, 204, 168], // 1 (gpsd: "most samples are 168, but some are 163 and 204")
  [163, 204, 168], // 2
  [163, 204, 168], // 3
  [168, INF, 168], // 4
  [420, INF, 424], // 5 (gpsd: 420/422-bit reports are common and recoverable)
  [88, 1008, 0], // 6
  [72, 168, 0], // 7
  [56, 1008, 0], // 8
  [168, INF, 168], // 9
  [72, INF, 72], // 10
  [168, INF, 168], // 11
  [72, 1008, 0], // 12
  [72, 168, 0], // 13
  [40, 1008, 0], // 14
  [88, 168, 0], // 15
  [96, 168, 0], // 16
  [80, 816, 0], // 17
  [168, INF, 168], // 18
  [312, INF, 312], // 19
  [72, 186, 0], // 20
  [272, 368, 0], // 21
  [168, INF, 168], // 22
  [160, INF, 160], // 23
  [160, INF, 0], // 24: per part below
  [40, 168, 0], // 25
  [60, 1064, 0], // 26
  [96, 168, 96], // 27: exactly 96 or 168, checked below
];

/** Result of a decode: the record, or why it was rejected; `nonstandard` flags an accepted odd length. */
export interface DecodeOutcome {
  msg: AisMessage | null;
  reason: RejectReason | null;
  nonstandard: boolean;
}

/**
 * Decode loaded bits. Writes into `out` (reused by the streaming decoder
 * to avoid a result allocation per message).
 */
export function decodeBits(b: PayloadBits, out: DecodeOutcome): DecodeOutcome {
  out.msg = null;
  out.reason = null;
  out.nonstandard = false;
  const len = b.bitLength;
  if (len < 38) {
    out.reason = 'bad_bit_count';
    return out;
  }
  const B = b.bytes;
  const type = B[0]! >> 2; // 0, 6
  const range = LENGTHS[type];
  if (range === undefined) {
    out.reason = 'unknown_type';
    return out;
  }
  if (len < range[0] || len > range[1]) {
    out.reason = 'bad_bit_count';
    return out;
  }
  if (range[2] !== 0 && len !== range[2]) out.nonstandard = true;
  const repeat = B[0]! & 3; // 6, 2
  const mmsi = ((B[1]! << 24) | (B[2]! << 16) | (B[3]! << 8) | B[4]!) >>> 2; // 8, 30
  switch (type) {
    case 1:
    case 2:
    case 3:
      out.msg = decodePositionA(b, type, repeat, mmsi);
      break;
    case 4:
    case 11:
      out.msg = decodeBaseStation(b, type, repeat, mmsi);
      break;
    case 5:
      out.msg = decodeStaticVoyage(b, repeat, mmsi);
      break;
    case 18:
      out.msg = decodePositionB(b, repeat, mmsi);
      break;
    case 19:
      out.msg = decodeExtendedPositionB(b, repeat, mmsi);
      break;
    case 21:
      out.msg = decodeAidToNavigation(b, repeat, mmsi);
      break;
    case 24: {
      const part = b.u(38, 2);
      if (part === 0) {
        if (len > 168) {
          out.reason = 'bad_bit_count';
          return out;
        }
        out.nonstandard = len !== 160 && len !== 168;
        out.msg = decodeStaticA(b, repeat, mmsi);
      } else if (part === 1) {
        if (len < 168) {
          out.reason = 'bad_bit_count';
          return out;
        }
        out.nonstandard = len !== 168;
        out.msg = decodeStaticB(b, repeat, mmsi);
      } else {
        // Part numbers 2 and 3 are undefined (M.1371-5 Table 76); gpsd drops them too.
        out.reason = 'invalid_field';
        return out;
      }
      break;
    }
    case 27:
      if (len !== 96 && len !== 168) {
        out.reason = 'bad_bit_count';
        return out;
      }
      out.msg = decodeLongRange(b, repeat, mmsi);
      break;
    default:
      out.msg = { type: type as OtherMessageType, repeat, mmsi, bitLength: len };
  }
  return out;
}

export type DecodePayloadResult =
  | { ok: true; msg: AisMessage; nonstandardLength: boolean }
  | { ok: false; reason: RejectReason };

const scratchBits = new PayloadBits();
const scratchOut: DecodeOutcome = { msg: null, reason: null, nonstandard: false };

/**
 * Decode one complete armored payload (already reassembled) with its fill
 * bits. Never throws.
 */
export function decodePayload(payload: string, fillBits: number): DecodePayloadResult {
  if (payload.length === 0) return { ok: false, reason: 'empty_payload' };
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 5) return { ok: false, reason: 'malformed_sentence' };
  if (scratchBits.load(payload, fillBits) >= 0) return { ok: false, reason: 'bad_payload_char' };
  const r = decodeBits(scratchBits, scratchOut);
  if (r.msg === null) return { ok: false, reason: r.reason ?? 'bad_bit_count' };
  return { ok: true, msg: r.msg, nonstandardLength: r.nonstandard };
}
