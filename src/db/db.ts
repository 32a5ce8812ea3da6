/**
 * The SQLite connection: one file, WAL, versioned migrations applied at open.
 * Several processes (server, CLI imports, a second server) may open the same file.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.ts';
import { sqliteSql } from './postgres/dialect.ts';
import { isPostgresUrl, redactedUrl } from './postgres/pool.ts';
import { SecretKeyError, unlockSecrets, type SecretBox } from './secrets.ts';
import type { Sql } from './sql/sql.ts';
import type { SqliteSql } from './sql/sqlite.ts';

export type Db = Database.Database;

export interface OpenDbOptions {
  /**
   * GUANG_SECRET_KEY, the key of the secrets at rest (src/db/secrets.ts); null: the key file beside the
   * database. Default: the environment's, so every command that opens the file uses the same key.
   */
  readonly secretKey?: string | null;
}

/** Keyed by the connection, and by a database adapter (src/db/open.ts). */
const secretBoxes = new WeakMap<object, SecretBox>();

/**
 * The database cannot be used: its message is one line naming GUANG_DB, what is wrong and what to do,
 * for a command to print instead of a stack trace.
 */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
  constructor(message: string, override readonly cause: unknown) {
    super(message);
  }
}

const WHERE = 'or set GUANG_DB to a file in a writable directory';

/** Pure: the one-line explanation of why `file` could not be opened, from the error met. */
function explainOpenFailure(file: string, err: unknown): string {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const at = `GUANG_DB=${file}`;
  if (err instanceof DirectoryError) {
    return `cannot create the directory ${err.dir} for ${at} (${code}): create it, writable by this user, ${WHERE}.`;
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return `the database ${at} is read-only (${code}): make the file and its directory writable by this user (SQLite writes ${path.basename(file)}-wal and -shm beside it), ${WHERE}.`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return `cannot open the database ${at} (${code}): check that the path names a file (not a directory) in a directory this user can write, ${WHERE}.`;
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `${at} is not a usable SQLite database (${code}): point GUANG_DB at Guang's database, or at a new file to start empty.`;
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return `cannot write the database ${at} (${code}): the disk may be full or failing; free space, ${WHERE}.`;
  }
  if (code === 'SQLITE_BUSY') {
    return `the database ${at} stayed locked by another process (${code}): stop the process holding it (an import, a stuck server) and start again.`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `cannot use the database ${at}: ${message}`;
}

/**
 * mkdir -p, one level at a time: Node's `recursive: true` loops forever where mkdir answers ENOENT under an
 * existing parent (/proc), which would hang the start instead of failing it.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      if (code !== 'EEXIST') throw new DirectoryError(dir, code);
    }
  }
}

class DirectoryError extends Error {
  constructor(
    readonly dir: string,
    readonly code: string,
  ) {
    super(`cannot create ${dir}`);
  }
}

/**
 * Opens (creating if needed) and migrates the database, checks it can be written, and unlocks its secrets.
 * The file, its -wal and -shm (SQLite gives them the database's mode) and the key file are readable by the
 * owner only. A file that cannot be used fails here with a DatabaseOpenError (one line naming GUANG_DB),
 * not at the first message; a key that does not fit the file throws SecretKeyError.
 * @example const db = openDb('data/guang.db');
 */
export function openDb(file: string, options: OpenDbOptions = {}): Db {
  // Not a path: never a directory named "postgres:" beside the working directory.
  if (isPostgresUrl(file)) {
    throw new DatabaseOpenError(
      `GUANG_DB=${redactedUrl(file)}: this needs a SQLite file; every command but guang backup takes a PostgreSQL URL (README, "Scaling out").`,
      null,
    );
  }
  let db: Db | null = null;
  try {
    if (file !== ':memory:') {
      makeDirectory(path.dirname(path.resolve(file)));
      ownerOnly(file);
    }
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process may hold the write lock for a moment (an import, a second server): wait, don't fail.
    db.pragma('busy_timeout = 5000');
    const version = migrate(db);
    // Before the write probe: a key that does not fit must leave the file exactly as it was.
    const fromEnv = process.env.GUANG_SECRET_KEY?.trim() || null;
    secretBoxes.set(db, unlockSecrets(db, file, options.secretKey === undefined ? fromEnv : options.secretKey));
    // A write probe: migrations write nothing to an up-to-date file, and SQLite opens a file it may not
    // write read-only without saying so. Rewriting the schema version (unchanged) needs the write lock.
    db.transaction(() => db!.pragma(`user_version = ${version}`)).immediate();
    if (file !== ':memory:') ownerOnly(file); // -wal and -shm left by an older version with a wider mode
    return db;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // already unusable
    }
    if (err instanceof SchemaTooNewError || err instanceof SecretKeyError) throw err;
    throw new DatabaseOpenError(explainOpenFailure(file, err), err);
  }
}

/**
 * An in-memory copy of the database as this connection sees it now, its secrets unlocked like the original's:
 * for a dry run, which may write what it likes and must never hold the file's write lock while it awaits.
 * Costs a copy of the file in memory.
 */
export function memoryCopy(db: Db): Db {
  const image = db.serialize();
  // The header of a WAL database says so (bytes 18 and 19 are 2); an in-memory database cannot use WAL and
  // would refuse the image: mark it a rollback-journal database.
  image[18] = 1;
  image[19] = 1;
  const copy = new Database(image);
  copy.pragma('foreign_keys = ON');
  const box = secretBoxes.get(db);
  if (box) secretBoxes.set(copy, box);
  return copy;
}

/**
 * The secrets of a database opened with openDb or openDatabase (a connection or its adapter).
 * @example secretsOf(db).open(row.app_secret, context)
 */
export function secretsOf(of: Db | Sql): SecretBox {
  const box = secretBoxes.get(of) ?? ('dialect' in of && of.dialect === 'sqlite' ? secretBoxes.get((of as SqliteSql).db) : undefined);
  if (!box) throw new Error('this database was not opened with openDb or openDatabase, so its secrets are locked');
  return box;
}

/** Remembers the secrets of an adapter opened by openDatabase. */
export function rememberSecrets(of: Sql, box: SecretBox): void {
  secretBoxes.set(of, box);
}

/**
 * Creates the file 0600 before SQLite opens it (SQLite then creates -wal and -shm with the same mode), and
 * narrows the mode of files made by older versions (0644). A file owned by another user is left as it is.
 */
function ownerOnly(file: string): void {
  try {
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  } catch {
    // SQLite's own open, next, says why the path cannot be used (DatabaseOpenError).
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (statSync(f).isFile()) chmodSync(f, 0o600); // never a directory given as GUANG_DB
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Missing, another user's, or a read-only file system: the write probe in openDb decides about the last.
      if (code !== 'ENOENT' && code !== 'EPERM' && code !== 'EROFS' && code !== 'EACCES') throw err;
    }
  }
}

/** The file was written by a newer build. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/** Applies the migrations newer than the file's `user_version`, each in its own transaction. */
function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new SchemaTooNewError(
      `The database is at schema version ${current}, newer than this build knows (${latest}); upgrade Guang.`,
    );
  }
  for (let version = current + 1; version <= latest; version++) {
    const sql = sqliteSql(MIGRATIONS[version - 1]!);
    db.transaction(() => {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
  return latest;
}
