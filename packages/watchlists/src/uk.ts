/**
 * UK Sanctions List (FCDO), ships only: the CSV derived from the FCDO "short" list export
 * (`Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,
 * Sanctions Imposed`). Rows of another Type (Individual, Entity) are ignored, so the full
 * export parses too. The export gives no IMO: every record is name-only and matches by name
 * (see match-index.ts). Dates are day-first, written dd-mm-yyyy in the 2025 export
 * (dd/mm/yyyy accepted too).
 *
 * key = Unique ID (e.g. RUS1234, DPR0075); program = "<Regime Name> (<Designation source>):
 * <Sanctions Imposed>" — Designation source "UN" marks the UN 1718 ships the UK transposes.
 */
import { ParseError } from '@rendezvous/errors';
import { columnIndex, readTable } from './csv-reader.ts';
import { clean, parseDmyDate, vessel } from './fields.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

const COLUMNS = ['Unique ID', 'Name', 'Regime Name', 'Type', 'Designation source', 'Date Designated', 'Sanctions Imposed'] as const;

export function parseUkShips(text: string): ParseOutcome {
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
      const type = clean(f[col.Type]);
      if (type === null || type.toLowerCase() !== 'ship') return;
      const id = clean(f[col['Unique ID']]);
      if (id === null) throw new ParseError('ship without Unique ID', location);
      const prev = seen.get(id);
      if (prev !== undefined) throw new ParseError(`duplicate Unique ID ${id} (first at ${prev})`, location);
      seen.set(id, location);
      const name = clean(f[col.Name]);
      if (name === null) {
        skipped.push({ location, reason: `ship ${id} has no name` });
        return;
      }
      const dateText = clean(f[col['Date Designated']]);
      const listedAt = parseDmyDate(dateText);
      if (dateText !== null && listedAt === null) throw new ParseError(`bad Date Designated ${JSON.stringify(dateText)} (expected dd-mm-yyyy)`, location);
      const regime = clean(f[col['Regime Name']]);
      const by = clean(f[col['Designation source']]);
      const imposed = clean(f[col['Sanctions Imposed']]);
      const program = clean(`${regime ?? ''}${by === null ? '' : ` (${by})`}${imposed === null ? '' : `: ${imposed}`}`);
      vessels.push(vessel({ key: id, name, program, listedAt, source: 'uk', location }));
    },
  );
  return { vessels, skipped, invalidImos };
}
