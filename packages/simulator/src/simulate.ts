/**
 * The one entry point: options in, `{ lines, truth }` out. The truth is computed up front from the
 * noise-free tracks (cheap); the lines are produced lazily, in time order, each time `lines` is
 * iterated — identical every time for the same options.
 */
import { DEFAULT_RATES, VesselEmitter, type RateOptions, type Receiver, type SimVessel, type TimeRange } from './emitter.ts';
import { EARLIEST_AIS_MS } from '@rendezvous/ais';
import { sphericalDestination } from '@rendezvous/geodesy';
import { mergeEmitters } from './merge.ts';
import { rootRng } from './prng.ts';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from './scenarios/index.ts';
import type { ScenarioVessel } from './scenarios/scenario.ts';
import { backgroundTraffic, type BackgroundVessel } from './traffic.ts';
import { GFW_RULE, evaluatePair, iso, type GroundTruth, type ScenarioTruth, type TruthVessel } from './truth.ts';
import { VesselFactory } from './vessel-factory.ts';

export interface SimulationOptions {
  /** Start of the run: an ISO time (any year AIS existed: 2011 or 2026 alike), epoch ms or Date. Default 2026-01-01T00:00:00Z. */
  start?: string | number | Date;
  /** Length of the run in hours (default 24). */
  hours?: number;
  /** Background vessels (scenario vessels come on top). Default 200. */
  vessels?: number;
  /** PRNG seed (default 1). Same options, same bytes. */
  seed?: number;
  /**
   * Scenarios to script; `all` (default) takes every one that fits the window and lists the rest as
   * skipped, except the named-only ones (sanctioned_port_call, gap_near_sanctioned_area,
   * voyage_irregularity), which run only when named.
   */
  scenarios?: readonly ScenarioName[] | 'all';
  /** Receivers 1–3: copies of a message heard by several stations, with slightly different `c:` times. Default 1. */
  receivers?: number;
  rates?: Partial<RateOptions>;
  /** Share of background vessels at anchor (default 0.2). */
  anchoredShare?: number;
  /** Share of background vessels with Class B transponders (default 0.1). */
  classBShare?: number;
  /** Mark each scenario's suspect as watchlisted in the truth (default true). */
  watchlist?: boolean;
  /**
   * Prefix every vessel name with this word (1–6 letters or digits, e.g. `DEMO`), so simulated
   * ships are never mistaken for real ones; names are shortened to keep AIS's 20 characters.
   */
  namePrefix?: string;
  /**
   * Hours after `start` at which a scenario's hold (its meeting, or its first one) begins, instead
   * of a random time: for runs whose timing matters. Needs the scenario's margins (1 h each side).
   */
  holdAt?: Partial<Record<ScenarioName, number>>;
}

export interface Simulation {
  /** NMEA lines with TAG blocks, sorted by `c:` time; lazily generated on each iteration. */
  lines: Iterable<string>;
  truth: GroundTruth;
}

const RECEIVERS: readonly Receiver[] = [
  { name: 'sim-rx1', hears: 1, delayMs: [0, 300] },
  { name: 'sim-rx2', hears: 0.7, delayMs: [200, 2500] },
  { name: 'sim-rx3', hears: 0.5, delayMs: [400, 3000] },
];

function parseStart(start: SimulationOptions['start']): number {
  const ms = start === undefined ? Date.UTC(2026, 0, 1) : start instanceof Date ? start.getTime() : typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(ms)) throw new RangeError(`start ${String(start)} is not a valid time`);
  // AIS began in 2002; TAG c: is unix seconds, so stay within what 32-bit-era tools expect too.
  if (ms < EARLIEST_AIS_MS || ms > Date.UTC(2100, 0, 1)) throw new RangeError('start must be between 2002 and 2100');
  return Math.floor(ms / 1000) * 1000;
}

export function simulate(options: SimulationOptions = {}): Simulation {
  const startMs = parseStart(options.start);
  const hours = options.hours ?? 24;
  if (!(hours > 0 && hours <= 24 * 31)) throw new RangeError('hours must be > 0 and at most 744');
  const count = options.vessels ?? 200;
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) throw new RangeError('vessels must be a whole number 0–1000000');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError('seed must be a whole number');
  const nRx = options.receivers ?? 1;
  if (!Number.isInteger(nRx) || nRx < 1 || nRx > 3) throw new RangeError('receivers must be 1, 2 or 3');
  const rates: RateOptions = { ...DEFAULT_RATES, ...options.rates };
  checkRates(rates);
  const explicit = options.scenarios !== undefined && options.scenarios !== 'all';
  for (const n of explicit ? (options.scenarios as readonly ScenarioName[]) : []) if (!SCENARIOS[n]) throw new RangeError(`unknown scenario ${n} (known: ${SCENARIO_NAMES.join(', ')})`);
  // 'all' leaves out the scenarios that must be named (they need port lists given to the detector).
  const names: readonly ScenarioName[] = explicit ? (options.scenarios as readonly ScenarioName[]) : SCENARIO_NAMES.filter((n) => SCENARIOS[n].namedOnly === undefined);
  const namePrefix = options.namePrefix;
  if (namePrefix !== undefined && !/^[A-Z0-9]{1,6}$/.test(namePrefix)) throw new RangeError('namePrefix must be 1–6 capital letters or digits');
  const holdAt = options.holdAt ?? {};
  for (const [n, h] of Object.entries(holdAt)) {
    if (!names.includes(n as ScenarioName)) throw new RangeError(`holdAt.${n}: not a scenario of this run`);
    if (!(typeof h === 'number' && Number.isFinite(h) && h >= 0)) throw new RangeError(`holdAt.${n} must be a number of hours ≥ 0`);
  }

  const window: TimeRange = { startMs, endMs: startMs + Math.round(hours * 3_600_000) };
  const root = rootRng(seed);
  const factory = new VesselFactory(root.fork('identities'), namePrefix ? { namePrefix } : {});

  // Scenarios first, in the registry's order, so their identities do not depend on the background size.
  const scenarioVessels: ScenarioVessel[] = [];
  const scenarioTruths: ScenarioTruth[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of SCENARIO_NAMES) {
    if (!names.includes(name)) continue;
    const sc = SCENARIOS[name];
    const rng = root.fork(`scenario:${name}`);
    const centre = sc.jitterM > 0 ? sphericalDestination(sc.hub, rng.range(0, 360), rng.range(0, sc.jitterM)) : { lat: sc.hub.lat, lon: sc.hub.lon };
    const pinAt = holdAt[name];
    const pinnedHold = pinAt === undefined ? undefined : { startMs: startMs + Math.round(pinAt * 60) * 60_000, used: false };
    const built = sc.build({ name, rng, window, centre, factory, rates, ...(pinnedHold ? { pinnedHold } : {}) });
    if (pinnedHold && !('skip' in built) && !pinnedHold.used) throw new RangeError(`holdAt.${name}: this scenario has no hold to place`);
    if ('skip' in built) {
      if (explicit) throw new RangeError(`scenario ${name}: ${built.skip}`);
      skipped.push({ name, reason: built.skip });
      continue;
    }
    const byRole = new Map(built.vessels.map((v) => [v.role, v]));
    const role = (r: string) => {
      const v = byRole.get(r);
      if (!v) throw new Error(`scenario ${name} has no vessel ${r}`);
      return { key: v.key, mmsi: v.identity.mmsi, track: v.track, ...(v.reporting.silences ? { silences: v.reporting.silences } : {}) };
    };
    const encounters = built.pairs.map((p) =>
      evaluatePair({ scenario: name, a: role(p.a), b: role(p.b), from: window.startMs, to: window.endMs, ...(p.override ? { override: p.override } : {}) }),
    );
    scenarioVessels.push(...built.vessels);
    scenarioTruths.push({
      name,
      description: built.description,
      centre: { lat: round6(centre.lat), lon: round6(centre.lon) },
      vessels: built.vessels.map((v) => v.key),
      mmsis: [...new Set(built.vessels.map((v) => v.identity.mmsi))],
      expectedEncounters: encounters.filter((e) => e.expected).length,
      encounters,
      params: built.params,
      ...built.extra,
    });
  }

  const background = backgroundTraffic((label) => root.fork(`bg:${label}`), factory, window, {
    count,
    anchoredShare: options.anchoredShare ?? 0.2,
    classBShare: options.classBShare ?? 0.1,
    rates,
  });

  const listedAt = iso(startMs - 180 * 86_400_000).slice(0, 10);
  const watch = options.watchlist ?? true;
  const truthVessels: TruthVessel[] = [
    ...scenarioVessels.map((v) => truthVessel(v, v.key.split('/')[0]!, v.role, 'scripted', undefined, watch && v.watchlisted ? { reason: `simulated ${v.key.split('/')[0]} suspect`, source: 'rendezvous-simulator', listedAt } : undefined)),
    ...background.vessels.map((v) => truthVessel(v, null, v.motion === 'anchored' ? 'anchored' : 'transit', v.motion, v.area, undefined)),
  ];
  const mmsiUse = new Map<number, number>();
  for (const v of [...scenarioVessels, ...background.vessels]) mmsiUse.set(v.identity.mmsi, (mmsiUse.get(v.identity.mmsi) ?? 0) + 1);

  const receivers = RECEIVERS.slice(0, nRx);
  const all: SimVessel[] = [...scenarioVessels, ...background.vessels];
  const truth: GroundTruth = {
    generator: '@rendezvous/simulator',
    version: 1,
    seed,
    start: iso(window.startMs),
    end: iso(window.endMs),
    hours,
    receivers: receivers.map((r) => r.name),
    rule: GFW_RULE,
    scenarios: scenarioTruths,
    skippedScenarios: skipped,
    meetings: scenarioTruths.flatMap((s) => s.encounters.filter((e) => e.expected)),
    sharedMmsis: [...mmsiUse].filter(([, n]) => n > 1).map(([m]) => m),
    ports: background.ports,
    background: {
      vessels: background.vessels.length,
      transiting: background.vessels.filter((v) => v.motion === 'transit').length,
      anchored: background.vessels.filter((v) => v.motion === 'anchored').length,
      classB: background.vessels.filter((v) => v.identity.aisClass === 'B').length,
      satellite: background.vessels.filter((v) => v.reporting.satellite).length,
    },
    vessels: truthVessels,
  };

  const lines: Iterable<string> = {
    // Fresh emitters per iteration: each pass replays the same random streams from the start.
    [Symbol.iterator]: () => mergeEmitters(all.map((v) => new VesselEmitter(v, root.fork(`tx:${v.key}`), window, receivers)), window.endMs),
  };
  return { lines, truth };
}

function truthVessel(
  v: SimVessel | BackgroundVessel,
  scenario: string | null,
  role: string,
  motion: TruthVessel['motion'],
  area: string | undefined,
  watchlist: TruthVessel['watchlist'],
): TruthVessel {
  const id = v.identity;
  const r = v.reporting;
  return {
    key: v.key,
    scenario,
    role,
    mmsi: id.mmsi,
    imo: id.imo,
    name: id.name,
    callsign: id.callsign,
    shipType: id.shipType,
    kind: id.kind,
    aisClass: id.aisClass,
    flag: id.flag,
    lengthM: id.lengthM,
    motion,
    ...(area ? { area } : {}),
    reporting: { underwayS: r.underwayS, stationaryS: r.stationaryS, ...(r.fixedS !== undefined ? { fixedS: r.fixedS } : {}), ...(r.satellite ? { satellite: r.satellite } : {}) },
    ...(r.silences?.length ? { silences: r.silences.map((s) => ({ start: iso(s.startMs), end: iso(s.endMs) })) } : {}),
    ...(v.draughts?.length ? { draughts: v.draughts.map((d) => ({ from: iso(d.fromMs), draughtM: d.draughtM })) } : {}),
    ...(v.destinations?.length ? { destinations: v.destinations.map((d) => ({ from: iso(d.fromMs), destination: d.destination })) } : {}),
    ...(watchlist ? { watchlist } : {}),
  };
}

function checkRates(r: RateOptions): void {
  const pair = (name: string, [lo, hi]: [number, number], min: number) => {
    if (!(lo >= min && hi >= lo)) throw new RangeError(`rates.${name} must be [min, max] with ${min} ≤ min ≤ max`);
  };
  pair('classAUnderwayS', r.classAUnderwayS, 2);
  pair('classBS', r.classBS, 2);
  pair('satelliteGapS', r.satelliteGapS, 2);
  if (!(r.classAStationaryS >= 2)) throw new RangeError('rates.classAStationaryS must be ≥ 2');
  if (!(r.staticEveryS >= 10)) throw new RangeError('rates.staticEveryS must be ≥ 10');
  if (!(r.satelliteShare >= 0 && r.satelliteShare <= 1)) throw new RangeError('rates.satelliteShare must be within 0–1');
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
