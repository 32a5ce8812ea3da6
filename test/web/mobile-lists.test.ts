import { afterAll, describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Deal, Hotel } from '../../src/catalogue/types.ts';
import { addressLine } from '../../src/agent/format.ts';
import { testServer } from '../helpers/server.ts';

const account = accountId('default');
const server = await testServer({ env: { GUANG_PUBLIC_URL: 'https://shop.example.com' } });
afterAll(() => server.close());
const catalogue = createCatalogueStore(server.sql);

const deal = (i: number): Deal => ({
  account, id: `D${String(i).padStart(3, '0')}`, title: `测试团购 ${i}`, city: '杭州', priceFen: 1000 + i, originalPriceFen: null,
  merchant: null, district: null, category: '美食', startsAt: null, endsAt: null, stock: null, url: null, imageUrl: null, lat: null, lng: null,
});
const hotel = (i: number): Hotel => ({
  account, id: `H${String(i).padStart(3, '0')}`, name: `测试酒店 ${i}`, city: '杭州', lat: 30.25 + i / 1000, lng: 120.16, district: null,
  address: null, priceFen: 20000 + i, rating: 4 + i / 100, stars: null, phone: null, url: null, imageUrl: null, tags: [],
});
await catalogue.upsertDeals(Array.from({ length: 45 }, (_, i) => deal(i)));
await catalogue.upsertHotels(Array.from({ length: 25 }, (_, i) => hotel(i)));
// 苏州: hotels of every star level (H1xx), deals near and far from a point (D1xx).
await catalogue.upsertHotels(Array.from({ length: 6 }, (_, i) => ({ ...hotel(100 + i), city: '苏州', lat: 31.3, stars: i })));
await catalogue.upsertDeals(Array.from({ length: 6 }, (_, i) => ({ ...deal(100 + i), city: '苏州', lat: 31.3 + (i % 3) / 100, lng: 120.6, title: i < 3 ? `火锅 ${i}` : `烧烤 ${i}` })));
await server.search.refresh();

/** The item ids a list page links to, and whether it links a next / previous page. */
async function list(path: string, kind: 'd' | 'h') {
  const res = await fetch(`${server.url}${path}`);
  const body = await res.text();
  return {
    status: res.status,
    ids: [...body.matchAll(new RegExp(`class="item" href="[^"]*/m/default/${kind}/([A-Z0-9]+)[?"]`, 'g'))].map((m) => m[1]!),
    next: body.includes('下一页'),
    prev: body.includes('上一页'),
  };
}

describe('mobile list pages of hotels and deals', () => {
  it('page through every live deal of a city, 20 at a time, without repeating one', async () => {
    const path = `/m/default/deals?city=${encodeURIComponent('杭州')}`;
    const pages = [await list(path, 'd'), await list(`${path}&page=2`, 'd'), await list(`${path}&page=3`, 'd')];
    expect(pages.map((p) => p.ids.length)).toEqual([20, 20, 5]);
    expect(pages.map((p) => [p.prev, p.next])).toEqual([[false, true], [true, true], [true, false]]);
    expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(45);
  });

  it('page through the hotels of a city and near a point', async () => {
    for (const path of [`/m/default/hotels?city=${encodeURIComponent('杭州')}`, '/m/default/hotels?lat=30.25&lng=120.16']) {
      const [first, second] = [await list(path, 'h'), await list(`${path}&page=2`, 'h')];
      expect([first.ids.length, second.ids.length]).toEqual([20, 5]);
      expect([first.next, second.next, second.prev]).toEqual([true, false, true]);
      expect(new Set([...first.ids, ...second.ids]).size).toBe(25);
    }
  });

  it('answers a page past the end with a way back to the first page, and a bad page number with 400', async () => {
    for (const path of [`/m/default/deals?city=${encodeURIComponent('杭州')}&page=9`, `/m/default/hotels?city=${encodeURIComponent('杭州')}&page=9`]) {
      const body = await (await fetch(`${server.url}${path}`)).text();
      expect(body).toContain('已经翻到最后啦');
      const first = /href="([^"]*)">回到第一页/.exec(body)![1]!;
      expect(first).toContain(`city=${encodeURIComponent('杭州')}`);
      expect(first).not.toContain('page=');
    }
    expect(await (await fetch(`${server.url}/m/default/deals?city=${encodeURIComponent('拉萨')}`)).text()).toContain('暂时没有进行中的团购');
    expect((await list('/m/default/hotels?city=x&page=0', 'h')).status).toBe(400);
  });

  it('refuses pages past 50 and malformed filters', async () => {
    const city = `city=${encodeURIComponent('杭州')}`;
    for (const query of [`${city}&page=51`, `${city}&sort=random`, `${city}&max=-1`, `${city}&lat=91&lng=0`]) {
      expect((await list(`/m/default/deals?${query}`, 'd')).status).toBe(400);
    }
    for (const query of [`${city}&page=51`, `${city}&stars=6`, `${city}&stars=5-3`, `${city}&stars=abc`]) {
      expect((await list(`/m/default/hotels?${query}`, 'h')).status).toBe(400);
    }
    expect((await list(`/m/default/deals?${city}&page=50`, 'd')).status).toBe(200);
  });
});

describe('mobile list pages keep the filters of the chat list', () => {
  const price = (id: string) => 1000 + Number(id.slice(1));

  it('keeps a price limit and a price sort on deals', async () => {
    const r = await list(`/m/default/deals?city=${encodeURIComponent('杭州')}&max=1010&sort=price_desc`, 'd');
    expect(r.ids.map(price)).toEqual([1010, 1009, 1008, 1007, 1006, 1005, 1004, 1003, 1002, 1001, 1000]);
  });

  it('keeps the words a deal must mention', async () => {
    const r = await list(`/m/default/deals?city=${encodeURIComponent('苏州')}&q=${encodeURIComponent('火锅')}`, 'd');
    expect(r.ids.sort()).toEqual(['D100', 'D101', 'D102']);
  });

  it('orders 附近 deals by distance from the point', async () => {
    const r = await list(`/m/default/deals?city=${encodeURIComponent('苏州')}&sort=distance&lat=31.3&lng=120.6`, 'd');
    expect(r.ids.map((id) => (Number(id.slice(1)) - 100) % 3)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('keeps a star level on hotels', async () => {
    const city = `city=${encodeURIComponent('苏州')}`;
    expect((await list(`/m/default/hotels?${city}&stars=5`, 'h')).ids).toEqual(['H105']);
    expect((await list(`/m/default/hotels?${city}&stars=0-2`, 'h')).ids.sort()).toEqual(['H100', 'H101', 'H102']);
  });
});

describe('an address line', () => {
  it.each([
    [['静安区愚园路972号', '上海', '静安区'], '上海 静安区愚园路972号'],
    [['上海市静安区愚园路972号', '上海', '静安区'], '上海市静安区愚园路972号'],
    [['愚园路972号', '上海', '静安区'], '上海 静安区 愚园路972号'],
    [[null, '上海', null], '上海'],
  ] as const)('reads %j as %j', (parts, line) => {
    const [address, ...around] = parts;
    expect(addressLine(address, ...around)).toBe(line);
  });
});
