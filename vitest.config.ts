import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real HTTP servers and SQLite files; two cores run them best in forks.
    pool: 'forks',
    // Two at a time: vitest's default (cores − 1) is one fork on a 2-core machine, and most suites wait on
    // servers, browsers and child processes rather than compute — one fork left a core idle.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // expect.poll's own default (1 s) is shorter than a console page takes to draw when CI runs two forks
    // next to Chromium; a poll that must fail still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    // The build the browser tests and the packaging test use, made once before any file runs.
    globalSetup: ['test/helpers/global-build.ts'],
  },
});
