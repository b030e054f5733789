import type { AisMessage, DecodedAis } from '@rendezvous/ais';
import type { Observation } from './observation.ts';
import { checkPosition, isMmsiInvalid, timeInRange, type PositionRejection } from './validate.ts';

export type NormalizeResult =
  | { ok: true; observation: Observation }
  | { ok: false; reason: PositionRejection }
  | { ok: false; reason: 'not_a_vessel_report' };

/**
 * Turns one decoded AIS message into what ingest stores: vessel positions from types 1/2/3
 * (Class A), 18/19 (Class B) and 27 (long range); identity from types 5, 19 (which carries both;
 * its position wins here and its identity is returned by `staticFrom`) and 24. Base stations (4)
 * and aids to navigation (21) are not vessels: fixed transmitters side by side would otherwise
 * look like ships meeting for ever. Time is the feed's stamp when it has one, else
 * the receive time; static reports get the same time range check as positions (validate.ts).
 */
export function normalizeAis(decoded: DecodedAis, now: number): NormalizeResult {
  const msg = decoded.msg;
  const ts = decoded.timestampMs ?? decoded.receivedAtMs;
  const tsFromFeed = decoded.timestampMs !== null;
  if (!msg.mmsi) return { ok: false, reason: 'mmsi_missing' };
  switch (msg.type) {
    case 1:
    case 2:
    case 3:
    case 18:
    case 19:
    case 27: {
      const m = msg as Extract<AisMessage, { lon: number | null }>;
      const sog = 'sog' in m ? (m.sog as number | null) : null;
      const rejection = checkPosition(m.lon, m.lat, sog, ts, now);
      if (rejection) return { ok: false, reason: rejection };
      return {
        ok: true,
        observation: {
          kind: 'position',
          mmsi: msg.mmsi,
          ts,
          tsFromFeed,
          lon: m.lon!,
          lat: m.lat!,
          sog,
          cog: 'cog' in m ? (m.cog as number | null) : null,
          heading: 'heading' in m ? (m.heading as number | null) : null,
          navStatus: 'navStatus' in m ? (m.navStatus as number | null) : null,
          msgType: msg.type,
          source: decoded.source,
          dedupKey: decoded.payload,
          mmsiInvalid: isMmsiInvalid(msg.mmsi),
        },
      };
    }
    case 5:
    case 24: {
      if (!timeInRange(ts, now)) return { ok: false, reason: 'time_out_of_range' };
      const observation = staticFrom(decoded, ts, tsFromFeed);
      return observation ? { ok: true, observation } : { ok: false, reason: 'not_a_vessel_report' };
    }
    default:
      return { ok: false, reason: 'not_a_vessel_report' };
  }
}

/** The identity part of a type 5, 19 or 24 message; null for messages that carry none. */
export function staticFrom(decoded: DecodedAis, ts: number, tsFromFeed: boolean): Observation | null {
  const msg = decoded.msg;
  const base = {
    kind: 'static' as const,
    mmsi: msg.mmsi,
    ts,
    tsFromFeed,
    imo: null as number | null,
    name: null as string | null,
    callsign: null as string | null,
    shipType: null as number | null,
    length: null as number | null,
    width: null as number | null,
    draught: null as number | null,
    destination: null as string | null,
    msgType: msg.type,
    source: decoded.source,
    dedupKey: decoded.payload,
    mmsiInvalid: isMmsiInvalid(msg.mmsi),
  };
  if (msg.type === 5) {
    return {
      ...base,
      imo: msg.imo,
      name: msg.name,
      callsign: msg.callsign,
      shipType: msg.shipType,
      length: sum(msg.dimBow, msg.dimStern),
      width: sum(msg.dimPort, msg.dimStarboard),
      draught: msg.draught,
      destination: msg.destination,
    };
  }
  if (msg.type === 19) {
    return {
      ...base,
      name: msg.name,
      shipType: msg.shipType,
      length: sum(msg.dimBow, msg.dimStern),
      width: sum(msg.dimPort, msg.dimStarboard),
    };
  }
  if (msg.type === 24) {
    if (msg.partNumber === 0) return { ...base, name: msg.name };
    return {
      ...base,
      callsign: msg.callsign,
      shipType: msg.shipType,
      length: 'dimBow' in msg ? sum(msg.dimBow, msg.dimStern) : null,
      width: 'dimPort' in msg ? sum(msg.dimPort, msg.dimStarboard) : null,
    };
  }
  return null;
}

function sum(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null && b == null) return null;
  return (a ?? 0) + (b ?? 0);
}
