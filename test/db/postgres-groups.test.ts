/**
 * The PostgreSQL adapter's groups of lone statements (src/db/sql/postgres.ts): each statement leaves once, in the
 * group of the turn it was made in, however long its group waits for a connection.
 */
import { describe, expect, it } from 'vitest';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { postgresSql } from '../../src/db/sql/postgres.ts';
import { freshDatabase, noPostgres } from '../helpers/postgres.ts';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe.skipIf(noPostgres)('lone statements on PostgreSQL', () => {
  it('sends a write made while a group of reads waits for a connection once, not also with those reads', async () => {
    const { url, drop } = await freshDatabase();
    const pool = createPgPool(url, 1);
    const sql = postgresSql(pool);
    try {
      await sql.run('CREATE TABLE t (id SERIAL PRIMARY KEY, v TEXT NOT NULL)');
      // The only connection is taken, so the next groups wait for it.
      const held = await pool.connect();
      const read = sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM t');
      await turn(); // the reads' group is out, waiting for the connection
      const writes = [sql.run('INSERT INTO t (v) VALUES (?)', ['a']), sql.run('INSERT INTO t (v) VALUES (?)', ['b'])];
      await turn(); // the writes' group is out too
      held.release();
      await Promise.all([read, ...writes]);
      expect(await sql.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'a' }, { v: 'b' }]);
      // And the adapter still groups afterwards (its count of open write groups went back to none).
      await Promise.all([sql.run('INSERT INTO t (v) VALUES (?)', ['c']), sql.run('INSERT INTO t (v) VALUES (?)', ['d'])]);
      expect((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))!.n).toBe(4);
    } finally {
      await sql.close();
      await drop();
    }
  });
});
