import { encodeMessage, encodeTagBlock } from './encode.ts';
import type { PositionReportA, PositionReportB, StaticVoyageData, EncodableMessage } from './types.ts';

/**
 * Ready-to-write NMEA lines for one message: each sentence carries a TAG block with the receiver
 * time (`c:`, unix seconds — or ms with `millis`) and source (`s:`); multi-sentence messages get a
 * TAG group (`g:`), so they reassemble even when fragments of several receivers interleave.
 * Used by tests, the traffic simulator and the demo.
 */
export function toNmeaLines(
  msg: EncodableMessage,
  opts: { timeMs: number; source?: string; seqId?: number; channel?: string; millis?: boolean },
): string[] {
  const sentences = encodeMessage(msg, { seqId: opts.seqId ?? 0, ...(opts.channel ? { channel: opts.channel } : {}) });
  const c = opts.millis ? Math.round(opts.timeMs) : Math.floor(opts.timeMs / 1000);
  const groupId = (opts.seqId ?? 0) + 1 + (Math.floor(opts.timeMs / 1000) % 9000) * 10;
  return sentences.map((sentence, i) => {
    const tag =
      sentences.length > 1
        ? encodeTagBlock({ g: { n: i + 1, m: sentences.length, id: groupId }, ...(i === 0 ? { c, ...(opts.source ? { s: opts.source } : {}) } : {}) })
        : encodeTagBlock({ c, ...(opts.source ? { s: opts.source } : {}) });
    return tag + sentence;
  });
}

/** A Class A position report (type 1) with "not available" defaults for what is not given. */
export function classAPosition(
  fields: Pick<PositionReportA, 'mmsi' | 'lon' | 'lat'> & Partial<PositionReportA>,
): PositionReportA {
  return {
    type: 1,
    repeat: 0,
    navStatus: null,
    rot: null,
    rotRaw: -128,
    sog: null,
    accuracy: false,
    cog: null,
    heading: null,
    second: null,
    maneuver: null,
    raim: false,
    radio: 0,
    ...fields,
  };
}

/** A Class B position report (type 18) with "not available" defaults. */
export function classBPosition(
  fields: Pick<PositionReportB, 'mmsi' | 'lon' | 'lat'> & Partial<PositionReportB>,
): PositionReportB {
  return {
    type: 18,
    repeat: 0,
    sog: null,
    accuracy: false,
    cog: null,
    heading: null,
    second: null,
    csUnit: true,
    display: false,
    dsc: false,
    band: true,
    msg22: false,
    assigned: false,
    raim: false,
    radio: 0,
    ...fields,
  };
}

/** A type 5 static and voyage report with "not available" defaults. */
export function staticVoyage(fields: Pick<StaticVoyageData, 'mmsi'> & Partial<StaticVoyageData>): StaticVoyageData {
  return {
    type: 5,
    repeat: 0,
    aisVersion: 0,
    imo: null,
    callsign: null,
    name: null,
    shipType: null,
    dimBow: null,
    dimStern: null,
    dimPort: null,
    dimStarboard: null,
    epfd: null,
    etaMonth: null,
    etaDay: null,
    etaHour: null,
    etaMinute: null,
    draught: null,
    destination: null,
    dte: 0,
    ...fields,
  };
}
