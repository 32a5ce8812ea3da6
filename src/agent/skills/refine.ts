/** 便宜点 / 要红色的 / 300以内的 / 最便宜的 / 五星级的: the last list again, adjusted. */
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import { intentOf, type Shown, type StarRange } from './conversation.ts';
import { answerDeals, DEAL_ORDERS } from './deals.ts';
import { answerHotels, HOTEL_ORDERS, hotelSearchOf } from './hotels.ts';
import { askedOrder, pricesAfter } from './prices.ts';
import { followUp, type Shelf, type ShownPage } from './follow-up.ts';
import { answerProducts, AUDIENCE_WORD, lastPagePrices, toIndexQuery } from './products.ts';
import { PAGE_SIZE } from '../replies.ts';

/** The last list with this message's adjustments (prices, attributes, brand, audience, order). */
export function refineShown(ctx: TurnContext, shown: Shown, u: Understanding): void {
  ctx.note({ intent: intentOf(shown) });
  if (shown.kind === 'products') {
    const next = followUp(shown.query, u, lastPage(ctx, shown.ids), shelfOf(ctx));
    return answerProducts(ctx, next.query, next.move === 'fresh' ? 'products_new' : 'products');
  }
  const { account } = ctx.inbound;
  if (shown.kind === 'hotels') {
    const prices = shown.ids.map((id) => ctx.search.hotel(account, id)?.priceFen).filter((p): p is number => typeof p === 'number');
    const sort = askedOrder(u.slots, HOTEL_ORDERS) ?? shown.sort;
    const { saidPrice: _said, ...search } = hotelSearchOf(shown);
    return answerHotels(ctx, { ...search, ...pricesAfter(shown, u.slots, prices), ...(sort ? { sort } : {}) });
  }
  const prices = shown.ids.map((id) => ctx.search.deal(account, id)?.priceFen).filter((p): p is number => typeof p === 'number');
  const last = { minPriceFen: shown.minPriceFen ?? null, maxPriceFen: shown.maxPriceFen ?? null, ...(shown.saidPrice ? { saidPrice: shown.saidPrice } : {}) };
  const { ids: _ids, kind: _kind, saidPrice: _said, ...search } = shown;
  return answerDeals(ctx, {
    ...search,
    category: u.slots.dealCategory ?? shown.category,
    keywords: shown.keywords ?? [],
    ...pricesAfter(last, u.slots, prices),
    sort: askedOrder(u.slots, DEAL_ORDERS) ?? shown.sort ?? 'discount',
  });
}

/** 「五星级的」 after a hotel list: the same list, at that star level. */
export function narrowToStars(ctx: TurnContext, shown: Extract<Shown, { kind: 'hotels' }>, stars: StarRange): void {
  answerHotels(ctx, { ...hotelSearchOf(shown), stars });
}

/** The page of `ids` last shown, with its prices. */
function lastPage(ctx: TurnContext, ids: readonly string[]): ShownPage {
  return { ids: ids.slice(-PAGE_SIZE), prices: lastPagePrices(ctx, ids) };
}


/** The catalogue as the follow-up merge asks it: through the account's search and understanding. */
function shelfOf(ctx: TurnContext): Shelf {
  const { account } = ctx.inbound;
  return {
    sells: (subject) =>
      ctx.search.products(account, toIndexQuery({ ...subject, audience: null, minPriceFen: null, maxPriceFen: null, sort: 'relevance', label: '' }, new Set(), 1)).total > 0,
    // The understander narrows a leaf to an audience's own categories (男款 羽绒服 → 男装/羽绒服).
    categoriesFor: (leaves, audience) => ctx.search.understand(`${AUDIENCE_WORD[audience]} ${leaves.join(' ')}`, account).slots.categories,
  };
}
