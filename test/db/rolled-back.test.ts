/**
 * The dry run's PostgreSQL scratch (src/db/sql/rolled-back.ts): one connection, one transaction, rolled back. It
 * sees the database and its own writes; nobody else ever sees them; a failing statement or unit is undone alone;
 * units take turns on the connection; a unit's lock is held until the end; nothing runs on the connection after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgPool, type PgPool } from '../../src/db/postgres/pool.ts';
import { postgresSql } from '../../src/db/sql/postgres.ts';
import { rolledBackSql } from '../../src/db/sql/rolled-back.ts';
import { freshDatabase, noPostgres } from '../helpers/postgres.ts';

describe.skipIf(noPostgres)('rolledBackSql', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: PgPool;
  /** Another instance: what it sees is what is committed. */
  let other: PgPool;
  const committed = async () => (await other.query<{ n: number; names: string | null }>("SELECT count(*)::int AS n, string_agg(name, ',' ORDER BY id) AS names FROM items")).rows[0];

  beforeAll(async () => {
    database = await freshDatabase();
    pool = createPgPool(database.url, 1);
    other = createPgPool(database.url, 2);
    await other.query('CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text UNIQUE NOT NULL, hits bigint NOT NULL DEFAULT 0)');
    await other.query("INSERT INTO items (name) VALUES ('kept')");
  });
  afterAll(async () => {
    await pool?.end();
    await other?.end();
    await database?.drop();
  });

  it('reads the database and its own writes; nobody else sees them, during or after', async () => {
    const sql = await rolledBackSql(pool);
    await sql.run('INSERT INTO items (name) VALUES (?)', ['dry']);
    await sql.transaction(async (tx) => {
      await tx.run('UPDATE items SET hits = hits + 1 WHERE name = ?', ['kept']);
      await tx.transaction((inner) => inner.run("INSERT INTO items (name) VALUES ('nested')"));
    });
    expect(await sql.all('SELECT name, hits FROM items ORDER BY id')).toEqual([
      { name: 'kept', hits: 1 }, { name: 'dry', hits: 0 }, { name: 'nested', hits: 0 },
    ]);
    expect(await committed()).toEqual({ n: 1, names: 'kept' });
    await sql.close();
    expect(await committed()).toEqual({ n: 1, names: 'kept' });
    expect((await other.query('SELECT hits FROM items')).rows).toEqual([{ hits: 0 }]);
  });

  it('undoes a failing statement or unit alone and goes on', async () => {
    const sql = await rolledBackSql(pool);
    try {
      await sql.run("INSERT INTO items (name) VALUES ('first')");
      // A failed statement aborts a PostgreSQL transaction: here only its savepoint.
      await expect(sql.run("INSERT INTO items (name) VALUES ('kept')")).rejects.toMatchObject({ code: '23505' });
      await expect(sql.transaction(async (tx) => {
        await tx.run("INSERT INTO items (name) VALUES ('undone')");
        throw new Error('the unit fails');
      })).rejects.toThrow('the unit fails');
      await expect(sql.transaction((tx) => tx.run('SELECT no_such_column FROM items'))).rejects.toMatchObject({ code: '42703' });
      expect((await sql.all<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name)).toEqual(['kept', 'first']);
    } finally {
      await sql.close();
    }
    expect(await committed()).toEqual({ n: 1, names: 'kept' });
  });

  it('runs units and statements that arrive at once one after another', async () => {
    const sql = await rolledBackSql(pool);
    try {
      const done = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? sql.transaction(async (tx) => {
            await tx.run('INSERT INTO items (name) VALUES (?)', [`u${i}`]);
            await new Promise((resolve) => setTimeout(resolve, 1));
            return tx.transaction(async (inner) => (await inner.run('UPDATE items SET hits = hits + 1 WHERE name = ?', ['kept'])).changes);
          })
          : sql.run('INSERT INTO items (name) VALUES (?)', [`s${i}`]).then((r) => r.changes),
      ));
      expect(done).toEqual(Array(20).fill(1));
      expect(await sql.get('SELECT count(*)::int AS n, max(hits) AS hits FROM items')).toEqual({ n: 21, hits: 10 });
    } finally {
      await sql.close();
    }
    expect(await committed()).toEqual({ n: 1, names: 'kept' });
  });

  it('lets a unit call the adapter itself, as part of the unit, without waiting for itself', async () => {
    const sql = await rolledBackSql(pool);
    try {
      const n = await sql.transaction(async (tx) => {
        await tx.run("INSERT INTO items (name) VALUES ('inside')");
        return (await sql.get<{ n: number }>('SELECT count(*)::int AS n FROM items'))!.n;
      });
      expect(n).toBe(2);
    } finally {
      await sql.close();
    }
  });

  it('holds a unit\'s lock until the rollback, against the key a live instance takes for the same name', async () => {
    const sql = await rolledBackSql(pool);
    const tryLock = async () => {
      const c = await other.connect();
      try {
        await c.query('BEGIN');
        const got = (await c.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS got', ['order-follower:default:o_1'])).rows[0]!.got;
        await c.query('ROLLBACK');
        return got;
      } finally {
        c.release();
      }
    };
    await sql.transaction(() => 'locked', { lock: 'order-follower:default:o_1' });
    expect(await tryLock()).toBe(false);
    await sql.close();
    expect(await tryLock()).toBe(true);
  });

  it('runs nothing on the connection once closed, which goes back to the pool, beside the pool adapter\'s named statements', async () => {
    const live = postgresSql(pool);
    // The pool's adapter names its statements on the (one) connection; the scratch must not clash with them.
    expect(await live.get('SELECT count(*)::int AS n FROM items')).toEqual({ n: 1 });
    const sql = await rolledBackSql(pool);
    expect(await sql.get('SELECT name FROM items WHERE id = ?', [1])).toEqual({ name: 'kept' });
    await sql.run("INSERT INTO items (name) VALUES ('late')");
    await sql.close();
    await expect(sql.run("INSERT INTO items (name) VALUES ('after')")).rejects.toThrow(/closed/);
    await expect(sql.transaction((tx) => tx.run("INSERT INTO items (name) VALUES ('after')"))).rejects.toThrow(/closed/);
    expect(pool.idleCount).toBe(1);
    expect(await live.all('SELECT name FROM items ORDER BY id')).toEqual([{ name: 'kept' }]);
    expect(await committed()).toEqual({ n: 1, names: 'kept' });
  });
});
