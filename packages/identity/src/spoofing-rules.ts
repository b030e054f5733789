/**
 * Spoofing and identity manipulation on air (DESIGN.md "Dark activity", Spoofing): the same IMO
 * on two hulls far apart; circles or fixed patterns reported with SOG > 0; positions on land; and
 * a reported speed the positions do not bear out. Pure: the repository gathers the tracks, and
 * the land test comes in as a hook (`@rendezvous/geography` loadShoreIndex().isOnLand).
 */
import { isValidImo } from '@rendezvous/ais';
import { geodesicDistanceM, METRES_PER_NM, sphericalDestination } from '@rendezvous/geodesy';
import { fixEvidence, iso, mmsiText, plural, round, when } from './format.ts';
import type { IdentityRuleOptions } from './options.ts';
import type { AnomalyOf, Fix, ImoClaim } from './types.ts';

const HOUR_MS = 3_600_000;
const MIN_MS = 60_000;
const hourOf = (ts: number) => Math.floor(ts / HOUR_MS);
const knots = (m: number, ms: number) => (m / METRES_PER_NM) / (ms / HOUR_MS);

/** Hooks the pure rules cannot provide themselves. */
export interface IdentityHooks {
  /** Whether a point is on land (`loadShoreIndex().isOnLand`); without it `on_land` is not evaluated. */
  isOnLand?: (lon: number, lat: number) => boolean;
}

function timeOrdered<T extends Fix>(track: readonly T[]): readonly T[] {
  for (let i = 1; i < track.length; i++) if (track[i]!.ts < track[i - 1]!.ts) return [...track].sort((a, b) => a.ts - b.ts);
  return track;
}

/** MMSIs other than `mmsi` that reported a valid IMO this MMSI reported (whose tracks `imo_far_apart` needs). */
export function imoPeers(mmsi: number, claims: readonly ImoClaim[]): { mmsi: number; imo: number }[] {
  const own = new Set(claims.filter((c) => c.mmsi === mmsi && isValidImo(c.imo)).map((c) => c.imo));
  const out = new Map<number, number>();
  for (const c of claims) if (c.mmsi !== mmsi && own.has(c.imo) && !out.has(c.mmsi)) out.set(c.mmsi, c.imo);
  return [...out].map(([m, imo]) => ({ mmsi: m, imo })).sort((a, b) => a.mmsi - b.mmsi);
}

type FarApartOptions = Pick<IdentityRuleOptions, 'imoFarApartNm' | 'imoFarApartWithinMin' | 'imoFarApartMinFixes'>;

/**
 * `imo_far_apart`: fixes of this MMSI with a fix of another MMSI claiming the same (valid) IMO
 * within `imoFarApartWithinMin` minutes and more than `imoFarApartNm` apart — two hulls wearing
 * one identity at once. Fires on at least `imoFarApartMinFixes` such fixes of this MMSI.
 */
export function imoFarApartAnomaly(
  mmsi: number,
  track: readonly Fix[],
  peers: readonly { mmsi: number; imo: number; track: readonly Fix[] }[],
  opts: FarApartOptions,
): AnomalyOf<'imo_far_apart'> | null {
  if (peers.length === 0 || track.length === 0) return null;
  const self = timeOrdered(track);
  const winMs = opts.imoFarApartWithinMin * MIN_MS;
  const minM = opts.imoFarApartNm * METRES_PER_NM;
  const far = new Set<number>(); // indices of self fixes
  const perPeer: { mmsi: number; imo: number; fixes: number; worst: { self: Fix; other: Fix; m: number } | null }[] = [];
  for (const peer of peers) {
    const other = timeOrdered(peer.track);
    let lo = 0;
    let n = 0;
    let worst: { self: Fix; other: Fix; m: number } | null = null;
    for (let i = 0; i < self.length; i++) {
      const s = self[i]!;
      while (lo < other.length && other[lo]!.ts < s.ts - winMs) lo++;
      let hit = false;
      for (let j = lo; j < other.length && other[j]!.ts <= s.ts + winMs; j++) {
        const o = other[j]!;
        const m = geodesicDistanceM(s.lon, s.lat, o.lon, o.lat);
        if (m > minM) {
          hit = true;
          if (!worst || m > worst.m) worst = { self: s, other: o, m };
          break;
        }
      }
      if (hit) {
        n++;
        far.add(i);
      }
    }
    perPeer.push({ mmsi: peer.mmsi, imo: peer.imo, fixes: n, worst });
  }
  if (far.size < opts.imoFarApartMinFixes) return null;
  const idx = [...far].sort((a, b) => a - b);
  const hits = perPeer.filter((p) => p.fixes > 0);
  const top = hits.reduce((a, b) => (b.worst!.m > a.worst!.m ? b : a));
  const w = top.worst!;
  return {
    kind: 'imo_far_apart',
    mmsi,
    severity: 'high',
    detectedFrom: iso(self[idx[0]!]!.ts),
    detectedTo: iso(self[idx[idx.length - 1]!]!.ts),
    evidence: {
      fixes: far.size,
      minSeparationNm: opts.imoFarApartNm,
      withinMin: opts.imoFarApartWithinMin,
      others: hits.map((p) => ({ mmsi: p.mmsi, imo: p.imo, fixes: p.fixes, maxNm: round(p.worst!.m / METRES_PER_NM, 1) })),
      worst: { self: fixEvidence(w.self), other: fixEvidence(w.other), otherMmsi: top.mmsi, nm: round(w.m / METRES_PER_NM, 1), minutesApart: round(Math.abs(w.other.ts - w.self.ts) / MIN_MS, 1) },
    },
    explanation:
      `MMSI ${mmsiText(mmsi)}: IMO ${top.imo} is also reported by MMSI ${mmsiText(top.mmsi)}, ${Math.round(w.m / METRES_PER_NM).toLocaleString('en-US')} nm away ` +
      `within ${Math.round(Math.abs(w.other.ts - w.self.ts) / MIN_MS)} min (at ${when(w.self.ts)}); ${plural(far.size, 'fix', 'fixes')} of this MMSI have a hull ` +
      `claiming the same IMO more than ${opts.imoFarApartNm} nm away within ${opts.imoFarApartWithinMin} min: two hulls, one identity`,
  };
}

type FixedPatternOptions = Pick<IdentityRuleOptions, 'fixedPatternMinFixes' | 'fixedPatternMinSogKn' | 'fixedPatternMaxExtentM' | 'fixedPatternMinSpanMin'>;

interface PatternHour {
  hour: number;
  fixes: number;
  first: number;
  last: number;
  extentM: number;
  meanSogKn: number;
}

/**
 * How far across a lon/lat box is: the larger of its north–south side and its east–west width at
 * the middle latitude (geodesic). A circle's box is as wide as the circle; its diagonal is √2 more.
 */
export function boxAcrossM(x0: number, y0: number, x1: number, y1: number): number {
  const ym = (y0 + y1) / 2;
  return Math.max(geodesicDistanceM(x0, y0, x0, y1), geodesicDistanceM(x0, ym, x1, ym));
}

/** Per UTC clock hour, the fixes reporting SOG > min: count, span, and how far across their bounding box is. */
function movingHours(track: readonly Fix[], minSogKn: number): PatternHour[] {
  const hours = new Map<number, { n: number; first: number; last: number; x0: number; x1: number; y0: number; y1: number; sog: number }>();
  for (const f of track) {
    if (f.sog == null || !(f.sog > minSogKn)) continue;
    const h = hourOf(f.ts);
    const b = hours.get(h);
    if (!b) hours.set(h, { n: 1, first: f.ts, last: f.ts, x0: f.lon, x1: f.lon, y0: f.lat, y1: f.lat, sog: f.sog });
    else {
      b.n++;
      b.first = Math.min(b.first, f.ts);
      b.last = Math.max(b.last, f.ts);
      b.x0 = Math.min(b.x0, f.lon);
      b.x1 = Math.max(b.x1, f.lon);
      b.y0 = Math.min(b.y0, f.lat);
      b.y1 = Math.max(b.y1, f.lat);
      b.sog += f.sog;
    }
  }
  return [...hours]
    .sort((a, b) => a[0] - b[0])
    .map(([hour, b]) => ({ hour, fixes: b.n, first: b.first, last: b.last, extentM: boxAcrossM(b.x0, b.y0, b.x1, b.y1), meanSogKn: b.sog / b.n }));
}

/**
 * `fixed_pattern`: a clock hour with at least `fixedPatternMinFixes` fixes reporting SOG above
 * `fixedPatternMinSogKn`, spanning at least `fixedPatternMinSpanMin` minutes, whose bounding box
 * is less than `fixedPatternMaxExtentM` across (boxAcrossM). A ship making 3 kn covers
 * 4.6 km in 50 min; one that reports it and stays inside 1 km is running circles or a fixed
 * pattern — a GNSS spoof (DESIGN.md "Spoofing": circles/fixed patterns with SOG > 0).
 */
export function fixedPatternAnomaly(mmsi: number, track: readonly Fix[], opts: FixedPatternOptions): AnomalyOf<'fixed_pattern'> | null {
  const hits = movingHours(track, opts.fixedPatternMinSogKn).filter(
    (h) => h.fixes >= opts.fixedPatternMinFixes && h.last - h.first >= opts.fixedPatternMinSpanMin * MIN_MS && h.extentM < opts.fixedPatternMaxExtentM,
  );
  if (hits.length === 0) return null;
  const worst = hits.reduce((a, b) => (b.meanSogKn > a.meanSogKn ? b : a));
  return {
    kind: 'fixed_pattern',
    mmsi,
    severity: hits.length >= 3 ? 'high' : 'medium',
    detectedFrom: iso(hits[0]!.first),
    detectedTo: iso(hits[hits.length - 1]!.last),
    evidence: {
      hours: hits.length,
      minFixes: opts.fixedPatternMinFixes,
      minSogKn: opts.fixedPatternMinSogKn,
      maxExtentM: opts.fixedPatternMaxExtentM,
      worst: { from: iso(worst.first), to: iso(worst.last), fixes: worst.fixes, extentM: round(worst.extentM, 1), meanSogKn: round(worst.meanSogKn, 1) },
    },
    explanation:
      `MMSI ${mmsiText(mmsi)}: in ${plural(hits.length, 'clock hour')} the positions stay within ${opts.fixedPatternMaxExtentM} m while reporting more than ` +
      `${opts.fixedPatternMinSogKn} kn (worst from ${when(worst.first)}: ${worst.fixes} fixes at ${round(worst.meanSogKn, 1)} kn within ${Math.round(worst.extentM)} m): ` +
      `circles or a fixed pattern, a sign of spoofed positions`,
  };
}

type OnLandOptions = Pick<IdentityRuleOptions, 'onLandMinFixes' | 'onLandMarginM'>;

const BEARINGS = [0, 45, 90, 135, 180, 225, 270, 315];

/**
 * Whether a point is on land with `marginM` of land all round (it and the 8 points `marginM` away
 * on the compass and intercardinal bearings): the coastline is only ±1 km accurate, and harbours
 * and rivers put real ships a few hundred metres "inland".
 */
export function isInland(lon: number, lat: number, isOnLand: (lon: number, lat: number) => boolean, marginM: number): boolean {
  if (!isOnLand(lon, lat)) return false;
  for (const b of BEARINGS) {
    const p = sphericalDestination({ lon, lat }, b, marginM);
    if (!isOnLand(p.lon, p.lat)) return false;
  }
  return true;
}

/**
 * `on_land`: at least `onLandMinFixes` fixes more than `onLandMarginM` inland (isInland). A ship
 * cannot be there; its positions are spoofed or its GNSS jammed (DESIGN.md "Spoofing": positions
 * on land).
 */
export function onLandAnomaly(mmsi: number, track: readonly Fix[], isOnLand: (lon: number, lat: number) => boolean, opts: OnLandOptions): AnomalyOf<'on_land'> | null {
  const inland = timeOrdered(track).filter((f) => isInland(f.lon, f.lat, isOnLand, opts.onLandMarginM));
  if (inland.length < opts.onLandMinFixes) return null;
  const first = inland[0]!;
  const last = inland[inland.length - 1]!;
  const step = Math.max(1, Math.floor(inland.length / 5));
  return {
    kind: 'on_land',
    mmsi,
    severity: inland.length >= 10 * opts.onLandMinFixes ? 'high' : 'medium',
    detectedFrom: iso(first.ts),
    detectedTo: iso(last.ts),
    evidence: {
      fixes: inland.length,
      marginM: opts.onLandMarginM,
      sample: inland.filter((_, i) => i % step === 0).slice(0, 5).map(fixEvidence),
    },
    explanation:
      `MMSI ${mmsiText(mmsi)}: ${plural(inland.length, 'position')} more than ${round(opts.onLandMarginM / 1000, 1)} km inland ` +
      `(first at ${when(first.ts)}, ${round(first.lat, 4)}° ${round(first.lon, 4)}°): positions on land are spoofed or jammed ` +
      `(the 1:10m coastline cuts out no rivers or lakes: rule out an up-river port or inland waterway first)`,
  };
}

type SogMismatchOptions = Pick<
  IdentityRuleOptions,
  'sogMismatchMinReportedKn' | 'sogMismatchMaxImpliedKn' | 'sogMismatchFactor' | 'sogMismatchExcessKn' | 'sogMismatchMinCoverMin' | 'sogMismatchMaxLegMin'
>;

export interface SpeedHour {
  hour: number;
  legs: number;
  coverMs: number;
  reportedKn: number;
  impliedKn: number;
}

/**
 * Per UTC clock hour: legs between consecutive fixes (no longer than `sogMismatchMaxLegMin`, so
 * a gap's straight line does not count), assigned to the hour of their first fix; the implied
 * speed Σ distance / Σ time (as GFW's loitering measure) and the mean SOG reported at the legs'
 * first fixes. Hours without a reported SOG are left out.
 */
export function speedHours(track: readonly Fix[], maxLegMin: number): SpeedHour[] {
  const t = timeOrdered(track);
  const hours = new Map<number, { legs: number; m: number; ms: number; sog: number; sogN: number }>();
  for (let i = 1; i < t.length; i++) {
    const a = t[i - 1]!;
    const b = t[i]!;
    const dt = b.ts - a.ts;
    if (dt <= 0 || dt > maxLegMin * MIN_MS) continue;
    const h = hourOf(a.ts);
    let s = hours.get(h);
    if (!s) hours.set(h, (s = { legs: 0, m: 0, ms: 0, sog: 0, sogN: 0 }));
    s.legs++;
    s.m += geodesicDistanceM(a.lon, a.lat, b.lon, b.lat);
    s.ms += dt;
    if (a.sog != null) {
      s.sog += a.sog;
      s.sogN++;
    }
  }
  return [...hours]
    .filter(([, s]) => s.sogN > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([hour, s]) => ({ hour, legs: s.legs, coverMs: s.ms, reportedKn: s.sog / s.sogN, impliedKn: knots(s.m, s.ms) }));
}

/**
 * `sog_mismatch`: a clock hour covered by at least `sogMismatchMinCoverMin` minutes of legs in
 * which the reported SOG and the speed the positions imply disagree: reported ≥
 * `sogMismatchMinReportedKn` while implied < `sogMismatchMaxImpliedKn` (a frozen or replayed
 * position under a live speed), or implied > `sogMismatchFactor` × reported +
 * `sogMismatchExcessKn` (positions moved faster than the ship says it sails).
 */
export function sogMismatchAnomaly(mmsi: number, track: readonly Fix[], opts: SogMismatchOptions): AnomalyOf<'sog_mismatch'> | null {
  const bad = speedHours(track, opts.sogMismatchMaxLegMin).filter(
    (h) =>
      h.coverMs >= opts.sogMismatchMinCoverMin * MIN_MS &&
      ((h.reportedKn >= opts.sogMismatchMinReportedKn && h.impliedKn < opts.sogMismatchMaxImpliedKn) ||
        h.impliedKn > opts.sogMismatchFactor * h.reportedKn + opts.sogMismatchExcessKn),
  );
  if (bad.length === 0) return null;
  const worst = bad.reduce((a, b) => (Math.abs(b.impliedKn - b.reportedKn) > Math.abs(a.impliedKn - a.reportedKn) ? b : a));
  const frozen = worst.impliedKn < worst.reportedKn;
  return {
    kind: 'sog_mismatch',
    mmsi,
    severity: bad.length >= 3 ? 'medium' : 'low',
    detectedFrom: iso(bad[0]!.hour * HOUR_MS),
    detectedTo: iso((bad[bad.length - 1]!.hour + 1) * HOUR_MS),
    evidence: {
      hours: bad.length,
      worst: { hour: iso(worst.hour * HOUR_MS), legs: worst.legs, coverMin: round(worst.coverMs / MIN_MS, 1), reportedKn: round(worst.reportedKn, 1), impliedKn: round(worst.impliedKn, 2) },
      thresholds: {
        minReportedKn: opts.sogMismatchMinReportedKn,
        maxImpliedKn: opts.sogMismatchMaxImpliedKn,
        factor: opts.sogMismatchFactor,
        excessKn: opts.sogMismatchExcessKn,
      },
    },
    explanation:
      `MMSI ${mmsiText(mmsi)}: in ${plural(bad.length, 'clock hour')} the reported speed and the positions disagree ` +
      `(worst, the hour from ${when(worst.hour * HOUR_MS)}: ${round(worst.reportedKn, 1)} kn reported, ${round(worst.impliedKn, 2)} kn implied by ${worst.legs} legs): ` +
      (frozen ? 'the positions barely move under a reported speed' : 'the positions move much faster than the reported speed'),
  };
}
