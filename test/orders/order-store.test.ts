/**
 * The order store on both databases (SQLite, PostgreSQL): prices from the catalogue, stock reserved with the
 * order and released on cancel, no oversell across instances, one order per idempotency key, the pending limit,
 * the status moves (compare-and-set across instances) and their history.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderStore, matchVariant, type PlaceOrder } from '../../src/orders/order-store.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

const A = accountId('default');
const U = userId('o-buyer-1');

interface Seed {
  readonly sku: string;
  readonly priceFen: number;
  readonly stock: number | null;
  readonly variants?: readonly string[];
}

const order = (over: Partial<PlaceOrder> = {}): PlaceOrder => ({
  account: A, user: U, channel: 'wechat', source: 'chat', items: [{ sku: 'P1', variant: null, quantity: 1 }],
  contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' }, remark: null, storeId: 'sh-jingan',
  referrer: null, query: '女装', ...over,
});

describe.each(DATABASES)('the order store on $name', (database) => {
  const opened = openAll(database);
  beforeEach(async () => {
    if (database.skip) return;
    // Children first (foreign keys).
    for (const table of ['order_notices', 'order_events', 'order_items', 'orders', 'order_contacts', 'products']) await opened.sql.run(`DELETE FROM ${table}`);
  });

  /** Products straight into the table (the catalogue store is SQLite's only, for now). */
  const seed = async (...products: Seed[]) => {
    for (const p of products) {
      await opened.sql.run(
        'INSERT INTO products (account, sku, title, category, price_fen, stock, variants, rev, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [A, p.sku, `商品${p.sku}`, '女装', p.priceFen, p.stock, p.variants ? JSON.stringify(p.variants) : null, 1, 1],
      );
    }
  };
  const stockOf = async (sku: string) => (await opened.sql.get<{ stock: number | null }>('SELECT stock FROM products WHERE sku = ?', [sku]))!.stock;
  const test = it.skipIf(database.skip);

  describe('placing an order', () => {
    test('takes the price and title from the catalogue, reserves stock and remembers the contact', async () => {
      await seed({ sku: 'P1', priceFen: 19900, stock: 3 });
      const orders = createOrderStore(opened.sql);
      const r = await orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 2 }], shipping: { shippingFen: 1000, freeOverFen: 50000 } }));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.order.items).toEqual([{ sku: 'P1', title: '商品P1', variant: null, unitFen: 19900, quantity: 2 }]);
      expect([r.order.itemsFen, r.order.shippingFen, r.order.totalFen]).toEqual([39800, 1000, 40800]);
      expect(r.order.status).toBe('placed');
      expect(r.order.payment).toEqual({ method: 'cod', status: 'unpaid' });
      expect(r.order.storeId).toBe('sh-jingan');
      expect(await stockOf('P1')).toBe(1);
      expect(await orders.contactOf(A, U)).toEqual({ receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' });
      expect((await orders.events(r.order.id)).map((e) => e.action)).toEqual(['placed']);
      expect(await orders.get(A, r.order.id)).toEqual(r.order);
    });

    test('refuses more than is left, an unknown product and a variant the product lacks, and changes nothing', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: 1 }, { sku: 'V1', priceFen: 100, stock: null, variants: ['S', 'M', 'L'] });
      const orders = createOrderStore(opened.sql);
      expect(await orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 2 }] }))).toMatchObject({ ok: false, reason: 'out_of_stock', left: 1 });
      expect(await orders.place(order({ items: [{ sku: 'NOPE', variant: null, quantity: 1 }] }))).toMatchObject({ ok: false, reason: 'not_found' });
      expect(await orders.place(order({ items: [{ sku: 'V1', variant: 'XXL', quantity: 1 }] }))).toMatchObject({ ok: false, reason: 'variant', variants: ['S', 'M', 'L'] });
      // The second item fails: the first item's reservation is rolled back with it.
      expect(await orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 1 }, { sku: 'V1', variant: null, quantity: 1 }] }))).toMatchObject({ reason: 'variant' });
      expect(await stockOf('P1')).toBe(1);
      expect((await orders.list({ account: A })).total).toBe(0);
      const m = await orders.place(order({ items: [{ sku: 'V1', variant: 'm码', quantity: 1 }] }));
      expect(m.ok && m.order.items[0]!.variant).toBe('M');
    });

    test('two instances placing orders for the last unit of stock make one order', async () => {
      await seed({ sku: 'LAST', priceFen: 9900, stock: 1 });
      const other = await opened.another();
      const [a, b] = await Promise.all([
        createOrderStore(opened.sql).place(order({ user: userId('o-a'), items: [{ sku: 'LAST', variant: null, quantity: 1 }] })),
        createOrderStore(other).place(order({ user: userId('o-b'), items: [{ sku: 'LAST', variant: null, quantity: 1 }] })),
      ]);
      expect([a, b].filter((r) => r.ok)).toHaveLength(1);
      expect([a, b].filter((r) => !r.ok && r.reason === 'out_of_stock')).toHaveLength(1);
      expect(await stockOf('LAST')).toBe(0);
      expect((await createOrderStore(opened.sql).list({ account: A })).total).toBe(1);
    });

    test('never sells more than the stock, and numbers every order once, with many placements from two instances', async () => {
      await seed({ sku: 'HOT', priceFen: 9900, stock: 5 });
      const stores = [createOrderStore(opened.sql), createOrderStore(await opened.another())];
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % 2]!.place(order({ user: userId(`o-${i}`), items: [{ sku: 'HOT', variant: null, quantity: 1 }] }))),
      );
      const placed = results.flatMap((r) => (r.ok ? [r.order.id] : []));
      expect(placed).toHaveLength(5);
      expect(new Set(placed).size).toBe(5);
      expect(results.filter((r) => !r.ok && r.reason === 'out_of_stock')).toHaveLength(25);
      expect(await stockOf('HOT')).toBe(0);
    });

    test('makes one order per idempotency key, and refuses a key another follower used', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: 10 });
      const orders = createOrderStore(opened.sql);
      const first = await orders.place(order({ idempotencyKey: 'k1', source: 'page' }));
      const again = await orders.place(order({ idempotencyKey: 'k1', source: 'page' }));
      expect(first.ok && again.ok && again.order.id === first.order.id && !again.created).toBe(true);
      expect(await orders.place(order({ user: userId('other'), idempotencyKey: 'k1' }))).toEqual({ ok: false, reason: 'key_reused' });
      expect(await stockOf('P1')).toBe(9);
    });

    test('makes one order of a double tap reaching two instances at once', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: 10 });
      const [a, b] = await Promise.all([
        createOrderStore(opened.sql).place(order({ idempotencyKey: 'tap', source: 'page' })),
        createOrderStore(await opened.another()).place(order({ idempotencyKey: 'tap', source: 'page' })),
      ]);
      expect(a.ok && b.ok && a.order.id === b.order.id && a.created !== b.created).toBe(true);
      expect(await stockOf('P1')).toBe(9);
    });

    test('refuses a follower over the limit of orders waiting for confirmation within an hour', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: null });
      let now = 1_000_000_000_000;
      const orders = createOrderStore(opened.sql, { clock: { now: () => now } });
      for (let i = 0; i < 3; i++) expect((await orders.place(order({ maxPendingPerHour: 3 }))).ok).toBe(true);
      expect(await orders.place(order({ maxPendingPerHour: 3 }))).toEqual({ ok: false, reason: 'too_many_pending', limit: 3 });
      now += 3600_001;
      expect((await orders.place(order({ maxPendingPerHour: 3 }))).ok).toBe(true);
    });

    test('holds the pending limit when one follower places from two instances at once', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: null });
      const stores = [createOrderStore(opened.sql), createOrderStore(await opened.another())];
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => stores[i % 2]!.place(order({ maxPendingPerHour: 2 }))));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      expect(results.filter((r) => !r.ok && r.reason === 'too_many_pending')).toHaveLength(4);
    });
  });

  describe('changing an order', () => {
    test('moves through confirm, ship and deliver, recording who did what; COD is paid at delivery', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: 5 });
      const orders = createOrderStore(opened.sql);
      const placed = await orders.place(order());
      if (!placed.ok) throw new Error('not placed');
      const id = placed.order.id;
      const staff = { kind: 'staff', name: 'alice' } as const;
      expect(await orders.act(A, id, { kind: 'deliver' }, staff)).toMatchObject({ ok: false, reason: 'refused' });
      expect(await orders.act(A, id, { kind: 'confirm' }, staff)).toMatchObject({ ok: true, order: { status: 'confirmed' } });
      const shipped = await orders.act(A, id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF123' }, staff);
      expect(shipped).toMatchObject({ ok: true, order: { status: 'shipped', shipment: { carrier: '顺丰', trackingNo: 'SF123' } } });
      expect(await orders.act(A, id, { kind: 'cancel', reason: '不要了' }, { kind: 'follower', user: U })).toMatchObject({ ok: false, messageZh: '订单已发货，不能再取消了' });
      const delivered = await orders.act(A, id, { kind: 'deliver' }, staff);
      expect(delivered).toMatchObject({ ok: true, order: { status: 'delivered', payment: { status: 'paid' } } });
      expect(await orders.note(A, id, '客户很满意', staff)).toMatchObject({ id });
      expect(await orders.note(A, id + 1000, '没有这个单', staff)).toBeNull();
      expect((await orders.events(id)).map((e) => [e.who, e.action])).toEqual([
        ['follower', 'placed'], ['alice', 'confirm'], ['alice', 'ship'], ['alice', 'deliver'], ['alice', 'note'],
      ]);
    });

    test('cancelling releases the stock; a follower can only touch their own order', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: 5 });
      const orders = createOrderStore(opened.sql);
      const placed = await orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 3 }] }));
      if (!placed.ok) throw new Error('not placed');
      expect(await stockOf('P1')).toBe(2);
      expect(await orders.act(A, placed.order.id, { kind: 'cancel', reason: 'x' }, { kind: 'follower', user: userId('stranger') })).toEqual({ ok: false, reason: 'not_found' });
      expect(await orders.act(A, placed.order.id, { kind: 'cancel', reason: '买错了' }, { kind: 'follower', user: U })).toMatchObject({ ok: true, order: { status: 'cancelled', cancelReason: '买错了' } });
      expect(await stockOf('P1')).toBe(5);
    });

    test('two instances cancelling the same order at once: one cancels it, the stock comes back once', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: 5 });
      const orders = createOrderStore(opened.sql);
      const placed = await orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 2 }] }));
      if (!placed.ok) throw new Error('not placed');
      const stores = [orders, createOrderStore(await opened.another())];
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) => stores[i % 2]!.act(A, placed.order.id, { kind: 'cancel', reason: `第${i}次` }, { kind: 'staff', name: `s${i}` })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'refused')).toHaveLength(3);
      expect(await stockOf('P1')).toBe(5);
      expect((await orders.events(placed.order.id)).map((e) => e.action)).toEqual(['placed', 'cancel']);
    });

    test('lists with filters, newest first, with counts per status', async () => {
      await seed({ sku: 'P1', priceFen: 100, stock: null });
      let now = 1_700_000_000_000;
      const orders = createOrderStore(opened.sql, { clock: { now: () => now++ } });
      await orders.place(order({ storeId: 'a', referrer: 'wang' }));
      await orders.place(order({ storeId: 'b', contact: { receiver: 'Amy 李', phone: '13911112222', address: '北京市朝阳区某路2号' } }));
      const third = await orders.place(order({ storeId: 'a' }));
      if (!third.ok) throw new Error('not placed');
      await orders.act(A, third.order.id, { kind: 'confirm' }, { kind: 'system' });
      expect((await orders.list({ account: A, storeId: 'a' })).orders.map((o) => o.id)).toEqual([third.order.id, third.order.id - 2]);
      expect((await orders.list({ account: A, referrer: 'wang' })).total).toBe(1);
      expect((await orders.list({ account: A, phone: '2222' })).orders[0]!.contact.receiver).toBe('Amy 李');
      // The receiver search ignores ASCII case on both databases.
      expect((await orders.list({ account: A, search: 'amy' })).total).toBe(1);
      const placedOnly = await orders.list({ account: A, status: 'placed' });
      expect(placedOnly.total).toBe(2);
      expect(placedOnly.counts).toMatchObject({ placed: 2, confirmed: 1 });
      expect(placedOnly.orders.every((o) => o.items.length === 1)).toBe(true);
      const after = await orders.list({ account: A, limit: 1, before: { createdAt: third.order.createdAt, id: third.order.id } });
      expect(after.orders).toHaveLength(1);
      expect(after.orders[0]!.id).toBe(third.order.id - 1);
    });
  });
});

describe('matchVariant', () => {
  it.each([
    [['S', 'M', 'L'], 'm', 'M'],
    [['S', 'M', 'L'], 'M码', 'M'],
    [['红色', '蓝色'], '红', '红色'],
    [['红色', '蓝色'], '绿色', null],
    [['S', 'M'], null, null],
  ])('%j %s → %s', (variants, wanted, expected) => {
    expect(matchVariant(variants, wanted)).toBe(expected);
  });
});
