/**
 * The SQLite connection: one file, WAL, versioned migrations applied at open.
 * Several processes (server, CLI imports, a second server) may open the same file.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.ts';
import { unlockSecrets, type SecretBox } from './secrets.ts';

export type Db = Database.Database;

export interface OpenDbOptions {
  /**
   * GUANG_SECRET_KEY, the key of the secrets at rest (src/store/secrets.ts); null: the key file beside the
   * database. Default: the environment's, so every command that opens the file uses the same key.
   */
  readonly secretKey?: string | null;
}

const secretBoxes = new WeakMap<Db, SecretBox>();

/**
 * Opens (creating if needed) and migrates the database, and unlocks its secrets. The file, its -wal and
 * -shm (SQLite gives them the database's mode) and the key file are readable by the owner only.
 * Throws SecretKeyError when the key does not fit the file.
 * @example const db = openDb('data/guang.db');
 */
export function openDb(file: string, options: OpenDbOptions = {}): Db {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    ownerOnly(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process may hold the write lock for a moment (an import, a second server): wait, don't fail.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const fromEnv = process.env.GUANG_SECRET_KEY?.trim() || null;
  try {
    secretBoxes.set(db, unlockSecrets(db, file, options.secretKey === undefined ? fromEnv : options.secretKey));
  } catch (err) {
    db.close();
    throw err;
  }
  if (file !== ':memory:') ownerOnly(file); // -wal and -shm left by an older version with a wider mode
  return db;
}

/** The secrets of a database opened with openDb. @example secretsOf(db).open(row.app_secret, context) */
export function secretsOf(db: Db): SecretBox {
  const box = secretBoxes.get(db);
  if (!box) throw new Error('this database was not opened with openDb, so its secrets are locked');
  return box;
}

/**
 * Creates the file 0600 before SQLite opens it (SQLite then creates -wal and -shm with the same mode), and
 * narrows the mode of files made by older versions (0644). A file owned by another user is left as it is.
 */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw err;
    }
  }
}

/** Applies the migrations newer than the file's `user_version`, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this build knows (${latest}); upgrade Guang.`,
    );
  }
  for (let version = current + 1; version <= latest; version++) {
    const sql = MIGRATIONS[version - 1]!;
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
