import { accountId, type AccountId } from '../../src/core/messages.ts';
import type { Deal, Hotel, Product, ProductSummary } from '../../src/catalogue/types.ts';
import { productQuery, type ProductQuery } from '../../src/search/types.ts';

export const SHOP: AccountId = accountId('shop');
export const OTHER: AccountId = accountId('other');

export function product(sku: string, title: string, over: Partial<Product> = {}): Product {
  return {
    account: SHOP,
    sku,
    title,
    category: ['女装', '连衣裙'],
    priceFen: 19900,
    originalPriceFen: null,
    brand: null,
    tags: [],
    stock: null,
    imageUrl: null,
    url: null,
    description: null,
    ...over,
  };
}

export const query = (over: Partial<ProductQuery> = {}): ProductQuery => productQuery(over);

export function hotel(id: string, lat: number, lng: number, over: Partial<Hotel> = {}): Hotel {
  return {
    account: SHOP,
    id,
    name: `酒店${id}`,
    city: '上海',
    lat,
    lng,
    district: null,
    address: null,
    priceFen: 40000,
    rating: 4.5,
    stars: null,
    phone: null,
    url: null,
    imageUrl: null,
    tags: [],
    ...over,
  };
}

export function deal(id: string, over: Partial<Deal> = {}): Deal {
  return {
    account: SHOP,
    id,
    title: `团购${id}`,
    city: '上海',
    priceFen: 9900,
    originalPriceFen: null,
    merchant: null,
    district: null,
    category: '美食',
    startsAt: null,
    endsAt: null,
    stock: null,
    url: null,
    imageUrl: null,
    lat: null,
    lng: null,
    ...over,
  };
}

/** The seeded PRNG the search benchmark uses (mulberry32). */
export { prng } from '../../scripts/bench/search.ts';

export const skus = (r: { hits: readonly { product: ProductSummary }[] }): string[] => r.hits.map((h) => h.product.sku);
