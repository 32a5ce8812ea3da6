/**
 * Which test files run in which pass (vitest.config.ts): every file in the SQLite pass, and every file that touches
 * a database again in the PostgreSQL pass (GUANG_TEST_DB=postgres: the harnesses put their servers, bots and CLI
 * runs on a new PostgreSQL database, test/helpers/run-database.ts). Decided from each file's imports, so a new
 * file is in the PostgreSQL pass as soon as it opens a database:
 * - a file that runs both databases itself (it imports helpers/databases.ts or helpers/postgres.ts) is not in the
 *   pass: it already ran PostgreSQL in the SQLite pass;
 * - a file that imports nothing that opens a database (no harness, no temp database, no src/db module, no CLI
 *   process) has nothing to run on PostgreSQL;
 * - a file that tests what only SQLite has is named in SQLITE_ONLY, with why;
 * - a file whose database is incidental, its statements run on both in another file, is named in ELSEWHERE.
 * docs/testing.md says the same for people.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Files that test what only SQLite has: not in the PostgreSQL pass. */
export const SQLITE_ONLY: Readonly<Record<string, string>> = {
  'test/db/group-commit.test.ts': "SQLite's group commit (PostgreSQL groups lone statements instead: test/db/postgres-groups, sql)",
  'test/store/checkpointer.test.ts': 'WAL checkpoints',
  'test/cli/backup.test.ts': 'guang backup copies a SQLite file (PostgreSQL has pg_dump)',
  'test/security/disk-full.test.ts': "a full disk under the SQLite file (a PostgreSQL server's disk is its own)",
  'test/security/disk-startup.test.ts': "an unwritable or full disk for the SQLite file at start",
  'test/security/secrets-at-rest.test.ts': 'the bytes of the SQLite file and its WAL (PostgreSQL: the row, test/admin/accounts)',
  'test/push/revision.test.ts': "SQLite's data_version pragma (PostgreSQL: broadcast notices, push/broadcast-notices)",
  'test/orders/chat-cost.test.ts': 'statements counted as the SQLite connection prepares them (PostgreSQL: db/pg-delivery counts)',
  'test/security/import-responsive.test.ts': 'a big import blocking the event loop on the synchronous SQLite driver',
};

/**
 * Files that open a SQLite file of their own for something incidental to what they test, where the statements
 * involved run on both databases in the file named: not in the PostgreSQL pass (it would run them on SQLite again).
 */
export const ELSEWHERE: Readonly<Record<string, string>> = {
  'test/cli/help.test.ts': 'usage text and exit codes',
  'test/cli/env-file.test.ts': 'reading .env files',
  'test/cli/port-option.test.ts': 'parsing --port',
  'test/cli/package.test.ts': 'the packed tarball started as a new user starts it: the embedded default',
  'test/cli/chat.test.ts': 'guang chat on stdin over the demo (the agent over the demo on both: eval, followups-qa)',
  'test/cli/serve-metrics.test.ts': 'the metrics port (the database facts on it: app/metrics-listener in the pass)',
  'test/catalogue/taobao.test.ts': "parsing Taobao's export (its rows stored: catalogue/store-batches)",
  'test/catalogue/demo.test.ts': 'the demo catalogue file (seeded on PostgreSQL by cli/users, shopping/followups-qa)',
  'test/wechat-api/client.test.ts': 'the API client against the simulator (its token store: wechat-api/token-instances)',
  'test/wechat-api/menu.test.ts': 'the menu API against the simulator (its token store: wechat-api/token-instances)',
  'test/wechat-api/simulator.test.ts': 'the simulator (its token store: wechat-api/token-instances)',
  'test/wechat-api/template.test.ts': 'template messages against the simulator (its token store: wechat-api/token-instances)',
  'test/wechat-api/token.test.ts': 'refresh timing against the simulator (the token store: wechat-api/token-instances)',
  'test/app/customer-service.test.ts': 'the customer-service API (its send ledger: push/delivery)',
  'test/security/crash-kill.test.ts': 'servers SIGKILLed and restarted on one database (on PostgreSQL: scale/push-takeover, scale/serve-postgres; it passes in the pass, +40–60 s)',
  'test/reports/cli.test.ts': 'guang report output (the report queries: reports/conversion-databases)',
};

/** Files whose imports look like a database's but that open none (pure modules of src/db, a CLI run without one). */
export const NO_DATABASE: Readonly<Record<string, string>> = {
  'test/poll.test.ts': 'the polling and notice-waking logic, over fakes',
  'test/db/placeholders.test.ts': 'rewriting ? placeholders as $n: text only',
  'test/app/log-lines.test.ts': 'log lines of a process that opens no database',
  'test/architecture/layers.test.ts': 'the import graph of src',
  'test/console/serving.test.ts': 'serving the built console files',
  'test/wechaty/isolation.test.ts': 'that importing src loads no Wechaty',
  'test/deploy/compose-postgres.test.ts': 'the compose file, read as YAML',
  'test/deploy/kit.test.ts': 'the deployment files, read as text',
};

/** What a file imports that opens a database: a harness, a temp database, a module of src/db, a CLI process. */
const OPENS_A_DATABASE = [
  /helpers\/(server|run-database|temp|process|pages|console-session)\.ts/,
  // The directories' own harnesses and seeds (admin, wechaty, push, wechat-api, reports, orders, staff).
  /\/(harness|seed|order-seed|staff-client)\.ts/,
  /src\/db\//,
  /src\/app\/(server|wechaty-bot)\.ts/,
];
const RUNS_BOTH = /helpers\/(databases|postgres)\.ts/;

/**
 * Files of the PostgreSQL pass that `npm test` (and so CI) leaves to `npm run test:postgres`: CI has 20 minutes on two
 * cores and the whole suite twice does not fit them (measured: more than 25 minutes). The console's browser files
 * (Chromium is the costliest thing the suite runs; what they click is the admin API, whose every route is in the
 * pass) and the two slowest process-spawning files. All of them pass on PostgreSQL: run them before a release.
 */
export const POSTGRES_OUTSIDE_CI: Readonly<Record<string, string>> = {
  'test/cli/users.test.ts': 'guang users on the demo twice: demo seeding on PostgreSQL, ~60 s',
  'test/cli/stop-with-parent.test.ts': 'orphaned guang serve and wechaty processes: the database is incidental, ~35 s',
};

/** True for a file of the pass that CI runs (see POSTGRES_OUTSIDE_CI). */
export const inPostgresCi = (file: string): boolean => !file.includes('.browser.') && !(file in POSTGRES_OUTSIDE_CI);

export type PostgresPassPlace = 'pass' | 'runs-both' | 'no-database' | 'sqlite-only' | 'elsewhere';

/** Where `file` (relative to the repository, e.g. test/admin/api.test.ts) stands with the PostgreSQL pass. */
export function postgresPassPlace(root: string, file: string): PostgresPassPlace {
  if (file in SQLITE_ONLY) return 'sqlite-only';
  if (file in NO_DATABASE) return 'no-database';
  if (file in ELSEWHERE) return 'elsewhere';
  // What the file imports, not what its comments say.
  const imports = readFileSync(path.join(root, file), 'utf8').match(/^\s*(import|export)\b[^;]*?from\s+'[^']+'/gm)?.join('\n') ?? '';
  if (RUNS_BOTH.test(imports)) return 'runs-both';
  return OPENS_A_DATABASE.some((re) => re.test(imports)) ? 'pass' : 'no-database';
}
