import { configDefaults, defineConfig } from 'vitest/config';

// Two tiers (see README "Tests"): pure package tests need nothing; integration tests
// talk to the real PostgreSQL+PostGIS and Redis that scripts/setup.sh provides. packages/ingest's
// tests (sockets, child processes) stay in the integration tier, where they ran under services/ingest.
const PURE_REPOSITORY_TESTS = ['test/foundation/workspace-dependencies.test.ts', 'test/reliability/12-regex-hardening.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Plus the two repository-wide checks that need no services: the import rules
          // (workspace dependencies) and the linear-regex parsers (worker threads only).
          include: ['packages/*/test/**/*.test.ts', ...PURE_REPOSITORY_TESTS],
          exclude: [...configDefaults.exclude, 'packages/ingest/test/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/ingest/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...PURE_REPOSITORY_TESTS],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // expect.poll waits on real services and a real browser: 1 s (vitest's default) is a
          // timing assert in disguise on a loaded 2-core machine (a map still zooming in failed a
          // CI run). Waiting longer never passes a wrong value: it only waits for the right one.
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
