/**
 * The composition roots' one way to open the database GUANG_DB names: a file path is SQLite (the embedded
 * default), a `postgres://` URL is PostgreSQL. Either way the result is migrated, its secrets unlocked, and
 * its `Sql` adapter is what converted stores take; `db` is the better-sqlite3 connection (SQLite only) for the
 * code that still calls it directly.
 */
import { DatabaseOpenError, openDb, rememberSecrets, secretsOf, type Db, type OpenDbOptions } from './db.ts';
import { migratePostgres, PostgresSchemaTooNewError } from './postgres/migrate.ts';
import { createPgPool, isPostgresUrl, redactedUrl } from './postgres/pool.ts';
import { SecretKeyError, unlockServerSecrets, type SecretBox } from './secrets.ts';
import { postgresSql, type PostgresSql } from './sql/postgres.ts';
import { sqliteSql, type SqliteSql } from './sql/sqlite.ts';

export type Database =
  | { readonly kind: 'sqlite'; readonly sql: SqliteSql; readonly db: Db; readonly secrets: SecretBox; readonly label: string }
  | { readonly kind: 'postgres'; readonly sql: PostgresSql; readonly db: null; readonly secrets: SecretBox; readonly label: string };

export interface OpenDatabaseOptions extends OpenDbOptions {
  /** PostgreSQL: connections in this instance's pool (default 10). */
  readonly poolSize?: number;
}

/**
 * Opens GUANG_DB. Fails with DatabaseOpenError (one line: what and what to do), SchemaTooNewError /
 * PostgresSchemaTooNewError, or SecretKeyError — never half-open.
 * @example const database = await openDatabase(process.env.GUANG_DB ?? 'data/guang.db');
 */
export async function openDatabase(target: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (!isPostgresUrl(target)) {
    const db = openDb(target, options);
    return { kind: 'sqlite', sql: sqliteSql(db), db, secrets: secretsOf(db), label: target };
  }
  const label = redactedUrl(target);
  const sql = postgresSql(createPgPool(target, options.poolSize ?? 10));
  try {
    try {
      await migratePostgres(sql.pool);
    } catch (err) {
      if (err instanceof PostgresSchemaTooNewError) throw err;
      throw new DatabaseOpenError(explainPostgresFailure(label, err), err);
    }
    const fromEnv = process.env.GUANG_SECRET_KEY?.trim() || null;
    const secrets = await unlockServerSecrets(sql, label, options.secretKey === undefined ? fromEnv : options.secretKey);
    rememberSecrets(sql, secrets);
    return { kind: 'postgres', sql, db: null, secrets, label };
  } catch (err) {
    await sql.close().catch(() => {});
    if (err instanceof DatabaseOpenError || err instanceof PostgresSchemaTooNewError || err instanceof SecretKeyError) throw err;
    throw new DatabaseOpenError(explainPostgresFailure(label, err), err);
  }
}

/** Pure: one line on why the PostgreSQL database at `label` (password hidden) cannot be used. */
function explainPostgresFailure(label: string, err: unknown): string {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const message = err instanceof Error ? err.message : String(err);
  const at = `GUANG_DB=${label}`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return `cannot reach the PostgreSQL server of ${at} (${code || message}): check the host and port, and that the server runs.`;
  }
  if (code === '28P01' || code === '28000') return `PostgreSQL refused the login of ${at} (${code}): check the user and password in the URL.`;
  if (code === '3D000') return `the database named in ${at} does not exist (${code}): create it (createdb) or fix the URL.`;
  if (code === '42501') return `the user of ${at} may not create Guang's tables (${code}): grant it CREATE on the database's schema.`;
  return `cannot use the PostgreSQL database ${at}: ${message}`;
}
