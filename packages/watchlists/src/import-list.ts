import { createHash } from 'node:crypto';
import { ValidationError } from '@rendezvous/errors';
import { decodeTextWithInfo } from './decode-text.ts';
import { detectListFormat, parseList } from './sniff-format.ts';
import { normalizeVesselName } from './normalize.ts';
import { LIST_FORMATS, type ListFormat, type ListedVessel, type ParseOutcome } from './types.ts';

/** Lists are read whole; beyond this a file is refused with a clear message instead of exhausting memory. */
export const MAX_LIST_BYTES = 256 * 1024 * 1024;

/** What the store needs to persist one snapshot of a list. */
export interface ListSnapshot {
  name: string;
  format: ListFormat;
  fileName: string | null;
  sha256: string;
  encoding: string;
  importedBy: string;
  entries: SnapshotEntry[];
  skipped: ParseOutcome['skipped'];
  invalidImos: ParseOutcome['invalidImos'];
}

export interface SnapshotEntry extends ListedVessel {
  nameKey: string | null;
  /** Hash of the entry's content: same key + same hash = unchanged between versions. */
  contentHash: string;
}

/**
 * Bytes of a list file → a snapshot ready to store: decoded (UTF-8/UTF-16/windows-1252), format
 * given or detected, parsed (a malformed file throws ParseError naming the line or element, so
 * nothing is imported), entries keyed and hashed, duplicate keys within the file merged (first
 * wins, the others reported as skipped).
 */
export function prepareListSnapshot(input: {
  name: string;
  bytes: Uint8Array;
  fileName: string | null;
  format?: string;
  importedBy: string;
}): ListSnapshot {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(input.name)) {
    throw new ValidationError(`list name "${input.name}": use 1–64 lower-case letters, digits, '.', '_' or '-'`);
  }
  if (input.bytes.length > MAX_LIST_BYTES) {
    throw new ValidationError(`list file is ${Math.round(input.bytes.length / 1048576)} MB; the limit is ${MAX_LIST_BYTES / 1048576} MB`);
  }
  if (input.bytes.length === 0) throw new ValidationError('list file is empty');
  const decoded = decodeTextWithInfo(input.bytes);
  let format: ListFormat;
  if (input.format) {
    if (!(LIST_FORMATS as readonly string[]).includes(input.format)) {
      throw new ValidationError(`unknown list format "${input.format}"; one of ${LIST_FORMATS.join(', ')}`);
    }
    format = input.format as ListFormat;
  } else {
    format = detectListFormat(input.fileName ?? '', decoded.text.slice(0, 64 * 1024));
  }
  const outcome = parseList(format, decoded.text);
  const seen = new Set<string>();
  const skipped = [...outcome.skipped];
  const entries: SnapshotEntry[] = [];
  for (const v of outcome.vessels) {
    if (seen.has(v.key)) {
      skipped.push({ location: v.location, reason: `duplicate of entry ${v.key} listed earlier in the file` });
      continue;
    }
    seen.add(v.key);
    entries.push({ ...v, nameKey: normalizeVesselName(v.name), contentHash: contentHash(v) });
  }
  return {
    name: input.name,
    format,
    fileName: input.fileName,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    encoding: decoded.encoding,
    importedBy: input.importedBy,
    entries,
    skipped,
    invalidImos: outcome.invalidImos,
  };
}

function contentHash(v: ListedVessel): string {
  const { location: _location, ...content } = v; // where it sits in the file is not content
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}
