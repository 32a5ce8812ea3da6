/**
 * /api/notices and /api/notice-recipients over real HTTP: recipients added (validated, in Chinese for the
 * console), listed, removed; store staff see their store's recipients and notices only and change nothing; and
 * the demo: a new order reaches the demo staff as a template message in the simulator's deliveries.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/core/clock.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { DEMO_STAFF_OPENID, DEMO_TEMPLATE_ID } from '../../src/orders/notices/demo.ts';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const A = accountId('default');
const PW = 'long-enough-pw';
const s = await adminServer({ demo: true });
const base = s.server.url;
await addUser(s.server.sql, 'clerk', 'store_staff', PW, 'sh-jingan');

describe('notice recipients', () => {
  it('are added, refused when malformed (with the problem in Chinese for the console), listed and removed', async () => {
    const added = await s.api('POST', '/notice-recipients', { openid: 'o-jingan-clerk-1', name: '静安小李', store_id: 'sh-jingan' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ openid: 'o-jingan-clerk-1', name: '静安小李', store_id: 'sh-jingan' });
    expect((await s.api('POST', '/notice-recipients', { openid: 'o-jingan-clerk-1', name: '又一次', store_id: 'sh-jingan' })).status).toBe(409);
    const bad = await s.api('POST', '/notice-recipients', { openid: 'no spaces!', name: '' }, { headers: { 'accept-language': 'zh-CN' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string; message: string }) => `${d.path}: ${d.message}`)).toEqual([
      'openid: openid 应为 6 到 64 位字母、数字、- 或 _',
      'name: 称呼不能为空',
    ]);
    const gone = await s.api('POST', '/notice-recipients', { openid: 'o-temp-person-1', name: '临时' });
    expect((await s.api('DELETE', `/notice-recipients/${gone.body.id}`)).status).toBe(204);
    expect((await s.api('DELETE', `/notice-recipients/${gone.body.id}`)).status).toBe(404);
    const all = await s.api('GET', '/notice-recipients');
    expect(all.body.items.map((r: { openid: string }) => r.openid)).toEqual([DEMO_STAFF_OPENID, 'o-jingan-clerk-1']);
  });

  it('store staff list their store\'s only, are refused another store, and may not add or remove', async () => {
    const clerk = await signIn(base, 'clerk', PW);
    const mine = await clerk.call('GET', '/notice-recipients');
    expect(mine.body.items.map((r: { openid: string }) => r.openid)).toEqual(['o-jingan-clerk-1']);
    expect((await clerk.call('GET', '/notice-recipients?store=bj-chaoyang')).status).toBe(403);
    expect((await clerk.call('POST', '/notice-recipients', { openid: 'o-sneaky-0001', name: '小偷偷' })).status).toBe(403);
  });
});

describe('the demo', () => {
  it('tells the demo staff of a new order by template message, in the simulator\'s deliveries; store staff see only their store\'s notices', async () => {
    const desk = createOrderDesk(s.server.sql);
    const [sku] = (await s.server.sql.all<{ sku: string }>("SELECT sku FROM products WHERE account = 'default' AND deleted = 0 AND off_sale = 0 AND variants IS NULL AND (stock IS NULL OR stock > 5) ORDER BY sku LIMIT 1")).map((r) => r.sku);
    const r = await desk.place({
      account: A, user: userId('o-demo-buyer-1'), channel: 'wechat', source: 'chat', items: [{ sku: sku!, variant: null, quantity: 1 }],
      contact: { receiver: '王五', phone: '13500135000', address: '深圳市南山区科技园南区1栋' }, remark: null,
    });
    if (!r.ok) throw new Error(r.reason);
    // The server's own worker, polling: nothing here drives it.
    let template: { touser: string; templateId?: string; data?: Record<string, string>; url?: string } | undefined;
    for (let i = 0; i < 500 && !template; i++) {
      const got = (await (await fetch(`${base}/sim/deliveries`)).json()) as { deliveries: { api: string; touser: string; templateId?: string; data?: Record<string, string>; url?: string }[] };
      template = got.deliveries.find((d) => d.api === 'template' && d.data?.character_string1 === String(r.order.id));
      if (!template) await sleep(20);
    }
    expect(template).toMatchObject({ touser: DEMO_STAFF_OPENID, templateId: DEMO_TEMPLATE_ID, data: { amount3: `¥${r.order.totalFen / 100}`, thing4: '王五' } });
    // Tapping it opens the order in the console (staff sign in there).
    expect(template!.url).toMatch(new RegExp(`^http://localhost:\\d+/admin/orders/${r.order.id}$`));

    // The worker records the send after the platform has answered it: the simulator can show it a moment first.
    await expect.poll(async () => (await s.api('GET', `/notices?order=${r.order.id}`)).body.items)
      .toMatchObject([{ audience: 'staff', via: 'template', status: 'sent', attempts: 1, event: 'placed' }]);
    const listed = await s.api('GET', `/notices?order=${r.order.id}`);
    const clerk = await signIn(base, 'clerk', PW);
    expect((await clerk.call('GET', `/notices?order=${r.order.id}`)).body.items).toEqual([]);
    expect((await clerk.call('GET', '/notices?store=bj-chaoyang')).status).toBe(403);
    expect((await clerk.call('POST', `/notices/${listed.body.items[0].id}/retry`)).status).toBe(403);
  });
});
