import { configDefaults, defineConfig } from 'vitest/config';

// Two tiers (see README "Tests"): pure package tests need nothing; integration tests
// talk to the real PostgreSQL+PostGIS and Redis that scripts/setup.sh provides. packages/ingest's
// tests (sockets, child processes) stay in the integration tier, where they ran under services/ingest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'packages/ingest/test/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/ingest/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
