/**
 * `Sql` on one PostgreSQL connection inside one transaction that is never committed: `close` rolls it back. The
 * dry run (src/app/dry-run.ts) runs the real pipeline against it, so it reads the database as it is, sees its own
 * writes, and leaves nothing: no session, no answer log, no rule hit, no opt-out. Other instances never see those
 * writes, but may wait for a row or advisory lock it holds until it ends (a dry run lasts well under a second; for
 * the other way round, lock_timeout bounds how long it waits for theirs).
 *
 * One connection serves every statement, so they take turns: each top-level statement and each unit runs alone,
 * in a savepoint of its own. A failing one is undone alone and the transaction stays usable (a failed statement
 * otherwise aborts a PostgreSQL transaction, and with it everything after). A unit's `lock` is taken with
 * pg_advisory_xact_lock, held until the rollback. Sequences are not transactional: ids a dry run drew are
 * skipped afterwards, as after any rolled-back transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { PgPool } from '../postgres/pool.ts';
import { numberedPlaceholders } from './placeholders.ts';
import type { Param, RunResult, Sql, TransactionOptions, Tx } from './sql.ts';

export interface RolledBackSql extends Sql {
  readonly dialect: 'postgres';
}

/** SQLSTATEs after which the same unit may well succeed: serialization_failure, deadlock_detected (as postgres.ts). */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

/**
 * Never wait long for a live instance's lock; and should this process stall mid-run, the server ends the session
 * (so rolls back and frees every lock) rather than keep them.
 */
const SETTINGS = "SET LOCAL lock_timeout = '5s'; SET LOCAL idle_in_transaction_session_timeout = '60s'";

class RolledBackError extends Error {
  constructor() {
    super('this rolled-back database is closed: its transaction was rolled back, nothing more may run on it');
  }
}

/**
 * Takes a connection of `pool` and opens the transaction; `close()` rolls it back and returns the connection.
 * @example const scratch = await rolledBackSql(pool); try { await use(scratch); } finally { await scratch.close(); }
 */
export async function rolledBackSql(pool: PgPool): Promise<RolledBackSql> {
  const client = await pool.connect();
  // Checked out, the connection has no listener of the pool's: the server ending it (the idle timeout, a restart)
  // would be an 'error' nobody hears, which crashes the process. Its queries fail on their own promises.
  let lost: Error | undefined;
  const onError = (err: Error) => void (lost = err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await client.query(SETTINGS);
  } catch (err) {
    client.off('error', onError);
    client.release(err as Error);
    throw err;
  }

  let released = false;
  const texts = new Map<string, string>();
  /** Every query goes through here: once the connection is back in the pool, nothing may reach it. */
  const query = <R>(text: string, params: readonly Param[] = []): Promise<pg.QueryResult<R & pg.QueryResultRow>> => {
    if (released) return Promise.reject(new RolledBackError());
    let numbered = texts.get(text);
    if (numbered === undefined) texts.set(text, (numbered = numberedPlaceholders(text)));
    // Unnamed: the connection is the pool's, and postgres.ts names its statements on it (guang_N) for other texts.
    return client.query<R & pg.QueryResultRow>(numbered, params as unknown[]);
  };

  let savepoints = 0;
  async function inSavepoint<T>(body: () => Promise<T> | T): Promise<T> {
    const name = `dry_${++savepoints}`;
    await query(`SAVEPOINT ${name}`);
    try {
      const value = await body();
      await query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (err) {
      // The body's error is the one to report; a connection that cannot roll back fails every later statement anyway.
      await query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {});
      throw err;
    }
  }

  const statements = {
    dialect: 'postgres' as const,
    all: async <R>(text: string, params?: readonly Param[]): Promise<R[]> => (await query<R>(text, params)).rows,
    get: async <R>(text: string, params?: readonly Param[]): Promise<R | undefined> => (await query<R>(text, params)).rows[0],
    run: async (text: string, params?: readonly Param[]): Promise<RunResult> => ({ changes: (await query(text, params)).rowCount ?? 0 }),
  };
  const tx: Tx = { ...statements, transaction: (fn) => inSavepoint(() => fn(tx)) };

  // Statements and units from outside take turns on the connection. One made while a unit runs (its body calling
  // the adapter instead of its `tx`) is part of that unit: waiting its turn would wait for itself.
  const inUnit = new AsyncLocalStorage<true>();
  let turn: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | null = null;
  function alone<T>(body: () => Promise<T>): Promise<T> {
    if (inUnit.getStore()) return body();
    if (closing) return Promise.reject(new RolledBackError());
    const run = turn.then(() => inUnit.run(true, body));
    turn = run.catch(() => {});
    return run;
  }

  async function unit<T>(fn: (tx: Tx) => Promise<T> | T, options: TransactionOptions): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inSavepoint(async () => {
          // hashtextextended: the key postgres.ts takes for the same name, so live units and this one take turns.
          if (options.lock !== undefined) await query('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [options.lock]);
          return fn(tx);
        });
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
      }
    }
  }

  return {
    dialect: 'postgres',
    all: (text, params) => alone(() => inSavepoint(() => statements.all(text, params))),
    get: (text, params) => alone(() => inSavepoint(() => statements.get(text, params))),
    run: (text, params) => alone(() => inSavepoint(() => statements.run(text, params))),
    transaction: (fn, options = {}) => alone(() => unit(fn, options)),
    /** Rolls everything back (after what is under way) and returns the connection; never commits. */
    close(): Promise<void> {
      closing ??= (async () => {
        await turn;
        let broken: Error | undefined;
        await query('ROLLBACK').catch((err: Error) => (broken = err));
        released = true;
        client.off('error', onError);
        // A connection that could not roll back is dropped by the pool: the server rolls back what it held.
        client.release(broken ?? lost);
      })();
      return closing;
    },
  };
}
