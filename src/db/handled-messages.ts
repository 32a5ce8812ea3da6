/**
 * The persistent record of deliveries WeChat may retry. A delivery is claimed before it is handled and
 * answered after, so a retry — in this process, another one, or after a restart — finds it.
 */
import type { AccountId, Reply } from '../core/messages.ts';
import type { Sql } from './sql/sql.ts';

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

const COLUMNS = 'status, reply, delivered, attempts, owner, created_at, updated_at';
const FINISH = 'UPDATE handled_messages SET status = ?, reply = ?, updated_at = ? WHERE account = ? AND dedup_key = ?';

/**
 * Every method is one statement (one unit of the group commit on SQLite, one autocommit statement on PostgreSQL),
 * made safe across instances by its own condition: the claim by the primary key, the rest by compare-and-set.
 */
export function createHandledMessageStore(sql: Sql) {
  async function claim(account: AccountId, key: string, owner: string, now: number): Promise<{ claimed: true } | { claimed: false; record: HandledRecord }> {
    // A fresh delivery is one plain insert (RETURNING would cost a third more on every message); only a retry
    // takes the second statement, which counts it and reads the record.
    const inserted = await sql.run(
      `INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT (account, dedup_key) DO NOTHING`,
      [account, key, owner, now, now],
    );
    if (inserted.changes === 1) return CLAIMED;
    const row = await sql.transaction((tx) =>
      tx.get<Row>(`UPDATE handled_messages SET attempts = attempts + 1 WHERE account = ? AND dedup_key = ? RETURNING ${COLUMNS}`, [account, key]),
    );
    // Pruned between the two statements (a day-old key delivered again): claim it afresh.
    if (!row) return claim(account, key, owner, now);
    return { claimed: false, record: fromRow(row) };
  }

  return {
    /**
     * Claims a delivery. `claimed: true` means this caller must handle it; otherwise the existing record
     * (whose attempt count has just been increased) is returned.
     */
    claim,
    async get(account: AccountId, key: string): Promise<HandledRecord | null> {
      const row = await sql.get<Row>(`SELECT ${COLUMNS} FROM handled_messages WHERE account = ? AND dedup_key = ?`, [account, key]);
      return row ? fromRow(row) : null;
    },
    /** Takes over a pending claim whose owner stopped answering (crashed); true when this caller won it. */
    async takeOver(account: AccountId, key: string, stale: { owner: string; updatedAt: number }, owner: string, now: number): Promise<boolean> {
      const r = await sql.run(
        `UPDATE handled_messages SET owner = ?, updated_at = ? WHERE account = ? AND dedup_key = ?
           AND status = 'pending' AND owner = ? AND updated_at = ?`,
        [owner, now, account, key, stale.owner, stale.updatedAt],
      );
      return r.changes === 1;
    },
    async answered(account: AccountId, key: string, reply: Reply, now: number): Promise<void> {
      await sql.run(FINISH, ['answered', JSON.stringify(reply), now, account, key]);
    },
    async failed(account: AccountId, key: string, now: number): Promise<void> {
      await sql.run(FINISH, ['failed', null, now, account, key]);
    },
    /** Records how the answer left, once; false when it had already been given another way. */
    async delivered(account: AccountId, key: string, how: Delivery): Promise<boolean> {
      const r = await sql.run('UPDATE handled_messages SET delivered = ? WHERE account = ? AND dedup_key = ? AND delivered IS NULL', [how, account, key]);
      return r.changes === 1;
    },
    /** Claims not answered yet, oldest first. */
    async pending(): Promise<PendingClaim[]> {
      // Reads the partial index handled_messages_pending: only claims not yet answered (a handful), never the day's rows.
      const rows = await sql.all<{ account: string; dedup_key: string; owner: string; created_at: number; updated_at: number; delivered: Delivery | null }>(
        "SELECT account, dedup_key, owner, created_at, updated_at, delivered FROM handled_messages WHERE status = 'pending' ORDER BY created_at LIMIT 1000",
      );
      return rows.map((r) => ({
        account: r.account as AccountId, key: r.dedup_key, owner: r.owner, createdAt: r.created_at, updatedAt: r.updated_at, delivered: r.delivered,
      }));
    },
    /** Closes a pending claim nobody will answer (still held by `owner`) as failed; true when it did. */
    async abandon(account: AccountId, key: string, owner: string, now: number): Promise<boolean> {
      const r = await sql.run(
        "UPDATE handled_messages SET status = 'failed', updated_at = ? WHERE account = ? AND dedup_key = ? AND status = 'pending' AND owner = ?",
        [now, account, key, owner],
      );
      return r.changes === 1;
    },
    /** Forgets deliveries older than `before` (ms); WeChat stops retrying after ~15 s. */
    async prune(before: number): Promise<number> {
      return (await sql.run('DELETE FROM handled_messages WHERE created_at < ?', [before])).changes;
    },
  };
}
export type HandledMessageStore = ReturnType<typeof createHandledMessageStore>;
