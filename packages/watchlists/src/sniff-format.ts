/**
 * Which list format a file is, from its first bytes (header / shape), with the file name only
 * as a tie-breaker. parseList dispatches to the parser.
 */
import { ParseError } from '@rendezvous/errors';
import { euShape, parseEuVessels } from './eu.ts';
import { parseGurShadowFleet } from './gur.ts';
import { parseOfacSdn } from './ofac-sdn.ts';
import { parseOpenSanctionsFtm } from './opensanctions-ftm.ts';
import { parsePlainCsv } from './analyst-csv.ts';
import { parseUkShips } from './uk.ts';
import { parseUnConsolidatedXml } from './un-xml.ts';
import type { ListFormat, ParseOutcome } from './types.ts';

/**
 * @param fileName used only when the content is ambiguous
 * @param firstBytesText the start of the decoded file (the first few KiB is plenty)
 * @throws ParseError when the content matches no known list
 */
export function detectListFormat(fileName: string, firstBytesText: string): ListFormat {
  if (firstBytesText.includes('\0')) {
    throw new ParseError('binary data, or UTF-16 decoded as an 8-bit encoding (NUL characters); decode with decodeText()', 'line 1');
  }
  const head = firstBytesText.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  const firstLine = (head.split(/\r?\n/, 1)[0] ?? '').trim();
  const lower = firstLine.toLowerCase();
  const name = fileName.toLowerCase();

  if (head.startsWith('<')) {
    if (/<CONSOLIDATED_LIST[\s>]/.test(head) || (head.startsWith('<?xml') && name.includes('consolidated'))) return 'un';
    throw new ParseError('XML that is not a UN consolidated list (no <CONSOLIDATED_LIST> root)', 'line 1');
  }
  if (head.startsWith('{')) {
    if (/"schema"\s*:/.test(firstLine)) return 'opensanctions';
    throw new ParseError('JSON lines without a FollowTheMoney "schema" field', 'line 1');
  }
  // Raw OFAC sdn.csv: no header, ent_num then a quoted name, "-0-" for empty cells.
  if (/^[0-9]+,"/.test(firstLine) && (firstLine.includes('-0-') || name.includes('sdn'))) return 'ofac-sdn';
  if (lower.startsWith('ent_num,sdn_name')) return 'ofac-sdn';
  if (euShape(firstLine) !== null) return 'eu';
  if (lower.startsWith('unique id,ofsi group id,name') || (lower.includes('unique id') && lower.includes('date designated'))) return 'uk';
  if (lower.startsWith('gur_id,')) return 'gur';
  const cols = lower.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cols.includes('imo') && cols.includes('mmsi') && cols.includes('name')) return 'csv';
  throw new ParseError(
    `unrecognised list format${fileName === '' ? '' : ` for ${fileName}`}: header ${JSON.stringify(firstLine.slice(0, 120))}`,
    'line 1',
  );
}

export function parseList(format: ListFormat, text: string): ParseOutcome {
  switch (format) {
    case 'ofac-sdn':
      return parseOfacSdn(text);
    case 'eu':
      return parseEuVessels(text);
    case 'uk':
      return parseUkShips(text);
    case 'un':
      return parseUnConsolidatedXml(text);
    case 'opensanctions':
      return parseOpenSanctionsFtm(text);
    case 'csv':
      return parsePlainCsv(text);
    case 'gur':
      return parseGurShadowFleet(text);
  }
}
