/**
 * What an order change puts in the outbox, in its own transaction: one notice per person (staff, the order's
 * store staff, the referrer by Wechaty or openid, each person once), the webhook when set; the follower on a
 * status change they did not make; nothing when the change is refused or rolled back. On a SQLite file and a
 * PostgreSQL database.
 */
import { describe, expect, it } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { createRecipientStore } from '../../src/orders/notices/recipients.ts';
import type { PlaceOrder } from '../../src/orders/order-store.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

describe.each(DATABASES)('order notices enqueued on $name', (database) => {
  // One database for the file; each test a shop (an account) of its own in it.
  const opened = openAll(database);
  const test = it.skipIf(database.skip);
  let shops = 0;

  async function setup() {
    const { sql } = opened;
    const A = accountId(`shop${++shops}`);
    await createCatalogueStore(sql).upsertProducts([{
      account: A, sku: 'P1', title: '连衣裙', category: ['女装'], priceFen: 9900, originalPriceFen: null, brand: null, tags: [], stock: 1, imageUrl: null, url: null, description: null,
    }]);
    const desk = createOrderDesk(sql);
    const recipients = createRecipientStore(sql);
    const rows = (orderId: number) => sql.all<{ audience: string; via: string; target: string; idempotency_key: string; status: string }>(
      'SELECT audience, via, target, idempotency_key, status FROM order_notices WHERE order_id = ? ORDER BY id', [orderId]);
    const count = async () => Number((await sql.get<{ n: number }>('SELECT count(*) AS n FROM order_notices WHERE account = ?', [A]))!.n);
    const order = (over: Partial<PlaceOrder> = {}): PlaceOrder => ({
      account: A, user: userId('o-enq-buyer-1'), channel: 'wechat', source: 'chat', items: [{ sku: 'P1', variant: null, quantity: 1 }],
      contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' }, remark: null, storeId: 'sh-jingan', referrer: null, query: null, ...over,
    });
    return { A, sql, desk, recipients, rows, count, order };
  }

  describe('a new order', () => {
    test('is told to the merchant\'s staff, the order\'s store staff (not another store\'s), each person once, the referrer by openid, and the webhook', async () => {
      const { A, desk, recipients, rows, order } = await setup();
      await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null });
      await recipients.add(A, { openid: 'o-jingan-0001', name: '静安店员', store_id: 'sh-jingan' });
      await recipients.add(A, { openid: 'o-boss-000001', name: '老板（也在静安）', store_id: 'sh-jingan' });
      await recipients.add(A, { openid: 'o-xuhui-00001', name: '徐汇店员', store_id: 'sh-xuhui' });
      await desk.referrers.save(A, { code: 'li', name: '李姐', kind: 'staff', openid: 'o-li-0000001' });
      await desk.settings.update(A, { webhook_url: 'https://erp.example.com/hook', webhook_secret: 'whsec-0123456789abcdef' });
      const r = await desk.orders.place(order({ referrer: 'li' }));
      expect(r.ok).toBe(true);
      const id = r.ok ? r.order.id : 0;
      expect(await rows(id)).toEqual([
        { audience: 'staff', via: 'customer_service', target: 'o-boss-000001', idempotency_key: `order:${id}:placed:staff:o-boss-000001`, status: 'pending' },
        { audience: 'store', via: 'customer_service', target: 'o-jingan-0001', idempotency_key: `order:${id}:placed:store:o-jingan-0001`, status: 'pending' },
        { audience: 'referrer', via: 'customer_service', target: 'o-li-0000001', idempotency_key: `order:${id}:placed:referrer:o-li-0000001`, status: 'pending' },
        { audience: 'webhook', via: 'webhook', target: 'https://erp.example.com/hook', idempotency_key: `order:${id}:placed:webhook:https://erp.example.com/hook`, status: 'pending' },
      ]);
    });

    test('plans template messages when the order settings have a template', async () => {
      const { A, desk, recipients, rows, order } = await setup();
      await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null });
      await desk.settings.update(A, { template_id: 'tpl-1', template_fields: { thing1: 'items' } });
      const r = await desk.orders.place(order());
      expect((await rows(r.ok ? r.order.id : 0)).map((n) => n.via)).toEqual(['template']);
    });

    test('enqueues nothing for an order refused (out of stock): the notice lands with its order or not at all', async () => {
      const { A, desk, recipients, count, order } = await setup();
      await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null });
      expect((await desk.orders.place(order())).ok).toBe(true);
      const before = await count();
      expect(await desk.orders.place(order({ user: userId('o-enq-buyer-2') }))).toMatchObject({ ok: false, reason: 'out_of_stock' });
      expect(await count()).toBe(before);
    });
  });

  describe('a status change', () => {
    test('tells the follower of what staff did, not of what they did themselves; a refused change tells nobody', async () => {
      const { A, desk, rows, order } = await setup();
      const r = await desk.orders.place(order());
      const id = r.ok ? r.order.id : 0;
      await desk.act(A, id, { kind: 'confirm' }, { kind: 'staff', name: 'owner' });
      expect((await desk.act(A, id, { kind: 'deliver' }, { kind: 'staff', name: 'owner' })).ok).toBe(false);
      await desk.act(A, id, { kind: 'cancel', reason: '不要了' }, { kind: 'follower', user: userId('o-enq-buyer-1') });
      expect((await rows(id)).filter((n) => n.audience === 'follower').map((n) => n.idempotency_key)).toEqual([`order:${id}:confirmed:follower:o-enq-buyer-1`]);
    });
  });

  describe('a cancellation by the buyer', () => {
    test('tells the staff and the order\'s store staff (each once) not to ship it, and not the buyer, who cancelled it', async () => {
      const { A, sql, desk, recipients, rows, order } = await setup();
      await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null });
      await recipients.add(A, { openid: 'o-jingan-0001', name: '静安店员', store_id: 'sh-jingan' });
      await recipients.add(A, { openid: 'o-xuhui-00001', name: '徐汇店员', store_id: 'sh-xuhui' });
      const r = await desk.orders.place(order());
      const id = r.ok ? r.order.id : 0;
      await desk.act(A, id, { kind: 'cancel', reason: '买错了' }, { kind: 'follower', user: userId('o-enq-buyer-1') });
      const cancelled = (await rows(id)).filter((n) => n.idempotency_key.includes(':cancelled:'));
      expect(cancelled.map((n) => [n.audience, n.target])).toEqual([['staff', 'o-boss-000001'], ['store', 'o-jingan-0001']]);
      const text = (await sql.get<{ payload: string }>('SELECT payload FROM order_notices WHERE idempotency_key = ?', [`order:${id}:cancelled:staff:o-boss-000001`]))!.payload;
      expect(JSON.parse(text).text).toMatch(new RegExp(`订单 ${id} 已被顾客取消，请勿发货[^]*买错了`));
    });

    test('tells the buyer, not the staff, when staff cancel it', async () => {
      const { A, desk, recipients, rows, order } = await setup();
      await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null });
      const r = await desk.orders.place(order());
      const id = r.ok ? r.order.id : 0;
      await desk.act(A, id, { kind: 'cancel', reason: '缺货' }, { kind: 'staff', name: 'owner' });
      expect((await rows(id)).filter((n) => n.idempotency_key.includes(':cancelled:')).map((n) => n.audience)).toEqual(['follower']);
    });
  });

  describe('recipients', () => {
    test('are kept once per person and store', async () => {
      const { A, recipients } = await setup();
      expect((await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null })).created).toBe(true);
      expect((await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: null })).created).toBe(false);
      expect((await recipients.add(A, { openid: 'o-boss-000001', name: '老板', store_id: 'sh-jingan' })).created).toBe(true);
      expect((await recipients.list(A)).map((r) => r.storeId)).toEqual([null, 'sh-jingan']);
    });
  });
});
