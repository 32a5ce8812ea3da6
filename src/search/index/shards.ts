/**
 * The product index's accounts and their upkeep: one `Shard` per account, a product's words tokenized
 * into the shard's postings with field weights when it is upserted, dead doc ids compacted away once
 * they outnumber half the live ones.
 */
import type { AccountId } from '../../core/messages.ts';
import type { ProductSummary } from '../../catalogue/types.ts';
import { flagsOf } from './audience.ts';
import { popularityBucket } from './popularity.ts';
import { addOccurrence, ID_SCALE, newPostings, push } from './postings.ts';
import { brandKey, categoryKey, NO_BRAND, Shard } from './shard.ts';
import { forEachToken, normalizeText, type Dictionary } from './tokenize.ts';

/** Field weights, summed per token and product; a field counts a token once (stuffing a title does not help). */
const FIELD_WEIGHTS = { category: 4, brand: 3, title: 2, tags: 1 } as const;

const FIELD_CATEGORY = 1;
const FIELD_BRAND = 2;
const FIELD_TITLE = 4;
const FIELD_TAGS = 8;

/** The shards of every account, kept in step with the catalogue through `upsert` and `remove`. */
export interface ProductShards {
  /** The account's shard (undefined when it never had a product or lost them all). */
  get(account: AccountId): Shard | undefined;
  /** Adds or replaces the product with this account and sku. */
  upsert(p: ProductSummary): void;
  /** Removes a product; false when it was not there. */
  remove(account: AccountId, sku: string): boolean;
  /** Live products (sold out included) of one account, or of all accounts. */
  size(account?: AccountId): number;
  /** The live product with this account and sku, as upserted. */
  product(account: AccountId, sku: string): ProductSummary | undefined;
  /** Each live product of the account (sold out included), in no particular order. */
  forEach(account: AccountId, visit: (p: ProductSummary) => void): void;
}

function sameSearchable(a: ProductSummary, b: ProductSummary): boolean {
  return (
    a.title === b.title &&
    a.brand === b.brand &&
    a.category.length === b.category.length &&
    a.category.every((c, i) => c === b.category[i]) &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i])
  );
}

function maybeCompact(shard: Shard): void {
  if (shard.dead > 1024 && shard.dead > shard.live / 2) shard.compact();
}

/**
 * The function that gives a product a new doc id in a shard: attributes, category and brand lists, and
 * its words (tokenized with `dict`) in the postings with their field weights.
 */
function createDocIndexer(dict: Dictionary | undefined): (shard: Shard, p: ProductSummary) => void {
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

  return function index(shard: Shard, p: ProductSummary): void {
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
  };
}

/** Empty shards that tokenize products with `dict` (vocabulary words indexed whole besides their bigrams). */
export function createShards(dict: Dictionary | undefined): ProductShards {
  const shards = new Map<AccountId, Shard>();
  const index = createDocIndexer(dict);

  function upsert(p: ProductSummary): void {
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

  function product(account: AccountId, sku: string): ProductSummary | undefined {
    const shard = shards.get(account);
    const id = shard?.skuDoc.get(sku);
    return id === undefined ? undefined : shard!.docs[id];
  }

  function forEach(account: AccountId, visit: (p: ProductSummary) => void): void {
    const shard = shards.get(account);
    if (!shard) return;
    for (let id = 0; id < shard.nextId; id++) {
      const p = shard.docs[id];
      if (p) visit(p);
    }
  }

  return { get: (account) => shards.get(account), upsert, remove, size, product, forEach };
}
