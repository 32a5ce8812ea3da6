/**
 * Both databases for the storage suites: `describe.each(DATABASES)` runs a suite against a new SQLite file and a
 * fresh PostgreSQL database (a copy of the migrated template; skipped, and said so, where no server answers outside
 * CI; see postgres.ts), each opened as the server opens it (openDatabase: migrated — the copy is found up to date —
 * and secrets unlocked). `openEach` / `openAll` do the opening and closing around the suite's tests.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { dropAtFileEndUnwaited, migratedDatabase, noPostgres } from './postgres.ts';
import { tempDbPath } from './temp.ts';

export interface OpenedDatabase {
  readonly sql: Sql;
  /** Another adapter on the same database, as a second instance would have (SQLite: a second connection to the same file). */
  another(): Promise<Sql>;
  close(): Promise<void>;
}

export interface DatabaseUnderTest {
  readonly name: 'sqlite' | 'postgres';
  readonly skip: boolean;
  open(): Promise<OpenedDatabase>;
}

const sqlite: DatabaseUnderTest = {
  name: 'sqlite',
  skip: false,
  async open() {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'guang-sql-'));
    const file = path.join(dir, 'guang.db');
    const extra: Sql[] = [];
    const sql = (await openDatabase(file, { secretKey: null })).sql;
    return {
      sql,
      async another() {
        const s = (await openDatabase(file, { secretKey: null })).sql;
        extra.push(s);
        return s;
      },
      async close() {
        for (const s of [sql, ...extra]) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: DatabaseUnderTest = {
  name: 'postgres',
  skip: noPostgres,
  async open() {
    const { url, drop } = await migratedDatabase();
    const secretKey = randomBytes(32).toString('base64');
    const extra: Sql[] = [];
    const sql = (await openDatabase(url, { secretKey, poolSize: 5 })).sql;
    return {
      sql,
      async another() {
        const s = (await openDatabase(url, { secretKey, poolSize: 5 })).sql;
        extra.push(s);
        return s;
      },
      async close() {
        for (const s of [sql, ...extra]) await s.close();
        await drop();
      },
    };
  },
};

export const DATABASES: readonly DatabaseUnderTest[] = [sqlite, postgres];

/** The database a suite's tests use, open while they run: what `openEach` and `openAll` hand back. */
export interface OpenDuringTests {
  /** The adapter the tests use (read inside a test, or a hook registered after the opening one). */
  readonly sql: Sql;
  /** `sql` and, after it, the adapters of the other instances asked for (`{ instances: n }`) on the same database. */
  readonly instances: readonly Sql[];
  /** Another adapter on the same database, as a second instance would have; closed with the database. */
  another(): Promise<Sql>;
}

/** How many instances' adapters to open on the database (`instances`; default 1: `sql` only). */
export interface OpenOptions {
  readonly instances?: number;
}

/**
 * A new `database` for each test of the calling describe, closed (PostgreSQL: dropped) after it; nothing where the
 * database is skipped. Hooks registered after this call run after the opening and before the closing.
 * @example describe.each(DATABASES)('stores on $name', (database) => { const opened = openEach(database); it.skipIf(database.skip)('…', async () => createStoreRegistry(opened.sql) …) })
 */
export function openEach(database: DatabaseUnderTest, options: OpenOptions = {}): OpenDuringTests {
  return openAround(database, options, beforeEach, afterEach);
}

/** As openEach, but one database for all the tests of the calling describe (they share its rows: seed it in a beforeAll registered after this call). */
export function openAll(database: DatabaseUnderTest, options: OpenOptions = {}): OpenDuringTests {
  return openAround(database, options, beforeAll, afterAll);
}

function openAround(database: DatabaseUnderTest, options: OpenOptions, before: typeof beforeAll, after: typeof afterAll): OpenDuringTests {
  let opened: { readonly database: OpenedDatabase; readonly instances: Sql[] } | null = null;
  const current = () => {
    if (opened) return opened;
    throw new Error(`the ${database.name} database is open only while the suite's tests run${database.skip ? ' (here it is skipped: it.skipIf(database.skip))' : ''}`);
  };
  before(async () => {
    if (database.skip) return;
    const o = await database.open();
    opened = { database: o, instances: [o.sql] };
    for (let i = 1; i < (options.instances ?? 1); i++) opened.instances.push(await o.another());
  });
  after(async () => {
    const closing = opened;
    opened = null;
    await closing?.database.close();
  });
  return {
    get sql() {
      return current().database.sql;
    },
    get instances() {
      return current().instances;
    },
    another: () => current().database.another(),
  };
}

/** A test server's database: where it lives (GUANG_DB) and what else the server needs to open it. */
export interface ServerDatabase {
  readonly name: DatabaseUnderTest['name'];
  readonly dbPath: string;
  readonly env: Record<string, string>;
  /** Runs `fn` on a connection of its own, closed after: to seed the database before the server starts. */
  seed<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/**
 * The databases a server suite runs on: a new SQLite file, and (where a server answers) a new PostgreSQL
 * database, dropped after the file's tests.
 * @example for (const database of await serverDatabases()) describe(database.name, …)
 */
export async function serverDatabases(): Promise<ServerDatabase[]> {
  const made: ServerDatabase[] = [];
  const file = tempDbPath();
  made.push({ name: 'sqlite', dbPath: file, env: {}, seed: seeder(file, null) });
  if (!postgres.skip) {
    const { url, drop } = await migratedDatabase();
    const secretKey = randomBytes(32).toString('base64');
    dropAtFileEndUnwaited(drop);
    made.push({ name: 'postgres', dbPath: url, env: { GUANG_SECRET_KEY: secretKey }, seed: seeder(url, secretKey) });
  }
  return made;
}

/**
 * Inside a test: a new, empty database of the same kind as `database` (SQLite: a new file; PostgreSQL: a new
 * database, dropped when the test finishes), for a test that needs a server of its own. Close that server in an
 * onTestFinished registered after this call: those run last first.
 * @example const own = await anotherServerDatabase(database); const server = await testServer({ dbPath: own.dbPath, env: own.env }); onTestFinished(() => server.close())
 */
export async function anotherServerDatabase(database: ServerDatabase): Promise<ServerDatabase> {
  if (database.name === 'sqlite') {
    const file = tempDbPath();
    return { name: 'sqlite', dbPath: file, env: {}, seed: seeder(file, null) };
  }
  const { url, drop } = await migratedDatabase();
  onTestFinished(drop);
  const secretKey = randomBytes(32).toString('base64');
  return { name: 'postgres', dbPath: url, env: { GUANG_SECRET_KEY: secretKey }, seed: seeder(url, secretKey) };
}

/** ServerDatabase.seed: `fn` on a connection of its own to the database, closed after. */
function seeder(dbPath: string, secretKey: string | null) {
  return async <T>(fn: (sql: Sql) => Promise<T>): Promise<T> => {
    const { sql } = await openDatabase(dbPath, { secretKey });
    try {
      return await fn(sql);
    } finally {
      await sql.close();
    }
  };
}
