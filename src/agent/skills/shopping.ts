/**
 * The shopping skills as pipeline steps: 「更多」 paging, a number picking an item, a location message
 * finding hotels, and any text understood as a product, hotel or deal question.
 */
import { isInStock, isLiveDeal } from '../../catalogue/types.ts';
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import type { Step } from '../pipeline.ts';
import { dealCard, hotelCard, productCard } from '../replies.ts';
import { text } from '../../core/messages.ts';
import { loadState, saveState, type ConversationState, type DealSort, type Shown, type ShoppingDeps } from './conversation.ts';
import { answerDeals, answerNamedDeals, ASK_CITY, citiesWithDeals, hasMoreDeals, moreDeals, narrowDealWords } from './deals.ts';
import { answerHotels, ASK_WHERE, hasMoreHotels, LOCATION_FRESH_MS, moreHotels, starWish } from './hotels.ts';
import { adjustedPrices } from './prices.ts';
import { answerProducts, freshQuery, isRefinement, lastPagePrices, moreProducts, refine, toIndexQuery } from './products.ts';

const MORE = new Set([
  '更多', '下一页', '下页', '还有吗', '还有呢', '还有', '再来点', '再来', '再来几个', '再来一些', '再来些', '再多来几个', '还有别的吗',
  '换一批', '继续', 'more', 'next', 'n', '多点',
]);
/** 附近团购 with no location and no city to go by. */
const ASK_NEAR = '想看附近的团购？发个位置给我（点输入框旁的「+」→「位置」），或者回复城市名，比如「上海团购」「北京 美食」。';
const DIGITS = '零一二三四五六七八九';

/** 「１２」「2号」「第二个」「看看3」「第3家」 → the number picked; null when the message is not a pick. */
export function pickedNumber(command: string): number | null {
  // Not 要 or 件: 「要两件」「要一个」「3件」 are quantities, not picks.
  const m = /^(?:看看|看下|看一下|选)?(第)?(\d{1,2}|[一二三四五六七八九十两]{1,3})(?:个|号|条|家|款)?$/.exec(command);
  if (!m) return null;
  const [, ordinal, n] = m;
  if (/^\d+$/.test(n!)) return Number(n);
  // A bare 「三」 or 「两个」 is not a pick; 「第三个」 and 「看看三」 are.
  if (!ordinal && !/^(?:看|选)/.test(command)) return null;
  return chineseNumber(n!);
}

/** 一 … 九十九 (两 = 2); null for anything else. */
function chineseNumber(s: string): number | null {
  const digit = (c: string | undefined) => (c === '两' ? 2 : c === undefined ? -1 : DIGITS.indexOf(c));
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 && digit(s) > 0 ? digit(s) : null;
  const tens = ten === 0 ? 1 : digit(s[0]);
  const ones = ten === s.length - 1 ? 0 : digit(s[ten + 1]);
  if (tens <= 0 || ones < 0 || s.length > ten + 2 || ten > 1) return null;
  return tens * 10 + ones;
}

/** Words left over in a city-only follow-up (「换成北京」, 「那深圳呢」): they change nothing. */
const FOLLOW_UP_WORDS = new Set(['换成', '换', '改成', '改', '那', '呢', '的呢', '那么', '看看', '要', '去']);

/** Which deal order a message asks for: 最便宜 / 便宜点 → cheapest, 最贵 → dearest, 附近 → nearest. */
function dealSort(u: Understanding): DealSort | null {
  const s = u.slots.sort;
  if (s === 'price_asc' || s === 'price_desc' || s === 'distance') return s;
  return u.slots.relativePrice === 'cheaper' ? 'price_asc' : null;
}

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
    const n = pickedNumber(ctx.command);
    if (n === null || n === 0) return next();
    const { shown } = loadState(deps, ctx);
    if (!shown) {
      ctx.answer(text('先告诉我想找什么，再回复序号看详情～比如「女装」「上海酒店」。'), 'pick_nothing');
      return;
    }
    const id = shown.ids[n - 1];
    if (!id) {
      const count = shown.ids.length;
      const range = count === 1 ? '回复 1 看详情' : `回复 1–${count} 看详情`;
      const more = hasMore(ctx, shown) ? '，回复「更多」看下一页' : '';
      ctx.answer(text(`刚才列出了 ${count} 个，${range}${more}。`), 'pick_out_of_range');
      return;
    }
    const { account } = ctx.inbound;
    const links = deps.links(account);
    ctx.note({ intent: shown.kind === 'products' ? 'product' : shown.kind === 'hotels' ? 'hotel' : 'deal', resultIds: [id] });
    if (shown.kind === 'products') {
      const p = deps.search.product(account, id);
      if (p && isInStock(p)) return ctx.answer(productCard(p, links.product(id)), 'pick');
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
    const stars = starWish(u.normalized);
    // Nothing understood and nothing that could refine a list: pass on without reading the session.
    if (u.intent === 'none' && !isRefinement(u, true)) return next();
    const state = loadState(deps, ctx);
    const shown = state.shown;
    // 「平价」「豪华」 are star levels only about hotels; 「五星级」「4星」 always are.
    if (stars && (stars.label.includes('星') || u.slots.hotel || shown?.kind === 'hotels') && isAboutStars(u, stars.label)) {
      // 「五星级的」 narrows a hotel list; 「北京五星级」 or 「五星级」 alone asks for hotels.
      ctx.note({ intent: 'hotel' });
      if (shown?.kind === 'hotels' && u.slots.city === null && u.slots.place === null) {
        return answerHotels(deps, ctx, state, { ...hotelSearchOf(shown), stars });
      }
      return hotels(ctx, state, u);
    }
    if (shown && isRefinement(u, shown.kind === 'products')) {
      await refineShown(ctx, state, u);
      return;
    }
    if (!shown && state.hotelWish && (isCityOnly(u) || (u.slots.place !== null && u.intent !== 'product'))) {
      // The answer to 「想住哪儿？」 after 「酒店」: hotels there, with the wishes asked with it.
      ctx.note({ intent: 'hotel' });
      const { hotelWish } = state;
      const where = u.slots.place
        ? { near: { lat: u.slots.place.lat, lng: u.slots.place.lng }, label: u.slots.place.name }
        : { city: u.slots.city! };
      return answerHotels(deps, ctx, { ...state, hotelWish: undefined }, { where, ...hotelWish });
    }
    if (!shown && state.dealWords?.length && isCityOnly(u)) {
      // The answer to 「which city?」 after 「海底捞」.
      ctx.note({ intent: 'deal' });
      return answerDeals(deps, ctx, { city: u.slots.city!, category: null, keywords: state.dealWords });
    }
    if (shown && isCityOnly(u)) return otherCity(ctx, state, shown, u);
    switch (u.intent) {
      case 'product':
        if (await dealsByName(ctx, state, u)) return;
        return answerProducts(deps, ctx, state, freshQuery(u));
      case 'hotel':
        return hotels(ctx, state, u);
      case 'deal':
        return deals(ctx, state, u);
      case 'none':
        return next();
    }
  };

  /** Is the message about a hotel star level (「五星级的」, 「北京五星级」, 「上海 5星级酒店」), not products or deals? */
  function isAboutStars(u: Understanding, label: string): boolean {
    const s = u.slots;
    return (
      !s.deal && s.dealCategory === null && s.categories.length === 0 && s.brands.length === 0 &&
      s.keywords.every((k) => label.includes(k) || k.includes(label) || FOLLOW_UP_WORDS.has(k))
    );
  }

  /** 北京的呢 / 那深圳呢 / 换成北京: a city and nothing else that says what to look for. */
  function isCityOnly(u: Understanding): boolean {
    const s = u.slots;
    return (
      s.city !== null && s.place === null && !s.hotel && !s.deal && s.dealCategory === null && s.categories.length === 0 && s.brands.length === 0 &&
      s.keywords.every((k) => FOLLOW_UP_WORDS.has(k))
    );
  }

  /** The same kind of list as last time, in another city; after products, that city's deals. */
  async function otherCity(ctx: TurnContext, state: ConversationState, shown: Shown, u: Understanding): Promise<void> {
    const city = u.slots.city!;
    const prices = (last: { minPriceFen?: number | null; maxPriceFen?: number | null }) =>
      u.slots.price ? { minPriceFen: u.slots.price.minFen, maxPriceFen: u.slots.price.maxFen } : { minPriceFen: last.minPriceFen ?? null, maxPriceFen: last.maxPriceFen ?? null };
    if (shown.kind === 'hotels') {
      ctx.note({ intent: 'hotel' });
      const sort = hotelSort(u) ?? shown.sort;
      return answerHotels(deps, ctx, state, { ...hotelSearchOf(shown), where: { city }, ...prices(shown), ...(sort ? { sort } : {}) });
    }
    if (shown.kind === 'deals') {
      const sort = dealSort(u) ?? (shown.sort === 'distance' ? 'discount' : shown.sort ?? 'discount');
      return answerDeals(deps, ctx, { city, category: shown.category, keywords: shown.keywords ?? [], ...prices(shown), sort });
    }
    // Products are the same everywhere: a bare city after them means that city's deals.
    ctx.note({ intent: 'deal' });
    return answerDeals(deps, ctx, { city, category: null, keywords: [], ...prices({}), sort: dealSort(u) ?? 'discount' });
  }

  /**
   * 「海底捞」 alone: no product has the name, but deals do — in the remembered city, or, with no city
   * known, in the cities the follower is asked to choose from.
   */
  async function dealsByName(ctx: TurnContext, state: ConversationState, u: Understanding): Promise<boolean> {
    const s = u.slots;
    if (!s.keywords.length || s.categories.length || s.brands.length || s.audience) return false;
    if (deps.search.products(ctx.inbound.account, toIndexQuery(freshQuery(u), new Set(), 1)).total > 0) return false;
    const city = state.city ?? cityOf(ctx, lastLocation(ctx));
    if (!city) {
      const cities = citiesWithDeals(deps, ctx, s.keywords);
      if (!cities.length) return false;
      const word = s.keywords.join(' ');
      ctx.note({ intent: 'deal' });
      ctx.answer(text(`「${word}」的团购在${cities.slice(0, 6).join('、')}有，想看哪个城市的？回复城市名就行，比如「${cities[0]}」。`), 'ask_city');
      await saveState(deps, ctx, { shown: null, city: null, dealWords: s.keywords });
      return true;
    }
    return answerNamedDeals(deps, ctx, { city, category: null, keywords: s.keywords });
  }

  async function deals(ctx: TurnContext, state: ConversationState, u: Understanding): Promise<void> {
    const s = u.slots;
    const sort = dealSort(u) ?? 'discount';
    // The subscriber record is read once, and only when the location could matter.
    const known = sort === 'distance' || (!s.city && !state.city) ? lastLocation(ctx) : null;
    const here = sort === 'distance' ? fresh(ctx, known) : null;
    const city = s.city ?? (here ? deps.search.cityNear(ctx.inbound.account, here) : null) ?? state.city ?? cityOf(ctx, known);
    if (!city) return ctx.answer(text(sort === 'distance' ? ASK_NEAR : ASK_CITY), 'ask_city');
    const nearHere = here && !s.city ? { near: here } : {};
    return answerDeals(deps, ctx, {
      city,
      category: s.dealCategory,
      keywords: [...s.keywords, ...narrowDealWords(u.normalized, s.keywords)],
      minPriceFen: s.price?.minFen ?? null,
      maxPriceFen: s.price?.maxFen ?? null,
      sort: sort === 'distance' && !('near' in nearHere) ? 'discount' : sort,
      ...nearHere,
    });
  }

  async function hotels(ctx: TurnContext, state: ConversationState, u: Understanding): Promise<void> {
    const prices = { minPriceFen: u.slots.price?.minFen ?? null, maxPriceFen: u.slots.price?.maxFen ?? null };
    const sort = hotelSort(u);
    const stars = starWish(u.normalized);
    const wishes = { ...prices, ...(stars ? { stars } : {}) };
    const place = u.slots.place;
    if (place) return answerHotels(deps, ctx, state, { where: { near: { lat: place.lat, lng: place.lng }, label: place.name }, ...wishes });
    const inCity = (city: string) => answerHotels(deps, ctx, state, { where: { city }, ...wishes, ...(sort ? { sort } : {}) });
    if (u.slots.city) return inCity(u.slots.city);
    // A recent location is where the follower is, even right after a city's deals.
    const last = freshLocation(ctx);
    if (last) return answerHotels(deps, ctx, state, { where: { near: last, label: '' }, ...wishes });
    // Otherwise, right after a city's deals, 「酒店」 means that city's hotels (as does the last city asked about).
    if (state.city) return inCity(state.city);
    ctx.answer(text(ASK_WHERE), 'ask_location');
    // The reply names a city or a place: remember what it is for (and the wishes said with it).
    await saveState(deps, ctx, { shown: null, city: null, hotelWish: wishes });
  }

  /** 便宜点 / 要红色的 / 300以内的 / 最便宜的: the last list, adjusted. */
  async function refineShown(ctx: TurnContext, state: ConversationState, u: Understanding): Promise<void> {
    const shown = state.shown!;
    ctx.note({ intent: shown.kind === 'products' ? 'product' : shown.kind === 'hotels' ? 'hotel' : 'deal' });
    if (shown.kind === 'products') {
      const q = refine(shown.query, u, lastPagePrices(deps, ctx, shown.ids));
      return answerProducts(deps, ctx, state, q);
    }
    const { account } = ctx.inbound;
    if (shown.kind === 'hotels') {
      const prices = shown.ids.map((id) => deps.search.hotel(account, id)?.priceFen).filter((p): p is number => typeof p === 'number');
      const sort = hotelSort(u) ?? shown.sort;
      return answerHotels(deps, ctx, state, { ...hotelSearchOf(shown), ...adjustedPrices(shown, u.slots, prices), ...(sort ? { sort } : {}) });
    }
    const prices = shown.ids.map((id) => deps.search.deal(account, id)?.priceFen).filter((p): p is number => typeof p === 'number');
    const last = { minPriceFen: shown.minPriceFen ?? null, maxPriceFen: shown.maxPriceFen ?? null };
    const { ids: _ids, kind: _kind, ...search } = shown;
    return answerDeals(deps, ctx, {
      ...search,
      category: u.slots.dealCategory ?? shown.category,
      keywords: shown.keywords ?? [],
      ...adjustedPrices(last, u.slots, prices),
      sort: dealSort(u) ?? shown.sort ?? 'discount',
    });
  }

  /** A hotel list's search without the ids shown. */
  function hotelSearchOf(shown: Extract<Shown, { kind: 'hotels' }>) {
    const { ids: _ids, kind: _kind, ...search } = shown;
    return search;
  }

  function hasMore(ctx: TurnContext, shown: Shown): boolean {
    if (shown.kind === 'hotels') return hasMoreHotels(deps, ctx, shown);
    if (shown.kind === 'deals') return hasMoreDeals(deps, ctx, shown);
    return deps.search.products(ctx.inbound.account, toIndexQuery(shown.query, new Set(shown.ids), 1)).total > 0;
  }

  function hotelSort(u: Understanding): 'rating' | 'price_asc' | 'price_desc' | null {
    const s = u.slots.sort;
    if (s === 'price_asc' || s === 'price_desc' || s === 'rating') return s;
    return u.slots.relativePrice === 'cheaper' ? 'price_asc' : null;
  }

  /** The follower's last location (one read of the subscriber record). */
  function lastLocation(ctx: TurnContext): { lat: number; lng: number; at: number } | null {
    return ctx.subscribers.get(ctx.inbound.account, ctx.inbound.user)?.lastLocation ?? null;
  }

  /** `last`, if recent enough to count as where the follower is. */
  function fresh(ctx: TurnContext, last: { lat: number; lng: number; at: number } | null): { lat: number; lng: number } | null {
    return last && ctx.now - last.at <= LOCATION_FRESH_MS ? { lat: last.lat, lng: last.lng } : null;
  }

  /** The follower's last location, if recent enough to count as where they are. */
  function freshLocation(ctx: TurnContext): { lat: number; lng: number } | null {
    return fresh(ctx, lastLocation(ctx));
  }

  /** The city of a location, or null. */
  function cityOf(ctx: TurnContext, location: { lat: number; lng: number } | null): string | null {
    return location ? deps.search.cityNear(ctx.inbound.account, location) : null;
  }

  return [more, pick, location, understood];
}
