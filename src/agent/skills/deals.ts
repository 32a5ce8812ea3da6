/**
 * Group-buy deals: 4–5 live deals in a city (and category), within a price and in the order the
 * follower asked for (deepest discount, cheapest, dearest, nearest), and what exists when none fit.
 */
import type { Deal } from '../../catalogue/types.ts';
import { distanceKm } from '../../search/index/geo-index.ts';
import type { TurnContext } from '../context.ts';
import { yuan } from '../format.ts';
import { dealList } from '../replies.ts';
import { text } from '../types.ts';
import { saveState, type ConversationState, type Shown, type ShoppingDeps } from './conversation.ts';
import { priceNote, rangeLabel } from './hotels.ts';
import { linksFor } from './links.ts';

/** Deals per reply (the group-buy accounts this follows answered with 4–5). */
export const DEALS_PER_PAGE = 5;

type DealsShown = Extract<Shown, { kind: 'deals' }>;
/** What to look for: everything remembered about a deals list but the ids shown. */
export type DealSearch = Omit<DealsShown, 'kind' | 'ids'>;

export const ASK_CITY = '想看哪个城市的团购？回复城市名就行，比如「上海」「北京团购」「深圳 美食」。';

/**
 * Words narrower than a deal category (美甲 is 丽人, 火锅 is 美食): when the follower names one, only
 * deals mentioning it fit, and if none do the category is offered with a note saying so.
 */
const NARROW_WORDS = ['美甲', '美发', '洗剪吹', '美容', '按摩', '足疗', '足浴', '剧本杀', '密室', '烧烤', '火锅', '酸菜鱼', '奶茶', '咖啡', '自助'];

/** The narrow deal words in a normalised message that are not already keywords (「成都 美甲」 → 美甲). */
export function narrowDealWords(normalized: string, keywords: readonly string[]): string[] {
  return NARROW_WORDS.filter((w) => normalized.includes(w) && !keywords.some((k) => k.includes(w) || w.includes(k)));
}

export async function answerDeals(deps: ShoppingDeps, ctx: TurnContext, state: ConversationState, search: DealSearch): Promise<void> {
  const shown: DealsShown = { kind: 'deals', ...search, ids: [] };
  const keywords = search.keywords ?? [];
  if (keywords.length && search.category && candidates(deps, ctx, shown).length === 0) {
    // Nothing mentions the narrow word: say so, and show the category it belongs to.
    const broader: DealsShown = { ...shown, keywords: [] };
    if (candidates(deps, ctx, broader).length) {
      await showDeals(deps, ctx, broader, `${search.city}暂时没有「${keywords.join(' ')}」的团购😅 这些${search.category}团购正在进行中：`);
      return;
    }
  }
  await showDeals(deps, ctx, shown);
}

/** Deals whose title or merchant mentions one of the words (a city has dozens of deals: filtering is cheap). */
const SCAN_LIMIT = 1000;
const mentions = (words: readonly string[]) => (d: { title: string; merchant: string | null }) => {
  const hay = `${d.title} ${d.merchant ?? ''}`.toLowerCase();
  return words.some((w) => hay.includes(w.toLowerCase()));
};

export async function moreDeals(deps: ShoppingDeps, ctx: TurnContext, _state: ConversationState, shown: DealsShown): Promise<void> {
  await showDeals(deps, ctx, shown);
}

/** Are there deals for `shown` after the ones already shown? */
export function hasMoreDeals(deps: ShoppingDeps, ctx: TurnContext, shown: DealsShown): boolean {
  return candidates(deps, ctx, shown, 1).length > 0;
}

const byPrice = (a: Deal, b: Deal) => a.priceFen - b.priceFen;

/** The live deals of `shown` not shown yet, in order, at most `limit`. */
function candidates(deps: ShoppingDeps, ctx: TurnContext, shown: DealsShown, limit = DEALS_PER_PAGE + 1): Deal[] {
  const { account } = ctx.inbound;
  const query = { city: shown.city, category: shown.category, now: ctx.now, exclude: new Set(shown.ids) };
  const keywords = shown.keywords ?? [];
  const min = shown.minPriceFen ?? null;
  const max = shown.maxPriceFen ?? null;
  const sort = shown.sort ?? 'discount';
  // The index orders by discount only; anything else is filtered and ordered here.
  if (!keywords.length && min === null && max === null && sort === 'discount') return deps.search.deals(account, { ...query, limit });
  let deals = deps.search.deals(account, { ...query, limit: SCAN_LIMIT });
  if (keywords.length) deals = deals.filter(mentions(keywords));
  deals = deals.filter((d) => (min === null || d.priceFen >= min) && (max === null || d.priceFen <= max));
  const near = shown.near;
  if (sort === 'price_asc') deals.sort(byPrice);
  else if (sort === 'price_desc') deals.sort((a, b) => byPrice(b, a));
  else if (sort === 'distance' && near) {
    const km = (d: Deal) => (d.lat !== null && d.lng !== null ? distanceKm(near, { lat: d.lat, lng: d.lng }) : Infinity);
    deals = deals.map((d) => ({ d, km: km(d) })).sort((a, b) => a.km - b.km).map(({ d }) => d);
  }
  return deals.slice(0, limit);
}

const subjectOf = (s: DealSearch): string => (s.keywords?.length ? `「${s.keywords.join(' ')}」` : s.category ?? '');

/** 「上海的美食团购（¥50以下）」, 「北京最便宜的团购」, 「离你最近的美食团购」. */
function describe(shown: DealSearch): string {
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

async function showDeals(deps: ShoppingDeps, ctx: TurnContext, shown: DealsShown, firstLead?: string): Promise<void> {
  const { account } = ctx.inbound;
  const deals = candidates(deps, ctx, shown);
  const page = deals.slice(0, DEALS_PER_PAGE);
  ctx.note({ intent: 'deal', resultIds: page.map((d) => d.id) });
  const what = describe(shown);
  if (page.length === 0) {
    ctx.answer(text(shown.ids.length ? `${what}就这么多啦，一共 ${shown.ids.length} 个。回复序号看详情。` : noDeals(deps, ctx, shown)), shown.ids.length ? 'more_end' : 'deals_none');
    return;
  }
  const first = shown.ids.length + 1;
  const lead = shown.ids.length ? `${what}，${rangeLabel(first, shown.ids.length + page.length, '个')}：` : firstLead ?? `${what}，正在进行中：`;
  const links = deps.links(account);
  const pageUrl = links.deals({ city: shown.city, cat: shown.category });
  ctx.answer(dealList({ lead, first, more: deals.length > page.length, pageUrl }, page, linksFor(links)), shown.ids.length ? 'more' : 'deals');
  await saveState(deps, ctx, { shown: { ...shown, ids: [...shown.ids, ...page.map((d) => d.id)] }, city: shown.city });
}

function noDeals(deps: ShoppingDeps, ctx: TurnContext, shown: DealsShown): string {
  const { account } = ctx.inbound;
  const min = shown.minPriceFen ?? null;
  const max = shown.maxPriceFen ?? null;
  if (min !== null || max !== null) {
    // Nothing within the price: name the nearest one outside it.
    const unbounded = candidates(deps, ctx, { ...shown, minPriceFen: null, maxPriceFen: null, sort: max !== null ? 'price_asc' : 'price_desc' }, 1);
    const nearest = unbounded[0];
    if (nearest) {
      const within = priceNote({ minPriceFen: min, maxPriceFen: max }).slice(1, -1);
      return `${shown.city}暂时没有${within}的${subjectOf(shown)}团购😅 最接近的是「${nearest.title}」${yuan(nearest.priceFen)}，回复「${shown.city}${shown.category ?? '团购'}」看看全部。`;
    }
  }
  if (shown.keywords?.length) {
    const others = deps.search.deals(account, { city: shown.city, category: shown.category, now: ctx.now, limit: 1 });
    if (others.length) {
      return `${shown.city}暂时没有「${shown.keywords.join(' ')}」的团购😅 回复「${shown.city}${shown.category ? ` ${shown.category}` : '团购'}」看看别的。`;
    }
  }
  if (shown.category) {
    const inCity = deps.search.dealCategories(account, { city: shown.city, now: ctx.now });
    if (inCity.length) return `${shown.city}暂时没有${shown.category}团购😅 这些有：${inCity.join('、')}，比如回复「${shown.city} ${inCity[0]}」。`;
  }
  const cities = deps.search.dealCities(account, ctx.now);
  return cities.length
    ? `${shown.city}暂时没有进行中的团购😅 这些城市有：${cities.slice(0, 6).join('、')}，回复城市名看看。`
    : '暂时没有进行中的团购，过几天再来看看吧。';
}
