/**
 * The order store over a real SQLite file: prices from the catalogue, stock reserved with the order and
 * released on cancel, no oversell across connections, one order per idempotency key, the pending limit,
 * the status moves and their history.
 */
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/db.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { createWriteQueue } from '../../src/db/write-queue.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { createOrderStore, matchVariant, type PlaceOrder } from '../../src/orders/order-store.ts';
import { tempDbPath } from '../helpers/temp.ts';

const A = accountId('default');
const U = userId('o-buyer-1');

const product = (sku: string, priceFen: number, stock: number | null, variants?: string[]): Product => ({
  account: A, sku, title: `商品${sku}`, category: ['女装'], priceFen, originalPriceFen: null, brand: null, tags: [], stock,
  imageUrl: null, url: null, description: null, ...(variants ? { variants } : {}),
});

function setup(products: Product[]): { db: Db; file: string } {
  const file = tempDbPath();
  const db = openDb(file, { secretKey: null });
  createCatalogueStore(db).upsertProducts(products);
  return { db, file };
}

const order = (over: Partial<PlaceOrder> = {}): PlaceOrder => ({
  account: A, user: U, channel: 'wechat', source: 'chat', items: [{ sku: 'P1', variant: null, quantity: 1 }],
  contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' }, remark: null, storeId: 'sh-jingan',
  referrer: null, query: '女装', ...over,
});

const stockOf = (db: Db, sku: string) => (db.prepare('SELECT stock FROM products WHERE sku = ?').get(sku) as { stock: number | null }).stock;

describe('placing an order', () => {
  it('takes the price and title from the catalogue, reserves stock and remembers the contact', () => {
    const { db } = setup([product('P1', 19900, 3)]);
    const orders = createOrderStore(db);
    const r = orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 2 }], shipping: { shippingFen: 1000, freeOverFen: 50000 } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order.items).toEqual([{ sku: 'P1', title: '商品P1', variant: null, unitFen: 19900, quantity: 2 }]);
    expect([r.order.itemsFen, r.order.shippingFen, r.order.totalFen]).toEqual([39800, 1000, 40800]);
    expect(r.order.status).toBe('placed');
    expect(r.order.payment).toEqual({ method: 'cod', status: 'unpaid' });
    expect(r.order.storeId).toBe('sh-jingan');
    expect(stockOf(db, 'P1')).toBe(1);
    expect(orders.contactOf(A, U)).toEqual({ receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' });
    expect(orders.events(r.order.id).map((e) => e.action)).toEqual(['placed']);
  });

  it('refuses more than is left, an unknown product and a variant the product lacks, and changes nothing', () => {
    const { db } = setup([product('P1', 100, 1), product('V1', 100, null, ['S', 'M', 'L'])]);
    const orders = createOrderStore(db);
    expect(orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 2 }] }))).toMatchObject({ ok: false, reason: 'out_of_stock', left: 1 });
    expect(orders.place(order({ items: [{ sku: 'NOPE', variant: null, quantity: 1 }] }))).toMatchObject({ ok: false, reason: 'not_found' });
    expect(orders.place(order({ items: [{ sku: 'V1', variant: 'XXL', quantity: 1 }] }))).toMatchObject({ ok: false, reason: 'variant', variants: ['S', 'M', 'L'] });
    // The second item fails: the first item's reservation is rolled back with it.
    expect(orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 1 }, { sku: 'V1', variant: null, quantity: 1 }] }))).toMatchObject({ reason: 'variant' });
    expect(stockOf(db, 'P1')).toBe(1);
    expect(orders.list({ account: A }).total).toBe(0);
    const m = orders.place(order({ items: [{ sku: 'V1', variant: 'm码', quantity: 1 }] }));
    expect(m.ok && m.order.items[0]!.variant).toBe('M');
  });

  it('never sells more than the stock, whatever the number of connections racing for it', async () => {
    const { db, file } = setup([product('HOT', 9900, 5)]);
    const connections = [db, ...Array.from({ length: 4 }, () => openDb(file, { secretKey: null }))];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        Promise.resolve().then(() => createOrderStore(connections[i % connections.length]!).place(order({ user: userId(`o-${i}`), items: [{ sku: 'HOT', variant: null, quantity: 1 }] }))),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === 'out_of_stock')).toHaveLength(45);
    expect(stockOf(db, 'HOT')).toBe(0);
  });

  it('runs inside the group-commit queue (a savepoint in its transaction)', async () => {
    const { db } = setup([product('P1', 100, 2)]);
    const orders = createOrderStore(db);
    const queue = createWriteQueue(db);
    const [a, b, c] = await Promise.all([1, 2, 3].map((i) => queue.run(() => orders.place(order({ user: userId(`q${i}`) })))));
    expect([a!.ok, b!.ok, c!.ok]).toEqual([true, true, false]);
    expect(stockOf(db, 'P1')).toBe(0);
  });

  it('makes one order per idempotency key, and refuses a key another follower used', () => {
    const { db } = setup([product('P1', 100, 10)]);
    const orders = createOrderStore(db);
    const first = orders.place(order({ idempotencyKey: 'k1', source: 'page' }));
    const again = orders.place(order({ idempotencyKey: 'k1', source: 'page' }));
    expect(first.ok && again.ok && again.order.id === first.order.id && !again.created).toBe(true);
    expect(orders.place(order({ user: userId('other'), idempotencyKey: 'k1' }))).toEqual({ ok: false, reason: 'key_reused' });
    expect(stockOf(db, 'P1')).toBe(9);
  });

  it('refuses a follower over the limit of orders waiting for confirmation within an hour', () => {
    const { db } = setup([product('P1', 100, null)]);
    let now = 1_000_000_000_000;
    const orders = createOrderStore(db, { clock: { now: () => now } });
    for (let i = 0; i < 3; i++) expect(orders.place(order({ maxPendingPerHour: 3 })).ok).toBe(true);
    expect(orders.place(order({ maxPendingPerHour: 3 }))).toEqual({ ok: false, reason: 'too_many_pending', limit: 3 });
    now += 3600_001;
    expect(orders.place(order({ maxPendingPerHour: 3 })).ok).toBe(true);
  });
});

describe('changing an order', () => {
  it('moves through confirm, ship and deliver, recording who did what; COD is paid at delivery', () => {
    const { db } = setup([product('P1', 100, 5)]);
    const orders = createOrderStore(db);
    const placed = orders.place(order());
    if (!placed.ok) throw new Error('not placed');
    const staff = { kind: 'staff', name: 'alice' } as const;
    expect(orders.act(A, placed.order.id, { kind: 'deliver' }, staff)).toMatchObject({ ok: false, reason: 'refused' });
    expect(orders.act(A, placed.order.id, { kind: 'confirm' }, staff)).toMatchObject({ ok: true, order: { status: 'confirmed' } });
    const shipped = orders.act(A, placed.order.id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF123' }, staff);
    expect(shipped).toMatchObject({ ok: true, order: { status: 'shipped', shipment: { carrier: '顺丰', trackingNo: 'SF123' } } });
    expect(orders.act(A, placed.order.id, { kind: 'cancel', reason: '不要了' }, { kind: 'follower', user: U })).toMatchObject({ ok: false, messageZh: '订单已发货，不能再取消了' });
    const delivered = orders.act(A, placed.order.id, { kind: 'deliver' }, staff);
    expect(delivered).toMatchObject({ ok: true, order: { status: 'delivered', payment: { status: 'paid' } } });
    orders.note(A, placed.order.id, '客户很满意', staff);
    expect(orders.events(placed.order.id).map((e) => [e.who, e.action])).toEqual([
      ['follower', 'placed'], ['alice', 'confirm'], ['alice', 'ship'], ['alice', 'deliver'], ['alice', 'note'],
    ]);
  });

  it('cancelling releases the stock; a follower can only touch their own order', () => {
    const { db } = setup([product('P1', 100, 5)]);
    const orders = createOrderStore(db);
    const placed = orders.place(order({ items: [{ sku: 'P1', variant: null, quantity: 3 }] }));
    if (!placed.ok) throw new Error('not placed');
    expect(stockOf(db, 'P1')).toBe(2);
    expect(orders.act(A, placed.order.id, { kind: 'cancel', reason: 'x' }, { kind: 'follower', user: userId('stranger') })).toEqual({ ok: false, reason: 'not_found' });
    expect(orders.act(A, placed.order.id, { kind: 'cancel', reason: '买错了' }, { kind: 'follower', user: U })).toMatchObject({ ok: true, order: { status: 'cancelled', cancelReason: '买错了' } });
    expect(stockOf(db, 'P1')).toBe(5);
  });

  it('lists with filters, newest first, with counts per status', () => {
    const { db } = setup([product('P1', 100, null)]);
    let now = 1_700_000_000_000;
    const orders = createOrderStore(db, { clock: { now: () => now++ } });
    orders.place(order({ storeId: 'a', referrer: 'wang' }));
    orders.place(order({ storeId: 'b', contact: { receiver: '李四', phone: '13911112222', address: '北京市朝阳区某路2号' } }));
    const third = orders.place(order({ storeId: 'a' }));
    if (!third.ok) throw new Error('not placed');
    orders.act(A, third.order.id, { kind: 'confirm' }, { kind: 'system' });
    expect(orders.list({ account: A, storeId: 'a' }).orders.map((o) => o.id)).toEqual([third.order.id, third.order.id - 2]);
    expect(orders.list({ account: A, referrer: 'wang' }).total).toBe(1);
    expect(orders.list({ account: A, phone: '2222' }).orders[0]!.contact.receiver).toBe('李四');
    const placedOnly = orders.list({ account: A, status: 'placed' });
    expect(placedOnly.total).toBe(2);
    expect(placedOnly.counts).toMatchObject({ placed: 2, confirmed: 1 });
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
