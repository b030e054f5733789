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
}

export const DEFAULT_IDENTITY_OPTIONS: Readonly<IdentityRuleOptions> = Object.freeze({
  maxSpeedKn: 50,
  minJumpKm: 10,
  changeWindowDays: 180,
  minChanges: 2,
  minSegmentFixes: 3,
  maxOpenSegments: 16,
});

export function identityOptions(overrides: Partial<IdentityRuleOptions> = {}): IdentityRuleOptions {
  const o = { ...DEFAULT_IDENTITY_OPTIONS, ...overrides };
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`identity option ${k} must be a non-negative number, got ${v}`);
  }
  if (o.maxSpeedKn <= 0) throw new RangeError('identity option maxSpeedKn must be positive');
  if (o.minChanges < 1 || o.maxOpenSegments < 1) throw new RangeError('identity options minChanges and maxOpenSegments must be at least 1');
  return o;
}
