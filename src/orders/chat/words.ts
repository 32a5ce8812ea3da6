/**
 * How followers ask for an order in a chat, read from the normalised command (lower case, trimmed): which item
 * (「第2个」「这个」), how many (「两件」「x3」), which variant (「M码」「红色的」) and whether they ask to buy at all
 * (「买」「下单」 on their own, 「要」「来」 only with an item or a quantity: 「要红色的」 refines a list). Pure.
 */
import { chineseNumber } from '../../agent/skills/pick.ts';

export interface OrderWords {
  /** 买 / 下单 / 购买 (enough on their own), 要 / 来 (need an item or a quantity), or none. */
  readonly verb: 'strong' | 'weak' | null;
  /** 「第2个」「3号」「买2」: the number of an item of the last list. */
  readonly which: number | null;
  /** 「这个」「这件」「它」. */
  readonly pointsAtThis: boolean;
  readonly quantity: number | null;
  /** What is left (「m码」「红色」), a variant when it looks like one; '' when nothing is left. */
  readonly rest: string;
}

const NUMBER = '(\\d{1,3}|[一二两三四五六七八九十]{1,3})';
const UNIT = '(?:件|个|份|套|条|双|盒|瓶|支|只|包|箱|台|本)';
const WHICH = new RegExp(`第${NUMBER}${UNIT}?|${NUMBER}号`);
const QUANTITY = new RegExp(`${NUMBER}${UNIT}|[x×*]\\s*(\\d{1,3})`);
const THIS = /这一?(?:个|件|款|条|双|套|只|本|台)|这个|就它|它/;
// Longest first: 「我要买」 before 「要」.
const STRONG = /下单|购买|订购|我要买|我想买|想买|要买|我买|买|拍下|拍/;
const WEAK = /我要|我想要|想要|要了|要|来|拿/;
/** Politeness and particles that carry nothing (「请」「吧」「谢谢」). */
const FILLER = /请|麻烦|帮我|给我|我想|就|那|吧|了|呀|啊|哦|呢|的|一下|谢谢|嗯|先|再|立即|马上|现在|可以|呗|滴|哈|喔/g;
const PUNCTUATION = /[\s,，。.!！~～、?？:：;；"'“”‘’()（）]+/g;

const numberOf = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : chineseNumber(s));

/**
 * @example readOrderWords('要两件l的') // { verb: 'weak', which: null, pointsAtThis: false, quantity: 2, rest: 'l' }
 */
export function readOrderWords(command: string): OrderWords {
  let s = command.replace(PUNCTUATION, '');
  let which: number | null = null;
  let quantity: number | null = null;
  const w = WHICH.exec(s);
  if (w) {
    which = numberOf(w[1] ?? w[2]!);
    s = s.slice(0, w.index) + ' ' + s.slice(w.index + w[0].length);
  }
  const q = QUANTITY.exec(s);
  if (q) {
    quantity = numberOf(q[1] ?? q[2]!);
    s = s.slice(0, q.index) + ' ' + s.slice(q.index + q[0].length);
  }
  const pointsAtThis = THIS.test(s);
  s = s.replace(THIS, ' ');
  let verb: OrderWords['verb'] = null;
  if (STRONG.test(s)) {
    verb = 'strong';
    s = s.replace(STRONG, ' ');
    // 「买2」: a bare number after 买 is an item of the list.
    const bare = /^\s*(\d{1,2})\s*$/.exec(s.replace(FILLER, ''));
    if (which === null && bare) (which = Number(bare[1])), (s = '');
  } else if (WEAK.test(s)) {
    verb = 'weak';
    s = s.replace(WEAK, ' ');
  }
  const rest = s.replace(FILLER, '').replace(/\s+/g, '');
  return { verb, which, pointsAtThis, quantity, rest };
}

/** Does `rest` look like a variant (a size, a colour) rather than a product (「连衣裙」)? */
export function looksLikeVariant(rest: string): boolean {
  return /^(?:[\p{Script=Han}]{1,3}色)?(?:xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl|均码|大码|小码|中码|\d{2,3}(?:cm)?)?(?:码|号)?$/u.test(rest) && rest !== '';
}

/** An order asked for in the conversation: which item, how many, which variant (null: not said). */
export interface OrderAsk {
  readonly which: number | 'this' | null;
  readonly quantity: number | null;
  readonly variant: string | null;
}

/**
 * Is the message a request to order (「买第2个」「我要这个」「下单」「来两件」「这个要M码」「要两件L的」)?
 * Not 「第2个」 (a pick), 「要红色的」 (a refinement), 「买连衣裙」 (a search).
 * @example orderAsk(normalizeCommand('这个要M码')) // { which: 'this', quantity: null, variant: 'm码' }
 */
export function orderAsk(command: string): OrderAsk | null {
  const w = readOrderWords(command);
  if (w.verb === null) return null;
  if (w.rest !== '' && !looksLikeVariant(w.rest)) return null;
  const aimed = w.which !== null || w.pointsAtThis || w.quantity !== null;
  // 「要」 alone or 「要红色的」 is not an order; 「我要」 with nothing else after a card is.
  if (w.verb === 'weak' && !aimed && !(w.rest === '' && /^(?:我要|我要了|要了|就要|就要了|就要它)$/.test(command))) return null;
  return { which: w.which ?? (w.pointsAtThis ? 'this' : null), quantity: w.quantity, variant: w.rest === '' ? null : w.rest };
}

/** 「取消」「不要了」「算了」「不买了」: drop the order being put together. */
export function isDrop(command: string): boolean {
  return /^(?:取消|取消下单|取消订单|不要了?|不买了?|先不买了?|算了|不用了|放弃|不下单了?|不想要了|不想买了)(?:吧|了|啦|哈|谢谢)*$/.test(command);
}

/** 「确认」「好的」「嗯」「ok」 answering the summary. */
export function isAffirm(command: string): boolean {
  return /^(?:确认|确定|确认下单|确定下单|提交|提交订单|下单|好的?|好滴|好嘞|嗯+|ok|okay|可以|行|对|对的|是的?|没问题|没错|确认无误|就这样)(?:吧|了|呀|啊|哦|啦|的)*$/.test(command);
}

/** Which contact fields 「改地址」「换个电话」「改收货信息」 asks to change; null when it asks none. */
export function editAsked(command: string): readonly ('receiver' | 'phone' | 'address')[] | null {
  const m = /^(?:我要|我想|帮我)?(?:修改|更改|改一下|改下|改|换一下|换个|换)(收货信息|信息|收货人|名字|姓名|电话|手机号码?|号码|手机|收货地址|地址)(?:吧|一下)?$/.exec(command);
  if (!m) return null;
  const what = m[1]!;
  if (/收货人|名字|姓名/.test(what)) return ['receiver'];
  if (/电话|手机|号码/.test(what)) return ['phone'];
  if (/地址/.test(what)) return ['address'];
  return ['receiver', 'phone', 'address'];
}

/** 「2」「第二个」「要第3个」 answering 「要哪一个？」: the number, or null. */
export function itemNumber(command: string): number | null {
  const w = readOrderWords(command);
  if (w.which !== null && w.rest === '') return w.which;
  const bare = /^(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个|号|件|款)?$/.exec(command.replace(PUNCTUATION, ''));
  return bare ? numberOf(bare[1]!) : null;
}
