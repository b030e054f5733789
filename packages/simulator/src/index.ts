/**
 * @rendezvous/simulator — deterministic AIS traffic with scripted rendezvous scenarios and their
 * ground truth (pure: no I/O). See README.md.
 */
export { simulate, type SimulationOptions, type Simulation } from './simulate.ts';
export { SCENARIO_NAMES, type ScenarioName } from './scenarios/index.ts';
export { DEFAULT_RATES, type RateOptions } from './emitter.ts';
export {
  GFW_RULE,
  watchlistCsv,
  portsCsv,
  type GroundTruth,
  type ScenarioTruth,
  type ExpectedAlert,
  type ExpectedAlertType,
  type DraughtChangeTruth,
  type SpoofingTruth,
  type EncounterTruth,
  type EncounterRule,
  type TruthVessel,
  type PortTruth,
  type PortCallTruth,
  type ScenarioPort,
  type WatchlistMark,
} from './truth.ts';
export { LANES, PORTS, ANCHOR_SPACING_M } from './traffic.ts';
export { demoTraffic, DEMO_HOURS, DEMO_NAME_PREFIX, DEMO_SCENARIOS, type DemoOptions, type DemoTraffic } from './demo.ts';
