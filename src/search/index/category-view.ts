/**
 * A category's eligible products in the two orders a query without words asks for — by popularity and
 * by price — with price and audience inline so a walk reads memory in order. Built in O(n log n) with
 * native numeric sorts and stable counting/radix passes, not a comparator sort.
 */

export interface CategoryView {
  readonly n: number;
  /** popularity desc, sku asc */
  readonly byRank: Int32Array;
  readonly rankPrices: Float64Array;
  readonly rankAudience: Uint8Array;
  /** price asc, popularity desc, sku asc */
  readonly byPrice: Int32Array;
  readonly prices: Float64Array;
  readonly priceAudience: Uint8Array;
  /** how many docs fall in each audience bucket (0–7) */
  readonly audienceCounts: Int32Array;
}

export interface DocColumns {
  /** popularity bucket 0–101, higher = more popular */
  readonly rank: Uint8Array;
  readonly price: Float64Array;
  /** audience bucket (0–7) of a doc */
  audienceOf(id: number): number;
  /** order-preserving numeric prefix of the sku; equal keys are ordered by `skuOf` */
  readonly skuKey: Float64Array;
  skuOf(id: number): string;
}

/** Builds the view of `ids` (eligible docs of one category, any order). */
export function buildCategoryView(ids: Int32Array, docs: DocColumns): CategoryView {
  const n = ids.length;
  const bySku = sortBySku(ids, docs);

  // Popularity desc, stable over sku order: a counting sort on the bucket.
  const buckets = new Int32Array(n);
  const counts = new Int32Array(103);
  for (let i = 0; i < n; i++) {
    const b = 101 - Math.min(101, docs.rank[bySku[i]!]!);
    buckets[i] = b;
    counts[b + 1]!++;
  }
  for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
  const byRank = new Int32Array(n);
  for (let i = 0; i < n; i++) byRank[counts[buckets[i]!]!++] = bySku[i]!;

  // Price asc, stable over popularity order.
  const byPrice = sortByPrice(byRank, docs.price);

  const rankPrices = new Float64Array(n);
  const rankAudience = new Uint8Array(n);
  const prices = new Float64Array(n);
  const priceAudience = new Uint8Array(n);
  const audienceCounts = new Int32Array(8);
  for (let i = 0; i < n; i++) {
    const r = byRank[i]!;
    rankPrices[i] = docs.price[r]!;
    rankAudience[i] = docs.audienceOf(r);
    const p = byPrice[i]!;
    prices[i] = docs.price[p]!;
    const a = docs.audienceOf(p);
    priceAudience[i] = a;
    audienceCounts[a]!++;
  }
  return { n, byRank, rankPrices, rankAudience, byPrice, prices, priceAudience, audienceCounts };
}

/** Ids in sku order: a native sort of the numeric keys, each id placed by binary search; strings only among equal keys. */
function sortBySku(ids: Int32Array, docs: DocColumns): Int32Array {
  const n = ids.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = docs.skuKey[ids[i]!]!;
  const out = stableSortByKey(ids, keys);
  // Runs of equal keys (skus sharing their first 7 characters): by the whole sku.
  for (let i = 0; i < n; ) {
    const k = docs.skuKey[out[i]!]!;
    let j = i + 1;
    while (j < n && docs.skuKey[out[j]!] === k) j++;
    if (j - i > 1) {
      const run = Array.from(out.subarray(i, j), (id) => ({ id, sku: docs.skuOf(id) }));
      run.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      for (let r = 0; r < run.length; r++) out[i + r] = run[r]!.id;
    }
    i = j;
  }
  return out;
}

/** Order-preserving key of 7 characters of a sku from `start` (7 bits each, non-ASCII clamped). */
export function skuKeyAt(sku: string, start: number): number {
  let k = 0;
  for (let i = start; i < start + 7; i++) k = k * 128 + (i < sku.length ? Math.min(sku.charCodeAt(i), 0x7f) : 0);
  return k;
}

/** `ids` stably sorted by `keys` (parallel to ids): a native sort, then each id placed by binary search. */
function stableSortByKey(ids: Int32Array, keys: Float64Array): Int32Array {
  const n = ids.length;
  const sorted = keys.slice().sort();
  const out = new Int32Array(n);
  const used = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    out[lo + used[lo]!++] = ids[i]!;
  }
  return out;
}

/** A stable sort by price: LSD radix over 32-bit integer prices, a stable comparator sort otherwise. */
function sortByPrice(ids: Int32Array, price: Float64Array): Int32Array {
  const n = ids.length;
  let radixable = true;
  for (let i = 0; i < n && radixable; i++) {
    const p = price[ids[i]!]!;
    radixable = Number.isInteger(p) && p >= 0 && p < 2 ** 32;
  }
  if (!radixable) {
    // Array.prototype.sort is stable.
    return Int32Array.from(Array.from(ids).sort((a, b) => price[a]! - price[b]!));
  }
  let src = Int32Array.from(ids);
  let dst = new Int32Array(n);
  const counts = new Int32Array(257);
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((price[src[i]!]! >>> shift) & 255) + 1]!++;
    if (counts[1 + ((price[src[0] ?? 0]! >>> shift) & 255)] === n) continue; // every key has this byte: pass is a no-op
    for (let b = 1; b < 257; b++) counts[b]! += counts[b - 1]!;
    for (let i = 0; i < n; i++) {
      const id = src[i]!;
      dst[counts[(price[id]! >>> shift) & 255]!++] = id;
    }
    [src, dst] = [dst, src];
  }
  return src;
}
