/**
 * The notices outbox (table order_notices) and its protocol between several workers (server processes and
 * instances, the Wechaty bot), on SQLite or PostgreSQL: a worker takes due notices with a lease by one conditional
 * UPDATE (on PostgreSQL over rows locked FOR UPDATE SKIP LOCKED), so no two workers hold the same notice at once;
 * taking one counts the attempt, and the attempt number is the worker's claim: an outcome is written only while
 * the notice is still pending at that attempt (a worker whose lease ran out and was taken over writes nothing).
 * A killed worker's notices are due again when their lease runs out.
 */
import type { Param, Sql, Tx } from '../../db/sql/sql.ts';
import type { SqliteSql } from '../../db/sql/sqlite.ts';
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

/** Who wants to know that notices were added in this process, per database (a SQLite file: any connection to it). */
const listeners = new Map<unknown, Set<() => void>>();

/** The database an adapter is on, as the listeners know it: SQLite's file name, else the adapter itself. */
const databaseOf = (sql: Sql): unknown => (sql.dialect === 'sqlite' && 'db' in sql ? (sql as SqliteSql).db.name : sql);

/**
 * Calls `fn` whenever notices were added to this database in this process, after their transaction committed
 * (a worker then looks at once instead of at its next poll; another instance's notices are found by the poll).
 * @returns the unsubscribe
 */
export function onNoticeAdded(sql: Sql, fn: () => void): () => void {
  const key = databaseOf(sql);
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0) listeners.delete(key);
  };
}

/** Tells the listeners of this database that notices were added (call after the adding transaction committed). */
export function noticesAdded(sql: Sql): void {
  for (const fn of listeners.get(databaseOf(sql)) ?? []) fn();
}

const INSERT = `INSERT INTO order_notices (account, order_id, audience, via, target, payload, idempotency_key, status, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
  ON CONFLICT (idempotency_key) DO NOTHING`;
const BY_ID = 'SELECT * FROM order_notices WHERE id = ?';
const SENT = `UPDATE order_notices SET status = 'sent', sent_at = ?, via = ?, lease_until = 0, last_error = ?
  WHERE id = ? AND attempts = ? AND status = 'pending'`;
const AGAIN = `UPDATE order_notices SET next_attempt_at = ?, lease_until = 0, last_error = ?
  WHERE id = ? AND attempts = ? AND status = 'pending'`;
const FAILED = `UPDATE order_notices SET status = 'failed', lease_until = 0, last_error = ?
  WHERE id = ? AND attempts = ? AND status = 'pending'`;
const REQUEUE = `UPDATE order_notices SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = 0
  WHERE id = ? AND account = ? AND status = 'failed'`;
const STORE_OF = 'SELECT o.store_id FROM order_notices n JOIN orders o ON o.id = n.order_id WHERE n.id = ?';

/** Due: pending, its time come, not leased (or its lease run out: a killed worker's notice is taken over). */
const dueWhere = (vias: readonly NoticeVia[]) =>
  `status = 'pending' AND next_attempt_at <= ? AND lease_until <= ? AND via IN (${vias.map(() => '?').join(', ')})`;

/** A worker's statements, per set of vias (fixed for its life): built once, not on every poll. */
function dueStatements(vias: readonly NoticeVia[], dialect: Sql['dialect']) {
  const where = dueWhere(vias);
  // PostgreSQL: workers skip the rows another is claiming instead of queueing behind its locks. The outer WHERE
  // repeats the condition: a row is claimed only by the UPDATE that finds it still due (the claim is conditional
  // on both databases; SQLite's write lock serialises the claims anyway).
  const lock = dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  return {
    count: `SELECT count(*) AS n FROM order_notices WHERE ${where}`,
    claim: `UPDATE order_notices SET lease_until = ?, attempts = attempts + 1
      WHERE id IN (SELECT id FROM order_notices WHERE ${where} ORDER BY next_attempt_at, id LIMIT ?${lock}) AND ${where}
      RETURNING *`,
  };
}

/**
 * @example const outbox = createNoticeOutbox(sql); const taken = await outbox.take({ vias: ['webhook'], now, leaseMs: 60_000, limit: 10 });
 */
export function createNoticeOutbox(sql: Sql, options: { readonly delays?: readonly number[] } = {}) {
  const delays = options.delays ?? RETRY_DELAYS_MS;
  const statements = new Map<string, ReturnType<typeof dueStatements>>();
  const dueOf = (vias: readonly NoticeVia[]) => {
    const key = vias.join(',');
    let st = statements.get(key);
    if (!st) statements.set(key, (st = dueStatements(vias, sql.dialect)));
    return st;
  };

  const outbox = {
    /**
     * Adds a notice unless one with its key exists (an order change enqueues each notice once), inside the
     * transaction of the change. True when added; tell the workers with `noticesAdded` once it has committed.
     */
    async add(tx: Tx, n: NewNotice, now: number): Promise<boolean> {
      const r = await tx.run(INSERT, [n.account, n.orderId, n.audience, n.via, n.target, JSON.stringify(n.payload), n.idempotencyKey, now, now]);
      return r.changes === 1;
    },
    /**
     * Leases up to `limit` due notices going by one of `vias` for `leaseMs`; each take counts an attempt. Several
     * workers (processes, instances) may take at once: each notice goes to one of them.
     */
    async take(o: { readonly vias: readonly NoticeVia[]; readonly now: number; readonly leaseMs: number; readonly limit: number }): Promise<Taken[]> {
      // A read first: an idle poll takes no write lock (the server's other writes never wait for it).
      if (o.vias.length === 0 || (await outbox.dueCount(o.now, o.vias)) === 0) return [];
      const { claim } = dueOf(o.vias);
      const due = [o.now, o.now, ...o.vias];
      const rows = await sql.transaction((tx) => tx.all<Row>(claim, [o.now + o.leaseMs, ...due, o.limit, ...due]));
      // RETURNING has no order: the oldest due first, as selected.
      rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
      // The row as returned is after the claim: its attempts are this attempt.
      return rows.map((r) => ({ notice: fromRow({ ...r, attempts: r.attempts - 1 }), attempt: r.attempts }));
    },
    /**
     * Writes what became of an attempt: sent; failed for now (retried on the schedule, then failed); or failed for
     * good. False when the claim was lost (the lease ran out and another worker took the notice).
     */
    async settle(taken: Taken, outcome: DeliveryOutcome, now: number): Promise<boolean> {
      const { id } = taken.notice;
      const attempt = taken.attempt;
      if (outcome.ok) return (await sql.run(SENT, [now, outcome.via ?? taken.notice.via, outcome.note ?? null, id, attempt])).changes === 1;
      const error = errorText(outcome.error);
      const next = outcome.retry ? nextAttemptAfter(attempt, now, delays) : null;
      if (next === null) {
        const why = outcome.retry ? `${error} (gave up after ${attempt} attempts)` : error;
        return (await sql.run(FAILED, [errorText(why), id, attempt])).changes === 1;
      }
      return (await sql.run(AGAIN, [next, error, id, attempt])).changes === 1;
    },
    async get(id: number): Promise<Notice | null> {
      const r = await sql.get<Row>(BY_ID, [id]);
      return r ? fromRow(r) : null;
    },
    /** Newest first, with the order's store for the store filter. */
    async list(f: NoticeFilter): Promise<Notice[]> {
      const where = ['n.account = ?'];
      const params: Param[] = [f.account];
      if (f.status !== undefined) (where.push('n.status = ?'), params.push(f.status));
      if (f.orderId !== undefined) (where.push('n.order_id = ?'), params.push(f.orderId));
      if (f.storeId !== undefined) (where.push('o.store_id = ?'), params.push(f.storeId));
      if (f.before !== undefined) (where.push('n.id < ?'), params.push(f.before));
      const rows = await sql.all<Row>(
        `SELECT n.* FROM order_notices n JOIN orders o ON o.id = n.order_id WHERE ${where.join(' AND ')} ORDER BY n.id DESC LIMIT ?`,
        [...params, f.limit],
      );
      return rows.map(fromRow);
    },
    /** The store of a notice's order (for a store_staff user's checks), or null. */
    async storeOf(id: number): Promise<string | null> {
      return (await sql.get<{ store_id: string | null }>(STORE_OF, [id]))?.store_id ?? null;
    },
    /** A failed notice goes back in the queue, due now, with its attempts from zero (its last error stays until the next attempt). */
    async retry(account: string, id: number, now: number): Promise<boolean> {
      return (await sql.run(REQUEUE, [now, id, account])).changes === 1;
    },
    /** The pending notices due by `now` and not leased. */
    async dueCount(now: number, vias: readonly NoticeVia[]): Promise<number> {
      if (vias.length === 0) return 0;
      return (await sql.get<{ n: number }>(dueOf(vias).count, [now, now, ...vias]))!.n;
    },
  };
  return outbox;
}
