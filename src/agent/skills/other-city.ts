/** 北京的呢 / 那深圳呢 / 换成北京: the same kind of list as last time, in another city. */
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import type { Shown } from './conversation.ts';
import { answerDeals, DEAL_ORDERS } from './deals.ts';
import { answerHotels, HOTEL_ORDERS, hotelSearchOf } from './hotels.ts';
import { askedOrder, type PriceBounds } from './prices.ts';

/** The last list's kind in the message's city; after products, that city's deals (products are the same everywhere). */
export function otherCity(ctx: TurnContext, shown: Shown, u: Understanding): void {
  const city = u.slots.city!;
  const prices = (last: Partial<PriceBounds>): PriceBounds =>
    u.slots.price ? { minPriceFen: u.slots.price.minFen, maxPriceFen: u.slots.price.maxFen } : { minPriceFen: last.minPriceFen ?? null, maxPriceFen: last.maxPriceFen ?? null };
  if (shown.kind === 'hotels') {
    ctx.note({ intent: 'hotel' });
    const sort = askedOrder(u.slots, HOTEL_ORDERS) ?? shown.sort;
    return answerHotels(ctx, { ...hotelSearchOf(shown), where: { city }, ...prices(shown), ...(sort ? { sort } : {}) });
  }
  if (shown.kind === 'deals') {
    const sort = askedOrder(u.slots, DEAL_ORDERS) ?? (shown.sort === 'distance' ? 'discount' : shown.sort ?? 'discount');
    return answerDeals(ctx, { city, category: shown.category, keywords: shown.keywords ?? [], ...prices(shown), sort });
  }
  ctx.note({ intent: 'deal' });
  return answerDeals(ctx, { city, category: null, keywords: [], ...prices({}), sort: askedOrder(u.slots, DEAL_ORDERS) ?? 'discount' });
}
