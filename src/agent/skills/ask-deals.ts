/** Deal questions: 「上海美食」「附近团购」「最便宜的团购」, and a merchant's name alone (「海底捞」). */
import { text } from '../../core/messages.ts';
import { texts } from '../texts.ts';
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import { answerDeals, answerNamedDeals, citiesWithDeals, DEAL_ORDERS, narrowDealWords } from './deals.ts';
import { askedOrder } from './prices.ts';
import { freshQuery, toIndexQuery } from './products.ts';
import { cityOf, fresh, lastLocation } from './whereabouts.ts';

/** 附近团购 with no location and no city to go by. */

/** The deals a message asks for: in its city, near the follower, or in the city last asked about. */
export async function askDeals(ctx: TurnContext, u: Understanding): Promise<void> {
  const s = u.slots;
  const sort = askedOrder(s, DEAL_ORDERS) ?? 'discount';
  const remembered = ctx.session.city;
  // The subscriber record is read once, and only when the location could matter.
  const known = sort === 'distance' || (!s.city && !remembered) ? await lastLocation(ctx) : null;
  const here = sort === 'distance' ? fresh(ctx, known) : null;
  const city = s.city ?? (here ? ctx.search.cityNear(ctx.inbound.account, here) : null) ?? remembered ?? cityOf(ctx, known);
  if (!city) return ctx.answer(text(sort === 'distance' ? texts.askNear(ctx.persona) : texts.askCity(ctx.persona)), 'ask_city');
  const nearHere = here && !s.city ? { near: here } : {};
  return answerDeals(ctx, {
    city,
    category: s.dealCategory,
    keywords: [...s.keywords, ...narrowDealWords(u.normalized, s.keywords)],
    minPriceFen: s.price?.minFen ?? null,
    maxPriceFen: s.price?.maxFen ?? null,
    sort: sort === 'distance' && !('near' in nearHere) ? 'discount' : sort,
    ...nearHere,
  });
}

/**
 * 「海底捞」 alone: no product has the name, but deals do — in the remembered city, or, with no city
 * known, in the cities the follower is asked to choose from. False when no deal has it either.
 */
export async function dealsByName(ctx: TurnContext, u: Understanding): Promise<boolean> {
  const s = u.slots;
  if (!s.keywords.length || s.categories.length || s.brands.length || s.audience) return false;
  if (ctx.search.products(ctx.inbound.account, toIndexQuery(freshQuery(u), new Set(), 1)).total > 0) return false;
  const city = ctx.session.city ?? cityOf(ctx, await lastLocation(ctx));
  if (!city) {
    const cities = citiesWithDeals(ctx, s.keywords);
    if (!cities.length) return false;
    const word = s.keywords.join(' ');
    ctx.note({ intent: 'deal' });
    ctx.answer(text(`「${word}」的团购在${cities.slice(0, 6).join('、')}有，想看哪个城市的？回复城市名就行，比如「${cities[0]}」。`), 'ask_city');
    // The reply names a city: remember what it is for.
    ctx.session = { shown: null, city: null, dealWords: s.keywords };
    return true;
  }
  return answerNamedDeals(ctx, { city, category: null, keywords: s.keywords });
}
