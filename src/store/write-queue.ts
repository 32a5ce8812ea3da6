/**
 * Group commit: writes queued during one turn of the event loop run together in one transaction.
 * A commit (a WAL append) costs more than the statements in it, so under load N concurrent messages
 * pay for one commit instead of N. Each write still runs exactly once, in order, and its promise
 * settles only after its transaction has committed — callers see the same durability as before.
 */
import type { Db } from './db.ts';

export interface WriteQueue {
  /** Runs `write` in the next group transaction; resolves with its result once committed. */
  run<T>(write: () => T): Promise<T>;
}

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export function createWriteQueue(db: Db): WriteQueue {
  let queue: Pending[] = [];
  // One failing write must not undo its neighbours: each runs in its own savepoint.
  const attempt = db.transaction((write: () => unknown) => write());

  function flush(): void {
    const batch = queue;
    queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: attempt(p.write) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      // The commit itself failed (disk full, database closed): nothing of the batch landed.
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
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
