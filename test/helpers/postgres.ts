/**
 * PostgreSQL for the tests: a server at GUANG_TEST_POSTGRES (default: the local one, trust auth), and a new
 * database per suite, dropped after it. Where no server answers, the PostgreSQL suites skip and say so — but
 * not under CI (CI=true), where a missing server fails them: .ci/run starts one first.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { atFileEnd } from './file-end.ts';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { postgresSql } from '../../src/db/postgres/dialect.ts';
import { migratePostgres } from '../../src/db/postgres/migrate.ts';
import { createPgPool } from '../../src/db/postgres/pool.ts';

export const POSTGRES_SERVER = process.env.GUANG_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const problem = await reachable();
if (problem !== null && process.env.CI) throw new Error(`CI: no PostgreSQL at ${POSTGRES_SERVER} (${problem}); .ci/run starts one`);
if (problem !== null) console.warn(`PostgreSQL suites skipped: no server at ${POSTGRES_SERVER} (${problem}); set GUANG_TEST_POSTGRES`);
/** True where no PostgreSQL server answers (outside CI): `describe.skipIf(noPostgres)`. */
export const noPostgres = problem !== null;

let made = 0;
const RUN = process.env.GUANG_TEST_RUN ?? `x${Date.now().toString(36)}`;
/**
 * A new, empty database on the test server, and how to drop it.
 * @example const { url, drop } = await freshDatabase(); afterAll(drop);
 */
export function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createDatabase('');
}

async function createDatabase(options: string): Promise<{ url: string; drop: () => Promise<void> }> {
  // The run's name (global-postgres.ts) first: what a worker's exit leaves behind is dropped at the run's end.
  const name = `guang_t_${RUN}_${process.pid}_${++made}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} ${options}`));
  return {
    url: urlOf(name),
    drop: () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/**
 * Drops the database when the file's tests are done without holding the file up (a DROP DATABASE checkpoints:
 * seconds under load); what the worker's exit cuts short, the run's global teardown drops (global-postgres.ts).
 */
export function dropAtFileEndUnwaited(drop: () => Promise<void>): void {
  atFileEnd(() => void drop().catch(() => {}));
}

/**
 * The storage suites' databases start migrated: the migrations run once per schema into a template database, and
 * each suite's database is a copy of it (CREATE DATABASE … TEMPLATE, a file copy, several times faster than
 * migrating anew). The template's name carries a hash of the PostgreSQL migrations, so a changed schema gets a
 * new one; the forks of a run, and runs of other checkouts on the same server, take turns on an advisory lock to
 * make it. A template no run has used for a day is dropped then (another checkout's schema, or an old one).
 */
const TEMPLATE_PREFIX = 'guang_tpl_';
const TEMPLATE = TEMPLATE_PREFIX + createHash('sha256').update(JSON.stringify(MIGRATIONS.map(postgresSql))).digest('hex').slice(0, 16);
/** The advisory lock the test runs take to make templates: a 64-bit key from a name no other lock uses. */
const TEMPLATE_LOCK = "hashtextextended('guang test template', 0)";
const STALE_MS = 24 * 3600_000;

const urlOf = (name: string): string => {
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
};

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Makes the template if this schema has none, and marks it used now (a comment on the database: ms since the epoch). */
async function ensureTemplate(): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query(`SELECT pg_advisory_lock(${TEMPLATE_LOCK})`);
    try {
      const { rows } = await admin.query<{ datname: string; used: string | null }>(
        "SELECT datname, shobj_description(oid, 'pg_database') AS used FROM pg_database WHERE starts_with(datname, $1)",
        [TEMPLATE_PREFIX],
      );
      for (const r of rows) {
        // Also a half-made template (no comment) of a run that died: templates are made under this lock.
        if (r.datname !== TEMPLATE && !(Number(r.used) > Date.now() - STALE_MS)) {
          await admin.query(`DROP DATABASE IF EXISTS ${r.datname}`).catch(() => {}); // being copied: in use, not stale
        }
      }
      if (!rows.some((r) => r.datname === TEMPLATE)) {
        // Migrated under another name and renamed when done: a run that dies midway leaves no half-made template.
        const making = `${TEMPLATE}_${process.pid}`;
        await admin.query(`DROP DATABASE IF EXISTS ${making}`);
        await admin.query(`CREATE DATABASE ${making}`);
        const pool = createPgPool(urlOf(making), 1);
        try {
          await migratePostgres(pool);
        } finally {
          await pool.end();
        }
        await admin.query(`ALTER DATABASE ${making} RENAME TO ${TEMPLATE}`);
      }
      await admin.query(`COMMENT ON DATABASE ${TEMPLATE} IS '${Date.now()}'`);
    } finally {
      await admin.query(`SELECT pg_advisory_unlock(${TEMPLATE_LOCK})`);
    }
  });
}

let template: Promise<void> | undefined;
/**
 * A new database on the test server with Guang's schema at the latest version (as openDatabase leaves it, but with
 * no secret key stored yet: each copy gets its own), and how to drop it.
 * @example const { url, drop } = await migratedDatabase(); const { sql } = await openDatabase(url, { secretKey });
 */
export async function migratedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  template ??= ensureTemplate();
  await template;
  return createDatabase(`TEMPLATE ${TEMPLATE}`);
}
