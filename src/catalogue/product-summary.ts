/**
 * A product's summary (types.ts: what search, ranking and lists read), made to be held by the million: its
 * account, category path, brand and tags shared with every other product that has the same.
 */
import { Interner, ListInterner } from '../core/interner.ts';
import type { AccountId } from '../core/messages.ts';
import type { ProductSummary } from './types.ts';

/** What summaries share: one table for strings, one per kind of list (keyed by their text, so apart). */
export class SummaryInterner {
  readonly strings = new Interner();
  readonly categories = new ListInterner(this.strings);
  readonly tags = new ListInterner(this.strings);
}

/** A product's columns as stored (category `a/b`, tags as JSON), named as in a summary. */
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
 * @example summarize(product, new SummaryInterner()).category // ['女装', '连衣裙'], the same array for every 女装/连衣裙
 */
export function summarize(p: ProductSummary, intern: SummaryInterner): ProductSummary {
  return {
    account: intern.strings.string(p.account) as AccountId,
    sku: p.sku,
    title: p.title,
    category: intern.categories.list(p.category.join('/'), () => p.category),
    priceFen: p.priceFen,
    originalPriceFen: p.originalPriceFen,
    brand: intern.strings.string(p.brand),
    tags: intern.tags.list(JSON.stringify(p.tags), () => p.tags),
    stock: p.stock,
  };
}

/** `summarize` for a row as stored: a category path or tag list is parsed once per distinct text. */
export function summarizeColumns(c: SummaryColumns, intern: SummaryInterner, parseTags: (json: string) => string[]): ProductSummary {
  return {
    account: intern.strings.string(c.account) as AccountId,
    sku: c.sku,
    title: c.title,
    category: intern.categories.list(c.category, () => c.category.split('/')),
    priceFen: c.priceFen,
    originalPriceFen: c.originalPriceFen,
    brand: intern.strings.string(c.brand),
    // The JSON text is the key: the text the store writes for a list is JSON.stringify's, as summarize's.
    tags: intern.tags.list(c.tags, () => parseTags(c.tags)),
    stock: c.stock,
  };
}
