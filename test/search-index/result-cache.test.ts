/**
 * Followers asking the same thing share one computed page (src/search/result-cache.ts), and a change to the
 * catalogue is seen by the next search: a sold-out product leaves the shared page, a new one joins it, and what
 * a follower has already seen (「更多」) is theirs alone.
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Product, ProductSummary } from '../../src/catalogue/types.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { productQuery } from '../../src/search/types.ts';
import { openRunDatabase, runDatabase } from '../helpers/run-database.ts';

const account = accountId('default');
const product = (sku: string, priceFen: number, stock: number | null = null): Product => ({
  account, sku, title: `真丝连衣裙 ${sku}`, category: ['女装', '连衣裙'], priceFen, originalPriceFen: null, brand: null,
  tags: [], stock, imageUrl: null, url: null, description: null,
});

async function shop() {
  const { sql: db } = await openRunDatabase(await runDatabase());
  const store = createCatalogueStore(db);
  await store.upsertProducts([product('A', 10_000), product('B', 20_000), product('C', 30_000)]);
  const search = createCatalogueSearch({ db, pollMs: 0 });
  await search.ready;
  return { store, search, stop: () => search.stop() };
}

const dresses = (exclude: readonly string[] = []) =>
  productQuery({ categories: ['女装/连衣裙'], sort: 'price_asc', limit: 2, exclude: new Set(exclude) });
const skus = (r: { hits: readonly { product: ProductSummary }[] }) => r.hits.map((h) => h.product.sku);

describe('shared search results', () => {
  it('gives the same query the same computed page, whatever label the remembered query carries', async () => {
    const { search, stop } = await shop();
    const first = search.products(account, dresses());
    const again = search.products(account, { ...dresses(), label: '连衣裙' } as ReturnType<typeof dresses>);
    expect(again).toBe(first);
    expect(skus(first)).toEqual(['A', 'B']);
    stop();
  });

  it('keys the next page by what was already shown', async () => {
    const { search, stop } = await shop();
    expect(skus(search.products(account, dresses()))).toEqual(['A', 'B']);
    expect(skus(search.products(account, dresses(['A', 'B'])))).toEqual(['C']);
    expect(skus(search.products(account, dresses(['A'])))).toEqual(['B', 'C']);
    stop();
  });

  it('drops a sold-out product and shows a new one once the change is applied', async () => {
    const { store, search, stop } = await shop();
    expect(skus(search.products(account, dresses()))).toEqual(['A', 'B']);
    await store.upsertProducts([product('A', 10_000, 0), product('Z', 5_000)]);
    await search.refresh();
    expect(skus(search.products(account, dresses()))).toEqual(['Z', 'B']);
    await store.deleteProducts(account, ['Z']);
    await search.refresh();
    expect(skus(search.products(account, dresses()))).toEqual(['B', 'C']);
    stop();
  });
});
