/**
 * `Sql` on a PostgreSQL pool. Statements are written with `?` placeholders (as for SQLite) and sent as named
 * prepared statements, so each connection plans a statement once. A unit (`transaction`) takes a connection of
 * its own for BEGIN … COMMIT; a deadlock or serialization failure runs it again (its body touches the database
 * only), up to three times.
 *
 * Lone statements (`run`, `get`, `all` outside a unit: most of a webhook delivery's writes, each one statement)
 * are grouped, as SQLite's adapter groups them (src/db/sql/sqlite.ts): those made during one turn of the event
 * loop leave together on one connection in one pipeline (one socket write, one round trip), the writes in one
 * transaction (one commit instead of one each), then the reads, each on its own. A write's promise settles once
 * that transaction has committed. When it fails (one statement's error aborts all of it; a deadlock), every write
 * of it is sent again on its own, so its neighbours land and it lands not at all, as before. At most
 * `WRITING` of these transactions are open at once: writes made meanwhile wait for the next one, which so takes
 * more of them under load (a group commit), and fewer instances' transactions can wait on each other.
 *
 * The price: a write that waits for a row lock holds up its group (and the reads sent after it on its connection)
 * until it gets it, where alone it held up only itself. Units hold row locks for milliseconds, the dry run
 * (rolled-back.ts) for well under a second; two groups that lock the same two rows in opposite orders are a
 * deadlock PostgreSQL breaks after deadlock_timeout (1 s by default): the group it rolls back has its writes sent
 * again alone.
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
/** Transactions of grouped lone writes open at once (see the header). */
const WRITING = 2;

interface Named {
  readonly name: string;
  readonly text: string;
  /**
   * A SELECT: nothing to commit, so it is sent after the group's transaction, on its own (a long read then holds
   * up no write). A SELECT that writes through a function (pg_notify, nextval) is committed on its own, as before.
   */
  readonly read: boolean;
}

/** A lone statement waiting for its group. */
interface Lone {
  readonly statement: Named;
  readonly params: readonly Param[];
  readonly resolve: (result: pg.QueryResult) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: pg.QueryResult } | { readonly ok: false; readonly error: unknown };

const settle = (p: Promise<pg.QueryResult>): Promise<Outcome> =>
  p.then((value): Outcome => ({ ok: true, value }), (error: unknown): Outcome => ({ ok: false, error }));

const deliver = (lone: Lone, o: Outcome): void => (o.ok ? lone.resolve(o.value) : lone.reject(o.error));

/** An error of the connection rather than of a statement (no SQLSTATE): whether anything committed is unknown. */
const connectionFailed = (o: Outcome): boolean => !o.ok && typeof (o.error as { code?: unknown } | null)?.code !== 'string';

type Queryable = Pick<pg.PoolClient, 'query'>;

export function postgresSql(pool: PgPool): PostgresSql {
  const named = new Map<string, Named>();
  const statement = (text: string): Named => {
    let s = named.get(text);
    if (!s) {
      s = { name: `guang_${named.size + 1}`, text: numberedPlaceholders(text), read: /^\s*select\b/i.test(text) };
      named.set(text, s);
    }
    return s;
  };
  const send = <R>(on: Queryable, s: Named, params: readonly Param[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> =>
    on.query<R & pg.QueryResultRow>({ name: s.name, text: s.text, values: params as unknown[] });

  const statementsOn = (query: <R>(text: string, params: readonly Param[]) => Promise<pg.QueryResult<R & pg.QueryResultRow>>) => ({
    dialect: 'postgres' as const,
    all: async <R>(text: string, params: readonly Param[] = []): Promise<R[]> => (await query<R>(text, params)).rows,
    get: async <R>(text: string, params: readonly Param[] = []): Promise<R | undefined> => (await query<R>(text, params)).rows[0],
    run: async (text: string, params: readonly Param[] = []): Promise<RunResult> => ({ changes: (await query(text, params)).rowCount ?? 0 }),
  });

  // Lone statements, grouped per turn of the event loop.
  let writes: Lone[] = [];
  let reads: Lone[] = [];
  let scheduled = false;
  let writing = 0;
  const sending = new Set<Promise<void>>();

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const lone = <R>(text: string, params: readonly Param[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> =>
    new Promise((resolve, reject) => {
      const s = statement(text);
      (s.read ? reads : writes).push({ statement: s, params, resolve: resolve as (r: pg.QueryResult) => void, reject });
      schedule();
    });

  function flush(): void {
    scheduled = false;
    // The group takes the queue's array and leaves a new one: a group of reads alone must not hold the queue's own
    // array, or writes made while it waits for a connection would join it and also leave in their own group (sent
    // twice: two audit rows for one change, seen on PostgreSQL).
    let w: Lone[] = [];
    if (writing < WRITING && writes.length > 0) {
      w = writes;
      writes = [];
      writing++;
    }
    const r = reads;
    reads = [];
    if (w.length === 0 && r.length === 0) return;
    const sent = group(w, r).finally(() => sending.delete(sent));
    sending.add(sent);
  }

  /** The writes' transaction is over (committed or not): the next group may go. */
  function doneWriting(): void {
    writing--;
    if (writes.length > 0) schedule();
  }

  /** One connection, one pipeline: the writes (in a transaction when there are several), then the reads. */
  async function group(w: readonly Lone[], r: readonly Lone[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      if (w.length > 0) doneWriting();
      for (const lone of [...w, ...r]) lone.reject(err);
      return;
    }
    let broken: Error | undefined;
    try {
      // Queued in the pool's pipeline mode (src/db/postgres/pool.ts) and corked: they leave in one write.
      const stream = client.connection.stream;
      stream.cork();
      let committed: Promise<Error | undefined> | null;
      let read: Promise<Outcome>[];
      try {
        committed = w.length > 0 ? written(client, w) : null;
        read = r.map((lone) => settle(send(client, lone.statement, lone.params)));
      } finally {
        stream.uncork();
      }
      if (committed) {
        try {
          broken = await committed;
        } finally {
          doneWriting();
        }
      }
      const outcomes = await Promise.all(read);
      r.forEach((lone, i) => deliver(lone, outcomes[i]!));
      if (!broken && outcomes.some(connectionFailed)) broken = new Error('the connection failed under a read');
    } finally {
      // A connection that failed under a statement is in an unknown state: the pool drops it.
      client.release(broken);
    }
  }

  /**
   * Sends the writes at once (synchronously, before its first await: the reads go after them) and settles each
   * once they have committed; resolves to the error that broke the connection, if one did.
   */
  async function written(client: pg.PoolClient, w: readonly Lone[]): Promise<Error | undefined> {
    if (w.length === 1) {
      // One write is its own transaction, as a lone statement always was.
      const o = await settle(send(client, w[0]!.statement, w[0]!.params));
      deliver(w[0]!, o);
      return connectionFailed(o) ? new Error('the connection failed under a write') : undefined;
    }
    const begin = settle(client.query('BEGIN'));
    const each = w.map((lone) => settle(send(client, lone.statement, lone.params)));
    const commit = settle(client.query('COMMIT'));
    const outcomes = await Promise.all([begin, ...each, commit]);
    if (!outcomes[0]!.ok) {
      // No transaction was opened: each write ran (or failed) as its own, as a lone statement always did.
      w.forEach((lone, i) => deliver(lone, outcomes[i + 1]!));
      return outcomes.some(connectionFailed) ? new Error('the connection failed under a group of writes') : undefined;
    }
    const last = outcomes[outcomes.length - 1]!;
    // COMMIT of a transaction a statement aborted answers ROLLBACK, not an error.
    if (outcomes.every((o) => o.ok) && last.ok && last.value.command === 'COMMIT') {
      w.forEach((lone, i) => deliver(lone, outcomes[i + 1]!));
      return undefined;
    }
    const failed = outcomes.find(connectionFailed);
    if (failed && !failed.ok) {
      // Whether the transaction committed is unknown: every write is told why, none is sent again.
      for (const lone of w) lone.reject(failed.error);
      return new Error('the connection failed under a group of writes');
    }
    // Rolled back, all of it: each write again, each its own transaction (still one round trip).
    const again = await Promise.all(w.map((lone) => settle(send(client, lone.statement, lone.params))));
    w.forEach((lone, i) => deliver(lone, again[i]!));
    return again.some(connectionFailed) ? new Error('the connection failed under a write') : undefined;
  }

  function txOn(client: pg.PoolClient): Tx {
    let savepoints = 0;
    const tx: Tx = {
      ...statementsOn((text, params) => send(client, statement(text), params)),
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
    ...statementsOn(lone),
    pool,
    async transaction<T>(fn: (tx: Tx) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
      // The lone statements made before this unit leave before it (their connection is asked for first), as they
      // did when each was sent at once: a unit started after a write in the same turn meets it, as on SQLite.
      if (writes.length > 0 || reads.length > 0) flush();
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn, options);
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
        }
      }
    },
    async close(): Promise<void> {
      // The statements already made go first.
      while (writes.length > 0 || reads.length > 0 || sending.size > 0) {
        flush();
        await Promise.all(sending);
      }
      await pool.end();
    },
  };
}
