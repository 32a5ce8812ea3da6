/**
 * `guang db migrate [--db FILE|URL]` brings a database to this build's schema (a SQLite file, or PostgreSQL at
 * a postgres:// URL); `guang db copy --from FILE.db --to postgres://…` moves every row of a SQLite database into
 * an empty PostgreSQL one and verifies each table by its row count and a checksum (src/db/postgres/copy.ts).
 * Exit code: 0; 1 when refused (no such file, the target holds data, the copy does not verify, the server
 * cannot be reached or is newer); 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { openDb, DatabaseOpenError, SchemaTooNewError } from '../db/db.ts';
import { MIGRATIONS } from '../db/migrations.ts';
import { copyToPostgres } from '../db/postgres/copy.ts';
import { migratePostgres, PostgresSchemaTooNewError } from '../db/postgres/migrate.ts';
import { createPgPool, isPostgresUrl, redactedUrl } from '../db/postgres/pool.ts';
import { databasePath } from './db-path.ts';
import { UsageError } from './usage-error.ts';

export interface MigrateOptions {
  /** Overrides GUANG_DB. */
  readonly db?: string;
}
export interface CopyOptions {
  readonly from?: string;
  readonly to: string;
}

export async function migrate(o: MigrateOptions): Promise<number> {
  const target = o.db?.trim() || databasePath();
  if (!isPostgresUrl(target)) {
    return refusals('migrate', async () => {
      openDb(target).close();
      console.log(`${target}: schema version ${MIGRATIONS.length}`);
    });
  }
  const pool = createPgPool(target, 1);
  try {
    return await refusals('migrate', async () => {
      const r = await migratePostgres(pool);
      console.log(`${redactedUrl(target)}: schema version ${r.to}${r.from === r.to ? ' (already)' : ` (was ${r.from})`}`);
    });
  } finally {
    await pool.end();
  }
}

export async function copy(o: CopyOptions): Promise<number> {
  const from = o.from?.trim() || databasePath();
  if (isPostgresUrl(from)) throw new UsageError('--from: a SQLite file (copying from PostgreSQL is not supported)');
  if (!isPostgresUrl(o.to)) throw new UsageError('--to: a PostgreSQL URL, postgres://user:password@host:5432/database');
  if (!existsSync(from)) {
    console.error(`guang db copy: no database at ${from} (--from, or GUANG_DB)`);
    return 1;
  }
  const pool = createPgPool(o.to, 2);
  try {
    return await refusals('copy', async () => {
      const db = openDb(from);
      try {
        const r = await copyToPostgres(db, pool, (t) => console.error(`  ${t.table}: ${t.rows.toLocaleString('en-US')} rows`));
        if (!r.ok && r.reason === 'not_empty') {
          console.error(`guang db copy: ${redactedUrl(o.to)} already holds data (${r.tables.join(', ')}); copy into an empty database`);
          return 1;
        }
        if (!r.ok && r.reason === 'row_refused') {
          console.error(`guang db copy: PostgreSQL refused a row, so nothing was copied: ${r.message}`);
          return 1;
        }
        if (!r.ok) {
          console.error(`guang db copy: the copy does not match its source:\n${r.problems.map((p) => `  ${p}`).join('\n')}`);
          return 1;
        }
        const rows = r.tables.reduce((n, t) => n + t.rows, 0);
        console.log(`Copied ${from} to ${redactedUrl(o.to)}: ${rows.toLocaleString('en-US')} rows in ${r.tables.length} tables in ${(r.ms / 1000).toFixed(1)} s; every table's row count and checksum verified.`);
        const key = process.env.GUANG_SECRET_KEY?.trim() ? 'GUANG_SECRET_KEY as now' : `GUANG_SECRET_KEY set to the contents of ${from}.key`;
        console.error(`guang db copy: the account secrets were copied encrypted; serve the PostgreSQL database with ${key}.`);
        return 0;
      } finally {
        db.close();
      }
    });
  } finally {
    await pool.end();
  }
}

/** The refusals a database command explains in one line (exit 1); anything else is a bug and throws. */
async function refusals(verb: string, f: () => Promise<number | void>): Promise<number> {
  try {
    return (await f()) ?? 0;
  } catch (err) {
    const known = err instanceof DatabaseOpenError || err instanceof SchemaTooNewError || err instanceof PostgresSchemaTooNewError
      || (err as { code?: string }).code === 'ECONNREFUSED' || (err as { code?: string }).code === '3D000' || (err as { code?: string }).code === '28P01';
    if (!known) throw err;
    console.error(`guang db ${verb}: ${(err as Error).message}`);
    return 1;
  }
}
