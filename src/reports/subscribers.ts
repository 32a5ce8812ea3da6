/** Followers as the admin API lists them: follow state, store, tags, last contact. Read-only. */
import type { Db } from '../db/db.ts';
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

const bit = (b: boolean | undefined): number | null => (b === undefined ? null : b ? 1 : 0);

export function createSubscriberQueries(db: Db) {
  const from = 'FROM subscribers s LEFT JOIN store_followers f ON f.account = s.account AND f.user_id = s.user_id';
  const select = `
    SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.first_scene, s.last_scene, s.subscribed_at, s.last_message_at,
      f.store_id,
      (SELECT count(*) FROM orders o WHERE o.account = s.account AND o.user_id = s.user_id) AS orders,
      (SELECT json_group_array(t.tag) FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id) AS tags
    ${from}`;
  const ordered = 'EXISTS (SELECT 1 FROM orders o WHERE o.account = s.account AND o.user_id = s.user_id)';
  const where = `s.account = @account AND ${realFollowerSql('s.user_id')}
      AND (@store IS NULL OR f.store_id = @store)
      AND (@subscribed IS NULL OR s.subscribed = @subscribed)
      AND (@optedOut IS NULL OR s.opted_out = @optedOut)
      AND (@activeSince IS NULL OR s.last_message_at >= @activeSince)
      AND (@hasOrdered IS NULL OR ${ordered} = @hasOrdered)
      AND (@tag IS NULL OR EXISTS (SELECT 1 FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id AND t.tag = @tag))`;
  const list = db.prepare<Record<string, unknown>, Row>(`${select} WHERE ${where} AND s.user_id > @after ORDER BY s.user_id LIMIT @limit`);
  const count = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n ${from} WHERE ${where}`);
  const params = (account: string, f: SubscriberFilter) => ({
    account, store: f.store ?? null, tag: f.tag ?? null, subscribed: bit(f.subscribed), optedOut: bit(f.optedOut),
    activeSince: f.activeSince ?? null, hasOrdered: bit(f.hasOrdered),
  });
  const one = db.prepare<[string, string], Row>(`${select} WHERE s.account = ? AND s.user_id = ?`);
  return {
    /** A page of followers by openid, `limit` rows after `after`. */
    list(account: string, filter: SubscriberFilter, options: { limit: number; after?: string | undefined }): SubscriberView[] {
      return list.all({ ...params(account, filter), after: options.after ?? '', limit: options.limit }).map(fromRow);
    },
    /** How many followers the filter matches (every page together). */
    count(account: string, filter: SubscriberFilter): number {
      return count.get(params(account, filter))!.n;
    },
    get(account: string, openid: string): SubscriberView | null {
      const row = one.get(account, openid);
      return row ? fromRow(row) : null;
    },
  };
}
