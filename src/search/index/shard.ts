/**
 * One account's slice of the product index (doc ids are per account, so accounts never see each
 * other's products): per-doc attributes in typed arrays (price, category id, brand id, flags,
 * popularity, sku sort key), the postings, per-category and per-brand doc lists, and per-category
 * sorted views, built lazily and dropped when the category changes.
 * A changed product gets a new doc id and its old id is killed (postings are append-only and stay
 * sorted); `compact` renumbers the live docs densely in one pass.
 */
import type { ProductSummary } from '../../catalogue/types.ts';
import { ALIVE, AUDIENCE_SHIFT, ELIGIBLE, flagsOf } from './audience.ts';
import { buildCategoryView, skuKeyAt, type CategoryView } from './category-view.ts';
import { popularityBucket } from './popularity.ts';
import { MAX_DOC_ID, newPostings, remapPostings, type Postings } from './postings.ts';
import { normalizeText } from './tokenize.ts';

/** An order-preserving numeric prefix of a sku (7 chars × 7 bits); equal keys fall back to string order. */
const skuKey = (sku: string): number => skuKeyAt(sku, 0);

/** The brand id of a product without a brand. */
export const NO_BRAND = -1;

/** A category path as the index keys it: normalized, trimmed segments joined by '/'. */
export const categoryKey = (path: string): string =>
  normalizeText(path)
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)
    .join('/');

/** A brand name as the index keys it: normalized, without spaces. */
export const brandKey = (name: string): string => normalizeText(name).replace(/\s+/g, '');

/** One account's docs, postings, category and brand lists (see the file comment). */
export class Shard {
  docs: (ProductSummary | undefined)[] = [];
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

  /** Makes room in the attribute arrays for doc id `nextId`. */
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

  /** The id of a category path (a key, see `categoryKey`), new ones added with an empty doc list. */
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

  /** The id of a brand (a key, see `brandKey`), new ones added with an empty doc list. */
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

  /** Stores the product's price, flags, popularity and sku key for `id`; its category's views go stale. */
  setAttributes(id: number, p: ProductSummary): void {
    this.price[id] = p.priceFen;
    this.flags[id] = flagsOf(p);
    this.rank[id] = popularityBucket(p);
    this.skuKey[id] = skuKey(p.sku);
    this.views[this.cat[id]!] = undefined;
  }

  /** Marks doc `id` dead (it stays in the lists until `compact`). */
  kill(id: number): void {
    if (this.brand[id] === NO_BRAND) this.liveNoBrand--;
    this.views[this.cat[id]!] = undefined;
    this.flags[id] = 0;
    this.docs[id] = undefined;
    this.live--;
    this.dead++;
  }

  /** Category `c`'s sorted views over its eligible docs, built now if stale. */
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
      audienceOf: (id) => (flags[id]! >>> AUDIENCE_SHIFT) & 7,
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
    const docs: (ProductSummary | undefined)[] = new Array(next);
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
