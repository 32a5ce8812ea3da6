/**
 * The catalogue search on both databases, with two instances: each holds its own index in memory, and what one
 * imports the other's search finds within a second (its poll), without a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { createSynonymStore } from '../../src/search/synonyms.ts';
import { createCatalogueSearch, type LiveCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { productQuery } from '../../src/search/types.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const shop = accountId('default');
const CSV = 'sku,title,category,price,image_url,description\nX1,法式复古碎花连衣裙,女装/连衣裙,199,https://shop.example.com/x1.jpg,收腰显瘦\nX2,纯棉白T恤,女装/T恤,59,,\n';

async function until(done: () => boolean, ms: number): Promise<number> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

describe.each(DATABASES)('the catalogue search with two instances on $name', (database) => {
  let opened: OpenedDatabase | null = null;
  const searches: LiveCatalogueSearch[] = [];
  afterEach(async () => {
    for (const s of searches.splice(0)) s.stop();
    await opened?.close();
    opened = null;
  });
  const t = it.skipIf(database.skip);

  t('finds through instance B what was imported through instance A, within a second', async () => {
    opened = await database.open();
    const a = opened.sql;
    const b = await opened.another();
    const searchA = createCatalogueSearch({ db: a, pollMs: 100 });
    const searchB = createCatalogueSearch({ db: b, pollMs: 100 });
    searches.push(searchA, searchB);
    await Promise.all([searchA.ready, searchB.ready]);
    expect(searchB.product(shop, 'X1')).toBeNull();

    const r = await importCatalogue({ db: a, account: shop, kind: 'products', text: CSV });
    expect(r.imported).toBe(2);
    const ms = await until(() => searchB.product(shop, 'X1') !== null, 1_500);
    expect(ms).toBeLessThan(1_500);
    // Whole on B too: its details come from its own database connection or memory, never another instance.
    expect(searchB.product(shop, 'X1')).toMatchObject({ title: '法式复古碎花连衣裙', imageUrl: 'https://shop.example.com/x1.jpg', description: '收腰显瘦' });
    await until(() => searchB.products(shop, productQuery({ categories: ['女装/T恤'] })).hits.length === 1, 1_500);

    // Taken off sale on B: gone from A's search within its poll.
    await createCatalogueStore(b).setOffSale('products', shop, ['X1'], true);
    await until(() => searchA.product(shop, 'X1') === null, 1_500);
  });

  t('loads what is already there at start, and applies a synonym written by the other instance', async () => {
    opened = await database.open();
    const a = opened.sql;
    const b = await opened.another();
    await importCatalogue({ db: a, account: shop, kind: 'products', text: CSV });
    const searchB = createCatalogueSearch({ db: b, pollMs: 100 });
    searches.push(searchB);
    await searchB.ready;
    expect(searchB.product(shop, 'X2')).toMatchObject({ title: '纯棉白T恤', priceFen: 5900 });
    expect(searchB.understand('小碎花', shop).slots.categories).toEqual([]);
    await createSynonymStore(a).create(shop, { phrase: '小碎花', meaning: '碎花连衣裙' });
    await until(() => searchB.understand('小碎花', shop).slots.categories.includes('女装/连衣裙'), 1_500);
  });

  t('two imports through two instances at once land whole, each batch its own revision', async () => {
    opened = await database.open();
    const a = opened.sql;
    const b = await opened.another();
    const rows = (prefix: string) => ['sku,title,category,price', ...Array.from({ length: 300 }, (_, i) => `${prefix}${i},连衣裙${prefix}${i},女装/连衣裙,${100 + i}`)].join('\n');
    const [ra, rb] = await Promise.all([
      importCatalogue({ db: a, account: shop, kind: 'products', text: rows('A'), batchSize: 50 }),
      importCatalogue({ db: b, account: shop, kind: 'products', text: rows('B'), batchSize: 50 }),
    ]);
    expect([ra.imported, rb.imported]).toEqual([300, 300]);
    const store = createCatalogueStore(a);
    expect(await store.count('products', shop)).toBe(600);
    expect(await store.currentRev()).toBe(12);
    const revs = await a.all<{ rev: number; n: number }>('SELECT rev, count(*) AS n FROM products GROUP BY rev ORDER BY rev');
    expect(revs.map((r) => r.rev)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(revs.every((r) => r.n === 50)).toBe(true);
  });
});
