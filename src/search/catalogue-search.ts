/**
 * The catalogue, searchable: in-memory indexes (products, hotels by place, deals by city) and the message
 * understander, built from SQLite at start and kept in step by polling the catalogue's change feed, so an
 * import by another process is answered within a second, without a restart. SQLite stays the source of truth.
 */
import type { AccountId } from '../agent/types.ts';
import { createCatalogueStore, type CatalogueChanges, type CatalogueItem } from '../catalogue/store.ts';
import type { CatalogueKind, Deal, Hotel, Product } from '../catalogue/types.ts';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { createDealIndex } from './index/deal-index.ts';
import { createGeoIndex, distanceKm } from './index/geo-index.ts';
import { createProductIndex } from './index/product-index.ts';
import type { CatalogueSearch } from './service.ts';
import { loadLexicon } from './understand/lexicon.ts';
import { createUnderstander } from './understand/understand.ts';
import { buildVocabulary, type CatalogueWords } from './understand/vocabulary.ts';

/** A place this far from every hotel and deal is in no city we know. */
const CITY_RADIUS_KM = 50;

export interface CatalogueSearchOptions {
  readonly db: Db;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often to look for changes made by other processes (ms); 0 = only on `refresh()`. */
  readonly pollMs?: number;
}

const key = (account: string, id: string) => `${account}\u0000${id}`;

/** Latin words in titles (watch, pro, air): the understander keeps such words only when the catalogue has them. */
const LATIN_WORD = /[a-z][a-z']+/g;
const latinWords = (title: string): Set<string> => new Set(title.toLowerCase().match(LATIN_WORD) ?? []);

/** Counts of words the catalogue brings; the understander is rebuilt when a new one appears. */
class WordCounts {
  private readonly counts = new Map<string, number>();
  /** True when `word` is new. */
  add(word: string | null): boolean {
    if (!word) return false;
    const n = this.counts.get(word) ?? 0;
    this.counts.set(word, n + 1);
    return n === 0;
  }
  remove(word: string | null): void {
    if (!word) return;
    const n = (this.counts.get(word) ?? 0) - 1;
    if (n <= 0) this.counts.delete(word);
    else this.counts.set(word, n);
  }
  words(): string[] {
    return [...this.counts.keys()];
  }
}

/**
 * @example
 * const search = createCatalogueSearch({ db });
 * search.products(account, { terms: [], categories: ['女装/连衣裙'], … });
 * search.stop();
 */
export function createCatalogueSearch(options: CatalogueSearchOptions): CatalogueSearch & { refresh(): void; stop(): void } {
  const { db, clock = systemClock, logger = silentLogger, pollMs = 500 } = options;
  const store = createCatalogueStore(db, clock);
  const lexicon = loadLexicon();
  const words = {
    categories: new WordCounts(), brands: new WordCounts(), cities: new WordCounts(), dealCategories: new WordCounts(), titleWords: new WordCounts(),
  };

  const productsById = new Map<string, Product>();
  const hotelsById = new Map<string, Hotel>();
  const dealsById = new Map<string, Deal>();
  const seen: Record<CatalogueKind, number> = { products: 0, hotels: 0, deals: 0 };
  let rootsCache: Map<string, string[]> | null = null;

  // Load everything once to learn the vocabulary, then index with it.
  const initial = {
    products: store.changesSince('products', 0),
    hotels: store.changesSince('hotels', 0),
    deals: store.changesSince('deals', 0),
  };
  for (const p of initial.products.upserted) countProduct(p, 1);
  for (const h of initial.hotels.upserted) words.cities.add(h.city);
  for (const d of initial.deals.upserted) countDeal(d, 1);
  let vocabulary = buildVocabulary(catalogueWords(), lexicon);
  let understander = createUnderstander(vocabulary);
  const productIndex = createProductIndex({ dictionary: vocabulary.entries.keys() });
  const geo = createGeoIndex();
  const deals = createDealIndex();
  for (const p of initial.products.upserted) putProduct(p);
  for (const h of initial.hotels.upserted) putHotel(h);
  for (const d of initial.deals.upserted) putDeal(d);
  seen.products = initial.products.rev;
  seen.hotels = initial.hotels.rev;
  seen.deals = initial.deals.rev;
  logger.info({ products: productsById.size, hotels: hotelsById.size, deals: dealsById.size }, 'catalogue indexed');

  function catalogueWords(): CatalogueWords {
    return {
      categoryPaths: words.categories.words(),
      brands: words.brands.words(),
      cities: words.cities.words(),
      dealCategories: words.dealCategories.words(),
      titleWords: words.titleWords.words(),
    };
  }

  function countProduct(p: Product, sign: 1 | -1): boolean {
    const latin = latinWords(p.title);
    if (sign < 0) {
      words.categories.remove(p.category.join('/'));
      words.brands.remove(p.brand);
      for (const w of latin) words.titleWords.remove(w);
      return false;
    }
    let added = words.categories.add(p.category.join('/'));
    added = words.brands.add(p.brand) || added;
    for (const w of latin) added = words.titleWords.add(w) || added;
    return added;
  }

  function countDeal(d: Deal, sign: 1 | -1): boolean {
    if (sign < 0) {
      words.cities.remove(d.city);
      words.dealCategories.remove(d.category);
      return false;
    }
    const a = words.cities.add(d.city);
    const b = words.dealCategories.add(d.category);
    return a || b;
  }

  function putProduct(p: Product): void {
    productsById.set(key(p.account, p.sku), p);
    productIndex.upsert(p);
  }
  function putHotel(h: Hotel): void {
    hotelsById.set(key(h.account, h.id), h);
    geo.upsert(h);
  }
  function putDeal(d: Deal): void {
    dealsById.set(key(d.account, d.id), d);
    deals.upsert(d);
  }

  interface Collection<T extends { account: AccountId }> {
    readonly byId: Map<string, T>;
    idOf(item: T): string;
    /** Counts (sign 1) or uncounts (-1) the item's words; true when it brought a new one. */
    count(item: T, sign: 1 | -1): boolean;
    put(item: T): void;
    drop(account: AccountId, id: string): void;
  }
  const collections = {
    products: { byId: productsById, idOf: (p) => p.sku, count: countProduct, put: putProduct, drop: (a, id) => productIndex.remove(a, id) } satisfies Collection<Product>,
    hotels: {
      byId: hotelsById, idOf: (h) => h.id, put: putHotel, drop: (a, id) => geo.remove(a, id),
      count: (h, sign) => (sign > 0 ? words.cities.add(h.city) : (words.cities.remove(h.city), false)),
    } satisfies Collection<Hotel>,
    deals: { byId: dealsById, idOf: (d) => d.id, count: countDeal, put: putDeal, drop: (a, id) => deals.remove(a, id) } satisfies Collection<Deal>,
  };

  /** Applies one kind's changes; returns how many rows changed and whether a new word arrived. */
  function follow<T extends { account: AccountId }>(c: Collection<T>, changes: CatalogueChanges<T>): { changed: number; newWords: boolean } {
    let newWords = false;
    for (const item of changes.upserted) {
      const old = c.byId.get(key(item.account, c.idOf(item)));
      if (old) c.count(old, -1);
      newWords = c.count(item, 1) || newWords;
      c.put(item);
    }
    for (const ref of changes.deleted) {
      const old = c.byId.get(key(ref.account, ref.id));
      if (old) c.count(old, -1);
      c.byId.delete(key(ref.account, ref.id));
      c.drop(ref.account, ref.id);
    }
    return { changed: changes.upserted.length + changes.deleted.length, newWords };
  }

  let vocabularyStale = false;
  /**
   * Applies whatever other processes (or this one) wrote since the last look. A new category, brand or city
   * means the understander must know the word (the product index keeps its dictionary; CJK bigrams still
   * match new words there). Rebuilding it blocks the event loop for up to a second on a large catalogue, so
   * the poll (`deferVocabulary`) rebuilds it once the feed has been quiet for a poll, not at every poll of an
   * import whose every batch brings new words; an explicit refresh() rebuilds at once.
   */
  function apply(deferVocabulary: boolean): void {
    let changed = 0;
    let newWords = false;
    for (const kind of ['products', 'hotels', 'deals'] as const) {
      const changes = store.changesSince(kind, seen[kind]);
      const r = follow(collections[kind] as Collection<CatalogueItem<typeof kind>>, changes as CatalogueChanges<CatalogueItem<typeof kind>>);
      seen[kind] = changes.rev;
      changed += r.changed;
      newWords ||= r.newWords;
    }
    vocabularyStale ||= newWords;
    if (vocabularyStale && !(deferVocabulary && changed > 0)) {
      vocabularyStale = false;
      vocabulary = buildVocabulary(catalogueWords(), lexicon);
      understander = createUnderstander(vocabulary);
    }
    if (changed === 0) return;
    rootsCache = null;
    logger.info({ changed }, 'catalogue changes applied');
  }
  const refresh = (): void => apply(false);

  const timer = pollMs > 0 ? setInterval(() => {
    try {
      apply(true);
    } catch (err) {
      logger.error({ err }, 'could not apply catalogue changes');
    }
  }, pollMs).unref() : null;

  function productRoots(account: AccountId): string[] {
    rootsCache ??= new Map();
    let roots = rootsCache.get(account);
    if (!roots) {
      const counts = new Map<string, number>();
      for (const p of productsById.values()) {
        if (p.account !== account || p.stock === 0) continue;
        const root = p.category[0] ?? '';
        counts.set(root, (counts.get(root) ?? 0) + 1);
      }
      roots = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([r]) => r);
      rootsCache.set(account, roots);
    }
    return roots;
  }

  return {
    understand: (text) => understander.understand(text),
    products: (account, q) => productIndex.search(account, q),
    product: (account, sku) => productsById.get(key(account, sku)) ?? null,
    hotelsNear: (account, at, o) => geo.nearest(account, at, o),
    hotelsInCity: (account, city, o) => geo.inCity(account, city, o),
    hotel: (account, id) => hotelsById.get(key(account, id)) ?? null,
    deals: (account, q) => deals.live(account, q),
    deal: (account, id) => dealsById.get(key(account, id)) ?? null,
    hotelCities: (account) => geo.cities(account),
    dealCities: (account, now) => deals.cities(account, { now }),
    dealCategories: (account, o) => deals.categories(account, o),
    productRoots,
    cityNear(account, at) {
      const [nearest] = geo.nearest(account, at, { limit: 1, maxKm: CITY_RADIUS_KM });
      if (nearest) return nearest.hotel.city;
      let best: { city: string; km: number } | null = null;
      for (const d of dealsById.values()) {
        if (d.account !== account || d.lat === null || d.lng === null) continue;
        const km = distanceKm(at, { lat: d.lat, lng: d.lng });
        if (km <= CITY_RADIUS_KM && (!best || km < best.km)) best = { city: d.city, km };
      }
      return best?.city ?? null;
    },
    refresh,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
