/**
 * A "dark rendezvous": one ship loiters in the open sea while its partner switches AIS off on the
 * way in, lies alongside unseen, and reappears on the way out. No AIS encounter is possible; a
 * loitering event plus a gap that starts and ends near it is the evidence.
 */
import { KN_TO_MS, haversineM } from '@rendezvous/geodesy';
import { iso, medianSpeed } from '../truth.ts';
import { loiterWithPartner } from './choreography.ts';
import { HOUR, MINUTE, placeHold, scripted, type Scenario } from './scenario.ts';

/** The partner goes dark this far out (and reappears as far out). */
const DARK_RADIUS_M = 20_000;
const SLOW_MIN = 20;
const SLOW_KN = 3;

export const darkLoiter: Scenario = {
  name: 'dark_loiter',
  hub: { label: 'South China Sea', lat: 19.5, lon: 116.0 },
  jitterM: 15_000,
  build(ctx) {
    const r = ctx.rng;
    const windowMs = ctx.window.endMs - ctx.window.startMs;
    // DESIGN.md calls ≥ 12 h a gap (6 h for some); use 12.5 h when the run allows, never under 6 h.
    const gapMs = Math.min(12.5 * HOUR, windowMs - 5 * HOUR);
    if (gapMs < 6 * HOUR) return { skip: `needs a window of at least 11 h (run is ${windowMs / HOUR} h)` };
    const cruiseKn = r.range(10, 12);
    const approachMs = SLOW_MIN * MINUTE + ((DARK_RADIUS_M - SLOW_KN * KN_TO_MS * SLOW_MIN * 60) / (cruiseKn * KN_TO_MS)) * 1000;
    const loiterMs = gapMs + 2 * HOUR;
    const tL = placeHold(ctx, loiterMs);
    if (tL === null) return { skip: `needs a window of at least ${(loiterMs + 2 * HOUR) / HOUR} h` };
    const darkStart = Math.round((tL + HOUR) / MINUTE) * MINUTE;
    const darkEnd = darkStart + gapMs;
    const tK0 = darkStart + approachMs;
    const tK1 = darkEnd - approachMs;
    const { loiterer, partner: dark, sepM } = loiterWithPartner(ctx, r, { tL, loiterMs, tK0, tK1, driftKn: [0.2, 0.5], partnerCruiseKn: cruiseKn, slowKn: SLOW_KN, slowMin: SLOW_MIN });
    const vL = scripted(ctx, 'loiterer', 'tanker', loiterer);
    const vD = scripted(ctx, 'dark_partner', 'tanker', dark, { watchlisted: true, shadowFlag: true, reporting: { silences: [{ startMs: darkStart, endMs: darkEnd }] } });
    const km = (t: number) => {
      const a = loiterer.at(t);
      const b = dark.at(t);
      return Math.round(haversineM(a.lon, a.lat, b.lon, b.lat) / 100) / 10;
    };
    return {
      description: 'One ship loiters while its partner goes dark 20 km out, lies alongside unseen and reappears: no AIS encounter, a dark rendezvous.',
      vessels: [vL, vD],
      pairs: [
        {
          a: 'loiterer',
          b: 'dark_partner',
          override: { expected: false, why: `alongside for ${Math.round((tK1 - tK0) / MINUTE)} min while the partner transmitted nothing: a dark rendezvous, not an AIS encounter` },
        },
      ],
      params: { loiterHours: loiterMs / HOUR, gapHours: gapMs / HOUR, alongside: { start: iso(tK0), end: iso(tK1), separationM: sepM }, darkRadiusKm: DARK_RADIUS_M / 1000 },
      extra: {
        loitering: { vessel: vL.key, mmsi: vL.identity.mmsi, start: iso(tL), end: iso(tL + loiterMs), medianSpeedKn: medianSpeed(loiterer, tL, tL + loiterMs) },
        gap: { vessel: vD.key, mmsi: vD.identity.mmsi, start: iso(darkStart), end: iso(darkEnd), hours: gapMs / HOUR, kmFromLoiterAtStart: km(darkStart), kmFromLoiterAtEnd: km(darkEnd) },
        darkRendezvous: true,
      },
    };
  },
};
