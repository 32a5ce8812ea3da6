/**
 * Orders in the database: placing one (prices from the catalogue, stock reserved in the same transaction),
 * changing its status (stock released on cancel), notes, the history of every change, the follower's
 * remembered contact, and the merchant's list with filters. Every write is one transaction; `hooks` run inside
 * it, so a notice enqueued for an order lands with the order or not at all.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { AccountId, Channel, UserId } from '../core/messages.ts';
import { accountId, userId } from '../core/messages.ts';
import type { Db } from '../db/db.ts';
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

/** Run inside the transaction of each write: enqueue notices here (at least once, with the order or never). */
export interface OrderHooks {
  placed?(order: Order): void;
  changed?(order: Order, from: OrderStatus, action: OrderAction, actor: Actor): void;
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

/**
 * @example
 * const orders = createOrderStore(db);
 * const r = orders.place({ account, user, channel: 'wechat', source: 'chat', items: [{ sku: 'W1', variant: 'M', quantity: 1 }], contact, remark: null, storeId: null, referrer: null, query: '女装' });
 */
export function createOrderStore(db: Db, options: { clock?: Clock; hooks?: OrderHooks } = {}) {
  const clock = options.clock ?? systemClock;
  const hooks = options.hooks ?? {};

  const product = db.prepare<[string, string], { title: string; price_fen: number; stock: number | null; variants: string | null }>(
    'SELECT title, price_fen, stock, variants FROM products WHERE account = ? AND sku = ? AND deleted = 0 AND off_sale = 0',
  );
  const bumpCatalogueRev = db.prepare<[], { rev: number }>('UPDATE catalogue_rev SET rev = rev + 1 WHERE id = 1 RETURNING rev');
  // Conditional: the check and the decrement are one statement, so no two orders can take the last one.
  const reserve = db.prepare<{ account: string; sku: string; qty: number; rev: number; now: number }>(`
    UPDATE products SET stock = stock - @qty, rev = @rev, updated_at = @now
    WHERE account = @account AND sku = @sku AND deleted = 0 AND stock IS NOT NULL AND stock >= @qty`);
  const release = db.prepare<{ account: string; sku: string; qty: number; rev: number; now: number }>(`
    UPDATE products SET stock = stock + @qty, rev = @rev, updated_at = @now
    WHERE account = @account AND sku = @sku AND stock IS NOT NULL`);
  const insertOrder = db.prepare<Record<string, unknown>, { id: number }>(`
    INSERT INTO orders (account, user_id, channel, source, status, payment_method, payment_status, receiver, phone, address, remark,
      items_fen, shipping_fen, total_fen, store_id, referrer, query, idempotency_key, created_at, updated_at)
    VALUES (@account, @user, @channel, @source, 'placed', @payment, 'unpaid', @receiver, @phone, @address, @remark,
      @itemsFen, @shippingFen, @totalFen, @storeId, @referrer, @query, @key, @now, @now)
    RETURNING id`);
  const insertItem = db.prepare(`
    INSERT INTO order_items (order_id, line, sku, title, variant, unit_fen, quantity) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = db.prepare(`INSERT INTO order_events (order_id, account, at, who, action, detail) VALUES (?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[string, number], OrderRow>('SELECT * FROM orders WHERE account = ? AND id = ?');
  const byKey = db.prepare<[string, string], OrderRow>('SELECT * FROM orders WHERE account = ? AND idempotency_key = ?');
  const itemsOf = db.prepare<[number], ItemRow>('SELECT * FROM order_items WHERE order_id = ? ORDER BY line');
  const pendingSince = db.prepare<[string, string, number], { n: number }>(
    `SELECT count(*) AS n FROM orders WHERE account = ? AND user_id = ? AND status = 'placed' AND created_at > ?`,
  );
  const eventsOf = db.prepare<[number], { id: number; order_id: number; at: number; who: string; action: string; detail: string | null }>(
    'SELECT id, order_id, at, who, action, detail FROM order_events WHERE order_id = ? ORDER BY id',
  );
  const contactOf = db.prepare<[string, string], { receiver: string; phone: string; address: string }>(
    'SELECT receiver, phone, address FROM order_contacts WHERE account = ? AND user_id = ?',
  );
  const saveContact = db.prepare(`
    INSERT INTO order_contacts (account, user_id, receiver, phone, address, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (account, user_id) DO UPDATE SET receiver = excluded.receiver, phone = excluded.phone, address = excluded.address,
      updated_at = excluded.updated_at`);

  const load = (row: OrderRow | undefined): Order | null => (row ? fromRow(row, itemsOf.all(row.id).map(itemFromRow)) : null);

  /** The checks and reservations of one order; throws Refused to roll the transaction back. */
  const placeInTransaction = (input: PlaceOrder): PlaceResult => {
    const now = clock.now();
    const key = input.idempotencyKey ?? null;
    if (key !== null) {
      const existing = byKey.get(input.account, key);
      if (existing) return existing.user_id === input.user ? { ok: true, order: load(existing)!, created: false } : { ok: false, reason: 'key_reused' };
    }
    const limit = input.maxPendingPerHour ?? null;
    if (limit !== null && pendingSince.get(input.account, input.user, now - HOUR_MS)!.n >= limit) {
      return { ok: false, reason: 'too_many_pending', limit };
    }
    const lines: OrderItem[] = [];
    let rev: number | null = null;
    for (const want of input.items) {
      if (!Number.isInteger(want.quantity) || want.quantity < 1 || want.quantity > MAX_QUANTITY) throw new Refused({ ok: false, reason: 'quantity', sku: want.sku });
      const p = product.get(input.account, want.sku);
      if (!p) throw new Refused({ ok: false, reason: 'not_found', sku: want.sku });
      const variants = variantsFrom(p.variants);
      const variant = variants.length === 0 ? null : matchVariant(variants, want.variant);
      if (variants.length > 0 && variant === null) throw new Refused({ ok: false, reason: 'variant', sku: want.sku, title: p.title, variants });
      if (p.stock !== null) {
        rev ??= bumpCatalogueRev.get()!.rev;
        if (reserve.run({ account: input.account, sku: want.sku, qty: want.quantity, rev, now }).changes === 0) {
          throw new Refused({ ok: false, reason: 'out_of_stock', sku: want.sku, title: p.title, left: Math.max(0, p.stock) });
        }
      }
      lines.push({ sku: want.sku, title: p.title, variant, unitFen: p.price_fen, quantity: want.quantity });
    }
    const itemsFen = lines.reduce((sum, l) => sum + l.unitFen * l.quantity, 0);
    const shippingFen = input.shipping ? shippingFor(itemsFen, input.shipping) : 0;
    const { id } = insertOrder.get({
      account: input.account, user: input.user, channel: input.channel, source: input.source, payment: input.paymentMethod ?? 'cod',
      receiver: input.contact.receiver, phone: input.contact.phone, address: input.contact.address, remark: input.remark,
      itemsFen, shippingFen, totalFen: itemsFen + shippingFen, storeId: input.storeId, referrer: input.referrer, query: input.query,
      key, now,
    })!;
    lines.forEach((l, i) => insertItem.run(id, i + 1, l.sku, l.title, l.variant, l.unitFen, l.quantity));
    insertEvent.run(id, input.account, now, 'follower', 'placed', `${input.source}:${input.channel}`);
    saveContact.run(input.account, input.user, input.contact.receiver, input.contact.phone, input.contact.address, now);
    const order = load(byId.get(input.account, id))!;
    hooks.placed?.(order);
    return { ok: true, order, created: true };
  };

  const placeTx = db.transaction((input: PlaceOrder): PlaceResult => placeInTransaction(input));

  const actTx = db.transaction((account: AccountId, id: number, action: OrderAction, actor: Actor): ActResult => {
    const row = byId.get(account, id);
    if (!row) return { ok: false, reason: 'not_found' };
    if (actor.kind === 'follower' && row.user_id !== actor.user) return { ok: false, reason: 'not_found' };
    const before = load(row)!;
    const t = transition(row.status, action, actor);
    if (!t.ok) return { ok: false, reason: 'refused', message: t.reason, messageZh: t.reasonZh, order: before };
    const now = clock.now();
    const set: Record<string, unknown> = { status: t.to, updated_at: now };
    let detail: string | null = null;
    switch (action.kind) {
      case 'confirm':
        set.confirmed_at = now;
        break;
      case 'ship':
        set.shipped_at = now;
        set.carrier = action.carrier;
        set.tracking_no = action.trackingNo;
        if (row.confirmed_at === null) set.confirmed_at = now;
        detail = `${action.carrier} ${action.trackingNo}`;
        break;
      case 'deliver':
        set.delivered_at = now;
        // Cash on delivery: the money changes hands at the door.
        if (row.payment_method === 'cod') set.payment_status = 'paid';
        break;
      case 'cancel': {
        set.cancelled_at = now;
        set.cancel_reason = action.reason;
        detail = action.reason;
        if (isOpen(row.status)) {
          let rev: number | null = null;
          for (const item of before.items) {
            rev ??= bumpCatalogueRev.get()!.rev;
            release.run({ account, sku: item.sku, qty: item.quantity, rev, now });
          }
        }
        break;
      }
    }
    const columns = Object.keys(set);
    db.prepare(`UPDATE orders SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...set, id });
    insertEvent.run(id, account, now, actorName(actor), action.kind, detail);
    const order = load(byId.get(account, id))!;
    hooks.changed?.(order, row.status, action, actor);
    return { ok: true, order, from: row.status };
  });

  return {
    /**
     * Places an order: each item's price and title from the catalogue, its stock reserved (a product whose
     * stock is not counted is never short), the contact remembered for the next order. All or nothing.
     */
    place(input: PlaceOrder): PlaceResult {
      try {
        return placeTx.immediate(input);
      } catch (err) {
        if (err instanceof Refused) return err.result;
        throw err;
      }
    },
    /** Confirm, ship, deliver or cancel (cancel releases the stock an open order holds). */
    act(account: AccountId, id: number, action: OrderAction, actor: Actor): ActResult {
      return actTx.immediate(account, id, action, actor);
    },
    /** A staff note on the order's history. */
    note(account: AccountId, id: number, text: string, actor: Actor): Order | null {
      return db.transaction(() => {
        const row = byId.get(account, id);
        if (!row) return null;
        const now = clock.now();
        insertEvent.run(id, account, now, actorName(actor), 'note', text);
        db.prepare('UPDATE orders SET updated_at = ? WHERE id = ?').run(now, id);
        return load(byId.get(account, id));
      }).immediate();
    },
    get: (account: AccountId, id: number): Order | null => load(byId.get(account, id)),
    events: (orderId: number): OrderEvent[] =>
      eventsOf.all(orderId).map((e) => ({ id: e.id, orderId: e.order_id, at: e.at, who: e.who, action: e.action, detail: e.detail })),
    /** The follower's most recent orders, newest first. */
    ofFollower(account: AccountId, user: UserId, limit = 5): Order[] {
      return this.list({ account, user, limit }).orders;
    },
    /** What the follower gave for their last order, or null. */
    contactOf: (account: AccountId, user: UserId): Contact | null => contactOf.get(account, user) ?? null,
    /** The merchant's list: newest first, with the total and the count per status under the same filter (but status). */
    list(filter: OrderFilter): { orders: Order[]; total: number; counts: Record<OrderStatus, number> } {
      // The counts per status are under the same filter, status aside (the tabs show every status's number).
      const { clauses: where, params } = orderWhere({ ...filter, status: undefined });
      const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
      for (const r of db.prepare<Record<string, unknown>, { status: OrderStatus; n: number }>(`SELECT status, count(*) AS n FROM orders WHERE ${where.join(' AND ')} GROUP BY status`).all(params)) {
        counts[r.status] = r.n;
      }
      if (filter.status !== undefined) (where.push('status = @status'), (params.status = filter.status));
      const sql = where.join(' AND ');
      const total = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM orders WHERE ${sql}`).get(params)!.n;
      const page = filter.before === undefined ? sql : `${sql} AND created_at <= @beforeAt AND (created_at < @beforeAt OR id < @beforeId)`;
      const rows = db
        .prepare<Record<string, unknown>, OrderRow>(`SELECT * FROM orders WHERE ${page} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`)
        .all({
          ...params, ...(filter.before ? { beforeAt: filter.before.createdAt, beforeId: filter.before.id } : {}),
          limit: Math.min(Math.max(filter.limit ?? 50, 1), 10_000), offset: Math.max(filter.offset ?? 0, 0),
        });
      return { orders: rows.map((r) => load(r)!), total, counts };
    },
  };
}

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
