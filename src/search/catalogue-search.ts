/**
 * The catalogue, searchable: in-memory indexes (products, hotels by place, deals by city) and the message
 * understander, loaded from the database at start (`ready`) and kept in step by polling the catalogue's change
 * feed, so an import by another process or instance is answered within a second, without a restart (on
 * PostgreSQL a change notice wakes the poll at once: db/change-notices.ts). The database
 * (SQLite or PostgreSQL) stays the source of truth; a search never waits on it: every question is answered from
 * memory (a product's details on SQLite excepted: product-details.ts). The poll works in background slices
 * (background.ts): a big import is taken in, and the understander's vocabulary rebuilt, between webhook
 * deliveries rather than in front of them.
 */
import type { AccountId } from '../core/messages.ts';
import { background as processBackground, type Background } from '../core/background.ts';
import { createCatalogueStore, type CatalogueChanges, type CatalogueItem, type FeedPage, type FeedPosition } from '../catalogue/catalogue-store.ts';
import type { CatalogueKind, Deal, Hotel, Product, ProductSummary } from '../catalogue/types.ts';
import { summarize, SummaryInterner } from '../catalogue/product-summary.ts';
import { isInStock } from '../catalogue/types.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import type { Poll } from '../core/poll.ts';
import { pollWithNotices, type ChangeNotices } from '../db/change-notices.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { asSql } from '../db/sql/sqlite.ts';
import { createDealIndex, type LiveDealsQuery } from './index/deal-index.ts';
import { createGeoIndex, distanceKm, type InCityOptions, type LatLng, type NearbyHotel, type NearestOptions } from './index/geo-index.ts';
import { createProductIndex } from './index/product-index.ts';
import { productWords } from './product-words.ts';
import type { ProductSearchResult } from './index/product-query.ts';
import { finish, stepUntil, type Steps } from './steps.ts';
import type { ProductQuery, Understanding } from './types.ts';
import { productResultCache } from './result-cache.ts';
import { createSynonymRewriter } from './synonyms.ts';
import { loadLexicon } from './understand/lexicon.ts';
import { createUnderstander, type ShopKinds } from './understand/understand.ts';
import { productDetailsSource } from './product-details.ts';
import { buildVocabulary, vocabularySteps, type CatalogueWords, type Vocabulary } from './understand/vocabulary.ts';

/**
 * What the shopping skills and the mobile pages ask of the catalogue. Implemented below over in-memory
 * indexes kept in step with SQLite (`createCatalogueSearch`); tests may implement it over fixtures.
 */
export interface CatalogueSearch {
  /** Reads a message; with `account`, that account's synonyms (synonyms.ts) rewrite it first, and it is read for what the account has (no hotels: 酒店 is a plain word). */
  understand(text: string, account?: AccountId): Understanding;
  products(account: AccountId, q: ProductQuery): ProductSearchResult;
  /** One product, whole (with its details: product-details.ts), if the search has it. */
  product(account: AccountId, sku: string): Product | null;
  hotelsNear(account: AccountId, at: LatLng, options: NearestOptions): NearbyHotel[];
  hotelsInCity(account: AccountId, city: string, options: InCityOptions): Hotel[];
  hotel(account: AccountId, id: string): Hotel | null;
  deals(account: AccountId, q: LiveDealsQuery): Deal[];
  deal(account: AccountId, id: string): Deal | null;
  /** Cities with hotels, most first. */
  hotelCities(account: AccountId): string[];
  /** Cities with live deals, most first. */
  dealCities(account: AccountId, now: number): string[];
  dealCategories(account: AccountId, options: { city?: string; now: number }): string[];
  /** Top-level product categories (女装, 数码…), largest first. */
  productRoots(account: AccountId): string[];
  /** The city whose hotels or deals lie nearest to a point (a follower's last location), if any within 50 km. */
  cityNear(account: AccountId, at: LatLng): string | null;
  /** Goes up whenever the indexed catalogue changes: what is derived from it may be cached until then. */
  version(): number;
}

/** Each brand's names in the vocabulary: its aliases and its models' words (苹果 → apple, iphone, ipad, airpods). */
function namesOfBrands(vocabulary: Vocabulary): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const entry of vocabulary.entries.values()) {
    for (const sense of entry.senses) {
      if (sense.kind !== 'brand') continue;
      const list = names.get(sense.brand);
      if (list) list.push(entry.word);
      else names.set(sense.brand, [entry.word]);
    }
  }
  return names;
}

/** A place this far from every hotel and deal is in no city we know. */
const CITY_RADIUS_KM = 50;

const KINDS = ['products', 'hotels', 'deals'] as const;
/** Rows read from the feed at a time: about 1 ms to read and index, half a background slice. */
const PAGE_ROWS = 50;
/** During a long import, the vocabulary is rebuilt at least this often (ms) once it lacks a word. */
const VOCABULARY_MAX_WAIT_MS = 10_000;

export interface CatalogueSearchOptions {
  readonly db: Db | Sql;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often to look for changes made by other processes (ms); 0 = only on `refresh()` (and notices). */
  readonly pollMs?: number;
  /** PostgreSQL's change notices (postgres/listen.ts): a change is looked for at once, and the poll slows down while they arrive. */
  readonly changes?: ChangeNotices;
  /** Where the poll takes its slices of the event loop (default: the process's, shared with imports). */
  readonly background?: Background;
}

const key = (account: string, id: string) => `${account}\u0000${id}`;


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

/** The search with what its owner needs: when it is loaded, how to catch up now, and how to stop it. */
export interface LiveCatalogueSearch extends CatalogueSearch {
  /** Resolves once the catalogue is loaded (searches find nothing before); rejects when it cannot be read. */
  readonly ready: Promise<void>;
  /** Applies whatever was written since the last look, now (after a poll under way). */
  refresh(): Promise<void>;
  /** Applies synonym changes now (the poll does within `pollMs`): one indexed read when there are none. */
  reloadSynonyms(): Promise<boolean>;
  stop(): void;
}

/**
 * @example
 * const search = createCatalogueSearch({ db: sql });
 * await search.ready;
 * search.products(account, { terms: [], categories: ['女装/连衣裙'], … });
 * search.stop();
 */
export function createCatalogueSearch(options: CatalogueSearchOptions): LiveCatalogueSearch {
  const { clock = systemClock, logger = silentLogger, pollMs = 500, background = processBackground } = options;
  const sql = asSql(options.db);
  const store = createCatalogueStore(sql, clock);
  const lexicon = loadLexicon();
  const synonyms = createSynonymRewriter(sql);
  const details = productDetailsSource(sql);
  const words = {
    categories: new WordCounts(), brands: new WordCounts(), cities: new WordCounts(), dealCategories: new WordCounts(), titleWords: new WordCounts(), tags: new WordCounts(),
  };

  // Products live in the index alone, as summaries: the details are read for the one product shown.
  const intern = new SummaryInterner();
  const hotelsById = new Map<string, Hotel>();
  const dealsById = new Map<string, Deal>();
  const seen: Record<CatalogueKind, number> = { products: 0, hotels: 0, deals: 0 };
  let rootsCache: Map<string, string[]> | null = null;
  let kindsCache: Map<string, ShopKinds> | null = null;
  /** Per account, in-stock products per top-level category: kept as products change, so productRoots() is a sort of a few. */
  const rootCounts = new Map<AccountId, Map<string, number>>();
  /** Per account, how many deals (live or not) it has. */
  const dealCounts = new Map<AccountId, number>();
  let version = 0;
  const cachedProducts = productResultCache();

  // Set by load(): until then there is nothing to search, and the vocabulary is made only if asked for.
  let vocabulary: Vocabulary | null = null;
  let understander: ReturnType<typeof createUnderstander> | null = null;
  let brandNames = new Map<string, string[]>();
  let productIndex = createProductIndex({ dictionary: [] });
  const geo = createGeoIndex();
  const deals = createDealIndex();
  let stopped = false;

  /**
   * Loads everything once to learn the vocabulary, then indexes with it. Products are read as summaries, a page
   * at a time: a million full rows at once would hold their URLs and descriptions too. Each read starts from the
   * revision taken before it, so what is written meanwhile comes again from the feed (an upsert absorbs it).
   */
  async function load(): Promise<void> {
    await synonyms.reload();
    const initialProducts: ProductSummary[] = [];
    const productsRev = await store.eachProductSummary(intern, (p) => {
      countProduct(p, 1);
      initialProducts.push(p);
    });
    const hotels = await store.changesSince('hotels', 0);
    const dealRows = await store.changesSince('deals', 0);
    await details.load(store);
    // From here on synchronous: a search sees nothing, or everything loaded.
    for (const h of hotels.upserted) words.cities.add(h.city);
    for (const d of dealRows.upserted) countDeal(d, 1);
    const loaded = buildVocabulary(catalogueWords(), lexicon);
    productIndex = createProductIndex({ dictionary: loaded.entries.keys() });
    for (const p of initialProducts) productIndex.upsert(p);
    initialProducts.length = 0;
    for (const h of hotels.upserted) putHotel(h);
    for (const d of dealRows.upserted) putDeal(d);
    seen.products = productsRev;
    seen.hotels = hotels.rev;
    seen.deals = dealRows.rev;
    useVocabulary(loaded);
    logger.info({ products: productIndex.size(), hotels: hotelsById.size, deals: dealsById.size }, 'catalogue indexed');
  }

  function catalogueWords(): CatalogueWords {
    return {
      categoryPaths: words.categories.words(),
      brands: words.brands.words(),
      cities: words.cities.words(),
      dealCategories: words.dealCategories.words(),
      titleWords: words.titleWords.words(),
      tags: words.tags.words(),
    };
  }

  function countRoot(p: ProductSummary, sign: 1 | -1): void {
    if (!isInStock(p)) return;
    let counts = rootCounts.get(p.account);
    if (!counts) rootCounts.set(p.account, (counts = new Map()));
    const root = p.category[0] ?? '';
    const n = (counts.get(root) ?? 0) + sign;
    if (n > 0) counts.set(root, n);
    else counts.delete(root);
  }

  function countProduct(p: ProductSummary, sign: 1 | -1): boolean {
    countRoot(p, sign);
    const own = productWords(p);
    if (sign < 0) {
      words.categories.remove(p.category.join('/'));
      words.brands.remove(p.brand);
      for (const w of own.title) words.titleWords.remove(w);
      for (const w of own.tags) words.tags.remove(w);
      return false;
    }
    let added = words.categories.add(p.category.join('/'));
    added = words.brands.add(p.brand) || added;
    for (const w of own.title) added = words.titleWords.add(w) || added;
    for (const w of own.tags) added = words.tags.add(w) || added;
    return added;
  }

  function countDeal(d: Deal, sign: 1 | -1): boolean {
    dealCounts.set(d.account, (dealCounts.get(d.account) ?? 0) + sign);
    if (sign < 0) {
      words.cities.remove(d.city);
      words.dealCategories.remove(d.category);
      return false;
    }
    const a = words.cities.add(d.city);
    const b = words.dealCategories.add(d.category);
    return a || b;
  }

  function putHotel(h: Hotel): void {
    hotelsById.set(key(h.account, h.id), h);
    geo.upsert(h);
  }
  function putDeal(d: Deal): void {
    dealsById.set(key(d.account, d.id), d);
    deals.upsert(d);
  }

  /** How the feed's rows of one kind (`T`) become what is held (`H`), and where it is held. */
  interface Collection<T extends { account: AccountId }, H = T> {
    idOf(item: T): string;
    /** What is held of a row (products: its summary). */
    hold(item: T): H;
    get(account: AccountId, id: string): H | undefined;
    /** Counts (sign 1) or uncounts (-1) the item's words; true when it brought a new one. */
    count(item: H, sign: 1 | -1): boolean;
    put(item: H): void;
    drop(account: AccountId, id: string): void;
  }
  const collections = {
    products: {
      idOf: (p) => p.sku, hold: (p) => (details.put(p), summarize(p, intern)), get: (a, id) => productIndex.get(a, id), count: countProduct,
      put: (p) => productIndex.upsert(p), drop: (a, id) => (productIndex.remove(a, id), details.drop(a, id)),
    } satisfies Collection<Product, ProductSummary>,
    hotels: {
      idOf: (h) => h.id, hold: (h) => h, get: (a, id) => hotelsById.get(key(a, id)), put: putHotel,
      drop: (a, id) => (hotelsById.delete(key(a, id)), geo.remove(a, id)),
      count: (h, sign) => (sign > 0 ? words.cities.add(h.city) : (words.cities.remove(h.city), false)),
    } satisfies Collection<Hotel>,
    deals: {
      idOf: (d) => d.id, hold: (d) => d, get: (a, id) => dealsById.get(key(a, id)), count: countDeal, put: putDeal,
      drop: (a, id) => (dealsById.delete(key(a, id)), deals.remove(a, id)),
    } satisfies Collection<Deal>,
  };

  /** Applies changes of one kind; returns how many rows changed and whether a new word arrived. */
  function follow<T extends { account: AccountId }, H>(c: Collection<T, H>, changes: Pick<CatalogueChanges<T>, 'upserted' | 'deleted'>): { changed: number; newWords: boolean } {
    let newWords = false;
    for (const row of changes.upserted) {
      const old = c.get(row.account, c.idOf(row));
      if (old) c.count(old, -1);
      const item = c.hold(row);
      newWords = c.count(item, 1) || newWords;
      c.put(item);
    }
    for (const ref of changes.deleted) {
      const old = c.get(ref.account, ref.id);
      if (old) c.count(old, -1);
      c.drop(ref.account, ref.id);
    }
    return { changed: changes.upserted.length + changes.deleted.length, newWords };
  }

  /**
   * Following the feed, a page at a time: a round reads each kind from what was seen up to the revision current
   * when the round began. Between two pages the poll may give the event loop back (see `advanceFeed`); a search
   * in between sees part of a batch, as it would see part of an import. refresh() finishes the same round.
   */
  let round: { readonly upTo: number; kind: number; from: FeedPosition; changed: number } | null = null;
  /** Set by a round that applied something; a poll that finds it unset saw a quiet feed. */
  let feedChanged = false;
  let vocabularyStale = false;
  let vocabularyBuild: { readonly steps: Steps<Vocabulary> } | null = null;
  let lastVocabularyAt = performance.now();

  /** Applies pages until the feed is caught up (true) or `deadline` (performance.now()) has passed (false). */
  async function advanceFeed(deadline: number): Promise<boolean> {
    round ??= { upTo: await store.currentRev(), kind: 0, from: { rev: seen[KINDS[0]] }, changed: 0 };
    while (round.kind < KINDS.length) {
      const kind = KINDS[round.kind]!;
      const page = await store.changesPage(kind, round.from, round.upTo, PAGE_ROWS);
      const r = follow(collections[kind] as Collection<CatalogueItem<typeof kind>, unknown>, page as FeedPage<CatalogueItem<typeof kind>>);
      round.changed += r.changed;
      vocabularyStale ||= r.newWords;
      if (page.next) round.from = page.next;
      else {
        seen[kind] = round.upTo;
        round.kind++;
        if (round.kind < KINDS.length) round.from = { rev: seen[KINDS[round.kind]!] };
      }
      if (round.kind < KINDS.length && performance.now() >= deadline) return false;
    }
    if (round.changed > 0) {
      // Counted from every product of the account: once per round, not per page.
      rootsCache = null;
      kindsCache = null;
      version++;
      feedChanged = true;
      logger.info({ changed: round.changed }, 'catalogue changes applied');
    }
    round = null;
    return true;
  }

  function useVocabulary(next: Vocabulary): ReturnType<typeof createUnderstander> {
    vocabulary = next;
    understander = createUnderstander(vocabulary);
    brandNames = namesOfBrands(vocabulary);
    // Results computed with the old brand names (withBrandNames) are not served again.
    version++;
    return understander;
  }

  /** The understander; before the catalogue is loaded, one of the lexicon alone. */
  const understanderNow = () => understander ?? useVocabulary(buildVocabulary(catalogueWords(), lexicon));

  /**
   * The feed is read by one of poll() and refresh() at a time, a stretch of pages each (never while the poll waits
   * for its next slice): a refresh during a sliced poll finishes the poll's round itself, and the poll, given its
   * next slice, finds the feed caught up.
   */
  let feedTurn: Promise<unknown> = Promise.resolve();
  function holdingFeed<T>(f: () => Promise<T>): Promise<T> {
    const next = feedTurn.then(f, f);
    feedTurn = next.catch(() => {});
    return next;
  }

  /** The query with each brand's other names (苹果: apple, iphone, airpods…), so a product made for it is met by them too. */
  function withBrandNames(q: ProductQuery): ProductQuery {
    if (q.brands.length === 0) return q;
    const names = [...new Set(q.brands.flatMap((b) => [b, ...(brandNames.get(b) ?? [])]))];
    return names.length === q.brands.length ? q : { ...q, brands: names };
  }

  /**
   * Applies whatever other processes (or this one) wrote since the last look, at once. A new category, brand or
   * city means the understander must know the word (the product index keeps its dictionary; CJK bigrams still
   * match new words there): the vocabulary is rebuilt at once too.
   */
  async function refresh(): Promise<void> {
    await ready;
    await synonyms.reload();
    await holdingFeed(async () => {
      // A round under way reads up to the revision it began at: finish it, then read on to now.
      if (round) await advanceFeed(Infinity);
      await advanceFeed(Infinity);
    });
    if (vocabularyBuild && !vocabularyStale) {
      // The build under way has today's words: finish it now rather than start another.
      const steps = vocabularyBuild.steps;
      vocabularyBuild = null;
      useVocabulary(finish(steps));
      return;
    }
    vocabularyBuild = null;
    if (!vocabularyStale) return;
    vocabularyStale = false;
    lastVocabularyAt = performance.now();
    useVocabulary(buildVocabulary(catalogueWords(), lexicon));
  }

  /** Steps the vocabulary build under way until it is done (true) or `deadline` has passed (false). */
  function advanceVocabulary(deadline: number): boolean {
    const done = stepUntil(vocabularyBuild!.steps, deadline);
    if (!done) return false;
    vocabularyBuild = null;
    useVocabulary(done.value);
    return true;
  }

  /**
   * One poll, in background slices (see background.ts) so that webhook deliveries are answered between them:
   * first the feed, then, once it has caught up, the vocabulary. The vocabulary waits for a poll that found
   * the feed quiet (an import brings new title words with every batch, and each build costs 0.1–1 s of work),
   * or, during a long import, until it has been stale for VOCABULARY_MAX_WAIT_MS.
   */
  async function poll(): Promise<void> {
    feedChanged = false;
    await synonyms.reload();
    for (;;) {
      const deadline = await background.turn();
      if (stopped) return;
      if (!(await holdingFeed(() => advanceFeed(deadline)))) continue;
      if (!vocabularyBuild && vocabularyStale && (!feedChanged || performance.now() - lastVocabularyAt >= VOCABULARY_MAX_WAIT_MS)) {
        vocabularyStale = false;
        lastVocabularyAt = performance.now();
        vocabularyBuild = { steps: vocabularySteps(catalogueWords(), lexicon) };
      }
      if (!vocabularyBuild || advanceVocabulary(deadline)) return;
    }
  }

  const ready = load();
  // The poll starts once the catalogue is loaded; a load that failed leaves it to the owner (ready rejects).
  let polling: Poll | null = null;
  ready.then(
    () => {
      if (!stopped) polling = pollWithNotices({ pollMs, notices: options.changes, topic: 'catalogue' }, poll, pollFailed);
    },
    (err: unknown) => logger.error({ err }, 'could not load the catalogue'),
  );
  function pollFailed(err: unknown): void {
    // The round starts again from what was seen: pages already applied are applied again, harmlessly.
    round = null;
    if (vocabularyBuild) vocabularyStale = true;
    vocabularyBuild = null;
    logger.error({ err }, 'could not apply catalogue changes');
  }

  function productRoots(account: AccountId): string[] {
    rootsCache ??= new Map();
    let roots = rootsCache.get(account);
    if (!roots) {
      // Counted as products change (countRoot), not here: a pass over every product would fall on the first
      // follower's message after each catalogue change (the persona's examples read this on every turn).
      const counts = rootCounts.get(account) ?? new Map<string, number>();
      // Ties in code-unit order, as the hotel and deal indexes do: localeCompare's first call loads ICU's
      // collator (tens of ms), which the first follower's message would pay for.
      roots = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([r]) => r);
      rootsCache.set(account, roots);
    }
    return roots;
  }

  /** Whether the account has hotels, and deals (live or not): what its followers' words can be about. */
  function kindsOf(account: AccountId): ShopKinds {
    kindsCache ??= new Map();
    let kinds = kindsCache.get(account);
    if (!kinds) {
      kinds = { hotels: geo.cities(account).length > 0, deals: (dealCounts.get(account) ?? 0) > 0 };
      kindsCache.set(account, kinds);
    }
    return kinds;
  }

  return {
    understand: (text, account) =>
      account === undefined ? understanderNow().understand(text) : understanderNow().understand(synonyms.rewrite(account, text), kindsOf(account)),
    // A changed catalogue bumps `version` once its round of the feed is applied, which empties the cache.
    products: (account, q) => cachedProducts(account, q, version, () => productIndex.search(account, withBrandNames(q))),
    product(account, sku) {
      const summary = productIndex.get(account, sku);
      if (!summary) return null;
      // What the index holds decides what is live; the details add what the page shows (a row is never erased).
      return { ...summary, ...(details.read(account, sku) ?? { imageUrl: null, url: null, description: null }) };
    },
    hotelsNear: (account, at, o) => geo.nearest(account, at, o),
    hotelsInCity: (account, city, o) => geo.inCity(account, city, o),
    hotel: (account, id) => hotelsById.get(key(account, id)) ?? null,
    deals: (account, q) => deals.live(account, q),
    deal: (account, id) => dealsById.get(key(account, id)) ?? null,
    hotelCities: (account) => geo.cities(account),
    dealCities: (account, now) => deals.cities(account, { now }),
    dealCategories: (account, o) => deals.categories(account, o),
    productRoots,
    version: () => version,
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
    ready,
    refresh,
    reloadSynonyms: () => synonyms.reload(),
    stop() {
      stopped = true;
      polling?.stop();
    },
  };
}
