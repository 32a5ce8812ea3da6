/**
 * Answers to the bot's own questions: a city or a place after 「想住哪儿？」 (asked for 「酒店」), a city after
 * 「想看哪个城市的？」 (asked for 「海底捞」). The session keeps what the question was for.
 */
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import type { ConversationState } from './conversation.ts';
import { answerDeals } from './deals.ts';
import { answerHotels } from './hotels.ts';

/** Hotels where the reply says, with the wishes asked with 「酒店」. */
export function hotelsForWish(ctx: TurnContext, wish: NonNullable<ConversationState['hotelWish']>, u: Understanding): void {
  ctx.note({ intent: 'hotel' });
  const where = u.slots.place
    ? { near: { lat: u.slots.place.lat, lng: u.slots.place.lng }, label: u.slots.place.name }
    : { city: u.slots.city! };
  answerHotels(ctx, { where, ...wish });
}

/** The deals named before, in the city the reply names. */
export function dealsForWords(ctx: TurnContext, words: readonly string[], u: Understanding): void {
  ctx.note({ intent: 'deal' });
  answerDeals(ctx, { city: u.slots.city!, category: null, keywords: words });
}
