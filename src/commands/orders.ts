/**
 * `guang orders list|show|confirm|ship|deliver|cancel|export`: the merchant's orders from the command line,
 * on GUANG_DB directly, through the same order desk as the admin API (moves are recorded as `cli:NAME`).
 * Exit code: 0; 1 when refused (no such order, its status does not allow the move); 2 on a usage error.
 */
import { openDatabase } from '../db/open.ts';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { describeProblems, parseWith } from '../core/problems.ts';
import { accountId, type AccountId } from '../core/messages.ts';
import { eventToJson, orderToJson, type Names } from '../admin/routes/order-json.ts';
import { createStoreRegistry } from '../merchant/shops/registry.ts';
import { createOrderDesk, type OrderDesk } from '../orders/desk.ts';
import { exportFileName, orderExport, type ExportFormat, type ExportSheet } from '../orders/export/order-export.ts';
import { yuanText } from '../orders/export/columns.ts';
import { beijingTime, orderPeriod } from '../orders/export/period.ts';
import { ORDER_STATUSES, STATUS_ZH, type Order, type OrderAction, type OrderSource, type OrderStatus } from '../orders/model.ts';
import { cancelInputSchema, shipInputSchema } from '../orders/staff-input.ts';
import { databasePath } from './db-path.ts';
import { UsageError } from './usage-error.ts';

export interface OrdersFilterOptions {
  readonly account: string;
  readonly status?: OrderStatus;
  readonly store?: string;
  readonly referrer?: string;
  readonly from?: string;
  readonly to?: string;
  readonly phone?: string;
  readonly source?: OrderSource;
  /** The console's search box: an order number, the phone's last digits, or part of the receiver's name. */
  readonly search?: string;
}
export interface OrdersListOptions extends OrdersFilterOptions {
  readonly limit: number;
  readonly json?: boolean;
}
export interface OrdersShowOptions {
  readonly account: string;
  readonly json?: boolean;
}
export interface OrdersMoveOptions {
  readonly account: string;
  readonly by?: string;
  readonly json?: boolean;
  readonly carrier?: string;
  readonly trackingNo?: string;
  readonly reason?: string;
}
export interface OrdersExportOptions extends OrdersFilterOptions {
  readonly format: ExportFormat;
  readonly sheet: ExportSheet;
  readonly out?: string;
}
export type OrderVerb = 'confirm' | 'ship' | 'deliver' | 'cancel';

interface Ctx {
  readonly desk: OrderDesk;
  readonly account: AccountId;
  readonly names: Names;
}

/** The filters as the order store takes them; a bad date or phone is a usage error. */
function filterOf(o: OrdersFilterOptions) {
  const p = orderPeriod(o.from, o.to);
  if (!p.ok) throw new UsageError(p.en);
  if (o.phone !== undefined && !/^\d{3,11}$/.test(o.phone)) throw new UsageError('--phone: 3 to 11 digits (the whole number or its last digits)');
  const search = o.search?.trim() || undefined;
  if (search !== undefined && search.length > 30) throw new UsageError('--search: at most 30 characters');
  return { account: accountId(o.account), status: o.status, storeId: o.store, referrer: o.referrer, phone: o.phone, source: o.source, search, from: p.period.from, to: p.period.to };
}

const line = (o: Order, names: Names): string => {
  const who = [o.storeId ? (names.store(o.storeId) ?? o.storeId) : null, o.referrer ? `推荐人 ${names.referrer(o.referrer) ?? o.referrer}` : null].filter(Boolean).join(' ');
  const items = o.items.map((i) => `${i.title}${i.variant ? ` ${i.variant}` : ''} ×${i.quantity}`).join('，');
  return `#${o.id}  ${beijingTime(o.createdAt).slice(0, 16)}  ${STATUS_ZH[o.status]}  ¥${yuanText(o.totalFen)}  ${o.contact.receiver} ${o.contact.phone}${who ? `  ${who}` : ''}  — ${items}`;
};

export async function list(o: OrdersListOptions): Promise<number> {
  const filter = filterOf(o);
  return withDesk(o.account, async ({ desk, names }) => {
    const r = await desk.orders.list({ ...filter, limit: o.limit });
    if (o.json) {
      console.log(JSON.stringify({ items: r.orders.map((x) => orderToJson(x, names)), total: r.total, counts: r.counts }, null, 2));
      return 0;
    }
    if (r.total === 0) console.log('No orders match.');
    for (const x of r.orders) console.log(line(x, names));
    const counts = ORDER_STATUSES.map((s) => `${STATUS_ZH[s]} ${r.counts[s]}`).join('，');
    console.log(`${r.orders.length} of ${r.total} orders shown (${counts})`);
    return 0;
  });
}

export async function show(idText: string, o: OrdersShowOptions): Promise<number> {
  const id = orderId(idText);
  return withDesk(o.account, async ({ desk, names, account }) => {
    const order = await desk.orders.get(account, id);
    if (!order) return refuse(`no order ${id} in account ${account}`);
    await print(order, desk, names, o.json);
    return 0;
  });
}

export async function move(verb: OrderVerb, idText: string, o: OrdersMoveOptions): Promise<number> {
  const id = orderId(idText);
  const action = actionOf(verb, o);
  const by = (o.by ?? userInfo().username).trim() || 'cli';
  return withDesk(o.account, async ({ desk, names, account }) => {
    const r = await desk.act(account, id, action, { kind: 'staff', name: `cli:${by}` });
    if (!r.ok) return refuse(r.reason === 'not_found' ? `no order ${id} in account ${account}` : `order ${id}: ${r.message}`);
    if (o.json) await print(r.order, desk, names, true);
    else console.log(`Order ${id}: ${STATUS_ZH[r.from]} → ${STATUS_ZH[r.order.status]}`);
    return 0;
  });
}

export async function exportOrders(o: OrdersExportOptions): Promise<number> {
  const filter = filterOf(o);
  if (o.format === 'xlsx' && o.sheet !== 'orders') throw new UsageError('--sheet goes with --format csv (the workbook holds both sheets)');
  const out = o.out ?? exportFileName(filter, o.format, o.sheet);
  const sql = (await openDatabase(databasePath())).sql;
  try {
    const started = performance.now();
    const file = await orderExport(sql, filter, o.format, o.sheet);
    writeFileSync(out, file.body);
    console.log(`Wrote ${out}: ${file.lines} order lines in ${Math.round(performance.now() - started)} ms`);
    return 0;
  } finally {
    await sql.close();
  }
}

function actionOf(verb: OrderVerb, o: OrdersMoveOptions): OrderAction {
  if (verb === 'ship') {
    const r = parseWith(shipInputSchema, { carrier: o.carrier, tracking_no: o.trackingNo });
    if (!r.ok) throw new UsageError(describeProblems(r.problems).replace('carrier', '--carrier').replace('tracking_no', '--tracking-no'));
    return { kind: 'ship', carrier: r.value.carrier, trackingNo: r.value.tracking_no };
  }
  if (verb === 'cancel') {
    const r = parseWith(cancelInputSchema, { reason: o.reason });
    if (!r.ok) throw new UsageError(describeProblems(r.problems).replace('reason', '--reason'));
    return { kind: 'cancel', reason: r.value.reason };
  }
  return { kind: verb };
}

function orderId(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`the order number: a whole number such as 1234, not ${JSON.stringify(text)}`);
  return n;
}

async function print(order: Order, desk: OrderDesk, names: Names, json: boolean | undefined): Promise<void> {
  const history = await desk.orders.events(order.id);
  if (json) {
    console.log(JSON.stringify({ ...orderToJson(order, names), history: history.map(eventToJson) }, null, 2));
    return;
  }
  const o = orderToJson(order, names);
  const rows = [
    `订单 ${o.id}  ${o.status_zh}  ${beijingTime(order.createdAt)}`,
    `收货人 ${o.receiver}  ${o.phone}`,
    `地址 ${o.address}`,
    ...order.items.map((i) => `  ${i.title}${i.variant ? ` ${i.variant}` : ''} ×${i.quantity}  ¥${yuanText(i.unitFen)}`),
    `商品 ¥${yuanText(o.items_fen)}  运费 ¥${yuanText(o.shipping_fen)}  合计 ¥${yuanText(o.total_fen)}（${order.payment.method === 'cod' ? '货到付款' : order.payment.method}）`,
    ...(o.remark ? [`备注 ${o.remark}`] : []),
    ...(o.store ? [`门店 ${o.store.name ?? o.store.id}`] : []),
    ...(o.referrer ? [`推荐人 ${o.referrer.name ?? o.referrer.code}`] : []),
    ...(o.shipment ? [`快递 ${o.shipment.carrier} ${o.shipment.tracking_no}`] : []),
    ...(o.cancel_reason ? [`取消原因 ${o.cancel_reason}`] : []),
    'History:',
    ...history.map((e) => `  ${beijingTime(e.at)}  ${e.who}  ${e.action}${e.detail ? `  ${e.detail}` : ''}`),
  ];
  console.log(rows.join('\n'));
}

function refuse(message: string): number {
  console.error(`guang orders: ${message}`);
  return 1;
}

async function withDesk(account: string, use: (ctx: Ctx) => Promise<number>): Promise<number> {
  const sql = (await openDatabase(databasePath())).sql;
  try {
    const desk = createOrderDesk(sql);
    const storeNames = await createStoreRegistry(sql).names(account);
    const acc = accountId(account);
    const referrers = new Map((await desk.referrers.list(acc)).map((r) => [r.code, r.name]));
    const names: Names = {
      store: (id) => storeNames.get(id) ?? null,
      referrer: (code) => referrers.get(code) ?? null,
    };
    return await use({ desk, account: acc, names });
  } finally {
    // After the pending writes have committed.
    await sql.close();
  }
}
