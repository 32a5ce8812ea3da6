/**
 * The words of the notices: the new order as staff and referrers read it, the status as the follower reads it,
 * the values a template's fields are filled with, and the webhook's JSON. Pure: an order in, text out.
 */
import { maskPhone } from '../contact.ts';
import { STATUS_ZH, type Order } from '../model.ts';
import type { TemplateSource } from '../order-settings.ts';
import type { NoticeEvent } from './model.ts';

const yuan = (fen: number): string => `¥${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)}`;

/** 「连衣裙 M ×2，T恤 ×1」 */
const itemsLine = (order: Order): string =>
  order.items.map((i) => `${i.title}${i.variant ? ` ${i.variant}` : ''} ×${i.quantity}`).join('，');

/** Beijing time, 2026-12-03 21:05. */
function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * What each template source stands for in this order (the template's fields pick from these; the client fits
 * each to 20 characters). The phone is masked for a referrer: a 团长 sees that an order came, not the number.
 */
export function templateValues(order: Order, options: { readonly maskPhone?: boolean } = {}): Record<TemplateSource, string> {
  return {
    order_no: String(order.id),
    items: itemsLine(order),
    total: yuan(order.totalFen),
    receiver: order.contact.receiver,
    phone: options.maskPhone ? maskPhone(order.contact.phone) : order.contact.phone,
    address: order.contact.address,
    store: order.storeId ?? '无',
    referrer: order.referrer ?? '无',
    time: beijingTime(order.createdAt),
    status: STATUS_ZH[order.status],
    remark: order.remark ?? '无',
  };
}

/** The new order for the people who handle it (staff: everything they need to call and ship). */
export function newOrderText(order: Order, who: 'staff' | 'referrer'): string {
  const v = templateValues(order, { maskPhone: who === 'referrer' });
  const lines = [
    who === 'staff' ? `【新订单】订单 ${order.id}` : `【您推荐的新订单】订单 ${order.id}`,
    `商品：${v.items}`,
    `金额：${v.total}（货到付款）`,
    `收货人：${v.receiver} ${v.phone}`,
    ...(who === 'staff' ? [`地址：${v.address}`] : []),
    ...(order.remark && who === 'staff' ? [`备注：${order.remark}`] : []),
    ...(order.storeId ? [`门店：${order.storeId}`] : []),
    `下单时间：${v.time}`,
  ];
  return lines.join('\n');
}

/** The staff's message when the buyer cancels an order themselves: stop before it is packed. */
export function cancelledByBuyerText(order: Order): string {
  return [
    `【订单取消】订单 ${order.id} 已被顾客取消，请勿发货`,
    `商品：${itemsLine(order)}`,
    `收货人：${order.contact.receiver} ${order.contact.phone}`,
    ...(order.cancelReason ? [`原因：${order.cancelReason}`] : []),
    ...(order.storeId ? [`门店：${order.storeId}`] : []),
  ].join('\n');
}

/** The follower's message when their order moves on: what happened, and what comes next. */
export function statusText(order: Order, event: Exclude<NoticeEvent, 'placed'>): string {
  const head = `您的订单 ${order.id}（${itemsLine(order)}）`;
  switch (event) {
    case 'confirmed':
      return `${head}已确认，我们会尽快发货。`;
    case 'shipped':
      return order.shipment
        ? `${head}已发货：${order.shipment.carrier}，快递单号 ${order.shipment.trackingNo}。货到付款 ${yuan(order.totalFen)}。`
        : `${head}已发货。`;
    case 'delivered':
      return `${head}已送达，感谢您的购买！有问题随时留言。`;
    case 'cancelled':
      return `${head}已取消${order.cancelReason ? `，原因：${order.cancelReason}` : ''}。如有疑问请留言。`;
  }
}

/** The order as the merchant's system receives it (money in fen, times in ISO 8601). */
function orderJson(order: Order) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: order.id,
    account: order.account,
    status: order.status,
    user: order.user,
    channel: order.channel,
    source: order.source,
    payment: order.payment,
    contact: order.contact,
    remark: order.remark,
    items: order.items.map((i) => ({ sku: i.sku, title: i.title, variant: i.variant, unit_fen: i.unitFen, quantity: i.quantity })),
    items_fen: order.itemsFen,
    shipping_fen: order.shippingFen,
    total_fen: order.totalFen,
    store_id: order.storeId,
    referrer: order.referrer,
    shipment: order.shipment ? { carrier: order.shipment.carrier, tracking_no: order.shipment.trackingNo } : null,
    cancel_reason: order.cancelReason,
    created_at: iso(order.createdAt),
    updated_at: iso(order.updatedAt),
  };
}

/** The webhook's body: `{event, order, at}` with event `order.placed`, `order.shipped`, …. */
export const webhookBody = (order: Order, event: NoticeEvent, at: number): string =>
  JSON.stringify({ event: `order.${event}`, order: orderJson(order), at: new Date(at).toISOString() });
