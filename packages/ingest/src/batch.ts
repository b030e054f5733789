import { classifyMmsi } from '@rendezvous/ais';
import type { PositionObservation, StaticObservation } from '@rendezvous/feeds';
import type { IdentityField } from '@rendezvous/db';
import { PositionColumns } from './position-columns.ts';

/** What one committed batch writes: positions, and per-vessel aggregates built in memory. */
export interface Batch {
  positions: PositionObservation[];
  statics: StaticObservation[];
}

/** A batch as the pipeline builds it and the store writes it: the positions as columns. */
export interface ColumnBatch {
  positions: PositionColumns;
  statics: StaticObservation[];
}

/** `batch` with its positions as columns (an object batch, from tools and tests, is converted). */
export function toColumnBatch(batch: Batch | ColumnBatch): ColumnBatch {
  if (batch.positions instanceof PositionColumns) return batch as ColumnBatch;
  return { positions: PositionColumns.from(batch.positions), statics: batch.statics };
}

export interface VesselAggregate {
  mmsi: number;
  flag: string | null;
  mmsiInvalid: boolean;
  firstSeen: number;
  lastSeen: number;
  /** Latest-reported value of each identity field within the batch, and when. */
  identityAt: number | null;
  imo: number | null;
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  length: number | null;
  width: number | null;
  draught: number | null;
  destination: string | null;
}

export interface IdentitySighting {
  mmsi: number;
  field: IdentityField;
  value: string;
  firstSeen: number;
}

/** The first type 5 report of a run of equal draught values of one vessel within a batch. */
export interface DraughtChange {
  mmsi: number;
  ts: number;
  /** Metres, > 0 (0 = "not available" never gets here). */
  draught: number;
}

/** The first type 5 report of a run of equal declared destinations of one vessel within a batch. */
export interface DestinationChange {
  mmsi: number;
  ts: number;
  /** As cleaned for `vessels.destination`: never empty (an empty or "not available" field never gets here). */
  destination: string;
}

const flagCache = new Map<number, { flag: string | null; invalid: boolean }>();

function flagOf(mmsi: number): { flag: string | null; invalid: boolean } {
  let hit = flagCache.get(mmsi);
  if (!hit) {
    const c = classifyMmsi(mmsi);
    hit = { flag: c.flag, invalid: !c.valid };
    if (flagCache.size > 500_000) flagCache.clear();
    flagCache.set(mmsi, hit);
  }
  return hit;
}

/**
 * Folds a batch into one row per vessel (sorted by MMSI, so concurrent writers lock vessels in
 * the same order and cannot deadlock) and one row per distinct identity value seen.
 */
export function aggregateVessels(batch: ColumnBatch): {
  vessels: VesselAggregate[];
  sightings: IdentitySighting[];
  draughts: DraughtChange[];
  destinations: DestinationChange[];
} {
  const vessels = new Map<number, VesselAggregate>();
  const touch = (mmsi: number, ts: number, invalid: boolean): VesselAggregate => {
    let v = vessels.get(mmsi);
    if (!v) {
      const f = flagOf(mmsi);
      v = {
        mmsi,
        flag: f.flag,
        mmsiInvalid: invalid || f.invalid,
        firstSeen: ts,
        lastSeen: ts,
        identityAt: null,
        imo: null,
        name: null,
        callsign: null,
        shipType: null,
        length: null,
        width: null,
        draught: null,
        destination: null,
      };
      vessels.set(mmsi, v);
    } else {
      if (ts < v.firstSeen) v.firstSeen = ts;
      if (ts > v.lastSeen) v.lastSeen = ts;
    }
    return v;
  };
  const positions = batch.positions;
  for (let i = 0; i < positions.length; i++) touch(positions.mmsi[i]!, positions.ts[i]!, positions.mmsiInvalid(i));

  const sightings = new Map<string, IdentitySighting>();
  const sight = (mmsi: number, field: IdentityField, value: string | number | null, ts: number) => {
    if (value === null) return;
    const text = String(value);
    const key = `${mmsi}\u0000${field}\u0000${text}`;
    const s = sightings.get(key);
    if (!s) sightings.set(key, { mmsi, field, value: text, firstSeen: ts });
    else if (ts < s.firstSeen) s.firstSeen = ts;
  };

  // Oldest first, so the latest report of each field wins.
  const statics = batch.statics.length > 1 ? [...batch.statics].sort((a, b) => a.ts - b.ts) : batch.statics;
  // Draught runs (migrations/0018): per vessel, the first report of each run of equal values, in
  // time order; the store drops those equal to the row before them in the database.
  const lastDraught = new Map<number, number>();
  const draughts: DraughtChange[] = [];
  // Destination runs (migrations/0023), the same way: the value `vessels.destination` keeps.
  const lastDestination = new Map<number, string>();
  const destinations: DestinationChange[] = [];
  for (const s of statics) {
    const v = touch(s.mmsi, s.ts, s.mmsiInvalid);
    if (s.draught !== null && s.draught > 0 && Number.isFinite(s.draught) && lastDraught.get(s.mmsi) !== s.draught) {
      lastDraught.set(s.mmsi, s.draught);
      draughts.push({ mmsi: s.mmsi, ts: s.ts, draught: s.draught });
    }
    if (s.destination !== null && s.destination !== '' && lastDestination.get(s.mmsi) !== s.destination) {
      lastDestination.set(s.mmsi, s.destination);
      destinations.push({ mmsi: s.mmsi, ts: s.ts, destination: s.destination });
    }
    v.identityAt = v.identityAt === null ? s.ts : Math.max(v.identityAt, s.ts);
    if (s.imo !== null) v.imo = s.imo;
    if (s.name !== null) v.name = s.name;
    if (s.callsign !== null) v.callsign = s.callsign;
    if (s.shipType !== null) v.shipType = s.shipType;
    if (s.length !== null) v.length = s.length;
    if (s.width !== null) v.width = s.width;
    if (s.draught !== null) v.draught = s.draught;
    if (s.destination !== null) v.destination = s.destination;
    sight(s.mmsi, 'imo', s.imo, s.ts);
    sight(s.mmsi, 'name', s.name, s.ts);
    sight(s.mmsi, 'callsign', s.callsign, s.ts);
    sight(s.mmsi, 'ship_type', s.shipType, s.ts);
  }
  for (const v of vessels.values()) sight(v.mmsi, 'flag', v.flag, v.firstSeen);
  const byMmsi = (a: { mmsi: number }, b: { mmsi: number }) => a.mmsi - b.mmsi;
  return {
    vessels: [...vessels.values()].sort(byMmsi),
    sightings: [...sightings.values()].sort(byMmsi),
    draughts: draughts.sort((a, b) => a.mmsi - b.mmsi || a.ts - b.ts),
    destinations: destinations.sort((a, b) => a.mmsi - b.mmsi || a.ts - b.ts),
  };
}

/** UTC days (as YYYY-MM-DD) a batch's positions fall on: the partitions it needs. */
export function daysOf(positions: PositionColumns): string[] {
  const days = new Set<number>();
  for (let i = 0; i < positions.length; i++) days.add(Math.floor(positions.ts[i]! / 86_400_000));
  return [...days].sort((a, b) => a - b).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
}
