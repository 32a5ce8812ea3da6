/**
 * The database this run's harnesses put a server on when the test names none: SQLite (a new file) by default, or a
 * new PostgreSQL database when GUANG_TEST_DB=postgres — the suite's PostgreSQL pass (the vitest project
 * `postgres`, vitest.config.ts), which runs every file that touches a database again on PostgreSQL. A suite that
 * runs on both databases itself (serverDatabases, DATABASES) is not in that pass; nor is one that tests what
 * only SQLite has (docs/testing.md lists both).
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { atFileEnd } from './file-end.ts';
import { dropAtFileEndUnwaited, migratedDatabase } from './postgres.ts';
import { tempDbPath } from './temp.ts';

export type RunDatabaseKind = 'sqlite' | 'postgres';

/** 'postgres' in the PostgreSQL pass, else 'sqlite'. */
export const RUN_DB: RunDatabaseKind = process.env.GUANG_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface RunDatabase {
  readonly kind: RunDatabaseKind;
  /** GUANG_DB: a file path or a postgres:// URL. */
  readonly dbPath: string;
  /** What else a server needs to open it (PostgreSQL: GUANG_SECRET_KEY, which a SQLite file keeps beside itself). */
  readonly env: Record<string, string>;
}

/**
 * A new, empty database of this run's kind, removed after the file's tests (PostgreSQL: a copy of the migrated
 * template, dropped; register the server's close after this call so that it runs first).
 * @example const db = await runDatabase(); const server = await startServer({ GUANG_DB: db.dbPath, ...db.env })
 */
export async function runDatabase(): Promise<RunDatabase> {
  if (RUN_DB === 'sqlite') return { kind: 'sqlite', dbPath: tempDbPath(), env: {} };
  const { url, drop } = await migratedDatabase();
  dropAtFileEndUnwaited(drop);
  return { kind: 'postgres', dbPath: url, env: { GUANG_SECRET_KEY: randomBytes(32).toString('base64') } };
}

/**
 * Opens a run database as a CLI process given `db.env` opens it (SQLite: the key file beside it; PostgreSQL: the
 * run's GUANG_SECRET_KEY), closed after the file's tests — for a test that seeds or reads what a `guang` process wrote.
 * @example const db = await runDatabase(); const { sql } = await openRunDatabase(db); await sql.all('SELECT …')
 */
export async function openRunDatabase(db: RunDatabase): Promise<Database> {
  const opened = await openDatabase(db.dbPath, { secretKey: db.env.GUANG_SECRET_KEY ?? null });
  atFileEnd(() => opened.sql.close());
  return opened;
}
