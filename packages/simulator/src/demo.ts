/**
 * The first-run demo's traffic (`npm start` on an empty database with DEMO=on): a short run that
 * ends at a given time ("now"), every ship named `DEMO …` so nobody mistakes it for a real one,
 * and its rendezvous pinned early in the run so an accelerated replay shows alerts within seconds:
 *
 *   +1 h     `meeting`: the demo-listed tanker meets a partner for 3 h (sensitive profile: an
 *            alert after 30 min alongside), then both steam on for the rest of the run
 *   +1.5 h   `mother_ship`: a mother ship serves daughter A for 3 h, then daughter B (GFW rule:
 *            alerts after 2 h alongside); B is still close to the run's end, so it stays ongoing
 *   random   `passing` and `short_stop`: look-alikes that must not alert
 *
 * Pure like the rest of the package: the caller replays the lines and imports the watchlist.
 */
import type { ScenarioName } from './scenarios/index.ts';
import { simulate, type Simulation } from './simulate.ts';
import { iso, watchlistCsv, type EncounterTruth, type TruthVessel } from './truth.ts';

export const DEMO_NAME_PREFIX = 'DEMO';
/** Long enough for the second mother-ship meeting (≤ 7.5 h from +1.5 h) and 1 h of margin. */
export const DEMO_HOURS = 10;
export const DEMO_SCENARIOS: readonly ScenarioName[] = ['meeting', 'mother_ship', 'passing', 'short_stop'];
/** Hours into the run (see above): the earliest the scenarios' 1 h approach margin allows. */
const DEMO_HOLD_AT: Partial<Record<ScenarioName, number>> = { meeting: 1, mother_ship: 1.5 };
/** The vessel the demo watchlist names. */
const LISTED_KEY = 'meeting/suspect';

export interface DemoOptions {
  /** End of the run, epoch ms (usually now: the replay then never reaches the future). */
  endMs: number;
  /** Background ships on the world's lanes and anchorages (default 20: a map, not a load test). */
  vessels?: number;
  /** Default 7: the same demo ships (names, MMSIs) on every machine, so the README can name them. */
  seed?: number;
}

export interface DemoTraffic {
  simulation: Simulation;
  /** The vessel on the demo watchlist (the `meeting` scenario's suspect tanker). */
  listed: TruthVessel;
  /** The demo watchlist as the plain CSV format (`imo,mmsi,name,reason,source,listed_at`): one entry. */
  watchlistCsv: string;
  /** The rendezvous the detector should report, in time order. */
  meetings: EncounterTruth[];
}

export function demoTraffic(options: DemoOptions): DemoTraffic {
  const endMs = Math.floor(options.endMs / 1000) * 1000;
  const startMs = endMs - DEMO_HOURS * 3_600_000;
  const simulation = simulate({
    start: startMs,
    hours: DEMO_HOURS,
    vessels: options.vessels ?? 20,
    seed: options.seed ?? 7,
    scenarios: DEMO_SCENARIOS,
    namePrefix: DEMO_NAME_PREFIX,
    holdAt: DEMO_HOLD_AT,
    // Only the one vessel below is listed: the others meet under the ordinary GFW rule.
    watchlist: false,
  });
  const { truth } = simulation;
  const vessel = truth.vessels.find((v) => v.key === LISTED_KEY);
  if (vessel === undefined) throw new Error(`demo: the simulation has no ${LISTED_KEY}`);
  // Listed half a year before the run, so the listing is in force for the whole demo.
  const listed: TruthVessel = {
    ...vessel,
    watchlist: { reason: 'DEMO: simulated suspect, not a real ship', source: 'rendezvous demo', listedAt: iso(startMs - 180 * 86_400_000).slice(0, 10) },
  };
  const meetings = [...truth.meetings].sort((a, b) => Date.parse(a.start ?? '') - Date.parse(b.start ?? ''));
  return { simulation, listed, watchlistCsv: watchlistCsv({ ...truth, vessels: [listed] }), meetings };
}
