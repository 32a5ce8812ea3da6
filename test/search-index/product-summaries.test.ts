/**
 * The search holds products as summaries (what search, ranking and a list read), sharing their repeated strings;
 * the product shown — a card, a page, an order — is whole, its image, link, description and variants read from
 * SQLite (src/catalogue/product-summary.ts, src/core/interner.ts, CatalogueSearch.product).
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { Interner, ListInterner } from '../../src/core/interner.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { summarize, SummaryInterner } from '../../src/catalogue/product-summary.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { productQuery } from '../../src/search/types.ts';
import { openRunDatabase, runDatabase } from '../helpers/run-database.ts';

const account = accountId('default');
const product = (sku: string, over: Partial<Product> = {}): Product => ({
  account, sku, title: `茵曼 真丝连衣裙 ${sku}`, category: ['女装', '连衣裙'], priceFen: 19_900, originalPriceFen: 29_900, brand: '茵曼',
  tags: ['真丝', '显瘦'], stock: 5, imageUrl: `https://shop.example.com/img/${sku}.jpg`, url: `https://shop.example.com/p/${sku}`,
  description: `${sku} 的详情`, variants: ['S', 'M'], ...over,
});

async function shop(...products: Product[]) {
  const { sql: db } = await openRunDatabase(await runDatabase());
  const store = createCatalogueStore(db);
  await store.upsertProducts(products);
  const search = createCatalogueSearch({ db, pollMs: 0 });
  await search.ready;
  return { store, search, stop: () => search.stop() };
}

const dresses = productQuery({ categories: ['女装/连衣裙'], sort: 'price_asc', limit: 10 });
const DETAILS = ['imageUrl', 'url', 'description', 'variants'];

describe('products held as summaries', () => {
  it('gives hits without the page details, and the product asked for whole', async () => {
    const { search, stop } = await shop(product('A'), product('B', { priceFen: 29_900 }));
    const [a] = search.products(account, dresses).hits;
    expect(Object.keys(a!.product).filter((k) => DETAILS.includes(k))).toEqual([]);
    expect(search.product(account, 'A')).toEqual(product('A'));
    stop();
  });

  it('makes a product that arrives through the feed whole too, and forgets a deleted one', async () => {
    const { store, search, stop } = await shop(product('A'));
    await store.upsertProducts([product('N', { imageUrl: null, variants: [] })]);
    await search.refresh();
    const { variants: _none, ...withoutVariants } = product('N', { imageUrl: null });
    expect(search.product(account, 'N')).toEqual(withoutVariants);
    await store.deleteProducts(account, ['A']);
    await search.refresh();
    expect(search.product(account, 'A')).toBeNull();
    expect(search.product(account, 'never')).toBeNull();
    stop();
  });

  it('shows a changed image or description once the change is applied, the summary unchanged', async () => {
    const { store, search, stop } = await shop(product('A'));
    await store.upsertProducts([product('A', { imageUrl: 'https://shop.example.com/img/new.jpg', description: '新详情' })]);
    await search.refresh();
    expect(search.product(account, 'A')).toMatchObject({ imageUrl: 'https://shop.example.com/img/new.jpg', description: '新详情', priceFen: 19_900 });
    stop();
  });

  it('shares one category, brand and tag list between products that have the same, read at start or through the feed', async () => {
    const { store, search, stop } = await shop(product('A'), product('B', { priceFen: 29_900 }));
    await store.upsertProducts([product('C', { priceFen: 39_900 })]);
    await search.refresh();
    const [a, b, c] = search.products(account, dresses).hits.map((h) => h.product);
    expect(c!.sku).toBe('C');
    expect(b!.category).toBe(a!.category);
    expect(c!.category).toBe(a!.category);
    expect(c!.tags).toBe(a!.tags);
    expect(Object.isFrozen(a!.category)).toBe(true);
    stop();
  });
});

describe('interners', () => {
  it('returns the first copy of an equal string, and null for null', () => {
    const intern = new Interner();
    const first = intern.string(['茵', '曼'].join(''));
    expect(intern.string(['茵', '曼'].join(''))).toBe(first);
    expect(intern.string(null)).toBeNull();
  });

  it('makes a list once per key, frozen, and stops remembering past its limit', () => {
    const strings = new Interner();
    const intern = new ListInterner(strings, 1);
    let made = 0;
    const make = () => (made++, ['女装', '连衣裙']);
    const list = intern.list('女装/连衣裙', make);
    expect(intern.list('女装/连衣裙', make)).toBe(list);
    expect(made).toBe(1);
    expect(Object.isFrozen(list)).toBe(true);
    expect(list[0]).toBe(strings.string('女装'));
    const other = intern.list('男装/T恤', () => ['男装', 'T恤']);
    expect(intern.list('男装/T恤', () => ['男装', 'T恤'])).not.toBe(other);
    expect(intern.list('男装/T恤', () => ['男装', 'T恤'])).toEqual(['男装', 'T恤']);
  });

  it('keeps category paths and tag lists apart, even with the same text', () => {
    const intern = new SummaryInterner();
    const odd = (sku: string, over: Partial<Product>) => summarize({ ...product(sku), ...over }, intern);
    expect(odd('A', { category: ['["x"]'], tags: [] }).category).toEqual(['["x"]']);
    expect(odd('B', { category: ['女装'], tags: ['x'] }).tags).toEqual(['x']);
  });

  it('keeps a summary equal to the product it summarizes, less its details', () => {
    const { imageUrl: _i, url: _u, description: _d, variants: _v, ...summary } = product('A');
    expect(summarize(product('A'), new SummaryInterner())).toEqual(summary);
  });
});
