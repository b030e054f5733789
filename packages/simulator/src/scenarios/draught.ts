/**
 * Draught as cargo evidence (DESIGN.md, "Dark activity"): type 5 draught is typed in by the crew, in
 * 0.1 m steps (0 = not available, 25.5 = 25.5 m or more). After a real two-ship meeting a Suezmax's
 * draught goes up by more than the 2 m that means cargo moved, and stays; elsewhere a crew's typo
 * (10.5 → 15.0 → 10.5 within the hour, no meeting) must not count.
 */
import { sphericalDestination } from '@rendezvous/geodesy';
import { LaneTrack } from '../kinematics.ts';
import { evaluatePair, iso, type DraughtChangeTruth, type ExpectedAlert } from '../truth.ts';
import type { VesselIdentity } from '../vessel-factory.ts';
import { buildMeeting, randomPlan } from './meeting.ts';
import { HOUR, MINUTE, placeHold, scripted, tooShort, type Scenario } from './scenario.ts';

/** An identity resized to a class of ship (AIS dimensions from the reference point: bow + stern, port + starboard). */
export function resized(id: VesselIdentity, lengthM: number, beamM: number, draughtM: number): VesselIdentity {
  const dimStern = Math.round(lengthM * 0.13);
  const dimPort = Math.floor(beamM / 2);
  return { ...id, lengthM, beamM, dimBow: lengthM - dimStern, dimStern, dimPort, dimStarboard: beamM - dimPort, draughtM };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export const draughtAfterMeeting: Scenario = {
  name: 'draught_after_meeting',
  // Levantine Sea south of Karpathos, over deep water. Nearest land: Karpathos (35.5° N 27.1° E)
  // ~180 km, eastern Crete ~220 km, Rhodes ~245 km, the Egyptian coast at Marsa Matruh (31.35° N)
  // ~295 km: > 90 nm from every coast and from every port (DESIGN: encounters ≥ 10 km from an
  // anchorage, draught changes away from ports). The background Mediterranean–Suez lane passes
  // ~140 km south; its ships only pass at ≥ 5 kn.
  hub: { label: 'Levantine Sea south of Karpathos', lat: 34.0, lon: 28.0 },
  jitterM: 8000,
  build(ctx) {
    const r = ctx.rng;
    const holdMs = 3 * HOUR;
    // After the hold: the new draught goes on air 30–60 min later and stays ≥ 2 h (≥ 20 type 5 reports).
    const t = placeHold(ctx, holdMs + 3 * HOUR);
    if (t === null) return tooShort(ctx, 8);
    const built = buildMeeting(ctx, randomPlan(ctx, t, holdMs), 'A 3 h meeting of two tankers > 90 nm offshore, after which the Suezmax reports a draught deeper by 4–6 m and keeps it; elsewhere a crew types 15.0 instead of 10.5 for 40 min. One encounter, one cargo draught change, one typo.');
    const [suspect, partner] = built.vessels as [(typeof built.vessels)[0], (typeof built.vessels)[0]];
    // The suspect is a Suezmax in ballast (275 m × 48 m, ~10 m), laden afterwards (14–17 m).
    const before = round1(r.range(9.5, 11.5));
    const after = round1(before + r.range(4, 6));
    suspect.identity = resized(suspect.identity, 275, 48, before);
    const tHoldEnd = t + holdMs;
    const tChange = tHoldEnd + Math.round(r.range(30, 60)) * MINUTE;
    suspect.draughts = [{ fromMs: tChange, draughtM: after }];

    // The typo: an MR tanker (183 m) steaming past 25–35 km away at 11–13 kn on a 300 km lane.
    const course = Math.round(r.range(0, 180));
    const mid = sphericalDestination(ctx.centre, (course + 90) % 360, r.range(25_000, 35_000));
    const lane = { name: `${ctx.name} passage`, points: [sphericalDestination(mid, (course + 180) % 360, 150_000), sphericalDestination(mid, course, 150_000)] };
    const typoTrack = new LaneTrack(lane, { startFraction: r.range(0.3, 0.7), speedKn: round1(r.range(11, 13)), direction: r.chance(0.5) ? 1 : -1, offsetM: 0, t0Ms: ctx.window.startMs });
    const typo = scripted(ctx, 'typo', 'tanker', typoTrack);
    typo.identity = resized(typo.identity, 183, 32, 10.5);
    const tTypo = Math.round(r.range(ctx.window.startMs + HOUR, ctx.window.endMs - 2 * HOUR) / MINUTE) * MINUTE;
    const tBack = tTypo + 40 * MINUTE;
    typo.draughts = [
      { fromMs: tTypo, draughtM: 15.0 },
      { fromMs: tBack, draughtM: 10.5 },
    ];

    const enc = evaluatePair({
      scenario: ctx.name,
      a: { key: suspect.key, mmsi: suspect.identity.mmsi, track: suspect.track },
      b: { key: partner.key, mmsi: partner.identity.mmsi, track: partner.track },
      from: ctx.window.startMs,
      to: ctx.window.endMs,
    });
    const draughtChanges: DraughtChangeTruth[] = [
      {
        vessel: suspect.key,
        mmsi: suspect.identity.mmsi,
        lengthM: 275,
        at: iso(tChange),
        fromM: before,
        toM: after,
        revertedAt: null,
        expected: true,
        why: `+${round1(after - before)} m on a 275 m Suezmax (≥ 2 m counts), ${Math.round((tChange - tHoldEnd) / MINUTE)} min after a 3 h meeting > 90 nm offshore, kept to the end of the run: cargo loaded`,
      },
      {
        vessel: typo.key,
        mmsi: typo.identity.mmsi,
        lengthM: 183,
        at: iso(tTypo),
        fromM: 10.5,
        toM: 15.0,
        revertedAt: iso(tBack),
        expected: false,
        why: 'back to 10.5 m after 40 min, under way at 11–13 kn, no meeting or gap: a typo, not cargo',
      },
    ];
    const expectedAlerts: ExpectedAlert[] = [
      {
        type: 'rendezvous',
        vessels: [suspect.key, partner.key],
        mmsis: [suspect.identity.mmsi, partner.identity.mmsi],
        start: enc.start!,
        end: enc.end!,
        expected: true,
        why: enc.why,
        details: { draughtChangeM: round1(after - before), draughtChangeAt: iso(tChange) },
      },
    ];
    return {
      ...built,
      vessels: [suspect, partner, typo],
      pairs: [...built.pairs, { a: 'suspect', b: 'typo' }, { a: 'partner', b: 'typo' }],
      params: { ...built.params, draught: { before, after, at: iso(tChange) }, typo: { at: iso(tTypo), back: iso(tBack) } },
      extra: { expectedAlerts, draughtChanges },
    };
  },
};
