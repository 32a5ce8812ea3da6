/**
 * Queries without words or brands: walk each wanted category's sorted views (category-view.ts).
 * Counting is a binary search per category (plus a pass over the price slice when an audience is
 * asked); ranking stops after `limit`.
 */
import { AUDIENCE_SHIFT, ELIGIBLE } from './audience.ts';
import type { CategoryView } from './category-view.ts';
import type { Filter } from './query-filter.ts';
import type { Shard } from './shard.ts';
import type { TopK } from './top-k.ts';

/** First index in sorted `a` whose value is ≥ x (strict: > x). */
function bound(a: Float64Array, n: number, x: number, strict: boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x || (strict && a[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Offers shard `s`'s products that pass `f` to `top`, category by category, and returns how many
 * pass in all (excluded ones not counted).
 */
export function browse(s: Shard, f: Filter, top: TopK): number {
  const { catMask, minP, maxP, audienceBit, excluded, sort, limit } = f;
  // Audience buckets (flags >> 2 & 7) that qualify: no signal always does.
  const bucketOk = new Uint8Array(8);
  for (let b = 0; b < 8; b++) bucketOk[b] = audienceBit === 0 || b === 0 || ((b << AUDIENCE_SHIFT) & audienceBit) !== 0 ? 1 : 0;
  let total = 0;
  for (let c = 0; c < s.catPaths.length; c++) {
    if (catMask && catMask[c] === 0) continue;
    const v = s.view(c);
    if (v.n === 0) continue;
    const lo = minP === -Infinity ? 0 : bound(v.prices, v.n, minP, false);
    const hi = maxP === Infinity ? v.n : bound(v.prices, v.n, maxP, true);
    if (lo >= hi) continue;
    let inCategory = 0;
    if (audienceBit === 0) inCategory = hi - lo;
    else if (lo === 0 && hi === v.n) {
      for (let b = 0; b < 8; b++) if (bucketOk[b]) inCategory += v.audienceCounts[b]!;
    } else {
      for (let i = lo; i < hi; i++) inCategory += bucketOk[v.priceAudience[i]!]!;
    }
    total += inCategory;
    if (limit === 0 || inCategory === 0) continue;
    if (sort === 'relevance') offerByPopularity(s, f, v, lo, hi, bucketOk, top);
    else offerByPrice(s, f, v, lo, hi, bucketOk, top);
  }
  // The views counted excluded products that otherwise qualify.
  if (excluded) total -= excludedThatQualify(s, f, excluded, bucketOk);
  return total;
}

/** Offers the most popular products of view `v`'s price slice [lo, hi). */
function offerByPopularity(s: Shard, f: Filter, v: CategoryView, lo: number, hi: number, bucketOk: Uint8Array, top: TopK): void {
  const { minP, maxP, excluded, limit } = f;
  const rank = s.rank;
  // Walking by popularity pays when the price slice is wide; a narrow slice is cheaper to scan.
  if ((hi - lo) * (hi - lo) < limit * v.n) {
    for (let i = lo; i < hi; i++) {
      if (!bucketOk[v.priceAudience[i]!]) continue;
      const id = v.byPrice[i]!;
      if (excluded === null || !excluded.has(id)) top.offer(id, rank[id]!, 0);
    }
    return;
  }
  let kept = 0;
  for (let i = 0; i < v.n && kept < limit; i++) {
    const pr = v.rankPrices[i]!;
    if (pr < minP || pr > maxP || !bucketOk[v.rankAudience[i]!]) continue;
    const id = v.byRank[i]!;
    if (excluded !== null && excluded.has(id)) continue;
    top.offer(id, rank[id]!, 0);
    kept++;
  }
}

/** Offers the first `limit` products of view `v`'s price slice [lo, hi) in `f.sort`'s order, plus any others at the last kept price (TopK orders ties). */
function offerByPrice(s: Shard, f: Filter, v: CategoryView, lo: number, hi: number, bucketOk: Uint8Array, top: TopK): void {
  const { excluded, limit } = f;
  const rank = s.rank;
  const up = f.sort === 'price_asc';
  let kept = 0;
  let boundary = NaN;
  for (let k = 0; k < hi - lo; k++) {
    const i = up ? lo + k : hi - 1 - k;
    const pr = v.prices[i]!;
    if (kept >= limit && pr !== boundary) break;
    if (!bucketOk[v.priceAudience[i]!]) continue;
    const id = v.byPrice[i]!;
    if (excluded !== null && excluded.has(id)) continue;
    top.offer(id, up ? -pr : pr, rank[id]!);
    if (++kept === limit) boundary = pr;
  }
}

/** How many of the excluded docs the views counted: eligible, in a wanted category, price and audience. */
function excludedThatQualify(s: Shard, f: Filter, excluded: ReadonlySet<number>, bucketOk: Uint8Array): number {
  const { catMask, minP, maxP } = f;
  const { flags, price } = s;
  let n = 0;
  for (const id of excluded) {
    const fl = flags[id]!;
    const pr = price[id]!;
    if ((fl & ELIGIBLE) !== ELIGIBLE || (catMask && catMask[s.cat[id]!] === 0)) continue;
    if (pr >= minP && pr <= maxP && bucketOk[(fl >>> AUDIENCE_SHIFT) & 7]) n++;
  }
  return n;
}
