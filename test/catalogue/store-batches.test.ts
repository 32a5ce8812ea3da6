/**
 * Large and awkward catalogue batches, the same on both databases (PostgreSQL writes a batch a few thousand rows a
 * statement, SQLite a row at a time): the same id twice in one batch, rows that were deleted or taken off sale, a
 * batch of several statements, a bad row in the last statement of one, a lone surrogate — and an import's counts
 * and failures by line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import type { Hotel, Product } from '../../src/catalogue/types.ts';
import { accountId } from '../../src/core/messages.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const SHOP = accountId('shop');
const OTHER = accountId('other');

const product = (sku: string, over: Partial<Product> = {}): Product => ({
  account: SHOP, sku, title: `纯棉连衣裙 ${sku}`, category: ['女装', '连衣裙'], priceFen: 19900, originalPriceFen: null, brand: null,
  tags: ['纯棉'], stock: 5, imageUrl: null, url: null, description: null, ...over,
});
const hotel = (id: string, over: Partial<Hotel> = {}): Hotel => ({
  account: SHOP, id, name: `酒店 ${id}`, city: '上海', lat: 31.2317, lng: 121.4726, district: null, address: null, priceFen: 25900,
  rating: 4.5, stars: 2, phone: null, url: null, imageUrl: null, tags: [], ...over,
});

describe.each(DATABASES)('catalogue batches on $name', (database) => {
  let opened: OpenedDatabase | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });
  const fresh = async (): Promise<Sql> => (opened = await database.open()).sql;
  const t = it.skipIf(database.skip);

  t('the same sku twice in one batch: the last one wins and the second counts as an update', async () => {
    const store = createCatalogueStore(await fresh());
    expect(await store.upsertProducts([product('A1', { priceFen: 100 }), product('A2'), product('A1', { priceFen: 200 })])).toMatchObject({ inserted: 2, updated: 1 });
    expect(await store.upsertProducts([product('A1', { priceFen: 300 }), product('A1', { priceFen: 400 }), product('A1', { account: OTHER })])).toMatchObject({ inserted: 1, updated: 2 });
    expect((await store.get('products', SHOP, 'A1'))?.item.priceFen).toBe(400);
    expect(await store.count('products', SHOP)).toBe(2);
  });

  t('a deleted row written again counts as inserted and is on sale; an off-sale row rewritten stays off sale', async () => {
    const store = createCatalogueStore(await fresh());
    await store.upsertProducts([product('GONE'), product('OFF'), product('LIVE')]);
    await store.deleteProducts(SHOP, ['GONE']);
    await store.setOffSale('products', SHOP, ['OFF'], true);
    expect(await store.upsertProducts([product('GONE', { title: '回来了' }), product('OFF', { title: '改了' }), product('LIVE'), product('NEW')])).toMatchObject({ inserted: 2, updated: 2 });
    expect(await store.get('products', SHOP, 'GONE')).toMatchObject({ offSale: false, item: { title: '回来了' } });
    expect(await store.get('products', SHOP, 'OFF')).toMatchObject({ offSale: true, item: { title: '改了' } });
  });

  t('a batch of 4,500 products (several statements on PostgreSQL) takes one revision and counts every row', async () => {
    const sql = await fresh();
    const store = createCatalogueStore(sql);
    await store.upsertProducts(Array.from({ length: 1_000 }, (_, i) => product(`P${String(i * 3).padStart(5, '0')}`)));
    const many = Array.from({ length: 4_500 }, (_, i) => product(`P${String(i).padStart(5, '0')}`, { priceFen: i, tags: [`t${i % 7}`] }));
    expect(await store.upsertProducts(many)).toEqual({ rev: 2, inserted: 3_500, updated: 1_000 });
    expect(await sql.all('SELECT rev, COUNT(*) AS n FROM products GROUP BY rev ORDER BY rev')).toEqual([{ rev: 2, n: 4_500 }]);
    expect((await store.get('products', SHOP, 'P04499'))?.item).toEqual(many[4_499]);
  });

  t('a bad row in the last part of a large batch leaves nothing of the batch written and the revision as it was', async () => {
    const store = createCatalogueStore(await fresh());
    await store.upsertProducts([product('KEEP')]);
    const many = Array.from({ length: 4_500 }, (_, i) => product(`P${String(i).padStart(5, '0')}`, i === 4_321 ? { priceFen: -1 } : {}));
    await expect(store.upsertProducts(many)).rejects.toThrow(/check constraint/i);
    expect(await store.count('products', SHOP)).toBe(1);
    expect(await store.currentRev()).toBe(1);
  });

  t('hotels keep their coordinates and ratings exactly, and nulls stay null', async () => {
    const store = createCatalogueStore(await fresh());
    const h = hotel('H1', { lat: 0.1 + 0.2, lng: -121.123456789012, rating: null, stars: null });
    await store.upsertHotels([h, hotel('H2')]);
    expect(await store.allHotels(SHOP)).toEqual([h, hotel('H2')]);
  });

  // SQLite writes the row as it always did (a lone surrogate's three bytes, read back as three U+FFFD).
  it.skipIf(database.skip || database.name !== 'postgres')('a lone surrogate in a title is stored as U+FFFD, as a parameter stores it', async () => {
    const store = createCatalogueStore(await fresh());
    await store.upsertProducts([product('S1', { title: 'a\ud800b', tags: ['x\udc00'] }), product('S2', { title: '😀 \\ud800' })]);
    // Tags are stored as JSON text, where the surrogate is an escape: they come back as they went.
    expect((await store.get('products', SHOP, 'S1'))?.item).toMatchObject({ title: 'a\ufffdb', tags: ['x\udc00'] });
    expect((await store.get('products', SHOP, 'S2'))?.item.title).toBe('😀 \\ud800');
  });

  t('an import reports bad rows by line and counts duplicates in the file as updates', async () => {
    const sql = await fresh();
    const text = [
      'sku,title,category,price',
      'A1,碎花连衣裙,女装/连衣裙,199',
      'A2,真丝半身裙,女装/半身裙,abc',
      'A1,碎花连衣裙 新款,女装/连衣裙,299',
      'A3,纯棉衬衫,男装/衬衫,99',
    ].join('\n');
    const r = await importCatalogue({ db: sql, account: SHOP, kind: 'products', text, batchSize: 2 });
    expect(r).toMatchObject({ imported: 3, updated: 1, total: 4, failedCount: 1, failed: [{ line: 3, reason: expect.stringMatching(/price/) }] });
    expect((await createCatalogueStore(sql).get('products', SHOP, 'A1'))?.item).toMatchObject({ title: '碎花连衣裙 新款', priceFen: 29900 });
  });
});
