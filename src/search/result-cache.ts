/**
 * Search results shared between followers: 1,000 followers asking 「女装」 get one computed page. Entries belong
 * to one catalogue version (`CatalogueSearch.version()`): the first lookup after the catalogue changed empties
 * the cache, so nobody is shown a product that has since gone. What is per follower (the SKUs already shown, for
 * 「更多」) is part of the key, so a follower's next page is never another's.
 */
import type { AccountId } from '../core/messages.ts';
import type { ProductSearchResult } from './index/product-query.ts';
import type { ProductQuery } from './types.ts';

/** Kept results; past this, the oldest go first (a burst of different queries does not grow the heap). */
const MAX_ENTRIES = 2_000;

/** The query's key: every field the index reads, none it does not (a remembered query's label is not one). */
function keyOf(account: AccountId, q: ProductQuery): string {
  const w = q.without;
  const exclude = q.exclude && q.exclude.size > 0 ? [...q.exclude].sort().join('\u0001') : '';
  return [
    account, q.terms.join('\u0001'), q.categories.join('\u0001'), q.brands.join('\u0001'), q.audience ?? '', q.minPriceFen ?? '',
    q.maxPriceFen ?? '', q.sort, q.limit, exclude,
    w ? `${w.terms.join('\u0001')}\u0002${w.brands.join('\u0001')}\u0002${w.categories.join('\u0001')}\u0002${w.audience ?? ''}` : '',
  ].join('\u0000');
}

/**
 * @example const cached = productResultCache(); cached(account, q, search.version(), () => index.search(account, q));
 */
export function productResultCache(maxEntries = MAX_ENTRIES) {
  const entries = new Map<string, ProductSearchResult>();
  let version = -1;
  return (account: AccountId, q: ProductQuery, catalogueVersion: number, compute: () => ProductSearchResult): ProductSearchResult => {
    if (catalogueVersion !== version) {
      entries.clear();
      version = catalogueVersion;
    }
    const key = keyOf(account, q);
    let result = entries.get(key);
    if (!result) {
      result = compute();
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, result);
    }
    return result;
  };
}
