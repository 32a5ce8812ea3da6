/**
 * Customer-service messages that are not broadcasts — the webhook's late answers (sent through the
 * customer-service API after the 5-second passive reply was missed) and a rule's further replies
 * (reply_mode all) — in the one send ledger.
 *
 * The platform's quota (5 customer-service messages within 48 h after the follower's last message) counts
 * every customer-service message, so the planner counts these too (`channel = 'custom'`). They are answers
 * to the follower, not pushes: `kind = 'answer'` keeps them out of the weekly push cap, and
 * `broadcast_id` NULL keeps them out of reply collection.
 */
import type { Db } from '../db/db.ts';

/** What sent the answer: `late_answer` (the webhook), `rule_reply` (a rule's further replies), or another name. */
type CustomerServiceSource = 'late_answer' | 'rule_reply' | (string & {});

export interface CustomerServiceSend {
  readonly account: string;
  /** The follower's openid. */
  readonly user: string;
  /** When it was sent (ms since the epoch). */
  readonly at: number;
  readonly source: CustomerServiceSource;
  /**
   * `sent` (default) after the API accepted it; `unknown` after a WechatTimeoutError (it may have arrived,
   * so it counts against the quota all the same).
   */
  readonly outcome?: 'sent' | 'unknown';
}

type Insert = { run(account: string, user: string, outcome: string, at: number, source: string): unknown };
const statements = new WeakMap<Db, Insert>();

/**
 * Records one customer-service answer in the send ledger. Synchronous, one INSERT: call it after the API
 * call returned (or timed out), e.g. inside the write queue.
 * @example recordCustomerServiceSend(db, { account: 'default', user: openid, at: Date.now(), source: 'late_answer' });
 */
export function recordCustomerServiceSend(db: Db, send: CustomerServiceSend): void {
  if (typeof send.user !== 'string' || send.user === '') throw new TypeError('recordCustomerServiceSend: user: expected an openid');
  if (!Number.isFinite(send.at)) throw new TypeError('recordCustomerServiceSend: at: expected ms since the epoch');
  let insert = statements.get(db);
  if (!insert) {
    insert = db.prepare<[string, string, string, number, string]>(
      "INSERT INTO push_ledger (account, user_id, broadcast_id, run_id, channel, outcome, sent_at, kind, source) VALUES (?, ?, NULL, NULL, 'custom', ?, ?, 'answer', ?)",
    );
    statements.set(db, insert);
  }
  insert.run(send.account, send.user, send.outcome ?? 'sent', send.at, send.source);
}
