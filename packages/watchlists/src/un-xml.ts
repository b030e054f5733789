/**
 * UN Security Council consolidated list XML (https://scsanctions.un.org/resources/xml/en/consolidated.xml,
 * schema sc-sanctions.xsd): CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL and ENTITIES / ENTITY.
 *
 * The UN list has no vessel records. What it does carry are IMO numbers written into the
 * free text of a record, in the 2025-04-19 file always COMMENTS1 of a DPRK shipping company:
 *   "IMO number: 5571322", "IMO Number: 5342883", "Company Number IMO 5434358",
 *   "International Maritime Organization (IMO) Number: 1790183".
 * These are IMO *company* numbers (the registered owner / ship manager), not ship numbers: 15 of
 * the 16 fail the ship check digit. Each becomes one entry with subject 'company': name = the
 * entity's name, aliases = its ALIAS_NAMEs, imoRaw = the number, imoValid = the ship check-digit
 * result (for information), imo = null so a company number can never match a ship's IMO,
 * program = "UN <UN_LIST_TYPE> <REFERENCE_NUMBER>", listedAt = LISTED_ON.
 * key = "<DATAID>:<number>". location = the element path and line of the text holding it.
 *
 * The parse is event-driven (xml.ts): only the current INDIVIDUAL/ENTITY is held in memory,
 * DOCTYPE/ENTITY declarations are rejected, depth and text are capped.
 */
import { isValidImo } from '@rendezvous/ais';
import { ParseError } from '@rendezvous/errors';
import { clean, mergeAliases, parseIsoDate, vessel } from './fields.ts';
import { parseXml, type XmlLimits } from './xml.ts';
import type { InvalidImo, ListedVessel, ParseOutcome, SkippedRow } from './types.ts';

const RECORD_ELEMENTS = new Set(['INDIVIDUAL', 'ENTITY']);
// Each run of spaces is read by one quantifier only (no `\s*:?\s*`, whose two halves split a long
// run every possible way: quadratic in the run; test/reliability/12-regex-hardening.test.ts).
const IMO_IN_TEXT = /\bIMO\b\)?\s*(?:(?:company\s+)?(?:number|no\.?)\s*)?(?::\s*)?([0-9]{7})(?![0-9])/gi;

/** Longest text kept for one record (all its fields together). */
const MAX_RECORD_CHARS = 4 << 20;

interface Field {
  path: string;
  line: number;
  value: string;
}

export function parseUnConsolidatedXml(text: string, limits: Partial<XmlLimits> = {}): ParseOutcome {
  const vessels: ListedVessel[] = [];
  const skipped: SkippedRow[] = [];
  const invalidImos: InvalidImo[] = [];
  const keys = new Set<string>();

  const path: string[] = [];
  const counters = new Map<string, number>();
  let record: { kind: string; base: string; line: number; fields: Field[]; size: number } | null = null;
  let textBuf = '';

  const finish = (r: NonNullable<typeof record>): void => {
    const get = (name: string): string | null => clean(r.fields.find((f) => f.path === name)?.value);
    const name =
      r.kind === 'ENTITY'
        ? get('FIRST_NAME')
        : clean(['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((k) => get(k) ?? '').join(' '));
    const aliases = r.fields
      .filter((f) => f.path.endsWith('_ALIAS/ALIAS_NAME'))
      .map((f) => clean(f.value))
      .filter((x): x is string => x !== null);
    const listType = get('UN_LIST_TYPE');
    const ref = get('REFERENCE_NUMBER');
    const listedOn = get('LISTED_ON');
    const listedAt = parseIsoDate(listedOn);
    const id = get('DATAID') ?? ref ?? r.base;
    for (const f of r.fields) {
      for (const m of f.value.matchAll(IMO_IN_TEXT)) {
        const digits = m[1] ?? '';
        const key = `${id}:${digits}`;
        const location = `${r.base}/${f.path} (line ${f.line})`;
        if (keys.has(key)) {
          skipped.push({ location, reason: `IMO ${digits} already taken from this record` });
          continue;
        }
        keys.add(key);
        if (listedOn !== null && listedAt === null) skipped.push({ location: `${r.base}/LISTED_ON`, reason: `LISTED_ON ${JSON.stringify(listedOn)} is not a date; listedAt left empty` });
        vessels.push(
          vessel({
            key,
            name,
            aliases: mergeAliases(name, aliases),
            imo: null,
            imoRaw: digits,
            imoValid: isValidImo(digits),
            program: clean(`UN ${listType ?? ''} ${ref ?? ''}`),
            listedAt,
            subject: 'company',
            source: 'un',
            location,
          }),
        );
      }
    }
  };

  parseXml(
    text,
    {
      open(name, _attrs, line) {
        if (path.length === 0 && name !== 'CONSOLIDATED_LIST') {
          throw new ParseError(`not a UN consolidated list: root element is <${name}>, expected <CONSOLIDATED_LIST>`, `line ${line}`);
        }
        path.push(name);
        textBuf = '';
        if (record === null && path.length === 3 && RECORD_ELEMENTS.has(name)) {
          const i = (counters.get(name) ?? 0) + 1;
          counters.set(name, i);
          record = { kind: name, base: `${path.slice(0, 2).join('/')}/${name}[${i}]`, line, fields: [], size: 0 };
        } else if (record !== null) {
          // Remember where each field starts, for locations.
          record.fields.push({ path: path.slice(3).join('/'), line, value: '' });
        }
      },
      text(value) {
        if (record === null || path.length <= 3) return;
        textBuf += value;
        record.size += value.length;
        if (record.size > MAX_RECORD_CHARS) throw new ParseError(`record text longer than ${MAX_RECORD_CHARS} characters`, `${record.base} (line ${record.line})`);
      },
      close(name) {
        if (record !== null) {
          if (path.length === 3) {
            finish(record);
            record = null;
          } else {
            const rel = path.slice(3).join('/');
            // The innermost open field with this path is the last one pushed.
            for (let i = record.fields.length - 1; i >= 0; i--) {
              const f = record.fields[i]!;
              if (f.path === rel) {
                if (textBuf !== '') f.value += textBuf;
                break;
              }
            }
          }
        }
        textBuf = '';
        if (path.at(-1) === name) path.pop();
      },
    },
    limits,
  );
  return { vessels, skipped, invalidImos };
}
