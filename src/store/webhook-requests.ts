/**
 * The webhook's replay record: which signed requests an account has already taken, and with what body.
 * It lives in SQLite, not in memory, so a request replayed to another process on the same file, or after
 * a restart, is recognised too. Rows are needed only while a request's timestamp is still fresh.
 */
import type { AccountId } from '../agent/types.ts';
import type { Db } from './db.ts';

export function createWebhookRequestStore(db: Db) {
  // One statement decides: a new request is inserted; the same request with the same body (the platform's
  // retry) matches the WHERE and "updates" nothing of substance; another body leaves the row alone (0 changes).
  const admit = db.prepare<[string, string, string, number]>(`
    INSERT INTO webhook_requests (account, request_key, body_hash, seen_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (account, request_key) DO UPDATE SET seen_at = seen_at WHERE body_hash = excluded.body_hash`);
  // At most `limit` rows a time: one big delete inside a write transaction would stall the event loop.
  const prune = db.prepare<[number, number]>(`
    DELETE FROM webhook_requests WHERE (account, request_key) IN
      (SELECT account, request_key FROM webhook_requests WHERE seen_at < ? LIMIT ?)`);
  return {
    /**
     * Records a request; false when the same request was seen before with another body (a replay).
     * Run it in a write transaction (the write queue).
     * @example if (!requests.admit(account, signature, sha256(body), now)) refuse();
     */
    admit(account: AccountId, requestKey: string, bodyHash: string, now: number): boolean {
      return admit.run(account, requestKey, bodyHash, now).changes === 1;
    },
    /** Forgets up to `limit` requests seen before `before` (ms); returns how many. */
    prune(before: number, limit = 2000): number {
      return prune.run(before, limit).changes;
    },
  };
}
export type WebhookRequestStore = ReturnType<typeof createWebhookRequestStore>;
