/**
 * The contracts between understanding a message (normalise → slots → intent) and answering it
 * (product index, geo index, deal lookup). Money is integer fen.
 */

export type Intent = 'product' | 'hotel' | 'deal' | 'none';

export interface PriceRange {
  readonly minFen: number | null;
  readonly maxFen: number | null;
}

export type Sort = 'relevance' | 'price_asc' | 'price_desc' | 'distance' | 'rating';

export type Audience = 'women' | 'men' | 'kids';

/**
 * What a message asks to leave out (不要红色的, 除了耐克, 不要男款): the same kinds of words as the wish itself.
 * Empty arrays and null: nothing excluded.
 */
export interface Exclusions {
  readonly categories: readonly string[];
  readonly brands: readonly string[];
  readonly audience: Audience | null;
  /** Colours and attributes as titles write them (红色), and other words (正品) to keep out of titles. */
  readonly attributes: readonly string[];
  readonly keywords: readonly string[];
}

/** Nothing excluded (shared: most messages exclude nothing). */
export const NO_EXCLUSIONS: Exclusions = Object.freeze({ categories: [], brands: [], audience: null, attributes: [], keywords: [] });

/** Does it exclude anything? */
export const excludesAny = (e: Exclusions): boolean =>
  e.categories.length > 0 || e.brands.length > 0 || e.audience !== null || e.attributes.length > 0 || e.keywords.length > 0;

/** A message's exclusions as a product query's `without`. */
export const withoutOfSlots = (e: Exclusions): Without => ({
  terms: [...e.attributes, ...e.keywords], brands: e.brands, categories: e.categories, audience: e.audience,
});

/** What a message says, slot by slot. Empty arrays and nulls mean "not said". */
export interface Slots {
  /** Category paths, e.g. ['女装/连衣裙', '女装/半身裙'] for 裙子 (one word, several leaves). */
  readonly categories: readonly string[];
  /** The words that named those categories, as the follower wrote them (大衣, 裙子): for echoing back. */
  readonly categoryWords: readonly string[];
  /** Canonical brand names (aliases resolved). */
  readonly brands: readonly string[];
  /** 男士/男款 → men, 女/女士 → women, 儿童/宝宝 → kids. */
  readonly audience: Audience | null;
  /** Colour and attribute words as they appear in titles (红色, 纯棉, 加厚…). */
  readonly attributes: readonly string[];
  /** An absolute price phrase (200以下, 300到500, 200元左右). */
  readonly price: PriceRange | null;
  /** A relative wish applied to the previous results (便宜点 → cheaper, 贵一点 → pricier). */
  readonly relativePrice: 'cheaper' | 'pricier' | null;
  readonly sort: Sort | null;
  /** Canonical city name (上海 for 上海市/沪/shanghai). */
  readonly city: string | null;
  /** A landmark or district the follower named (陆家嘴, 春熙路), with its GCJ-02 centre and city. */
  readonly place: { readonly name: string; readonly city: string; readonly lat: number; readonly lng: number } | null;
  /** A hotel word was used (酒店/宾馆/住宿/住哪…). */
  readonly hotel: boolean;
  /** A deal word was used (团购/优惠券…), or a deal category (美食/电影/KTV…) below. */
  readonly deal: boolean;
  readonly dealCategory: string | null;
  /** Meaningful words left over (searched in titles), after the slots above took theirs. */
  readonly keywords: readonly string[];
  /** What the message asks to leave out (不要红色的). */
  readonly excluded: Exclusions;
  /** Typos, pinyin and homophones corrected against the vocabulary, for "did you mean". */
  readonly corrections: readonly { readonly from: string; readonly to: string }[];
  /**
   * A kind of product the catalogue has no category for (扫地机器人), searched for as a keyword, and the
   * categories to offer as the nearest — saying so — when nothing has it; absent when none was named.
   */
  readonly nearest?: { readonly word: string; readonly categories: readonly string[] };
}

export interface Understanding {
  /** The message after normalisation (simplified, half-width, lower case, emoji and punctuation gone). */
  readonly normalized: string;
  readonly intent: Intent;
  readonly slots: Slots;
}


/** What the product index is asked. */
export interface ProductQuery {
  /** Words to match in titles, brands, tags and categories (keywords + attributes). */
  readonly terms: readonly string[];
  /** Category paths; a product matches when its path starts with one of them. Empty: any. */
  readonly categories: readonly string[];
  readonly brands: readonly string[];
  readonly audience: Audience | null;
  readonly minPriceFen: number | null;
  readonly maxPriceFen: number | null;
  readonly sort: Sort;
  /** SKUs already shown (「更多」 continues without repeating). */
  readonly exclude?: ReadonlySet<string>;
  /** What no hit may have (不要红色的, 除了耐克); absent: nothing left out. */
  readonly without?: Without;
  readonly limit: number;
}

/** What a product must not have to be a hit: a term in its text (红色), a brand, a category, an audience. */
export interface Without {
  readonly terms: readonly string[];
  readonly brands: readonly string[];
  readonly categories: readonly string[];
  readonly audience: Audience | null;
}

/** A product query with everything unsaid. @example productQuery({ categories: ['女装/连衣裙'], limit: 5 }) */
export function productQuery(over: Partial<ProductQuery> = {}): ProductQuery {
  return {
    terms: [],
    categories: [],
    brands: [],
    audience: null,
    minPriceFen: null,
    maxPriceFen: null,
    sort: 'relevance',
    limit: 20,
    ...over,
  };
}
