import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Deal, Hotel, Product } from '../../src/catalogue/types.ts';
import { manualClock } from '../../src/core/clock.ts';
import { openDb } from '../../src/db/db.ts';
import { tempDbPath } from '../helpers/temp.ts';

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

describe('catalogue store', () => {
  it('round-trips products, hotels and deals with tags and category paths', () => {
    const store = createCatalogueStore(openDb(tempDbPath()));
    store.upsertProducts([product('A1')]);
    store.upsertHotels([hotel]);
    store.upsertDeals([deal]);
    expect(store.allProducts(SHOP)).toEqual([product('A1')]);
    expect(store.allHotels(SHOP)).toEqual([hotel]);
    expect(store.allDeals(SHOP)).toEqual([deal]);
    expect(store.categories(SHOP)).toEqual([['女装', '连衣裙']]);
  });

  it('upserts by (account, sku): the same sku replaces the row, another account keeps its own', () => {
    const store = createCatalogueStore(openDb(tempDbPath()));
    expect(store.upsertProducts([product('A1'), product('A2')])).toMatchObject({ inserted: 2, updated: 0 });
    expect(store.upsertProducts([product('A1', { priceFen: 9900, tags: [] }), product('A1', { account: OTHER })])).toMatchObject({
      inserted: 1,
      updated: 1,
    });
    expect(store.allProducts(SHOP).find((p) => p.sku === 'A1')).toMatchObject({ priceFen: 9900, tags: [] });
    expect(store.count('products', SHOP)).toBe(2);
    expect(store.count('products', OTHER)).toBe(1);
  });

  it('takes one revision per batch and stamps every row of the batch with it', () => {
    const db = openDb(tempDbPath());
    const store = createCatalogueStore(db);
    expect(store.currentRev()).toBe(0);
    const first = store.upsertProducts([product('A1'), product('A2'), product('A3')]);
    const second = store.upsertHotels([hotel]);
    expect([first.rev, second.rev, store.currentRev()]).toEqual([1, 2, 2]);
    expect(db.prepare('SELECT DISTINCT rev FROM products').pluck().all()).toEqual([1]);
    expect(store.upsertProducts([]).rev).toBe(2); // an empty batch takes no revision
  });

  it('writes nothing of a batch when one row violates a constraint, and keeps the revision', () => {
    const store = createCatalogueStore(openDb(tempDbPath()));
    store.upsertProducts([product('A1')]);
    expect(() => store.upsertProducts([product('A2'), product('A3', { priceFen: -1 }), product('A4')])).toThrow(/CHECK constraint/);
    expect(store.allProducts(SHOP).map((p) => p.sku)).toEqual(['A1']);
    expect(store.currentRev()).toBe(1);
  });

  it('soft-deletes: gone from allProducts and count, reported by the change feed, back on re-import', () => {
    const store = createCatalogueStore(openDb(tempDbPath()));
    store.upsertProducts([product('A1'), product('A2')]);
    const before = store.currentRev();
    expect(store.deleteProducts(SHOP, ['A1', 'nope'])).toBe(1);
    expect(store.allProducts(SHOP).map((p) => p.sku)).toEqual(['A2']);
    expect(store.count('products', SHOP)).toBe(1);
    expect(store.changesSince('products', before)).toEqual({ rev: before + 1, upserted: [], deleted: [{ account: SHOP, id: 'A1' }] });
    expect(store.upsertProducts([product('A1')])).toMatchObject({ inserted: 1, updated: 0 });
    expect(store.count('products', SHOP)).toBe(2);
  });

  it('takes items off sale: kept and readable, but gone from the feed, the index load and the counts; back on sale, fed again', () => {
    const file = tempDbPath();
    const writer = createCatalogueStore(openDb(file));
    const reader = createCatalogueStore(openDb(file));
    writer.upsertProducts([product('A'), product('B', { category: ['男装', '衬衫'] })]);
    const seen = reader.currentRev();
    expect(writer.setOffSale('products', SHOP, ['B', 'NOPE'], true)).toBe(1);
    expect(writer.setOffSale('products', SHOP, ['B'], true)).toBe(0); // already off sale: no new revision's worth of change
    const off = reader.changesSince('products', seen);
    expect([off.upserted, off.deleted]).toEqual([[], [{ account: SHOP, id: 'B' }]]);
    expect(reader.allProducts(SHOP).map((p) => p.sku)).toEqual(['A']);
    expect([reader.count('products', SHOP), reader.categories(SHOP)]).toEqual([1, [['女装', '连衣裙']]]);
    expect(reader.get('products', SHOP, 'B')).toMatchObject({ offSale: true, item: { sku: 'B' } });
    // A rewrite (an import, an edit) keeps it off sale.
    writer.upsertProducts([product('B', { priceFen: 100 })]);
    expect(reader.changesSince('products', off.rev).deleted).toEqual([{ account: SHOP, id: 'B' }]);
    expect(writer.setOffSale('products', SHOP, ['B'], false)).toBe(1);
    expect(reader.changesSince('products', off.rev).upserted.map((p) => [p.sku, p.priceFen])).toEqual([['B', 100]]);
    // Deleted, then re-imported: on sale again.
    writer.setOffSale('products', SHOP, ['A'], true);
    writer.deleteProducts(SHOP, ['A']);
    expect(reader.get('products', SHOP, 'A')).toBeNull();
    writer.upsertProducts([product('A')]);
    expect(reader.get('products', SHOP, 'A')?.offSale).toBe(false);
  });

  it('stamps updated_at from the injected clock', () => {
    const db = openDb(tempDbPath());
    createCatalogueStore(db, manualClock(1_800_000_000_000)).upsertProducts([product('A1')]);
    expect(db.prepare('SELECT updated_at FROM products').pluck().get()).toBe(1_800_000_000_000);
  });

  it('feeds another connection (another process) whole batches across accounts, kind by kind', () => {
    const file = tempDbPath();
    const writer = createCatalogueStore(openDb(file));
    const reader = createCatalogueStore(openDb(file));
    let seen = reader.currentRev();
    expect(reader.changesSince('products', seen)).toEqual({ rev: 0, upserted: [], deleted: [] });

    writer.upsertProducts([product('A1'), product('B1', { account: OTHER })]);
    writer.upsertDeals([deal]);
    const products = reader.changesSince('products', seen);
    expect(products.rev).toBe(2);
    expect(products.upserted.map((p) => [p.account, p.sku])).toEqual([
      [OTHER, 'B1'],
      [SHOP, 'A1'],
    ]);
    expect(reader.changesSince('deals', seen).upserted).toEqual([deal]);
    expect(reader.changesSince('hotels', seen).upserted).toEqual([]);
    seen = products.rev;

    writer.upsertProducts([product('A1', { priceFen: 100 })]);
    expect(reader.changesSince('products', seen)).toMatchObject({ rev: 3, upserted: [{ sku: 'A1', priceFen: 100 }], deleted: [] });
  });

  it('pages the feed up to a revision in feed order; a row rewritten meanwhile is read past that revision', () => {
    const file = tempDbPath();
    const writer = createCatalogueStore(openDb(file));
    const reader = createCatalogueStore(openDb(file));
    writer.upsertProducts([product('A1'), product('A2'), product('B1', { account: OTHER })]);
    writer.upsertProducts([product('A3'), product('A4')]);
    writer.deleteProducts(SHOP, ['A2']);
    const upTo = reader.currentRev();

    const first = reader.changesPage('products', { rev: 0 }, upTo, 2);
    expect(first.upserted.map((p) => [p.account, p.sku])).toEqual([[OTHER, 'B1'], [SHOP, 'A1']]);
    expect(first.next).toEqual({ rev: 1, after: { account: SHOP, id: 'A1' } });
    // A3 is rewritten between two pages: it moves past upTo, and the next range reads it.
    writer.upsertProducts([product('A3', { priceFen: 100 })]);
    const second = reader.changesPage('products', first.next!, upTo, 2);
    expect(second.upserted.map((p) => p.sku)).toEqual(['A4']);
    expect(second.deleted).toEqual([{ account: SHOP, id: 'A2' }]);
    expect(reader.changesPage('products', second.next!, upTo, 2)).toEqual({ upserted: [], deleted: [], next: null });
    expect(reader.changesPage('products', { rev: upTo }, reader.currentRev(), 10)).toMatchObject({ upserted: [{ sku: 'A3', priceFen: 100 }], next: null });
  });
});
