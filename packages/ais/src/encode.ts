/**
 * Encoder: typed record → armored payload → `!AIVDM` sentences, plus TAG
 * blocks. Used for fixtures, round-trip tests and simulators; it throws
 * RangeError on records that cannot be represented (the decoder never throws).
 * Derived fields (`rot`, `utc`) are ignored: `rotRaw` and the date/time
 * components are authoritative.
 */
import { BitWriter } from './bits.ts';
import { hex2, xorChecksum } from './checksum.ts';
import { isAuxiliaryMmsi } from './decode-static.ts';
import {
  POS_UNITS,
  POS_UNITS_LR,
  cogToRaw,
  headingToRaw,
  latToRaw,
  lonToRaw,
  nullToZero,
  secondToRaw,
  sogToRaw,
} from './scaling.ts';
import type { EncodableMessage } from './types.ts';

function header(w: BitWriter, type: number, repeat: number, mmsi: number): void {
  w.put(type, 6).put(repeat, 2).put(mmsi, 30);
}

function writeBits(msg: EncodableMessage): BitWriter {
  const w = new BitWriter();
  header(w, msg.type, msg.repeat, msg.mmsi);
  switch (msg.type) {
    case 1:
    case 2:
    case 3:
      w.put(msg.navStatus ?? 15, 4)
        .put(msg.rotRaw, 8)
        .put(sogToRaw(msg.sog), 10)
        .putBool(msg.accuracy)
        .put(lonToRaw(msg.lon, POS_UNITS), 28)
        .put(latToRaw(msg.lat, POS_UNITS), 27)
        .put(cogToRaw(msg.cog), 12)
        .put(headingToRaw(msg.heading), 9)
        .put(secondToRaw(msg.second), 6)
        .put(nullToZero(msg.maneuver), 2)
        .put(0, 3) // spare
        .putBool(msg.raim)
        .put(msg.radio, 19);
      break;
    case 4:
    case 11:
      w.put(nullToZero(msg.year), 14)
        .put(nullToZero(msg.month), 4)
        .put(nullToZero(msg.day), 5)
        .put(msg.hour ?? 24, 5)
        .put(msg.minute ?? 60, 6)
        .put(secondToRaw(msg.second), 6)
        .putBool(msg.accuracy)
        .put(lonToRaw(msg.lon, POS_UNITS), 28)
        .put(latToRaw(msg.lat, POS_UNITS), 27)
        .put(nullToZero(msg.epfd), 4)
        .put(0, 10) // spare
        .putBool(msg.raim)
        .put(msg.radio, 19);
      break;
    case 5:
      w.put(msg.aisVersion, 2)
        .put(nullToZero(msg.imo), 30)
        .putText(msg.callsign, 7)
        .putText(msg.name, 20)
        .put(nullToZero(msg.shipType), 8)
        .put(nullToZero(msg.dimBow), 9)
        .put(nullToZero(msg.dimStern), 9)
        .put(nullToZero(msg.dimPort), 6)
        .put(nullToZero(msg.dimStarboard), 6)
        .put(nullToZero(msg.epfd), 4)
        .put(nullToZero(msg.etaMonth), 4)
        .put(nullToZero(msg.etaDay), 5)
        .put(msg.etaHour ?? 24, 5)
        .put(msg.etaMinute ?? 60, 6)
        .put(msg.draught === null ? 0 : Math.round(msg.draught * 10), 8)
        .putText(msg.destination, 20)
        .put(msg.dte, 1)
        .put(0, 1); // spare → 424 bits
      break;
    case 18:
      w.put(0, 8) // regional reserved
        .put(sogToRaw(msg.sog), 10)
        .putBool(msg.accuracy)
        .put(lonToRaw(msg.lon, POS_UNITS), 28)
        .put(latToRaw(msg.lat, POS_UNITS), 27)
        .put(cogToRaw(msg.cog), 12)
        .put(headingToRaw(msg.heading), 9)
        .put(secondToRaw(msg.second), 6)
        .put(0, 2) // regional reserved
        .putBool(msg.csUnit)
        .putBool(msg.display)
        .putBool(msg.dsc)
        .putBool(msg.band)
        .putBool(msg.msg22)
        .putBool(msg.assigned)
        .putBool(msg.raim)
        .put(msg.radio, 20);
      break;
    case 19:
      w.put(0, 8)
        .put(sogToRaw(msg.sog), 10)
        .putBool(msg.accuracy)
        .put(lonToRaw(msg.lon, POS_UNITS), 28)
        .put(latToRaw(msg.lat, POS_UNITS), 27)
        .put(cogToRaw(msg.cog), 12)
        .put(headingToRaw(msg.heading), 9)
        .put(secondToRaw(msg.second), 6)
        .put(0, 4)
        .putText(msg.name, 20)
        .put(nullToZero(msg.shipType), 8)
        .put(nullToZero(msg.dimBow), 9)
        .put(nullToZero(msg.dimStern), 9)
        .put(nullToZero(msg.dimPort), 6)
        .put(nullToZero(msg.dimStarboard), 6)
        .put(nullToZero(msg.epfd), 4)
        .putBool(msg.raim)
        .put(msg.dte, 1)
        .putBool(msg.assigned)
        .put(0, 4); // → 312 bits
      break;
    case 21: {
      const name = (msg.name ?? '').toUpperCase();
      if (name.length > 34) throw new RangeError('AtoN name longer than 34 characters');
      w.put(nullToZero(msg.aidType), 5)
        .putText(name.slice(0, 20), 20)
        .putBool(msg.accuracy)
        .put(lonToRaw(msg.lon, POS_UNITS), 28)
        .put(latToRaw(msg.lat, POS_UNITS), 27)
        .put(nullToZero(msg.dimBow), 9)
        .put(nullToZero(msg.dimStern), 9)
        .put(nullToZero(msg.dimPort), 6)
        .put(nullToZero(msg.dimStarboard), 6)
        .put(nullToZero(msg.epfd), 4)
        .put(secondToRaw(msg.second), 6)
        .putBool(msg.offPosition)
        .put(0, 8) // regional reserved
        .putBool(msg.raim)
        .putBool(msg.virtualAid)
        .putBool(msg.assigned)
        .put(0, 1); // spare → 272 bits
      if (name.length > 20) {
        const ext = name.slice(20);
        w.putText(ext, ext.length);
        const pad = (8 - (w.length % 8)) % 8; // Table 72: spare bits for byte alignment
        if (pad > 0) w.put(0, pad);
      }
      break;
    }
    case 24:
      w.put(msg.partNumber, 2);
      if (msg.partNumber === 0) {
        w.putText(msg.name, 20); // → 160 bits
      } else {
        w.put(nullToZero(msg.shipType), 8)
          .putText(msg.vendorId, 3)
          .put(msg.model, 4)
          .put(msg.serial, 20)
          .putText(msg.callsign, 7);
        if (isAuxiliaryMmsi(msg.mmsi)) {
          w.put(nullToZero(msg.mothershipMmsi), 30);
        } else {
          w.put(nullToZero(msg.dimBow), 9)
            .put(nullToZero(msg.dimStern), 9)
            .put(nullToZero(msg.dimPort), 6)
            .put(nullToZero(msg.dimStarboard), 6);
        }
        w.put(0, 6); // spare → 168 bits
      }
      break;
    case 27:
      w.putBool(msg.accuracy)
        .putBool(msg.raim)
        .put(msg.navStatus ?? 15, 4)
        .put(lonToRaw(msg.lon, POS_UNITS_LR), 18)
        .put(latToRaw(msg.lat, POS_UNITS_LR), 17)
        .put(msg.sog ?? 63, 6)
        .put(msg.cog ?? 511, 9)
        .putBool(msg.gnss)
        .put(0, 1); // spare → 96 bits
      break;
  }
  return w;
}

/** Encode a record to its armored payload and fill bits. */
export function encodePayload(msg: EncodableMessage): { payload: string; fillBits: number } {
  return writeBits(msg).armor();
}

export interface EncodeOptions {
  /** Two-character talker; default "AI". */
  talker?: string;
  /** Radio channel; default "A". Empty string for none. */
  channel?: string;
  /** Sequential message id 0–9 for multi-sentence messages; default 0. */
  seqId?: number;
  /** Emit VDO (own ship) instead of VDM. */
  own?: boolean;
  /** Payload characters per sentence; default 60 (keeps sentences within NMEA's 82 characters). */
  maxPayloadChars?: number;
}

/** Build one sentence with its checksum (no line terminator). */
export function buildSentence(
  talker: string,
  own: boolean,
  count: number,
  index: number,
  seqId: string,
  channel: string,
  payload: string,
  fillBits: number,
): string {
  const body = `${talker}${own ? 'VDO' : 'VDM'},${count},${index},${seqId},${channel},${payload},${fillBits}`;
  return `!${body}*${hex2(xorChecksum(body, 0, body.length))}`;
}

/**
 * Encode a record into one or more complete sentences (payload split every
 * `maxPayloadChars`; fill bits go on the last fragment only).
 */
export function encodeMessage(msg: EncodableMessage, options: EncodeOptions = {}): string[] {
  const talker = options.talker ?? 'AI';
  if (talker.length !== 2) throw new RangeError('talker must be two characters');
  const channel = options.channel ?? 'A';
  const max = options.maxPayloadChars ?? 60;
  const seq = options.seqId ?? 0;
  if (!Number.isInteger(seq) || seq < 0 || seq > 9) throw new RangeError('seqId must be 0–9');
  const { payload, fillBits } = encodePayload(msg);
  const count = Math.ceil(payload.length / max);
  if (count > 9) throw new RangeError('payload needs more than 9 sentences');
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const part = payload.slice(k * max, (k + 1) * max);
    out.push(
      buildSentence(talker, options.own ?? false, count, k + 1, count > 1 ? String(seq) : '', channel, part, k === count - 1 ? fillBits : 0),
    );
  }
  return out;
}

export interface TagBlockFields {
  /** Receiver time, written verbatim: unix seconds, or milliseconds (≥ 1e11). */
  c?: number;
  /** Source / station id. */
  s?: string;
  /** Sentence grouping: fragment number, total, group id. */
  g?: { n: number; m: number; id: number | string };
}

/** `\c:…,s:…,g:n-m-id*hh\` — prepend to a sentence to form a tagged line. */
export function encodeTagBlock(fields: TagBlockFields): string {
  const parts: string[] = [];
  if (fields.g !== undefined) parts.push(`g:${fields.g.n}-${fields.g.m}-${fields.g.id}`);
  if (fields.s !== undefined) {
    if (/[,*\\!]/.test(fields.s)) throw new RangeError('source contains a TAG block delimiter');
    parts.push(`s:${fields.s}`);
  }
  if (fields.c !== undefined) parts.push(`c:${fields.c}`);
  const body = parts.join(',');
  return `\\${body}*${hex2(xorChecksum(body, 0, body.length))}\\`;
}
