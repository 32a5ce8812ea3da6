/**
 * The notices outbox (table order_notices) and its protocol between several workers (server processes, the
 * Wechaty bot): a worker takes due notices with a lease in one IMMEDIATE transaction, so no two workers hold the
 * same notice at once; taking one counts the attempt, and the attempt number is the worker's claim: an outcome is
 * written only while the notice is still pending at that attempt (a worker whose lease ran out and was taken over
 * writes nothing).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/db.ts';
import {
  errorText, nextAttemptAfter, RETRY_DELAYS_MS,
  type DeliveryOutcome, type NewNotice, type Notice, type NoticeAudience, type NoticePayload, type NoticeStatus, type NoticeVia,
} from './model.ts';

interface Row {
  id: number;
  account: string;
  order_id: number;
  audience: NoticeAudience;
  via: NoticeVia;
  target: string;
  payload: string;
  idempotency_key: string;
  status: NoticeStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

// Payloads are written only by `add` from a NoticePayload.
const fromRow = (r: Row): Notice => ({
  id: r.id, account: r.account, orderId: r.order_id, audience: r.audience, via: r.via, target: r.target,
  payload: JSON.parse(r.payload) as NoticePayload, idempotencyKey: r.idempotency_key, status: r.status, attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at,
});

export interface NoticeFilter {
  readonly account: string;
  readonly status?: NoticeStatus | undefined;
  readonly orderId?: number | undefined;
  /** Only notices of this store's orders (a store_staff user's view). */
  readonly storeId?: string | undefined;
  /** Notices with an id below this (the previous page's last), newest first. */
  readonly before?: number | undefined;
  readonly limit: number;
}

/** A notice a worker holds: deliver it, then report with `settle(taken, outcome)`. */
export interface Taken {
  readonly notice: Notice;
  /** The attempt this is (the claim its outcome is written under). */
  readonly attempt: number;
}

/** Who wants to know that notices were added in this process, per database file (any connection to it). */
const listeners = new Map<string, Set<() => void>>();

/**
 * Calls `fn` whenever a notice is added to this database file in this process (a worker then looks at once
 * instead of at its next poll). Called inside the order's transaction: look on a later tick, after the commit.
 * @returns the unsubscribe
 */
export function onNoticeAdded(db: Db, fn: () => void): () => void {
  let set = listeners.get(db.name);
  if (!set) listeners.set(db.name, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0) listeners.delete(db.name);
  };
}

/**
 * @example const outbox = createNoticeOutbox(db); const taken = outbox.take({ vias: ['webhook'], now, leaseMs: 60_000, limit: 10 });
 */
export function createNoticeOutbox(db: Db, options: { readonly delays?: readonly number[] } = {}) {
  const delays = options.delays ?? RETRY_DELAYS_MS;
  const insert = db.prepare(`
    INSERT INTO order_notices (account, order_id, audience, via, target, payload, idempotency_key, status, next_attempt_at, created_at)
    VALUES (@account, @orderId, @audience, @via, @target, @payload, @key, 'pending', @now, @now)
    ON CONFLICT (idempotency_key) DO NOTHING`);
  const byId = db.prepare<[number], Row>('SELECT * FROM order_notices WHERE id = ?');
  const lease = db.prepare<[number, number, number]>('UPDATE order_notices SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND attempts = ?');
  const sent = db.prepare(`
    UPDATE order_notices SET status = 'sent', sent_at = @now, via = @via, lease_until = 0, last_error = @note
    WHERE id = @id AND attempts = @attempt AND status = 'pending'`);
  const again = db.prepare(`
    UPDATE order_notices SET next_attempt_at = @next, lease_until = 0, last_error = @error
    WHERE id = @id AND attempts = @attempt AND status = 'pending'`);
  const failed = db.prepare(`
    UPDATE order_notices SET status = 'failed', lease_until = 0, last_error = @error
    WHERE id = @id AND attempts = @attempt AND status = 'pending'`);
  const requeue = db.prepare<[number, number, string]>(`
    UPDATE order_notices SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = 0 WHERE id = ? AND account = ? AND status = 'failed'`);

  // Per set of vias (a worker's, fixed for its life): prepared once, not on every poll.
  const dueStatements = new Map<string, { rows: Statement<unknown[], Row>; count: Statement<unknown[], { n: number }> }>();
  const dueOf = (vias: readonly NoticeVia[]) => {
    const key = vias.join(',');
    let st = dueStatements.get(key);
    if (!st) {
      const where = `status = 'pending' AND next_attempt_at <= ? AND lease_until <= ? AND via IN (${vias.map(() => '?').join(', ')})`;
      st = {
        rows: db.prepare<unknown[], Row>(`SELECT * FROM order_notices WHERE ${where} ORDER BY next_attempt_at, id LIMIT ?`),
        count: db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM order_notices WHERE ${where}`),
      };
      dueStatements.set(key, st);
    }
    return st;
  };

  const takeTx = db.transaction((vias: readonly NoticeVia[], now: number, leaseMs: number, limit: number): Taken[] => {
    const due = dueOf(vias).rows.all(now, now, ...vias, limit);
    return due.flatMap((r) => (lease.run(now + leaseMs, r.id, r.attempts).changes === 1 ? [{ notice: fromRow(r), attempt: r.attempts + 1 }] : []));
  });

  return {
    /** Adds a notice unless one with its key exists (an order change enqueues each notice once). */
    add(n: NewNotice, now: number): void {
      if (insert.run({ ...n, payload: JSON.stringify(n.payload), key: n.idempotencyKey, now }).changes === 0) return;
      for (const fn of listeners.get(db.name) ?? []) fn();
    },
    /** Leases up to `limit` due notices going by one of `vias` for `leaseMs`; each take counts an attempt. */
    take(o: { readonly vias: readonly NoticeVia[]; readonly now: number; readonly leaseMs: number; readonly limit: number }): Taken[] {
      // A read first: an idle poll takes no write lock (the server's other writes never wait for it).
      if (o.vias.length === 0 || this.dueCount(o.now, o.vias) === 0) return [];
      return takeTx.immediate(o.vias, o.now, o.leaseMs, o.limit);
    },
    /**
     * Writes what became of an attempt: sent; failed for now (retried on the schedule, then failed); or failed for
     * good. False when the claim was lost (the lease ran out and another worker took the notice).
     */
    settle(taken: Taken, outcome: DeliveryOutcome, now: number): boolean {
      const { id } = taken.notice;
      const attempt = taken.attempt;
      if (outcome.ok) return sent.run({ id, attempt, now, via: outcome.via ?? taken.notice.via, note: outcome.note ?? null }).changes === 1;
      const error = errorText(outcome.error);
      const next = outcome.retry ? nextAttemptAfter(attempt, now, delays) : null;
      if (next === null) {
        const why = outcome.retry ? `${error} (gave up after ${attempt} attempts)` : error;
        return failed.run({ id, attempt, error: errorText(why) }).changes === 1;
      }
      return again.run({ id, attempt, next, error }).changes === 1;
    },
    get(id: number): Notice | null {
      const r = byId.get(id);
      return r ? fromRow(r) : null;
    },
    /** Newest first, with the order's store for the store filter. */
    list(f: NoticeFilter): Notice[] {
      const where = ['n.account = @account'];
      if (f.status !== undefined) where.push('n.status = @status');
      if (f.orderId !== undefined) where.push('n.order_id = @orderId');
      if (f.storeId !== undefined) where.push('o.store_id = @storeId');
      if (f.before !== undefined) where.push('n.id < @before');
      return db
        .prepare<Record<string, unknown>, Row>(`
          SELECT n.* FROM order_notices n JOIN orders o ON o.id = n.order_id WHERE ${where.join(' AND ')} ORDER BY n.id DESC LIMIT @limit`)
        .all({ account: f.account, status: f.status, orderId: f.orderId, storeId: f.storeId, before: f.before, limit: f.limit })
        .map(fromRow);
    },
    /** The store of a notice's order (for a store_staff user's checks), or null. */
    storeOf(id: number): string | null {
      return db.prepare<[number], { store_id: string | null }>('SELECT o.store_id FROM order_notices n JOIN orders o ON o.id = n.order_id WHERE n.id = ?').get(id)?.store_id ?? null;
    },
    /** A failed notice goes back in the queue, due now, with its attempts from zero (its last error stays until the next attempt). */
    retry(account: string, id: number, now: number): boolean {
      return requeue.run(now, id, account).changes === 1;
    },
    /** The pending notices due by `now` and not leased. */
    dueCount(now: number, vias: readonly NoticeVia[]): number {
      if (vias.length === 0) return 0;
      return dueOf(vias).count.get(now, now, ...vias)!.n;
    },
  };
}
