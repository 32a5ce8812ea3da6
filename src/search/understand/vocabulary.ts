/**
 * The vocabulary of one account: the catalogue's own words (category names, brands, cities, deal
 * categories) merged with the lexicon, with everything the understander needs precomputed once —
 * the word dictionary for segmentation, pinyin keys for pinyin input and homophones, and the typo index.
 */
import type { Audience, Slots, Sort } from '../types.ts';
import { loadLexicon, type Lexicon } from './lexicon.ts';
import { normalize } from './normalize.ts';
import { hasHan, syllables } from './pinyin.ts';
import { finish, type Steps } from '../steps.ts';
import { buildRewrites, type Rewrites } from './rewrite.ts';
import { MIN_ASCII_LENGTH, MIN_HAN_LENGTH, TypoIndex, type TypoItem } from './typos.ts';

/** A landmark or district with its city and GCJ-02 centre (Slots.place). */
export type Place = NonNullable<Slots['place']>;

export type Sense =
  | { readonly kind: 'category'; readonly paths: readonly string[] }
  /**
   * A kind of product the catalogue has no category for (扫地机器人 in a shop of handheld vacuums): searched
   * for as a word, and `paths` offered as the nearest thing, said so, when nothing has it.
   */
  | { readonly kind: 'nearest'; readonly paths: readonly string[] }
  | { readonly kind: 'brand'; readonly brand: string }
  /**
   * A model or product line (iphone): what it is, used when the message names no category itself; no paths
   * when the catalogue files it under none (airpods in a shop of accessories): then it is kept as a keyword.
   */
  | { readonly kind: 'line'; readonly paths: readonly string[] }
  | { readonly kind: 'audience'; readonly audience: Audience }
  | { readonly kind: 'attribute'; readonly value: string }
  | { readonly kind: 'city'; readonly city: string }
  | { readonly kind: 'place'; readonly place: Place }
  | { readonly kind: 'hotel' }
  | { readonly kind: 'deal' }
  /** `keyword`: the word is more specific than its category (火锅 within 美食) and is kept as a keyword too. */
  | { readonly kind: 'dealCategory'; readonly category: string; readonly keyword: boolean }
  /** `placesOnly`: the sort applies only to hotels and deals (最近 is "recently" for products). */
  | { readonly kind: 'sort'; readonly sort: Sort; readonly placesOnly: boolean }
  | { readonly kind: 'relativePrice'; readonly direction: 'cheaper' | 'pricier' }
  | { readonly kind: 'keyword' }
  /** 不要 / 除了 / 非: what follows is excluded. */
  | { readonly kind: 'negation' }
  | { readonly kind: 'stop' };

export interface VocabularyEntry {
  /** The normalised surface form. */
  readonly word: string;
  readonly senses: readonly Sense[];
  /** One-character aliases such as 沪 count only when they stand alone (a whole message or a spaced word). */
  readonly standaloneOnly: boolean;
  /** Lower is preferred when several words share a pinyin: categories, then brands, cities… */
  readonly rank: number;
  /** A word titles sell with (正品, 新款, 热卖; padding.json): alone, it is not what a product is. */
  readonly padding?: true;
}

export interface Vocabulary {
  /** Normalised word → what it means. */
  readonly entries: ReadonlyMap<string, VocabularyEntry>;
  /** Longest word, in characters: the segmenter's look-ahead. */
  readonly maxWordLength: number;
  /** Every prefix of every word, so look-ahead stops as soon as no word can follow. */
  readonly wordPrefixes: ReadonlySet<string>;
  /** Toneless pinyin with syllables joined ('lianyiqun', 'nvzhuang') → words, for pinyin input. */
  readonly byPinyin: ReadonlyMap<string, readonly VocabularyEntry[]>;
  /** Syllables joined by spaces ('lian yi qun') → CJK words of two or more characters, for homophones. */
  readonly bySyllables: ReadonlyMap<string, readonly VocabularyEntry[]>;
  readonly maxPinyinLength: number;
  /** Every prefix of every pinyin key and ASCII word, for the same early stop over ASCII input. */
  readonly pinyinPrefixes: ReadonlySet<string>;
  readonly typos: TypoIndex;
  /** The category roots that belong to an audience (女装 for women), to narrow shared leaves such as 衬衫. */
  readonly audienceRoots: Readonly<Record<Audience, readonly string[]>>;
  /** Emoji and English words → the Chinese words they stand for (rewrite.ts). */
  readonly rewrites: Rewrites;
}

/** The words a catalogue brings: what it sells and where. */
export interface CatalogueWords {
  /** Category paths as imported, e.g. '女装/连衣裙'. */
  readonly categoryPaths: readonly string[];
  readonly brands: readonly string[];
  /** Cities of hotels and deals. */
  readonly cities: readonly string[];
  readonly dealCategories?: readonly string[];
  /**
   * Frequent title words: they help segmentation and are kept as keywords (no pinyin, no typo fixing). A title
   * word made of known words (纯棉T恤 = 纯棉 + T恤) is left out, so that it still splits into its slots. ASCII
   * title words (pro, watch) are what lets a Latin word that is no brand or pinyin count as a keyword.
   */
  readonly titleWords?: readonly string[];
  /** Tags in Chinese (豆腐砂, 遛狗, 猫包): the merchant's own words for its products, kept like title words. */
  readonly tags?: readonly string[];
}

const RANK: Readonly<Record<Sense['kind'], number>> = {
  category: 0, nearest: 0, brand: 1, line: 1, city: 2, place: 2, hotel: 3, dealCategory: 4, deal: 5, attribute: 6, audience: 7,
  sort: 8, relativePrice: 8, negation: 8, keyword: 9, stop: 10,
};

const PINYIN_KEY = /^[a-z0-9]+$/;
const ASCII_WORD = /^[a-z0-9]+$/;
const CITY_SUFFIX = /市$/;

interface Draft {
  senses: Sense[];
  standaloneOnly: boolean;
  titleOnly: boolean;
  /** Read only as typed, never as the correction of a typo: a brand the shop does not sell (see addBrands). */
  exactOnly: boolean;
  padding?: true;
}

function sameSense(a: Sense, b: Sense): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

class Builder {
  readonly drafts = new Map<string, Draft>();

  add(rawWord: string, sense: Sense, options: { standaloneOnly?: boolean; fromTitles?: boolean; exactOnly?: boolean } = {}): void {
    const word = normalize(rawWord);
    if (word === '' || word.includes(' ')) {
      // Multi-word forms (new balance) are matched without their spaces.
      if (word.includes(' ')) this.add(word.replaceAll(' ', ''), sense, options);
      return;
    }
    let draft = this.drafts.get(word);
    if (!draft) {
      draft = { senses: [], standaloneOnly: options.standaloneOnly ?? false, titleOnly: options.fromTitles ?? false, exactOnly: options.exactOnly ?? false };
      this.drafts.set(word, draft);
    } else {
      draft.standaloneOnly &&= options.standaloneOnly ?? false;
      draft.titleOnly &&= options.fromTitles ?? false;
      draft.exactOnly &&= options.exactOnly ?? false;
    }
    if (sense.kind === 'category') {
      const existing = draft.senses.find((s): s is Extract<Sense, { kind: 'category' }> => s.kind === 'category');
      if (existing) {
        const paths = [...existing.paths, ...sense.paths.filter((p) => !existing.paths.includes(p))];
        draft.senses[draft.senses.indexOf(existing)] = { kind: 'category', paths };
        return;
      }
    }
    if (!draft.senses.some((s) => sameSense(s, sense))) draft.senses.push(sense);
  }
}

/** The catalogue's category paths, with each path's leaf normalised once. */
interface CataloguePaths {
  readonly paths: readonly string[];
  readonly leaf: ReadonlyMap<string, string>;
}

const rawLeaf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Resolves a lexicon path against the catalogue's paths (see Lexicon.categories); [] when absent. */
function resolvePath(pattern: string, catalogue: CataloguePaths): string[] {
  const { paths } = catalogue;
  const withLeaf = (leaf: string) => paths.filter((p) => p.includes('/') && catalogue.leaf.get(p) === leaf);
  if (pattern.endsWith('/*')) {
    const root = pattern.slice(0, -2);
    if (paths.length === 0) return [root];
    const under = paths.filter((p) => p.startsWith(`${root}/`));
    return under.length > 0 ? under : paths.includes(root) ? [root] : [];
  }
  if (pattern.startsWith('*/')) return withLeaf(normalize(pattern.slice(2)));
  if (paths.length === 0) return [pattern];
  if (paths.some((p) => p === pattern || p.startsWith(`${pattern}/`))) return [pattern];
  // The catalogue files the same leaf under another root (服装/连衣裙): follow the leaf.
  return pattern.includes('/') ? withLeaf(normalize(rawLeaf(pattern))) : [];
}

/** The catalogue's spellings that name a lexicon group (its canonical name or one of its aliases). */
function matchCatalogue(names: readonly string[], catalogue: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const name of names) {
    const hit = catalogue.get(normalize(name));
    if (hit !== undefined && !found.includes(hit)) found.push(hit);
  }
  return found;
}

function* byNormalized(values: readonly string[], alsoWithout?: RegExp): Steps<Map<string, string>> {
  const map = new Map<string, string>();
  for (const value of values) {
    yield;
    const key = normalize(value);
    if (key !== '' && !map.has(key)) map.set(key, value);
    if (alsoWithout) {
      const short = key.replace(alsoWithout, '');
      if (short !== '' && !map.has(short)) map.set(short, value);
    }
  }
  return map;
}

function* addCategories(b: Builder, words: CatalogueWords, lexicon: Lexicon): Steps<CataloguePaths> {
  const paths = [...new Set(words.categoryPaths.map((p) => p.split('/').map((s) => s.trim()).filter(Boolean).join('/')))]
    .filter((p) => p !== '');
  for (const path of paths) {
    const segments = path.split('/');
    segments.forEach((segment, i) => b.add(segment, { kind: 'category', paths: [segments.slice(0, i + 1).join('/')] }));
    yield;
  }
  const catalogue = { paths, leaf: new Map(paths.map((p) => [p, normalize(rawLeaf(p))])) };
  const resolve = (patterns: readonly string[]) => [...new Set(patterns.flatMap((p) => resolvePath(p, catalogue)))];
  for (const group of lexicon.categories) {
    const resolved = resolve(group.paths);
    // A kind the catalogue lacks is not its nearest neighbour: searched for as itself, the nearest offered honestly.
    const nearest = resolved.length === 0 && group.nearest ? resolve(group.nearest) : [];
    for (const word of group.words) {
      b.add(word, resolved.length > 0 ? { kind: 'category', paths: resolved } : nearest.length > 0 ? { kind: 'nearest', paths: nearest } : { kind: 'keyword' });
    }
    yield;
  }
  return catalogue;
}

/** Normalised name (lexicon canonical, alias or catalogue spelling) → the names to output for it. */
type Resolver = ReadonlyMap<string, readonly string[]>;

function* addBrands(b: Builder, catalogue: CatalogueWords, lexicon: Lexicon): Steps<Resolver> {
  const known = yield* byNormalized(catalogue.brands);
  const grouped = new Set<string>();
  const resolver = new Map<string, readonly string[]>();
  for (const [canonical, aliases] of Object.entries(lexicon.brands)) {
    const names = [canonical, ...aliases];
    const matched = matchCatalogue(names, known);
    for (const m of matched) grouped.add(m);
    const outputs = matched.length > 0 ? matched : [canonical];
    // A brand the shop does not sell is known so that 「有耐克吗」 gets an honest no, but a typo is not corrected
    // into it: in a baby shop 「xinsheng er」 (新生儿) is not the charger brand 品胜 (pinsheng).
    const exactOnly = matched.length === 0;
    for (const name of names) for (const brand of outputs) b.add(name, { kind: 'brand', brand }, { exactOnly });
    for (const name of names) if (!resolver.has(normalize(name))) resolver.set(normalize(name), outputs);
    yield;
  }
  for (const brand of catalogue.brands) {
    if (!resolver.has(normalize(brand))) resolver.set(normalize(brand), [brand]);
    if (!grouped.has(brand)) b.add(brand, { kind: 'brand', brand });
    yield;
  }
  return resolver;
}

/**
 * Model and product-line aliases (iphone, matepad): the brand, plus what the line is when the catalogue has
 * that category. A brand the catalogue does not carry keeps the lexicon's spelling, as brands.json does.
 */
function* addModels(b: Builder, lexicon: Lexicon, brands: Resolver, catalogue: CataloguePaths): Steps<void> {
  for (const group of lexicon.models) {
    const outputs = brands.get(normalize(group.brand)) ?? [group.brand];
    const paths = [...new Set(group.paths.flatMap((p) => resolvePath(p, catalogue)))];
    for (const word of group.words) {
      for (const brand of outputs) b.add(word, { kind: 'brand', brand });
      // No paths: the catalogue sells the line under none of its categories; the word is then kept as said.
      b.add(word, { kind: 'line', paths });
    }
    yield;
  }
}

function* addCities(b: Builder, catalogue: CatalogueWords, lexicon: Lexicon): Steps<Resolver> {
  const known = yield* byNormalized(catalogue.cities, CITY_SUFFIX);
  const grouped = new Set<string>();
  const resolver = new Map<string, readonly string[]>();
  for (const [canonical, aliases] of Object.entries(lexicon.cities)) {
    const names = [canonical, ...aliases];
    const matched = matchCatalogue(names, known);
    for (const m of matched) grouped.add(m);
    const city = matched[0] ?? canonical;
    for (const name of names) if (!resolver.has(normalize(name))) resolver.set(normalize(name), [city]);
    for (const name of names) {
      const standaloneOnly = [...normalize(name)].length === 1;
      b.add(name, { kind: 'city', city }, { standaloneOnly });
    }
    yield;
  }
  for (const city of catalogue.cities) {
    if (grouped.has(city)) continue;
    b.add(city, { kind: 'city', city });
    const short = city.replace(CITY_SUFFIX, '');
    if ([...short].length >= 2) b.add(short, { kind: 'city', city });
    for (const name of [city, short]) if (!resolver.has(normalize(name))) resolver.set(normalize(name), [city]);
    yield;
  }
  return resolver;
}

/** Landmarks and districts, each in its city as the catalogue spells it. */
function* addPlaces(b: Builder, lexicon: Lexicon, cities: Resolver): Steps<void> {
  for (const p of lexicon.places) {
    const city = cities.get(normalize(p.city))?.[0] ?? p.city;
    const place: Place = { name: p.name, city, lat: p.lat, lng: p.lng };
    for (const word of [p.name, ...p.aliases]) b.add(word, { kind: 'place', place });
    yield;
  }
}

function* addDeals(b: Builder, catalogue: CatalogueWords, lexicon: Lexicon): Steps<void> {
  for (const word of lexicon.deals.words) b.add(word, { kind: 'deal' });
  const known = yield* byNormalized(catalogue.dealCategories ?? []);
  const grouped = new Set<string>();
  for (const [canonical, group] of Object.entries(lexicon.deals.categories)) {
    const matched = matchCatalogue([canonical, ...group.words], known);
    for (const m of matched) grouped.add(m);
    const category = matched[0] ?? canonical;
    for (const word of [canonical, ...group.words]) b.add(word, { kind: 'dealCategory', category, keyword: false });
    for (const word of group.specific) b.add(word, { kind: 'dealCategory', category, keyword: true });
    yield;
  }
  for (const category of catalogue.dealCategories ?? []) {
    if (!grouped.has(category)) b.add(category, { kind: 'dealCategory', category, keyword: false });
    yield;
  }
}

/** (`yield b.add(…)`: adds the word, then gives way.) */
function* addLexiconRest(b: Builder, lexicon: Lexicon): Steps<void> {
  for (const audience of ['women', 'men', 'kids'] as const) {
    for (const word of lexicon.audience[audience].words) yield b.add(word, { kind: 'audience', audience });
  }
  for (const [value, aliases] of Object.entries(lexicon.attributes)) {
    for (const word of [value, ...aliases]) yield b.add(word, { kind: 'attribute', value });
  }
  for (const word of lexicon.hotel) yield b.add(word, { kind: 'hotel' });
  const sorts = lexicon.sort;
  for (const sort of ['price_asc', 'price_desc', 'rating', 'distance'] as const) {
    for (const word of sorts[sort]) yield b.add(word, { kind: 'sort', sort, placesOnly: false });
  }
  for (const word of sorts.distanceForPlacesOnly) yield b.add(word, { kind: 'sort', sort: 'distance', placesOnly: true });
  for (const direction of ['cheaper', 'pricier'] as const) {
    for (const word of lexicon.relativePrice[direction]) yield b.add(word, { kind: 'relativePrice', direction });
  }
  for (const word of lexicon.words) yield b.add(word, { kind: 'keyword' });
  for (const word of lexicon.negation) yield b.add(word, { kind: 'negation' });
  for (const word of lexicon.stopwords) yield b.add(word, { kind: 'stop' });
  for (const word of lexicon.padding) {
    b.add(word, { kind: 'keyword' });
    const draft = b.drafts.get(normalize(word));
    if (draft) draft.padding = true;
    yield;
  }
}

/**
 * Title words and tags help segmentation, except those that must still split into their slots: a title word
 * made of known words (纯棉T恤 = 纯棉 + T恤, 大型犬成犬粮 = 大型犬 + 成犬 + 粮), or any that ends in a category,
 * brand or attribute of two or more characters (豆腐猫砂 = 豆腐 + 猫砂, 体内驱虫): kept whole, it would match
 * only titles that hold the whole phrase. Other catalogue words count as parts. A tag is the merchant's own
 * word: it splits into known words only when a one-character part names a slot (猫包 stays a word: 包 is
 * only a plain keyword there).
 */
function* addTitleWords(b: Builder, titleWords: readonly string[], tags: readonly string[]): Steps<void> {
  const candidates = new Map<string, 'title' | 'tag'>();
  for (const [raw, from] of [...titleWords.map((w) => [w, 'title'] as const), ...tags.map((w) => [w, 'tag'] as const)]) {
    const word = normalize(raw).replaceAll(' ', '');
    if (word === '') continue;
    // A word the vocabulary has keeps its meaning, and a title using it makes it a keyword too.
    if (b.drafts.has(word)) yield b.add(word, { kind: 'keyword' }, { fromTitles: true });
    else if (candidates.get(word) !== 'tag') candidates.set(word, from);
  }
  const slotted = (d: Draft) => !d.titleOnly && d.senses.some((s) => s.kind !== 'stop' && s.kind !== 'keyword');
  const part = (w: string, whole: string, from: 'title' | 'tag') => {
    if (w === whole) return false;
    if (candidates.has(w)) return true;
    const d = b.drafts.get(w);
    if (d === undefined || d.titleOnly) return false;
    return w.length === 1 && from === 'tag' ? slotted(d) : d.senses.some((s) => s.kind !== 'stop');
  };
  let longest = 1;
  for (const w of [...b.drafts.keys(), ...candidates.keys()]) longest = Math.max(longest, w.length);
  const composed = (word: string, from: 'title' | 'tag'): boolean => {
    // reachable[i]: word.slice(0, i) splits into known parts.
    const reachable = new Array<boolean>(word.length + 1).fill(false);
    reachable[0] = true;
    for (let i = 0; i < word.length; i++) {
      if (!reachable[i]) continue;
      for (let j = i + 1; j <= Math.min(word.length, i + longest); j++) if (part(word.slice(i, j), word, from)) reachable[j] = true;
    }
    return reachable[word.length]!;
  };
  const endsInSlot = (word: string): boolean => {
    for (let i = 1; i <= word.length - 2; i++) {
      const d = b.drafts.get(word.slice(i));
      if (d !== undefined && slotted(d)) return true;
    }
    return false;
  };
  for (const [word, from] of candidates) {
    yield;
    if (composed(word, from) || endsInSlot(word)) continue;
    b.add(word, { kind: 'keyword' }, { fromTitles: true });
  }
}

function* prefixesOf(words: Iterable<string>): Steps<Set<string>> {
  const prefixes = new Set<string>();
  let n = 0;
  for (const word of words) {
    let prefix = '';
    for (const ch of word) {
      prefix += ch;
      prefixes.add(prefix);
    }
    if (++n % 64 === 0) yield;
  }
  return prefixes;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/**
 * Builds the vocabulary once per catalogue change; understanding a message then costs no construction.
 * @example
 * const vocabulary = buildVocabulary({ categoryPaths: ['女装/连衣裙'], brands: ['优衣库'], cities: ['上海'] });
 * createUnderstander(vocabulary).understand('lianyiqun').slots.categories // → ['女装/连衣裙']
 */
export function buildVocabulary(catalogue: CatalogueWords, lexicon: Lexicon = loadLexicon()): Vocabulary {
  return finish(vocabularySteps(catalogue, lexicon));
}

/**
 * `buildVocabulary` a word at a time: a build takes 0.1–1 s, so a running server takes it in slices between
 * webhook deliveries (see steps.ts) and swaps the finished vocabulary in.
 * @example
 * const build = vocabularySteps(words, lexicon);
 * const done = stepUntil(build, performance.now() + 4); // undefined: not yet, go on at a later turn
 */
export function* vocabularySteps(catalogue: CatalogueWords, lexicon: Lexicon = loadLexicon()): Steps<Vocabulary> {
  const b = new Builder();
  const paths = yield* addCategories(b, catalogue, lexicon);
  const brands = yield* addBrands(b, catalogue, lexicon);
  yield* addModels(b, lexicon, brands, paths);
  const cities = yield* addCities(b, catalogue, lexicon);
  yield* addPlaces(b, lexicon, cities);
  yield* addDeals(b, catalogue, lexicon);
  yield* addLexiconRest(b, lexicon);
  yield* addTitleWords(b, catalogue.titleWords ?? [], catalogue.tags ?? []);

  const entries = new Map<string, VocabularyEntry>();
  let maxWordLength = 1;
  for (const [word, draft] of b.drafts) {
    // A word that means something is not a stop word too.
    // and a word with a slot of its own is not a plain keyword either.
    const meaningful = draft.senses.filter((s) => s.kind !== 'stop');
    const slotted = meaningful.filter((s) => s.kind !== 'keyword');
    const senses = slotted.length > 0 ? slotted : meaningful.length > 0 ? meaningful : draft.senses;
    const rank = Math.min(...senses.map((s) => RANK[s.kind]));
    entries.set(word, { word, senses, standaloneOnly: draft.standaloneOnly, rank, ...(draft.padding ? { padding: true as const } : {}) });
    maxWordLength = Math.max(maxWordLength, [...word].length);
    yield;
  }

  const byPinyin = new Map<string, VocabularyEntry[]>();
  const bySyllables = new Map<string, VocabularyEntry[]>();
  const typoItems: TypoItem[] = [];
  let maxPinyinLength = 1;
  for (const entry of entries.values()) {
    yield;
    const draft = b.drafts.get(entry.word)!;
    if (entry.rank === RANK.stop || draft.titleOnly || entry.standaloneOnly) continue;
    const length = [...entry.word].length;
    if (hasHan(entry.word)) {
      const sounds = syllables(entry.word);
      const joined = sounds.join('');
      if (PINYIN_KEY.test(joined)) {
        for (const key of new Set([joined, joined.replaceAll('v', 'u')])) {
          push(byPinyin, key, entry);
          maxPinyinLength = Math.max(maxPinyinLength, key.length);
          if (key.length >= MIN_ASCII_LENGTH + 1 && !draft.exactOnly) typoItems.push({ text: key, word: entry.word });
        }
      }
      if (length >= 2 && sounds.length === length && !ASCII_WORD.test(entry.word[0] ?? '')) {
        push(bySyllables, sounds.join(' '), entry);
      }
      if (length >= MIN_HAN_LENGTH && !draft.exactOnly) typoItems.push({ text: entry.word, word: entry.word });
    } else if (ASCII_WORD.test(entry.word) && length >= MIN_ASCII_LENGTH && !draft.exactOnly) {
      typoItems.push({ text: entry.word, word: entry.word });
    }
  }
  const wordPrefixes = yield* prefixesOf(entries.keys());
  const pinyinPrefixes = yield* prefixesOf([...byPinyin.keys(), ...[...entries.keys()].filter((w) => ASCII_WORD.test(w))]);
  const byRank = (a: VocabularyEntry, b2: VocabularyEntry) => a.rank - b2.rank;
  for (const list of byPinyin.values()) list.sort(byRank);
  for (const list of bySyllables.values()) list.sort(byRank);
  const typos = yield* TypoIndex.steps(typoItems);

  return {
    entries,
    maxWordLength,
    wordPrefixes,
    byPinyin,
    bySyllables,
    maxPinyinLength,
    pinyinPrefixes,
    typos,
    audienceRoots: {
      women: lexicon.audience.women.roots,
      men: lexicon.audience.men.roots,
      kids: lexicon.audience.kids.roots,
    },
    rewrites: buildRewrites(lexicon),
  };
}
