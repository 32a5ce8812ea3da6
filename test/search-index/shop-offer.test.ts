/**
 * What a shop offers (its biggest categories, whether it has deals) follows the catalogue as it changes: the
 * persona's examples and the understander read it on every message, so it is kept as products and deals
 * change rather than counted again on the first message after a change.
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Deal, Product } from '../../src/catalogue/types.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { openRunDatabase, runDatabase } from '../helpers/run-database.ts';

const account = accountId('default');
const other = accountId('other');
const product = (sku: string, root: string, stock: number | null = null, owner = account): Product => ({
  account: owner, sku, title: `商品 ${sku}`, category: [root, '其他'], priceFen: 100, originalPriceFen: null, brand: null,
  tags: [], stock, imageUrl: null, url: null, description: null,
});
const deal = (id: string): Deal => ({
  account, id, title: `套餐 ${id}`, city: '上海', priceFen: 100, originalPriceFen: null, merchant: null, district: null,
  category: '美食', startsAt: null, endsAt: null, stock: null, url: null, imageUrl: null, lat: null, lng: null,
});

async function shop(products: Product[]) {
  const { sql: db } = await openRunDatabase(await runDatabase());
  const store = createCatalogueStore(db);
  await store.upsertProducts(products);
  const search = createCatalogueSearch({ db, pollMs: 0 });
  await search.ready;
  return { store, search, stop: () => search.stop() };
}

describe("a shop's offer", () => {
  it('lists the categories with the most products in stock first, ties in code-unit order, per account', async () => {
    const { search, stop } = await shop([
      product('1', '鞋靴'), product('2', '鞋靴'), product('3', '女装'), product('4', '美妆'), product('5', '数码', 0), product('6', '食品', null, other),
    ]);
    expect(search.productRoots(account)).toEqual(['鞋靴', '女装', '美妆']);
    expect(search.productRoots(other)).toEqual(['食品']);
    stop();
  });

  it('follows products selling out, coming back, moving and leaving', async () => {
    const { store, search, stop } = await shop([product('1', '鞋靴'), product('2', '鞋靴'), product('3', '女装')]);
    await store.upsertProducts([product('1', '鞋靴', 0), product('2', '女装')]);
    await store.upsertProducts([product('4', '数码', 5)]);
    await search.refresh();
    expect(search.productRoots(account)).toEqual(['女装', '数码']);
    await store.upsertProducts([product('1', '鞋靴', 3)]);
    await store.deleteProducts(account, ['4']);
    await search.refresh();
    expect(search.productRoots(account)).toEqual(['女装', '鞋靴']);
    stop();
  });

  it('knows whether the account has deals as they come and go', async () => {
    const { store, search, stop } = await shop([product('1', '鞋靴')]);
    expect(search.understand('上海团购', account).intent).not.toBe('deal');
    await store.upsertDeals([deal('d1')]);
    await search.refresh();
    expect(search.understand('上海团购', account).intent).toBe('deal');
    await store.deleteDeals(account, ['d1']);
    await search.refresh();
    expect(search.understand('上海团购', account).intent).not.toBe('deal');
    stop();
  });
});
