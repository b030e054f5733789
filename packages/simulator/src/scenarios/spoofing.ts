/**
 * Spoofing on air (DESIGN.md, "Dark activity"): one IMO number on two hulls far apart at the same
 * time (`shared_imo`), and positions tracing a small circle again and again while the ship reports
 * a speed (`circle_spoof`, a fixed-pattern GNSS spoof). Neither is a rendezvous, a gap or loitering.
 */
import { METRES_PER_NM, haversineM, sphericalDestination } from '@rendezvous/geodesy';
import { CircleTrack, LaneTrack } from '../kinematics.ts';
import { iso } from '../truth.ts';
import { scripted, type Scenario, type ScenarioContext } from './scenario.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A ship running back and forth on a `lengthM` lane through `centre` (stays at sea however long the run). */
function passage(ctx: ScenarioContext, centre: { lat: number; lon: number }, lengthM: number): LaneTrack {
  const r = ctx.rng;
  const course = Math.round(r.range(0, 180));
  const lane = { name: `${ctx.name} passage`, points: [sphericalDestination(centre, (course + 180) % 360, lengthM / 2), sphericalDestination(centre, course, lengthM / 2)] };
  return new LaneTrack(lane, { startFraction: r.range(0.2, 0.8), speedKn: round1(r.range(11, 13)), direction: r.chance(0.5) ? 1 : -1, offsetM: 0, t0Ms: ctx.window.startMs });
}

/** The second hull: central Arabian Sea, > 600 km from India, Oman and the Maldives/Lakshadweep. */
const SECOND_HULL = { lat: 12.0, lon: 66.0 };

export const sharedImo: Scenario = {
  name: 'shared_imo',
  // Central Bay of Bengal: ~550 km from the Indian coast at 15° N (80° E is land), ~650 km from the
  // Andaman Islands, ~700 km from the Sundarbans. The second hull is ~2,400 km west (above).
  hub: { label: 'Central Bay of Bengal', lat: 15.0, lon: 88.0 },
  jitterM: 10_000,
  build(ctx) {
    const r = ctx.rng;
    const first = scripted(ctx, 'hull_1', 'tanker', passage(ctx, ctx.centre, 300_000), { watchlisted: true, shadowFlag: true });
    const second = scripted(ctx, 'hull_2', 'tanker', passage(ctx, sphericalDestination(SECOND_HULL, r.range(0, 360), r.range(0, 10_000)), 300_000), { shadowFlag: true });
    // The clone reports the first hull's IMO under its own MMSI, name and call sign.
    second.identity = { ...second.identity, imo: first.identity.imo };
    let minM = Infinity;
    for (let t = ctx.window.startMs; t <= ctx.window.endMs; t += 10 * 60_000) {
      const a = first.track.at(t);
      const b = second.track.at(t);
      minM = Math.min(minM, haversineM(a.lon, a.lat, b.lon, b.lat));
    }
    const minNm = Math.round(minM / METRES_PER_NM);
    return {
      description: 'One IMO number reported by two MMSIs at once, on two hulls > 1,000 nm apart (Bay of Bengal and Arabian Sea): one of them is a false identity.',
      vessels: [first, second],
      pairs: [{ a: 'hull_1', b: 'hull_2', override: { expected: false, why: `${minNm} nm apart at their closest` } }],
      params: { imo: first.identity.imo, minSeparationNm: minNm },
      extra: {
        expectedAlerts: [],
        spoofing: [
          {
            kind: 'shared_imo',
            vessels: [first.key, second.key],
            mmsis: [first.identity.mmsi, second.identity.mmsi],
            start: iso(ctx.window.startMs),
            end: iso(ctx.window.endMs),
            expected: true,
            why: `IMO ${first.identity.imo} reported by MMSIs ${first.identity.mmsi} and ${second.identity.mmsi} at the same time, ≥ ${minNm} nm apart (> 500 nm): two hulls, one identity`,
            imo: first.identity.imo!,
            minSeparationNm: minNm,
          },
        ],
      },
    };
  },
};

export const circleSpoof: Scenario = {
  name: 'circle_spoof',
  // Central Black Sea, where GNSS interference is reported: ~120 km from Crimea's southern tip,
  // ~145 km from the Turkish coast at Inebolu; no background lane or port is near.
  hub: { label: 'Central Black Sea', lat: 43.2, lon: 34.0 },
  jitterM: 10_000,
  build(ctx) {
    const r = ctx.rng;
    const radiusM = Math.round(r.range(300, 450));
    const sogKn = round1(r.range(7, 10));
    const track = new CircleTrack(ctx.centre, { radiusM, sogKn, phaseDeg: r.range(0, 360), clockwise: r.chance(0.5) });
    const v = scripted(ctx, 'circler', 'tanker', track, { watchlisted: true, shadowFlag: true });
    const periodMin = round1(track.period / 60_000);
    const span = { start: iso(ctx.window.startMs), end: iso(ctx.window.endMs) };
    return {
      description: `Positions trace a ${2 * radiusM} m circle every ${periodMin} min for the whole run while the ship reports ${sogKn} kn: a fixed-pattern spoof, not loitering or a meeting.`,
      vessels: [v],
      pairs: [],
      params: { radiusM, sogKn, periodMin },
      extra: {
        expectedAlerts: [
          {
            type: 'loitering',
            vessels: [v.key],
            mmsis: [v.identity.mmsi],
            ...span,
            expected: false,
            why: `the positions move at the ${sogKn} kn they report (Σ distance / Σ time per hour is not < 2 kn); that they go nowhere is the spoof, reported as spoofing`,
          },
        ],
        spoofing: [
          {
            kind: 'circle',
            vessels: [v.key],
            mmsis: [v.identity.mmsi],
            ...span,
            expected: true,
            why: `${Math.round((Date.parse(span.end) - Date.parse(span.start)) / track.period)} turns of a ${2 * radiusM} m circle at a reported ${sogKn} kn (SOG > 0 on a fixed pattern)`,
            centre: { lat: Math.round(ctx.centre.lat * 1e6) / 1e6, lon: Math.round(ctx.centre.lon * 1e6) / 1e6 },
            diameterM: 2 * radiusM,
            reportedSogKn: sogKn,
            periodMin,
          },
        ],
      },
    };
  },
};
