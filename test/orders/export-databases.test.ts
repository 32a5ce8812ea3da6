/**
 * The order export on both databases (issue 18): the same orders give the same lines, CSV and workbook — Beijing
 * times, yuan from integer fen, the sales summary without the cancelled — under the list's filters; thousands of
 * orders are read in chunks (times shared across a chunk's edge included) with every order once; and orders
 * another instance places during an export never make a line appear twice or an earlier order go missing.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { exportPages, type ExportFilter } from '../../src/orders/export/lines.ts';
import { orderExport } from '../../src/orders/export/order-export.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

const A = accountId('default');
/** Beijing 2026-12-01 10:00, 23:30, and 2026-12-02 00:30. */
const MORNING_1ST = Date.UTC(2026, 11, 1, 2, 0);
const LATE_1ST = Date.UTC(2026, 11, 1, 15, 30);
const EARLY_2ND = LATE_1ST + 3600_000;

type Item = [sku: string, title: string, variant: string | null, unitFen: number, quantity: number];
interface Seed {
  user: string;
  status: string;
  receiver?: string;
  channel?: string;
  source?: string;
  items: Item[];
  shippingFen: number;
  store: string | null;
  referrer: string | null;
  carrier?: string;
  trackingNo?: string;
  remark?: string;
  at: number;
}

async function order(sql: Sql, o: Seed): Promise<number> {
  const itemsFen = o.items.reduce((sum, [, , , unit, quantity]) => sum + unit * quantity, 0);
  return sql.transaction(async (tx) => {
    const row = await tx.get<{ id: number }>(
      `INSERT INTO orders (account, user_id, channel, source, status, receiver, phone, address, remark, items_fen, shipping_fen, total_fen, store_id, referrer, carrier, tracking_no, created_at, updated_at)
       VALUES ('default', ?, ?, ?, ?, ?, '13800138000', '上海市静安区愚园路1号', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [o.user, o.channel ?? 'wechat', o.source ?? 'chat', o.status, o.receiver ?? '张三', o.remark ?? null, itemsFen, o.shippingFen, itemsFen + o.shippingFen,
        o.store, o.referrer, o.carrier ?? null, o.trackingNo ?? null, o.at, o.at],
    );
    for (const [i, [sku, title, variant, unit, quantity]] of o.items.entries()) {
      await tx.run('INSERT INTO order_items (order_id, line, sku, title, variant, unit_fen, quantity) VALUES (?, ?, ?, ?, ?, ?, ?)', [row!.id, i + 1, sku, title, variant, unit, quantity]);
    }
    return row!.id;
  });
}

/** `n` orders of one item each for `account`, three at a time sharing a created_at (1 s apart), in one statement. */
async function bulk(sql: Sql, account: string, n: number, from: number): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
      INSERT INTO orders (account, user_id, channel, source, status, receiver, phone, address, items_fen, total_fen, created_at, updated_at)
      SELECT ?, 'o_' || i, 'wechat', 'chat', 'placed', '买家', '13900000000', '上海', 100, 100, CAST(? AS BIGINT) + (i / 3) * 1000, 0 FROM seq`, [n, account, from]);
    await tx.run("INSERT INTO order_items (order_id, line, sku, title, unit_fen, quantity) SELECT id, 1, 'P1', '商品', 100, 1 FROM orders WHERE account = ?", [account]);
  });
}

const DRESS = ['D1', '法式连衣裙'] as const;
const TEE = ['P2', '纯棉T恤'] as const;
const rowsOf = (csv: string | Buffer) => csv.toString().replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
const collect = async (sql: Sql, f: ExportFilter) => {
  const out = [];
  for await (const page of exportPages(sql, f)) out.push(...page);
  return out;
};

describe.each(DATABASES)('order export on $name', (database) => {
  const opened = openAll(database);
  let ids: { a: number; b: number; c: number };
  beforeAll(async () => {
    if (database.skip) return;
    const sql = opened.sql;
    await sql.run("INSERT INTO stores (account, id, name, created_at, updated_at) VALUES ('default', 'sh-jingan', '静安店', 0, 0)");
    await sql.run("INSERT INTO referrers (account, code, name, kind, created_at, updated_at) VALUES ('default', 'wangjie', '王姐', 'leader', 0, 0)");
    ids = {
      a: await order(sql, {
        user: 'o_a', status: 'shipped', items: [[...DRESS, 'M', 19_900, 2]], shippingFen: 0, store: 'sh-jingan', referrer: 'wangjie',
        carrier: '顺丰', trackingNo: 'SF100200', remark: '=1+1', at: MORNING_1ST,
      }),
      b: await order(sql, {
        user: 'o_b', status: 'placed', receiver: 'Amy', channel: 'wechaty', source: 'page', items: [[...TEE, null, 5_990, 1], [...DRESS, 'S', 19_900, 1]],
        shippingFen: 1000, store: null, referrer: null, at: LATE_1ST,
      }),
      c: await order(sql, { user: 'o_c', status: 'cancelled', items: [[...TEE, null, 5_990, 5]], shippingFen: 0, store: 'sh-jingan', referrer: null, at: EARLY_2ND }),
    };
  });

  it.skipIf(database.skip)('one CSV row per item, oldest order first, in Beijing time and yuan, names joined, formulas neutralised', async () => {
    const file = await orderExport(opened.sql, { account: A }, 'csv');
    expect([file.name, file.lines]).toEqual(['订单-all.csv', 4]);
    const rows = rowsOf(file.body);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toBe(`${ids.a},"2026-12-01 10:00:00","已发货","张三","13800138000","上海市静安区愚园路1号","法式连衣裙","M",2,199.00,398.00,0.00,398.00,"静安店","王姐","公众号","对话","顺丰","SF100200","'=1+1"`);
    expect(rows[2]).toBe(`${ids.b},"2026-12-01 23:30:00","待确认","Amy","13800138000","上海市静安区愚园路1号","纯棉T恤","",1,59.90,59.90,10.00,268.90,"","","微信群/个人号","网页","","",""`);
    expect(rows[3]).toContain(`${ids.b},"2026-12-01 23:30:00","待确认","Amy"`);
    expect(rows[3]).toContain('"法式连衣裙","S",1,199.00,199.00,10.00,268.90');
    expect(rows[4]).toContain(`${ids.c},"2026-12-02 00:30:00","已取消"`);
  });

  it.skipIf(database.skip)('the sales summary by day, product, store and referrer, the cancelled order left out', async () => {
    const file = await orderExport(opened.sql, { account: A }, 'csv', 'summary');
    expect(rowsOf(file.body)).toEqual([
      '"汇总方式","名称","编号","订单数","件数","销售额（元，不含运费）"',
      '"按日","2026-12-01","",2,4,656.90',
      '"按商品","法式连衣裙","D1",2,3,597.00',
      '"按商品","纯棉T恤","P2",1,1,59.90',
      '"按门店","静安店","sh-jingan",1,2,398.00',
      '"按门店","（无门店）","",1,2,258.90',
      '"按推荐人","王姐","wangjie",1,2,398.00',
      '"按推荐人","（无推荐人）","",1,2,258.90',
    ]);
  });

  it.skipIf(database.skip)('takes the list\'s filters: a name in any case, a store, a Beijing day, a status', async () => {
    const orderIds = async (f: Omit<ExportFilter, 'account'>) => (await collect(opened.sql, { account: A, ...f })).map((l) => l.orderId);
    expect(await orderIds({ search: 'amy' })).toEqual([ids.b, ids.b]);
    expect(await orderIds({ storeId: 'sh-jingan' })).toEqual([ids.a, ids.c]);
    expect(await orderIds({ from: EARLY_2ND - 30 * 60_000 })).toEqual([ids.c]);
    expect(await orderIds({ status: 'placed', to: EARLY_2ND })).toEqual([ids.b, ids.b]);
    expect(await orderIds({ phone: '0000' })).toEqual([]);
  });

  it.skipIf(database.skip)('the workbook: both sheets, numbers as numbers, yuan with two decimals', async () => {
    const file = await orderExport(opened.sql, { account: A, to: EARLY_2ND }, 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as unknown as ArrayBuffer);
    const orders = book.getWorksheet('订单')!;
    expect(orders.rowCount).toBe(4);
    expect([orders.getRow(2).getCell(1).value, orders.getRow(2).getCell(10).value, orders.getRow(2).getCell(10).numFmt]).toEqual([ids.a, 199, '0.00']);
    expect(book.getWorksheet('销售汇总')!.getRow(2).values).toEqual([undefined, '按日', '2026-12-01', undefined, 2, 4, 656.9]);
  });

  it.skipIf(database.skip)('2,500 orders in chunks: every order once, in (time, id) order, ties across a chunk\'s edge included', async () => {
    await bulk(opened.sql, 'bulk', 2500, MORNING_1ST);
    const lines = await collect(opened.sql, { account: accountId('bulk') });
    expect(lines).toHaveLength(2500);
    expect(new Set(lines.map((l) => l.orderId)).size).toBe(2500);
    const sorted = [...lines].sort((x, y) => x.createdAt - y.createdAt || x.orderId - y.orderId);
    expect(lines.map((l) => l.orderId)).toEqual(sorted.map((l) => l.orderId));
    const file = await orderExport(opened.sql, { account: accountId('bulk') }, 'csv', 'summary');
    expect(rowsOf(file.body)[1]).toBe('"按日","2026-12-01","",2500,2500,2500.00');
  });

  it.skipIf(database.skip)('orders another instance places during an export: no line twice, no earlier order missing', async () => {
    const race = accountId('race');
    await bulk(opened.sql, 'race', 2500, MORNING_1ST);
    const before = new Set((await opened.sql.all<{ id: number }>('SELECT id FROM orders WHERE account = ?', [race])).map((r) => r.id));
    const other = await opened.another();
    let done = false;
    const exported = orderExport(opened.sql, { account: race }, 'csv').then((f) => ((done = true), f));
    let placed = 0;
    while (!done) {
      // Some before the chunk being read, some after it: the keyset takes the later ones, never one twice.
      const at = MORNING_1ST + (placed % 2 ? 10_000_000 : 1000);
      await other.transaction(async (tx) => {
        const row = await tx.get<{ id: number }>(`INSERT INTO orders (account, user_id, channel, source, status, receiver, phone, address, items_fen, total_fen, created_at, updated_at)
          VALUES (?, 'o_late', 'wechat', 'chat', 'placed', '买家', '13900000000', '上海', 100, 100, ?, 0) RETURNING id`, [race, at]);
        await tx.run("INSERT INTO order_items (order_id, line, sku, title, unit_fen, quantity) VALUES (?, 1, 'P1', '商品', 100, 1)", [row!.id]);
      });
      placed += 1;
    }
    const exportedIds = rowsOf((await exported).body).slice(1).map((l) => Number(l.split(',')[0]));
    expect(new Set(exportedIds).size).toBe(exportedIds.length);
    expect([...before].filter((id) => !exportedIds.includes(id))).toEqual([]);
    expect(placed).toBeGreaterThan(0);
  });
});
