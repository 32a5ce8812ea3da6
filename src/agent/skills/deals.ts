/** Group-buy deals: 4–5 live deals in a city (and category), and where there are deals when none fit. */
import type { TurnContext } from '../context.ts';
import { dealList } from '../replies.ts';
import { text } from '../types.ts';
import { saveState, type ConversationState, type Shown, type ShoppingDeps } from './conversation.ts';
import { linksFor } from './links.ts';

/** Deals per reply (the group-buy accounts this follows answered with 4–5). */
export const DEALS_PER_PAGE = 5;

type DealsShown = Extract<Shown, { kind: 'deals' }>;

export const ASK_CITY = '想看哪个城市的团购？回复城市名就行，比如「上海」「北京团购」「深圳 美食」。';

export async function answerDeals(
  deps: ShoppingDeps,
  ctx: TurnContext,
  state: ConversationState,
  city: string,
  category: string | null,
  keywords: readonly string[] = [],
): Promise<void> {
  await showDeals(deps, ctx, state, { kind: 'deals', city, category, keywords, ids: [] });
}

/** Deals whose title or merchant mentions one of the words (a city has dozens of deals: filtering is cheap). */
const KEYWORD_SCAN_LIMIT = 1000;
const mentions = (words: readonly string[]) => (d: { title: string; merchant: string | null }) => {
  const hay = `${d.title} ${d.merchant ?? ''}`.toLowerCase();
  return words.some((w) => hay.includes(w.toLowerCase()));
};

export async function moreDeals(deps: ShoppingDeps, ctx: TurnContext, state: ConversationState, shown: DealsShown): Promise<void> {
  await showDeals(deps, ctx, state, shown);
}

async function showDeals(deps: ShoppingDeps, ctx: TurnContext, state: ConversationState, shown: DealsShown): Promise<void> {
  const { account } = ctx.inbound;
  const query = { city: shown.city, category: shown.category, now: ctx.now, exclude: new Set(shown.ids) };
  const keywords = shown.keywords ?? [];
  const deals = keywords.length
    ? deps.search.deals(account, { ...query, limit: KEYWORD_SCAN_LIMIT }).filter(mentions(keywords)).slice(0, DEALS_PER_PAGE + 1)
    : deps.search.deals(account, { ...query, limit: DEALS_PER_PAGE + 1 });
  const page = deals.slice(0, DEALS_PER_PAGE);
  ctx.note({ intent: 'deal', resultIds: page.map((d) => d.id) });
  const what = `${shown.city}${keywords.length ? `的「${keywords.join(' ')}」` : shown.category ? `的${shown.category}` : ''}团购`;
  if (page.length === 0) {
    ctx.answer(text(shown.ids.length ? `${what}就这么多啦，一共 ${shown.ids.length} 个。回复序号看详情。` : noDeals(deps, ctx, shown)), shown.ids.length ? 'more_end' : 'deals_none');
    return;
  }
  const first = shown.ids.length + 1;
  const lead = shown.ids.length ? `${what}，第 ${first}–${shown.ids.length + page.length} 个：` : `${what}，正在进行中：`;
  const links = deps.links(account);
  const pageUrl = links.deals({ city: shown.city, cat: shown.category });
  ctx.answer(dealList({ lead, first, more: deals.length > page.length, pageUrl }, page, linksFor(links)), shown.ids.length ? 'more' : 'deals');
  await saveState(deps, ctx, { shown: { ...shown, ids: [...shown.ids, ...page.map((d) => d.id)] }, city: shown.city });
}

function noDeals(deps: ShoppingDeps, ctx: TurnContext, shown: DealsShown): string {
  const { account } = ctx.inbound;
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
