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
}

export interface SubscriberFilter {
  readonly store?: string | undefined;
  readonly tag?: string | undefined;
  readonly subscribed?: boolean | undefined;
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
});

export function createSubscriberQueries(db: Db) {
  const select = `
    SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.first_scene, s.last_scene, s.subscribed_at, s.last_message_at,
      f.store_id,
      (SELECT json_group_array(t.tag) FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id) AS tags
    FROM subscribers s LEFT JOIN store_followers f ON f.account = s.account AND f.user_id = s.user_id`;
  const list = db.prepare<Record<string, unknown>, Row>(`${select}
    WHERE s.account = @account AND s.user_id > @after AND ${realFollowerSql('s.user_id')}
      AND (@store IS NULL OR f.store_id = @store)
      AND (@subscribed IS NULL OR s.subscribed = @subscribed)
      AND (@tag IS NULL OR EXISTS (SELECT 1 FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id AND t.tag = @tag))
    ORDER BY s.user_id LIMIT @limit`);
  const one = db.prepare<[string, string], Row>(`${select} WHERE s.account = ? AND s.user_id = ?`);
  return {
    /** A page of followers by openid, `limit` rows after `after`. */
    list(account: string, filter: SubscriberFilter, options: { limit: number; after?: string | undefined }): SubscriberView[] {
      return list
        .all({
          account,
          after: options.after ?? '',
          store: filter.store ?? null,
          tag: filter.tag ?? null,
          subscribed: filter.subscribed === undefined ? null : filter.subscribed ? 1 : 0,
          limit: options.limit,
        })
        .map(fromRow);
    },
    get(account: string, openid: string): SubscriberView | null {
      const row = one.get(account, openid);
      return row ? fromRow(row) : null;
    },
  };
}
