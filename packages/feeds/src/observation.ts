/**
 * What ingest stores, whatever the feed format: positions and static (identity) reports,
 * normalised, validated and timestamped. NMEA messages and CSV rows both become these.
 */

/** A validated position report. Units: degrees WGS-84, knots, degrees. */
export interface PositionObservation {
  kind: 'position';
  mmsi: number;
  /** Epoch ms: the feed's own time (TAG block, $PGHP, trailer, CSV column), else receive time. */
  ts: number;
  /** Whether `ts` came from the feed (true) or is the receive time (false). */
  tsFromFeed: boolean;
  lon: number;
  lat: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  navStatus: number | null;
  /** AIS message type (1, 2, 3, 4, 18, 19, 21, 27) or 0 for CSV rows without one. */
  msgType: number;
  /** Receiver / station id when the feed names one. */
  source: string | null;
  /** Dedup key across receivers (the armored payload for NMEA; null for CSV rows). */
  dedupKey: string | null;
  /** The MMSI failed ITU-R M.585 checks: stored and flagged, never dropped. */
  mmsiInvalid: boolean;
}

/** Identity fields as reported (type 5, 19, 24, CSV columns); null = not reported in this message. */
export interface StaticObservation {
  kind: 'static';
  mmsi: number;
  ts: number;
  tsFromFeed: boolean;
  imo: number | null;
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  /** Overall length and beam in metres (bow+stern, port+starboard). */
  length: number | null;
  width: number | null;
  draught: number | null;
  destination: string | null;
  msgType: number;
  source: string | null;
  dedupKey: string | null;
  mmsiInvalid: boolean;
}

export type Observation = PositionObservation | StaticObservation;
