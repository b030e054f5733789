/**
 * OpenSanctions / FollowTheMoney entity stream ("targets.nested.json"-style exports and
 * `entities.ftm.json`): one JSON object per line, `{ id, schema, properties: { prop: [values] },
 * first_seen, last_seen, datasets, … }` (https://followthemoney.tech/explorer/schemata/Vessel/).
 *
 * Vessel records (schema "Vessel") give: name[0] → name; alias, previousName → aliases;
 * imoNumber ("IMO 9187629" or "9187629"), mmsi, callSign, flag, pastFlags, type.
 *
 * listedAt, in order of preference (documented choice):
 *   1. the earliest startDate / listingDate of a Sanction entity whose `entity` property points
 *      at the vessel (the designation itself; Sanction lines may come before or after the vessel);
 *   2. the vessel's own properties.createdAt (the date the source gives for the record);
 *   3. the top-level first_seen (when OpenSanctions first saw it: on or AFTER the designation,
 *      which errs towards fewer early MMSI matches, never more).
 * modifiedAt / last_change are never used: they date edits, not listings.
 * program = the Sanction entities' program (or programId), else the vessel's topics.
 *
 * Malformed JSON, a line that is not an object, or a Vessel without an id is a ParseError
 * naming the line: the loader imports a list in one transaction, so there are no partial results.
 * Lines longer than 16 MiB are refused before JSON.parse.
 */
import { ParseError } from '@rendezvous/errors';
import { prepareText } from './csv-reader.ts';
import { clean, imoFields, mergeAliases, parseCallsign, parseIsoDate, parseMmsi, vessel } from './fields.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

const MAX_LINE_CHARS = 16 << 20;

type Props = Record<string, unknown>;

function strings(props: Props, key: string): string[] {
  const v = props[key];
  if (!Array.isArray(v)) return typeof v === 'string' ? [v] : [];
  const out: string[] = [];
  for (const x of v) {
    const t = typeof x === 'string' ? clean(x) : null;
    if (t !== null && !out.includes(t)) out.push(t);
  }
  return out;
}

function earliest(dates: (string | null)[]): string | null {
  let best: string | null = null;
  for (const d of dates) if (d !== null && (best === null || d < best)) best = d;
  return best;
}

export function parseOpenSanctionsFtm(input: string): ParseOutcome {
  const text = prepareText(input);
  const vessels: ListedVessel[] = [];
  const skipped: SkippedRow[] = [];
  const invalidImos: InvalidImo[] = [];
  const byId = new Map<string, ListedVessel>();
  const sanctionDates = new Map<string, (string | null)[]>();
  const sanctionPrograms = new Map<string, string[]>();

  const noteSanction = (target: string, props: Props): void => {
    const d = sanctionDates.get(target) ?? [];
    for (const x of [...strings(props, 'startDate'), ...strings(props, 'listingDate')]) d.push(parseIsoDate(x));
    sanctionDates.set(target, d);
    const p = sanctionPrograms.get(target) ?? [];
    for (const x of [...strings(props, 'program'), ...strings(props, 'programId')]) if (!p.includes(x)) p.push(x);
    sanctionPrograms.set(target, p);
  };

  let pos = 0;
  let lineNo = 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = n;
    lineNo++;
    const location = `line ${lineNo}`;
    if (end - pos > MAX_LINE_CHARS) throw new ParseError(`line longer than ${MAX_LINE_CHARS} characters`, location);
    const raw = text.slice(pos, end).trim();
    pos = end + 1;
    if (raw === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      throw new ParseError(`invalid JSON: ${(err as Error).message}`, location, { cause: err });
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ParseError('expected a JSON object (one FollowTheMoney entity per line)', location);
    const e = obj as Record<string, unknown>;
    const schema = e['schema'];
    if (typeof schema !== 'string') throw new ParseError('entity has no "schema"', location);
    const props: Props = typeof e['properties'] === 'object' && e['properties'] !== null && !Array.isArray(e['properties']) ? (e['properties'] as Props) : {};

    if (schema === 'Sanction') {
      for (const target of strings(props, 'entity')) noteSanction(target, props);
      continue;
    }
    if (schema !== 'Vessel') continue;
    const id = typeof e['id'] === 'string' ? clean(e['id']) : null;
    if (id === null) throw new ParseError('Vessel entity without an "id"', location);
    // Nested exports (targets.nested.json) embed the Sanction entities in properties.sanctions.
    const nested = props['sanctions'];
    if (Array.isArray(nested)) {
      for (const s of nested) {
        if (typeof s === 'object' && s !== null && !Array.isArray(s)) {
          const sp = (s as Record<string, unknown>)['properties'];
          if (typeof sp === 'object' && sp !== null && !Array.isArray(sp)) noteSanction(id, sp as Props);
        }
      }
    }
    if (byId.has(id)) throw new ParseError(`duplicate entity id ${id} (first at ${byId.get(id)!.location})`, location);
    const names = strings(props, 'name');
    const name = names[0] ?? null;
    const imoList = strings(props, 'imoNumber');
    const imo = imoFields(imoList[0] ?? null, location, invalidImos);
    const mmsi = parseMmsi(strings(props, 'mmsi')[0]);
    if (name === null && imo.imoRaw === null && mmsi === null) {
      skipped.push({ location, reason: `Vessel ${id} has no name, IMO or MMSI` });
      continue;
    }
    const v = vessel({
      key: id,
      name,
      aliases: mergeAliases(name, names.slice(1), strings(props, 'alias'), strings(props, 'previousName')),
      ...imo,
      mmsi,
      callsign: parseCallsign(strings(props, 'callSign')[0]),
      flag: strings(props, 'flag')[0] ?? null,
      formerFlags: strings(props, 'pastFlags'),
      vesselType: strings(props, 'type')[0] ?? null,
      program: strings(props, 'program').join('; ') || strings(props, 'topics').join('; ') || null,
      // Provisional; replaced by a Sanction date below when one exists.
      listedAt: earliest(strings(props, 'createdAt').map(parseIsoDate)) ?? parseIsoDate(typeof e['first_seen'] === 'string' ? e['first_seen'] : null),
      source: 'opensanctions',
      location,
    });
    byId.set(id, v);
    vessels.push(v);
  }
  for (const v of vessels) {
    const d = earliest(sanctionDates.get(v.key) ?? []);
    if (d !== null) v.listedAt = d;
    const p = sanctionPrograms.get(v.key);
    if (p !== undefined && p.length > 0) v.program = p.join('; ');
  }
  return { vessels, skipped, invalidImos };
}
