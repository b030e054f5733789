/**
 * One vessel's transmitter: turns its track into AIS messages at its reporting rate, adds the
 * jitter a real GPS and receiver chain adds, and hands the NMEA lines (one copy per receiver that
 * heard it) to the merge. Everything is encoded with the project's own encoder.
 */
import { classAPosition, classBPosition, encodeTagBlock, staticVoyage, toNmeaLines } from '@rendezvous/ais';
import type { EncodableMessage, StaticDataReportA, StaticDataReportB } from '@rendezvous/ais';
import { offsetEastNorth } from '@rendezvous/geodesy';
import { NAV, type Kinematic, type Track } from './kinematics.ts';
import type { Rng } from './prng.ts';
import type { VesselIdentity } from './vessel-factory.ts';

export interface TimeRange {
  startMs: number;
  endMs: number;
}

export interface ReportingProfile {
  /** Seconds between position reports under way (Class A 2–10 s; Class B 30 s–3 min). */
  underwayS: number;
  /** Seconds between reports at anchor or moored below 3 kn (Class A: 3 min). */
  stationaryS: number;
  /** A fixed interval whatever the ship does (scenarios that test mixed rates). */
  fixedS?: number;
  /** Satellite-like reception: gaps drawn log-uniformly between these bounds (seconds). */
  satellite?: { minS: number; maxS: number };
  /** AIS off: no message at all inside these ranges. */
  silences?: TimeRange[];
  /** Seconds between static reports (type 5, or type 24 A+B); 6 min per M.1371. */
  staticEveryS: number;
}

export interface SimVessel {
  /** Stable key: seeds the vessel's random stream, names it in the truth (`meeting/daughter`, `bg-00042`). */
  key: string;
  identity: VesselIdentity;
  track: Track;
  reporting: ReportingProfile;
  /** Type 5 draught from `fromMs` on, in time order (scenarios that change it); before the first, the identity's. */
  draughts?: readonly { fromMs: number; draughtM: number | null }[];
  /** Type 5 destination from `fromMs` on, in time order (voyage scenarios); before the first, the identity's. */
  destinations?: readonly { fromMs: number; destination: string | null }[];
}

/** Reporting rates the generator draws from (per vessel, fixed for the run). */
export interface RateOptions {
  /** Class A under way, seconds (M.1371: 2–10 s depending on speed and turning). */
  classAUnderwayS: [number, number];
  /** Class A at anchor or moored, seconds. */
  classAStationaryS: number;
  /** Class B, seconds (30 s–3 min). */
  classBS: [number, number];
  /** Share of background vessels seen only by satellite. */
  satelliteShare: number;
  /** Satellite revisit gaps, seconds (minutes to hours). */
  satelliteGapS: [number, number];
  /** Static report period, seconds. */
  staticEveryS: number;
}

export const DEFAULT_RATES: RateOptions = {
  classAUnderwayS: [2, 10],
  classAStationaryS: 180,
  classBS: [30, 180],
  satelliteShare: 0.1,
  satelliteGapS: [120, 3 * 3600],
  staticEveryS: 360,
};

export interface Receiver {
  name: string;
  /** Probability that this receiver hears a given transmission. */
  hears: number;
  /** Delay of its `c:` time after the transmission, ms. */
  delayMs: [number, number];
}

/** Position noise (1 σ, metres): a consumer GNSS fix wanders by a few metres. */
const POSITION_SIGMA_M = 3;

export class VesselEmitter {
  readonly vessel: SimVessel;
  /** Time of the next transmission; ≥ endMs when the vessel has nothing left to say. */
  nextMs: number;
  private readonly rng: Rng;
  private readonly window: TimeRange;
  private readonly receivers: readonly Receiver[];
  private nextStaticMs: number;
  private seq = 0;
  private readonly eta: { month: number; day: number; hour: number; minute: number };

  constructor(vessel: SimVessel, rng: Rng, window: TimeRange, receivers: readonly Receiver[]) {
    this.vessel = vessel;
    this.rng = rng;
    this.window = window;
    this.receivers = receivers;
    const r = vessel.reporting;
    // A random phase, so vessels do not all transmit on the same second of the run.
    const first = r.satellite ? rng.range(0, r.satellite.minS * 4) : rng.range(0, r.fixedS ?? Math.min(r.underwayS, r.stationaryS));
    this.nextMs = this.skipSilence(window.startMs + Math.round(first * 1000));
    this.nextStaticMs = window.startMs + Math.round(rng.range(0, r.staticEveryS) * 1000);
    const eta = new Date(window.startMs + rng.range(2, 20) * 86_400_000);
    this.eta = { month: eta.getUTCMonth() + 1, day: eta.getUTCDate(), hour: eta.getUTCHours(), minute: rng.pick([0, 15, 30, 45]) };
  }

  /** Transmit at `nextMs`: each resulting copy goes to `out(timeMs, lines)`; then schedule the next. */
  emit(out: (timeMs: number, lines: string[]) => void): void {
    const t = this.nextMs;
    const kin = this.vessel.track.at(t);
    this.send(this.position(t, kin), t, out);
    if (t >= this.nextStaticMs) {
      const s1 = t + 1000;
      const s2 = t + 2000;
      if (!this.silent(s1) && !this.silent(s2)) {
        const id = this.vessel.identity;
        if (id.aisClass === 'A') {
          this.send(this.staticA(s1), s1, out);
        } else {
          this.send(this.staticBPartA(), s1, out);
          this.send(this.staticBPartB(), s2, out);
        }
      }
      this.nextStaticMs = t + this.vessel.reporting.staticEveryS * 1000;
    }
    this.nextMs = this.skipSilence(t + this.intervalMs(kin));
  }

  private intervalMs(kin: Kinematic): number {
    const r = this.vessel.reporting;
    if (r.fixedS !== undefined) return r.fixedS * 1000;
    if (r.satellite) return Math.round(this.rng.logRange(r.satellite.minS, r.satellite.maxS) * 1000);
    const stationary = (kin.navStatus === NAV.atAnchor || kin.navStatus === NAV.moored) && kin.sogKn < 3;
    const base = stationary ? r.stationaryS : r.underwayS;
    // SOTDMA keeps its slots within a frame: a few percent of jitter, never a drift.
    return Math.max(1000, Math.round(base * 1000 * this.rng.range(0.97, 1.03)));
  }

  private silent(tMs: number): boolean {
    for (const s of this.vessel.reporting.silences ?? []) if (tMs >= s.startMs && tMs < s.endMs) return true;
    return false;
  }

  private skipSilence(tMs: number): number {
    for (const s of this.vessel.reporting.silences ?? []) {
      if (tMs >= s.startMs && tMs < s.endMs) return s.endMs + Math.round(this.rng.range(0, 5000));
    }
    return tMs;
  }

  private send(msg: EncodableMessage, tMs: number, out: (timeMs: number, lines: string[]) => void): void {
    const multi = msg.type === 5;
    const seqId = multi ? this.seq++ % 10 : 0;
    const channel = this.rng.chance(0.5) ? 'A' : 'B';
    /** The sentence of a one-sentence message, encoded once: further receivers only change the TAG block. */
    let sentence: string | null = null;
    for (const rx of this.receivers) {
      if (rx.hears < 1 && !this.rng.chance(rx.hears)) continue;
      const at = tMs + Math.round(this.rng.range(rx.delayMs[0], rx.delayMs[1]));
      if (at >= this.window.endMs) continue;
      if (sentence !== null) {
        out(at, [encodeTagBlock({ s: rx.name, c: Math.floor(at / 1000) }) + sentence]);
        continue;
      }
      const lines = toNmeaLines(msg, { timeMs: at, source: rx.name, seqId, channel });
      // Multi-sentence messages carry a TAG group id derived from the time: re-encode those per receiver.
      if (lines.length === 1) sentence = lines[0]!.slice(lines[0]!.indexOf('\\', 1) + 1);
      out(at, lines);
    }
  }

  private position(tMs: number, kin: Kinematic): EncodableMessage {
    const r = this.rng;
    const p = offsetEastNorth(kin, r.gauss() * POSITION_SIGMA_M, r.gauss() * POSITION_SIGMA_M);
    const lat = round(p.lat, 1e6);
    const lon = round(p.lon, 1e6);
    const sog = Math.min(102.2, Math.max(0, round(kin.sogKn + r.gauss() * (kin.sogKn < 0.5 ? 0.05 : 0.1), 10)));
    // Course over ground is noise itself when a ship barely moves.
    const cogNoise = kin.sogKn < 0.5 ? 25 : 1.2;
    const cog = round((((kin.cogDeg + r.gauss() * cogNoise) % 360) + 360) % 360, 10) % 360;
    const heading = Math.round((((kin.headingDeg + r.gauss() * 1.5) % 360) + 360) % 360) % 360;
    const second = Math.floor(tMs / 1000) % 60;
    const mmsi = this.vessel.identity.mmsi;
    if (this.vessel.identity.aisClass === 'B') {
      return classBPosition({ mmsi, lon, lat, sog, cog, heading: r.chance(0.3) ? null : heading, second });
    }
    // Type 3 (ITDMA, assigned) appears in real feeds beside type 1 (SOTDMA).
    return classAPosition({
      type: r.chance(0.12) ? 3 : 1,
      mmsi,
      lon,
      lat,
      sog,
      cog,
      heading,
      second,
      navStatus: kin.navStatus,
      rot: 0,
      rotRaw: 0,
      accuracy: r.chance(0.3),
      maneuver: null,
    });
  }

  private draughtAt(tMs: number): number | null {
    let d = this.vessel.identity.draughtM;
    for (const c of this.vessel.draughts ?? []) if (c.fromMs <= tMs) d = c.draughtM;
    return d;
  }

  private destinationAt(tMs: number): string | null {
    let d = this.vessel.identity.destination;
    for (const c of this.vessel.destinations ?? []) if (c.fromMs <= tMs) d = c.destination;
    return d;
  }

  private staticA(tMs: number): EncodableMessage {
    const id = this.vessel.identity;
    return staticVoyage({
      mmsi: id.mmsi,
      aisVersion: 2,
      imo: id.imo,
      callsign: id.callsign,
      name: id.name,
      shipType: id.shipType,
      dimBow: id.dimBow,
      dimStern: id.dimStern,
      dimPort: id.dimPort,
      dimStarboard: id.dimStarboard,
      epfd: 1,
      etaMonth: this.eta.month,
      etaDay: this.eta.day,
      etaHour: this.eta.hour,
      etaMinute: this.eta.minute,
      draught: this.draughtAt(tMs),
      destination: this.destinationAt(tMs),
    });
  }

  private staticBPartA(): StaticDataReportA {
    return { type: 24, repeat: 0, mmsi: this.vessel.identity.mmsi, partNumber: 0, name: this.vessel.identity.name };
  }

  private staticBPartB(): StaticDataReportB {
    const id = this.vessel.identity;
    return {
      type: 24,
      repeat: 0,
      mmsi: id.mmsi,
      partNumber: 1,
      shipType: id.shipType,
      vendorId: 'SRT',
      model: 1,
      serial: id.mmsi % 1_048_576,
      callsign: id.callsign,
      dimBow: id.dimBow,
      dimStern: id.dimStern,
      dimPort: id.dimPort,
      dimStarboard: id.dimStarboard,
      mothershipMmsi: null,
    };
  }
}

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}
