/**
 * An online backup of the database: a consistent copy taken while servers and imports keep writing.
 *
 * SQLite's backup API (better-sqlite3's `db.backup`) copies the pages; it is asked to copy them all in one
 * step, so the copy is one read transaction: in WAL mode that reads a snapshot without blocking writers, and
 * a write by another process between steps (which would restart a page-by-page backup, forever under a
 * steady stream of writes) cannot land inside it. The copy is written beside FILE, switched from WAL to a
 * rollback journal (one self-contained file, no -wal or -shm to carry along), checked with
 * `PRAGMA quick_check`, and only then renamed to FILE: a failed backup never leaves a half-written FILE.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { keyFileOf } from './secrets.ts';

export interface BackupResult {
  /** The copy, as given. */
  readonly file: string;
  readonly bytes: number;
  /** The copy's schema version (`user_version`, the number of migrations applied). */
  readonly schemaVersion: number;
  /** The key file beside the database, when there is one: the copy's secrets need it (or GUANG_SECRET_KEY). */
  readonly keyFile: string | null;
}

type BackupErrorCode = 'missing' | 'exists' | 'same_file' | 'failed';

/** Why there is no backup, in one line that names the file. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** All remaining pages in one step (SQLite's -1; better-sqlite3 takes a count up to 2^31 - 1). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the database `source` to `target`; refuses an existing `target` unless `force`.
 * @example const { bytes } = await backupDatabase('data/guang.db', 'backups/guang-2026-05-01.db');
 */
export async function backupDatabase(source: string, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (!isFile(source)) throw new BackupError('missing', `there is no database at ${source}`);
  if (existsSync(target)) {
    if (sameFile(source, target)) throw new BackupError('same_file', `${target} is the database itself`);
    if (!options.force) throw new BackupError('exists', `${target} already exists (--force replaces it)`);
    if (!isFile(target)) throw new BackupError('exists', `${target} is not a file`);
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    // Owner-only from the start, like the database: the copy holds the followers' data.
    closeSync(openSync(temp, 'wx', 0o600));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BackupError('failed', code === 'ENOENT' ? `cannot write ${target}: there is no directory ${path.dirname(target)}` : `cannot write ${target}: ${describe(err)}`);
  }
  try {
    await copy(source, temp);
    const schemaVersion = finish(temp, target);
    if (!options.force && existsSync(target)) throw new BackupError('exists', `${target} appeared while the backup ran; nothing was replaced`);
    renameSync(temp, target);
    const keyFile = keyFileOf(source);
    return { file: target, bytes: statSync(target).size, schemaVersion, keyFile: existsSync(keyFile) ? keyFile : null };
  } catch (err) {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError('failed', `the backup of ${source} failed: ${describe(err)}`);
  }
}

async function copy(source: string, temp: string): Promise<void> {
  let db: Database.Database;
  try {
    // Without migrations: a backup changes nothing, whichever version wrote the file. Not read-only: a
    // read-only connection leaves the -wal and -shm it had to create behind (owned by whoever ran the backup,
    // which can lock the service's user out); a read-write one removes them on close when it is the last.
    db = new Database(source, { fileMustExist: true });
  } catch (err) {
    throw new BackupError('failed', `cannot open the database ${source}: ${describe(err)}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(temp, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

/** One file instead of three, then checked; returns the copy's schema version. */
function finish(temp: string, target: string): number {
  const db = new Database(temp, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError('failed', `the copy for ${target} failed its check (${String(check)}); nothing was written`);
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
