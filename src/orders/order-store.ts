/**
 * Orders in the database (`Sql`: SQLite or PostgreSQL): placing one (prices from the catalogue, stock reserved in
 * the same transaction), changing its status (stock released on cancel), notes, the history of every change, the
 * follower's remembered contact, and the merchant's list with filters. Every write is one transaction; `hooks`
 * run inside it, so a notice enqueued for an order lands with the order or not at all.
 *
 * Safe with several instances on one PostgreSQL database (READ COMMITTED): stock is taken by a conditional
 * UPDATE (`stock >= qty`, judged by its `changes`), order numbers come from the sequence (`RETURNING id`), one
 * follower's placements take an advisory lock (the idempotency key and the pending limit are read-then-write),
 * and a status move is a compare-and-set on the status it was decided from.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { AccountId, Channel, UserId } from '../core/messages.ts';
import { accountId, userId } from '../core/messages.ts';
import type { Param, Sql, Tx } from '../db/sql/sql.ts';
import { takeNextRevision } from '../db/change-notices.ts';
import { orderWhere, type OrderWhere } from './order-where.ts';
import {
  actorName, isOpen, MAX_QUANTITY, ORDER_STATUSES, shippingFor, transition,
  type Actor, type Contact, type Order, type OrderAction, type OrderItem, type OrderSource, type OrderStatus, type PaymentMethodId, type PaymentStatus,
} from './model.ts';

export interface WantedItem {
  readonly sku: string;
  readonly variant: string | null;
  readonly quantity: number;
}

export interface PlaceOrder {
  readonly account: AccountId;
  readonly user: UserId;
  readonly channel: Channel;
  readonly source: OrderSource;
  readonly items: readonly WantedItem[];
  readonly contact: Contact;
  readonly remark: string | null;
  readonly paymentMethod?: PaymentMethodId;
  readonly storeId: string | null;
  readonly referrer: string | null;
  readonly query: string | null;
  /** A page submission's key: the same key again returns the order it made (a double tap makes one order). */
  readonly idempotencyKey?: string | null;
  /** Shipping rule (default: free). */
  readonly shipping?: { readonly shippingFen: number; readonly freeOverFen: number | null };
  /** Refuse when the follower already has this many orders placed (not yet confirmed) within the last hour. */
  readonly maxPendingPerHour?: number | null;
}

type PlaceRefusal =
  | { readonly ok: false; readonly reason: 'not_found'; readonly sku: string }
  | { readonly ok: false; readonly reason: 'out_of_stock'; readonly sku: string; readonly title: string; readonly left: number }
  | { readonly ok: false; readonly reason: 'variant'; readonly sku: string; readonly title: string; readonly variants: readonly string[] }
  | { readonly ok: false; readonly reason: 'quantity'; readonly sku: string }
  | { readonly ok: false; readonly reason: 'too_many_pending'; readonly limit: number }
  | { readonly ok: false; readonly reason: 'key_reused' };
export type PlaceResult = { readonly ok: true; readonly order: Order; readonly created: boolean } | PlaceRefusal;

export type ActResult =
  | { readonly ok: true; readonly order: Order; readonly from: OrderStatus }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'refused'; readonly message: string; readonly messageZh: string; readonly order: Order };

export interface OrderEvent {
  readonly id: number;
  readonly orderId: number;
  readonly at: number;
  readonly who: string;
  /** placed, confirm, ship, deliver, cancel, note */
  readonly action: string;
  readonly detail: string | null;
}

export interface OrderFilter extends OrderWhere {
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
  /** Keyset paging: only orders listed after this one (newest first), i.e. older than it. */
  readonly before?: { readonly createdAt: number; readonly id: number } | undefined;
}

/**
 * `placed` and `changed` run inside the transaction of each write, with its `tx`: enqueue notices there (at least
 * once, with the order or never; database only). `committed` runs after a placement or a move has committed.
 */
export interface OrderHooks {
  placed?(tx: Tx, order: Order): Promise<void>;
  changed?(tx: Tx, order: Order, from: OrderStatus, action: OrderAction, actor: Actor): Promise<void>;
  committed?(): void;
}

interface OrderRow {
  id: number;
  account: string;
  user_id: string;
  channel: Channel;
  source: OrderSource;
  status: OrderStatus;
  payment_method: PaymentMethodId;
  payment_status: PaymentStatus;
  receiver: string;
  phone: string;
  address: string;
  remark: string | null;
  items_fen: number;
  shipping_fen: number;
  total_fen: number;
  store_id: string | null;
  referrer: string | null;
  query: string | null;
  carrier: string | null;
  tracking_no: string | null;
  cancel_reason: string | null;
  idempotency_key: string | null;
  created_at: number;
  updated_at: number;
  confirmed_at: number | null;
  shipped_at: number | null;
  delivered_at: number | null;
  cancelled_at: number | null;
}

interface ItemRow {
  order_id: number;
  line: number;
  sku: string;
  title: string;
  variant: string | null;
  unit_fen: number;
  quantity: number;
}

const itemFromRow = (r: ItemRow): OrderItem => ({ sku: r.sku, title: r.title, variant: r.variant, unitFen: r.unit_fen, quantity: r.quantity });

const fromRow = (r: OrderRow, items: readonly OrderItem[]): Order => ({
  id: r.id,
  account: accountId(r.account),
  user: userId(r.user_id),
  channel: r.channel,
  source: r.source,
  status: r.status,
  payment: { method: r.payment_method, status: r.payment_status },
  contact: { receiver: r.receiver, phone: r.phone, address: r.address },
  remark: r.remark,
  items,
  itemsFen: r.items_fen,
  shippingFen: r.shipping_fen,
  totalFen: r.total_fen,
  storeId: r.store_id,
  referrer: r.referrer,
  query: r.query,
  shipment: r.carrier !== null && r.tracking_no !== null ? { carrier: r.carrier, trackingNo: r.tracking_no } : null,
  cancelReason: r.cancel_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  confirmedAt: r.confirmed_at,
  shippedAt: r.shipped_at,
  deliveredAt: r.delivered_at,
  cancelledAt: r.cancelled_at,
});

/** The product's variants column: a JSON array of names, or null. Anything else counts as none. */
function variantsFrom(json: string | null): readonly string[] {
  if (json === null) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  } catch {
    return [];
  }
}

const HOUR_MS = 3600_000;

/** A status move that lost a race (another instance moved the order first) decides again on what won; then gives up. */
const MOVE_ATTEMPTS = 3;

const PRODUCT = 'SELECT title, price_fen, stock, variants FROM products WHERE account = ? AND sku = ? AND deleted = 0 AND off_sale = 0';
// Conditional: the check and the decrement are one statement, so no two orders (of any instance) take the last one.
const RESERVE = `UPDATE products SET stock = stock - ?, rev = ?, updated_at = ?
  WHERE account = ? AND sku = ? AND deleted = 0 AND stock IS NOT NULL AND stock >= ?`;
const RELEASE = `UPDATE products SET stock = stock + ?, rev = ?, updated_at = ?
  WHERE account = ? AND sku = ? AND stock IS NOT NULL`;
const INSERT_ORDER = `INSERT INTO orders (account, user_id, channel, source, status, payment_method, payment_status, receiver, phone, address, remark,
    items_fen, shipping_fen, total_fen, store_id, referrer, query, idempotency_key, created_at, updated_at)
  VALUES (?, ?, ?, ?, 'placed', ?, 'unpaid', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  RETURNING id`;
const INSERT_ITEM = 'INSERT INTO order_items (order_id, line, sku, title, variant, unit_fen, quantity) VALUES (?, ?, ?, ?, ?, ?, ?)';
const INSERT_EVENT = 'INSERT INTO order_events (order_id, account, at, who, action, detail) VALUES (?, ?, ?, ?, ?, ?)';
const BY_ID = 'SELECT * FROM orders WHERE account = ? AND id = ?';
const BY_KEY = 'SELECT * FROM orders WHERE account = ? AND idempotency_key = ?';
const ITEMS_OF = 'SELECT * FROM order_items WHERE order_id = ? ORDER BY line';
const PENDING_SINCE = `SELECT count(*) AS n FROM orders WHERE account = ? AND user_id = ? AND status = 'placed' AND created_at > ?`;
const EVENTS_OF = 'SELECT id, order_id, at, who, action, detail FROM order_events WHERE order_id = ? ORDER BY id';
const CONTACT_OF = 'SELECT receiver, phone, address FROM order_contacts WHERE account = ? AND user_id = ?';
const SAVE_CONTACT = `INSERT INTO order_contacts (account, user_id, receiver, phone, address, updated_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (account, user_id) DO UPDATE SET receiver = excluded.receiver, phone = excluded.phone, address = excluded.address,
    updated_at = excluded.updated_at`;
const TOUCH = 'UPDATE orders SET updated_at = ? WHERE account = ? AND id = ?';

type Statements = Pick<Tx, 'all' | 'get' | 'run'>;

/**
 * @example
 * const orders = createOrderStore(sql);
 * const r = await orders.place({ account, user, channel: 'wechat', source: 'chat', items: [{ sku: 'W1', variant: 'M', quantity: 1 }], contact, remark: null, storeId: null, referrer: null, query: '女装' });
 */
export function createOrderStore(sql: Sql, options: { clock?: Clock; hooks?: OrderHooks } = {}) {
  const clock = options.clock ?? systemClock;
  const hooks = options.hooks ?? {};

  const load = async (on: Statements, row: OrderRow | undefined): Promise<Order | null> =>
    row ? fromRow(row, (await on.all<ItemRow>(ITEMS_OF, [row.id])).map(itemFromRow)) : null;
  const byId = (on: Statements, account: string, id: number) => on.get<OrderRow>(BY_ID, [account, id]);

  /** The checks and reservations of one order; throws Refused to roll the transaction back. */
  const placeIn = async (tx: Tx, input: PlaceOrder): Promise<PlaceResult> => {
    const now = clock.now();
    const key = input.idempotencyKey ?? null;
    if (key !== null) {
      const existing = await tx.get<OrderRow>(BY_KEY, [input.account, key]);
      if (existing) return existing.user_id === input.user ? { ok: true, order: (await load(tx, existing))!, created: false } : { ok: false, reason: 'key_reused' };
    }
    const limit = input.maxPendingPerHour ?? null;
    if (limit !== null && (await tx.get<{ n: number }>(PENDING_SINCE, [input.account, input.user, now - HOUR_MS]))!.n >= limit) {
      return { ok: false, reason: 'too_many_pending', limit };
    }
    const lines: OrderItem[] = [];
    let rev: number | null = null;
    for (const want of input.items) {
      if (!Number.isInteger(want.quantity) || want.quantity < 1 || want.quantity > MAX_QUANTITY) throw new Refused({ ok: false, reason: 'quantity', sku: want.sku });
      const p = await tx.get<{ title: string; price_fen: number; stock: number | null; variants: string | null }>(PRODUCT, [input.account, want.sku]);
      if (!p) throw new Refused({ ok: false, reason: 'not_found', sku: want.sku });
      const variants = variantsFrom(p.variants);
      const variant = variants.length === 0 ? null : matchVariant(variants, want.variant);
      if (variants.length > 0 && variant === null) throw new Refused({ ok: false, reason: 'variant', sku: want.sku, title: p.title, variants });
      if (p.stock !== null) {
        rev ??= await takeNextRevision(tx, 'catalogue_rev');
        if ((await tx.run(RESERVE, [want.quantity, rev, now, input.account, want.sku, want.quantity])).changes === 0) {
          // What is left now (another order may have taken it since the read above).
          const left = (await tx.get<{ stock: number | null }>('SELECT stock FROM products WHERE account = ? AND sku = ?', [input.account, want.sku]))?.stock ?? 0;
          throw new Refused({ ok: false, reason: 'out_of_stock', sku: want.sku, title: p.title, left: Math.max(0, left) });
        }
      }
      lines.push({ sku: want.sku, title: p.title, variant, unitFen: p.price_fen, quantity: want.quantity });
    }
    const itemsFen = lines.reduce((sum, l) => sum + l.unitFen * l.quantity, 0);
    const shippingFen = input.shipping ? shippingFor(itemsFen, input.shipping) : 0;
    const { id } = (await tx.get<{ id: number }>(INSERT_ORDER, [
      input.account, input.user, input.channel, input.source, input.paymentMethod ?? 'cod',
      input.contact.receiver, input.contact.phone, input.contact.address, input.remark,
      itemsFen, shippingFen, itemsFen + shippingFen, input.storeId, input.referrer, input.query, key, now, now,
    ]))!;
    for (const [i, l] of lines.entries()) await tx.run(INSERT_ITEM, [id, i + 1, l.sku, l.title, l.variant, l.unitFen, l.quantity]);
    await tx.run(INSERT_EVENT, [id, input.account, now, 'follower', 'placed', `${input.source}:${input.channel}`]);
    await tx.run(SAVE_CONTACT, [input.account, input.user, input.contact.receiver, input.contact.phone, input.contact.address, now]);
    const order = (await load(tx, await byId(tx, input.account, id)))!;
    await hooks.placed?.(tx, order);
    return { ok: true, order, created: true };
  };

  /** One status move; a lost compare-and-set (another instance moved it meanwhile) decides again on the new status. */
  const actIn = async (tx: Tx, account: AccountId, id: number, action: OrderAction, actor: Actor): Promise<ActResult> => {
    for (let attempt = 1; ; attempt++) {
      const row = await byId(tx, account, id);
      if (!row) return { ok: false, reason: 'not_found' };
      if (actor.kind === 'follower' && row.user_id !== actor.user) return { ok: false, reason: 'not_found' };
      const before = (await load(tx, row))!;
      const t = transition(row.status, action, actor);
      if (!t.ok) return { ok: false, reason: 'refused', message: t.reason, messageZh: t.reasonZh, order: before };
      const now = clock.now();
      const { columns, values, detail } = moveColumns(row, action, now);
      // Compare-and-set on the status read: of two instances moving the same order, one changes it.
      const moved = await tx.run(
        `UPDATE orders SET status = ?, updated_at = ?${columns.map((c) => `, ${c} = ?`).join('')} WHERE account = ? AND id = ? AND status = ?`,
        [t.to, now, ...values, account, id, row.status],
      );
      if (moved.changes === 0) {
        if (attempt < MOVE_ATTEMPTS) continue;
        throw new Error(`order ${id}: its status kept changing under this move; try again`);
      }
      // Only the move that changed the status releases the stock: never twice for one order.
      if (action.kind === 'cancel' && isOpen(row.status)) {
        let rev: number | null = null;
        for (const item of before.items) {
          rev ??= await takeNextRevision(tx, 'catalogue_rev');
          await tx.run(RELEASE, [item.quantity, rev, now, account, item.sku]);
        }
      }
      await tx.run(INSERT_EVENT, [id, account, now, actorName(actor), action.kind, detail]);
      const order = (await load(tx, await byId(tx, account, id)))!;
      await hooks.changed?.(tx, order, row.status, action, actor);
      return { ok: true, order, from: row.status };
    }
  };

  const store = {
    /**
     * Places an order: each item's price and title from the catalogue, its stock reserved (a product whose
     * stock is not counted is never short), the contact remembered for the next order. All or nothing, and one
     * follower's placements never overlap across instances (the idempotency key and the pending limit hold).
     */
    async place(input: PlaceOrder): Promise<PlaceResult> {
      let result: PlaceResult;
      try {
        result = await sql.transaction((tx) => placeIn(tx, input), { lock: `order-follower:${input.account}:${input.user}` });
      } catch (err) {
        if (err instanceof Refused) return err.result;
        throw err;
      }
      if (result.ok && result.created) hooks.committed?.();
      return result;
    },
    /** Confirm, ship, deliver or cancel (cancel releases the stock an open order holds). */
    async act(account: AccountId, id: number, action: OrderAction, actor: Actor): Promise<ActResult> {
      const result = await sql.transaction((tx) => actIn(tx, account, id, action, actor));
      if (result.ok) hooks.committed?.();
      return result;
    },
    /** A staff note on the order's history. */
    note(account: AccountId, id: number, text: string, actor: Actor): Promise<Order | null> {
      return sql.transaction(async (tx) => {
        const now = clock.now();
        if ((await tx.run(TOUCH, [now, account, id])).changes === 0) return null;
        await tx.run(INSERT_EVENT, [id, account, now, actorName(actor), 'note', text]);
        return load(tx, await byId(tx, account, id));
      });
    },
    get: async (account: AccountId, id: number): Promise<Order | null> => load(sql, await byId(sql, account, id)),
    events: async (orderId: number): Promise<OrderEvent[]> =>
      (await sql.all<{ id: number; order_id: number; at: number; who: string; action: string; detail: string | null }>(EVENTS_OF, [orderId]))
        .map((e) => ({ id: e.id, orderId: e.order_id, at: e.at, who: e.who, action: e.action, detail: e.detail })),
    /** The follower's most recent orders, newest first. */
    async ofFollower(account: AccountId, user: UserId, limit = 5): Promise<Order[]> {
      return (await store.list({ account, user, limit })).orders;
    },
    /** What the follower gave for their last order, or null. */
    contactOf: async (account: AccountId, user: UserId): Promise<Contact | null> =>
      (await sql.get<{ receiver: string; phone: string; address: string }>(CONTACT_OF, [account, user])) ?? null,
    /** The merchant's list: newest first, with the total and the count per status under the same filter (but status). */
    async list(filter: OrderFilter): Promise<{ orders: Order[]; total: number; counts: Record<OrderStatus, number> }> {
      // The counts per status are under the same filter, status aside (the tabs show every status's number).
      const { clauses: where, params } = orderWhere({ ...filter, status: undefined });
      const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
      for (const r of await sql.all<{ status: OrderStatus; n: number }>(`SELECT status, count(*) AS n FROM orders WHERE ${where.join(' AND ')} GROUP BY status`, params)) {
        counts[r.status] = r.n;
      }
      if (filter.status !== undefined) (where.push('status = ?'), params.push(filter.status));
      const text = where.join(' AND ');
      const total = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE ${text}`, params))!.n;
      const page = filter.before === undefined ? text : `${text} AND created_at <= ? AND (created_at < ? OR id < ?)`;
      const pageParams: Param[] = filter.before === undefined ? params : [...params, filter.before.createdAt, filter.before.createdAt, filter.before.id];
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 10_000);
      const offset = Math.max(filter.offset ?? 0, 0);
      const rows = await sql.all<OrderRow>(`SELECT * FROM orders WHERE ${page} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [...pageParams, limit, offset]);
      const items = await itemsOfOrders(sql, rows.map((r) => r.id));
      return { orders: rows.map((r) => fromRow(r, items.get(r.id) ?? [])), total, counts };
    },
  };
  return store;
}

/** The columns a move sets besides status and updated_at, by action: a bounded set of statement shapes. */
function moveColumns(row: OrderRow, action: OrderAction, now: number): { columns: string[]; values: Param[]; detail: string | null } {
  switch (action.kind) {
    case 'confirm':
      return { columns: ['confirmed_at'], values: [now], detail: null };
    case 'ship':
      return {
        columns: ['shipped_at', 'carrier', 'tracking_no', 'confirmed_at'],
        values: [now, action.carrier, action.trackingNo, row.confirmed_at ?? now],
        detail: `${action.carrier} ${action.trackingNo}`,
      };
    case 'deliver':
      // Cash on delivery: the money changes hands at the door.
      return { columns: ['delivered_at', 'payment_status'], values: [now, row.payment_method === 'cod' ? 'paid' : row.payment_status], detail: null };
    case 'cancel':
      return { columns: ['cancelled_at', 'cancel_reason'], values: [now, action.reason], detail: action.reason };
  }
}

/** The items of a page of orders in one query (not one per order): order id → its lines. */
async function itemsOfOrders(on: Statements, ids: readonly number[]): Promise<Map<number, OrderItem[]>> {
  const out = new Map<number, OrderItem[]>();
  // Chunks of a fixed size (padded with a never-used id): a few statement shapes, not one per page length.
  for (let i = 0; i < ids.length; i += ITEMS_CHUNK) {
    const chunk = ids.slice(i, i + ITEMS_CHUNK);
    const padded = [...chunk, ...Array<number>(ITEMS_CHUNK - chunk.length).fill(-1)];
    const rows = await on.all<ItemRow>(ITEMS_OF_CHUNK, padded);
    for (const r of rows) {
      let list = out.get(r.order_id);
      if (!list) out.set(r.order_id, (list = []));
      list.push(itemFromRow(r));
    }
  }
  return out;
}

const ITEMS_CHUNK = 50;
const ITEMS_OF_CHUNK = `SELECT * FROM order_items WHERE order_id IN (${Array(ITEMS_CHUNK).fill('?').join(', ')}) ORDER BY order_id, line`;

/** A refusal found part-way: thrown to roll back the reservations made so far, caught in `place`. */
class Refused extends Error {
  constructor(readonly result: PlaceRefusal) {
    super(result.reason);
  }
}

/**
 * The product's variant a follower meant: exact, then ignoring case and the usual suffixes (m → M, M码 → M,
 * 红 → 红色); null when none or several fit.
 */
export function matchVariant(variants: readonly string[], wanted: string | null): string | null {
  if (wanted === null) return null;
  const w = wanted.trim();
  if (variants.includes(w)) return w;
  const plain = (s: string) => s.toUpperCase().replace(/[码号色款\s]/g, '');
  const hits = variants.filter((v) => plain(v) === plain(w) && plain(w) !== '');
  return hits.length === 1 ? hits[0]! : null;
}
