/**
 * A product follow-up merged into the remembered query: what the new message keeps of the last wish, what it
 * replaces, and when it is no follow-up at all but a new search. Pure: the catalogue is asked through the
 * two questions of `Shelf`, so the rules below are unit-tested without an agent (test/shopping/follow-up.test.ts).
 *
 * The rules, in the order they apply:
 * - A gift (礼物) is a new topic: nothing of the last list is kept (给宝宝买卫衣 → 送老婆的礼物). The dispatcher
 *   (shopping.ts) asks `isNewTopic` before it asks `isRefinement`.
 * - A brand alone refines the last list only when the last subject (its categories, else its words) has that
 *   brand (手机 → 华为的); otherwise it is a new search (iphone → Nike, 牛奶 → 三只松鼠), exclusions and price
 *   limits gone with the old subject.
 * - A new audience replaces the old one and takes the categories with it (女款羽绒服 → 男款: 男装/羽绒服).
 * - A new colour replaces the old one, as does a new length, fit, material… (短款 → 长款的); a new brand replaces
 *   the old one; other attributes add up.
 * - 便宜点 is "visibly cheaper": the cap goes below the median and the average of the page shown, and that
 *   page's items are not shown first again (see `visiblyCheaper`).
 * - 最贵的 after 便宜点 drops the cap 便宜点 set (and 最便宜的 after 贵一点 its floor), back to the bounds the
 *   follower said in words, if any.
 * - A price limit kept from earlier messages is marked (`keptPrice`), so an answer can say it hid something.
 */
import type { Audience, Understanding } from '../../search/types.ts';
import { excludesAny } from '../../search/types.ts';
import { roundDown } from '../format.ts';
import type { RememberedProductQuery, RememberedWithout } from './conversation.ts';
import { pricesAfter } from './prices.ts';
import { AUDIENCE_WORD, freshQuery, isColour, joinLabel, withoutOf, type RefinedQuery } from './products.ts';

/** What the merge asks of the catalogue. */
export interface Shelf {
  /** Does the catalogue have products of these brands in this subject (categories, else words)? */
  sells(subject: { readonly categories: readonly string[]; readonly terms: readonly string[]; readonly brands: readonly string[] }): boolean;
  /** The category paths these leaves have for an audience (羽绒服, men → 男装/羽绒服); [] when it has none. */
  categoriesFor(leaves: readonly string[], audience: Audience): readonly string[];
}

/** The page the follower was looking at: its items and their prices (fen). */
export interface ShownPage {
  readonly ids: readonly string[];
  readonly prices: readonly number[];
}

/** What to do with a follow-up: refine the last query, or search afresh. */
export type FollowUp =
  | { readonly move: 'refine'; readonly query: RefinedQuery }
  | { readonly move: 'fresh'; readonly query: RememberedProductQuery; readonly why: 'brand' };

/** Words that make a message a new topic rather than a cut of the list shown (送老婆的礼物). */
const NEW_TOPIC_WORDS = ['礼物', '礼品'];

/**
 * Does this message start a new topic, whatever the list shown? A gift is asked for a person, not as a cut
 * of the list (给宝宝买卫衣 → 送老婆的礼物 is not women's hoodies).
 * @example isNewTopic(understand('送老婆的礼物')) // true
 */
export function isNewTopic(u: Understanding): boolean {
  return NEW_TOPIC_WORDS.some((w) => u.normalized.includes(w));
}

/**
 * Does this message only adjust the last list (便宜点, 要红色的, 300以内的, 男款; after products also 华为的)?
 * A brand alone may narrow a product list (手机 → 华为的; `followUp` decides) but starts a new search otherwise.
 */
export function isRefinement(u: Understanding, afterProducts: boolean): boolean {
  const s = u.slots;
  const subject = s.categories.length > 0 || s.keywords.length > 0 || (s.brands.length > 0 && !afterProducts);
  const adjusts =
    s.price !== null || s.relativePrice !== null || s.attributes.length > 0 || s.sort !== null || s.audience !== null || s.brands.length > 0 ||
    excludesAny(s.excluded);
  return !subject && adjusts && !s.hotel && !s.deal && s.city === null;
}

const leaf = (path: string) => path.split('/').pop() ?? path;

/**
 * The follow-up `u` (a refinement, see `isRefinement`) merged into the last query.
 * @example
 * followUp(lastOf('运动鞋 → 便宜点'), understand('最贵的'), page, shelf) // refine: dearest first, no cap
 * followUp(lastOf('iphone'), understand('Nike'), page, shelf)          // fresh: 耐克 alone
 */
export function followUp(last: RememberedProductQuery, u: Understanding, page: ShownPage, shelf: Shelf): FollowUp {
  const s = u.slots;
  if (s.brands.length > 0 && !hasBrands(last, s.brands, shelf)) return { move: 'fresh', query: freshQuery(u), why: 'brand' };
  return { move: 'refine', query: refine(last, u, page, shelf) };
}

/** Does the last subject (its categories, else its words) come in these brands? True when it has no subject. */
function hasBrands(last: RememberedProductQuery, brands: readonly string[], shelf: Shelf): boolean {
  const subject = last.categories.length > 0 ? { categories: last.categories, terms: [] } : { categories: [], terms: last.terms };
  if (subject.categories.length === 0 && subject.terms.length === 0) return true;
  return shelf.sells({ ...subject, brands });
}

/** The last query with this message's adjustments. A brand replaces the last one (iPhone → 华为 asks for 华为, not both). */
function refine(last: RememberedProductQuery, u: Understanding, page: ShownPage, shelf: Shelf): RefinedQuery {
  const s = u.slots;
  const attributes = s.attributes.filter((a) => !last.terms.includes(a));
  // 不要红色的 after 红色连衣裙: the colour goes from the wish; 要红色的 after 不要红色的: from the exclusions.
  const x = s.excluded;
  const dropped = new Set([...x.attributes, ...x.keywords, ...x.brands]);
  const brands = s.brands.length > 0 ? s.brands : last.brands.filter((b) => !dropped.has(b));
  // A new colour replaces the last one (红色连衣裙 → 要黑色的), as a new brand does, and so does a length, a fit
  // or a material (短款 → 长款的); other attributes add up (纯棉 → 宽松的).
  const replaced = (w: string) => attributes.some((a) => conflicts(a, w));
  const audience = s.audience ?? (x.audience !== null && x.audience === last.audience ? null : last.audience);
  // 女款羽绒服 → 男款: the men's down jackets, not women's down jackets for men.
  const reaudienced = s.audience !== null && last.audience !== null && s.audience !== last.audience;
  const categories = reaudienced ? recategorised(last.categories, s.audience!, shelf) : last.categories;
  const audienceWords = new Set(Object.values(AUDIENCE_WORD));
  const kept = (w: string) => !last.brands.includes(w) && !replaced(w) && !dropped.has(w) && !(reaudienced && audienceWords.has(w));
  const rest = last.label.replace(/…$/, '').split(' ').filter(kept);
  const lastWithout = last.without && unexcluded(last.without, [...s.attributes, ...s.brands, ...s.keywords]);
  const { without: _lastWithout, saidPrice: _saidPrice, ...lastWish } = last;
  const price = pricesAfter(last, s, page.prices, visiblyCheaper);
  const cheaper = s.relativePrice === 'cheaper' && s.price === null;
  return {
    ...lastWish,
    ...withoutOf(lastWithout, x),
    terms: [...last.terms.filter((t) => !replaced(t) && !dropped.has(t)), ...attributes],
    categories,
    brands,
    // 不要男款的 after 男款羽绒服: the audience wish goes with it.
    audience,
    ...price,
    // 贵一点: the next prices up first, as for hotels and deals.
    sort: s.sort && s.sort !== 'distance' ? s.sort : s.relativePrice === 'pricier' ? 'price_asc' : last.sort,
    label: joinLabel([...(reaudienced ? [AUDIENCE_WORD[s.audience!]] : []), ...brands, ...attributes, ...rest]),
    ...(cheaper ? { seen: page.ids } : {}),
    ...(s.price === null && s.relativePrice === null && (price.minPriceFen !== null || price.maxPriceFen !== null) ? { keptPrice: true } : {}),
  };
}

/**
 * Attributes of which a product has one (as attributes.json writes them): a new one replaces the last one of its
 * group, as a new colour replaces the last colour. Materials count as one: 要真丝的 after 纯棉 asks for silk instead.
 */
const EXCLUSIVE_ATTRIBUTES: readonly (readonly string[])[] = [
  ['短款', '中长款', '长款'],
  ['长袖', '短袖', '无袖'],
  ['九分', '七分'],
  ['修身', '宽松', '紧身'],
  ['加厚', '加绒', '轻薄'],
  ['春季', '夏季', '秋季', '冬季', '春夏', '春秋', '秋冬'],
  ['纯棉', '真丝', '羊毛', '羊绒', '亚麻', '雪纺', '冰丝', '真皮'],
  ['碎花', '条纹', '格子', '波点', '印花'],
];

/** Does the new attribute `wished` replace the earlier word `was` (both colours, or of one group above)? */
function conflicts(wished: string, was: string): boolean {
  if (wished === was) return false;
  if (isColour(wished) && isColour(was)) return true;
  return EXCLUSIVE_ATTRIBUTES.some((group) => group.includes(wished) && group.includes(was));
}

/** The categories for a new audience, leaf by leaf; the old ones when the audience has none of them (连衣裙 → 男款). */
function recategorised(categories: readonly string[], audience: Audience, shelf: Shelf): readonly string[] {
  if (categories.length === 0) return categories;
  const theirs = shelf.categoriesFor([...new Set(categories.map(leaf))], audience);
  return theirs.length > 0 ? theirs : categories;
}

/**
 * 便宜点's cap, "visibly cheaper" than the page shown: below the page's median price, rounded down to whole tens
 * (hundreds above ¥1000), and never above `cap` (the cap so far, which `adjustedPrices` has already put below
 * the page's average). Every item of the new list then costs less than at least half of the items just seen,
 * whatever one dear outlier does to the average; with the page's own items shown after the new ones
 * (`RefinedQuery.seen`), the list never opens with what was just seen.
 * @example visiblyCheaper(27000, [11900, 8900, 17900, 13900, 82900]) // 13000 (median ¥139; the average ¥271 gave 27000)
 */
export function visiblyCheaper(cap: number | null, shownPrices: readonly number[]): number | null {
  if (shownPrices.length === 0) return cap;
  const sorted = [...shownPrices].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  return Math.min(roundDown(median - 1), cap ?? Infinity);
}

/** The exclusions without the words now wished for again (要红色的 after 不要红色的); undefined when none are left. */
function unexcluded(w: RememberedWithout, wished: readonly string[]): RememberedWithout | undefined {
  if (!wished.some((x) => w.words.includes(x))) return w;
  const keep = (x: string) => !wished.includes(x);
  const left = { ...w, terms: w.terms.filter(keep), brands: w.brands.filter(keep), words: w.words.filter(keep) };
  return left.terms.length || left.brands.length || left.categories.length || left.audience !== null ? left : undefined;
}
