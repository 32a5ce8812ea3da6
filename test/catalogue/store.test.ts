import { afterEach, describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Deal, Hotel, Product } from '../../src/catalogue/types.ts';
import { manualClock } from '../../src/core/clock.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const SHOP = accountId('shop');
const OTHER = accountId('other');

const product = (sku: string, over: Partial<Product> = {}): Product => ({
  account: SHOP,
  sku,
  title: `优衣库 纯棉连衣裙 ${sku}`,
  category: ['女装', '连衣裙'],
  priceFen: 19900,
  originalPriceFen: 29900,
  brand: '优衣库',
  tags: ['红色', '纯棉'],
  stock: 5,
  imageUrl: `https://shop.example.com/img/${sku}.jpg`,
  url: `https://shop.example.com/p/${sku}`,
  description: null,
  ...over,
});

const hotel: Hotel = {
  account: SHOP,
  id: 'H1',
  name: '汉庭酒店(上海人民广场店)',
  city: '上海',
  lat: 31.2317,
  lng: 121.4726,
  district: '黄浦区',
  address: '黄浦区西藏中路268号',
  priceFen: 25900,
  rating: 4.5,
  stars: 2,
  phone: '021-63511111',
  url: null,
  imageUrl: null,
  tags: ['近地铁'],
};

const deal: Deal = {
  account: SHOP,
  id: 'D1',
  title: '海底捞 4人套餐',
  city: '上海',
  priceFen: 39800,
  originalPriceFen: 52000,
  merchant: '海底捞火锅(人民广场店)',
  district: '黄浦区',
  category: '美食',
  startsAt: Date.parse('2026-01-01T00:00:00+08:00'),
  endsAt: Date.parse('2027-12-31T23:59:59+08:00'),
  stock: 0,
  url: 'https://shop.example.com/d/D1',
  imageUrl: null,
  lat: 31.23,
  lng: 121.47,
};

describe.each(DATABASES)('catalogue store on $name', (database) => {
  let opened: OpenedDatabase | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });
  /** A fresh database: its adapter, and another instance's on the same database. */
  async function fresh(): Promise<{ sql: Sql; another: () => Promise<Sql> }> {
    opened = await database.open();
    return { sql: opened.sql, another: () => opened!.another() };
  }
  const t = it.skipIf(database.skip);
  t('round-trips products, hotels and deals with tags and category paths', async () => {
    const store = createCatalogueStore((await fresh()).sql);
    await store.upsertProducts([product('A1')]);
    await store.upsertHotels([hotel]);
    await store.upsertDeals([deal]);
    expect(await store.allProducts(SHOP)).toEqual([product('A1')]);
    expect(await store.allHotels(SHOP)).toEqual([hotel]);
    expect(await store.allDeals(SHOP)).toEqual([deal]);
    expect(await store.categories(SHOP)).toEqual([['女装', '连衣裙']]);
  });

  t('upserts by (account, sku): the same sku replaces the row, another account keeps its own', async () => {
    const store = createCatalogueStore((await fresh()).sql);
    expect(await store.upsertProducts([product('A1'), product('A2')])).toMatchObject({ inserted: 2, updated: 0 });
    expect(await store.upsertProducts([product('A1', { priceFen: 9900, tags: [] }), product('A1', { account: OTHER })])).toMatchObject({
      inserted: 1,
      updated: 1,
    });
    expect((await store.allProducts(SHOP)).find((p) => p.sku === 'A1')).toMatchObject({ priceFen: 9900, tags: [] });
    expect(await store.count('products', SHOP)).toBe(2);
    expect(await store.count('products', OTHER)).toBe(1);
  });

  t('takes one revision per batch and stamps every row of the batch with it', async () => {
    const { sql } = await fresh();
    const store = createCatalogueStore(sql);
    expect(await store.currentRev()).toBe(0);
    const first = await store.upsertProducts([product('A1'), product('A2'), product('A3')]);
    const second = await store.upsertHotels([hotel]);
    expect([first.rev, second.rev, await store.currentRev()]).toEqual([1, 2, 2]);
    expect(await sql.all('SELECT DISTINCT rev FROM products')).toEqual([{ rev: 1 }]);
    expect((await store.upsertProducts([])).rev).toBe(2); // an empty batch takes no revision
  });

  t('writes nothing of a batch when one row violates a constraint, and keeps the revision', async () => {
    const store = createCatalogueStore((await fresh()).sql);
    await store.upsertProducts([product('A1')]);
    await expect(store.upsertProducts([product('A2'), product('A3', { priceFen: -1 }), product('A4')])).rejects.toThrow(/check constraint/i);
    expect((await store.allProducts(SHOP)).map((p) => p.sku)).toEqual(['A1']);
    expect(await store.currentRev()).toBe(1);
  });

  t('soft-deletes: gone from allProducts and count, reported by the change feed, back on re-import', async () => {
    const store = createCatalogueStore((await fresh()).sql);
    await store.upsertProducts([product('A1'), product('A2')]);
    const before = await store.currentRev();
    expect(await store.deleteProducts(SHOP, ['A1', 'nope'])).toBe(1);
    expect((await store.allProducts(SHOP)).map((p) => p.sku)).toEqual(['A2']);
    expect(await store.count('products', SHOP)).toBe(1);
    expect(await store.changesSince('products', before)).toEqual({ rev: before + 1, upserted: [], deleted: [{ account: SHOP, id: 'A1' }] });
    expect(await store.upsertProducts([product('A1')])).toMatchObject({ inserted: 1, updated: 0 });
    expect(await store.count('products', SHOP)).toBe(2);
  });

  t('takes items off sale: kept and readable, but gone from the feed, the index load and the counts; back on sale, fed again', async () => {
    const { sql, another } = await fresh();
    const writer = createCatalogueStore(sql);
    const reader = createCatalogueStore(await another());
    await writer.upsertProducts([product('A'), product('B', { category: ['男装', '衬衫'] })]);
    const seen = await reader.currentRev();
    expect(await writer.setOffSale('products', SHOP, ['B', 'NOPE'], true)).toBe(1);
    expect(await writer.setOffSale('products', SHOP, ['B'], true)).toBe(0); // already off sale: no new revision's worth of change
    const off = await reader.changesSince('products', seen);
    expect([off.upserted, off.deleted]).toEqual([[], [{ account: SHOP, id: 'B' }]]);
    expect((await reader.allProducts(SHOP)).map((p) => p.sku)).toEqual(['A']);
    expect([await reader.count('products', SHOP), await reader.categories(SHOP)]).toEqual([1, [['女装', '连衣裙']]]);
    expect(await reader.get('products', SHOP, 'B')).toMatchObject({ offSale: true, item: { sku: 'B' } });
    // A rewrite (an import, an edit) keeps it off sale.
    await writer.upsertProducts([product('B', { priceFen: 100 })]);
    expect((await reader.changesSince('products', off.rev)).deleted).toEqual([{ account: SHOP, id: 'B' }]);
    expect(await writer.setOffSale('products', SHOP, ['B'], false)).toBe(1);
    expect((await reader.changesSince('products', off.rev)).upserted.map((p) => [p.sku, p.priceFen])).toEqual([['B', 100]]);
    // Deleted, then re-imported: on sale again.
    await writer.setOffSale('products', SHOP, ['A'], true);
    await writer.deleteProducts(SHOP, ['A']);
    expect(await reader.get('products', SHOP, 'A')).toBeNull();
    await writer.upsertProducts([product('A')]);
    expect((await reader.get('products', SHOP, 'A'))?.offSale).toBe(false);
  });

  t('stamps updated_at from the injected clock', async () => {
    const { sql } = await fresh();
    await createCatalogueStore(sql, manualClock(1_800_000_000_000)).upsertProducts([product('A1')]);
    expect(await sql.all('SELECT updated_at FROM products')).toEqual([{ updated_at: 1_800_000_000_000 }]);
  });

  t('feeds another connection (another process) whole batches across accounts, kind by kind', async () => {
    const { sql, another } = await fresh();
    const writer = createCatalogueStore(sql);
    const reader = createCatalogueStore(await another());
    let seen = await reader.currentRev();
    expect(await reader.changesSince('products', seen)).toEqual({ rev: 0, upserted: [], deleted: [] });

    await writer.upsertProducts([product('A1'), product('B1', { account: OTHER })]);
    await writer.upsertDeals([deal]);
    const products = await reader.changesSince('products', seen);
    expect(products.rev).toBe(2);
    expect(products.upserted.map((p) => [p.account, p.sku])).toEqual([
      [OTHER, 'B1'],
      [SHOP, 'A1'],
    ]);
    expect((await reader.changesSince('deals', seen)).upserted).toEqual([deal]);
    expect((await reader.changesSince('hotels', seen)).upserted).toEqual([]);
    seen = products.rev;

    await writer.upsertProducts([product('A1', { priceFen: 100 })]);
    expect(await reader.changesSince('products', seen)).toMatchObject({ rev: 3, upserted: [{ sku: 'A1', priceFen: 100 }], deleted: [] });
  });

  t('pages the feed up to a revision in feed order; a row rewritten meanwhile is read past that revision', async () => {
    const { sql, another } = await fresh();
    const writer = createCatalogueStore(sql);
    const reader = createCatalogueStore(await another());
    await writer.upsertProducts([product('A1'), product('A2'), product('B1', { account: OTHER })]);
    await writer.upsertProducts([product('A3'), product('A4')]);
    await writer.deleteProducts(SHOP, ['A2']);
    const upTo = await reader.currentRev();

    const first = await reader.changesPage('products', { rev: 0 }, upTo, 2);
    expect(first.upserted.map((p) => [p.account, p.sku])).toEqual([[OTHER, 'B1'], [SHOP, 'A1']]);
    expect(first.next).toEqual({ rev: 1, after: { account: SHOP, id: 'A1' } });
    // A3 is rewritten between two pages: it moves past upTo, and the next range reads it.
    await writer.upsertProducts([product('A3', { priceFen: 100 })]);
    const second = await reader.changesPage('products', first.next!, upTo, 2);
    expect(second.upserted.map((p) => p.sku)).toEqual(['A4']);
    expect(second.deleted).toEqual([{ account: SHOP, id: 'A2' }]);
    expect(await reader.changesPage('products', second.next!, upTo, 2)).toEqual({ upserted: [], deleted: [], next: null });
    expect(await reader.changesPage('products', { rev: upTo }, await reader.currentRev(), 10)).toMatchObject({ upserted: [{ sku: 'A3', priceFen: 100 }], next: null });
  });

  t('two instances writing at once take distinct revisions, count inserted and updated right, and lose no row', async () => {
    const { sql, another } = await fresh();
    const a = createCatalogueStore(sql);
    const b = createCatalogueStore(await another());
    const skus = (from: number) => Array.from({ length: 50 }, (_, i) => product(`S${String(from + i).padStart(3, '0')}`));
    // Overlapping batches (S025–S049 in both): whichever lands second updates them.
    const [ra, rb] = await Promise.all([a.upsertProducts(skus(0)), b.upsertProducts(skus(25))]);
    expect(new Set([ra.rev, rb.rev])).toEqual(new Set([1, 2]));
    expect(ra.inserted + rb.inserted).toBe(75);
    expect(ra.updated + rb.updated).toBe(25);
    expect(await a.count('products', SHOP)).toBe(75);
    const feed = await b.changesSince('products', 0);
    expect([feed.rev, feed.upserted.length]).toEqual([2, 75]);
  });

  t('two instances tagging the same products at once keep both tags', async () => {
    const { sql, another } = await fresh();
    const a = createCatalogueStore(sql);
    const b = createCatalogueStore(await another());
    await a.upsertProducts([product('A1'), product('A2')]);
    const [ta, tb] = await Promise.all([a.tagProducts(SHOP, ['A1', 'A2'], '通勤'), b.tagProducts(SHOP, ['A1', 'A2'], '约会')]);
    expect([ta.tagged, tb.tagged]).toEqual([['A1', 'A2'], ['A1', 'A2']]);
    for (const p of await b.allProducts(SHOP)) expect(p.tags).toEqual(expect.arrayContaining(['红色', '纯棉', '通勤', '约会']));
    expect(await a.currentRev()).toBe(3);
  });

  t('reads every product in pages for the index, summaries and details alike', async () => {
    const { sql } = await fresh();
    const store = createCatalogueStore(sql);
    const many = Array.from({ length: 5_003 }, (_, i) => product(`P${String(i).padStart(5, '0')}`, { description: `第${i}件` }));
    await store.upsertProducts(many);
    await store.setOffSale('products', SHOP, ['P00007'], true);
    const { SummaryInterner } = await import('../../src/catalogue/product-summary.ts');
    const seen: string[] = [];
    expect(await store.eachProductSummary(new SummaryInterner(), (p) => seen.push(p.sku))).toBe(2);
    expect(seen).toHaveLength(5_002);
    expect(seen).not.toContain('P00007');
    expect(new Set(seen).size).toBe(5_002);
    const details = new Map<string, string | null>();
    await store.eachProductDetails((_account, sku, d) => details.set(sku, d.description));
    expect([details.size, details.get('P05002')]).toEqual([5_002, '第5002件']);
    // PostgreSQL writes the 5,003 rows one statement (a round trip) at a time: slow on a busy machine.
  }, 120_000);
});
