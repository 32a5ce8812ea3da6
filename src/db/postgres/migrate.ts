/**
 * Brings a PostgreSQL database to the latest schema: the same migrations as SQLite's (src/db/migrations.ts,
 * translated by dialect.ts), its version in `guang_schema`. Instances starting together take turns on an
 * advisory lock, so each migration runs once; the pending ones apply in one transaction (PostgreSQL's DDL is
 * transactional), so a failure leaves the database as it was.
 */
import { MIGRATIONS } from '../migrations.ts';
import { postgresSql, type Migration } from './dialect.ts';
import type { PgPool } from './pool.ts';

/** An arbitrary constant: the advisory lock Guang's migrations take (64-bit key space; no other user of it). */
const MIGRATION_LOCK = 0x6775616e67; // "guang"

export class PostgresSchemaTooNewError extends Error {
  override readonly name = 'PostgresSchemaTooNewError';
}

/** The database's schema version (0: a database Guang has never migrated). */
export async function postgresSchemaVersion(pool: PgPool): Promise<number> {
  const r = await pool.query<{ version: number }>("SELECT version FROM guang_schema WHERE id = 1").catch((err: { code?: string }) => {
    if (err.code === '42P01') return { rows: [] as { version: number }[] }; // no guang_schema yet
    throw err;
  });
  return r.rows[0]?.version ?? 0;
}

/**
 * Applies the migrations newer than the database's version.
 * @example const { from, to } = await migratePostgres(pool); // { from: 0, to: 15 } on an empty database
 */
export async function migratePostgres(pool: PgPool, migrations: readonly Migration[] = MIGRATIONS): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS guang_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
    await client.query('INSERT INTO guang_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING');
    const from = (await client.query<{ version: number }>('SELECT version FROM guang_schema WHERE id = 1')).rows[0]!.version;
    if (from > migrations.length) {
      throw new PostgresSchemaTooNewError(`the database is at schema version ${from}, newer than this build knows (${migrations.length}); upgrade Guang`);
    }
    for (let version = from + 1; version <= migrations.length; version++) {
      try {
        await client.query(postgresSql(migrations[version - 1]!));
      } catch (err) {
        throw new Error(`migration ${version}: ${(err as Error).message}`, { cause: err });
      }
    }
    await client.query('UPDATE guang_schema SET version = $1 WHERE id = 1', [migrations.length]);
    await client.query('COMMIT');
    return { from, to: Math.max(from, migrations.length) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
