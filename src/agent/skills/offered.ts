/** What kinds of thing an account's catalogue offers besides products, as its texts and skills must respect. */
import type { TurnContext } from '../context.ts';

/**
 * Does the account's catalogue have hotels (live deals)? A shop without them never asks where or which city.
 * The offer is derived from the catalogue (search/offer.ts); a persona without one is the demo's, which has both.
 * @example if (!offers(ctx, 'hotels')) return next();
 */
export function offers(ctx: Pick<TurnContext, 'persona'>, kind: 'hotels' | 'deals'): boolean {
  const offer = ctx.persona.offer;
  return offer === undefined || (kind === 'hotels' ? offer.hotelCity : offer.dealCity) !== null;
}
