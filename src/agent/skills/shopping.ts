/**
 * The shopping skills as pipeline steps: 「更多」 paging, a number picking an item, a location message
 * finding hotels, and any text understood as a product, hotel or deal question.
 */
import { isLiveDeal } from '../../catalogue/types.ts';
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import type { Step } from '../pipeline.ts';
import { dealCard, hotelCard, productCard } from '../replies.ts';
import { text } from '../types.ts';
import { loadState, type ConversationState, type ShoppingDeps } from './conversation.ts';
import { answerDeals, ASK_CITY, moreDeals } from './deals.ts';
import { answerHotels, ASK_WHERE, LOCATION_FRESH_MS, moreHotels } from './hotels.ts';
import { answerProducts, freshQuery, isRefinement, lastPagePrices, moreProducts, refine } from './products.ts';

const MORE = new Set(['更多', '下一页', '下页', '还有吗', '还有呢', '还有', '再来点', '再来', '换一批', '继续', 'more', 'next', 'n', '多点']);
const PICK = /^(?:第)?(\d{1,2})(?:个|号|条|家)?$/;

/**
 * @example createAgent({ db, skills: createShoppingSkills({ search, sessions, links }) })
 */
export function createShoppingSkills(deps: ShoppingDeps): Step[] {
  const more: Step = async (ctx, next) => {
    if (!MORE.has(ctx.command)) return next();
    const state = loadState(deps, ctx);
    const shown = state.shown;
    if (!shown) {
      ctx.answer(text('还没有可以翻页的结果～先告诉我想找什么吧，比如「女装」「上海酒店」。'), 'more_nothing');
      return;
    }
    if (shown.kind === 'products') await moreProducts(deps, ctx, state, shown);
    else if (shown.kind === 'hotels') await moreHotels(deps, ctx, state, shown);
    else await moreDeals(deps, ctx, state, shown);
  };

  const pick: Step = (ctx, next) => {
    const m = PICK.exec(ctx.command);
    if (!m) return next();
    const n = Number(m[1]);
    const { shown } = loadState(deps, ctx);
    if (!shown) {
      ctx.answer(text('先告诉我想找什么，再回复序号看详情～比如「女装」「上海酒店」。'), 'pick_nothing');
      return;
    }
    const id = shown.ids[n - 1];
    if (!id) {
      ctx.answer(text(`刚才列出了 ${shown.ids.length} 个，回复 1–${shown.ids.length} 看详情，回复「更多」看下一页。`), 'pick_out_of_range');
      return;
    }
    const { account } = ctx.inbound;
    const links = deps.links(account);
    ctx.note({ intent: shown.kind === 'products' ? 'product' : shown.kind === 'hotels' ? 'hotel' : 'deal', resultIds: [id] });
    if (shown.kind === 'products') {
      const p = deps.search.product(account, id);
      if (p && p.stock !== 0) return ctx.answer(productCard(p, links.product(id)), 'pick');
    } else if (shown.kind === 'hotels') {
      const h = deps.search.hotel(account, id);
      const near = 'near' in shown.where ? shown.where.near : null;
      const km = h && near ? deps.search.hotelsNear(account, near, { limit: shown.ids.length + 5 }).find((x) => x.hotel.id === id)?.km ?? null : null;
      if (h) return ctx.answer(hotelCard(h, km, links.hotel(id)), 'pick');
    } else {
      const d = deps.search.deal(account, id);
      if (d && isLiveDeal(d, ctx.now)) {
        return ctx.answer(dealCard(d, links.deal(id)), 'pick');
      }
    }
    ctx.answer(text(`第 ${n} 个刚刚下架或售罄了😅 回复其他序号看看，或者回复「更多」。`), 'pick_gone');
  };

  const location: Step = async (ctx, next) => {
    const m = ctx.inbound;
    if (m.kind !== 'location') return next();
    ctx.note({ intent: 'hotel', slots: { location: { lat: m.lat, lng: m.lng }, label: m.label } });
    await answerHotels(deps, ctx, loadState(deps, ctx), {
      where: { near: { lat: m.lat, lng: m.lng }, label: m.label },
      minPriceFen: null,
      maxPriceFen: null,
    });
  };

  const understood: Step = async (ctx, next) => {
    const m = ctx.inbound;
    if (m.kind !== 'text' || !ctx.command) return next();
    const u = deps.search.understand(m.text);
    ctx.note({ intent: u.intent, slots: u.slots });
    // Nothing understood and nothing that could refine a list: pass on without reading the session.
    if (u.intent === 'none' && !isRefinement(u, true)) return next();
    const state = loadState(deps, ctx);
    if (state.shown && isRefinement(u, state.shown.kind === 'products')) {
      await refineShown(ctx, state, u);
      return;
    }
    switch (u.intent) {
      case 'product':
        return answerProducts(deps, ctx, state, freshQuery(u));
      case 'hotel':
        return hotels(ctx, state, u);
      case 'deal': {
        const city = u.slots.city ?? state.city ?? lastCity(ctx);
        if (!city) return ctx.answer(text(ASK_CITY), 'ask_city');
        return answerDeals(deps, ctx, state, city, u.slots.dealCategory, u.slots.keywords);
      }
      case 'none':
        return next();
    }
  };

  async function hotels(ctx: TurnContext, state: ConversationState, u: Understanding): Promise<void> {
    const prices = { minPriceFen: u.slots.price?.minFen ?? null, maxPriceFen: u.slots.price?.maxFen ?? null };
    const sort = hotelSort(u);
    const place = u.slots.place;
    if (place) return answerHotels(deps, ctx, state, { where: { near: { lat: place.lat, lng: place.lng }, label: place.name }, ...prices });
    if (u.slots.city) return answerHotels(deps, ctx, state, { where: { city: u.slots.city }, ...prices, ...(sort ? { sort } : {}) });
    const last = ctx.subscribers.get(ctx.inbound.account, ctx.inbound.user)?.lastLocation;
    if (last && ctx.now - last.at <= LOCATION_FRESH_MS) {
      return answerHotels(deps, ctx, state, { where: { near: { lat: last.lat, lng: last.lng }, label: '' }, ...prices });
    }
    ctx.answer(text(ASK_WHERE), 'ask_location');
  }

  /** 便宜点 / 要红色的 / 300以内的: the last list, adjusted. */
  async function refineShown(ctx: TurnContext, state: ConversationState, u: Understanding): Promise<void> {
    const shown = state.shown!;
    ctx.note({ intent: shown.kind === 'products' ? 'product' : shown.kind === 'hotels' ? 'hotel' : 'deal' });
    if (shown.kind === 'products') {
      const q = refine(shown.query, u, lastPagePrices(deps, ctx, shown.ids));
      return answerProducts(deps, ctx, state, q);
    }
    if (shown.kind === 'hotels') {
      const s = u.slots;
      let { minPriceFen, maxPriceFen } = shown;
      if (s.price) ({ minFen: minPriceFen, maxFen: maxPriceFen } = s.price);
      const prices = shown.ids.map((id) => deps.search.hotel(ctx.inbound.account, id)?.priceFen).filter((p): p is number => typeof p === 'number');
      const average = prices.length ? Math.round(prices.reduce((a, b) => a + b, 0) / prices.length) : null;
      if (s.relativePrice === 'cheaper' && average !== null) maxPriceFen = Math.min(average - 1, maxPriceFen ?? Infinity);
      if (s.relativePrice === 'pricier' && average !== null) [minPriceFen, maxPriceFen] = [average + 1, null];
      const sort = hotelSort(u) ?? shown.sort;
      return answerHotels(deps, ctx, state, { where: shown.where, minPriceFen, maxPriceFen, ...(sort ? { sort } : {}) });
    }
    return answerDeals(deps, ctx, state, shown.city, u.slots.dealCategory ?? shown.category, shown.keywords ?? []);
  }

  function hotelSort(u: Understanding): 'rating' | 'price_asc' | 'price_desc' | null {
    const s = u.slots.sort;
    if (s === 'price_asc' || s === 'price_desc' || s === 'rating') return s;
    return u.slots.relativePrice === 'cheaper' ? 'price_asc' : null;
  }

  function lastCity(ctx: TurnContext): string | null {
    const last = ctx.subscribers.get(ctx.inbound.account, ctx.inbound.user)?.lastLocation;
    return last ? deps.search.cityNear(ctx.inbound.account, last) : null;
  }

  return [more, pick, location, understood];
}
