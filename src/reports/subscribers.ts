/** Followers as the admin API lists them: follow state, store, tags, last contact. Read-only. */
import type { Db } from '../db/db.ts';
import { asSql } from '../db/sql/sqlite.ts';
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

/**
 * The WHERE of a filter over `subscribers s` joined to `store_followers f`, with its parameters in order: a clause
 * for each filter given (a bounded set of shapes), rather than `? IS NULL OR …`, which PostgreSQL cannot type.
 */
function whereOf(account: string, f: SubscriberFilter): { where: string; params: Param[] } {
  const clauses = ['s.account = ?', realFollowerSql('s.user_id')];
  const params: Param[] = [account];
  const add = (clause: string, ...values: Param[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f.store !== undefined) add('f.store_id = ?', f.store);
  if (f.subscribed !== undefined) add('s.subscribed = ?', f.subscribed ? 1 : 0);
  if (f.optedOut !== undefined) add('s.opted_out = ?', f.optedOut ? 1 : 0);
  if (f.activeSince !== undefined) add('s.last_message_at >= ?', f.activeSince);
  if (f.hasOrdered !== undefined) add(`${f.hasOrdered ? '' : 'NOT '}EXISTS (SELECT 1 FROM orders o WHERE o.account = s.account AND o.user_id = s.user_id)`);
  if (f.tag !== undefined) add('EXISTS (SELECT 1 FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id AND t.tag = ?)', f.tag);
  return { where: clauses.join(' AND '), params };
}

/** A follower's tags as a JSON array of text ('[]' for none). */
const tagsJson = (dialect: Sql['dialect']): string =>
  dialect === 'postgres'
    ? "COALESCE((SELECT json_agg(t.tag)::text FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id), '[]')"
    : '(SELECT json_group_array(t.tag) FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id)';

/** @example await createSubscriberQueries(sql).list('default', { store: 'sh-jingan' }, { limit: 50 }) */
export function createSubscriberQueries(db: Db | Sql) {
  const sql = asSql(db);
  const from = 'FROM subscribers s LEFT JOIN store_followers f ON f.account = s.account AND f.user_id = s.user_id';
  const select = `
    SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.first_scene, s.last_scene, s.subscribed_at, s.last_message_at,
      f.store_id,
      (SELECT count(*) FROM orders o WHERE o.account = s.account AND o.user_id = s.user_id) AS orders,
      ${tagsJson(sql.dialect)} AS tags
    ${from}`;
  return {
    /** A page of followers by openid, `limit` rows after `after`. */
    async list(account: string, filter: SubscriberFilter, options: { limit: number; after?: string | undefined }): Promise<SubscriberView[]> {
      const { where, params } = whereOf(account, filter);
      const rows = await sql.all<Row>(`${select} WHERE ${where} AND s.user_id > ? ORDER BY s.user_id LIMIT ?`, [...params, options.after ?? '', options.limit]);
      return rows.map(fromRow);
    },
    /** How many followers the filter matches (every page together). */
    async count(account: string, filter: SubscriberFilter): Promise<number> {
      const { where, params } = whereOf(account, filter);
      return (await sql.get<{ n: number }>(`SELECT count(*) AS n ${from} WHERE ${where}`, params))!.n;
    },
    async get(account: string, openid: string): Promise<SubscriberView | null> {
      const row = await sql.get<Row>(`${select} WHERE s.account = ? AND s.user_id = ?`, [account, openid]);
      return row ? fromRow(row) : null;
    },
  };
}
