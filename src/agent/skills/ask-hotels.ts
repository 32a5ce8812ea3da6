/** Hotel questions: a location message, or 「酒店」 with a place, a city, the follower's last location, or nothing. */
import { text } from '../../core/messages.ts';
import type { Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import type { Step } from '../pipeline.ts';
import { answerHotels, HOTEL_ORDERS, starWish } from './hotels.ts';
import { offers } from './offered.ts';
import { texts } from '../texts.ts';
import { askedOrder } from './prices.ts';
import { fresh, lastLocation } from './whereabouts.ts';

/** A location message: the hotels nearest to it (in a shop that has hotels). */
export const locationSent: Step = (ctx, next) => {
  const m = ctx.inbound;
  if (m.kind !== 'location') return next();
  // A shop without hotels has nothing near a place to show (its texts never offered it): what it can do instead.
  if (!offers(ctx, 'hotels')) return ctx.answer(text(texts.locationWithoutHotels(ctx.persona)), 'fallback');
  ctx.note({ intent: 'hotel', slots: { location: { lat: m.lat, lng: m.lng }, label: m.label } });
  answerHotels(ctx, { where: { near: { lat: m.lat, lng: m.lng }, label: m.label }, minPriceFen: null, maxPriceFen: null });
};

/** 「上海酒店」「人民广场附近的酒店」「五星级酒店」「酒店」: where the message, the follower or the conversation says. */
export async function askHotels(ctx: TurnContext, u: Understanding): Promise<void> {
  const prices = { minPriceFen: u.slots.price?.minFen ?? null, maxPriceFen: u.slots.price?.maxFen ?? null };
  const sort = askedOrder(u.slots, HOTEL_ORDERS);
  const stars = starWish(u.normalized);
  const wishes = { ...prices, ...(stars ? { stars } : {}) };
  const place = u.slots.place;
  if (place) return answerHotels(ctx, { where: { near: { lat: place.lat, lng: place.lng }, label: place.name }, ...wishes });
  const inCity = (city: string) => answerHotels(ctx, { where: { city }, ...wishes, ...(sort ? { sort } : {}) });
  if (u.slots.city) return inCity(u.slots.city);
  // A recent location is where the follower is, even right after a city's deals.
  const last = fresh(ctx, await lastLocation(ctx));
  if (last) return answerHotels(ctx, { where: { near: last, label: '' }, ...wishes });
  // Otherwise, right after a city's deals, 「酒店」 means that city's hotels (as does the last city asked about).
  const { city } = ctx.session;
  if (city) return inCity(city);
  ctx.answer(text(texts.askWhere(ctx.persona)), 'ask_location');
  // The reply names a city or a place: remember what it is for (and the wishes said with it).
  ctx.session = { shown: null, city: null, hotelWish: wishes };
}
