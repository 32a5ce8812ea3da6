/**
 * The in-memory product index: an inverted index over CJK bigrams and vocabulary words with field
 * weights, answering a `ProductQuery` (terms, categories, brands, audience, price, sort) in about a
 * millisecond at a million products. SQLite stays the source of truth; the caller feeds every change
 * through `upsert` / `remove`.
 *
 * The parts, per job:
 * - shard.ts: one account's docs (doc ids are per account, so accounts never see each other's
 *   products): attributes in typed arrays, postings, category and brand lists, sorted category views;
 * - shards.ts: the accounts' shards and their upkeep (tokenizing products in, compaction);
 * - audience.ts, popularity.ts: the per-doc flags (alive, in stock, audience) and popularity;
 * - product-query.ts: running one query, by browsing category views (browse.ts) or intersecting
 *   postings (match.ts), under the query's filters (query-filter.ts).
 *
 * Scoring: BM25-style idf × saturated field weight, where a token in the category path weighs most,
 * then brand, title and tags — so products whose category names the word rank above products that
 * only mention it.
 */
import type { AccountId } from '../../core/messages.ts';
import type { ProductSummary } from '../../catalogue/types.ts';
import type { ProductQuery } from '../types.ts';
import { newCandidates } from './postings.ts';
import { runQuery, type ProductSearchResult } from './product-query.ts';
import { createShards } from './shards.ts';
import { toDictionary, type Dictionary } from './tokenize.ts';

export interface ProductIndex {
  /** Adds or replaces the product with this account and sku. */
  upsert(p: ProductSummary): void;
  /** Removes a product; false when it was not there. */
  remove(account: AccountId, sku: string): boolean;
  /** Live products (sold out included) of one account, or of all accounts. */
  size(account?: AccountId): number;
  search(account: AccountId, q: ProductQuery): ProductSearchResult;
  /** The live product with this account and sku, as upserted (the same object). */
  get(account: AccountId, sku: string): ProductSummary | undefined;
  /** Each live product of the account (sold out included), in no particular order. */
  forEach(account: AccountId, visit: (p: ProductSummary) => void): void;
}

export interface ProductIndexOptions {
  /**
   * Vocabulary words (categories, brands, colours, materials…) indexed whole besides their bigrams.
   * Fixed for the index's life: products are tokenized with it when upserted, so a changed vocabulary
   * needs a new index (rebuilt from SQLite).
   */
  readonly dictionary?: Iterable<string> | Dictionary;
}

/**
 * Creates an empty product index.
 *
 * @example
 * const index = createProductIndex({ dictionary: ['连衣裙', '牛仔裤', '优衣库'] });
 * index.upsert(product);
 * index.search(account, { terms: ['红色'], categories: ['女装/连衣裙'], brands: [], audience: null,
 *   minPriceFen: null, maxPriceFen: 30000, sort: 'relevance', limit: 5 });
 */
export function createProductIndex(options: ProductIndexOptions = {}): ProductIndex {
  const dict = toDictionary(options.dictionary);
  const shards = createShards(dict);
  const candidates = newCandidates();
  return {
    upsert: shards.upsert,
    remove: shards.remove,
    size: shards.size,
    search: (account, q) => runQuery(shards.get(account), q, dict, candidates),
    get: shards.product,
    forEach: shards.forEach,
  };
}
