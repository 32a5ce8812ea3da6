/**
 * Order notices end to end on a real server with the embedded simulator (real HTTP): an order placed through the
 * order desk is enqueued in its transaction, the server's worker delivers it — a template message to the staff
 * with the mapped fields within 20 characters; without a template, a customer-service message inside the 48-hour
 * window, failed outside it and visible in /api/notices until queued again; the follower told of shipping and of
 * a cancellation.
 */
import { describe, expect, it } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { sleep } from '../../src/core/clock.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { createRecipientStore } from '../../src/orders/notices/recipients.ts';
import { testServer } from '../helpers/server.ts';

const ADMIN = 'notices-admin-token-0123456789';
const A = accountId('default');
const server = await testServer({ env: { GUANG_ADMIN_TOKEN: ADMIN } });
const sim = server.simulator!;
const { sql } = server;
const desk = createOrderDesk(sql);
const recipients = createRecipientStore(sql);
const subscribers = createSubscriberStore(sql);

const product = (sku: string, title: string): Product => ({
  account: A, sku, title, category: ['女装'], priceFen: 19900, originalPriceFen: null, brand: null, tags: [], stock: 50,
  imageUrl: null, url: null, description: null,
});
await createCatalogueStore(sql).upsertProducts([product('P1', '法式复古碎花连衣裙（收腰显瘦款）夏季新款'), product('P2', 'T恤')]);

const TPL = 'tpl-new-order-test';
const FIELDS = { character_string1: 'order_no', thing2: 'items', amount3: 'total', thing4: 'address', phone_number5: 'phone' } as const;

const place = async (buyer: string, address = '上海市静安区愚园路1号\n3号楼1201室（工作日请送到前台）') => {
  const r = await desk.place({
    account: A, user: userId(buyer), channel: 'wechat', source: 'chat', items: [{ sku: 'P1', variant: null, quantity: 2 }],
    contact: { receiver: '张三', phone: '13800138000', address }, remark: null,
  });
  if (!r.ok) throw new Error(`not placed: ${r.reason}`);
  return r.order;
};

/** Runs the server's worker until nothing of this order is due (its own poll may hold a batch meanwhile). */
async function deliver(orderId: number): Promise<void> {
  const due = async () => (await sql.get<{ n: number }>("SELECT count(*) AS n FROM order_notices WHERE order_id = ? AND status = 'pending' AND next_attempt_at <= ?", [orderId, Date.now()]))!.n;
  for (let i = 0; i < 200; i++) {
    await server.notices.tick();
    if ((await due()) === 0) return;
    await sleep(10);
  }
  throw new Error(`notices of order ${orderId} still pending`);
}

const noticesOf = (orderId: number) => sql.all<{ audience: string; via: string; target: string; status: string; last_error: string | null }>(
  'SELECT audience, via, target, status, last_error FROM order_notices WHERE order_id = ? ORDER BY id', [orderId]);
const deliveriesTo = (openid: string) => sim.deliveries().filter((d) => d.touser === openid);
/** A person wrote to the account now: the 48-hour window is open on both sides (our record and the platform's). */
const wrote = async (openid: string) => {
  await subscribers.messaged({ account: A, user: userId(openid) }, Date.now());
  sim.recordInteraction(openid, 'message');
};
const api = async (method: string, path: string) => {
  const res = await fetch(`${server.url}/api${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
  return { status: res.status, body: (await res.json()) as any };
};
const clearRecipients = async () => {
  for (const r of await recipients.list(A)) await recipients.remove(A, r.id);
};

describe('a new order told to the staff', () => {
  it('arrives as the template message, its mapped fields within 20 characters and on one line', async () => {
    await desk.settings.update(A, { template_id: TPL, template_fields: { ...FIELDS } });
    sim.addTemplate(TPL, Object.keys(FIELDS));
    sim.addFollower('o-staff-boss-01');
    await recipients.add(A, { openid: 'o-staff-boss-01', name: '老板', store_id: null });
    const order = await place('o-buyer-tpl-1');
    await deliver(order.id);
    const [d, ...more] = deliveriesTo('o-staff-boss-01');
    expect(more).toEqual([]);
    expect(d).toMatchObject({ api: 'template', templateId: TPL });
    expect(d!.data).toMatchObject({ character_string1: String(order.id), amount3: '¥398', phone_number5: '13800138000' });
    for (const v of Object.values(d!.data!)) {
      expect([...v].length).toBeLessThanOrEqual(20);
      expect(v).not.toMatch(/[\r\n]/);
    }
    expect(d!.data!.thing2!.endsWith('…')).toBe(true); // 法式复古碎花连衣裙（收腰显瘦款）夏季新款 ×2: cut by us, not by the platform
    expect(d!.data!.thing4).toMatch(/^上海市静安区愚园路1号 3号楼.*…$/);
    expect(await noticesOf(order.id)).toEqual([{ audience: 'staff', via: 'template', target: 'o-staff-boss-01', status: 'sent', last_error: null }]);
  });

  it('without a template: a customer-service message inside the 48-hour window; failed outside it, visible in /api/notices, and sent once queued again after the person writes', async () => {
    await clearRecipients();
    await desk.settings.update(A, { template_id: null, template_fields: null });
    await recipients.add(A, { openid: 'o-staff-near-01', name: '小王', store_id: null });
    await recipients.add(A, { openid: 'o-staff-away-01', name: '小李', store_id: null });
    await wrote('o-staff-near-01');
    const order = await place('o-buyer-cs-1');
    await deliver(order.id);
    const [cs] = deliveriesTo('o-staff-near-01');
    expect(cs).toMatchObject({ api: 'custom', msgtype: 'text' });
    expect(cs!.content).toContain(`【新订单】订单 ${order.id}`);
    expect(cs!.content).toContain('13800138000');
    expect(deliveriesTo('o-staff-away-01')).toEqual([]);

    const failed = await api('GET', `/notices?status=failed&order=${order.id}`);
    expect(failed.status).toBe(200);
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]).toMatchObject({ audience: 'staff', target: 'o-staff-away-01', status: 'failed', attempts: 1 });
    expect(failed.body.items[0].last_error).toMatch(/没有设置模板消息.*48 小时内没有给公众号发过消息/);
    const sent = await api('GET', `/notices?status=sent&order=${order.id}`);
    expect(sent.body.items).toMatchObject([{ target: 'o-staff-near-01', via: 'customer_service' }]);

    await wrote('o-staff-away-01');
    const retried = await api('POST', `/notices/${failed.body.items[0].id}/retry`);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await api('POST', `/notices/${failed.body.items[0].id}/retry`)).status).toBe(409);
    await deliver(order.id);
    expect(deliveriesTo('o-staff-away-01')).toHaveLength(1);
    expect((await api('GET', `/notices?status=failed&order=${order.id}`)).body.items).toEqual([]);
  });

  it('falls back from a template the platform refuses (40037) to a customer-service message in the window, and says so', async () => {
    await clearRecipients();
    await desk.settings.update(A, { template_id: 'tpl-deleted-by-merchant', template_fields: { thing2: 'items' } });
    await recipients.add(A, { openid: 'o-staff-near-01', name: '小王', store_id: null });
    const before = deliveriesTo('o-staff-near-01').length;
    const order = await place('o-buyer-fallback-1');
    await deliver(order.id);
    expect(deliveriesTo('o-staff-near-01').slice(before)).toMatchObject([{ api: 'custom' }]);
    const [n] = await noticesOf(order.id);
    expect(n).toMatchObject({ via: 'customer_service', status: 'sent' });
    expect(n!.last_error).toMatch(/40037.*已改为客服消息/);
  });
});

describe('the follower told of their order', () => {
  it('outside the 48-hour window gets the template, which opens their own order page (signed for them)', async () => {
    await clearRecipients();
    await desk.settings.update(A, { template_id: TPL, template_fields: { ...FIELDS } });
    sim.addTemplate(TPL, Object.keys(FIELDS));
    const buyer = 'o-buyer-no-window-1';
    sim.addFollower(buyer);
    const order = await place(buyer);
    expect((await desk.act(A, order.id, { kind: 'confirm' }, { kind: 'staff', name: 'owner' })).ok).toBe(true);
    await deliver(order.id);
    const [sent] = deliveriesTo(buyer);
    expect(sent).toMatchObject({ api: 'template', templateId: TPL });
    expect(sent!.url).toMatch(new RegExp(`/m/default/o/${order.id}\\?t=`));
    // The token becomes the follower's cookie, and the page is their order.
    const link = new URL(sent!.url!.replace(/^http:\/\/localhost/, 'http://127.0.0.1'));
    const first = await fetch(link, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).not.toBe('');
    const page = first.status === 200 ? first : await fetch(new URL(first.headers.get('location')!, link), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(new RegExp(`已确认[^]*订单号 ${order.id} `));
    await desk.settings.update(A, { template_id: null, template_fields: null });
  });

  it('is told it shipped, with the carrier and tracking number, and of a cancellation with its reason; not of a cancellation they made', async () => {
    await clearRecipients();
    const buyer = 'o-buyer-status-1';
    await wrote(buyer);
    const staff = { kind: 'staff', name: 'owner' } as const;
    const shipped = await place(buyer);
    expect((await desk.act(A, shipped.id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF1234567890' }, staff)).ok).toBe(true);
    await deliver(shipped.id);
    const cancelled = await place(buyer);
    expect((await desk.act(A, cancelled.id, { kind: 'cancel', reason: '该颜色缺货' }, staff)).ok).toBe(true);
    await deliver(cancelled.id);
    const own = await place(buyer);
    expect((await desk.act(A, own.id, { kind: 'cancel', reason: '不想要了' }, { kind: 'follower', user: userId(buyer) })).ok).toBe(true);
    await deliver(own.id);

    const texts = deliveriesTo(buyer).map((d) => d.content);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(`您的订单 ${shipped.id}`);
    expect(texts[0]).toContain('已发货：顺丰，快递单号 SF1234567890');
    expect(texts[1]).toContain(`您的订单 ${cancelled.id}`);
    expect(texts[1]).toContain('已取消，原因：该颜色缺货');
    expect((await noticesOf(own.id)).filter((n) => n.audience === 'follower')).toEqual([]);
  });
});
