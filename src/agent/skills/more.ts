/** 「更多」: the next page of the last list, whatever it was (products, hotels, deals). */
import { text } from '../../core/messages.ts';
import { texts } from '../texts.ts';
import type { TurnContext } from '../context.ts';
import type { Step } from '../pipeline.ts';
import type { Shown } from './conversation.ts';
import { hasMoreDeals, moreDeals } from './deals.ts';
import { hasMoreHotels, moreHotels } from './hotels.ts';
import { moreProducts, toIndexQuery } from './products.ts';

const MORE = new Set([
  '更多', '下一页', '下页', '还有吗', '还有呢', '还有', '再来点', '再来', '再来几个', '再来一些', '再来些', '再多来几个', '还有别的吗',
  '换一批', '继续', 'more', 'next', 'n', '多点',
]);

export const more: Step = (ctx, next) => {
  if (!MORE.has(ctx.command)) return next();
  const { shown } = ctx.session;
  if (!shown) {
    ctx.answer(text(texts.nothingMore(ctx.persona)), 'more_nothing');
    return;
  }
  if (shown.kind === 'products') moreProducts(ctx, shown);
  else if (shown.kind === 'hotels') moreHotels(ctx, shown);
  else moreDeals(ctx, shown);
};

/** Is there a page after the last list? */
export function hasMore(ctx: TurnContext, shown: Shown): boolean {
  if (shown.kind === 'hotels') return hasMoreHotels(ctx, shown);
  if (shown.kind === 'deals') return hasMoreDeals(ctx, shown);
  return ctx.search.products(ctx.inbound.account, toIndexQuery(shown.query, new Set(shown.ids), 1)).total > 0;
}
