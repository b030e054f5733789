/** Renaming and reflagging in quick succession ("flag hopping", DESIGN.md "Identity signals"). */
import { isValidImo } from '@rendezvous/ais';
import { day, iso, mmsiText, plural } from './format.ts';
import type { IdentityRuleOptions } from './options.ts';
import type { AnomalyOf, IdentitySighting, ImoClaim } from './types.ts';

export interface TimedValue {
  value: string;
  firstSeen: number;
  /** The MMSI that carried the value (flags across one IMO's MMSIs). */
  via?: number;
}

const DAY_MS = 86_400_000;

/** Spacing and case are not a rename: "NEW  HOPE" and "New Hope" are one name. */
export const normalizeName = (name: string): string => name.trim().replace(/\s+/g, ' ').toUpperCase();

/**
 * The densest run of changes: every distinct value after the first one seen is a change at its
 * first sighting; returns the values and the window [first change, last change] holding the
 * most changes no more than `windowDays` apart, if it holds at least `minChanges`.
 * History records each value once (its first sighting), so a return to an earlier name is not
 * seen as a change.
 */
export function densestChanges(
  values: readonly TimedValue[],
  opts: Pick<IdentityRuleOptions, 'changeWindowDays' | 'minChanges'>,
): { values: TimedValue[]; from: number; to: number; changes: number } | null {
  const earliest = new Map<string, TimedValue>();
  for (const v of values) {
    const prev = earliest.get(v.value);
    if (!prev || v.firstSeen < prev.firstSeen) earliest.set(v.value, v);
  }
  const sorted = [...earliest.values()].sort((a, b) => a.firstSeen - b.firstSeen || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const windowMs = opts.changeWindowDays * DAY_MS;
  let best: { from: number; to: number; changes: number } | null = null;
  let j = 1;
  for (let i = 1; i < sorted.length; i++) {
    if (j < i) j = i;
    while (j < sorted.length && sorted[j]!.firstSeen - sorted[i]!.firstSeen <= windowMs) j++;
    const changes = j - i;
    if (!best || changes > best.changes) best = { from: sorted[i]!.firstSeen, to: sorted[j - 1]!.firstSeen, changes };
  }
  if (!best || best.changes < opts.minChanges) return null;
  return { values: sorted, ...best };
}

const severityOf = (changes: number) => (changes >= 3 ? 'high' : 'medium');

/** `identity_changes` on this MMSI's names. */
export function nameChangesAnomaly(mmsi: number, history: readonly IdentitySighting[], opts: IdentityRuleOptions): AnomalyOf<'identity_changes'> | null {
  const names = history.filter((h) => h.field === 'name').map((h) => ({ value: normalizeName(h.value), firstSeen: h.firstSeen }));
  const run = densestChanges(names, opts);
  if (!run) return null;
  return {
    kind: 'identity_changes',
    mmsi,
    severity: severityOf(run.changes),
    detectedFrom: iso(run.from),
    detectedTo: iso(run.to),
    evidence: {
      field: 'name',
      imo: null,
      windowDays: opts.changeWindowDays,
      changes: run.changes,
      window: { from: iso(run.from), to: iso(run.to) },
      values: run.values.map((v) => ({ value: v.value, firstSeen: iso(v.firstSeen) })),
    },
    explanation:
      `MMSI ${mmsiText(mmsi)} changed name ${plural(run.changes, 'time')} between ${day(run.from)} and ${day(run.to)} (within ${opts.changeWindowDays} days): ` +
      run.values.map((v) => `"${v.value}" (first seen ${day(v.firstSeen)})`).join(' → '),
  };
}

/**
 * `identity_changes` on flags: the flag is the MMSI's MID (ITU-R M.585), so a reflagged hull
 * shows up as its IMO moving to MMSIs of other MIDs. One anomaly per valid IMO this MMSI reported.
 */
export function flagHoppingAnomalies(mmsi: number, claims: readonly ImoClaim[], opts: IdentityRuleOptions): AnomalyOf<'identity_changes'>[] {
  const imos = [...new Set(claims.filter((c) => c.mmsi === mmsi && isValidImo(c.imo)).map((c) => c.imo))].sort((a, b) => a - b);
  const out: AnomalyOf<'identity_changes'>[] = [];
  for (const imo of imos) {
    const flags = claims.filter((c) => c.imo === imo && c.flag !== null).map((c) => ({ value: c.flag!, firstSeen: c.firstSeen, via: c.mmsi }));
    const run = densestChanges(flags, opts);
    if (!run) continue;
    out.push({
      kind: 'identity_changes',
      mmsi,
      severity: severityOf(run.changes),
      detectedFrom: iso(run.from),
      detectedTo: iso(run.to),
      evidence: {
        field: 'flag',
        imo,
        windowDays: opts.changeWindowDays,
        changes: run.changes,
        window: { from: iso(run.from), to: iso(run.to) },
        values: run.values.map((v) => ({ value: v.value, firstSeen: iso(v.firstSeen), ...(v.via !== undefined ? { via: v.via } : {}) })),
      },
      explanation:
        `IMO ${imo} (reported by MMSI ${mmsiText(mmsi)}) changed flag ${plural(run.changes, 'time')} between ${day(run.from)} and ${day(run.to)} (within ${opts.changeWindowDays} days): ` +
        run.values.map((v) => `${v.value} (MMSI ${mmsiText(v.via!)}, from ${day(v.firstSeen)})`).join(' → '),
    });
  }
  return out;
}
