/**
 * A product query's filters, prepared once per query over one shard: the wanted categories as a mask
 * over category ids, price bounds, the audience bit, the excluded doc ids, the order and the limit.
 */
import type { ProductQuery } from '../types.ts';
import { AUDIENCE_BIT } from './audience.ts';
import type { Shard } from './shard.ts';
import type { Dictionary } from './tokenize.ts';
import { withoutDocs } from './without.ts';

/** What every candidate must pass, prepared once per query. */
export interface Filter {
  readonly catMask: Uint8Array | null;
  readonly minP: number;
  readonly maxP: number;
  readonly audienceBit: number;
  readonly excluded: Set<number> | null;
  readonly sort: 'relevance' | 'price_asc' | 'price_desc';
  readonly limit: number;
}

/**
 * `q`'s filters over shard `s`; null when nothing can pass (no wanted category exists, or min price > max).
 * The docs its exclusions rule out (不要红色的) join the SKUs already shown.
 */
export function queryFilter(s: Shard, q: ProductQuery, dict?: Dictionary): Filter | null {
  const catMask = s.categoryMask(q.categories);
  if (catMask && !catMask.includes(1)) return null;
  const minP = q.minPriceFen ?? -Infinity;
  const maxP = q.maxPriceFen ?? Infinity;
  if (minP > maxP) return null;
  let excluded: Set<number> | null = q.without ? withoutDocs(s, q.without, dict) : null;
  if (q.exclude && q.exclude.size > 0) {
    excluded ??= new Set();
    for (const sku of q.exclude) {
      const id = s.skuDoc.get(sku);
      if (id !== undefined) excluded.add(id);
    }
  }
  return {
    catMask,
    minP,
    maxP,
    audienceBit: q.audience ? AUDIENCE_BIT[q.audience] : 0,
    excluded: excluded?.size ? excluded : null,
    sort: q.sort === 'price_asc' || q.sort === 'price_desc' ? q.sort : 'relevance',
    limit: Number.isNaN(q.limit) ? 0 : Math.min(s.live, Math.max(0, Math.floor(q.limit))),
  };
}
