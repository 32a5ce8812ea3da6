/**
 * What the probes say about the database: its kind and where it is (a SQLite file, or a PostgreSQL URL with
 * the password hidden), and the schema version it is at. An operator running several instances reads from
 * /readyz which database each one uses and whether they agree on its version.
 */
import path from 'node:path';
import { postgresSchemaVersion } from '../db/postgres/migrate.ts';
import { isPostgresUrl, redactedUrl } from '../db/postgres/pool.ts';
import type { PostgresSql } from '../db/sql/postgres.ts';
import type { Sql } from '../db/sql/sql.ts';

export interface DatabaseFacts {
  readonly kind: 'sqlite' | 'postgres';
  /** The absolute file path, or the URL with its password replaced by ***. Never a password. */
  readonly location: string;
}

/**
 * Pure (but for the working directory a relative path is resolved against).
 * @example databaseFacts('postgres://guang:s3cret@db:5432/guang') // { kind: 'postgres', location: 'postgres://guang:***@db:5432/guang' }
 */
export function databaseFacts(setting: string): DatabaseFacts {
  return isPostgresUrl(setting)
    ? { kind: 'postgres', location: redactedUrl(setting) }
    : { kind: 'sqlite', location: setting === ':memory:' ? setting : path.resolve(setting) };
}

/** The schema version the database is at now (another instance may have migrated it since this one started). */
export async function schemaVersionOf(sql: Sql): Promise<number> {
  if (sql.dialect === 'postgres') return postgresSchemaVersion((sql as PostgresSql).pool);
  return (await sql.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
}
