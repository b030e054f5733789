/**
 * A mother ship serving two daughters in turn (the pattern of fuel and oil transfers off Malaysia
 * and in the East China Sea): two encounters for the mother, none between the daughters.
 */
import { iso } from '../truth.ts';
import { NAV, WaypointTrack } from '../kinematics.ts';
import { around, alongside, drift, stationWaypoints } from './choreography.ts';
import { HOUR, MINUTE, placeHold, scripted, tooShort, type Scenario } from './scenario.ts';

export const motherShip: Scenario = {
  name: 'mother_ship',
  hub: { label: 'East China Sea', lat: 30.8, lon: 124.2 },
  jitterM: 15_000,
  build(ctx) {
    const r = ctx.rng;
    const serveMs = 3 * HOUR;
    const gapMs = Math.round(r.range(60, 90)) * MINUTE;
    const motherMs = 2 * serveMs + gapMs;
    const t = placeHold(ctx, motherMs);
    if (t === null) return tooShort(ctx, 2 * 3 + 1.5 + 2);
    const side = Math.round(r.range(0, 360));
    const driftBearing = Math.round(r.range(0, 360));
    const driftKn = Math.round(r.range(0.2, 0.6) * 100) / 100;
    const heading = Math.round(r.range(0, 360));
    const common = { window: ctx.window, holdNavStatus: NAV.restricted, holdHeading: heading };
    const motherTrack = new WaypointTrack(
      stationWaypoints({
        ...common,
        holdStart: ctx.centre,
        holdEnd: drift(ctx.centre, driftBearing, driftKn, motherMs),
        tHoldStart: t,
        tHoldEnd: t + motherMs,
        arriveFrom: around(r, side + 90, 30),
        departTo: around(r, side - 90, 30),
        cruiseKn: r.range(9, 12),
      }),
    );
    // Each daughter lies alongside the drifting mother, A on one side and B on the other, and
    // comes and goes from its own side so the two never pass close to each other.
    const daughter = (t0: number, bearing: number, sepM: number) =>
      stationWaypoints({
        ...common,
        holdStart: alongside(motherTrack, t0, bearing, sepM),
        holdEnd: alongside(motherTrack, t0 + serveMs, bearing, sepM),
        tHoldStart: t0,
        tHoldEnd: t0 + serveMs,
        arriveFrom: around(r, bearing, 40),
        departTo: around(r, bearing, 40),
        cruiseKn: r.range(10, 13),
      });
    const tB = t + serveMs + gapMs;
    const [sepA, sepB] = [Math.round(r.range(60, 300)), Math.round(r.range(60, 300))];
    return {
      description: 'A mother ship meets daughter A for 3 h, then daughter B for 3 h after A has left: exactly two encounters.',
      vessels: [
        scripted(ctx, 'mother', 'tanker', motherTrack, { watchlisted: true, shadowFlag: true }),
        scripted(ctx, 'daughter_a', 'tanker', daughter(t, side, sepA)),
        scripted(ctx, 'daughter_b', 'tanker', daughter(tB, (side + 180) % 360, sepB)),
      ],
      pairs: [
        { a: 'mother', b: 'daughter_a' },
        { a: 'mother', b: 'daughter_b' },
        { a: 'daughter_a', b: 'daughter_b' },
      ],
      params: {
        daughterA: { holdStart: iso(t), holdEnd: iso(t + serveMs), separationM: sepA },
        daughterB: { holdStart: iso(tB), holdEnd: iso(tB + serveMs), separationM: sepB },
        gapMin: gapMs / MINUTE,
        driftKn,
      },
    };
  },
};
