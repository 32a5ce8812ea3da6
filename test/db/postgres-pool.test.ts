/**
 * The pool survives the server ending its idle connections (a restart, a failover, pg_terminate_backend): no
 * uncaught 'error' takes the process down, and the next query opens a new connection.
 */
import { describe, expect, it } from 'vitest';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { freshDatabase, noPostgres } from '../helpers/postgres.ts';

describe.skipIf(noPostgres)('the PostgreSQL pool', () => {
  it('drops an idle connection the server terminated and answers the next query on a new one', async () => {
    const { url, drop } = await freshDatabase();
    const pool = createPgPool(url, 2);
    const admin = createPgPool(url, 1);
    try {
      const first = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      // The idle client learns of it asynchronously; give the 'error' event its turn.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const next = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      expect(next).not.toBe(first);
    } finally {
      await pool.end();
      await admin.end();
      await drop();
    }
  });
});
