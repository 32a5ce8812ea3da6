/**
 * The mobile pages over real HTTP on the demo catalogue, in a SQLite file and, as the same suite, in a PostgreSQL
 * database: the shop's name, sorting and the price filter (and paging with them), lenient price fields, the way
 * back to the list and to the chat, the facts of an item, and pictures that are missing or unsafe.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { accountId } from '../../src/core/messages.ts';
import { createSettingsStore } from '../../src/merchant/settings.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { testServer } from '../helpers/server.ts';

const account = accountId('default');

async function setUp(database: ServerDatabase) {
  const server = await testServer({ dbPath: database.dbPath, env: { ...database.env, GUANG_PUBLIC_URL: 'https://shop.example.com' } });
  await seedDemoData(server.sql, account);
  const catalogue = createCatalogueStore(server.sql);
  const dress = (await catalogue.allProducts(account)).find((p) => p.sku === 'P00001')!;
  const extra = (over: Partial<Product>): Product => ({ ...dress, tags: [], url: null, ...over });
  await catalogue.upsertProducts([
    extra({ sku: 'NOIMG', title: '无图 真丝连衣裙', imageUrl: null, description: '22 姆米重磅真丝，垂顺不易皱。', stock: 3 }),
    extra({ sku: 'BADIMG', title: '坏链接 连衣裙', imageUrl: 'javascript:alert(1)' }),
  ]);
  await server.search.refresh();
  await createSettingsStore(server.sql).update(account, { account_name: '逛逛好物' });
  await server.book.refresh();
  return { database, server, catalogue, allProducts: await catalogue.allProducts(account) };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));
const DRESSES = `cat=${encodeURIComponent('女装/连衣裙')}`;
const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! <= x);
const descending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! >= x);
const base = (path: string) => path.split('?')[0]!;

for (const { database, server, catalogue, allProducts } of suites) {
  /** What a list of dresses shows: the ones in stock (the index leaves sold-out products out of lists). */
  const inDresses = allProducts.filter((p) => p.category.join('/') === '女装/连衣裙' && p.stock !== 0);
  const priceOf = (sku: string) => allProducts.find((p) => p.sku === sku)!.priceFen;

  async function get(path: string) {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  /** The item ids a list links to, in order, and its ‹ › links (relative to the list). */
  async function list(path: string, kind = 'p') {
    const r = await get(path);
    const href = (label: string) => new RegExp(`href="([^"]*)">${label}`).exec(r.body)?.[1]?.replace(/&amp;/g, '&') ?? null;
    return {
      ...r,
      ids: [...r.body.matchAll(new RegExp(`class="item" href="[^"]*/m/default/${kind}/([^?"]+)`, 'g'))].map((m) => decodeURIComponent(m[1]!)),
      next: href('下一页'),
    };
  }

  describe(`every mobile page names the shop (${database.name})`, () => {
    it('shows the account_name setting in the bar, the tab title and the way back to the chat', async () => {
      for (const path of [`/m/default/products?${DRESSES}`, '/m/default/p/P00001', '/m/default/h/H0001', '/m/default/d/D0001', '/m/default/p/NOPE']) {
        const { body } = await get(path);
        expect(body).toContain('<span class="shop">逛逛好物</span>');
        expect(body).toMatch(/<title>[^<]+ - 逛逛好物<\/title>/);
        expect(body).toContain('回到公众号「逛逛好物」');
      }
    });

    it('falls back to the default name for an account without the setting', async () => {
      const { status, body } = await get('/m/another/products');
      expect(status).toBe(200);
      expect(body).toContain('<span class="shop">逛</span>');
    });
  });

  describe(`sorting and filtering a product list (${database.name})`, () => {
    it('orders by price both ways, across pages, without repeating an item', async () => {
      const first = await list(`/m/default/products?${DRESSES}&sort=price_asc`);
      expect(first.next).toContain('sort=price_asc');
      const second = await list(`${base('/m/default/products')}${first.next}`);
      const prices = [...first.ids, ...second.ids].map(priceOf);
      expect(first.ids).toHaveLength(20);
      expect(new Set([...first.ids, ...second.ids]).size).toBe(inDresses.length);
      expect(ascending(prices)).toBe(true);
      const dear = await list(`/m/default/products?${DRESSES}&sort=price_desc`);
      expect(descending(dear.ids.map(priceOf))).toBe(true);
      expect(dear.ids[0]).toBe(inDresses.reduce((a, b) => (b.priceFen > a.priceFen ? b : a)).sku);
    });

    it('keeps to a price range typed in yuan, and pages with it', async () => {
      const inRange = inDresses.filter((p) => p.priceFen >= 10000 && p.priceFen <= 20000).map((p) => p.sku);
      const r = await list(`/m/default/products?${DRESSES}&lo=100&hi=200&sort=price_asc`);
      expect(r.status).toBe(200);
      expect(r.ids.sort()).toEqual(inRange.sort());
      expect(r.body).toContain('value="100"');
      expect(r.body).toContain('value="200"');
      // The links of the filtered list carry the range as the bot's links do, in fen.
      expect(r.body).toContain('min=10000&amp;max=20000');
    });

    it('pages a filtered, sorted list by its links', async () => {
      const first = await list(`/m/default/products?${DRESSES}&min=5000&sort=price_desc`);
      expect(first.next).toMatch(/min=5000/);
      const second = await list(`/m/default/products${first.next}`);
      const all = [...first.ids, ...second.ids];
      expect(all.every((sku) => priceOf(sku) >= 5000)).toBe(true);
      expect(descending(all.map(priceOf))).toBe(true);
      expect(new Set(all).size).toBe(inDresses.filter((p) => p.priceFen >= 5000).length);
    });

    it('lets the tabs and the filter override what the words of a search said', async () => {
      const said = await list(`/m/default/products?q=${encodeURIComponent('200以下的连衣裙')}`);
      expect(said.ids.length).toBeGreaterThan(0);
      expect(said.ids.every((sku) => priceOf(sku) <= 20000)).toBe(true);
      const wider = await list(`/m/default/products?q=${encodeURIComponent('200以下的连衣裙')}&lo=300&sort=price_asc`);
      const prices = wider.ids.map(priceOf);
      expect(prices.length).toBeGreaterThan(0);
      expect(prices.every((p) => p >= 30000)).toBe(true);
      expect(ascending(prices)).toBe(true);
      // Both fields cleared: no range at all, on this page and the next.
      const cleared = await list(`/m/default/products?q=${encodeURIComponent('200以下的连衣裙')}&lo=&hi=`);
      expect(cleared.ids.some((sku) => priceOf(sku) > 20000)).toBe(true);
      const next = await list(`/m/default/products${cleared.next}`);
      expect(next.ids.some((sku) => priceOf(sku) > 20000)).toBe(true);
    });

    it('leaves out what the conversation left out (不要红色的), on every page, and in a search\'s words', async () => {
      const titleOf = (sku: string) => allProducts.find((p) => p.sku === sku)!.title;
      const notRed = inDresses.filter((p) => !p.title.includes('红色'));
      expect(notRed.length).toBeLessThan(inDresses.length); // the demo has red dresses to leave out
      const first = await list(`/m/default/products?${DRESSES}&not=${encodeURIComponent('红色')}`);
      const second = first.next ? await list(`/m/default/products${first.next}`) : { ids: [] as string[] };
      const ids = [...first.ids, ...second.ids];
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.some((sku) => titleOf(sku).includes('红色'))).toBe(false);
      expect(first.body).toContain(`共 ${notRed.length} 件`);
      const said = await list(`/m/default/products?q=${encodeURIComponent('不要红色的连衣裙')}`);
      expect(said.body).toContain(`共 ${notRed.length} 件`);
      expect(said.ids.some((sku) => titleOf(sku).includes('红色'))).toBe(false);
    });

    it('marks the current order and sends each tab to page 1 of the same list', async () => {
      const { body } = await get(`/m/default/products?${DRESSES}&min=5000&page=2`);
      expect(body).toMatch(/<a href="[^"]*" class="on" aria-current="true">综合<\/a>/);
      const tab = /<a href="([^"]*)">低价优先<\/a>/.exec(body)![1]!.replace(/&amp;/g, '&');
      expect(new URLSearchParams(tab.slice(1))).toEqual(new URLSearchParams({ cat: '女装/连衣裙', min: '5000', sort: 'price_asc' }));
    });
  });

  describe(`what a follower types in the price filter never breaks the list (${database.name})`, () => {
    it('ignores a price that is not a number, says so, and still shows the list', async () => {
      for (const query of ['lo=abc', 'hi=%3Cscript%3E', 'lo=-5', 'lo=1e9', 'lo=999999999', 'lo=1&lo=2']) {
        const r = await list(`/m/default/products?${DRESSES}&${query}`);
        expect(r.status, query).toBe(200);
        expect(r.body).toContain('价格请填数字');
        expect(r.ids).toHaveLength(20);
      }
    });

    it('turns a range typed backwards round, and reads ¥ and decimals', async () => {
      const r = await list(`/m/default/products?${DRESSES}&lo=200&hi=${encodeURIComponent('¥99.5')}`);
      expect(r.body).not.toContain('价格请填数字');
      expect(r.ids.length).toBeGreaterThan(0);
      expect(r.ids.every((sku) => priceOf(sku) >= 9950 && priceOf(sku) <= 20000)).toBe(true);
    });

    it('answers a malformed link with a page saying so (400), never a server error', async () => {
      const cases = [
        '/m/default/products?sort=random', '/m/default/products?max=-5', '/m/default/products?page=abc',
        `/m/default/hotels?city=${encodeURIComponent('上海')}&sort=nearest`, '/m/default/deals', '/m/default/hotels',
      ];
      for (const path of cases) {
        const r = await get(path);
        expect(r.status, path).toBe(400);
        expect(r.body).toContain('这个链接的参数不对');
      }
    });

    it('shows what to change when the range leaves nothing', async () => {
      const r = await get(`/m/default/products?${DRESSES}&lo=1&hi=2`);
      expect(r.body).toContain('没有找到符合条件的商品');
      expect(r.body).toContain('name="lo"');
    });
  });

  describe(`hotel and deal lists sort and filter too (${database.name})`, () => {
    it('orders the hotels near a point by price, within the range', async () => {
      const near = 'lat=31.2304&lng=121.4737';
      const r = await list(`/m/default/hotels?${near}&sort=price_asc&lo=200&hi=600`, 'h');
      const hotels = await catalogue.allHotels(account);
      const prices = r.ids.map((id) => hotels.find((h) => h.id === id)!.priceFen!);
      expect(prices.length).toBeGreaterThan(5);
      expect(ascending(prices)).toBe(true);
      expect(prices.every((p) => p >= 20000 && p <= 60000)).toBe(true);
      expect(r.body).toMatch(/class="on" aria-current="true">低价优先/);
      expect(r.body).toContain('距离最近');
    });

    it('orders a city\'s deals by price within the range, and offers 距离 only with a point', async () => {
      const city = `city=${encodeURIComponent('上海')}`;
      const r = await list(`/m/default/deals?${city}&sort=price_desc&lo=50&hi=300`, 'd');
      const deals = await catalogue.allDeals(account);
      const prices = r.ids.map((id) => deals.find((d) => d.id === id)!.priceFen);
      expect(prices.length).toBeGreaterThan(0);
      expect(descending(prices)).toBe(true);
      expect(prices.every((p) => p >= 5000 && p <= 30000)).toBe(true);
      expect(r.body).not.toContain('距离最近');
      expect((await get(`/m/default/deals?${city}&lat=31.23&lng=121.47`)).body).toContain('距离最近');
    });
  });

  describe(`an item page (${database.name})`, () => {
    it('goes back to the list it was opened from, with that list\'s sort, filter and page', async () => {
      const r = await list(`/m/default/products?${DRESSES}&sort=price_asc&min=5000&page=2`);
      const link = new RegExp(`class="item" href="([^"]*/p/${r.ids[0]}[^"]*)"`).exec(r.body)![1]!.replace(/&amp;/g, '&');
      const item = await get(new URL(link).pathname + new URL(link).search);
      const back = /<a class="back" href="([^"]*)">‹ 返回列表<\/a>/.exec(item.body)![1]!.replace(/&amp;/g, '&');
      const target = new URL(back, `${server.url}/m/default/p/${r.ids[0]}`);
      expect(target.pathname).toBe('/m/default/products');
      expect(Object.fromEntries(target.searchParams)).toEqual({ cat: '女装/连衣裙', sort: 'price_asc', min: '5000', page: '2' });
    });

    it('goes back to its own category when opened from the chat, or when `from` is not one of these lists', async () => {
      for (const from of ['', '?from=https%3A%2F%2Fevil.example%2F', '?from=%2F%2Fevil.example', '?from=products%2F..%2F..%2Fapi', `?from=products%3F${'x'.repeat(2100)}`]) {
        const { body } = await get(`/m/default/p/P00001${from}`);
        expect(body, from).toContain('<a class="back" href="../products?cat=%E5%A5%B3%E8%A3%85%2F%E8%BF%9E%E8%A1%A3%E8%A3%99&amp;label=%E8%BF%9E%E8%A1%A3%E8%A3%99">‹ 全部连衣裙</a>');
        expect(body).not.toContain('evil.example');
      }
    });

    it('offers 「回到公众号」, which closes the page in WeChat and otherwise points to the footer', async () => {
      const { body } = await get('/m/default/p/P00001');
      expect(body).toContain('<a class="chat" href="#chat" data-close>回到公众号</a>');
      expect(body).toContain('<footer id="chat">');
      expect(body).toContain("WeixinJSBridge.call('closeWindow')");
    });

    it('runs no script but its own: the CSP allows exactly the inline script by its hash', async () => {
      const { headers, body } = await get('/m/default/p/P00001');
      const scripts = [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      expect(scripts).toHaveLength(1);
      const csp = headers.get('content-security-policy')!;
      const scriptSrc = /script-src ([^;]+)/.exec(csp)![1]!;
      expect(scriptSrc).toBe(`'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("form-action 'self'");
    });

    it('shows the product\'s facts, tags, description and more of its category', async () => {
      const { body } = await get('/m/default/p/NOIMG');
      expect(body).toContain('<h1 class="title">无图 真丝连衣裙</h1>');
      expect(body).toContain('<span class="price">¥169</span><span class="orig">¥309</span><span class="off">5.5折</span>');
      expect(body).toMatch(/<dt>品牌<\/dt><dd>韩都衣舍<\/dd>/);
      expect(body).toMatch(/<dt>库存<\/dt><dd>仅剩 3 件<\/dd>/);
      expect(body).toContain('<h2>商品详情</h2><p class="desc">22 姆米重磅真丝，垂顺不易皱。</p>');
      expect(body).toContain('<h2>更多连衣裙</h2>');
      expect([...body.matchAll(/<div class="grid">|href="[^"]*\/m\/default\/p\/[^"]+"/g)].length).toBe(1 + 4);
      const tags = await get('/m/default/p/P00001');
      expect(tags.body).toContain('<ul class="chips"><li>黑色</li><li>波点</li><li>显瘦</li></ul>');
    });

    it('draws a placeholder for a missing or unsafe picture, and never an <img> without an http(s) source', async () => {
      for (const sku of ['NOIMG', 'BADIMG']) {
        const { body } = await get(`/m/default/p/${sku}`);
        expect(body).toMatch(/<span class="pic hero noimg" style="--h:\d+"><span class="ph" aria-hidden="true"><b>[无坏]<\/b><small>连衣裙<\/small><\/span><\/span>/);
        expect(body).not.toContain('javascript:');
      }
      const pages = await Promise.all(['/m/default/p/NOIMG', `/m/default/products?${DRESSES}`, '/m/default/h/H0001', '/m/default/d/D0001'].map(get));
      for (const { body } of pages) {
        const imgs = body.match(/<img\b[^>]*>/g) ?? [];
        expect(imgs.length).toBeGreaterThan(0);
        for (const img of imgs) expect(img).toMatch(/^<img src="https?:\/\/[^"]+" alt=""/);
      }
    });

    it('shows a hotel\'s and a deal\'s facts, with a way back to their city\'s list', async () => {
      const hotel = await get('/m/default/h/H0001');
      expect(hotel.body).toContain('<h1 class="title">维也纳酒店(上海人民广场店)</h1>');
      expect(hotel.body).toContain('<a href="tel:021-52432837">021-52432837</a>');
      expect(hotel.body).toContain(`<a class="back" href="../hotels?city=${encodeURIComponent('上海')}">‹ 上海酒店</a>`);
      const deal = await get('/m/default/d/D0001');
      expect(deal.body).toMatch(/<dt>商家<\/dt><dd>海底捞火锅\(人民广场店\)<\/dd>/);
      expect(deal.body).toMatch(/<dt>有效期<\/dt><dd>2026\/2\/3 至 2027\/9\/10<\/dd>/);
      expect(deal.body).toContain('‹ 上海美食团购</a>');
    });
  });
}
