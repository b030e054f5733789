import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IDENTITY_OPTIONS as OPTS,
  densestChanges,
  flagHoppingAnomalies,
  imoCheckDigit,
  imoCheckDigitAnomaly,
  identityOptions,
  imoMultipleMmsiAnomalies,
  invalidMmsiAnomaly,
  mmsiMultipleImoAnomaly,
  nameChangesAnomaly,
  type ImoClaim,
  type IdentitySighting,
} from '../src/index.ts';
import { DAY, HOUR, T0 } from './tracks.ts';

const seen = { firstSeen: T0, lastSeen: T0 + HOUR };
const at = (ms: number) => new Date(ms).toISOString();

describe('invalid_mmsi', () => {
  it('a ship MMSI with an allocated MID is clean', () => {
    expect(invalidMmsiAnomaly(636011916, seen)).toBeNull(); // Liberia
    expect(invalidMmsiAnomaly(273352260, seen)).toBeNull(); // Russia
  });

  it('an unallocated MID is high and says which MID', () => {
    const a = invalidMmsiAnomaly(200000001, seen)!;
    expect(a).toMatchObject({ kind: 'invalid_mmsi', severity: 'high', detectedFrom: at(T0), detectedTo: at(T0 + HOUR) });
    expect(a.evidence).toEqual({ mmsi: '200000001', reason: 'unallocated_mid', stationKind: 'ship', mid: 200 });
    expect(a.explanation).toBe('MMSI 200000001: MID 200 is not allocated by the ITU');
  });

  it('a bad prefix and a number beyond 9 digits are high, with their reason', () => {
    expect(invalidMmsiAnomaly(123456789, seen)).toMatchObject({ severity: 'high', evidence: { reason: 'bad_prefix' } });
    expect(invalidMmsiAnomaly(123456789, seen)!.explanation).toBe('MMSI 123456789: its leading digits 123 are no ITU-R M.585 identity format');
    expect(invalidMmsiAnomaly(1_000_000_000, seen)).toMatchObject({ severity: 'high', evidence: { reason: 'not_9_digits' } });
    // A short number is a zero-padded coast-station form whose MID (001) does not exist.
    expect(invalidMmsiAnomaly(12345, seen)!.explanation).toBe('MMSI 000012345: MID 001 is not allocated by the ITU');
  });

  it('valid identities that are not ship stations: medium for coast stations, low for devices that legitimately report positions', () => {
    expect(invalidMmsiAnomaly(3669702, seen)).toMatchObject({ severity: 'medium', evidence: { reason: 'not_a_ship', stationKind: 'coast_station', mid: 366 } });
    expect(invalidMmsiAnomaly(3669702, seen)!.explanation).toContain('MMSI 003669702: it is a coast station identity (00MIDxxxx), not a ship station');
    expect(invalidMmsiAnomaly(970123456, seen)).toMatchObject({ severity: 'low', evidence: { stationKind: 'sart_mob_epirb' } });
    expect(invalidMmsiAnomaly(982191234, seen)).toMatchObject({ severity: 'low', evidence: { stationKind: 'craft_associated' } });
  });
});

describe('imo_check_digit', () => {
  it('computes the check digit (9074729: 9·7+0·6+7·5+4·4+7·3+2·2 = 139 → 9)', () => {
    expect(imoCheckDigit(9074729)).toBe(9);
    expect(imoCheckDigit(123)).toBeNull();
    expect(imoCheckDigitAnomaly(273000001, 9074729, T0)).toBeNull();
  });

  it('a 7-digit IMO with the wrong check digit is high and shows the arithmetic', () => {
    const a = imoCheckDigitAnomaly(273000001, 9074728, T0)!;
    expect(a).toMatchObject({ kind: 'imo_check_digit', severity: 'high', detectedFrom: at(T0), detectedTo: null });
    expect(a.evidence).toEqual({ imo: 9074728, reason: 'check_digit', expectedCheckDigit: 9, firstSeen: at(T0) });
    expect(a.explanation).toBe('MMSI 273000001 reports IMO 9074728, whose check digit should be 9, not 8 (9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139)');
  });

  it('a placeholder that is not 7 digits is low', () => {
    expect(imoCheckDigitAnomaly(273000001, 1234, T0)).toMatchObject({ severity: 'low', evidence: { reason: 'not_7_digits', expectedCheckDigit: null } });
  });
});

const claim = (imo: number, mmsi: number, firstSeen: number, lastSeen: number | null, flag: string | null = null): ImoClaim => ({ imo, mmsi, firstSeen, lastSeen, flag });

describe('imo_multiple_mmsi and mmsi_multiple_imo', () => {
  it('one IMO under two MMSIs one after the other is medium; the evidence lists the other with first sighting', () => {
    const claims = [claim(9074729, 273000001, T0, T0 + DAY), claim(9074729, 352000001, T0 + 10 * DAY, T0 + 20 * DAY, 'PA')];
    const [a, ...rest] = imoMultipleMmsiAnomalies(273000001, claims);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'imo_multiple_mmsi', mmsi: 273000001, severity: 'medium', detectedFrom: at(T0 + 10 * DAY), detectedTo: null });
    expect(a!.evidence).toEqual({
      imo: 9074729,
      self: { mmsi: 273000001, firstSeen: at(T0) },
      others: [{ mmsi: 352000001, firstSeen: at(T0 + 10 * DAY), lastSeen: at(T0 + 20 * DAY), flag: 'PA' }],
      concurrent: false,
    });
    expect(a!.explanation).toContain('IMO 9074729, reported by MMSI 273000001 since 2024-03-01 00:00Z, is also reported by MMSI 352000001 (since 2024-03-11 00:00Z');
  });

  it('concurrent claims are high; a single MMSI or an invalid IMO is no anomaly', () => {
    const claims = [claim(9074729, 273000001, T0, T0 + 30 * DAY), claim(9074729, 352000001, T0 + DAY, T0 + 2 * DAY)];
    expect(imoMultipleMmsiAnomalies(273000001, claims)[0]).toMatchObject({ severity: 'high', evidence: { concurrent: true } });
    expect(imoMultipleMmsiAnomalies(273000001, [claims[0]!])).toEqual([]);
    expect(imoMultipleMmsiAnomalies(273000001, [claim(9999999, 273000001, T0, null), claim(9999999, 352000001, T0, null)])).toEqual([]);
  });

  it('one MMSI reporting two valid IMOs is high and lists both in order of first sighting', () => {
    const a = mmsiMultipleImoAnomaly(273000001, [
      { imo: 9266633, firstSeen: T0 + DAY },
      { imo: 9074729, firstSeen: T0 },
    ])!;
    expect(a).toMatchObject({ kind: 'mmsi_multiple_imo', severity: 'high', detectedFrom: at(T0 + DAY) });
    expect(a.evidence.imos).toEqual([
      { imo: 9074729, firstSeen: at(T0), validCheckDigit: true },
      { imo: 9266633, firstSeen: at(T0 + DAY), validCheckDigit: true },
    ]);
    expect(a.explanation).toBe('MMSI 273000001 has reported 2 IMO numbers: 9074729 since 2024-03-01 00:00Z, 9266633 since 2024-03-02 00:00Z');
    expect(mmsiMultipleImoAnomaly(273000001, [{ imo: 9074729, firstSeen: T0 }, { imo: 9074728, firstSeen: T0 + DAY }])!.severity).toBe('medium');
    expect(mmsiMultipleImoAnomaly(273000001, [{ imo: 9074729, firstSeen: T0 }])).toBeNull();
  });
});

const name = (value: string, firstSeen: number): IdentitySighting => ({ field: 'name', value, firstSeen });

describe('identity_changes', () => {
  it('finds the densest run of changes within the window', () => {
    const values = [0, 400, 500, 560, 900].map((d, i) => ({ value: `V${i}`, firstSeen: T0 + d * DAY }));
    expect(densestChanges(values, OPTS)).toMatchObject({ changes: 3, from: T0 + 400 * DAY, to: T0 + 560 * DAY });
    // The first densest run wins a tie (400–500 and 500–560 both hold two changes within 100 days).
    expect(densestChanges(values, { changeWindowDays: 100, minChanges: 2 })).toMatchObject({ changes: 2, from: T0 + 400 * DAY, to: T0 + 500 * DAY });
    expect(densestChanges(values, { changeWindowDays: 50, minChanges: 2 })).toBeNull();
  });

  it('two renames within 180 days: medium, with every name and its date', () => {
    const history = [name('OCEAN LADY', T0), name('PACIFIC BRIDGE', T0 + 30 * DAY), name('RHEA', T0 + 90 * DAY), { field: 'callsign' as const, value: 'X', firstSeen: T0 }];
    const a = nameChangesAnomaly(273000001, history, OPTS)!;
    expect(a).toMatchObject({ kind: 'identity_changes', severity: 'medium', detectedFrom: at(T0 + 30 * DAY), detectedTo: at(T0 + 90 * DAY) });
    expect(a.evidence).toMatchObject({ field: 'name', imo: null, windowDays: 180, changes: 2 });
    expect(a.evidence.values.map((v) => v.value)).toEqual(['OCEAN LADY', 'PACIFIC BRIDGE', 'RHEA']);
    expect(a.explanation).toBe(
      'MMSI 273000001 changed name 2 times between 2024-03-31 and 2024-05-30 (within 180 days): "OCEAN LADY" (first seen 2024-03-01) → "PACIFIC BRIDGE" (first seen 2024-03-31) → "RHEA" (first seen 2024-05-30)',
    );
  });

  it('spacing and case variants are not renames; one rename or slow renames are not an anomaly', () => {
    expect(nameChangesAnomaly(273000001, [name('NEW HOPE', T0), name('NEW  HOPE ', T0 + DAY), name('new hope', T0 + 2 * DAY)], OPTS)).toBeNull();
    expect(nameChangesAnomaly(273000001, [name('A', T0), name('B', T0 + DAY)], OPTS)).toBeNull();
    expect(nameChangesAnomaly(273000001, [name('A', T0), name('B', T0 + 200 * DAY), name('C', T0 + 400 * DAY)], OPTS)).toBeNull();
  });

  it('flag hopping: one IMO across MMSIs of three flags within the window', () => {
    const claims = [
      claim(9074729, 273000001, T0, T0 + 20 * DAY, 'RU'),
      claim(9074729, 352000001, T0 + 30 * DAY, T0 + 60 * DAY, 'PA'),
      claim(9074729, 613000001, T0 + 70 * DAY, null, 'CM'),
      claim(9266633, 999000000, T0, null, 'XX'), // another IMO: ignored
    ];
    const [a, ...rest] = flagHoppingAnomalies(352000001, claims, OPTS);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'identity_changes', mmsi: 352000001, severity: 'medium', evidence: { field: 'flag', imo: 9074729, changes: 2 } });
    expect(a!.evidence.values).toEqual([
      { value: 'RU', firstSeen: at(T0), via: 273000001 },
      { value: 'PA', firstSeen: at(T0 + 30 * DAY), via: 352000001 },
      { value: 'CM', firstSeen: at(T0 + 70 * DAY), via: 613000001 },
    ]);
    expect(a!.explanation).toContain('IMO 9074729 (reported by MMSI 352000001) changed flag 2 times');
    expect(a!.explanation).toContain('RU (MMSI 273000001, from 2024-03-01) → PA (MMSI 352000001, from 2024-03-31) → CM (MMSI 613000001, from 2024-05-10)');
    // Two MMSIs of the same flag are one flag.
    expect(flagHoppingAnomalies(273000001, [claims[0]!, { ...claims[1]!, flag: 'RU' }, claims[2]!], OPTS)).toEqual([]);
  });
});

describe('identityOptions', () => {
  it('overrides defaults and refuses thresholds that would disable or invert a rule', () => {
    expect(identityOptions({ maxSpeedKn: 25 })).toMatchObject({ maxSpeedKn: 25, minJumpKm: 10, changeWindowDays: 180, minChanges: 2 });
    expect(() => identityOptions({ maxSpeedKn: 0 })).toThrow(/maxSpeedKn/);
    expect(() => identityOptions({ minJumpKm: -1 })).toThrow(/minJumpKm/);
    expect(() => identityOptions({ minChanges: 0 })).toThrow(/minChanges/);
    expect(() => identityOptions({ changeWindowDays: Number.NaN })).toThrow(/changeWindowDays/);
  });
});
