/**
 * PostgreSQL for the tests: a server at GUANG_TEST_POSTGRES (default: the local one, trust auth), and a new
 * database per suite, dropped after it. Where no server answers, the PostgreSQL suites skip and say so — but
 * not under CI (CI=true), where a missing server fails them: .ci/run starts one first.
 */
import pg from 'pg';

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
/**
 * A new, empty database on the test server, and how to drop it.
 * @example const { url, drop } = await freshDatabase(); afterAll(drop);
 */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `guang_t_${process.pid}_${Date.now().toString(36)}_${++made}`;
  const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_SERVER });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
