/**
 * THE send ledger: one row per message that (may have) reached a follower, broadcasts' pushes and
 * customer-service answers alike, from which weekly caps and platform quotas are counted; and the multi-row
 * statements the push room writes it (and the outbox) with.
 */
import type { Param, Sql, Tx } from '../db/sql/sql.ts';
import type { PushChannel } from './model.ts';

/** Statements, outside a transaction (`Sql`) or inside one (`Tx`). */
type Q = Pick<Sql, 'dialect' | 'all' | 'get' | 'run'>;

// ── the send ledger ──────────────────────────────────────────────────────────────────────────────────

/** What sent an answer: `late_answer` (the webhook), `rule_reply` (a rule's further replies), or another name. */
type CustomerServiceSource = 'late_answer' | 'rule_reply' | (string & {});

/**
 * One message that (may have) reached a follower. Weekly caps and platform quotas are counted from the ledger:
 * a `push` is a broadcast's; an `answer` is a customer-service message that is not a broadcast (the webhook's
 * late answers, a rule's further replies). The platform's quota (5 customer-service messages within 48 h after
 * the follower's last message) counts both, so answers go in as `channel = 'custom'`; `kind = 'answer'` keeps
 * them out of the weekly push cap and `broadcast_id` NULL out of reply collection.
 */
export type LedgerEntry =
  | { readonly kind: 'push'; readonly account: string; readonly user: string; readonly broadcast: number; readonly run: number; readonly channel: PushChannel; readonly outcome: 'sent' | 'unknown'; readonly at: number }
  | { readonly kind: 'answer'; readonly account: string; readonly user: string; readonly source: CustomerServiceSource; readonly outcome: 'sent' | 'unknown'; readonly at: number };

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

const LEDGER_COLUMNS = 'INSERT INTO push_ledger (account, user_id, broadcast_id, run_id, channel, outcome, sent_at, kind, source) VALUES ';
const LEDGER_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
const ledgerParams = (e: LedgerEntry): Param[] =>
  e.kind === 'push'
    ? [e.account, e.user, e.broadcast, e.run, e.channel, e.outcome, e.at, 'push', null]
    : [e.account, e.user, null, null, 'custom', e.outcome, e.at, 'answer', e.source];

/** THE INSERT into the send ledger, for broadcasts' pushes and customer-service answers alike (many rows at once). */
export async function recordSends(q: Q, entries: readonly LedgerEntry[]): Promise<void> {
  await inChunks(entries, async (part) => {
    await q.run(LEDGER_COLUMNS + rowsOf(LEDGER_ROW, part.length), part.flatMap(ledgerParams));
  });
}

/**
 * Records one customer-service answer in the send ledger: one INSERT, after the API call returned (or timed
 * out). On its own (`sql`: a one-statement transaction) or as part of a unit (`tx`).
 * @example await recordCustomerServiceSend(sql, { account: 'default', user: openid, at: Date.now(), source: 'late_answer' });
 */
export async function recordCustomerServiceSend(q: Sql | Tx, send: CustomerServiceSend): Promise<void> {
  if (typeof send.user !== 'string' || send.user === '') throw new TypeError('recordCustomerServiceSend: user: expected an openid');
  if (!Number.isFinite(send.at)) throw new TypeError('recordCustomerServiceSend: at: expected ms since the epoch');
  await recordSends(q, [{ kind: 'answer', account: send.account, user: send.user, at: send.at, source: send.source, outcome: send.outcome ?? 'sent' }]);
}

// ── many rows per statement ──────────────────────────────────────────────────────────────────────────

/**
 * Rows per multi-row statement, at most. Parts are powers of two (256, then 128, 64 … 1 for the rest), so a
 * statement has one of nine shapes (each prepared once) and a 1M-follower run costs ~4,000 statements, not 1M
 * round trips to PostgreSQL.
 */
const CHUNK = 256;

export async function inChunks<T>(items: readonly T[], f: (part: readonly T[]) => Promise<void>): Promise<void> {
  let i = 0;
  for (let size = CHUNK; size >= 1; size >>= 1) {
    while (items.length - i >= size) {
      await f(items.slice(i, i + size));
      i += size;
    }
  }
}

/** `(?, ?), (?, ?)` for two rows of `(?, ?)`. */
export const rowsOf = (row: string, n: number): string => Array.from({ length: n }, () => row).join(', ');
/** `?, ?, ?` for three values. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
