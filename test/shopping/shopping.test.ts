import { describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { createAnswerLog } from '../../src/db/answer-log.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

const account = accountId('default');
const server = await testServer({ env: { GUANG_PUBLIC_URL: 'https://shop.example.com' } });
const catalogue = createCatalogueStore(server.sql);

const product = (sku: string, over: Partial<Product> = {}): Product => ({
  account, sku, title: `测试连衣裙 ${sku}`, category: ['女装', '连衣裙'], priceFen: 19900, originalPriceFen: null, brand: '测试牌',
  tags: [], stock: 10, imageUrl: null, url: null, description: null, ...over,
});
await catalogue.upsertProducts([
  ...Array.from({ length: 12 }, (_, i) => product(`D${String(i).padStart(2, '0')}`, { priceFen: 10000 + i * 2000 })),
  product('SOLD', { title: '售罄连衣裙', stock: 0 }),
  product('EVIL', {
    title: '<a href="javascript:alert(1)">点我</a><script>alert(1)</script>连衣裙',
    url: 'javascript:alert(1)', imageUrl: 'javascript:alert(2)', description: '<img src=x onerror=alert(3)>',
    category: ['女装', '半身裙'],
  }),
]);
await catalogue.upsertHotels([
  { account, id: 'H1', name: '测试酒店(人民广场店)', city: '上海', lat: 31.2317, lng: 121.4726, district: '黄浦区', address: null, priceFen: 30000, rating: 4.5, stars: null, phone: null, url: null, imageUrl: null, tags: [] },
  { account, id: 'H2', name: '远处酒店', city: '上海', lat: 31.3, lng: 121.5, district: '杨浦区', address: null, priceFen: 20000, rating: 4.0, stars: null, phone: null, url: null, imageUrl: null, tags: [] },
]);
await catalogue.upsertDeals([
  { account, id: 'X1', title: '火锅双人餐', city: '上海', priceFen: 9900, originalPriceFen: 19900, merchant: '测试火锅', district: '静安区', category: '美食', startsAt: null, endsAt: null, stock: null, url: null, imageUrl: null, lat: null, lng: null },
  { account, id: 'X2', title: '过期电影票', city: '上海', priceFen: 3000, originalPriceFen: 8000, merchant: null, district: null, category: '电影', startsAt: null, endsAt: Date.parse('2020-01-01'), stock: null, url: null, imageUrl: null, lat: null, lng: null },
]);
await server.search.refresh();

const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
const say = async (user: string, text: string) => {
  const answer = await player.text(user, text);
  return { text: answer.reply?.Content ?? '', answer };
};
const skus = (text: string) => [...text.matchAll(/\/p\/([A-Z0-9]+)"/g)].map((m) => m[1]);

describe('products over the webhook', () => {
  it('answers a category with five numbered items, each with a link and a price, and what to type next', async () => {
    const { text } = await say('o_shop_1', '连衣裙');
    const lines = text.split('\n');
    expect(lines.filter((l) => /^\d\. <a href="https:\/\/shop\.example\.com\/m\/default\/p\/[A-Z0-9]+">[^<]+<\/a> ¥\d+/.test(l))).toHaveLength(5);
    expect(text).toContain('回复「更多」看下一页');
    expect(skus(text)).not.toContain('SOLD');
  });

  it('respects a price phrase', async () => {
    const { text } = await say('o_shop_2', '150元以下的连衣裙');
    const prices = [...text.matchAll(/¥(\d+)/g)].map((m) => Number(m[1]));
    expect(prices.length).toBeGreaterThan(0);
    expect(Math.max(...prices)).toBeLessThanOrEqual(150);
  });

  it('continues with 「更多」 without repeating, and numbers across pages', async () => {
    const first = await say('o_shop_3', '连衣裙');
    const second = await say('o_shop_3', '更多');
    expect(second.text).toMatch(/^「连衣裙」第 6–10 件/);
    expect(second.text).toMatch(/\n6\. /);
    expect(skus(second.text).filter((s) => skus(first.text).includes(s))).toEqual([]);
  });

  it('answers a number with that item as one news card', async () => {
    const list = await say('o_shop_4', '连衣裙');
    const second = skus(list.text)[1]!;
    const { answer } = await say('o_shop_4', '2');
    expect(answer.reply!.MsgType).toBe('news');
    expect(answer.articles).toHaveLength(1);
    // The card is sent to this follower alone: it carries their signed token (立即下单 knows who buys).
    expect(answer.articles[0]!.url).toMatch(new RegExp(`^https://shop\\.example\\.com/m/default/p/${second}\\?t=v1\\.[\\w.-]+$`));
  });

  it('applies 便宜点 to the last query', async () => {
    const list = await say('o_shop_5', '连衣裙');
    const shown = [...list.text.matchAll(/¥(\d+)/g)].map((m) => Number(m[1]));
    const average = shown.reduce((a, b) => a + b, 0) / shown.length;
    const cheaper = await say('o_shop_5', '便宜点');
    const prices = [...cheaper.text.matchAll(/¥(\d+)/g)].map((m) => Number(m[1]));
    expect(prices.length).toBeGreaterThan(0);
    expect(Math.max(...prices)).toBeLessThan(average);
  });

  it('says so when nothing fits, and suggests what exists instead of padding', async () => {
    const { text } = await say('o_shop_6', '连衣裙 50元以下');
    expect(skus(text)).toEqual([]);
    expect(text).toContain('¥100–¥320');
  });

  it('logs every answer with its intent, slots and result ids', async () => {
    await say('o_shop_7', '连衣裙');
    const [last] = await createAnswerLog(server.sql).recent(account, 1);
    expect(last).toMatchObject({ text: '连衣裙', intent: 'product', answeredBy: 'products' });
    expect(last!.resultIds).toHaveLength(5);
    expect(last!.slots).toMatchObject({ categories: expect.arrayContaining(['女装/连衣裙']) });
  });
});

describe('hotels and deals over the webhook', () => {
  it('answers a location message with the nearest hotels, distance and price', async () => {
    const answer = await player.location('o_hotel_1', 31.232, 121.473, '人民广场');
    const text = answer.reply!.Content!;
    expect(text.split('\n')[1]).toMatch(/测试酒店\(人民广场店\)<\/a> · ¥300起 · \d+米 · 4\.5分/);
    expect(text.indexOf('测试酒店')).toBeLessThan(text.indexOf('远处酒店'));
  });

  it('shows a location label with markup as text, never as a link', async () => {
    // The label arrives in the delivery as the sender wrote it; it is echoed in the lead line.
    const answer = await player.location('o_hotel_markup', 31.232, 121.473, '<a href="javascript:alert(1)">点我领券</a>');
    const lead = answer.reply!.Content!.split('\n')[0]!;
    expect(lead).toContain('「＜a href=＂javascript:alert(1)＂＞点我领券＜/a＞」');
    expect(answer.reply!.Content!).not.toMatch(/<a href="javascript/);
  });

  it('uses the last location for 「酒店」 and asks for one when there is none', async () => {
    expect((await say('o_hotel_2', '酒店')).text).toContain('发个位置');
    await player.location('o_hotel_3', 31.232, 121.473);
    expect((await say('o_hotel_3', '酒店')).text).toContain('测试酒店');
  });

  it('answers a bare city with its live deals only', async () => {
    const { text } = await say('o_deal_1', '上海');
    expect(text).toContain('火锅双人餐');
    expect(text).not.toContain('过期电影票');
  });
});

describe('catalogue text is escaped wherever it is rendered', () => {
  it('never lets an imported title inject markup or a javascript: link into a reply', async () => {
    const { text, answer } = await say('o_evil_1', '半身裙');
    expect(text).toContain('>＜a href=＂javascript:ale…</a>'); // shown as text in full-width look-alikes, shortened
    expect(text).not.toMatch(/<script|<a href="javascript/i);
    expect(text.match(/<a /g)!.length).toBe(text.match(/<\/a>/g)!.length);
    expect(answer.body).not.toContain('<script');
    const card = await player.text('o_evil_1', '1');
    expect(card.articles[0]!.picUrl).toBe('');
    expect(card.articles[0]!.url).toMatch(/^https:\/\/shop\.example\.com\/m\/default\/p\/EVIL\?t=v1\.[\w.-]+$/);
  });

  it('escapes it on the mobile item and list pages, with no link to a javascript: URL', async () => {
    const item = await fetch(`${server.url}/m/default/p/EVIL`);
    const page = await item.text();
    expect(item.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.match(/<script/g)).toHaveLength(1); // the page's own, allowed by its hash (src/web/page-script.ts)
    expect(page).not.toContain('<script>alert');
    expect(page).not.toMatch(/(href|src)="javascript:/);
    expect(page).not.toContain('<img src=x');
    const list = await (await fetch(`${server.url}/m/default/products?cat=${encodeURIComponent('女装/半身裙')}`)).text();
    expect(list).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;');
    expect(list.match(/<script/g)).toHaveLength(1);
    expect(list).not.toContain('<script>alert');
  });

  it('tells a product page past the end from a list with nothing in it', async () => {
    const cat = encodeURIComponent('女装/连衣裙');
    expect(await (await fetch(`${server.url}/m/default/products?cat=${cat}&page=5`)).text()).toContain('已经翻到最后啦');
    expect(await (await fetch(`${server.url}/m/default/products?cat=${cat}&max=1`)).text()).toContain('没有找到符合条件的商品');
  });

  it('answers 404 for an unknown item and 400 for a malformed list link', async () => {
    expect((await fetch(`${server.url}/m/default/p/NOPE`)).status).toBe(404);
    expect((await fetch(`${server.url}/m/default/products?max=-5`)).status).toBe(400);
  });
});
