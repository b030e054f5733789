/** Thresholds of the identity rules; every one is configuration (DESIGN.md "Domain rules"). */
export interface IdentityRuleOptions {
  /**
   * Implied speed between consecutive fixes above which one transmitter cannot have made both.
   * DESIGN.md "Identity signals": ~25–50 kn. GFW's segmenter (gpsdio-segment core.py,
   * DEFAULT_MAX_KNOTS = 25) takes the low end; we take the high end because high-speed craft
   * (HSC ferries, patrol boats: 35–45 kn service speeds) are real ships, and a false "two
   * transmitters" on a ferry costs an analyst more than a missed one on a 14-kn tanker, whose
   * clones are typically hundreds of km apart and exceed any threshold.
   */
  maxSpeedKn: number;
  /**
   * A jump must also cover more than this distance. GNSS outliers and multipath put single fixes
   * hundreds of metres off, and two fixes a second apart turn any offset into an absurd speed;
   * 10 km is far above such noise and far below the separation of two ships sharing an MMSI in
   * different seas. (Project choice, not a published number; transmitters closer than this are
   * not separated.)
   */
  minJumpKm: number;
  /** Renames / reflaggings are counted within this many days ("flag hopping"; project default). */
  changeWindowDays: number;
  /**
   * Changes within the window that make an anomaly. The US 2020 Global Maritime Sanctions
   * Advisory lists frequent renaming/reflagging as a red flag without a number; 2 changes
   * (three identities) within the window is the project default.
   */
  minChanges: number;
  /** Segments with at least this many fixes count as a sustained second transmitter (severity). */
  minSegmentFixes: number;
  /** Open segments the splitter keeps per MMSI; a garbage MMSI used by many devices stays bounded. */
  maxOpenSegments: number;

  // Spoofing (DESIGN.md "Dark activity", Spoofing: "same IMO on two hulls far apart; circles/fixed
  // patterns with SOG > 0; positions on land"). The numbers are project choices unless cited.

  /**
   * `imo_far_apart`: two MMSIs claiming one IMO whose fixes are more than this far apart (nm)…
   * 500 nm is more than a tanker sails in a day and a half at 14 kn, far above any GNSS error or
   * the 10 km shared_mmsi floor: no single hull is in both places.
   */
  imoFarApartNm: number;
  /** …within this many minutes of each other ("at the same time"). */
  imoFarApartWithinMin: number;
  /** …for at least this many fixes of the MMSI (one stray fix is a bad fix, not a second hull). */
  imoFarApartMinFixes: number;
  /**
   * `fixed_pattern`: a clock hour with at least this many fixes reporting SOG above
   * `fixedPatternMinSogKn`, spanning `fixedPatternMinSpanMin`, inside a box less than
   * `fixedPatternMaxExtentM` across (the larger side). 3 kn for 50 min is 4.6 km of travel; a 1 km box
   * holds a circle spoof's few-hundred-metre circles (the circles GFW and others describe off
   * Russian ports and in the Black Sea) but no straight passage. 20 fixes: a Class A ship under
   * way reports every 2–10 s, one heard by satellite much less often; fewer is not a pattern.
   */
  fixedPatternMinFixes: number;
  fixedPatternMinSogKn: number;
  fixedPatternMaxExtentM: number;
  fixedPatternMinSpanMin: number;
  /**
   * `on_land`: at least this many fixes with land all round them for `onLandMarginM`. The
   * Natural Earth 1:10m coastline is only ±1 km accurate and harbours, canals and rivers put
   * real ships "on land" on it; 2 km of land on every side of a fix is not such a place.
   */
  onLandMinFixes: number;
  onLandMarginM: number;
  /**
   * `sog_mismatch`, per clock hour covered by `sogMismatchMinCoverMin` minutes of legs no longer
   * than `sogMismatchMaxLegMin`: reported ≥ `sogMismatchMinReportedKn` while the positions imply
   * < `sogMismatchMaxImpliedKn`, or imply more than `sogMismatchFactor` × reported +
   * `sogMismatchExcessKn`. Implied speed is Σ distance / Σ time, GFW's loitering measure
   * (pipe-loitering); the +5 kn absorbs GNSS jitter summed over fixes seconds apart.
   */
  sogMismatchMinReportedKn: number;
  sogMismatchMaxImpliedKn: number;
  sogMismatchFactor: number;
  sogMismatchExcessKn: number;
  sogMismatchMinCoverMin: number;
  sogMismatchMaxLegMin: number;
}

export const DEFAULT_IDENTITY_OPTIONS: Readonly<IdentityRuleOptions> = Object.freeze({
  maxSpeedKn: 50,
  minJumpKm: 10,
  changeWindowDays: 180,
  minChanges: 2,
  minSegmentFixes: 3,
  maxOpenSegments: 16,
  imoFarApartNm: 500,
  imoFarApartWithinMin: 60,
  imoFarApartMinFixes: 3,
  fixedPatternMinFixes: 20,
  fixedPatternMinSogKn: 3,
  fixedPatternMaxExtentM: 1_000,
  fixedPatternMinSpanMin: 50,
  onLandMinFixes: 3,
  onLandMarginM: 2_000,
  sogMismatchMinReportedKn: 5,
  sogMismatchMaxImpliedKn: 0.5,
  sogMismatchFactor: 2,
  sogMismatchExcessKn: 5,
  sogMismatchMinCoverMin: 50,
  sogMismatchMaxLegMin: 15,
});

export function identityOptions(overrides: Partial<IdentityRuleOptions> = {}): IdentityRuleOptions {
  const o = { ...DEFAULT_IDENTITY_OPTIONS, ...overrides };
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`identity option ${k} must be a non-negative number, got ${v}`);
  }
  if (o.maxSpeedKn <= 0) throw new RangeError('identity option maxSpeedKn must be positive');
  if (o.imoFarApartMinFixes < 1 || o.fixedPatternMinFixes < 2 || o.onLandMinFixes < 1 || o.sogMismatchMaxLegMin <= 0) {
    throw new RangeError('identity options imoFarApartMinFixes and onLandMinFixes must be ≥ 1, fixedPatternMinFixes ≥ 2, sogMismatchMaxLegMin > 0');
  }
  if (o.minChanges < 1 || o.maxOpenSegments < 1) throw new RangeError('identity options minChanges and maxOpenSegments must be at least 1');
  return o;
}
