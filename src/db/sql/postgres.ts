/**
 * `Sql` on a PostgreSQL pool. Statements are written with `?` placeholders (as for SQLite) and sent as named
 * prepared statements, so each connection plans a statement once. A unit (`transaction`) takes a connection of
 * its own for BEGIN … COMMIT; a deadlock or serialization failure runs it again (its body touches the database
 * only), up to three times.
 */
import type pg from 'pg';
import type { PgPool } from '../postgres/pool.ts';
import { numberedPlaceholders } from './placeholders.ts';
import type { Param, RunResult, Sql, TransactionOptions, Tx } from './sql.ts';

export interface PostgresSql extends Sql {
  readonly dialect: 'postgres';
  readonly pool: PgPool;
}

/** SQLSTATEs after which the same transaction may well succeed: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

interface Named {
  readonly name: string;
  readonly text: string;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export function postgresSql(pool: PgPool): PostgresSql {
  const named = new Map<string, Named>();
  const statement = (text: string): Named => {
    let s = named.get(text);
    if (!s) {
      s = { name: `guang_${named.size + 1}`, text: numberedPlaceholders(text) };
      named.set(text, s);
    }
    return s;
  };
  const query = async <R>(on: Queryable, text: string, params: readonly Param[] = []): Promise<pg.QueryResult<R & pg.QueryResultRow>> =>
    on.query<R & pg.QueryResultRow>({ ...statement(text), values: params as unknown[] });

  const statementsOn = (on: Queryable) => ({
    dialect: 'postgres' as const,
    all: async <R>(text: string, params?: readonly Param[]): Promise<R[]> => (await query<R>(on, text, params)).rows,
    get: async <R>(text: string, params?: readonly Param[]): Promise<R | undefined> => (await query<R>(on, text, params)).rows[0],
    run: async (text: string, params?: readonly Param[]): Promise<RunResult> => ({ changes: (await query(on, text, params)).rowCount ?? 0 }),
  });

  function txOn(client: pg.PoolClient): Tx {
    let savepoints = 0;
    const tx: Tx = {
      ...statementsOn(client),
      async transaction<T>(fn: (tx: Tx) => Promise<T> | T): Promise<T> {
        const name = `u${++savepoints}`;
        await client.query(`SAVEPOINT ${name}`);
        try {
          const value = await fn(tx);
          await client.query(`RELEASE SAVEPOINT ${name}`);
          return value;
        } catch (err) {
          await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
          throw err;
        }
      },
    };
    return tx;
  }

  async function once<T>(fn: (tx: Tx) => Promise<T> | T, options: TransactionOptions): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // hashtextextended: a 64-bit key from the name; the same name locks the same key in every instance.
      if (options.lock !== undefined) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [options.lock]);
      const value = await fn(txOn(client));
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: the pool drops it.
      client.release(broken);
    }
  }

  return {
    ...statementsOn(pool),
    pool,
    async transaction<T>(fn: (tx: Tx) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn, options);
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
        }
      }
    },
    close: () => pool.end(),
  };
}
