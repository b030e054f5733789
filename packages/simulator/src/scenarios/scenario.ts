/**
 * What every scenario module provides: a place, and a builder that scripts its vessels inside the
 * run's time window and names the pairs the truth must judge.
 */
import type { RateOptions, ReportingProfile, SimVessel, TimeRange } from '../emitter.ts';
import type { LatLon } from '@rendezvous/geodesy';
import { WaypointTrack, type Track, type Waypoint } from '../kinematics.ts';
import type { Rng } from '../prng.ts';
import type { ScenarioTruth } from '../truth.ts';
import type { ShipKind, VesselFactory, VesselIdentity } from '../vessel-factory.ts';

export const SCENARIO_NAMES = [
  'meeting',
  'passing',
  'convoy',
  'short_stop',
  'loiter_apart',
  'mother_ship',
  'silence',
  'midnight',
  'rates',
  'shared_mmsi',
  'antimeridian',
  'dark_loiter',
  'dark_partner',
  'dark_dark',
  'coverage_hole_gap',
  'draught_after_meeting',
  'shared_imo',
  'circle_spoof',
  'sanctioned_port_call',
  'gap_near_sanctioned_area',
  'voyage_irregularity',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioContext {
  name: ScenarioName;
  rng: Rng;
  window: TimeRange;
  /** Where the scenario happens (its hub, jittered per seed). */
  centre: LatLon;
  factory: VesselFactory;
  rates: RateOptions;
  /**
   * A fixed start for the scenario's hold (simulate's `holdAt`) instead of a random one, for runs
   * whose timing matters (the first-run demo); `used` records that the scenario honoured it.
   */
  pinnedHold?: { startMs: number; used: boolean };
}

export interface ScenarioVessel extends SimVessel {
  role: string;
  /** Marked in the truth as on a watchlist (the scenario's suspect). */
  watchlisted: boolean;
}

export interface PairSpec {
  a: string;
  b: string;
  override?: { expected: boolean; why: string };
}

export interface ScenarioBuild {
  description: string;
  vessels: ScenarioVessel[];
  /** Pairs (by role) the truth evaluates. */
  pairs: PairSpec[];
  params: Record<string, unknown>;
  /** Scenario-specific truth (shared MMSI, loitering, gap), with times already ISO. */
  extra?: Pick<ScenarioTruth, 'sharedMmsi' | 'loitering' | 'gap' | 'darkRendezvous' | 'expectedAlerts' | 'draughtChanges' | 'spoofing' | 'ports' | 'portCalls'>;
}

export type ScenarioResult = ScenarioBuild | { skip: string };

export interface Scenario {
  name: ScenarioName;
  /** Real STS hubs and open-sea spots, well away from the background ports. */
  hub: LatLon & { label: string };
  /** Jitter of the centre around the hub, metres (0 where the place itself is the point). */
  jitterM: number;
  /**
   * Run only when asked for by name, never by `scenarios: 'all'`: the port and voyage scenarios
   * (issue 15) need the detector to be given ports (truth `ports`, a PORTS_FILE) and the
   * sanctioned lists, and runs of one to three days; the reason is what the README says.
   */
  namedOnly?: string;
  build(ctx: ScenarioContext): ScenarioResult;
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** A Class A scenario ship with terrestrial reporting drawn from the run's rates. */
export function scripted(
  ctx: ScenarioContext,
  role: string,
  kind: ShipKind,
  track: Track | Waypoint[],
  opts: { watchlisted?: boolean; shadowFlag?: boolean; identity?: VesselIdentity; reporting?: Partial<ReportingProfile> } = {},
): ScenarioVessel {
  const identity = opts.identity ?? ctx.factory.make(kind, { shadowFlag: opts.shadowFlag ?? false });
  const r = ctx.rates;
  const underwayS = identity.aisClass === 'A' ? ctx.rng.int(r.classAUnderwayS[0], r.classAUnderwayS[1]) : ctx.rng.int(r.classBS[0], r.classBS[1]);
  return {
    key: `${ctx.name}/${role}`,
    role,
    identity,
    track: Array.isArray(track) ? new WaypointTrack(track) : track,
    reporting: { underwayS, stationaryS: r.classAStationaryS, staticEveryS: r.staticEveryS, ...opts.reporting },
    watchlisted: opts.watchlisted ?? false,
  };
}

/**
 * Start of a hold of `holdMs` placed at random in the window, leaving `marginMs` of data before
 * and after it so the approach and departure are in the output; null when it cannot fit.
 */
export function placeHold(ctx: ScenarioContext, holdMs: number, marginMs = HOUR): number | null {
  const lo = ctx.window.startMs + marginMs;
  const hi = ctx.window.endMs - marginMs - holdMs;
  if (hi < lo) return null;
  // Whole minutes keep the truth readable. Drawn even when pinned, so pinning moves the hold
  // and leaves every other draw of the scenario (separation, drift, identities) as it was.
  const drawn = Math.round(ctx.rng.range(lo, hi) / MINUTE) * MINUTE;
  const pin = ctx.pinnedHold;
  if (pin === undefined) return drawn;
  if (pin.startMs < lo || pin.startMs > hi) {
    const at = (pin.startMs - ctx.window.startMs) / HOUR;
    throw new RangeError(
      `holdAt.${ctx.name}: a hold of ${round2(holdMs / HOUR)} h starting ${round2(at)} h into the run needs ${marginMs / HOUR} h of run before and after it (run is ${round2((ctx.window.endMs - ctx.window.startMs) / HOUR)} h)`,
    );
  }
  pin.used = true;
  return pin.startMs;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export const tooShort = (ctx: ScenarioContext, needH: number): { skip: string } => ({
  skip: `needs a window of at least ${needH} h (run is ${(ctx.window.endMs - ctx.window.startMs) / HOUR} h)`,
});
