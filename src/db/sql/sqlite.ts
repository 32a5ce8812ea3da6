/**
 * `Sql` on a better-sqlite3 connection, with group commit: every unit (a `transaction`, or a lone `run`) queued
 * during one turn of the event loop runs in one `BEGIN IMMEDIATE … COMMIT`. A commit (a WAL append) costs more
 * than the statements in it, so under load N concurrent messages pay for one commit instead of N. Each unit still
 * runs exactly once, in order, and its promise settles only after its transaction has committed.
 *
 * When a unit of the batch fails, the whole batch is rolled back and run again with each unit in a savepoint of
 * its own, so its neighbours still land and it lands not at all.
 *
 * better-sqlite3 is synchronous: a batch of synchronous units (lone `run`s) runs start to finish without
 * yielding. A `transaction` body awaits its statements, which are already settled; while such a batch is open,
 * reads and units from elsewhere wait for it, so nothing sees or joins its uncommitted writes. One adapter per connection (`sqliteSql` returns the same one), so there is
 * one queue and never two transactions at once.
 */
import type Database from 'better-sqlite3';
import { ignoredHealth, type WriteHealth } from '../write-health.ts';
import type { Param, RunResult, Sql, Tx } from './sql.ts';

type Db = Database.Database;
type Statement = Database.Statement<unknown[], unknown>;

export interface SqliteSql extends Sql {
  readonly dialect: 'sqlite';
  /** The connection, for code that still calls better-sqlite3 itself. */
  readonly db: Db;
}

interface Unit {
  readonly body: (tx: Tx) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A unit of the batch threw (as opposed to BEGIN or COMMIT failing). */
class UnitFailed extends Error {
  constructor(readonly error: unknown) {
    super('a unit of the batch failed');
  }
}

/**
 * SQLite rolled the whole transaction back on a unit's error (it may on SQLITE_FULL, IOERR, BUSY, NOMEM): the
 * units before it are undone, and the ones after would run outside any transaction.
 */
class TransactionLost extends Error {
  constructor(readonly error: unknown) {
    super('SQLite rolled back the transaction');
  }
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/** `f(v)`, after `v` settles when it is a promise: keeps a batch of synchronous units synchronous. */
function then<A, B>(v: A | PromiseLike<A>, f: (a: A) => B | PromiseLike<B>): B | PromiseLike<B> {
  return isThenable(v) ? (v as PromiseLike<A>).then(f) : f(v as A);
}

/** `f()`, with `onError` for a throw or a rejection alike. */
function guard<A>(f: () => A | PromiseLike<A>, onError: (err: unknown) => A | PromiseLike<A>): A | PromiseLike<A> {
  let v: A | PromiseLike<A>;
  try {
    v = f();
  } catch (err) {
    return onError(err);
  }
  return isThenable(v) ? Promise.resolve(v).catch(onError) : v;
}

/** Statement texts are constants of the code; a cap only guards against a caller building them. */
const MAX_CACHED = 2_000;

const adapters = new WeakMap<Db, SqliteSql>();

/**
 * The adapter of a connection, or the adapter itself: for code that takes either while the callers that hold
 * only a better-sqlite3 connection are converted.
 * @param health for a connection, told of its batches' outcomes (see `sqliteSql`).
 */
export const asSql = (of: Db | Sql, health?: WriteHealth): Sql => ('dialect' in of ? of : sqliteSql(of, health));

/**
 * The adapter of `db` (made on first use; later calls return it and adopt a health given to them).
 * @param health told of every batch's outcome, so a failing disk shows in /readyz and the log (once per burst).
 */
export function sqliteSql(db: Db, health?: WriteHealth): SqliteSql {
  const made = adapters.get(db) as (SqliteSql & { adopt(h: WriteHealth): void }) | undefined;
  if (made) {
    if (health) made.adopt(health);
    return made;
  }
  const adapter = createAdapter(db, health ?? ignoredHealth);
  adapters.set(db, adapter);
  return adapter;
}

function createAdapter(db: Db, initialHealth: WriteHealth): SqliteSql & { adopt(h: WriteHealth): void } {
  let health = initialHealth;
  const cache = new Map<string, Statement>();
  const prepared = (text: string): Statement => {
    let s = cache.get(text);
    if (!s) {
      if (cache.size >= MAX_CACHED) cache.clear();
      s = db.prepare(text);
      cache.set(text, s);
    }
    return s;
  };
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let savepoints = 0;

  // Statements run at once (synchronously); the promise only carries the outcome.
  const exec = {
    all: <R>(text: string, params: readonly Param[] = []): R[] => prepared(text).all(...params) as R[],
    get: <R>(text: string, params: readonly Param[] = []): R | undefined => prepared(text).get(...params) as R | undefined,
    run: (text: string, params: readonly Param[] = []): RunResult => ({ changes: prepared(text).run(...params).changes }),
  };
  const settled = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (err) {
      return Promise.reject(err);
    }
  };

  /** Nested units inside a transaction: a savepoint each. */
  function nested<T>(fn: (tx: Tx) => Promise<T> | T): Promise<T> {
    const name = `u${++savepoints}`;
    db.exec(`SAVEPOINT ${name}`);
    return Promise.resolve(
      guard(
        () => then(fn(tx), (v) => (db.exec(`RELEASE ${name}`), v)),
        (err) => {
          if (db.inTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
          throw err;
        },
      ),
    );
  }

  const tx: Tx = {
    dialect: 'sqlite',
    all: (text, params) => settled(() => exec.all(text, params)),
    get: (text, params) => settled(() => exec.get(text, params)),
    run: (text, params) => settled(() => exec.run(text, params)),
    transaction: nested,
  };

  let queue: Unit[] = [];
  let scheduled = false;
  /** Set while a batch waits on an asynchronous unit: everything else from outside waits for it. */
  let open: Promise<void> | null = null;

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  /** Every unit in the open transaction; throws UnitFailed when one fails. */
  function together(batch: readonly Unit[]): Outcome[] | PromiseLike<Outcome[]> {
    const out: Outcome[] = [];
    const from = (i: number): Outcome[] | PromiseLike<Outcome[]> => {
      for (; i < batch.length; i++) {
        // No closures here: this loop runs for every write of every message.
        let v: unknown;
        try {
          v = batch[i]!.body(tx);
        } catch (error) {
          throw new UnitFailed(error);
        }
        if (isThenable(v)) {
          const next = i + 1;
          return Promise.resolve(v).then(
            (value) => {
              out.push({ ok: true, value });
              return from(next);
            },
            (error: unknown) => {
              throw new UnitFailed(error);
            },
          );
        }
        out.push({ ok: true, value: v });
      }
      return out;
    };
    return from(0);
  }

  /** After a unit failed: each unit in a savepoint of its own. Throws TransactionLost when SQLite gave up the transaction. */
  function oneByOne(batch: readonly Unit[]): Outcome[] | PromiseLike<Outcome[]> {
    const out: Outcome[] = [];
    const from = (i: number): Outcome[] | PromiseLike<Outcome[]> => {
      if (i === batch.length) return out;
      db.exec('SAVEPOINT unit');
      const v = guard<Outcome>(
        () => then(batch[i]!.body(tx), (value): Outcome => (db.exec('RELEASE unit'), { ok: true, value })),
        (error): Outcome => {
          if (!db.inTransaction) throw new TransactionLost(error);
          db.exec('ROLLBACK TO unit; RELEASE unit');
          return { ok: false, error };
        },
      );
      return then(v, (o) => {
        out.push(o);
        return from(i + 1);
      });
    };
    return from(0);
  }

  /**
   * BEGIN IMMEDIATE, `units`, COMMIT; ROLLBACK when anything throws. Inside a transaction someone else opened on
   * the connection (a dry run's, which is rolled back whole), a savepoint instead, as better-sqlite3's own
   * transactions do.
   */
  function inTransaction(units: () => Outcome[] | PromiseLike<Outcome[]>): Outcome[] | PromiseLike<Outcome[]> {
    const nestedIn = db.inTransaction;
    if (nestedIn) db.exec('SAVEPOINT batch');
    else begin.run();
    return guard(
      () => then(units(), (outcomes) => (nestedIn ? db.exec('RELEASE batch') : commit.run(), outcomes)),
      (err) => {
        if (nestedIn) {
          if (db.inTransaction) db.exec('ROLLBACK TO batch; RELEASE batch');
        } else if (db.inTransaction) rollback.run();
        throw err;
      },
    );
  }

  function settle(batch: readonly Unit[], outcomes: Outcome[]): void {
    let storageFailed = false;
    batch.forEach((u, i) => {
      const o = outcomes[i]!;
      if (o.ok) u.resolve(o.value);
      else {
        storageFailed = health.failed(o.error) || storageFailed;
        u.reject(o.error);
      }
    });
    if (!storageFailed) health.succeeded();
  }

  function failAll(batch: readonly Unit[], caught: unknown): void {
    // The commit itself failed (disk full, database closed), or SQLite gave up the transaction on a unit's
    // error (a full disk): nothing of the batch landed, and every unit is told why.
    const error = caught instanceof TransactionLost ? caught.error : caught;
    health.failed(error);
    for (const u of batch) u.reject(error);
  }

  function flush(): void {
    scheduled = false;
    if (open || queue.length === 0) return;
    const batch = queue;
    queue = [];
    let run: Outcome[] | PromiseLike<Outcome[]>;
    try {
      run = guard(
        () => inTransaction(() => together(batch)),
        (err) => {
          // Only a failing unit is worth a second run; a lock not granted or a failed commit would fail again.
          if (!(err instanceof UnitFailed)) throw err;
          return inTransaction(() => oneByOne(batch));
        },
      );
    } catch (err) {
      failAll(batch, err);
      return;
    }
    if (!isThenable(run)) {
      settle(batch, run);
      return;
    }
    let done!: () => void;
    open = new Promise<void>((resolve) => (done = resolve));
    Promise.resolve(run)
      .then(
        (outcomes) => settle(batch, outcomes),
        (err: unknown) => failAll(batch, err),
      )
      .finally(() => {
        open = null;
        done();
        if (queue.length > 0) schedule();
      });
  }

  const enqueue = <T>(body: (tx: Tx) => unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ body, resolve: resolve as (v: unknown) => void, reject });
      if (!open) schedule();
    });

  /** A read from outside: at once, or after the open batch has finished. */
  const read = <T>(f: () => T): Promise<T> => (open ? open.then(f) : settled(f));

  return {
    dialect: 'sqlite',
    db,
    all: (text, params) => read(() => exec.all(text, params)),
    get: (text, params) => read(() => exec.get(text, params)),
    run: (text, params) => enqueue(() => exec.run(text, params)),
    transaction: <T>(fn: (tx: Tx) => Promise<T> | T): Promise<T> => enqueue<T>(fn),
    async close(): Promise<void> {
      while (queue.length > 0 || open) {
        if (open) await open;
        else flush();
      }
      cache.clear();
      adapters.delete(db);
      db.close();
    },
    adopt(h: WriteHealth): void {
      health = h;
    },
  };
}
