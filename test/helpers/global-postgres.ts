/**
 * Vitest's global setup for the PostgreSQL test databases: names this run (GUANG_TEST_RUN, inherited by the test
 * workers; every database a worker makes carries it, test/helpers/postgres.ts), and at the end drops what is left
 * of this run's databases. A file's databases are dropped without waiting when it ends (a DROP DATABASE checkpoints,
 * seconds under load); one that a worker's exit cut short is dropped here.
 */
import pg from 'pg';

const SERVER = process.env.GUANG_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default function nameTheRun(): () => Promise<void> {
  const run = (process.env.GUANG_TEST_RUN ??= Date.now().toString(36));
  return async () => {
    const admin = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch {
      return; // no server: no databases were made
    }
    try {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`guang_t_${run}_`]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    } finally {
      await admin.end();
    }
  };
}
