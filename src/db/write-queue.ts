/**
 * Group commit: writes queued during one turn of the event loop run together in one transaction.
 * A commit (a WAL append) costs more than the statements in it, so under load N concurrent messages
 * pay for one commit instead of N. Each write still runs exactly once, in order, and its promise
 * settles only after its transaction has committed — callers see the same durability as before.
 *
 * A write must only touch the database: when one write of a batch fails, the whole batch is rolled back
 * and run again with each write in its own savepoint, so its neighbours still land and it lands not at all.
 */
import type { Db } from './db.ts';
import { ignoredHealth, type WriteHealth } from './write-health.ts';

export interface WriteQueue {
  /** Runs `write` (synchronous, database only) in the next group transaction; resolves with its result once committed. */
  run<T>(write: () => T extends PromiseLike<unknown> ? never : T): Promise<T>;
}

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A write of the batch threw (as opposed to BEGIN or COMMIT failing). */
class WriteFailed extends Error {
  constructor(readonly error: unknown) {
    super('a write of the batch failed');
  }
}

/**
 * SQLite rolled the whole transaction back on a write's error (it may on SQLITE_FULL, IOERR, BUSY, NOMEM):
 * the writes before it are undone, and the ones after would run outside any transaction.
 */
class TransactionLost extends Error {
  constructor(readonly error: unknown) {
    super('SQLite rolled back the transaction');
  }
}

/** A write that returns a promise would go on outside the transaction after its first await. */
function synchronous(value: unknown): unknown {
  if (typeof (value as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError('a queued write must be synchronous: it returned a promise');
  }
  return value;
}

/**
 * @param health told of every batch's outcome, so a failing disk shows in /readyz and the log (once per burst).
 */
export function createWriteQueue(db: Db, health: WriteHealth = ignoredHealth): WriteQueue {
  let queue: Pending[] = [];
  // The usual batch: every write succeeds, one transaction, no savepoints (they cost more than most writes).
  const together = db.transaction((batch: Pending[]): Outcome[] =>
    batch.map((p) => {
      try {
        return { ok: true, value: synchronous(p.write()) };
      } catch (error) {
        throw new WriteFailed(error);
      }
    }),
  );
  // After a write failed: each write in a savepoint of its own, so the failing one does not undo its neighbours.
  const inSavepoint = db.transaction((write: () => unknown) => synchronous(write()));
  const oneByOne = db.transaction((batch: Pending[]): Outcome[] =>
    batch.map((p) => {
      try {
        return { ok: true, value: inSavepoint(p.write) };
      } catch (error) {
        if (!db.inTransaction) throw new TransactionLost(error);
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    const batch = queue;
    queue = [];
    let outcomes: Outcome[];
    try {
      try {
        outcomes = together.immediate(batch);
      } catch (error) {
        // Only a failing write is worth a second run; a lock not granted or a failed commit would fail again.
        if (!(error instanceof WriteFailed)) throw error;
        outcomes = oneByOne.immediate(batch);
      }
    } catch (caught) {
      // The commit itself failed (disk full, database closed), or SQLite gave up the transaction on a write's
      // error (a full disk): nothing of the batch landed, and every write is told why.
      const error = caught instanceof TransactionLost ? caught.error : caught;
      health.failed(error);
      for (const p of batch) p.reject(error);
      return;
    }
    let storageFailed = false;
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else {
        storageFailed = health.failed(o.error) || storageFailed;
        p.reject(o.error);
      }
    });
    if (!storageFailed) health.succeeded();
  }

  return {
    run<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      });
    },
  };
}
