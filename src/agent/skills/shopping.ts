/**
 * The shopping skills as pipeline steps: 「更多」 paging, a number picking an item, a location message
 * finding hotels, and any text understood as a product, hotel or deal question — which this module
 * dispatches to its dialogue move (a refinement, another city, an answer to the bot's question, a new ask).
 */
import type { Understanding } from '../../search/types.ts';
import { text } from '../../core/messages.ts';
import type { TurnContext } from '../context.ts';
import type { Step } from '../pipeline.ts';
import { texts } from '../texts.ts';
import { askDeals, dealsByName } from './ask-deals.ts';
import { askHotels, locationSent } from './ask-hotels.ts';
import { dealsForWords, hotelsForWish } from './asked-back.ts';
import { starWish } from './hotels.ts';
import { more } from './more.ts';
import { offers } from './offered.ts';
import { otherCity } from './other-city.ts';
import { pick } from './pick.ts';
import { isNewTopic, isRefinement } from './follow-up.ts';
import { answerProducts, freshQuery } from './products.ts';
import { narrowToStars, refineShown } from './refine.ts';

/** Words left over in a city-only follow-up (「换成北京」, 「那深圳呢」): they change nothing. */
const FOLLOW_UP_WORDS = new Set(['换成', '换', '改成', '改', '那', '呢', '的呢', '那么', '看看', '要', '去']);

/** A text understood as a shopping question, to the move that answers it. */
const understood: Step = async (ctx, next) => {
  const m = ctx.inbound;
  if (m.kind !== 'text' || !ctx.command) return next();
  const u = ctx.search.understand(m.text, m.account);
  ctx.note({ intent: u.intent, slots: u.slots });
  const stars = starWish(u.normalized);
  // Nothing understood and nothing that could refine a list: pass on without reading the session.
  if (u.intent === 'none' && !isRefinement(u, true)) return next();
  const state = ctx.session;
  const shown = state.shown;
  // 「平价」「豪华」 are star levels only about hotels; 「五星级」「4星」 always are.
  if (stars && offers(ctx, 'hotels') && (stars.label.includes('星') || u.slots.hotel || shown?.kind === 'hotels') && isAboutStars(u, stars.label)) {
    // 「五星级的」 narrows a hotel list; 「北京五星级」 or 「五星级」 alone asks for hotels.
    ctx.note({ intent: 'hotel' });
    if (shown?.kind === 'hotels' && u.slots.city === null && u.slots.place === null) return narrowToStars(ctx, shown, stars);
    return askHotels(ctx, u);
  }
  if (shown && isNewTopic(u)) {
    // 给宝宝买卫衣 → 送老婆的礼物: nothing of the last list carries over, not even what it left out.
    ctx.session = { ...state, shown: null };
    if (u.intent === 'none') return next();
  } else if (shown && isRefinement(u, shown.kind === 'products')) return refineShown(ctx, shown, u);
  if (!shown && state.hotelWish && (isCityOnly(u) || (u.slots.place !== null && u.intent !== 'product'))) return hotelsForWish(ctx, state.hotelWish, u);
  if (!shown && state.dealWords?.length && isCityOnly(u)) return dealsForWords(ctx, state.dealWords, u);
  if (shown && isCityOnly(u)) return otherCity(ctx, shown, u);
  switch (u.intent) {
    case 'product':
      if (await dealsByName(ctx, u)) return;
      // One tick before searching: the turns that arrived together (one group commit resumes them all)
      // understand their messages one after another, then search one after another. A phase at a time
      // keeps its code and data in the CPU's caches: about 10 % less CPU per 「女装」 than understanding
      // and searching turn by turn (measured with 32 turns in flight).
      await Promise.resolve();
      return answerProducts(ctx, freshQuery(u));
    case 'hotel':
      if (!offers(ctx, 'hotels')) return ctx.answer(text(texts.noHotels(ctx.persona)), 'hotels_none');
      return askHotels(ctx, u);
    case 'deal':
      if (!offers(ctx, 'deals')) return withoutDeals(ctx, u);
      return askDeals(ctx, u);
    case 'none':
      return next();
  }
};

/**
 * A deal question in a shop without deals: its words are looked for among the products (奶茶 → 「暂时没有「奶茶」，
 * 店里有…」), and 「团购」 alone is told there are none.
 */
function withoutDeals(ctx: TurnContext, u: Understanding): void {
  const s = u.slots;
  if (s.keywords.length === 0 && s.categories.length === 0 && s.brands.length === 0) return ctx.answer(text(texts.noDeals(ctx.persona)), 'deals_none');
  ctx.note({ intent: 'product' });
  return answerProducts(ctx, freshQuery(u));
}

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

/**
 * In the `skills` slot of STEP_ORDER, after the session step (they use `ctx.search`, `ctx.links`, `ctx.session`).
 * @example createAgent({ db, search, linksOf, skills: shoppingSkills })
 */
export const shoppingSkills: readonly Step[] = [more, pick, locationSent, understood];
