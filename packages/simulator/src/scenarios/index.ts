import { coverageHoleGap, darkDark, darkPartner } from './dark-activity.ts';
import { darkLoiter } from './dark-loiter.ts';
import { draughtAfterMeeting } from './draught.ts';
import { antimeridian, midnight, rates, silence } from './meeting-variants.ts';
import { meeting, shortStop } from './meeting.ts';
import { motherShip } from './mother-ship.ts';
import { convoy, loiterApart, passing } from './negatives.ts';
import type { Scenario, ScenarioName } from './scenario.ts';
import { sharedMmsi } from './shared-mmsi.ts';
import { circleSpoof, sharedImo } from './spoofing.ts';
import { gapNearSanctionedArea } from './gap-near-area.ts';
import { sanctionedPortCall } from './sanctioned-port-call.ts';
import { voyageIrregularity } from './voyages.ts';

export { SCENARIO_NAMES, type ScenarioName, type Scenario } from './scenario.ts';

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  meeting,
  passing,
  convoy,
  short_stop: shortStop,
  loiter_apart: loiterApart,
  mother_ship: motherShip,
  silence,
  midnight,
  rates,
  shared_mmsi: sharedMmsi,
  antimeridian,
  dark_loiter: darkLoiter,
  dark_partner: darkPartner,
  dark_dark: darkDark,
  coverage_hole_gap: coverageHoleGap,
  draught_after_meeting: draughtAfterMeeting,
  shared_imo: sharedImo,
  circle_spoof: circleSpoof,
  sanctioned_port_call: sanctionedPortCall,
  gap_near_sanctioned_area: gapNearSanctionedArea,
  voyage_irregularity: voyageIrregularity,
};
