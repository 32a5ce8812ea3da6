/**
 * Queries with words or brands: candidates come from the smallest of the rarest token's postings, the
 * wanted categories' lists and the brands' lists; the other tokens are found by galloping through their
 * postings (postings.ts), the other filters are array lookups.
 * Scoring: BM25-style idf × saturated field weight (field weights: see shards.ts).
 */
import { AUDIENCE_BITS, ELIGIBLE } from './audience.ts';
import { ID_SCALE, intersect, seek, WEIGHT_MASK, type Candidates, type Postings } from './postings.ts';
import type { Filter } from './query-filter.ts';
import { NO_BRAND, type Shard } from './shard.ts';
import { queryTokens, type Dictionary } from './tokenize.ts';
import type { TopK } from './top-k.ts';

/** BM25 saturation of a field weight w (0–15): w·(k1+1)/(w+k1). */
const K1 = 1.2;
const SATURATED = Float64Array.from({ length: WEIGHT_MASK + 1 }, (_, w) => (w * (K1 + 1)) / (w + K1));

/** A candidate source: a sorted doc list; `mentionOf` ≥ 0: only docs without a brand that name brand #mentionOf. */
interface Segment {
  readonly list: Postings;
  readonly mentionOf: number;
}

/**
 * The query's brands, met by the brand field or by the brand's words in the product's text (title, tags,
 * category), found like a search term: for products imported without a brand, and — within the categories
 * asked — for products of another brand made for it (「苹果15的壳」: a case titled iPhone 15, by 图拉斯).
 */
interface Brands {
  /** Over brand ids: 1 = asked for. */
  readonly mask: Uint8Array;
  /** The brands' doc lists, and (when some products have no brand) the rarest word list of each brand. */
  readonly segments: Segment[];
  /** Per query brand, the postings of its words; empty when some word is in no product. */
  readonly mentionLists: Postings[][];
  /** Per query brand, a cursor into each of its word lists, reset per segment. */
  readonly mentionCursors: Int32Array[];
}

type Driver = 'tokens' | 'categories' | 'brands';

/**
 * Offers shard `s`'s products that hold every token of `lists` (sorted rarest first) and pass `f` and
 * the brands to `top`, and returns how many do in all (excluded ones not counted).
 */
export function match(
  s: Shard,
  f: Filter,
  lists: Postings[],
  brandNames: string[],
  dict: Dictionary | undefined,
  candidates: Candidates,
  top: TopK,
): number {
  const { catMask, minP, maxP, audienceBit, excluded, sort, limit } = f;
  const nTok = lists.length;
  const idf = new Float64Array(nTok);
  for (let j = 0; j < nTok; j++) {
    const df = Math.min(lists[j]!.n, s.live);
    idf[j] = Math.log(1 + (s.live - df + 0.5) / (df + 0.5));
  }
  // Within a category, a brand's name in another brand's product says what the product is for.
  const madeFor = catMask !== null;
  const brands = brandNames.length > 0 ? brandsOf(s, brandNames, dict, madeFor) : null;
  if (brands !== null && brands.segments.length === 0) return 0;
  const driver = cheapestDriver(s, lists, catMask, brands);
  if (driver === null) return 0;
  const segments = segmentsOf(driver, s, lists, catMask, brands);

  const { flags, cat, price, brand, rank } = s;
  const brandMask = brands === null ? null : brands.mask;
  const driverIsToken = driver === 'tokens';
  const checkCat = catMask !== null && driver !== 'categories';
  const others = driverIsToken ? lists.slice(1) : lists;
  const othersIdf = driverIsToken ? idf.subarray(1) : idf;
  const driverIdf = driverIsToken ? idf[0]! : 0;
  const byPrice = sort !== 'relevance';
  const sign = sort === 'price_asc' ? -1 : 1;
  const needPrice = byPrice || minP !== -Infinity || maxP !== Infinity; // spares a cache miss per candidate
  let total = 0;

  for (const seg of segments) {
    // Tokens first (a merge of sorted lists), then the doc attributes of the survivors.
    candidates.n = 0;
    if (brands !== null) for (const cur of brands.mentionCursors) cur.fill(0);
    intersect(seg.list, driverIdf, others, othersIdf, SATURATED, candidates, s.nextId);
    const { ids, scores, n } = candidates;
    const mentionOf = seg.mentionOf;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const fl = flags[id]!;
      if ((fl & ELIGIBLE) !== ELIGIBLE) continue;
      if (checkCat && catMask![cat[id]!] === 0) continue;
      if (audienceBit !== 0 && (fl & AUDIENCE_BITS) !== 0 && (fl & audienceBit) === 0) continue;
      const pr = needPrice ? price[id]! : 0;
      if (pr < minP || pr > maxP) continue;
      if (brandMask !== null) {
        const b = brand[id]!;
        if (mentionOf >= 0) {
          // A doc of a brand asked for is met in that brand's own list: counted there, not again here.
          if ((b !== NO_BRAND && (!madeFor || brandMask[b] === 1)) || mentions(brands!, id) !== mentionOf) continue;
        } else if (b === NO_BRAND || brandMask[b] !== 1) {
          // Not of a brand asked for: met only by naming one (without a brand of its own, or made for one).
          if ((b !== NO_BRAND && !madeFor) || mentions(brands!, id) < 0) continue;
        }
      }
      if (excluded !== null && excluded.has(id)) continue;
      total++;
      if (limit === 0) continue;
      const relevance = nTok > 0 ? scores[i]! : rank[id]!;
      let v1: number;
      let v2: number;
      if (byPrice) {
        v1 = sign * pr;
        v2 = relevance;
      } else {
        v1 = relevance;
        v2 = nTok > 0 ? rank[id]! : 0;
      }
      if (top.full && (v1 < top.floor1 || (v1 === top.floor1 && v2 < top.floor2))) continue;
      top.offer(id, v1, v2);
    }
  }
  return total;
}

/** The brands asked for, as brand ids and as word lists for products without a brand (or, `madeFor`, of another). */
function brandsOf(s: Shard, brandNames: readonly string[], dict: Dictionary | undefined, madeFor: boolean): Brands {
  const mask = new Uint8Array(s.brandLists.length);
  const segments: Segment[] = [];
  const mentionLists: Postings[][] = [];
  const mentionCursors: Int32Array[] = [];
  for (let b = 0; b < brandNames.length; b++) {
    const id = s.brandIds.get(brandNames[b]!);
    if (id !== undefined && !mask[id]) {
      mask[id] = 1;
      segments.push({ list: s.brandLists[id]!, mentionOf: -1 });
    }
    let ls: Postings[] = [];
    for (const t of queryTokens(brandNames[b]!, dict)) {
      const l = s.postings.get(t);
      if (!l) {
        ls = [];
        break;
      }
      ls.push(l);
    }
    mentionLists.push(ls);
    mentionCursors.push(new Int32Array(ls.length));
    if ((madeFor || s.liveNoBrand > 0) && ls.length > 0) {
      const rarest = ls.reduce((x, y) => (y.n < x.n ? y : x));
      segments.push({ list: rarest, mentionOf: b });
    }
  }
  return { mask, segments, mentionLists, mentionCursors };
}

/** Index of the first query brand whose words doc `id` holds, or -1 (ids must rise within a segment). */
function mentions(brands: Brands, id: number): number {
  const { mentionLists, mentionCursors } = brands;
  const key = id * ID_SCALE;
  eachBrand: for (let b = 0; b < mentionLists.length; b++) {
    const ls = mentionLists[b]!;
    if (ls.length === 0) continue;
    const cur = mentionCursors[b]!;
    for (let j = 0; j < ls.length; j++) {
      const l = ls[j]!;
      const at = seek(l.a, l.n, cur[j]!, key);
      cur[j] = at;
      if (at >= l.n || l.a[at]! >>> 4 !== id) continue eachBrand;
    }
    return b;
  }
  return -1;
}

/** The cheapest candidate source: the rarest token's list, the wanted categories' lists or the brands' lists. */
function cheapestDriver(s: Shard, lists: readonly Postings[], catMask: Uint8Array | null, brands: Brands | null): Driver | null {
  let driver: Driver | null = null;
  let cost = Infinity;
  if (lists.length > 0) {
    driver = 'tokens';
    cost = lists[0]!.n;
  }
  if (catMask) {
    let catCost = 0;
    for (let c = 0; c < catMask.length; c++) if (catMask[c]) catCost += s.catLists[c]!.n;
    if (catCost < cost) {
      cost = catCost;
      driver = 'categories';
    }
  }
  if (brands) {
    let brandCost = 0;
    for (const seg of brands.segments) brandCost += seg.list.n;
    if (brandCost < cost) driver = 'brands';
  }
  return driver;
}

/** The doc lists a driver walks. */
function segmentsOf(driver: Driver, s: Shard, lists: readonly Postings[], catMask: Uint8Array | null, brands: Brands | null): Segment[] {
  if (driver === 'tokens') return [{ list: lists[0]!, mentionOf: -1 }];
  if (driver === 'brands') return brands!.segments;
  const segments: Segment[] = [];
  for (let c = 0; c < catMask!.length; c++) if (catMask![c]) segments.push({ list: s.catLists[c]!, mentionOf: -1 });
  return segments;
}
