/**
 * `guang backup FILE [--db PATH] [--force]`: an online backup of the database (GUANG_DB) to FILE, safe while
 * `guang serve` runs (src/db/backup.ts). Prints the copy's path and size on stdout; a note about the key of
 * the secrets at rest on stderr.
 * Exit code: 0; 1 when the database is missing, FILE exists (without --force) or the copy failed.
 */
import { BackupError, backupDatabase } from '../db/backup.ts';
import { isPostgresUrl, redactedUrl } from '../db/postgres/pool.ts';
import { databasePath } from './db-path.ts';

export interface BackupOptions {
  /** Overrides GUANG_DB. */
  readonly db?: string;
  readonly force?: boolean;
}

export async function run(file: string, options: BackupOptions): Promise<number> {
  const source = options.db?.trim() || databasePath();
  if (isPostgresUrl(source)) {
    // A server database is backed up by the server's own tools; the URL is printed without its password.
    console.error(`guang backup: ${redactedUrl(source)} is a PostgreSQL database: back it up with pg_dump (e.g. pg_dump -Fc -f guang.dump "$GUANG_DB"); guang backup copies a SQLite file.`);
    return 1;
  }
  try {
    const r = await backupDatabase(source, file, { force: options.force === true });
    console.log(`${r.file}: ${size(r.bytes)} (${r.bytes.toLocaleString('en-US')} bytes), schema version ${r.schemaVersion}, from ${source}`);
    // The copy's account secrets are encrypted: without the key, a restore has the data but not the secrets.
    if (process.env.GUANG_SECRET_KEY?.trim()) console.error('guang backup: the secrets in the copy are encrypted with GUANG_SECRET_KEY: a restore needs the same key.');
    else if (r.keyFile) console.error(`guang backup: the secrets in the copy are encrypted with the key in ${r.keyFile}: keep that file too, apart from the copy.`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`guang backup: ${err.message}${err.code === 'missing' ? ' (GUANG_DB, or --db)' : ''}`);
      return 1;
    }
    throw err;
  }
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let n = bytes / 1024;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n.toFixed(1)} ${units[unit]}`;
}
