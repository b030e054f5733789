import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const hasCompose = await run('docker-compose', ['version']).then(
  () => true,
  () => false,
);

describe('docker-compose.yml', () => {
  it.skipIf(!hasCompose)(
    'is valid for `docker-compose config` and defines db, redis and the three services (skipped when the docker-compose tool is absent: apt-get install docker-compose)',
    async () => {
      const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services'], { cwd: ROOT });
      expect(stdout.trim().split('\n').sort()).toEqual(['api', 'db', 'detector', 'ingest', 'migrate', 'redis']);
      const { stdout: full } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT });
      expect(full).toMatch(/pgdata/);
      expect(full.match(/healthcheck:/g)?.length).toBeGreaterThanOrEqual(3);
    },
  );

  it('builds every service from the one multi-stage Dockerfile, which copies every entry point it runs', () => {
    const compose = readFileSync(`${ROOT}/docker-compose.yml`, 'utf8');
    const dockerfile = readFileSync(`${ROOT}/Dockerfile`, 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    // The entry point is the last argument, after any Node flags (ingest's --max-semi-space-size).
    const commands = [...compose.matchAll(/command: \["node", (?:"--[^"]+", )*"([^"]+)"\]/g)].map((m) => m[1]!);
    expect(commands.length).toBe(4);
    for (const entry of commands) {
      expect(existsSync(`${ROOT}/${entry}`), entry).toBe(true);
      expect(dockerfile).toContain(`COPY ${entry.split('/')[0]} `);
    }
  });
});
