/**
 * Analysts' own watchlists: a CSV with a header naming (in any order, case-insensitive)
 * `imo,mmsi,name,reason,source[,listed_at]`. Columns other than these are ignored; imo, mmsi,
 * name are required in the header, reason/source/listed_at are optional.
 *
 * This is our own format, so it is held to a stricter standard than official lists: an MMSI
 * that is not 9 digits or a listed_at that is not YYYY-MM-DD is a ParseError naming the line
 * (fix the file). A 7-digit IMO with a bad check digit is kept in imoRaw and reported in
 * invalidImos, as everywhere. A row without IMO, MMSI or name is skipped (reported).
 * key = IMO, else "mmsi:<MMSI>", else "name:<normalised name>"; a repeated key is a ParseError.
 * program = reason, with the source column appended as "(source: …)".
 */
import { classifyMmsi } from '@rendezvous/ais';
import { ParseError } from '@rendezvous/errors';
import { columnIndex, readTable } from './csv-reader.ts';
import { clean, imoFields, parseIsoDate, vessel } from './fields.ts';
import { normalizeVesselName } from './normalize.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

const REQUIRED = ['imo', 'mmsi', 'name'] as const;
const OPTIONAL = ['reason', 'source', 'listed_at'] as const;

export function parsePlainCsv(text: string): ParseOutcome {
  const vessels: ListedVessel[] = [];
  const skipped: SkippedRow[] = [];
  const invalidImos: InvalidImo[] = [];
  const seen = new Map<string, string>();
  let c: Record<(typeof REQUIRED)[number] | (typeof OPTIONAL)[number], number> | null = null;
  const cell = (f: string[], i: number): string | null => (i < 0 ? null : clean(f[i]));
  readTable(
    text,
    (header) => {
      c = columnIndex(header, REQUIRED, OPTIONAL);
    },
    (f, line) => {
      const col = c!;
      const location = `line ${line}`;
      const name = cell(f, col.name);
      const imo = imoFields(cell(f, col.imo), location, invalidImos);
      const mmsiText = cell(f, col.mmsi);
      let mmsi: number | null = null;
      if (mmsiText !== null) {
        const cls = classifyMmsi(mmsiText);
        if (cls.reason === 'not_9_digits') throw new ParseError(`mmsi ${JSON.stringify(mmsiText)} is not 9 digits`, location);
        mmsi = Number(mmsiText);
      }
      const dateText = cell(f, col.listed_at);
      const listedAt = parseIsoDate(dateText);
      if (dateText !== null && listedAt === null) throw new ParseError(`listed_at ${JSON.stringify(dateText)} is not YYYY-MM-DD`, location);
      const nameKey = normalizeVesselName(name);
      const key =
        imo.imo !== null ? String(imo.imo) : imo.imoRaw !== null ? `imo:${imo.imoRaw}` : mmsi !== null ? `mmsi:${mmsi}` : nameKey !== null ? `name:${nameKey}` : null;
      if (key === null) {
        skipped.push({ location, reason: 'no IMO, MMSI or name' });
        return;
      }
      const prev = seen.get(key);
      if (prev !== undefined) throw new ParseError(`duplicate vessel ${key} (first at ${prev})`, location);
      seen.set(key, location);
      const reason = cell(f, col.reason);
      const src = cell(f, col.source);
      const program = reason === null ? (src === null ? null : `source: ${src}`) : src === null ? reason : `${reason} (source: ${src})`;
      vessels.push(vessel({ key, name, ...imo, mmsi, program, listedAt, source: 'csv', location }));
    },
  );
  return { vessels, skipped, invalidImos };
}
