/**
 * One follower's page, read-only: their last messages with how the bot answered, their last orders, what the
 * send ledger holds for them (broadcasts and customer-service answers), and what is left of their 48-hour
 * customer-service window, its 5-message quota, and this week's push cap — counted as the planner counts them.
 * On either database.
 */
import { countIf } from '../db/sql/fragments.ts';
import type { Sql } from '../db/sql/sql.ts';
import { CS_QUOTA, CS_WINDOW_MS, WEEK_MS } from '../push/policy.ts';
import { pushOutbox } from '../push/outbox.ts';

export interface FollowerMessage {
  readonly id: number;
  readonly at: number;
  readonly text: string;
  readonly intent: string | null;
  readonly answeredBy: string | null;
  /** The rule that answered, when one did (its current name; null once deleted). */
  readonly rule: { readonly id: number; readonly name: string } | null;
  /** What the answer showed: catalogue ids with their titles (null when the item is gone). */
  readonly shown: readonly { readonly id: string; readonly title: string | null }[];
}

export interface FollowerOrder {
  readonly id: number;
  readonly status: string;
  readonly totalFen: number;
  readonly items: string;
  readonly store: string | null;
  readonly createdAt: number;
}

export interface FollowerPush {
  readonly id: number;
  readonly at: number;
  /** push: a broadcast's; answer: a customer-service answer (a late answer, a rule's further replies). */
  readonly kind: 'push' | 'answer';
  readonly channel: 'custom' | 'mass';
  readonly outcome: 'sent' | 'unknown';
  readonly broadcast: { readonly id: number; readonly name: string } | null;
  /** What was sent, in short: the text's start, the article's title; for an answer, what sent it. */
  readonly what: string;
}

export interface FollowerAllowance {
  /** When the 48-hour window closes (or closed); null when the follower never wrote. */
  readonly windowEndsAt: number | null;
  readonly windowOpen: boolean;
  /** Customer-service messages sent since their last message, and how many more the platform allows now. */
  readonly customerServiceUsed: number;
  readonly customerServiceLeft: number;
  readonly customerServiceQuota: number;
  /** Broadcast pushes in the rolling 7 days, and the account's weekly cap. */
  readonly pushesThisWeek: number;
  readonly weeklyCap: number;
}

const MESSAGES = 20;
const ORDERS = 10;
const PUSHES = 20;

/** A stored run message in a few words (the ledger's "what"). */
function summary(json: string | null): string {
  if (json === null) return '';
  try {
    const m = JSON.parse(json) as { type?: string; content?: string; article?: { title?: string } };
    if (m.type === 'text' && typeof m.content === 'string') return m.content.length > 60 ? `${m.content.slice(0, 60)}…` : m.content;
    if (m.type === 'news') return m.article?.title ?? '图文';
    if (m.type === 'mpnews') return '图文消息';
  } catch {
    // fall through: an unreadable message is shown as nothing rather than failing the page
  }
  return '';
}

interface MessageRow {
  id: number;
  created_at: number;
  text: string;
  intent: string | null;
  answered_by: string | null;
  result_ids: string | null;
  rule_id: number | null;
  rule_name: string | null;
}
interface OrderRow {
  id: number;
  status: string;
  total_fen: number;
  store_id: string | null;
  created_at: number;
  items: string | null;
}
interface PushRow {
  id: number;
  sent_at: number;
  kind: 'push' | 'answer';
  channel: 'custom' | 'mass';
  outcome: 'sent' | 'unknown';
  source: string | null;
  broadcast_id: number | null;
  name: string | null;
  message: string | null;
}

/** @example const page = createFollowerActivity(sql); await page.messages('default', openid) */
export function createFollowerActivity(sql: Sql) {
  // answer_log_user (account, user_id, id): the follower's newest 20, read straight off the index. The rule is
  // matched as text ('rule:' || id), never by casting answered_by, which PostgreSQL might try on 'store:…' too.
  const MESSAGES_SQL = `
    SELECT a.id, a.created_at, a.text, a.intent, a.answered_by, a.result_ids, r.id AS rule_id, r.name AS rule_name
    FROM answer_log a LEFT JOIN rules r ON r.account = a.account AND r.deleted = 0 AND a.answered_by = 'rule:' || r.id
    WHERE a.account = ? AND a.user_id = ? ORDER BY a.id DESC LIMIT ?`;
  const TITLE = `
    SELECT title FROM products WHERE account = ? AND sku = ?
    UNION ALL SELECT name FROM hotels WHERE account = ? AND id = ?
    UNION ALL SELECT title FROM deals WHERE account = ? AND id = ? LIMIT 1`;
  const line = "i.title || COALESCE('（' || i.variant || '）', '') || ' ×' || i.quantity";
  const items = sql.dialect === 'postgres' ? `string_agg(${line}, '、')` : `group_concat(${line}, '、')`;
  const ORDERS_SQL = `
    SELECT o.id, o.status, o.total_fen, o.store_id, o.created_at,
      (SELECT ${items} FROM order_items i WHERE i.order_id = o.id) AS items
    FROM orders o WHERE o.account = ? AND o.user_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?`;
  const PUSHES_SQL = `
    SELECT l.id, l.sent_at, l.kind, l.channel, l.outcome, l.source, l.broadcast_id, b.name, r.message
    FROM push_ledger l LEFT JOIN broadcasts b ON b.id = l.broadcast_id LEFT JOIN broadcast_runs r ON r.id = l.run_id
    WHERE l.account = ? AND l.user_id = ? ORDER BY l.sent_at DESC, l.id DESC LIMIT ?`;
  const COUNTS = `
    SELECT COALESCE(SUM(${countIf("channel = 'custom' AND sent_at >= ?")}), 0) AS cs, COALESCE(SUM(${countIf("kind = 'push' AND sent_at > ?")}), 0) AS week
    FROM push_ledger WHERE account = ? AND user_id = ?`;
  const outbox = pushOutbox(sql);

  return {
    /** The follower's last 20 messages, newest first, each with what answered it and what it showed. */
    async messages(account: string, user: string): Promise<FollowerMessage[]> {
      const rows = await sql.all<MessageRow>(MESSAGES_SQL, [account, user, MESSAGES]);
      return Promise.all(rows.map(async (m) => {
        const ids = m.result_ids ? (JSON.parse(m.result_ids) as string[]) : [];
        const shown = await Promise.all(ids.map(async (id) => ({ id, title: (await sql.get<{ title: string }>(TITLE, [account, id, account, id, account, id]))?.title ?? null })));
        return {
          id: m.id, at: m.created_at, text: m.text, intent: m.intent, answeredBy: m.answered_by,
          rule: m.rule_id !== null && m.rule_name !== null ? { id: m.rule_id, name: m.rule_name } : null,
          shown,
        };
      }));
    },
    /** The follower's last 10 orders, newest first, and how many they placed in all. */
    async orders(account: string, user: string): Promise<{ orders: FollowerOrder[]; total: number }> {
      const [rows, count] = await Promise.all([
        sql.all<OrderRow>(ORDERS_SQL, [account, user, ORDERS]),
        sql.get<{ n: number }>('SELECT count(*) AS n FROM orders WHERE account = ? AND user_id = ?', [account, user]),
      ]);
      return {
        orders: rows.map((o) => ({ id: o.id, status: o.status, totalFen: o.total_fen, items: o.items ?? '', store: o.store_id, createdAt: o.created_at })),
        total: count!.n,
      };
    },
    /** The last 20 entries of the send ledger for the follower, newest first. */
    async pushes(account: string, user: string): Promise<FollowerPush[]> {
      return (await sql.all<PushRow>(PUSHES_SQL, [account, user, PUSHES])).map((p) => ({
        id: p.id, at: p.sent_at, kind: p.kind, channel: p.channel, outcome: p.outcome,
        broadcast: p.broadcast_id !== null && p.name !== null ? { id: p.broadcast_id, name: p.name } : null,
        what: p.kind === 'answer' ? (p.source ?? '') : summary(p.message),
      }));
    },
    /**
     * What may still reach the follower at `now`: the 48-hour window after their last message and the customer-service
     * messages left in it (every custom send since that message counts, as the planner counts), and this week's pushes.
     */
    async allowance(account: string, lastMessageAt: number | null, user: string, now: number): Promise<FollowerAllowance> {
      const c = (await sql.get<{ cs: number; week: number }>(COUNTS, [lastMessageAt ?? Number.MAX_SAFE_INTEGER, now - WEEK_MS, account, user]))!;
      const open = lastMessageAt !== null && now - lastMessageAt < CS_WINDOW_MS;
      return {
        windowEndsAt: lastMessageAt === null ? null : lastMessageAt + CS_WINDOW_MS,
        windowOpen: open,
        customerServiceUsed: open ? c.cs : 0,
        customerServiceLeft: open ? Math.max(0, CS_QUOTA - c.cs) : 0,
        customerServiceQuota: CS_QUOTA,
        pushesThisWeek: c.week,
        weeklyCap: (await outbox.settings(account)).weeklyCap,
      };
    },
  };
}
