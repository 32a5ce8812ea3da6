/**
 * A product's summary (types.ts: what search, ranking and lists read), made to be held by the million: its
 * account, category path, brand and tags shared with every other product that has the same.
 */
import type { Interner } from '../core/interner.ts';
import type { AccountId } from '../core/messages.ts';
import type { ProductSummary } from './types.ts';

// Category paths and tag lists share the interner's lists: their keys must never meet.
const CATEGORY_KEY = '\u0001';
const TAGS_KEY = '\u0002';

/** A product's summary from its columns as stored (category `a/b`, tags as JSON), sharing what `intern` has seen. */
export interface SummaryColumns {
  readonly account: string;
  readonly sku: string;
  readonly title: string;
  readonly category: string;
  readonly priceFen: number;
  readonly originalPriceFen: number | null;
  readonly brand: string | null;
  readonly tags: string;
  readonly stock: number | null;
}

/**
 * The summary of a product, always with this one object shape (the index's loops see one hidden class).
 * @example summarize(product, new Interner()).category // ['女装', '连衣裙'], the same array for every 女装/连衣裙
 */
export function summarize(p: ProductSummary, intern: Interner): ProductSummary {
  return {
    account: intern.string(p.account) as AccountId,
    sku: p.sku,
    title: p.title,
    category: intern.list(CATEGORY_KEY + p.category.join('/'), () => p.category),
    priceFen: p.priceFen,
    originalPriceFen: p.originalPriceFen,
    brand: intern.string(p.brand),
    tags: intern.list(TAGS_KEY + JSON.stringify(p.tags), () => p.tags),
    stock: p.stock,
  };
}

/** `summarize` for a row read as stored: the category path and tags are parsed once per distinct value. */
export function summarizeColumns(c: SummaryColumns, intern: Interner, parseTags: (json: string) => string[]): ProductSummary {
  return {
    account: intern.string(c.account) as AccountId,
    sku: c.sku,
    title: c.title,
    category: intern.list(CATEGORY_KEY + c.category, () => c.category.split('/')),
    priceFen: c.priceFen,
    originalPriceFen: c.originalPriceFen,
    brand: intern.string(c.brand),
    // The JSON text is the key: the text the store writes for a list is JSON.stringify's, as summarize's.
    tags: intern.list(TAGS_KEY + c.tags, () => parseTags(c.tags)),
    stock: c.stock,
  };
}
