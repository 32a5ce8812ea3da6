/** A number (「2」「第三个」「看看3」) picks an item of the last list: its card, or why there is none. */
import { isInStock, isLiveDeal } from '../../catalogue/types.ts';
import { text } from '../../core/messages.ts';
import { texts } from '../texts.ts';
import type { Step } from '../pipeline.ts';
import { dealCard, hotelCard, productCard } from '../replies.ts';
import { intentOf } from './conversation.ts';
import { hasMore } from './more.ts';

const DIGITS = '零一二三四五六七八九';

/** What people say around a pick (「嗯那个就是第二个吧」): hesitation before, a particle after. */
const SPOKEN_BEFORE = /^(?:(?:嗯+|呃+|额+|那个|那就|那|就是|就|还是|我看|我选|我觉得|应该是)[\s,，。.…]*)+/;
const HAS_NUMBER = /[\d一二三四五六七八九十两]/;
const SPOKEN_AFTER = /(?:[\s,，。.…~～!！]*(?:吧|呗|啊|呀|哈|啦|了|好了|的|那个|这个|就行|就好|吧谢谢|谢谢))+$/;

/**
 * 「１２」「2号」「第二个」「看看3」「第3家」「嗯那个就是第二个吧」 → the number picked; null when the message is not
 * a pick.
 */
export function pickedNumber(said: string): number | null {
  if (!HAS_NUMBER.test(said)) return null;
  const command = said.replace(SPOKEN_BEFORE, '').replace(SPOKEN_AFTER, '');
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
export function chineseNumber(s: string): number | null {
  const digit = (c: string | undefined) => (c === '两' ? 2 : c === undefined ? -1 : DIGITS.indexOf(c));
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 && digit(s) > 0 ? digit(s) : null;
  const tens = ten === 0 ? 1 : digit(s[0]);
  const ones = ten === s.length - 1 ? 0 : digit(s[ten + 1]);
  if (tens <= 0 || ones < 0 || s.length > ten + 2 || ten > 1) return null;
  return tens * 10 + ones;
}

export const pick: Step = (ctx, next) => {
  const n = pickedNumber(ctx.command);
  if (n === null || n === 0) return next();
  const { shown } = ctx.session;
  if (!shown) {
    ctx.answer(text(texts.nothingToPick(ctx.persona)), 'pick_nothing');
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
  const { search, links } = ctx;
  ctx.note({ intent: intentOf(shown), resultIds: [id] });
  if (shown.kind === 'products') {
    const p = search.product(account, id);
    if (p && isInStock(p)) {
      // Remembered, so that 「我要这个」 after the card orders this item (src/orders/chat/).
      if (shown.picked !== id) ctx.session = { ...ctx.session, shown: { ...shown, picked: id } };
      return ctx.answer(productCard(p, links.productFor(id, ctx.inbound.user)), 'pick');
    }
  } else if (shown.kind === 'hotels') {
    const h = search.hotel(account, id);
    const near = 'near' in shown.where ? shown.where.near : null;
    const km = h && near ? search.hotelsNear(account, near, { limit: shown.ids.length + 5 }).find((x) => x.hotel.id === id)?.km ?? null : null;
    if (h) return ctx.answer(hotelCard(h, km, links.hotel(id)), 'pick');
  } else {
    const d = search.deal(account, id);
    if (d && isLiveDeal(d, ctx.now)) {
      return ctx.answer(dealCard(d, links.deal(id)), 'pick');
    }
  }
  ctx.answer(text(`第 ${n} 个刚刚下架或售罄了😅 回复其他序号看看，或者回复「更多」。`), 'pick_gone');
};
