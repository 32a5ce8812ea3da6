import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { inPostgresCi, postgresPassPlace } from './test/passes.ts';

const root = import.meta.dirname;
/** The PostgreSQL pass: every file that touches a database and does not already run both (test/passes.ts). */
const postgresPass = readdirSync(`${root}/test`, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f}`)
  .filter((f) => postgresPassPlace(root, f) === 'pass').sort();

export default defineConfig({
  test: {
    // Integration suites start real HTTP servers and SQLite files; two cores run them best in forks.
    pool: 'forks',
    // Two at a time: vitest's default (cores − 1) is one fork on a 2-core machine, and most suites wait on
    // servers, browsers and child processes rather than compute — one fork left a core idle. (Three overloaded the
    // two cores once Chromium and PostgreSQL ran beside them.)
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // expect.poll's own default (1 s) is shorter than a console page takes to draw when CI runs two forks
    // next to Chromium; a poll that must fail still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    // The build the browser tests and the packaging test use, made once before any file runs.
    globalSetup: ['test/helpers/global-build.ts', 'test/helpers/global-postgres.ts'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      // Issue 18: every test on both databases. The same files again with their servers, bots and CLI runs on a new
      // PostgreSQL database each (GUANG_TEST_DB=postgres, test/helpers/run-database.ts): `postgres` in npm test and
      // CI, `postgres-more` (the browser files and two slow ones, test/passes.ts) in npm run test:postgres.
      { extends: true, test: { name: 'postgres', include: postgresPass.filter(inPostgresCi), env: { GUANG_TEST_DB: 'postgres' } } },
      { extends: true, test: { name: 'postgres-more', include: postgresPass.filter((f) => !inPostgresCi(f)), env: { GUANG_TEST_DB: 'postgres' } } },
    ],
  },
});
