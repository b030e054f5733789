import { describe, expect, it } from 'vitest';
import {
  confidenceBySeparation,
  darkProfileFor,
  DEFAULT_DARK_PROFILE,
  DEFAULT_DARK_PROFILES,
  SENSITIVE_DARK_PROFILE,
  validateDarkProfile,
} from '../src/dark-profile.ts';
import { HOUR, NM } from './dark-fixtures.ts';

describe('dark-activity profiles', () => {
  it('defaults carry the published thresholds', () => {
    expect(DEFAULT_DARK_PROFILE).toMatchObject({ gapMinMs: 12 * HOUR, gapMinShoreDistanceM: 50 * NM, gapMinPositionsBefore: 14, gapBeforeWindowMs: 12 * HOUR, loiterMaxSpeedKn: 2, loiterMinMs: 4 * HOUR, loiterMinShoreDistanceM: 20 * NM, darkDarkMaxSeparationM: 50 * NM });
    expect(SENSITIVE_DARK_PROFILE).toMatchObject({ appliesTo: 'sensitive', gapMinMs: 6 * HOUR, loiterMinMs: 2 * HOUR });
    expect(DEFAULT_DARK_PROFILES.map((p) => p.name)).toEqual([SENSITIVE_DARK_PROFILE.name, DEFAULT_DARK_PROFILE.name]);
    for (const p of DEFAULT_DARK_PROFILES) expect(() => validateDarkProfile(p)).not.toThrow();
  });

  it('validateDarkProfile names the bad field', () => {
    expect(() => validateDarkProfile({ ...DEFAULT_DARK_PROFILE, gapMinMs: 0 })).toThrow(/gapMinMs/);
    expect(() => validateDarkProfile({ ...DEFAULT_DARK_PROFILE, darkMinStopMs: -1 })).toThrow(/darkMinStopMs/);
    expect(() => validateDarkProfile({ ...DEFAULT_DARK_PROFILE, gapMinPositionsBefore: 1.5 })).toThrow(/gapMinPositionsBefore/);
    expect(() => validateDarkProfile({ ...DEFAULT_DARK_PROFILE, appliesTo: 'x' as 'all' })).toThrow(RangeError);
    expect(() => validateDarkProfile({ ...DEFAULT_DARK_PROFILE, loiterMaxSpeedKn: Number.NaN })).toThrow(/loiterMaxSpeedKn/);
  });

  it('a watchlisted vessel gets the first sensitive profile, others the first for all', () => {
    const s = new Set([248000001]);
    expect(darkProfileFor(DEFAULT_DARK_PROFILES, 248000001, s)?.name).toBe(SENSITIVE_DARK_PROFILE.name);
    expect(darkProfileFor(DEFAULT_DARK_PROFILES, 248000002, s)?.name).toBe(DEFAULT_DARK_PROFILE.name);
    expect(darkProfileFor([SENSITIVE_DARK_PROFILE], 248000002, s)).toBeNull();
  });

  it('confidence bands: < 5 nm high, 5–15 medium, else low', () => {
    expect(confidenceBySeparation(4.99 * NM)).toBe('high');
    expect(confidenceBySeparation(5 * NM)).toBe('medium');
    expect(confidenceBySeparation(14.9 * NM)).toBe('medium');
    expect(confidenceBySeparation(15 * NM)).toBe('low');
  });
});
