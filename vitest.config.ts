import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real HTTP servers and SQLite files; two cores run them best in forks.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The build the browser tests and the packaging test use, made once before any file runs.
    globalSetup: ['test/helpers/global-build.ts'],
  },
});
