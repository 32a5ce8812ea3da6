/**
 * Running one `ProductQuery` over one account's shard. Matching: every search term must match (a term
 * matches when the product contains each of its `queryTokens`); categories, brands, audience and price
 * bounds filter; sold-out products never match. Queries without words or brands walk the categories'
 * sorted views (browse.ts), the others intersect postings (match.ts); both keep the best `limit` in a
 * `TopK`.
 */
import type { ProductSummary } from '../../catalogue/types.ts';
import type { ProductQuery } from '../types.ts';
import { browse } from './browse.ts';
import { match } from './match.ts';
import { fromBucket } from './popularity.ts';
import type { Candidates, Postings } from './postings.ts';
import { queryFilter } from './query-filter.ts';
import { brandKey, type Shard } from './shard.ts';
import { queryTokens, type Dictionary } from './tokenize.ts';
import { TopK } from './top-k.ts';

interface ProductHit {
  readonly product: ProductSummary;
  /** Text relevance when the query has terms, else the popularity proxy (see `popularity`). */
  readonly score: number;
}

export interface ProductSearchResult {
  /** At most `q.limit`, best first. */
  readonly hits: ProductHit[];
  /** How many products qualify in all (before `limit`; `exclude`d ones not counted). */
  readonly total: number;
}

const empty = (): ProductSearchResult => ({ hits: [], total: 0 });

/**
 * Answers `q` from shard `s` (none: the account has no products). `dict` is the index's vocabulary,
 * `candidates` its reusable buffer for intersected postings.
 */
export function runQuery(s: Shard | undefined, q: ProductQuery, dict: Dictionary | undefined, candidates: Candidates): ProductSearchResult {
  if (!s || s.live === 0) return empty();

  // Terms → required tokens; a token nobody has means nothing matches.
  const tokenSet = new Set<string>();
  for (const term of q.terms) for (const t of queryTokens(term, dict)) tokenSet.add(t);
  const lists: Postings[] = [];
  for (const t of tokenSet) {
    const l = s.postings.get(t);
    if (!l) return empty();
    lists.push(l);
  }
  lists.sort((a, b) => a.n - b.n);

  const filter = queryFilter(s, q, dict);
  if (filter === null) return empty();
  const brandNames = q.brands.map(brandKey).filter(Boolean);

  const top = new TopK(filter.limit, s.tieBreak);
  const total =
    lists.length === 0 && brandNames.length === 0 ? browse(s, filter, top) : match(s, filter, lists, brandNames, dict, candidates, top);
  const hits = top.sorted().map((i) => {
    const id = top.ids[i]!;
    const score = filter.sort === 'relevance' ? top.p1[i]! : top.p2[i]!;
    return { product: s.docs[id]!, score: lists.length > 0 ? score : fromBucket(score) };
  });
  return { hits, total };
}
