/**
 * Ukraine GUR "War & Sanctions" shadow-fleet list as scraped into gur_vessels_master.csv
 * (Androm2018/shadow-fleet-analysis): `gur_id,name,imo,mmsi_current,mmsi_legacy,flag,
 * vessel_type,callsign,former_names,build_year,status`; former_names separated by " / ".
 *
 * The scrape has artefacts, handled field by field rather than by dropping rows:
 * - page labels landed in data columns: mmsi_current "Call sign" (207 rows), callsign
 *   "Vessel name"/"Vessel Type", former_names "Flags (former)" → treated as empty;
 * - a U+FFFD before some mmsi_legacy values → dropped;
 * - "RS 150443" in the imo column (a Russian register number) → imoRaw, reported invalid;
 * - flag "unknown" (287 rows) → null;
 * - ten delisted rows have no gur_id → key falls back to the IMO;
 * - names mixing Cyrillic look-alike letters ("NР DUDINKA") → kept as written; the match key
 *   (normalizeVesselName) folds them.
 * mmsiLegacy excludes the current MMSI (ADLER lists 273414440 in both columns).
 * program = "GUR shadow fleet: <status>" (listed / delisted_from_gur); the list has no dates,
 * so listedAt is null.
 */
import { ParseError } from '@rendezvous/errors';
import { columnIndex, readTable } from './csv-reader.ts';
import { clean, fallbackKey, imoFields, mergeAliases, parseCallsign, parseMmsi, parseMmsiList, splitNames, vessel } from './fields.ts';
import { normalizeVesselName } from './normalize.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

/**
 * "Rio Kelan / BBC Kelan": a slash with space on both sides separates names (a slash inside a name,
 * "M/T", does not). Lookarounds instead of `\s+\/\s+`, whose leading `\s+` re-read a long run of
 * spaces from every starting point (quadratic); splitNames trims the parts.
 */
const SLASH_BETWEEN_SPACES = /(?<=\s)\/(?=\s)/;

const COLUMNS = ['gur_id', 'name', 'imo', 'mmsi_current', 'mmsi_legacy', 'flag', 'vessel_type', 'callsign', 'former_names', 'status'] as const;
const LABELS = new Set(['flags (former)', 'former names', 'vessel name', 'vessel type', 'call sign', 'flag', 'imo', 'mmsi']);

function notLabel(value: string | null): string | null {
  return value !== null && LABELS.has(value.toLowerCase()) ? null : value;
}

export function parseGurShadowFleet(text: string): ParseOutcome {
  const vessels: ListedVessel[] = [];
  const skipped: SkippedRow[] = [];
  const invalidImos: InvalidImo[] = [];
  const seen = new Map<string, string>();
  let c: Record<(typeof COLUMNS)[number], number> | null = null;
  readTable(
    text,
    (header) => {
      c = columnIndex(header, COLUMNS);
    },
    (f, line) => {
      const col = c!;
      const location = `line ${line}`;
      const name = notLabel(clean(f[col.name]));
      const imo = imoFields(f[col.imo] ?? null, location, invalidImos);
      const id = clean(f[col.gur_id]);
      const key = id !== null ? id : fallbackKey(imo, normalizeVesselName(name));
      if (key === null) {
        skipped.push({ location, reason: 'no gur_id, IMO or name' });
        return;
      }
      const prev = seen.get(key);
      if (prev !== undefined) throw new ParseError(`duplicate vessel ${key} (first at ${prev})`, location);
      seen.set(key, location);
      const mmsi = parseMmsi(f[col.mmsi_current]);
      const status = clean(f[col.status]);
      const former = splitNames(notLabel(clean(f[col.former_names])), SLASH_BETWEEN_SPACES);
      vessels.push(
        vessel({
          key,
          name,
          aliases: mergeAliases(name, former),
          ...imo,
          mmsi,
          mmsiLegacy: parseMmsiList(f[col.mmsi_legacy]).filter((m) => m !== mmsi),
          callsign: parseCallsign(notLabel(clean(f[col.callsign]))),
          flag: clean(f[col.flag])?.toLowerCase() === 'unknown' ? null : notLabel(clean(f[col.flag])),
          vesselType: notLabel(clean(f[col.vessel_type])),
          program: `GUR shadow fleet: ${status ?? 'listed'}`,
          source: 'gur',
          location,
        }),
      );
    },
  );
  return { vessels, skipped, invalidImos };
}
