/**
 * The mobile checkout over real HTTP, on a SQLite file and, as the same suite, a PostgreSQL database: a follower
 * arrives through a link carrying their token, opens 立即下单, fills the form and lands on the order page — prices
 * from the catalogue, one order per form however often it is sent, stock never oversold, clear pages for what goes wrong, the referrer recorded, page views written.
 */
import { describe, expect, it } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { createFollowerTokens } from '../../src/core/follower-token.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { secretsOf } from '../../src/db/db.ts';
import { followerTokensOf } from '../../src/app/mobile-checkout.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { FollowerBrowser, formKeyIn } from '../helpers/pages.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { testServer } from '../helpers/server.ts';

const A = accountId('default');
const product = (sku: string, priceFen: number, stock: number | null, variants?: string[]): Product => ({
  account: A, sku, title: `测试商品${sku}`, category: ['女装', 'T恤'], priceFen, originalPriceFen: null, brand: '逛逛', tags: [], stock,
  imageUrl: null, url: null, description: null, ...(variants ? { variants } : {}),
});
const CONTACT = { receiver: '王芳', phone: '138 0013 8000', address: '上海市徐汇区漕溪北路 88 号 1201 室', remark: '下午送' };

async function setUp(database: ServerDatabase) {
  const server = await testServer({ dbPath: database.dbPath, env: database.env });
  const catalogue = createCatalogueStore(server.sql);
  await catalogue.upsertProducts([product('TEE', 9900, 20, ['S', 'M', 'L']), product('LIMITED', 12900, 5), product('PLAIN', 5900, null), product('GONE', 5900, 0)]);
  await server.search.refresh();
  const desk = createOrderDesk(server.sql);
  await desk.referrers.save(A, { code: 'wangjie', name: '王姐', kind: 'leader' });
  await desk.referrers.save(A, { code: 'retired', name: '老李', kind: 'leader', disabled: true });
  return { database, server, desk, tokens: followerTokensOf(server.sql) };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, server, desk, tokens } of suites) {
  const stockOf = async (sku: string) => (await server.sql.get<{ stock: number | null }>('SELECT stock FROM products WHERE sku = ?', [sku]))!.stock;
  const ordersOf = (user: string) =>
    server.sql.all<{ id: number; total_fen: number; referrer: string | null; status: string; source: string; channel: string; query: string | null }>('SELECT * FROM orders WHERE user_id = ? ORDER BY id', [user]);

  /** A follower on the product's order form: its key and the page. */
  async function onForm(user: string, sku: string, query = '') {
    const browser = new FollowerBrowser(server.url);
    await browser.arrive(tokens, user, `/m/default/p/${sku}`);
    const form = await browser.get(`/m/default/p/${sku}/buy${query}`);
    expect(form.status).toBe(200);
    return { browser, form, key: formKeyIn(form.body)! };
  }

  describe(`a follower arriving through a link (${database.name})`, () => {
    it('is remembered in an HttpOnly SameSite=Lax cookie for the account\'s pages, and the token leaves the address', async () => {
      const browser = new FollowerBrowser(server.url);
      const r = await browser.get(`/m/default/p/TEE?from=x&t=${tokens.sign(A, userId('o-arrive'))}`);
      expect(r.status).toBe(302);
      expect(r.location).toBe('/m/default/p/TEE?from=x');
      expect(r.setCookies[0]).toMatch(/^guang_f=v1\.[^;]+; Max-Age=\d+; Path=\/m\/default\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    });

    it('gets a page saying what to do for a forged token, and another for an expired one — never an error', async () => {
      const browser = new FollowerBrowser(server.url);
      const good = tokens.sign(A, userId('o-forger'));
      const forged = await browser.get(`/m/default/orders?t=${good.replace('.', '.x')}`);
      expect(forged.status).toBe(403);
      expect(forged.body).toContain('链接无效');
      expect(forged.body).toContain('请回到公众号，回复「我的订单」');
      expect(forged.body).toContain('用微信身份继续'); // this service account can authorise instead
      const past = createFollowerTokens(secretsOf(server.sql).derive('follower-token'), { clock: { now: () => Date.now() - 8 * 86400_000 } });
      const expired = await browser.get(`/m/default/p/TEE?t=${past.sign(A, userId('o-late'))}`);
      expect(expired.status).toBe(403);
      expect(expired.body).toContain('链接已过期');
      expect(expired.body).toContain('href="/m/default/p/TEE"'); // browsing without ordering stays possible
      expect(browser.cookies.has('guang_f')).toBe(false);
      // Another account's token is forged here.
      const other = await browser.get(`/m/default/orders?t=${tokens.sign(accountId('other'), userId('o-x'))}`);
      expect(other.status).toBe(403);
    });

    it('is sent through web authorisation when a page needs them and they came without a token', async () => {
      const r = await new FollowerBrowser(server.url).get('/m/default/p/TEE/buy?ref=wangjie');
      expect(r.status).toBe(302);
      expect(r.location).toBe(`/m/default/auth?next=${encodeURIComponent('/m/default/p/TEE/buy?ref=wangjie')}`);
    });
  });

  describe(`ordering from the product page (${database.name})`, () => {
    it('goes from the product page to the order page over real HTTP, in well under a minute', async () => {
      const started = Date.now();
      const browser = new FollowerBrowser(server.url);
      await browser.arrive(tokens, 'o-buyer', '/m/default/p/TEE');
      const page = await browser.get('/m/default/p/TEE');
      expect(page.body).toContain('立即下单');
      const href = /class="order" href="([^"]+)"/.exec(page.body)![1]!;
      const form = await browser.get(new URL(href.replace(/&amp;/g, '&'), `${server.url}/m/default/p/TEE`).pathname);
      expect(form.status).toBe(200);
      expect(form.body).toContain('填写订单');
      expect(form.body).toMatch(/name="variant" value="M"/);
      const posted = await browser.post('/m/default/p/TEE/buy', { key: formKeyIn(form.body)!, quantity: '2', variant: 'M', ...CONTACT, price: '1', priceFen: '1' });
      expect(posted.status).toBe(303);
      const id = (await ordersOf('o-buyer'))[0]!.id;
      expect(posted.location).toBe(`/m/default/o/${id}?placed=1`);
      const order = await browser.get(posted.location!);
      expect(order.status).toBe(200);
      expect(order.body).toContain('下单成功');
      expect(order.body).toContain('待确认');
      expect(order.body).toContain('测试商品TEE <small>M</small> × 2');
      expect(order.body).toContain('¥198'); // the catalogue's price, whatever the form said
      expect(order.body).toContain('138****8000');
      expect(Date.now() - started).toBeLessThan(60_000);
      const [row] = await ordersOf('o-buyer');
      expect(row).toMatchObject({ total_fen: 19800, source: 'page', channel: 'wechat', status: 'placed' });
      expect(await stockOf('TEE')).toBe(18);
      // The next form remembers the contact.
      const again = await browser.get('/m/default/p/PLAIN/buy');
      expect(again.body).toContain('value="王芳"');
      expect(again.body).toContain('value="13800138000"');
      const list = await browser.get('/m/default/orders');
      expect(list.body).toContain(`/m/default/o/${id}`);
    });

    it('makes one order of a form sent twice (a double tap, a retry)', async () => {
      const { browser, key } = await onForm('o-double', 'PLAIN');
      const fields = { key, quantity: '1', ...CONTACT };
      const [a, b] = await Promise.all([browser.post('/m/default/p/PLAIN/buy', fields), browser.post('/m/default/p/PLAIN/buy', fields)]);
      const c = await browser.post('/m/default/p/PLAIN/buy', fields);
      expect([a.status, b.status, c.status]).toEqual([303, 303, 303]);
      const orders = await ordersOf('o-double');
      expect(orders).toHaveLength(1);
      for (const r of [a, b, c]) expect(r.location).toMatch(new RegExp(`^/m/default/o/${orders[0]!.id}`));
    });

    it('makes exactly 5 orders of 50 concurrent ones for the last 5 pieces, and 45 clear 「库存不足」 pages', async () => {
      const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => onForm(`o-rush-${i}`, 'LIMITED')));
      const answers = await Promise.all(buyers.map(({ browser, key }) => browser.post('/m/default/p/LIMITED/buy', { key, quantity: '1', ...CONTACT })));
      expect(answers.filter((r) => r.status === 303)).toHaveLength(5);
      const refused = answers.filter((r) => r.status === 409);
      expect(refused).toHaveLength(45);
      for (const r of refused) expect(r.body).toContain('库存不足：「测试商品LIMITED」已售罄');
      expect((await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM order_items WHERE sku = 'LIMITED'"))!.n).toBe(5);
      expect(await stockOf('LIMITED')).toBe(0);
    });

    it('shows the form again with the messages on the fields and what was typed kept', async () => {
      const { browser, key } = await onForm('o-typo', 'TEE');
      const r = await browser.post('/m/default/p/TEE/buy', { key, quantity: '0', variant: '', receiver: '李雷', phone: '1380013800', address: '北京市朝阳区建国路 1 号', remark: '' });
      expect(r.status).toBe(422);
      expect(r.body).toContain('请按提示修改标红的内容');
      expect(r.body).toMatch(/<p class="err" id="phone-err">[^<]*手机号[^<]*<\/p>/);
      expect(r.body).toContain('<p class="err" id="quantity-err">数量应是 1 以上的整数</p>');
      expect(r.body).toContain('<p class="err" id="variant-err">请选择规格</p>');
      expect(r.body).toContain('value="1380013800"');
      expect(r.body).toContain('value="李雷"');
      expect(r.body).toContain('北京市朝阳区建国路 1 号</textarea>');
      expect(formKeyIn(r.body)).toBe(key); // the same key: fixing and sending makes one order still
      expect(await ordersOf('o-typo')).toHaveLength(0);
      const fixed = await browser.post('/m/default/p/TEE/buy', { key, quantity: '1', variant: 'L', receiver: '李雷', phone: '13800138000', address: '北京市朝阳区建国路 1 号', remark: '' });
      expect(fixed.status).toBe(303);
    });

    it('says so when the follower has too many orders waiting, or the item is sold out', async () => {
      const { browser } = await onForm('o-eager', 'PLAIN');
      for (let i = 0; i < 6; i++) {
        const form = await browser.get('/m/default/p/PLAIN/buy');
        const r = await browser.post('/m/default/p/PLAIN/buy', { key: formKeyIn(form.body)!, quantity: '1', ...CONTACT });
        if (i < 5) expect(r.status).toBe(303);
        else {
          expect(r.status).toBe(429);
          expect(r.body).toContain('一小时内不能再下更多订单');
        }
      }
      const sold = await browser.get('/m/default/p/GONE/buy');
      expect(sold.status).toBe(409);
      expect(sold.body).toContain('已售罄');
    });

    it('refuses a form without a valid key for this follower (the CSRF token)', async () => {
      const { key } = await onForm('o-victim', 'PLAIN');
      const attacker = new FollowerBrowser(server.url);
      await attacker.arrive(tokens, 'o-attacker', '/m/default/orders');
      const r = await attacker.post('/m/default/p/PLAIN/buy', { key, quantity: '1', ...CONTACT });
      expect(r.status).toBe(403);
      expect(r.body).toContain('页面已失效');
      const none = await attacker.post('/m/default/p/PLAIN/buy', { quantity: '1', ...CONTACT });
      expect(none.status).toBe(403);
      expect(await ordersOf('o-attacker')).toHaveLength(0);
    });
  });

  describe(`the order page (${database.name})`, () => {
    it('lets the follower cancel their own order before it ships, releasing the stock, and nobody else see it', async () => {
      const { browser, key } = await onForm('o-cancel', 'TEE');
      const before = (await stockOf('TEE'))!;
      const placed = await browser.post('/m/default/p/TEE/buy', { key, quantity: '3', variant: 'S', ...CONTACT });
      const path = placed.location!.split('?')[0]!;
      expect(await stockOf('TEE')).toBe(before - 3);
      const stranger = new FollowerBrowser(server.url);
      await stranger.arrive(tokens, 'o-stranger', '/m/default/orders');
      expect((await stranger.get(path)).status).toBe(404);
      const page = await browser.get(path);
      expect(page.body).toContain('取消订单');
      const cancelled = await browser.post(`${path}/cancel`, { key: formKeyIn(page.body)! });
      expect(cancelled.status).toBe(303);
      const after = await browser.get(path);
      expect(after.body).toContain('已取消');
      expect(after.body).not.toContain('取消订单</button>');
      expect(await stockOf('TEE')).toBe(before);
    });

    it('refuses to cancel a shipped order, saying why', async () => {
      const { browser, key } = await onForm('o-shipped', 'PLAIN');
      const placed = await browser.post('/m/default/p/PLAIN/buy', { key, quantity: '1', ...CONTACT });
      const path = placed.location!.split('?')[0]!;
      const page = await browser.get(path);
      const id = Number(path.split('/').pop());
      await desk.act(A, id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF123' }, { kind: 'staff', name: 'boss' });
      const r = await browser.post(`${path}/cancel`, { key: formKeyIn(page.body)! });
      expect(r.status).toBe(409);
      expect(r.body).toContain('订单已发货，不能再取消了');
      expect(r.body).toContain('顺丰 SF123');
    });
  });

  describe(`referrers and page views (${database.name})`, () => {
    it('carries a live ref from the product page to the order, and drops one that is not live', async () => {
      const browser = new FollowerBrowser(server.url);
      await browser.arrive(tokens, 'o-ref', '/m/default/p/PLAIN');
      const page = await browser.get('/m/default/p/PLAIN?ref=wangjie&q=%E7%99%BD%E8%89%B2T%E6%81%A4');
      const href = /class="order" href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
      expect(href).toBe('./PLAIN/buy?ref=wangjie&q=%E7%99%BD%E8%89%B2T%E6%81%A4');
      const form = await browser.get(`/m/default/p/${href.slice(2)}`);
      expect(form.body).toContain('name="ref" value="wangjie"');
      const r = await browser.post('/m/default/p/PLAIN/buy', { key: formKeyIn(form.body)!, quantity: '1', ref: 'wangjie', q: '白色T恤', ...CONTACT });
      expect(r.status).toBe(303);
      expect((await ordersOf('o-ref'))[0]).toMatchObject({ referrer: 'wangjie', query: '白色T恤' });
      const retired = await browser.get('/m/default/p/PLAIN/buy?ref=retired');
      await browser.post('/m/default/p/PLAIN/buy', { key: formKeyIn(retired.body)!, quantity: '1', ref: 'retired', ...CONTACT });
      expect((await ordersOf('o-ref'))[1]).toMatchObject({ referrer: null });
    });

    it('writes a page view per product page, with the follower, the live referrer and the query', async () => {
      const browser = new FollowerBrowser(server.url);
      await browser.arrive(tokens, 'o-viewer', '/m/default/p/TEE');
      await browser.get('/m/default/p/TEE?ref=wangjie&q=T%E6%81%A4');
      await new FollowerBrowser(server.url).get('/m/default/p/TEE?ref=retired');
      const rows = () => server.sql.all("SELECT kind, item_id, user_id, referrer, query FROM page_views WHERE item_id = 'TEE' ORDER BY id");
      await expect.poll(rows).toEqual(expect.arrayContaining([
        { kind: 'product', item_id: 'TEE', user_id: 'o-viewer', referrer: 'wangjie', query: 'T恤' },
        { kind: 'product', item_id: 'TEE', user_id: null, referrer: null, query: null },
      ]));
    });
  });
}
