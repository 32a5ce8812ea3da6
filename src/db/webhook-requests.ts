/**
 * The webhook's replay record: which signed requests an account has already taken, and with what body.
 * It lives in SQLite, not in memory, so a request replayed to another process on the same file, or after
 * a restart, is recognised too. Rows are needed only while a request's timestamp is still fresh; they are
 * keyed by that timestamp first, so inserts append and pruning removes the oldest end.
 */
import type { AccountId } from '../core/messages.ts';
import type { Sql } from './sql/sql.ts';

// One statement decides: a new request is inserted; the same request with the same body (the platform's
// retry) matches the WHERE and "updates" nothing of substance; another body leaves the row alone (0 changes).
const ADMIT = `
  INSERT INTO webhook_requests (ts, account, request_key, body_hash) VALUES (?, ?, ?, ?)
  ON CONFLICT (ts, account, request_key) DO UPDATE SET body_hash = webhook_requests.body_hash
  WHERE webhook_requests.body_hash = excluded.body_hash`;

export function createWebhookRequestStore(sql: Sql) {
  return {
    /**
     * Records a request by its timestamp (seconds, as signed) and key; false when the same request was seen
     * before with another body (a replay).
     * @example if (!(await requests.admit(account, 1714036504, signature, sha256(body)))) refuse();
     */
    async admit(account: AccountId, timestamp: number, requestKey: string, bodyHash: string): Promise<boolean> {
      return (await sql.run(ADMIT, [timestamp, account, requestKey, bodyHash])).changes === 1;
    },
    /** Forgets the requests timestamped before `beforeSeconds`; returns how many. */
    async prune(beforeSeconds: number): Promise<number> {
      return (await sql.run('DELETE FROM webhook_requests WHERE ts < ?', [beforeSeconds])).changes;
    },
  };
}
export type WebhookRequestStore = ReturnType<typeof createWebhookRequestStore>;
