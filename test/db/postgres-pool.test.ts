/**
 * The pool survives the server ending its idle connections (a restart, a failover, pg_terminate_backend): no
 * uncaught 'error' takes the process down, and the next query opens a new connection.
 */
import { describe, expect, it } from 'vitest';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { postgresSql } from '../../src/db/sql/postgres.ts';
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

  it('fails a unit whose connection the server ends mid-way, on its own promise, and answers the next on a new one', async () => {
    const { url, drop } = await freshDatabase();
    const sql = postgresSql(createPgPool(url, 2));
    const admin = createPgPool(url, 1);
    try {
      let first = 0;
      const unit = sql.transaction(async (tx) => {
        first = (await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid;
        await admin.query('SELECT pg_terminate_backend($1)', [first]);
        // Checked out and between two statements when it ends: the client's own 'error', which nobody but the
        // pool's connect hook listens to (without it, an uncaught exception: vitest fails the run).
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.get('SELECT 1');
      });
      await expect(unit).rejects.toThrow();
      const next = (await sql.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid;
      expect(next).not.toBe(first);
    } finally {
      await sql.close();
      await admin.end();
      await drop();
    }
  });
});
