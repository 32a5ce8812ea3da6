/**
 * Group-buy deals: 4–5 live deals in a city (and category), within a price and in the order the
 * follower asked for (deepest discount, cheapest, dearest, nearest), and what exists when none fit.
 */
import type { Deal } from '../../catalogue/types.ts';
import { distanceKm } from '../../search/index/geo-index.ts';
import type { CatalogueSearch } from '../../search/catalogue-search.ts';
import type { ListParams } from '../../core/page-links.ts';
import type { TurnContext } from '../context.ts';
import type { AccountId } from '../../core/messages.ts';
import { plain, rangeLabel, yuan } from '../format.ts';
import { dealList } from '../replies.ts';
import { text } from '../../core/messages.ts';
import type { DealSort, Shown } from './conversation.ts';
import { priceNote } from './prices.ts';
import { itemLinks } from './item-links.ts';

/** Deals per reply (the group-buy accounts this follows answered with 4–5). */
const DEALS_PER_PAGE = 5;

type DealsShown = Extract<Shown, { kind: 'deals' }>;
/** What to look for: everything remembered about a deals list but the ids shown. */
export type DealSearch = Omit<DealsShown, 'kind' | 'ids'>;

/** The orders a message can ask a deal list for (deepest discount first otherwise). */
export const DEAL_ORDERS: readonly Exclude<DealSort, 'discount'>[] = ['price_asc', 'price_desc', 'distance'];

/**
 * Words narrower than a deal category that data/lexicon/deals.json names as the category itself
 * (美甲 is a 丽人 word there) or not at all: when the follower names one, only deals mentioning it
 * fit, and if none do the category is offered with a note saying so. The lexicon's `specific` words
 * (火锅, 烧烤, 按摩, 剧本杀…) need no entry here: the understander keeps them as keywords already.
 * Moving these to `specific` in the lexicon would retire this list.
 */
const NARROW_WORDS = ['美甲', '美发', '洗剪吹', '美容', '酸菜鱼', '咖啡'];

/** The narrow deal words in a normalised message that are not already keywords (「成都 美甲」 → 美甲). */
export function narrowDealWords(normalized: string, keywords: readonly string[]): string[] {
  return NARROW_WORDS.filter((w) => normalized.includes(w) && !keywords.some((k) => k.includes(w) || w.includes(k)));
}

/**
 * Answers with the first page of `search`, or says what exists instead. The city's deals are read
 * once; the narrow word, the price and the order are applied to that one list.
 */
export function answerDeals(ctx: TurnContext, search: DealSearch): void {
  const shown: DealsShown = { kind: 'deals', ...search, ids: [] };
  if (!needsScan(search)) {
    const found = findDeals(ctx.search, ctx.inbound.account, search, ctx.now, { limit: DEALS_PER_PAGE + 1 });
    if (found.length) return showDeals(ctx, shown, found);
    return noDeals(ctx, shown, []);
  }
  return answerFrom(ctx, search, scan(ctx.search, ctx.inbound.account, search, ctx.now));
}

/**
 * 「海底捞」 in a city: answers as `answerDeals` when some deal there mentions the words; says nothing
 * and returns false when none does (the city's deals are read once either way).
 */
export function answerNamedDeals(ctx: TurnContext, search: DealSearch): boolean {
  const all = scan(ctx.search, ctx.inbound.account, search, ctx.now);
  if (!all.some(mentions(search.keywords ?? []))) return false;
  answerFrom(ctx, search, all);
  return true;
}

/** Answers `search` from `all`, the live deals of its city (and category), deepest discount first. */
function answerFrom(ctx: TurnContext, search: DealSearch, all: readonly Deal[]): void {
  const shown: DealsShown = { kind: 'deals', ...search, ids: [] };
  const keywords = search.keywords ?? [];
  // The word is tested without the price: 火锅 over the limit is 「nothing under the limit」, not 「no 火锅」.
  const named = keywords.length ? all.filter(mentions(keywords)) : all;
  const found = ordered(named, search);
  if (found.length) return showDeals(ctx, shown, found);
  if (keywords.length && named.length === 0 && search.category) {
    // Nothing mentions the narrow word: say so, and show the category it belongs to.
    const broader: DealsShown = { ...shown, keywords: [] };
    const inCategory = ordered(all, broader);
    if (inCategory.length) {
      return showDeals(ctx, broader, inCategory, `${search.city}暂时没有「${keywords.join(' ')}」的团购😅 这些${search.category}团购正在进行中：`);
    }
  }
  return noDeals(ctx, shown, named, all.length > 0);
}

/** A city has dozens of deals: reading them all and filtering here is cheap. */
const SCAN_LIMIT = 1000;
/** Deals whose title or merchant mentions one of the words. */
const mentions = (words: readonly string[]) => (d: { title: string; merchant: string | null }) => {
  const hay = `${d.title} ${d.merchant ?? ''}`.toLowerCase();
  return words.some((w) => hay.includes(w.toLowerCase()));
};

/** The next page of the last deal list. */
export function moreDeals(ctx: TurnContext, shown: DealsShown): void {
  const next = findDeals(ctx.search, ctx.inbound.account, shown, ctx.now, { exclude: new Set(shown.ids), limit: DEALS_PER_PAGE + 1 });
  if (next.length) return showDeals(ctx, shown, next);
  ctx.note({ intent: 'deal', resultIds: [] });
  ctx.answer(text(`${describeDeals(shown)}就这么多啦，一共 ${shown.ids.length} 个。回复序号看详情。`), 'more_end');
}

/** Are there deals for `shown` after the ones already shown? */
export function hasMoreDeals(ctx: TurnContext, shown: DealsShown): boolean {
  return findDeals(ctx.search, ctx.inbound.account, shown, ctx.now, { exclude: new Set(shown.ids), limit: 1 }).length > 0;
}

/** The cities with live deals mentioning one of the words (「海底捞」 with no city known). */
export function citiesWithDeals(ctx: TurnContext, words: readonly string[]): string[] {
  const { account } = ctx.inbound;
  return ctx.search.dealCities(account, ctx.now).filter((city) => scan(ctx.search, account, { city, category: null }, ctx.now).some(mentions(words)));
}

const byPrice = (a: Deal, b: Deal) => a.priceFen - b.priceFen;

/** Does `search` filter or order beyond what the index does (deepest discount first)? */
const needsScan = (search: DealSearch): boolean =>
  Boolean(search.keywords?.length) || (search.minPriceFen ?? null) !== null || (search.maxPriceFen ?? null) !== null || (search.sort ?? 'discount') !== 'discount';

/** Every live deal of the city (and category), deepest discount first. */
function scan(search: CatalogueSearch, account: AccountId, filter: Pick<DealSearch, 'city' | 'category'>, now: number, exclude?: ReadonlySet<string>): Deal[] {
  return search.deals(account, { city: filter.city, category: filter.category, now, limit: SCAN_LIMIT, ...(exclude ? { exclude } : {}) });
}

/** `deals` (deepest discount first) within the words and prices of `search`, in its order. */
function ordered(deals: readonly Deal[], search: DealSearch): Deal[] {
  const keywords = search.keywords ?? [];
  const min = search.minPriceFen ?? null;
  const max = search.maxPriceFen ?? null;
  let fit = deals.filter((d) => (min === null || d.priceFen >= min) && (max === null || d.priceFen <= max));
  if (keywords.length) fit = fit.filter(mentions(keywords));
  const near = search.near;
  if (search.sort === 'price_asc') return fit.sort(byPrice);
  if (search.sort === 'price_desc') return fit.sort((a, b) => byPrice(b, a));
  if (search.sort === 'distance' && near) {
    const km = (d: Deal) => (d.lat !== null && d.lng !== null ? distanceKm(near, { lat: d.lat, lng: d.lng }) : Infinity);
    return fit.map((d) => ({ d, km: km(d) })).sort((a, b) => a.km - b.km).map(({ d }) => d);
  }
  return fit;
}

/**
 * The live deals of a list, in its order: the chat's lists and the mobile deals page share it.
 * @example findDeals(search, account, { city: '上海', category: '美食', maxPriceFen: 10000, sort: 'price_asc' }, now, { limit: 6 })
 */
export function findDeals(
  search: CatalogueSearch,
  account: AccountId,
  filter: DealSearch,
  now: number,
  options: { readonly limit: number; readonly exclude?: ReadonlySet<string> },
): Deal[] {
  // The index orders by discount only; anything else is filtered and ordered here.
  if (!needsScan(filter)) return search.deals(account, { city: filter.city, category: filter.category, now, limit: options.limit, ...(options.exclude ? { exclude: options.exclude } : {}) });
  return ordered(scan(search, account, filter, now, options.exclude), filter).slice(0, options.limit);
}

const subjectOf = (s: DealSearch): string => (s.keywords?.length ? `「${s.keywords.join(' ')}」` : s.category ?? '');

/** 「上海的美食团购（¥50以下）」, 「北京最便宜的团购」, 「离你最近的美食团购」 (a list's lead, a page's title). */
export function describeDeals(shown: DealSearch): string {
  const subject = subjectOf(shown);
  const note = priceNote({ minPriceFen: shown.minPriceFen ?? null, maxPriceFen: shown.maxPriceFen ?? null });
  switch (shown.sort) {
    case 'price_asc':
      return `${shown.city}最便宜的${subject}团购${note}`;
    case 'price_desc':
      return `${shown.city}最贵的${subject}团购${note}`;
    case 'distance':
      return shown.near ? `离你最近的${subject}团购${note}` : `${shown.city}${subject ? '的' : ''}${subject}团购${note}`;
    default:
      return `${shown.city}${subject ? '的' : ''}${subject}团购${note}`;
  }
}

/** Shows the next page of `found` (the deals of `shown` not shown yet, in order). */
function showDeals(ctx: TurnContext, shown: DealsShown, found: readonly Deal[], firstLead?: string): void {
  const page = found.slice(0, DEALS_PER_PAGE);
  ctx.note({ intent: 'deal', resultIds: page.map((d) => d.id) });
  const what = describeDeals(shown);
  const first = shown.ids.length + 1;
  const lead = shown.ids.length ? `${what}，${rangeLabel(first, shown.ids.length + page.length, '个')}：` : firstLead ?? `${what}，正在进行中：`;
  const links = ctx.links;
  const pageUrl = links.deals(dealParams(shown));
  ctx.answer(dealList({ lead, first, more: found.length > page.length, pageUrl }, page, itemLinks(links)), shown.ids.length ? 'more' : 'deals');
  ctx.session = { shown: { ...shown, ids: [...shown.ids, ...page.map((d) => d.id)] }, city: shown.city };
}

/** The mobile page's parameters for a deals list (what `findDeals` reads back from them). */
function dealParams(search: DealSearch): ListParams {
  const sort = search.sort ?? 'discount';
  const near = sort === 'distance' ? search.near : undefined;
  return {
    city: search.city,
    cat: search.category,
    q: search.keywords?.join(' '),
    min: search.minPriceFen,
    max: search.maxPriceFen,
    sort: sort === 'discount' || (sort === 'distance' && !near) ? null : sort,
    lat: near?.lat.toFixed(5),
    lng: near?.lng.toFixed(5),
  };
}

/**
 * Nothing fits `shown`: what exists instead. `named` holds the city's deals mentioning its words
 * (all of them without words), in discount order; `inCity`, whether the city has any at all.
 */
function noDeals(ctx: TurnContext, shown: DealsShown, named: readonly Deal[], inCity = false): void {
  ctx.note({ intent: 'deal', resultIds: [] });
  ctx.answer(text(noDealsText(ctx, shown, named, inCity)), 'deals_none');
}

function noDealsText(ctx: TurnContext, shown: DealsShown, named: readonly Deal[], inCity: boolean): string {
  const { account } = ctx.inbound;
  const min = shown.minPriceFen ?? null;
  const max = shown.maxPriceFen ?? null;
  if ((min !== null || max !== null) && named.length) {
    // Nothing within the price: name the nearest one outside it.
    const nearest = [...named].sort(max !== null ? byPrice : (a, b) => byPrice(b, a))[0]!;
    const within = priceNote({ minPriceFen: min, maxPriceFen: max }).slice(1, -1);
    return `${shown.city}暂时没有${within}的${subjectOf(shown)}团购😅 最接近的是「${plain(nearest.title)}」${yuan(nearest.priceFen)}，回复「${shown.city}${shown.category ?? '团购'}」看看全部。`;
  }
  if (shown.keywords?.length && inCity) {
    return `${shown.city}暂时没有「${shown.keywords.join(' ')}」的团购😅 回复「${shown.city}${shown.category ? ` ${shown.category}` : '团购'}」看看别的。`;
  }
  if (shown.category) {
    const categories = ctx.search.dealCategories(account, { city: shown.city, now: ctx.now });
    if (categories.length) return `${shown.city}暂时没有${shown.category}团购😅 这些有：${categories.join('、')}，比如回复「${shown.city} ${categories[0]}」。`;
  }
  const cities = ctx.search.dealCities(account, ctx.now);
  return cities.length
    ? `${shown.city}暂时没有进行中的团购😅 这些城市有：${cities.slice(0, 6).join('、')}，回复城市名看看。`
    : '暂时没有进行中的团购，过几天再来看看吧。';
}
