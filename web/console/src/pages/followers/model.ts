/** 粉丝: what the API answers about followers (src/admin/routes/followers.ts), and their words on screen. */

export interface Follower {
  openid: string;
  channel: string;
  subscribed: boolean;
  opted_out: boolean;
  store: string | null;
  tags: string[];
  first_scene: string | null;
  last_scene: string | null;
  subscribed_at: string | null;
  last_message_at: string | null;
  orders: number;
}

export interface FollowerPage {
  items: Follower[];
  next_cursor: string | null;
  total: number;
}

export interface Activity {
  subscriber: Follower;
  messages: {
    id: number;
    at: string;
    text: string;
    intent: string | null;
    answered_by: string | null;
    rule: { id: number; name: string } | null;
    shown: { id: string; title: string | null }[];
  }[];
  orders: { id: number; status: string; total_fen: number; items: string; store: string | null; created_at: string }[];
  orders_total: number;
  pushes: {
    id: number;
    at: string;
    kind: 'push' | 'answer';
    channel: 'custom' | 'mass';
    outcome: 'sent' | 'unknown';
    broadcast: { id: number; name: string } | null;
    what: string;
  }[];
  window: { ends_at: string | null; open: boolean; customer_service_used: number; customer_service_left: number; customer_service_quota: number };
  week: { pushes: number; cap: number };
}

/** The list's filters, as the address's query string holds them (so going back to the list keeps them). */
export interface Filters {
  store: string;
  tag: string;
  subscribed: '' | 'true' | 'false';
  opted_out: '' | 'true' | 'false';
  active_days: string;
  has_ordered: '' | 'true' | 'false';
}
const KEYS = ['store', 'tag', 'subscribed', 'opted_out', 'active_days', 'has_ordered'] as const;

export function filtersOf(search: string): Filters {
  const q = new URLSearchParams(search);
  const f = Object.fromEntries(KEYS.map((k) => [k, q.get(k) ?? ''])) as unknown as Filters;
  return f;
}

/** The filters as a query string without the empty ones: 'store=sh-jingan&tag=vip'. */
export function queryOf(f: Filters): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (f[k] !== '') q.set(k, f[k]);
  return q.toString();
}

/** The list's address as last shown, so a follower's page goes back to the same filters. */
let lastList = '/followers';
export const rememberList = (query: string): void => {
  lastList = query ? `/followers?${query}` : '/followers';
};
export const listAddress = (): string => lastList;

export const ORDER_STATUS: Readonly<Record<string, { label: string; color: string }>> = {
  placed: { label: '待确认', color: 'gold' },
  confirmed: { label: '已确认', color: 'blue' },
  shipped: { label: '已发货', color: 'cyan' },
  delivered: { label: '已送达', color: 'green' },
  cancelled: { label: '已取消', color: 'default' },
};

/** What sent a customer-service answer (the ledger's source). */
export const ANSWER_SOURCES: Readonly<Record<string, string>> = { late_answer: '迟到的回答', rule_reply: '规则的后续回复' };

/** 19900 → 「¥199.00」 */
export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

/** The store's tag (store:<id>) is the store attribution's: shown, not removable here. */
export const isStoreTag = (tag: string): boolean => tag.startsWith('store:');

