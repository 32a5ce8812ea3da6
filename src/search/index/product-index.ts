/**
 * The in-memory product index: an inverted index over CJK bigrams and vocabulary words with field
 * weights, answering a `ProductQuery` (terms, categories, brands, audience, price, sort) in about a
 * millisecond at a million products. SQLite stays the source of truth; the caller feeds every change
 * through `upsert` / `remove`.
 *
 * Layout, per account (doc ids are per account, so accounts never see each other's products):
 * - per-doc attributes in typed arrays (price, category id, brand id, flags, popularity, sku sort key);
 * - postings: token → sorted `Uint32Array` of `docId << 4 | fieldWeight` (see postings.ts);
 * - per-category and per-brand doc lists, used as the candidate set when they are the smaller one;
 * - per-category sorted views (by popularity, by price), built lazily and dropped when the category
 *   changes, so queries without words walk a few entries instead of scanning the category.
 * A changed product gets a new doc id and its old id is marked dead (postings are append-only and stay
 * sorted); when dead ids outnumber half the live ones, the account is compacted in one pass.
 *
 * Matching: every search term must match (a term matches when the product contains each of its
 * `queryTokens`); categories, brands, audience and price bounds filter; sold-out products never match.
 * Scoring: BM25-style idf × saturated field weight, where a token in the category path weighs most,
 * then brand, title and tags — so products whose category names the word rank above products that
 * only mention it.
 */
import type { AccountId } from '../../core/messages.ts';
import type { Product } from '../../catalogue/types.ts';
import { isInStock } from '../../catalogue/types.ts';
import type { Audience, ProductQuery } from '../types.ts';
import { buildCategoryView, skuKeyAt, type CategoryView } from './category-view.ts';
import { addOccurrence, ID_SCALE, intersect, MAX_DOC_ID, newCandidates, newPostings, push, remapPostings, seek, WEIGHT_MASK, type Postings } from './postings.ts';
import { forEachToken, normalizeText, queryTokens, toDictionary, type Dictionary } from './tokenize.ts';
import { TopK } from './top-k.ts';

interface ProductHit {
  readonly product: Product;
  /** Text relevance when the query has terms, else the popularity proxy (see `popularity`). */
  readonly score: number;
}

export interface ProductSearchResult {
  /** At most `q.limit`, best first. */
  readonly hits: ProductHit[];
  /** How many products qualify in all (before `limit`; `exclude`d ones not counted). */
  readonly total: number;
}

export interface ProductIndex {
  /** Adds or replaces the product with this account and sku. */
  upsert(p: Product): void;
  /** Removes a product; false when it was not there. */
  remove(account: AccountId, sku: string): boolean;
  /** Live products (sold out included) of one account, or of all accounts. */
  size(account?: AccountId): number;
  search(account: AccountId, q: ProductQuery): ProductSearchResult;
}

export interface ProductIndexOptions {
  /**
   * Vocabulary words (categories, brands, colours, materials…) indexed whole besides their bigrams.
   * Fixed for the index's life: products are tokenized with it when upserted, so a changed vocabulary
   * needs a new index (rebuilt from SQLite).
   */
  readonly dictionary?: Iterable<string> | Dictionary;
}

/** Field weights, summed per token and product; a field counts a token once (stuffing a title does not help). */
const FIELD_WEIGHTS = { category: 4, brand: 3, title: 2, tags: 1 } as const;

const FIELD_CATEGORY = 1;
const FIELD_BRAND = 2;
const FIELD_TITLE = 4;
const FIELD_TAGS = 8;

/** BM25 saturation of a field weight w (0–15): w·(k1+1)/(w+k1). */
const K1 = 1.2;
const SATURATED = Float64Array.from({ length: WEIGHT_MASK + 1 }, (_, w) => (w * (K1 + 1)) / (w + K1));

const ALIVE = 1;
const IN_STOCK = 2;
const ELIGIBLE = ALIVE | IN_STOCK;
const WOMEN = 4;
const MEN = 8;
const KIDS = 16;
const AUDIENCE_BITS = WOMEN | MEN | KIDS;
const AUDIENCE_BIT: Record<Audience, number> = { women: WOMEN, men: MEN, kids: KIDS };

const WOMEN_WORDS = /女装|女款|女士|女式|女鞋|女生|男女|情侣/;
const MEN_WORDS = /男装|男款|男士|男式|男鞋|男生|男女|情侣/;
const KIDS_WORDS = /童装|童鞋|儿童|宝宝|婴儿|男童|女童|中大童|母婴|亲子/;

function audienceBits(p: Pick<Product, 'title' | 'category'>): number {
  const text = `${p.category[0] ?? ''} ${p.title}`;
  return (WOMEN_WORDS.test(text) ? WOMEN : 0) | (MEN_WORDS.test(text) ? MEN : 0) | (KIDS_WORDS.test(text) ? KIDS : 0);
}

const flagsOf = (p: Product): number => ALIVE | (isInStock(p) ? IN_STOCK : 0) | audienceBits(p);

/**
 * Who a product is for, from its category root and title (女装/女款/女士 → women, 男装/男款/男士 → men,
 * 童装/儿童/宝宝 → kids); empty when it does not say, and then it suits any audience.
 */
export function audienceOf(p: Pick<Product, 'title' | 'category'>): Audience[] {
  const bits = audienceBits(p);
  return (['women', 'men', 'kids'] as const).filter((a) => bits & AUDIENCE_BIT[a]);
}

/**
 * The popularity proxy that orders products when a query has no words: 0 without a discount, else
 * 1 + the discount depth in whole percent (1.35 for 35 % off), so discounted and deeper first.
 */
export function popularity(p: Pick<Product, 'priceFen' | 'originalPriceFen'>): number {
  return fromBucket(popularityBucket(p));
}

/** `popularity` as a small integer: 0, or 1 + whole percent off (1–101). */
function popularityBucket(p: Pick<Product, 'priceFen' | 'originalPriceFen'>): number {
  const o = p.originalPriceFen;
  if (o === null || !(o > p.priceFen) || p.priceFen < 0) return 0;
  return 1 + Math.round((1 - p.priceFen / o) * 100);
}

const fromBucket = (b: number): number => (b === 0 ? 0 : 1 + (b - 1) / 100);

/** An order-preserving numeric prefix of a sku (7 chars × 7 bits); equal keys fall back to string order. */
const skuKey = (sku: string): number => skuKeyAt(sku, 0);

const NO_BRAND = -1;

class Shard {
  docs: (Product | undefined)[] = [];
  readonly skuDoc = new Map<string, number>();
  cap = 0;
  nextId = 0;
  live = 0;
  dead = 0;
  liveNoBrand = 0;
  price = new Float64Array(0);
  cat = new Int32Array(0);
  brand = new Int32Array(0);
  flags = new Uint8Array(0);
  /** popularity bucket 0–101 (see `popularityBucket`) */
  rank = new Uint8Array(0);
  skuKey = new Float64Array(0);

  readonly postings = new Map<string, Postings>();
  readonly catIds = new Map<string, number>();
  readonly catPaths: string[] = [];
  readonly catLists: Postings[] = [];
  views: (CategoryView | undefined)[] = [];
  readonly brandIds = new Map<string, number>();
  readonly brandLists: Postings[] = [];
  readonly catMaskCache = new Map<string, Uint8Array>();

  /** Final tie-break of rankings (> 0 when doc a goes first): more popular, then smaller sku. */
  readonly tieBreak = (a: number, b: number): number => {
    const ra = this.rank[a]!;
    const rb = this.rank[b]!;
    return ra !== rb ? (ra > rb ? 1 : -1) : this.bySkuFirst(a, b);
  };

  /** > 0 when doc a comes before doc b by sku. */
  readonly bySkuFirst = (a: number, b: number): number => {
    const ka = this.skuKey[a]!;
    const kb = this.skuKey[b]!;
    if (ka !== kb) return ka < kb ? 1 : -1;
    const sa = this.docs[a]!.sku;
    const sb = this.docs[b]!.sku;
    return sa < sb ? 1 : sa > sb ? -1 : 0;
  };

  ensureCapacity(): void {
    if (this.nextId < this.cap) return;
    if (this.nextId > MAX_DOC_ID) throw new Error('Product index: more than 2^28 doc ids in one account; compact or shard the account.');
    this.resize(Math.max(64, Math.ceil(this.cap * 1.5)));
  }

  private resize(cap: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const a = make(cap);
      a.set(old.length > cap ? old.subarray(0, cap) : old);
      return a;
    };
    this.price = grow(this.price, (n) => new Float64Array(n));
    this.cat = grow(this.cat, (n) => new Int32Array(n));
    this.brand = grow(this.brand, (n) => new Int32Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.rank = grow(this.rank, (n) => new Uint8Array(n));
    this.skuKey = grow(this.skuKey, (n) => new Float64Array(n));
    this.cap = cap;
  }

  categoryId(path: string): number {
    let id = this.catIds.get(path);
    if (id === undefined) {
      id = this.catPaths.length;
      this.catIds.set(path, id);
      this.catPaths.push(path);
      this.catLists.push(newPostings());
      this.views.push(undefined);
      this.catMaskCache.clear();
    }
    return id;
  }

  brandId(name: string): number {
    let id = this.brandIds.get(name);
    if (id === undefined) {
      id = this.brandLists.length;
      this.brandIds.set(name, id);
      this.brandLists.push(newPostings());
    }
    return id;
  }

  /** Category ids whose path equals one of `paths` or lies below it (1 = wanted); null when no path is given. */
  categoryMask(paths: readonly string[]): Uint8Array | null {
    const wanted = paths.map(categoryKey).filter((p) => p !== '');
    if (wanted.length === 0) return null;
    const cacheKey = wanted.join('\n');
    let mask = this.catMaskCache.get(cacheKey);
    if (!mask) {
      mask = new Uint8Array(this.catPaths.length);
      for (let c = 0; c < this.catPaths.length; c++) {
        const path = this.catPaths[c]!;
        if (wanted.some((w) => path === w || path.startsWith(`${w}/`))) mask[c] = 1;
      }
      if (this.catMaskCache.size >= 256) this.catMaskCache.clear();
      this.catMaskCache.set(cacheKey, mask);
    }
    return mask;
  }

  setAttributes(id: number, p: Product): void {
    this.price[id] = p.priceFen;
    this.flags[id] = flagsOf(p);
    this.rank[id] = popularityBucket(p);
    this.skuKey[id] = skuKey(p.sku);
    this.views[this.cat[id]!] = undefined;
  }

  kill(id: number): void {
    if (this.brand[id] === NO_BRAND) this.liveNoBrand--;
    this.views[this.cat[id]!] = undefined;
    this.flags[id] = 0;
    this.docs[id] = undefined;
    this.live--;
    this.dead++;
  }

  view(c: number): CategoryView {
    let v = this.views[c];
    if (v) return v;
    const l = this.catLists[c]!;
    const eligible: number[] = [];
    for (let i = 0; i < l.n; i++) {
      const id = l.a[i]! >>> 4;
      if ((this.flags[id]! & ELIGIBLE) === ELIGIBLE) eligible.push(id);
    }
    const flags = this.flags;
    const docs = this.docs;
    v = buildCategoryView(Int32Array.from(eligible), {
      rank: this.rank,
      price: this.price,
      skuKey: this.skuKey,
      audienceOf: (id) => (flags[id]! >>> 2) & 7,
      skuOf: (id) => docs[id]!.sku,
    });
    this.views[c] = v;
    return v;
  }

  /** Drops dead ids: renumbers docs densely and filters every list in one pass (order is preserved). */
  compact(): void {
    const remap = new Int32Array(this.nextId).fill(-1);
    let next = 0;
    for (let id = 0; id < this.nextId; id++) if (this.flags[id]! & ALIVE) remap[id] = next++;
    const docs: (Product | undefined)[] = new Array(next);
    for (let id = 0; id < this.nextId; id++) {
      const to = remap[id]!;
      if (to < 0) continue;
      const p = this.docs[id]!;
      docs[to] = p;
      this.price[to] = this.price[id]!;
      this.cat[to] = this.cat[id]!;
      this.brand[to] = this.brand[id]!;
      this.flags[to] = this.flags[id]!;
      this.rank[to] = this.rank[id]!;
      this.skuKey[to] = this.skuKey[id]!;
      this.skuDoc.set(p.sku, to);
    }
    this.flags.fill(0, next);
    for (const [token, l] of this.postings) {
      remapPostings(l, remap);
      if (l.n === 0) this.postings.delete(token);
    }
    for (const l of this.catLists) remapPostings(l, remap);
    for (const l of this.brandLists) remapPostings(l, remap);
    this.docs = docs;
    this.nextId = next;
    this.dead = 0;
    this.views = this.views.map(() => undefined);
    this.resize(Math.max(64, Math.ceil(next * 1.25)));
  }
}

const categoryKey = (path: string): string =>
  normalizeText(path)
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)
    .join('/');

const brandKey = (name: string): string => normalizeText(name).replace(/\s+/g, '');

function sameSearchable(a: Product, b: Product): boolean {
  return (
    a.title === b.title &&
    a.brand === b.brand &&
    a.category.length === b.category.length &&
    a.category.every((c, i) => c === b.category[i]) &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i])
  );
}

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

const empty = (): ProductSearchResult => ({ hits: [], total: 0 });

/** A candidate source: a sorted doc list; `mentionOf` ≥ 0: only docs without a brand that name brand #mentionOf. */
interface Segment {
  readonly list: Postings;
  readonly mentionOf: number;
}

/** What every candidate must pass, prepared once per query. */
interface Filter {
  readonly catMask: Uint8Array | null;
  readonly minP: number;
  readonly maxP: number;
  readonly audienceBit: number;
  readonly excluded: Set<number> | null;
  readonly sort: 'relevance' | 'price_asc' | 'price_desc';
  readonly limit: number;
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
  const shards = new Map<AccountId, Shard>();
  const candidates = newCandidates();

  // The product being indexed, for the tokenizer callback (no closure per product or field).
  let target: Shard | null = null;
  let targetId = 0;
  let fieldWeight = 0;
  let fieldBit = 0;
  const addToken = (t: string): void => {
    const postings = target!.postings;
    let l = postings.get(t);
    if (!l) {
      l = newPostings();
      postings.set(t, l);
    }
    addOccurrence(l, targetId, fieldWeight, fieldBit);
  };
  const addField = (text: string, weight: number, bit: number): void => {
    fieldWeight = weight;
    fieldBit = bit;
    forEachToken(normalizeText(text), dict, addToken);
  };

  function index(shard: Shard, p: Product): void {
    const id = shard.nextId;
    shard.ensureCapacity();
    shard.nextId++;
    shard.docs[id] = p;
    shard.skuDoc.set(p.sku, id);
    const catId = shard.categoryId(categoryKey(p.category.join('/')));
    shard.cat[id] = catId;
    shard.setAttributes(id, p);
    push(shard.catLists[catId]!, id * ID_SCALE);
    const b = p.brand === null ? '' : brandKey(p.brand);
    if (b === '') {
      shard.brand[id] = NO_BRAND;
      shard.liveNoBrand++;
    } else {
      const brandId = shard.brandId(b);
      shard.brand[id] = brandId;
      push(shard.brandLists[brandId]!, id * ID_SCALE);
    }

    target = shard;
    targetId = id;
    addField(p.title, FIELD_WEIGHTS.title, FIELD_TITLE);
    if (p.brand) addField(p.brand, FIELD_WEIGHTS.brand, FIELD_BRAND);
    for (const c of p.category) addField(c, FIELD_WEIGHTS.category, FIELD_CATEGORY);
    for (const t of p.tags) addField(t, FIELD_WEIGHTS.tags, FIELD_TAGS);
    target = null;
    shard.live++;
  }

  function upsert(p: Product): void {
    let shard = shards.get(p.account);
    if (!shard) {
      shard = new Shard();
      shards.set(p.account, shard);
    }
    const old = shard.skuDoc.get(p.sku);
    if (old !== undefined) {
      if (sameSearchable(shard.docs[old]!, p)) {
        // Same words: keep the postings; refresh the attributes (and the category's views only if they changed).
        shard.docs[old] = p;
        if (shard.price[old] !== p.priceFen || shard.flags[old] !== flagsOf(p) || shard.rank[old] !== popularityBucket(p)) {
          shard.setAttributes(old, p);
        }
        return;
      }
      shard.kill(old);
      shard.skuDoc.delete(p.sku);
    }
    index(shard, p);
    maybeCompact(shard);
  }

  function maybeCompact(shard: Shard): void {
    if (shard.dead > 1024 && shard.dead > shard.live / 2) shard.compact();
  }

  function remove(account: AccountId, sku: string): boolean {
    const shard = shards.get(account);
    const id = shard?.skuDoc.get(sku);
    if (!shard || id === undefined) return false;
    shard.kill(id);
    shard.skuDoc.delete(sku);
    if (shard.live === 0) shards.delete(account);
    else maybeCompact(shard);
    return true;
  }

  function size(account?: AccountId): number {
    if (account !== undefined) return shards.get(account)?.live ?? 0;
    let n = 0;
    for (const s of shards.values()) n += s.live;
    return n;
  }

  function search(account: AccountId, q: ProductQuery): ProductSearchResult {
    const s = shards.get(account);
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

    const catMask = s.categoryMask(q.categories);
    if (catMask && !catMask.includes(1)) return empty();
    const minP = q.minPriceFen ?? -Infinity;
    const maxP = q.maxPriceFen ?? Infinity;
    if (minP > maxP) return empty();
    let excluded: Set<number> | null = null;
    if (q.exclude && q.exclude.size > 0) {
      excluded = new Set();
      for (const sku of q.exclude) {
        const id = s.skuDoc.get(sku);
        if (id !== undefined) excluded.add(id);
      }
    }
    const filter: Filter = {
      catMask,
      minP,
      maxP,
      audienceBit: q.audience ? AUDIENCE_BIT[q.audience] : 0,
      excluded: excluded?.size ? excluded : null,
      sort: q.sort === 'price_asc' || q.sort === 'price_desc' ? q.sort : 'relevance',
      limit: Number.isNaN(q.limit) ? 0 : Math.min(s.live, Math.max(0, Math.floor(q.limit))),
    };
    const brandNames = q.brands.map(brandKey).filter(Boolean);

    const top = new TopK(filter.limit, s.tieBreak);
    const total =
      lists.length === 0 && brandNames.length === 0 ? browse(s, filter, top) : match(s, filter, lists, brandNames, top);
    const hits = top.sorted().map((i) => {
      const id = top.ids[i]!;
      const score = filter.sort === 'relevance' ? top.p1[i]! : top.p2[i]!;
      return { product: s.docs[id]!, score: lists.length > 0 ? score : fromBucket(score) };
    });
    return { hits, total };
  }

  /**
   * No words and no brands: walk each wanted category's sorted views. Counting is a binary search per
   * category (plus a pass over the price slice when an audience is asked); ranking stops after `limit`.
   */
  function browse(s: Shard, f: Filter, top: TopK): number {
    const { catMask, minP, maxP, audienceBit, excluded, sort, limit } = f;
    const { flags, price, rank } = s;
    // Audience buckets (flags >> 2 & 7) that qualify: no signal always does.
    const bucketOk = new Uint8Array(8);
    for (let b = 0; b < 8; b++) bucketOk[b] = audienceBit === 0 || b === 0 || ((b << 2) & audienceBit) !== 0 ? 1 : 0;
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

      let kept = 0;
      if (sort === 'relevance') {
        // Walking by popularity pays when the price slice is wide; a narrow slice is cheaper to scan.
        if ((hi - lo) * (hi - lo) < limit * v.n) {
          for (let i = lo; i < hi; i++) {
            if (!bucketOk[v.priceAudience[i]!]) continue;
            const id = v.byPrice[i]!;
            if (excluded === null || !excluded.has(id)) top.offer(id, rank[id]!, 0);
          }
        } else {
          for (let i = 0; i < v.n && kept < limit; i++) {
            const pr = v.rankPrices[i]!;
            if (pr < minP || pr > maxP || !bucketOk[v.rankAudience[i]!]) continue;
            const id = v.byRank[i]!;
            if (excluded !== null && excluded.has(id)) continue;
            top.offer(id, rank[id]!, 0);
            kept++;
          }
        }
      } else {
        // By price: the first `limit` in range, plus any others at the last kept price (TopK orders ties).
        const up = sort === 'price_asc';
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
    }
    // The views counted excluded products that otherwise qualify.
    if (excluded) {
      for (const id of excluded) {
        const fl = flags[id]!;
        const pr = price[id]!;
        if ((fl & ELIGIBLE) !== ELIGIBLE || (catMask && catMask[s.cat[id]!] === 0)) continue;
        if (pr >= minP && pr <= maxP && bucketOk[(fl >>> 2) & 7]) total--;
      }
    }
    return total;
  }

  /**
   * Words or brands: candidates come from the smallest of the rarest token's postings, the wanted
   * categories' lists and the brands' lists; the other tokens are found by galloping through their
   * postings, the other filters are array lookups.
   */
  function match(s: Shard, f: Filter, lists: Postings[], brandNames: string[], top: TopK): number {
    const { catMask, minP, maxP, audienceBit, excluded, sort, limit } = f;
    const nTok = lists.length;
    const idf = new Float64Array(nTok);
    for (let j = 0; j < nTok; j++) {
      const df = Math.min(lists[j]!.n, s.live);
      idf[j] = Math.log(1 + (s.live - df + 0.5) / (df + 0.5));
    }

    // Brands: the brand field, or — for products imported without one — the brand's words in the
    // product's text (title, tags, category), found like a search term.
    let brandMask: Uint8Array | null = null;
    const brandSegments: Segment[] = [];
    const mentionLists: Postings[][] = [];
    const mentionCursors: Int32Array[] = [];
    if (brandNames.length > 0) {
      brandMask = new Uint8Array(s.brandLists.length);
      for (let b = 0; b < brandNames.length; b++) {
        const id = s.brandIds.get(brandNames[b]!);
        if (id !== undefined && !brandMask[id]) {
          brandMask[id] = 1;
          brandSegments.push({ list: s.brandLists[id]!, mentionOf: -1 });
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
        if (s.liveNoBrand > 0 && ls.length > 0) {
          const rarest = ls.reduce((x, y) => (y.n < x.n ? y : x));
          brandSegments.push({ list: rarest, mentionOf: b });
        }
      }
      if (brandSegments.length === 0) return 0;
    }
    /** Index of the first query brand whose words the doc holds, or -1 (ids must rise within a segment). */
    const mentions = (id: number): number => {
      const key = id * ID_SCALE;
      brands: for (let b = 0; b < mentionLists.length; b++) {
        const ls = mentionLists[b]!;
        if (ls.length === 0) continue;
        const cur = mentionCursors[b]!;
        for (let j = 0; j < ls.length; j++) {
          const l = ls[j]!;
          const at = seek(l.a, l.n, cur[j]!, key);
          cur[j] = at;
          if (at >= l.n || l.a[at]! >>> 4 !== id) continue brands;
        }
        return b;
      }
      return -1;
    };

    // The cheapest candidate source.
    let segments: Segment[] = [];
    let cost = Infinity;
    let driverIsToken = false;
    if (nTok > 0) {
      segments = [{ list: lists[0]!, mentionOf: -1 }];
      cost = lists[0]!.n;
      driverIsToken = true;
    }
    if (catMask) {
      let catCost = 0;
      for (let c = 0; c < catMask.length; c++) if (catMask[c]) catCost += s.catLists[c]!.n;
      if (catCost < cost) {
        cost = catCost;
        segments = [];
        for (let c = 0; c < catMask.length; c++) if (catMask[c]) segments.push({ list: s.catLists[c]!, mentionOf: -1 });
        driverIsToken = false;
      }
    }
    if (brandMask) {
      let brandCost = 0;
      for (const seg of brandSegments) brandCost += seg.list.n;
      if (brandCost < cost) {
        segments = brandSegments;
        driverIsToken = false;
      }
    }

    const { flags, cat, price, brand, rank } = s;
    const checkCat = catMask !== null && (driverIsToken || segments === brandSegments);
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
      for (const cur of mentionCursors) cur.fill(0);
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
            if (b !== NO_BRAND || mentions(id) !== mentionOf) continue;
          } else if (b === NO_BRAND ? mentions(id) < 0 : brandMask[b] !== 1) {
            continue;
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

  return { upsert, remove, size, search };
}
