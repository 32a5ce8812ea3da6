/**
 * Understanding a follower's message: normalise → price phrases → segment → correct → slots → intent.
 * Reads at most the first 512 characters (agent/input.ts). Pure and synchronous; everything costly (converter, dictionary, pinyin keys, fuse indexes) is built
 * beforehand by `buildVocabulary`.
 */
import { headOf } from '../../core/input.ts';
import { NO_EXCLUSIONS, type Audience, type Exclusions, type Intent, type PriceRange, type Slots, type Sort, type Understanding } from '../types.ts';
import { correct } from './correct.ts';
import { normalize } from './normalize.ts';
import { extractPrice } from './price.ts';
import { withChineseWords, withEmojiWords } from './rewrite.ts';
import { isHanChar, isStopOnly, segment, type Token } from './segment.ts';
import type { Place, Sense, Vocabulary } from './vocabulary.ts';

/**
 * What the account answering has besides products. A shop without deals reads 美式 or 吃什么 as words about its
 * products, not as a wish for group-buy deals; one without hotels or deals reads 酒店 and 北京 as plain words.
 */
export interface ShopKinds {
  readonly hotels: boolean;
  readonly deals: boolean;
}

const EVERY_KIND: ShopKinds = { hotels: true, deals: true };

export interface Understander {
  /**
   * Reads one message, for a shop that has `kinds` (default: hotels and deals too).
   * @example understander.understand('200元以下的连衣裙') // → intent 'product', 女装/连衣裙, maxFen 20000
   */
  understand(text: string, kinds?: ShopKinds): Understanding;
}

/**
 * How many texts an understander remembers the understanding of, per kind of shop. Followers send the same short
 * messages over and over (女装, 更多, 2, 你好, a menu's words): reading one again cost 10-20 µs of a delivery.
 */
const REMEMBERED_TEXTS = 1_000;

/**
 * Creates an understander over a vocabulary (rebuild both when the catalogue's words change).
 * `remember`: how many texts it keeps the understanding of (0: none, for timing understanding itself).
 * @example
 * const { understand } = createUnderstander(buildVocabulary(catalogueWords));
 * understand('上海酒店') // → { intent: 'hotel', slots: { city: '上海', hotel: true, … } }
 */
export function createUnderstander(vocabulary: Vocabulary, remember = REMEMBERED_TEXTS): Understander {
  // Understanding is pure in (vocabulary, head, kinds) and read-only, so the same object serves every follower
  // who says the same thing; a new vocabulary comes with a new understander, and so with nothing remembered.
  // One map per kind of shop (four at most), each forgetting its oldest text first.
  const remembered = [new Map<string, Understanding>(), new Map<string, Understanding>(), new Map<string, Understanding>(), new Map<string, Understanding>()];
  const read = (head: string, kinds: ShopKinds): Understanding => {
    const normalized = normalize(head);
    const { price, rest } = extractPrice(readable(head, normalized, vocabulary));
    const { tokens, chunks } = segment(rest, vocabulary);
    const corrected = literalNames(correct(tokens, vocabulary, chunks));
    const slots = fillSlots(corrected, price, vocabulary, kinds);
    return { normalized, intent: slots.intent, slots: slots.slots };
  };
  return {
    understand(text: string, kinds: ShopKinds = EVERY_KIND): Understanding {
      // Only the head of a long text (512 characters, as the rules): segmenting and typo correction grow
      // faster than the text, and every caller (a message, a page's ?q=) may be arbitrarily long.
      const head = headOf(text);
      if (remember === 0) return read(head, kinds);
      const known = remembered[(kinds.hotels ? 1 : 0) + (kinds.deals ? 2 : 0)]!;
      let understanding = known.get(head);
      if (understanding === undefined) {
        understanding = read(head, kinds);
        if (known.size >= remember) known.delete(known.keys().next().value!);
        known.set(head, understanding);
      }
      return understanding;
    },
  };
}

/** The message with emoji and English shopping words as the Chinese words they stand for (rewrite.ts). */
function readable(head: string, normalized: string, vocabulary: Vocabulary): string {
  const withEmoji = withEmojiWords(head, vocabulary.rewrites);
  const base = withEmoji === head ? normalized : normalize(withEmoji);
  return withChineseWords(base, vocabulary.rewrites, (word) => {
    const entry = vocabulary.entries.get(word);
    // Also a Latin word the catalogue's own titles use (watch in 「Apple Watch」): searched as the shop spells it.
    return entry !== undefined && !isStopOnly(entry);
  });
}

/** Characters that may follow a name without making another name of it: particles the lexicon lacks (裤子啦), 李宁牌. */
const AFTER_NAME = new Set('啦嘞咯噢喔哇耶哟呗滴嘛呐诶等们牌家店');

/** Characters that may come before a name without making another name of it: the way a wish starts (那耐克的呢, 要华为的, 买小米). */
const BEFORE_NAME = new Set('那这就要买找看来给选还换拿和跟与或是有也都只再');

/** A word that only names something (a brand, a model, a category), of two characters or more, as typed. */
const nameOf = (t: Token, kinds: readonly string[]): t is Extract<Token, { kind: 'word' }> =>
  t.kind === 'word' && t.from === undefined && [...t.text].length >= 2 && t.entry.senses.every((s) => kinds.includes(s.kind));
const BRAND = ['brand', 'line'];
const NAME = ['brand', 'line', 'category'];

/**
 * A name read inside a longer name is not that name: 劳力士 is not 力士, 青苹果 not 苹果, 咖啡机 not 咖啡. One unknown
 * character glued to the outer side of a brand, or after a category (Chinese puts the head last: 咖啡机 is a
 * machine, 厚毛衣 still a sweater), touching nothing else, makes the whole a plain word the titles must contain;
 * 华为新手机 keeps 华为 (新 sits between two words).
 */
function literalNames(tokens: readonly Token[]): Token[] {
  const out = [...tokens];
  const glued = (a: Token | undefined, b: Token | undefined) => a !== undefined && b !== undefined && a.chunk === b.chunk && a.end === b.start;
  const lone = (t: Token | undefined): t is Extract<Token, { kind: 'han' }> => t?.kind === 'han' && t.end - t.start === 1 && isHanChar(t.text);
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    if (!nameOf(t, NAME)) continue;
    const before = out[i - 1];
    const after = out[i + 1];
    if (nameOf(t, BRAND) && lone(before) && glued(before, t) && !glued(out[i - 2], before) && !BEFORE_NAME.has(before.text)) {
      out.splice(i - 1, 2, { kind: 'han', text: before.text + t.text, chunk: t.chunk, start: before.start, end: t.end });
      i--;
    } else if (lone(after) && glued(t, after) && !glued(after, out[i + 2]) && !AFTER_NAME.has(after.text)) {
      out.splice(i, 2, { kind: 'han', text: t.text + after.text, chunk: t.chunk, start: t.start, end: after.end });
    }
  }
  return out;
}

interface Collected {
  categories: string[];
  /** The words that named `categories`. */
  categoryWords: string[];
  /** Each category word and the paths it named, in order (for `withinNamedPaths`). */
  categoryGroups: { readonly word: string; readonly paths: readonly string[] }[];
  /** Category words that are also attributes (短袖): a category only when no other category is named. */
  dual: { paths: readonly string[]; attribute: string; word: string }[];
  brands: string[];
  /** Categories of the models named (iphone → 数码/手机): used when no category word is. */
  lines: string[];
  audiences: Set<Audience>;
  attributes: string[];
  city: string | null;
  /** The first landmark or district named, and the text that named it. */
  place: { place: Place; text: string } | null;
  hotel: boolean;
  /** A deal word proper (团购, 优惠券), as opposed to a deal category (美食, 好吃的). */
  dealWord: boolean;
  dealCategory: string | null;
  sort: { sort: Sort; placesOnly: boolean } | null;
  relativePrice: 'cheaper' | 'pricier' | null;
  keywords: string[];
  corrections: { from: string; to: string }[];
  /** What follows a negation word (不要红色的); null: nothing negated. */
  excluded: Excluded | null;
  /** A kind the catalogue lacks (扫地机器人) and its nearest categories. */
  nearest: { word: string; categories: readonly string[] } | null;
  /** A padding word (正品, 新款) was read. */
  padding: boolean;
  /** A product was named by something other than padding (a category, brand, attribute, plain word, model code). */
  named: boolean;
}

interface Excluded {
  categories: string[];
  brands: string[];
  audiences: Set<Audience>;
  attributes: string[];
  keywords: string[];
}

/**
 * Where a negation stands while the tokens are read: off; just read (不要); or already excluding something
 * (不要红色): then a category word ends it — 「不要红色的连衣裙」 wants dresses, only not red ones — while right
 * after the negation a category is what is excluded (「不要连衣裙」).
 */
type Negation = 'off' | 'start' | 'on';

/** Routes a negated token's meaning into the exclusions; false when it carries nothing to exclude (的, 上海). */
function exclude(excluded: () => Excluded, t: Extract<Token, { kind: 'word' }>, senses: readonly Sense[]): boolean {
  const excludable = senses.some((s) => s.kind === 'category' || s.kind === 'attribute' || s.kind === 'brand' || s.kind === 'audience' || s.kind === 'keyword');
  if (!excludable) return false;
  const x = excluded();
  let any = false;
  for (const s of senses) {
    switch (s.kind) {
      case 'category':
        addUnique(x.categories, ...s.paths);
        any = true;
        break;
      case 'attribute':
        addUnique(x.attributes, s.value);
        any = true;
        break;
      case 'brand':
        addUnique(x.brands, s.brand);
        any = true;
        break;
      case 'audience':
        x.audiences.add(s.audience);
        any = true;
        break;
      case 'keyword':
        addUnique(x.keywords, t.text);
        any = true;
        break;
      default:
        break;
    }
  }
  return any;
}

const addUnique = <T>(list: T[], ...values: readonly T[]) => {
  for (const v of values) if (!list.includes(v)) list.push(v);
};

const HAS_DIGIT = /\d/;
const HAS_COUNTER = /\D/;

/**
 * The senses a shop can act on: without deals a deal word (团购) means nothing and a deal category means its
 * specific word only (美式 within 美食); without hotels a hotel word, and with neither a city or place, is a word.
 */
function sensesFor(t: Extract<Token, { kind: 'word' }>, kinds: ShopKinds): readonly Sense[] {
  const senses = t.entry.senses;
  if (kinds.hotels && kinds.deals) return senses;
  const places = kinds.hotels || kinds.deals;
  const out: Sense[] = [];
  for (const s of senses) {
    if (!kinds.deals && s.kind === 'deal') continue;
    if (!kinds.deals && s.kind === 'dealCategory') {
      if (s.keyword) out.push({ kind: 'keyword' });
    } else if ((!kinds.hotels && s.kind === 'hotel') || (!places && (s.kind === 'city' || s.kind === 'place'))) {
      out.push({ kind: 'keyword' });
    } else out.push(s);
  }
  return out.length > 0 ? out : [{ kind: 'stop' }];
}

function collect(tokens: readonly Token[], kinds: ShopKinds): Collected {
  const c: Collected = {
    categories: [], categoryWords: [], categoryGroups: [], dual: [], brands: [], lines: [], audiences: new Set(), attributes: [], city: null, place: null,
    hotel: false, dealWord: false, dealCategory: null, sort: null, relativePrice: null, keywords: [], corrections: [], excluded: null,
    nearest: null, padding: false, named: false,
  };
  let negation: Negation = 'off';
  const excluded = (): Excluded => (c.excluded ??= { categories: [], brands: [], audiences: new Set(), attributes: [], keywords: [] });
  // Leftover ASCII and digits (what no word, brand, pinyin or typo fix claimed) form model codes.
  let pendingCode = '';
  /** The pending code comes right after a brand, a model or a model number (iphone 15 pro, nike air). */
  let codeAfterModel = false;
  /** The last token was a brand or model word, or a model code kept as a keyword. */
  let afterModel = false;
  let previous: Token | undefined;
  const flushCode = () => {
    // A code with a digit is a model number (mate60, 小米14 → 14); Latin letters alone count only beside a
    // brand or model number: a Latin string the vocabulary does not know (asdfgh) is not a search.
    const keep = HAS_DIGIT.test(pendingCode) || (codeAfterModel && pendingCode.length >= 2);
    if (keep) addUnique(c.keywords, pendingCode);
    c.named ||= keep;
    if (pendingCode !== '') afterModel = keep;
    pendingCode = '';
  };

  for (const [k, t] of tokens.entries()) {
    const glued = previous !== undefined && previous.chunk === t.chunk && previous.end === t.start;
    const after = glued ? previous : undefined;
    previous = t;
    // Leftover ASCII and digits glued together form one model code (mate60pro, 小米14 → 14); a number
    // that stands alone or follows filler (看看2) is not a keyword, one after a brand is (iphone 15), and so
    // is one with its unit (20w, 20000毫安).
    if (t.kind === 'ascii' || t.kind === 'digits') {
      const code = after?.kind === 'ascii' || after?.kind === 'digits';
      if (!code) {
        flushCode();
        codeAfterModel = afterModel;
      }
      const next = tokens[k + 1];
      const withUnit = next !== undefined && next.chunk === t.chunk && next.start === t.end &&
        (next.kind === 'ascii' || (next.kind === 'word' && next.entry.senses.some((s) => s.kind === 'attribute')));
      // A number with its counter (1段, 3岁: segment.ts) labels a product wherever it stands.
      const modelNumber = code || withUnit || HAS_COUNTER.test(t.text) || (after === undefined
        ? afterModel
        : after.kind === 'han' || (after.kind === 'word' && !isStopOnly(after.entry)));
      if (t.kind === 'ascii' || modelNumber) pendingCode += t.text;
      continue;
    }
    flushCode();
    afterModel = false;
    if (t.kind === 'han') {
      if ([...t.text].length < 2) continue;
      if (negation !== 'off') {
        addUnique(excluded().keywords, t.text);
        negation = 'on';
      } else {
        addUnique(c.keywords, t.text);
        c.named = true;
      }
      continue;
    }
    const senses = sensesFor(t, kinds);
    if (senses.some((s) => s.kind === 'negation')) {
      negation = 'start';
      continue;
    }
    if (negation !== 'off') {
      const relative = senses.find((s) => s.kind === 'relativePrice');
      if (relative) {
        // 不要太贵的 / 不要贵一点的: cheaper; 不要便宜的 is left as said (rare, and ambiguous).
        c.relativePrice ??= 'cheaper';
        negation = 'off';
        continue;
      }
      const isCategory = senses.some((s) => s.kind === 'category');
      if (!(isCategory && negation === 'on')) {
        if (exclude(excluded, t, senses)) {
          negation = 'on';
          continue;
        }
        // Filler (的, 和) keeps the negation going; anything else (a city, a sort) is read as usual.
        if (senses.every((s) => s.kind === 'stop')) continue;
      }
      negation = 'off';
    }
    if (t.from !== undefined) c.corrections.push({ from: t.from, to: t.text });
    if (t.entry.padding) c.padding = true;
    else c.named ||= senses.some((s) => s.kind === 'category' || s.kind === 'nearest' || s.kind === 'brand' || s.kind === 'line' || s.kind === 'attribute' || s.kind === 'keyword');
    afterModel = senses.some((s) => s.kind === 'brand' || s.kind === 'line');
    const categorySense = senses.find((s) => s.kind === 'category');
    const attributeSense = senses.find((s) => s.kind === 'attribute');
    const isHotelWord = senses.some((s) => s.kind === 'hotel');
    if (categorySense && attributeSense) {
      c.dual.push({ paths: categorySense.paths, attribute: attributeSense.value, word: t.text });
    }
    for (const s of senses) {
      switch (s.kind) {
        case 'category':
          if (!attributeSense) {
            addUnique(c.categories, ...s.paths);
            addUnique(c.categoryWords, t.text);
            c.categoryGroups.push({ word: t.text, paths: s.paths });
          }
          break;
        case 'attribute':
          if (!categorySense) addUnique(c.attributes, s.value);
          break;
        case 'brand':
          addUnique(c.brands, s.brand);
          break;
        case 'line':
          // A line this catalogue files under no category of its own (airpods in a shop of accessories) is a word.
          if (s.paths.length === 0) addUnique(c.keywords, t.text);
          else addUnique(c.lines, ...s.paths);
          break;
        case 'place':
          c.place ??= { place: s.place, text: t.text };
          break;
        case 'audience':
          c.audiences.add(s.audience);
          break;
        case 'city':
          c.city ??= s.city;
          break;
        case 'hotel':
          c.hotel = true;
          break;
        case 'deal':
          c.dealWord = true;
          break;
        case 'dealCategory':
          if (isHotelWord) break;
          c.dealCategory ??= s.category;
          if (s.keyword) addUnique(c.keywords, t.text);
          break;
        case 'sort':
          c.sort ??= { sort: s.sort, placesOnly: s.placesOnly };
          break;
        case 'relativePrice':
          c.relativePrice ??= s.direction;
          break;
        case 'keyword':
          addUnique(c.keywords, t.text);
          break;
        case 'nearest':
          addUnique(c.keywords, t.text);
          c.nearest ??= { word: t.text, categories: s.paths };
          break;
        case 'stop':
          break;
      }
    }
  }
  flushCode();
  return c;
}

/** The exclusions collected, with shared leaves narrowed like the wish's (不要男士衬衫 → 男装/衬衫). */
function exclusionsOf(x: Excluded | null, vocabulary: Vocabulary): Exclusions {
  if (x === null) return NO_EXCLUSIONS;
  const audience = audienceOf(x.audiences);
  return {
    categories: refineCategories(x.categories, audience, vocabulary),
    brands: x.brands,
    // 不要男款的 excludes an audience; 不要男士衬衫 excludes men's shirts, not everything for men.
    audience: x.categories.length === 0 ? audience : null,
    attributes: x.attributes,
    keywords: x.keywords,
  };
}

/** 男女 together say nothing; a child word wins (男童, 女宝宝 are children). */
function audienceOf(audiences: ReadonlySet<Audience>): Audience | null {
  if (audiences.has('kids')) return 'kids';
  return audiences.size === 1 ? [...audiences][0]! : null;
}

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/**
 * Narrows shared leaves to the audience: 男士衬衫 → 男装/衬衫, not 女装/衬衫. When the audience's own roots
 * have none of them, an adult is at least not offered children's sizes (女生卫衣 → 男装/卫衣, not 童装/卫衣).
 * Then a path whose more specific child is also there goes (女装 + 女装/衬衫 → 女装/衬衫).
 */
function refineCategories(paths: readonly string[], audience: Audience | null, vocabulary: Vocabulary): string[] {
  let result = [...paths];
  if (audience !== null) {
    const roots = vocabulary.audienceRoots;
    const isUnder = (p: string, list: readonly string[]) => list.some((r) => under(p, r));
    const others = (['women', 'men', 'kids'] as const).filter((a) => a !== audience).flatMap((a) => roots[a]);
    const keep = result.some((p) => isUnder(p, roots[audience]))
      ? result.filter((p) => isUnder(p, roots[audience]) || !isUnder(p, others))
      : audience === 'kids' ? result : result.filter((p) => !isUnder(p, roots.kids));
    if (keep.length > 0) result = keep;
  }
  return result.filter((p) => !result.some((q) => q !== p && q.startsWith(`${p}/`)));
}

const rootOf = (path: string) => path.split('/', 1)[0]!;
/** The longest keyword looked into for a root it names (catalogue words are at most 8 characters). */
const MAX_NAMING_WORD = 8;

/**
 * The shop's root named inside a word (老年猫 and 猫条 name 猫, 遛狗 names 狗): what the word is about, so it
 * narrows a word shared by several roots (老年猫 + 粮 → 猫咪/主粮) and keeps a loosened query there.
 */
function rootNamedIn(word: string, vocabulary: Vocabulary): { word: string; paths: readonly string[] } | null {
  const chars = [...word];
  // A word, not a sentence the vocabulary did not know (a long complaint): its parts are few.
  if (chars.length > MAX_NAMING_WORD) return null;
  for (let i = 0; i < chars.length; i++) {
    for (let j = chars.length; j > i; j--) {
      if (j - i === chars.length) continue;
      const part = chars.slice(i, j).join('');
      const sense = vocabulary.entries.get(part)?.senses.find((s) => s.kind === 'category');
      if (sense && sense.paths.every((p) => !p.includes('/'))) return { word: part, paths: sense.paths };
    }
  }
  return null;
}

/**
 * Category words read together, for any shop's own roots. A word whose paths lie under several roots, beside a
 * word naming one of those roots, means the paths under it: 猫 + 罐头 (猫咪/罐头, 狗狗/罐头) → 猫咪/罐头, as 男士
 * narrows 衬衫. A word whose paths all lie under another root than a shallower word names is a plain word
 * within that one: 狗狗 + 冻干 (only 猫咪/冻干) → 狗狗 things that say 冻干, not cat treats.
 */
function withinNamedPaths(c: Pick<Collected, 'categories' | 'categoryGroups' | 'categoryWords' | 'keywords'>): void {
  const groups = c.categoryGroups;
  if (groups.length < 2) return;
  const dropped = new Set<string>();
  for (const [i, group] of groups.entries()) {
    const named = groups.filter((_, j) => j !== i).flatMap((g) => g.paths);
    const inside = group.paths.filter((p) => named.some((q) => p.startsWith(`${q}/`)));
    if (inside.length > 0) {
      for (const p of group.paths) if (!inside.includes(p)) dropped.add(p);
      continue;
    }
    const depth = Math.min(...group.paths.map((p) => p.split('/').length));
    const elsewhere = groups.some((g, j) =>
      j !== i && g.paths.every((q) => q.split('/').length < depth && group.paths.every((p) => rootOf(p) !== rootOf(q))));
    if (elsewhere) {
      for (const p of group.paths) dropped.add(p);
      addUnique(c.keywords, group.word);
    }
  }
  if (dropped.size === 0) return;
  c.categories = c.categories.filter((p) => !dropped.has(p));
  c.categoryWords = groups.filter((g) => g.paths.some((p) => c.categories.includes(p))).map((g) => g.word);
}

function decideIntent(c: Collected, categories: readonly string[], city: string | null): Intent {
  const productSignal = categories.length > 0 || c.brands.length > 0 || c.attributes.length > 0;
  if (c.hotel) return 'hotel';
  if (c.dealWord || c.dealCategory !== null) {
    // 「有优惠的连衣裙」 and 「好吃的零食」 are product searches; 「上海 优惠」, 「火锅团购」 and 「上海 好吃的」
    // are deals. A deal category word (好吃的) yields to a product category when no city or deal word backs it.
    if (city !== null) return 'deal';
    if (c.dealCategory === null) return productSignal ? 'product' : 'deal';
    return !c.dealWord && categories.length > 0 ? 'product' : 'deal';
  }
  if (productSignal) return 'product';
  // A bare city (上海, 沪) or place (陆家嘴) — or one with a dish (北京 烤鸭) — asks for the deals there.
  if (city !== null) return 'deal';
  if (c.keywords.length > 0) return 'product';
  return 'none';
}

/** Only padding named a product (正品, 新款 alone): nothing to search for, though it may still refine a list. */
const onlyPadding = (c: Collected, price: PriceRange | null): boolean =>
  c.padding && !c.named && price === null && c.city === null && c.place === null && !c.hotel && !c.dealWord && c.dealCategory === null;

function fillSlots(tokens: readonly Token[], price: PriceRange | null, vocabulary: Vocabulary, kinds: ShopKinds): { intent: Intent; slots: Slots } {
  const c = collect(tokens, kinds);
  for (const k of c.keywords) {
    const named = rootNamedIn(k, vocabulary);
    if (named) {
      addUnique(c.categories, ...named.paths);
      c.categoryGroups.push(named);
    }
  }
  withinNamedPaths(c);
  // A model says what it is (iphone → 手机) unless the message names a category itself (iphone 耳机).
  if (c.categories.length === 0) addUnique(c.categories, ...c.lines);
  // 短袖 alone is T恤; 短袖衬衫 is a 衬衫 with short sleeves.
  for (const d of c.dual) {
    if (c.categories.length > 0) addUnique(c.attributes, d.attribute);
  }
  if (c.categories.length === 0) {
    for (const d of c.dual) {
      addUnique(c.categories, ...d.paths);
      addUnique(c.categoryWords, d.word);
    }
  }

  // A place names its city; one in another city than the city named (北京 外滩) is just a word.
  let place = c.place?.place ?? null;
  if (place !== null && c.city !== null && place.city !== c.city) {
    addUnique(c.keywords, c.place!.text);
    place = null;
  }
  const city = c.city ?? place?.city ?? null;

  const audience = audienceOf(c.audiences);
  const categories = refineCategories(c.categories, audience, vocabulary);
  const intent = onlyPadding(c, price) ? 'none' : decideIntent(c, categories, city);
  // A deal category that yielded to a product category (好吃的零食) is not a deal wish.
  const dealCategory = intent === 'product' && !c.dealWord ? null : c.dealCategory;
  // Distance means nothing for products; 最近 means "recently" unless a place is being asked for.
  const forPlaces = intent === 'hotel' || intent === 'deal';
  const dropSort = c.sort !== null && ((c.sort.sort === 'distance' && intent === 'product') || (c.sort.placesOnly && !forPlaces));
  const sort = c.sort === null || dropSort ? null : c.sort.sort;

  return {
    intent,
    slots: {
      categories,
      categoryWords: c.categoryWords,
      brands: c.brands,
      audience,
      attributes: c.attributes,
      price,
      relativePrice: c.relativePrice,
      sort,
      city,
      place,
      hotel: c.hotel,
      deal: c.dealWord || dealCategory !== null,
      dealCategory,
      keywords: c.keywords,
      excluded: exclusionsOf(c.excluded, vocabulary),
      corrections: c.corrections,
      ...(c.nearest && categories.length === 0 ? { nearest: c.nearest } : {}),
    },
  };
}
