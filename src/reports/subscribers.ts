/** Followers as the admin API lists them: follow state, store, tags, last contact. Read-only, on either database. */
import type { Param, Sql } from '../db/sql/sql.ts';
import { realFollowerSql } from '../core/test-follower.ts';

export interface SubscriberView {
  readonly openid: string;
  readonly channel: string;
  readonly subscribed: boolean;
  readonly optedOut: boolean;
  readonly store: string | null;
  readonly tags: string[];
  readonly firstScene: string | null;
  readonly lastScene: string | null;
  readonly subscribedAt: number | null;
  readonly lastMessageAt: number | null;
  /** How many orders they placed (any status). */
  readonly orders: number;
}

export interface SubscriberFilter {
  readonly store?: string | undefined;
  readonly tag?: string | undefined;
  readonly subscribed?: boolean | undefined;
  readonly optedOut?: boolean | undefined;
  /** Only those whose last message came at or after this time (ms). */
  readonly activeSince?: number | undefined;
  /** Only those who placed an order (true) or never did (false). */
  readonly hasOrdered?: boolean | undefined;
}

interface Row {
  user_id: string;
  channel: string;
  subscribed: number;
  opted_out: number;
  first_scene: string | null;
  last_scene: string | null;
  subscribed_at: number | null;
  last_message_at: number | null;
  store_id: string | null;
  tags: string;
  orders: number;
}

const fromRow = (r: Row): SubscriberView => ({
  openid: r.user_id,
  channel: r.channel,
  subscribed: r.subscribed === 1,
  optedOut: r.opted_out === 1,
  store: r.store_id,
  tags: (JSON.parse(r.tags) as (string | null)[]).filter((t): t is string => t !== null).sort(),
  firstScene: r.first_scene,
  lastScene: r.last_scene,
  subscribedAt: r.subscribed_at,
  lastMessageAt: r.last_message_at,
  orders: r.orders,
});

export const subscriberToJson = (s: SubscriberView) => ({
  openid: s.openid,
  channel: s.channel,
  subscribed: s.subscribed,
  opted_out: s.optedOut,
  store: s.store,
  tags: s.tags,
  first_scene: s.firstScene,
  last_scene: s.lastScene,
  subscribed_at: s.subscribedAt === null ? null : new Date(s.subscribedAt).toISOString(),
  last_message_at: s.lastMessageAt === null ? null : new Date(s.lastMessageAt).toISOString(),
  orders: s.orders,
});

export function createSubscriberQueries(sql: Sql) {
  const from = 'FROM subscribers s LEFT JOIN store_followers f ON f.account = s.account AND f.user_id = s.user_id';
  const tags = 'FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id';
  // The tags as a JSON array of text on both (json_agg gives NULL for none, json_group_array '[]').
  const tagList = sql.dialect === 'postgres' ? `(SELECT COALESCE(json_agg(t.tag), '[]'::json)::text ${tags})` : `(SELECT json_group_array(t.tag) ${tags})`;
  const select = `
    SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.first_scene, s.last_scene, s.subscribed_at, s.last_message_at,
      f.store_id,
      (SELECT count(*) FROM orders o WHERE o.account = s.account AND o.user_id = s.user_id) AS orders,
      ${tagList} AS tags
    ${from}`;
  const ordered = 'EXISTS (SELECT 1 FROM orders o WHERE o.account = s.account AND o.user_id = s.user_id)';
  /** Only the filters given (a parameter tested for NULL has no type PostgreSQL can infer). */
  const where = (account: string, f: SubscriberFilter): { text: string; params: Param[] } => {
    const parts = ['s.account = ?', realFollowerSql('s.user_id')];
    const params: Param[] = [account];
    const add = (part: string, value?: Param) => {
      parts.push(part);
      if (value !== undefined) params.push(value);
    };
    if (f.store !== undefined) add('f.store_id = ?', f.store);
    if (f.subscribed !== undefined) add('s.subscribed = ?', f.subscribed ? 1 : 0);
    if (f.optedOut !== undefined) add('s.opted_out = ?', f.optedOut ? 1 : 0);
    if (f.activeSince !== undefined) add('s.last_message_at >= ?', f.activeSince);
    if (f.hasOrdered !== undefined) add(f.hasOrdered ? ordered : `NOT ${ordered}`);
    if (f.tag !== undefined) add(`EXISTS (SELECT 1 ${tags} AND t.tag = ?)`, f.tag);
    return { text: parts.join(' AND '), params };
  };
  return {
    /** A page of followers by openid, `limit` rows after `after`. */
    async list(account: string, filter: SubscriberFilter, options: { limit: number; after?: string | undefined }): Promise<SubscriberView[]> {
      const w = where(account, filter);
      const rows = await sql.all<Row>(`${select} WHERE ${w.text} AND s.user_id > ? ORDER BY s.user_id LIMIT ?`, [...w.params, options.after ?? '', options.limit]);
      return rows.map(fromRow);
    },
    /** How many followers the filter matches (every page together). */
    async count(account: string, filter: SubscriberFilter): Promise<number> {
      const w = where(account, filter);
      return (await sql.get<{ n: number }>(`SELECT count(*) AS n ${from} WHERE ${w.text}`, w.params))!.n;
    },
    async get(account: string, openid: string): Promise<SubscriberView | null> {
      const row = await sql.get<Row>(`${select} WHERE s.account = ? AND s.user_id = ?`, [account, openid]);
      return row ? fromRow(row) : null;
    },
  };
}
