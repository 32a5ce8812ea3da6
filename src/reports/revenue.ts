/**
 * Revenue of the orders placed in a period, per store, referrer or Beijing day, and in total. Money is integer
 * fen: `revenueFen` is what followers pay (goods and shipping, cash on delivery) for the orders not cancelled;
 * `deliveredFen` the part of it already delivered (the money in hand). Cancelled orders are counted apart and
 * add nothing. The console's test followers' orders are not counted.
 */
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import type { Db } from '../db/db.ts';
import { countIf, dayOf } from '../db/sql/fragments.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Param, Sql } from '../db/sql/sql.ts';
import { realFollowerSql } from '../core/test-follower.ts';
import type { Period } from './reports.ts';

export const REVENUE_DIMENSIONS = ['store', 'referrer', 'day'] as const;
export type RevenueDimension = (typeof REVENUE_DIMENSIONS)[number];

export interface RevenueCounts {
  /** Orders placed and not cancelled. */
  readonly orders: number;
  /** Orders placed and cancelled since. */
  readonly cancelled: number;
  /** Pieces in the orders not cancelled (the sum of quantities). */
  readonly items: number;
  /** What the orders not cancelled come to, shipping included, in fen. */
  readonly revenueFen: number;
  /** Of those, the orders delivered and what they come to. */
  readonly deliveredOrders: number;
  readonly deliveredFen: number;
}

export interface RevenueRow extends RevenueCounts {
  /** The store id or referrer code (null: none), or the Beijing day. */
  readonly key: string | null;
  /** The store's or the referrer's name (null for a day, for none, or when it is gone). */
  readonly name: string | null;
}

const KEYS = (dialect: Sql['dialect']): Readonly<Record<RevenueDimension | 'total', { key: string; name: string; join: string }>> => ({
  total: { key: 'NULL', name: 'NULL', join: '' },
  day: { key: dayOf(dialect, 'o.created_at', SHANGHAI_OFFSET_MS), name: 'NULL', join: '' },
  store: { key: 'o.store_id', name: 's.name', join: 'LEFT JOIN stores s ON s.account = o.account AND s.id = o.store_id' },
  referrer: { key: 'o.referrer', name: 'r.name', join: 'LEFT JOIN referrers r ON r.account = o.account AND r.code = o.referrer' },
});

const KEPT = `o.status <> 'cancelled'`;

/** Parameters: account, from, to, then the store when `store` (a shape of its own rather than `? IS NULL OR …`). */
function revenueSql(dialect: Sql['dialect'], by: RevenueDimension | 'total', store: boolean): string {
  const k = KEYS(dialect)[by];
  // The day ascending; a store or referrer by revenue, then by key, with "none" last. (PostgreSQL orders by an
  // output column only by its bare name, so "none last" is written over the key's own expression.)
  const order = by === 'day' ? 'key' : by === 'total' ? '1' : `${k.key} IS NULL, revenue_fen DESC, key`;
  return `SELECT ${k.key} AS key, ${k.name} AS name,
      sum(${countIf(KEPT)}) AS orders, sum(${countIf("o.status = 'cancelled'")}) AS cancelled,
      coalesce(sum(CASE WHEN ${KEPT} THEN (SELECT sum(i.quantity) FROM order_items i WHERE i.order_id = o.id) END), 0) AS items,
      coalesce(sum(CASE WHEN ${KEPT} THEN o.total_fen END), 0) AS revenue_fen,
      sum(${countIf("o.status = 'delivered'")}) AS delivered_orders,
      coalesce(sum(CASE WHEN o.status = 'delivered' THEN o.total_fen END), 0) AS delivered_fen
    FROM orders o ${k.join}
    WHERE o.account = ? AND o.created_at >= ? AND o.created_at < ? AND ${realFollowerSql('o.user_id')}${store ? ' AND o.store_id = ?' : ''}
    GROUP BY 1, 2 ORDER BY ${order}`;
}

interface Row {
  key: string | null;
  name: string | null;
  orders: number | null;
  cancelled: number | null;
  items: number;
  revenue_fen: number;
  delivered_orders: number | null;
  delivered_fen: number;
}

const fromRow = (r: Row | undefined): RevenueCounts => ({
  orders: r?.orders ?? 0,
  cancelled: r?.cancelled ?? 0,
  items: r?.items ?? 0,
  revenueFen: r?.revenue_fen ?? 0,
  deliveredOrders: r?.delivered_orders ?? 0,
  deliveredFen: r?.delivered_fen ?? 0,
});

/** @example await createRevenue(sql).report('default', { from, to }, 'referrer') // { total, rows: [{ key: 'wangjie', name: '王姐', revenueFen: 59800, … }] } */
export function createRevenue(db: Db | Sql) {
  const sql = asSql(db);
  const texts = new Map<string, string>();
  const statement = (by: RevenueDimension | 'total', store: boolean): string => {
    const id = `${by}:${store}`;
    let text = texts.get(id);
    if (text === undefined) texts.set(id, (text = revenueSql(sql.dialect, by, store)));
    return text;
  };
  return {
    /** The period's revenue in total and one row per store, referrer or day that had an order. `store`: only its orders. */
    async report(account: string, period: Period, by: RevenueDimension, store?: string): Promise<{ total: RevenueCounts; rows: RevenueRow[] }> {
      const p: Param[] = [account, period.from, period.to, ...(store === undefined ? [] : [store])];
      const [rows, total] = await Promise.all([sql.all<Row>(statement(by, store !== undefined), p), sql.get<Row>(statement('total', store !== undefined), p)]);
      return { total: fromRow(total), rows: rows.map((r) => ({ key: r.key, name: r.name, ...fromRow(r) })) };
    },
  };
}
