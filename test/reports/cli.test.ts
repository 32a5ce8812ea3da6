/**
 * `guang report funnel|revenue` over a real database file: the text a merchant reads, the API's JSON with
 * --json, and a clear usage error for a day that is not one. Orders are placed through the order desk.
 */
import { describe, expect, it } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { openDb } from '../../src/db/db.ts';
import { createStoreRegistry } from '../../src/merchant/shops/registry.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { guang } from '../helpers/process.ts';
import { tempDbPath } from '../helpers/temp.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';

const A = accountId('default');
const file = tempDbPath();
{
  const db = openDb(file, { secretKey: null });
  // 2026-11-02 10:00 in Beijing.
  const clock = manualClock(Date.parse('2026-11-02T02:00:00Z'));
  await createCatalogueStore(db).upsertProducts([{
    account: A, sku: 'D1', title: '法式黑色连衣裙', category: ['女装'], priceFen: 29_900, originalPriceFen: null, brand: null, tags: [], stock: 10, imageUrl: null, url: null, description: null,
  }]);
  const stores = createStoreRegistry(db, clock);
  await stores.create(A, { id: 'sh-jingan', name: '静安店' });
  await stores.attribute({ account: A, user: 'o_a', storeId: 'sh-jingan', via: 'follow', at: clock.now(), mode: 'first' });
  const desk = createOrderDesk(sqliteSql(db), { clock });
  await desk.referrers.save(A, { code: 'wangjie', name: '王姐', kind: 'leader' });
  const contact = { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' };
  for (const [user, quantity] of [['o_a', 2], ['o_b', 1]] as const) {
    const r = await desk.place({ account: A, user: userId(user), channel: 'wechat', source: 'chat', items: [{ sku: 'D1', variant: null, quantity }], contact, remark: null, ref: 'wangjie', query: '连衣裙' });
    expect(r.ok).toBe(true);
    if (r.ok && user === 'o_b') await desk.act(A, r.order.id, { kind: 'cancel', reason: '不要了' }, { kind: 'staff', name: 'owner' });
  }
  db.close();
}

async function run(args: string[]) {
  const p = guang(['report', ...args], { GUANG_DB: file });
  const code = await p.exited();
  return { code, out: p.stdout(), err: p.stderr() };
}

describe('guang report', () => {
  it('revenue: per store in yuan with two decimals, the cancelled order counted apart', async () => {
    const r = await run(['revenue', '--from', '2026-11-01', '--to', '2026-11-02']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.split('\n')).toEqual([
      'Revenue 2026-11-01 to 2026-11-02 (Beijing) (orders not cancelled; cash on delivery)',
      'sh-jingan 「静安店」: 1 orders, 2 items, ¥598.00; delivered 0, ¥0.00; 0 cancelled',
      '(no store): 0 orders, 0 items, ¥0.00; delivered 0, ¥0.00; 1 cancelled',
      'total: 1 orders, 2 items, ¥598.00; delivered 0, ¥0.00; 1 cancelled',
      '',
    ]);
  }, 30_000);

  it('revenue --by referrer --json: the admin API\'s answer', async () => {
    const r = await run(['revenue', '--by', 'referrer', '--from', '2026-11-02', '--to', '2026-11-02', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      from: '2026-11-01T16:00:00.000Z', to: '2026-11-02T16:00:00.000Z', by: 'referrer', store: null,
      total: { orders: 1, cancelled: 1, items: 2, revenue_fen: 59_800, delivered_orders: 0, delivered_fen: 0 },
      rows: [{ key: 'wangjie', name: '王姐', orders: 1, cancelled: 1, items: 2, revenue_fen: 59_800, delivered_orders: 0, delivered_fen: 0 }],
    });
  }, 30_000);

  it('funnel --by store: followers per step with the rate, and the cancelled orders', async () => {
    const r = await run(['funnel', '--by', 'store', '--from', '2026-11-02', '--to', '2026-11-02']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('total: asked 0 (0) → list shown 0 (0) → page viewed 0 (0) → ordered 2 (2) → delivered 0 (0) (0%); 1 cancelled');
    expect(r.out).toContain('sh-jingan 「静安店」: asked 0 (0)');
    const json = JSON.parse((await run(['funnel', '--json', '--from', '2026-11-02', '--to', '2026-11-02'])).out);
    expect(json.rows).toMatchObject([{ key: '2026-11-02', ordered: { count: 2, followers: 2, cancelled: 1, rate: null } }]);
  }, 30_000);

  it('refuses a day that is not one, and --by it does not know, as usage errors', async () => {
    const bad = await run(['funnel', '--from', '2026-13-01']);
    expect([bad.code, bad.err.trim()]).toEqual([2, 'guang report funnel: --from: 2026-13-01 is not a day such as 2026-11-01 (see guang report funnel --help)']);
    const by = await run(['revenue', '--by', 'product']);
    expect(by.code).toBe(2);
    expect(by.err).toContain("'product' is invalid");
  }, 30_000);
});
