/**
 * Access to the shared real-data folder (/work/shared/data, read-only).
 * Tests that need it skip with a message when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const HAVE_DATA = existsSync(DATA_DIR + 'SOURCES.md');
export const SKIP_NOTE = `shared data folder not found at ${DATA_DIR}; skipping real-data tests`;

if (!HAVE_DATA) console.warn(SKIP_NOTE);

export function dataPath(rel: string): string {
  return DATA_DIR + rel;
}

export function hasData(rel: string): boolean {
  return HAVE_DATA && existsSync(DATA_DIR + rel);
}

export function readLines(rel: string): string[] {
  return readFileSync(DATA_DIR + rel, 'utf8').split('\n');
}
