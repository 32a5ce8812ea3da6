/**
 * The console's search box and source filter on `/api/orders` and its export, over real HTTP: `q` finds an
 * order by its number, by the phone's last digits or by part of the receiver's name; `source` keeps the orders
 * placed in the conversation or on the mobile page; both narrow the counts per status and the export alike,
 * and store staff still see their store's orders only. On a SQLite file and, as the same suite, a PostgreSQL
 * database (where LIKE and its escapes are not the same).
 */
import { describe, expect, it } from 'vitest';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { ADMIN_TOKEN, adminServer } from './harness.ts';
import { place, seedShop } from './order-seed.ts';
import { addUser, signIn } from './staff-client.ts';

const AT = Date.UTC(2026, 11, 1, 2, 0);

async function setUp(database: ServerDatabase) {
  const s = await adminServer({ dbPath: database.dbPath, env: database.env });
  await seedShop(s);
  await addUser(s.server.sql, 'clerk', 'store_staff', 'long-enough-pw', 'sh-jingan');
  const a = await place(s.server.sql, { user: 'o_j1', at: AT, items: [{ sku: 'P1', variant: 'M', quantity: 1 }], receiver: '张小花', phone: '13800135678' });
  const b = await place(s.server.sql, { user: 'o_c1', at: AT + 60_000, items: [{ sku: 'P2', variant: null, quantity: 1 }], receiver: '李四', phone: '13912340001' });
  const placed = await createOrderDesk(s.server.sql).place({
    account: accountId('default'), user: userId('o_j1'), channel: 'wechat', source: 'page', items: [{ sku: 'P2', variant: null, quantity: 2 }],
    contact: { receiver: '王花花', phone: '13700000002', address: '上海市静安区南京西路1号' }, remark: null,
  });
  if (!placed.ok) throw new Error(placed.reason);
  await s.api('POST', `/orders/${b.id}/confirm`);
  return { database, s, a, b, c: placed.order };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));
const ids = (body: { items: { id: number }[] }) => body.items.map((o) => o.id);

for (const { database, s, a, b, c } of suites) {
  const list = async (query: string) => (await s.api('GET', `/orders?${query}`)).body;

  describe(`GET /orders?q= (${database.name})`, () => {
    it('finds an order by its number', async () => {
      expect(ids(await list(`q=${b.id}`))).toEqual([b.id]);
    });

    it('finds orders by the last digits of the phone', async () => {
      expect(ids(await list('q=5678'))).toEqual([a.id]);
      expect(ids(await list('q=13912340001'))).toEqual([b.id]);
    });

    it('finds orders by part of the receiver\'s name, % and _ taken literally', async () => {
      expect(ids(await list(`q=${encodeURIComponent('花')}`))).toEqual([c.id, a.id]);
      expect(ids(await list(`q=${encodeURIComponent('李')}`))).toEqual([b.id]);
      expect(ids(await list('q=%25'))).toEqual([]);
    });

    it('narrows the counts per status too, and refuses a search longer than 30 characters (in Chinese for the console)', async () => {
      const r = await list(`q=${encodeURIComponent('李四')}`);
      expect([r.total, r.counts]).toEqual([1, { placed: 0, confirmed: 1, shipped: 0, delivered: 0, cancelled: 0 }]);
      const long = await s.api('GET', `/orders?q=${'x'.repeat(31)}`, undefined, { headers: { 'accept-language': 'zh-CN' } });
      expect([long.status, long.body.error.details]).toEqual([400, [{ path: 'q', message: '搜索内容最多 30 个字' }]]);
    });
  });

  describe(`GET /orders?source= (${database.name})`, () => {
    it('keeps the orders placed on the mobile page, or in the conversation', async () => {
      expect(ids(await list('source=page'))).toEqual([c.id]);
      expect(ids(await list('source=chat'))).toEqual([b.id, a.id]);
      expect((await s.api('GET', '/orders?source=phone')).status).toBe(400);
    });
  });

  describe(`store staff and the export (${database.name})`, () => {
    it('store staff search their own store\'s orders only', async () => {
      const clerk = await signIn(s.server.url, 'clerk', 'long-enough-pw');
      // o_j1 came through 静安店: a and c are the store's; 李四's order (朝阳店) is not found by its number.
      expect(ids((await clerk.call('GET', `/orders?q=${encodeURIComponent('花')}`)).body)).toEqual([c.id, a.id]);
      expect(ids((await clerk.call('GET', `/orders?q=${b.id}`)).body)).toEqual([]);
    });

    it('exports what the search and the source keep', async () => {
      const res = await fetch(`${s.server.url}/api/orders/export?format=csv&source=chat&q=${encodeURIComponent('花')}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      const rows = (await res.text()).replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
      expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual([String(a.id)]);
      expect(rows[1]).toContain('张小花');
    });
  });
}
