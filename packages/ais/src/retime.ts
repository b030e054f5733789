import { hex2, xorChecksum } from './checksum.ts';

const nmeaChecksum = (body: string) => hex2(xorChecksum(body, 0, body.length));

/**
 * Returns `line` with its TAG-block time (`c:`) set to `timeMs` (written in the unit the block
 * already used: seconds, or milliseconds when its value was ≥ 1e11), and the block checksum
 * recomputed. A line without a TAG block gets one (`\c:<seconds>*hh\`). Used to replay a capture
 * as if it were live.
 */
export function retimeLine(line: string, timeMs: number): string {
  if (line.charCodeAt(0) === 92 /* \ */) {
    const end = line.indexOf('\\', 1);
    const star = line.lastIndexOf('*', end);
    if (end > 0 && star > 0) {
      const fields = line.slice(1, star).split(',');
      let found = false;
      const rewritten = fields.map((f) => {
        if (!f.startsWith('c:')) return f;
        found = true;
        const ms = Number(f.slice(2)) >= 1e11;
        return `c:${ms ? Math.round(timeMs) : Math.floor(timeMs / 1000)}`;
      });
      if (!found) rewritten.push(`c:${Math.floor(timeMs / 1000)}`);
      const body = rewritten.join(',');
      return `\\${body}*${nmeaChecksum(body)}\\${line.slice(end + 1)}`;
    }
  }
  const body = `c:${Math.floor(timeMs / 1000)}`;
  return `\\${body}*${nmeaChecksum(body)}\\${line}`;
}
