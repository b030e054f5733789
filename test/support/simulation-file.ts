import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes simulator NMEA lines to a fresh temporary file (10,000 lines per write, so a day of
 * traffic never builds one huge string) and returns its path, for ingestFiles.
 */
export async function writeSimulationFile(lines: Iterable<string>, prefix = 'rzv-sim-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'sim.nmea');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject).on('finish', resolve);
    let buf: string[] = [];
    for (const line of lines) {
      buf.push(line);
      if (buf.length >= 10_000) {
        out.write(buf.join('\n') + '\n');
        buf = [];
      }
    }
    out.end(buf.join('\n') + '\n');
  });
  return file;
}
