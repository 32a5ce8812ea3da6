/**
 * The persistent record of deliveries WeChat may retry. A delivery is claimed before it is handled and
 * answered after, so a retry — in this process, another one, or after a restart — finds it.
 */
import type { AccountId, Reply } from '../core/messages.ts';
import type { Db } from './db.ts';

export type Delivery = 'passive' | 'customer_service';

/** `createdAt`: when the message was first claimed (its first delivery that reached a server). */
export type HandledRecord =
  | { readonly status: 'pending'; readonly owner: string; readonly attempts: number; readonly createdAt: number; readonly updatedAt: number; readonly delivered: Delivery | null }
  | { readonly status: 'answered'; readonly reply: Reply; readonly attempts: number; readonly createdAt: number; readonly delivered: Delivery | null }
  | { readonly status: 'failed'; readonly attempts: number; readonly createdAt: number; readonly delivered: Delivery | null };

/** A pending claim, as the sweep for orphans reads it. */
export interface PendingClaim {
  readonly account: AccountId;
  readonly key: string;
  readonly owner: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly delivered: Delivery | null;
}

interface Row {
  status: 'pending' | 'answered' | 'failed';
  reply: string | null;
  delivered: Delivery | null;
  attempts: number;
  owner: string;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): HandledRecord => {
  switch (r.status) {
    case 'pending':
      return { status: 'pending', owner: r.owner, attempts: r.attempts, createdAt: r.created_at, updatedAt: r.updated_at, delivered: r.delivered };
    case 'answered':
      return { status: 'answered', reply: JSON.parse(r.reply ?? '{"type":"none"}') as Reply, attempts: r.attempts, createdAt: r.created_at, delivered: r.delivered };
    case 'failed':
      return { status: 'failed', attempts: r.attempts, createdAt: r.created_at, delivered: r.delivered };
  }
};

const CLAIMED = { claimed: true } as const;

export function createHandledMessageStore(db: Db) {
  // A fresh delivery is one plain insert (RETURNING would cost a third more on every message); only a retry
  // takes the second statement, which counts it and reads the record. Callers run claims in a transaction.
  const insert = db.prepare<[string, string, string, number, number]>(`
    INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at)
    VALUES (?, ?, 'pending', ?, ?, ?)
    ON CONFLICT (account, dedup_key) DO NOTHING`);
  const retry = db.prepare<[string, string], Row>(`
    UPDATE handled_messages SET attempts = attempts + 1 WHERE account = ? AND dedup_key = ?
    RETURNING status, reply, delivered, attempts, owner, created_at, updated_at`);
  const get = db.prepare<[string, string], Row>(
    'SELECT status, reply, delivered, attempts, owner, created_at, updated_at FROM handled_messages WHERE account = ? AND dedup_key = ?',
  );
  const takeOver = db.prepare(`
    UPDATE handled_messages SET owner = ?, updated_at = ? WHERE account = ? AND dedup_key = ?
      AND status = 'pending' AND owner = ? AND updated_at = ?`);
  const finish = db.prepare(`
    UPDATE handled_messages SET status = ?, reply = ?, updated_at = ? WHERE account = ? AND dedup_key = ?`);
  const deliver = db.prepare(`
    UPDATE handled_messages SET delivered = ? WHERE account = ? AND dedup_key = ? AND delivered IS NULL`);
  const prune = db.prepare('DELETE FROM handled_messages WHERE created_at < ?');
  // Reads the partial index handled_messages_pending: only claims not yet answered (a handful), never the day's rows.
  const pending = db.prepare<[], { account: string; dedup_key: string; owner: string; created_at: number; updated_at: number; delivered: Delivery | null }>(
    "SELECT account, dedup_key, owner, created_at, updated_at, delivered FROM handled_messages WHERE status = 'pending' ORDER BY created_at LIMIT 1000");
  const abandon = db.prepare(`
    UPDATE handled_messages SET status = 'failed', updated_at = ? WHERE account = ? AND dedup_key = ? AND status = 'pending' AND owner = ?`);

  return {
    /**
     * Claims a delivery. `claimed: true` means this caller must handle it; otherwise the existing record
     * (whose attempt count has just been increased) is returned.
     */
    claim(account: AccountId, key: string, owner: string, now: number): { claimed: true } | { claimed: false; record: HandledRecord } {
      if (insert.run(account, key, owner, now, now).changes === 1) return CLAIMED;
      return { claimed: false, record: fromRow(retry.get(account, key)!) };
    },
    get(account: AccountId, key: string): HandledRecord | null {
      const row = get.get(account, key);
      return row ? fromRow(row) : null;
    },
    /** Takes over a pending claim whose owner stopped answering (crashed); true when this caller won it. */
    takeOver(account: AccountId, key: string, stale: { owner: string; updatedAt: number }, owner: string, now: number): boolean {
      return takeOver.run(owner, now, account, key, stale.owner, stale.updatedAt).changes === 1;
    },
    answered(account: AccountId, key: string, reply: Reply, now: number): void {
      finish.run('answered', JSON.stringify(reply), now, account, key);
    },
    failed(account: AccountId, key: string, now: number): void {
      finish.run('failed', null, now, account, key);
    },
    /** Records how the answer left, once; false when it had already been given another way. */
    delivered(account: AccountId, key: string, how: Delivery): boolean {
      return deliver.run(how, account, key).changes === 1;
    },
    /** Claims not answered yet, oldest first. */
    pending(): PendingClaim[] {
      return pending.all().map((r) => ({
        account: r.account as AccountId, key: r.dedup_key, owner: r.owner, createdAt: r.created_at, updatedAt: r.updated_at, delivered: r.delivered,
      }));
    },
    /** Closes a pending claim nobody will answer (still held by `owner`) as failed; true when it did. */
    abandon(account: AccountId, key: string, owner: string, now: number): boolean {
      return abandon.run(now, account, key, owner).changes === 1;
    },
    /** Forgets deliveries older than `before` (ms); WeChat stops retrying after ~15 s. */
    prune(before: number): number {
      return prune.run(before).changes;
    },
  };
}
export type HandledMessageStore = ReturnType<typeof createHandledMessageStore>;
