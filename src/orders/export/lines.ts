/**
 * What an export holds: one line per ordered item (with its order's facts, the store's and referrer's names),
 * read over a join, oldest order first, a chunk at a time, so a million orders never sit in memory as objects; and the
 * sales summary, accumulated from the same lines as they pass.
 */
import type { Param, Sql } from '../../db/sql/sql.ts';
import type { Channel } from '../../core/messages.ts';
import type { OrderSource, OrderStatus } from '../model.ts';
import type { OrderFilter } from '../order-store.ts';
import { orderWhere } from '../order-where.ts';
import { beijingDay } from './period.ts';

export interface ExportLine {
  readonly orderId: number;
  readonly createdAt: number;
  readonly status: OrderStatus;
  readonly receiver: string;
  readonly phone: string;
  readonly address: string;
  readonly remark: string | null;
  readonly sku: string;
  readonly title: string;
  readonly variant: string | null;
  readonly quantity: number;
  readonly unitFen: number;
  readonly shippingFen: number;
  readonly totalFen: number;
  readonly storeId: string | null;
  readonly storeName: string | null;
  readonly referrer: string | null;
  readonly referrerName: string | null;
  readonly channel: Channel;
  readonly source: OrderSource;
  readonly carrier: string | null;
  readonly trackingNo: string | null;
}

/** The filter of an export: the list's, without paging. */
export type ExportFilter = Omit<OrderFilter, 'limit' | 'offset' | 'user'>;

/** The WHERE of a filter over `orders o`, with its parameters. */
function whereOf(f: ExportFilter): { sql: string; params: Param[] } {
  const { clauses, params } = orderWhere(f, 'o.');
  return { sql: clauses.join(' AND '), params };
}

/** Orders read per query: each chunk is read whole, so no statement stays open while the writer yields. */
const CHUNK_ORDERS = 1000;

/**
 * The export's lines, oldest order first, item by item, a page per chunk of orders read (keyset on created_at,
 * id). Not one long cursor: on SQLite a cursor open on the connection would hold up every write while the
 * writers yield to the event loop between rows (the webhook keeps answering during a large export); on
 * PostgreSQL it would hold a pooled connection and a snapshot for the whole export. Each chunk is a read of its
 * own: an order placed meanwhile is in the export if it falls after the chunk being read.
 */
export async function* exportPages(sql: Sql, f: ExportFilter): AsyncGenerator<readonly ExportLine[]> {
  const where = whereOf(f);
  // Quoted aliases: PostgreSQL folds unquoted names to lower case.
  const chunk = `
    SELECT o.id AS "orderId", o.created_at AS "createdAt", o.status, o.receiver, o.phone, o.address, o.remark,
      i.sku, i.title, i.variant, i.quantity, i.unit_fen AS "unitFen", o.shipping_fen AS "shippingFen", o.total_fen AS "totalFen",
      o.store_id AS "storeId", s.name AS "storeName", o.referrer, r.name AS "referrerName", o.channel, o.source,
      o.carrier, o.tracking_no AS "trackingNo"
    FROM (
      SELECT * FROM orders o WHERE ${where.sql} AND o.created_at >= ? AND (o.created_at > ? OR o.id > ?)
      ORDER BY o.created_at, o.id LIMIT ${CHUNK_ORDERS}
    ) o
    JOIN order_items i ON i.order_id = o.id
    LEFT JOIN stores s ON s.account = o.account AND s.id = o.store_id
    LEFT JOIN referrers r ON r.account = o.account AND r.code = o.referrer
    ORDER BY o.created_at, o.id, i.line`;
  let after = { afterAt: Number.MIN_SAFE_INTEGER, afterId: 0 };
  for (;;) {
    // `created_at >= …` first: a range on the (account, created_at) index, not a scan from the start per chunk.
    const lines = await sql.all<ExportLine>(chunk, [...where.params, after.afterAt, after.afterAt, after.afterId]);
    if (lines.length === 0) return;
    yield lines;
    const last = lines[lines.length - 1]!;
    after = { afterAt: last.createdAt, afterId: last.orderId };
  }
}

export type SummaryDimension = 'day' | 'product' | 'store' | 'referrer';

/** The dimensions as the summary sheet names them. */
export const DIMENSION_ZH: Readonly<Record<SummaryDimension, string>> = { day: '按日', product: '按商品', store: '按门店', referrer: '按推荐人' };

export interface SummaryRow {
  readonly dimension: SummaryDimension;
  /** The day, sku, store id or referrer code ('' for orders without a store or referrer). */
  readonly key: string;
  readonly name: string;
  readonly orders: number;
  readonly items: number;
  /** Goods sold, in fen (shipping not included). */
  readonly revenueFen: number;
}

/**
 * The sales summary of the lines given to `add` (cancelled orders left out): orders, items and revenue per
 * Beijing day, product, store and referrer. Pure; lines must come order by order (as `exportPages` gives them).
 * @example const s = salesSummary(); for (const l of lines) s.add(l); s.rows()
 */
export function salesSummary() {
  type Acc = { name: string; orders: number; items: number; revenueFen: number; lastOrder: number };
  const by: Record<SummaryDimension, Map<string, Acc>> = { day: new Map(), product: new Map(), store: new Map(), referrer: new Map() };
  const bump = (dimension: SummaryDimension, key: string, name: string, line: ExportLine) => {
    let acc = by[dimension].get(key);
    if (!acc) by[dimension].set(key, (acc = { name, orders: 0, items: 0, revenueFen: 0, lastOrder: -1 }));
    // An order counts once per key, however many of its lines fall under it.
    if (acc.lastOrder !== line.orderId) (acc.orders += 1), (acc.lastOrder = line.orderId);
    acc.name = name;
    acc.items += line.quantity;
    acc.revenueFen += line.unitFen * line.quantity;
  };
  return {
    add(line: ExportLine): void {
      if (line.status === 'cancelled') return;
      const day = beijingDay(line.createdAt);
      bump('day', day, day, line);
      bump('product', line.sku, line.title, line);
      bump('store', line.storeId ?? '', line.storeName ?? line.storeId ?? '（无门店）', line);
      bump('referrer', line.referrer ?? '', line.referrerName ?? line.referrer ?? '（无推荐人）', line);
    },
    /** Days in order; products, stores and referrers by revenue, largest first. */
    rows(): SummaryRow[] {
      return (Object.keys(by) as SummaryDimension[]).flatMap((dimension) => {
        const rows = [...by[dimension]].map(([key, a]) => ({ dimension, key, name: a.name, orders: a.orders, items: a.items, revenueFen: a.revenueFen }));
        return dimension === 'day' ? rows.sort((a, b) => a.key.localeCompare(b.key)) : rows.sort((a, b) => b.revenueFen - a.revenueFen || a.key.localeCompare(b.key));
      });
    },
  };
}
