/** What the checkout says in the conversation: its questions, the summary, the outcome. Pure. */
import type { CheckoutDraft } from '../../agent/skills/conversation.ts';
import { link, plain, shortTitle, yuan } from '../../agent/format.ts';
import { maskPhone } from '../contact.ts';
import { PAYMENT_METHODS, STATUS_ZH, type Order } from '../model.ts';
import type { ContactField } from './contact-text.ts';

const FIELD_ZH: Readonly<Record<ContactField, string>> = { receiver: '收货人', phone: '手机号', address: '收货地址' };
const EXAMPLE = '张三 13800138000 上海市浦东新区世纪大道100号';

/** The contact fields the draft still lacks, in the order they are asked for. */
export function missingContact(d: Pick<CheckoutDraft, ContactField>): ContactField[] {
  return (['receiver', 'phone', 'address'] as const).filter((f) => d[f] === null);
}

export const itemName = (title: string, variant: string | null): string => `「${shortTitle(plain(title))}」${variant ? ` ${plain(variant)}` : ''}`;

export const askItem = (label: string, count: number): string =>
  `要下单「${plain(label)}」里的哪一个？回复序号就行，比如「${Math.min(2, count)}」（1–${count}）。`;

export const askVariant = (title: string, variants: readonly string[]): string =>
  `${itemName(title, null)}有 ${variants.map(plain).join(' / ')}，要哪个？回复规格就行，比如「${plain(variants[0]!)}」。`;

export const badVariant = (word: string, variants: readonly string[]): string =>
  `没有「${plain(word)}」这个规格😅 可选：${variants.map(plain).join(' / ')}。`;

/** The question for the contact fields still missing: all three with an example, else just the ones left. */
export function askContact(missing: readonly ContactField[], lead = ''): string {
  if (missing.length === 3) return `${lead}请发我收货人、手机号和收货地址，一条发完也行，例如：\n${EXAMPLE}`;
  return `${lead}还差${missing.map((f) => FIELD_ZH[f]).join('和')}，发给我就好～`;
}

export interface SummaryLine {
  readonly title: string;
  readonly variant: string | null;
  readonly unitFen: number;
  readonly quantity: number;
}

/**
 * The summary before 确认: item, money, contact, how to confirm or change.
 * @example summary({ line, shippingFen: 0, contact, inGroup: false, remembered: false })
 */
export function summary(s: {
  line: SummaryLine; shippingFen: number; contact: { receiver: string; phone: string; address: string }; inGroup: boolean; remembered: boolean;
}): string {
  const { line, contact } = s;
  const itemsFen = line.unitFen * line.quantity;
  const money = s.shippingFen === 0 ? `${yuan(itemsFen)}（包邮）` : `${yuan(itemsFen)} + 运费 ${yuan(s.shippingFen)} = ${yuan(itemsFen + s.shippingFen)}`;
  return [
    '请核对订单：',
    `${itemName(line.title, line.variant)} ${yuan(line.unitFen)} × ${line.quantity}`,
    `合计：${money}，${PAYMENT_METHODS.cod.name}`,
    `收货人：${plain(contact.receiver)} ${s.inGroup ? maskPhone(contact.phone) : contact.phone}`,
    `地址：${plain(contact.address)}`,
    s.remembered ? '（收货信息沿用上次的，要改请回复「改地址」「改电话」或「改收货人」）' : '',
    '回复「确认」下单，回复「取消」放弃。',
  ].filter(Boolean).join('\n');
}

export function placed(order: Order, orderUrl: string): string {
  const items = order.items.map((i) => `${itemName(i.title, i.variant)} × ${i.quantity}`).join('、');
  return [
    `下单成功🎉 订单号 ${order.id}`,
    `${items}，合计 ${yuan(order.totalFen)}，${PAYMENT_METHODS[order.payment.method].name}。`,
    `商家确认后会尽快发货，${link(orderUrl, '查看订单')}`,
    `回复「我的订单」随时查看，「取消订单 ${order.id}」可取消。`,
  ].join('\n');
}

/** A reminder after an answer to something else, so the follower knows the order is still waiting. */
export function reminder(d: CheckoutDraft, variants: readonly string[]): string {
  switch (d.awaiting) {
    case 'item':
      return '（要下单的话回复序号，比如「买第2个」；回复「取消」放弃）';
    case 'variant':
      return `（刚才的订单还在等您选规格：${variants.map(plain).join(' / ')}；回复「取消」放弃）`;
    case 'contact':
      return `（刚才的订单还在：发${missingContact(d).map((f) => FIELD_ZH[f]).join('、')}继续，回复「取消」放弃）`;
    case 'confirm':
      return '（刚才的订单还没下：回复「确认」下单，回复「取消」放弃）';
  }
}

/** One order in a line: 订单 12 · 待确认 · 「…」 M × 2 · ¥338. */
export function orderLine(o: Order): string {
  const first = o.items[0];
  const items = first ? `${itemName(first.title, first.variant)} × ${first.quantity}${o.items.length > 1 ? ` 等 ${o.items.length} 件` : ''}` : '';
  return `订单 ${o.id} · ${STATUS_ZH[o.status]} · ${items} · ${yuan(o.totalFen)}`;
}

/** One order in full, for 「订单 12」. */
export function orderDetail(o: Order, url: string, inGroup: boolean): string {
  return [
    `订单 ${o.id}（${STATUS_ZH[o.status]}）`,
    ...o.items.map((i) => `${itemName(i.title, i.variant)} ${yuan(i.unitFen)} × ${i.quantity}`),
    `合计 ${yuan(o.totalFen)}${o.shippingFen > 0 ? `（含运费 ${yuan(o.shippingFen)}）` : ''}，${PAYMENT_METHODS[o.payment.method].name}`,
    `收货人：${plain(o.contact.receiver)} ${inGroup ? maskPhone(o.contact.phone) : o.contact.phone}`,
    o.shipment ? `快递：${plain(o.shipment.carrier)} ${plain(o.shipment.trackingNo)}` : '',
    o.status === 'cancelled' && o.cancelReason ? `取消原因：${plain(o.cancelReason)}` : '',
    link(url, '查看订单详情'),
  ].filter(Boolean).join('\n');
}
