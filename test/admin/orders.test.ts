/**
 * `/api/orders` over real HTTP, on a SQLite file and, as the same suite, a PostgreSQL database: the list with its filters, totals, counts and pages; one order with its
 * history; each move and the refused ones (409, in the caller's language); who did it, in the history and the
 * audit log; store staff confined to their store's orders; referrers, group leaders and order settings.
 */
import { describe, expect, it } from 'vitest';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { place, seedShop } from './order-seed.ts';
import { addUser, signIn } from './staff-client.ts';

const PW = 'long-enough-pw';
// Beijing 2026-11-30 23:59, 12-01 00:00 and 12-02 10:00.
const LATE_30 = Date.UTC(2026, 10, 30, 15, 59);
const START_01 = Date.UTC(2026, 10, 30, 16, 0);
const DAY_02 = Date.UTC(2026, 11, 2, 2, 0);
const ids = (body: { items: { id: number }[] }) => body.items.map((o) => o.id);

async function setUp(database: ServerDatabase) {
  // The file makes more calls in a few seconds than the default burst allows: a larger bucket (as openapi.test.ts).
  const s = await adminServer({ dbPath: database.dbPath, env: { ...database.env, GUANG_ADMIN_BURST: '300' } });
  await seedShop(s);
  await addUser(s.server.sql, 'clerk', 'store_staff', PW, 'sh-jingan');
  await addUser(s.server.sql, 'mei', 'operator', PW);
  await addUser(s.server.sql, 'guest', 'viewer', PW);
  const a = await place(s.server.sql, { user: 'o_j1', at: LATE_30, items: [{ sku: 'P1', variant: 'M', quantity: 2 }], ref: 'wangjie', remark: '周末送' });
  const b = await place(s.server.sql, { user: 'o_c1', at: START_01, items: [{ sku: 'P2', variant: null, quantity: 1 }], receiver: '李四', phone: '13912345678' });
  const c = await place(s.server.sql, { user: 'o_n1', at: DAY_02, items: [{ sku: 'P1', variant: 'S', quantity: 1 }, { sku: 'P2', variant: null, quantity: 3 }] });
  return { database, s, base: s.server.url, a, b, c };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s, base, a, b, c } of suites) {
  describe(`GET /orders (${database.name})`, () => {
    it('lists every order newest first, with the total and the count per status', async () => {
      const r = await s.api('GET', '/orders');
      expect(r.status).toBe(200);
      expect(ids(r.body)).toEqual([c.id, b.id, a.id]);
      expect(r.body.total).toBe(3);
      expect(r.body.counts).toEqual({ placed: 3, confirmed: 0, shipped: 0, delivered: 0, cancelled: 0 });
      expect(r.body.items[2]).toMatchObject({
        id: a.id, status: 'placed', status_zh: '待确认', actions: ['confirm', 'ship', 'cancel'], receiver: '张三', remark: '周末送',
        items: [{ sku: 'P1', title: '法式连衣裙', variant: 'M', unit_fen: 19900, quantity: 2 }], total_fen: 39800,
        store: { id: 'sh-jingan', name: '静安店' }, referrer: { code: 'wangjie', name: '王姐' },
      });
      expect(r.body.items[0]).toMatchObject({ store: null, referrer: null, items_fen: 19900 + 3 * 5990 });
    });

    it('filters by store, referrer, phone (or its last digits) and Beijing days', async () => {
      expect(ids((await s.api('GET', '/orders?store=bj-chaoyang')).body)).toEqual([b.id]);
      expect(ids((await s.api('GET', '/orders?referrer=wangjie')).body)).toEqual([a.id]);
      expect(ids((await s.api('GET', '/orders?phone=5678')).body)).toEqual([b.id]);
      expect(ids((await s.api('GET', '/orders?phone=13912345678')).body)).toEqual([b.id]);
      // A day is the whole Beijing day: 23:59 on the 30th is not the 1st.
      expect(ids((await s.api('GET', '/orders?from=2026-12-01&to=2026-12-01')).body)).toEqual([b.id]);
      expect(ids((await s.api('GET', '/orders?to=2026-11-30')).body)).toEqual([a.id]);
      expect(ids((await s.api('GET', '/orders?from=2026-12-02T09:00:00%2B08:00')).body)).toEqual([c.id]);
    });

    it('pages with limit and cursor, the counts the same on every page', async () => {
      const first = await s.api('GET', '/orders?limit=2');
      expect(ids(first.body)).toEqual([c.id, b.id]);
      const next = await s.api('GET', `/orders?limit=2&cursor=${first.body.next_cursor}`);
      expect(ids(next.body)).toEqual([a.id]);
      expect(next.body.next_cursor).toBeNull();
      expect([next.body.total, next.body.counts.placed]).toEqual([3, 3]);
    });

    it('refuses a bad filter with a clear message, in Chinese for the console', async () => {
      const status = await s.api('GET', '/orders?status=paid');
      expect([status.status, status.body.error.code]).toEqual([400, 'validation']);
      expect(status.body.error.message).toMatch(/status: one of placed, confirmed/);
      const day = await s.api('GET', '/orders?from=2026-13-01');
      expect(day.body.error.message).toBe('from: 2026-13-01 is not a day');
      const zh = await s.api('GET', '/orders?from=2026-12-03&to=2026-12-01', undefined, { headers: { 'accept-language': 'zh-CN' } });
      expect([zh.status, zh.body.error.message]).toEqual([400, '结束日期应晚于开始日期']);
      expect((await s.api('GET', '/orders?phone=12a')).body.error.message).toMatch(/phone: 3 to 11 digits/);
      expect((await s.api('GET', '/orders?cursor=nonsense')).body.error.code).toBe('bad_cursor');
    });
  });

  describe(`GET /orders/{id} (${database.name})`, () => {
    it('answers the order with its history', async () => {
      const r = await s.api('GET', `/orders/${a.id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: a.id, phone: '13800138000', address: '上海市静安区愚园路1号', shipment: null, created_at: new Date(LATE_30).toISOString() });
      expect(r.body.history).toEqual([{ at: new Date(LATE_30).toISOString(), who: 'follower', action: 'placed', detail: 'chat:wechat' }]);
    });

    it('is 404 for an order that does not exist', async () => {
      for (const id of ['999999', 'abc', '-1']) expect((await s.api('GET', `/orders/${id}`)).status, id).toBe(404);
    });
  });

  describe(`moving an order (${database.name})`, () => {
    it('confirms, ships with carrier and number, delivers: each in the history with who did it, and in the audit log', async () => {
      const mei = await signIn(base, 'mei', PW);
      const confirmed = await mei.call('POST', `/orders/${a.id}/confirm`);
      expect([confirmed.status, confirmed.body.status, confirmed.body.actions]).toEqual([200, 'confirmed', ['ship', 'cancel']]);
      const shipped = await s.api('POST', `/orders/${a.id}/ship`, { carrier: '顺丰', tracking_no: 'SF1234567890' });
      expect(shipped.body).toMatchObject({ status: 'shipped', shipment: { carrier: '顺丰', tracking_no: 'SF1234567890' } });
      const delivered = await mei.call('POST', `/orders/${a.id}/deliver`);
      expect(delivered.body).toMatchObject({ status: 'delivered', payment: { method: 'cod', status: 'paid' }, actions: [] });
      expect(delivered.body.history.map((e: { who: string; action: string; detail: string | null }) => [e.who, e.action, e.detail])).toEqual([
        ['follower', 'placed', 'chat:wechat'], ['mei', 'confirm', null], ['token', 'ship', '顺丰 SF1234567890'], ['mei', 'deliver', null],
      ]);
      const audit = await s.api('GET', '/audit?limit=3');
      expect(audit.body.items.map((e: { who: string; route: string; target: string }) => [e.who, e.route, e.target])).toEqual([
        ['mei', 'deliverOrder', `id=${a.id}`], ['token', 'shipOrder', `id=${a.id}`], ['mei', 'confirmOrder', `id=${a.id}`],
      ]);
    });

    it('refuses a move its status does not allow: 409 with the reason, in English for scripts and Chinese for the console', async () => {
      const en = await s.api('POST', `/orders/${a.id}/cancel`, { reason: '不要了' });
      expect([en.status, en.body.error.code, en.body.error.message]).toEqual([409, 'conflict', 'cannot cancel an order that is delivered (allowed from placed, confirmed, shipped)']);
      const zh = await s.api('POST', `/orders/${a.id}/confirm`, undefined, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
      expect([zh.status, zh.body.error.message]).toEqual([409, '订单已送达，不能确认']);
      expect((await s.api('POST', `/orders/${b.id}/deliver`)).status).toBe(409);
      expect((await s.api('GET', `/orders/${a.id}`)).body.history).toHaveLength(4);
    });

    it('checks what a move needs: a carrier and a tracking number, a reason', async () => {
      const ship = await s.api('POST', `/orders/${b.id}/ship`, { carrier: '顺丰' });
      expect([ship.status, ship.body.error.message]).toEqual([400, 'body: tracking_no: the tracking number']);
      const bad = await s.api('POST', `/orders/${b.id}/ship`, { carrier: '顺丰', tracking_no: 'SF 1' }, { headers: { 'accept-language': 'zh-CN' } });
      expect(bad.body.error.details).toEqual([{ path: 'tracking_no', message: '快递单号应是 4 到 40 位字母、数字或 -' }]);
      const cancel = await s.api('POST', `/orders/${b.id}/cancel`, { reason: '  ' });
      expect(cancel.status).toBe(400);
      expect((await s.api('GET', `/orders/${b.id}`)).body.status).toBe('placed');
    });

    it('cancels with a reason and gives the stock back; notes go into the history', async () => {
      const stock = async () => (await s.api('GET', '/products/P1')).body.stock as number;
      const before = await stock();
      const cancelled = await s.api('POST', `/orders/${c.id}/cancel`, { reason: '客户电话取消' });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancel_reason: '客户电话取消', cancelled_at: expect.any(String) });
      expect(await stock()).toBe(before + 1);
      const noted = await s.api('POST', `/orders/${c.id}/notes`, { text: '已电话回访' });
      expect(noted.status).toBe(201);
      expect(noted.body.history.at(-1)).toMatchObject({ who: 'token', action: 'note', detail: '已电话回访' });
      expect((await s.api('GET', '/audit?limit=1')).body.items[0]).toMatchObject({ route: 'addOrderNote', target: `id=${c.id}` });
      expect((await s.api('POST', '/orders/999999/confirm')).status).toBe(404);
    });
  });

  describe(`store staff (${database.name})`, () => {
    it('see their own store\'s orders only: the list is narrowed, another store is refused, another store\'s order is not found', async () => {
      const clerk = await signIn(base, 'clerk', PW);
      const list = await clerk.call('GET', '/orders');
      expect([ids(list.body), list.body.total]).toEqual([[a.id], 1]);
      expect((await clerk.call('GET', '/orders?store=bj-chaoyang')).status).toBe(403);
      expect((await clerk.call('GET', `/orders/${b.id}`)).status).toBe(404);
      expect((await clerk.call('GET', `/orders/${c.id}`)).status).toBe(404);
      expect((await clerk.call('POST', `/orders/${b.id}/confirm`)).status).toBe(404);
      expect((await clerk.call('GET', `/orders/${a.id}`)).status).toBe(200);
    });

    it('handle their store\'s orders (recorded under their name) but not referrers or order settings', async () => {
      const d = await place(s.server.sql, { user: 'o_j1', at: Date.now(), items: [{ sku: 'P2', variant: null, quantity: 1 }] });
      const clerk = await signIn(base, 'clerk', PW);
      const r = await clerk.call('POST', `/orders/${d.id}/ship`, { carrier: '中通', tracking_no: 'ZT998877' });
      expect([r.status, r.body.history.at(-1).who]).toEqual([200, 'clerk']);
      for (const [method, path] of [['GET', '/referrers'], ['PUT', '/referrers/x1'], ['GET', '/order-settings'], ['PATCH', '/order-settings'], ['GET', '/group-leaders']]) {
        expect((await clerk.call(method!, path!, method === 'GET' ? undefined : {})).status, `${method} ${path}`).toBe(403);
      }
    });

    it('a viewer reads every order but changes none', async () => {
      const guest = await signIn(base, 'guest', PW);
      expect((await guest.call('GET', '/orders')).body.total).toBe(4);
      expect((await guest.call('POST', `/orders/${b.id}/confirm`)).status).toBe(403);
    });
  });

  describe(`referrers, group leaders, order settings (${database.name})`, () => {
    it('adds and changes referrers; refuses a bad code or an unknown store', async () => {
      const put = await s.api('PUT', '/referrers/li-dian', { name: '小李', kind: 'staff', store_id: 'sh-jingan' });
      expect(put.body).toEqual({ code: 'li-dian', name: '小李', kind: 'staff', store_id: 'sh-jingan', wechaty_contact: null, openid: null, disabled: false });
      expect((await s.api('PUT', '/referrers/li-dian', { name: '小李', kind: 'staff', disabled: true })).body.disabled).toBe(true);
      expect((await s.api('GET', '/referrers')).body.items.map((r: { code: string }) => r.code)).toEqual(['li-dian', 'wangjie']);
      expect((await s.api('PUT', '/referrers/bad%20code', { name: 'x', kind: 'leader' })).status).toBe(400);
      const store = await s.api('PUT', '/referrers/x2', { name: 'x', kind: 'staff', store_id: 'nowhere' });
      expect([store.status, store.body.error.message]).toEqual([400, 'store_id: no store nowhere']);
      expect((await s.api('PUT', '/referrers/x3', { name: 'x', kind: 'boss' })).status).toBe(400);
    });

    it('sets, lists and removes a group\'s leader; an unknown referrer is refused', async () => {
      const set = await s.api('PUT', '/group-leaders/12345%40chatroom', { referrer: 'wangjie' });
      expect(set.body).toEqual({ room: '12345@chatroom', referrer: 'wangjie', referrer_name: '王姐' });
      expect((await s.api('GET', '/group-leaders')).body.items).toEqual([{ room: '12345@chatroom', referrer: 'wangjie', referrer_name: '王姐' }]);
      expect((await s.api('PUT', '/group-leaders/9%40chatroom', { referrer: 'nobody' })).status).toBe(400);
      expect((await s.api('DELETE', '/group-leaders/12345%40chatroom')).status).toBe(204);
      expect((await s.api('DELETE', '/group-leaders/12345%40chatroom')).status).toBe(404);
      expect((await s.api('GET', '/group-leaders')).body.items).toEqual([]);
    });

    it('reads and changes the order settings; a bad value is refused field by field, in Chinese for the console', async () => {
      const got = await s.api('GET', '/order-settings');
      expect(got.body).toMatchObject({ shipping_fen: 0, max_pending_per_hour: 5, webhook_secret_set: false, cod_text: null });
      expect(got.body.default_answers.cod).toMatch(/货到付款/);
      const patched = await s.api('PATCH', '/order-settings', { shipping_fen: 1000, free_shipping_over_fen: 9900, webhook_url: 'https://erp.example.com/hook', webhook_secret: 'a-secret-of-16-chars' });
      expect(patched.body).toMatchObject({ shipping_fen: 1000, free_shipping_over_fen: 9900, webhook_url: 'https://erp.example.com/hook', webhook_secret_set: true });
      expect(JSON.stringify(patched.body)).not.toContain('a-secret-of-16-chars');
      expect(patched.body.default_answers.shipping_fee).toBe('运费 ¥10，满 ¥99 包邮。');
      const bad = await s.api('PATCH', '/order-settings', { shipping_fen: -1 }, { headers: { 'accept-language': 'zh-CN' } });
      expect([bad.status, bad.body.error.details]).toEqual([400, [{ path: 'shipping_fen', message: '运费不能为负' }]]);
      expect((await s.api('GET', '/audit?limit=1')).body.items[0]).toMatchObject({ route: 'updateOrderSettings' });
    });
  });
}
