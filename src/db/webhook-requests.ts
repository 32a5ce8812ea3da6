/**
 * The webhook's replay record: which signed requests an account has already taken, and with what body.
 * It lives in SQLite, not in memory, so a request replayed to another process on the same file, or after
 * a restart, is recognised too. Rows are needed only while a request's timestamp is still fresh; they are
 * keyed by that timestamp first, so inserts append and pruning removes the oldest end.
 */
import type { AccountId } from '../core/messages.ts';
import type { Db } from './db.ts';

export function createWebhookRequestStore(db: Db) {
  // One statement decides: a new request is inserted; the same request with the same body (the platform's
  // retry) matches the WHERE and "updates" nothing of substance; another body leaves the row alone (0 changes).
  const admit = db.prepare<[number, string, string, string]>(`
    INSERT INTO webhook_requests (ts, account, request_key, body_hash) VALUES (?, ?, ?, ?)
    ON CONFLICT (ts, account, request_key) DO UPDATE SET body_hash = body_hash WHERE body_hash = excluded.body_hash`);
  const prune = db.prepare<[number]>('DELETE FROM webhook_requests WHERE ts < ?');
  return {
    /**
     * Records a request by its timestamp (seconds, as signed) and key; false when the same request was seen
     * before with another body (a replay). Run it in a write transaction (the write queue).
     * @example if (!requests.admit(account, 1714036504, signature, sha256(body))) refuse();
     */
    admit(account: AccountId, timestamp: number, requestKey: string, bodyHash: string): boolean {
      return admit.run(timestamp, account, requestKey, bodyHash).changes === 1;
    },
    /** Forgets the requests timestamped before `beforeSeconds`; returns how many. */
    prune(beforeSeconds: number): number {
      return prune.run(beforeSeconds).changes;
    },
  };
}
export type WebhookRequestStore = ReturnType<typeof createWebhookRequestStore>;
