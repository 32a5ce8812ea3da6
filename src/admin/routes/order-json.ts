/** The orders API's answers: an order (with its store's and referrer's names, and what can be done next), its history, a referrer. */
import { z } from 'zod';
import { actionsFrom, ORDER_STATUSES, STATUS_ZH, type Order } from '../../orders/model.ts';
import type { OrderEvent } from '../../orders/order-store.ts';
import { isoTime } from '../http.ts';

const status = z.enum(ORDER_STATUSES);
const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const orderJson = z.strictObject({
  id: z.number().int().describe('the order number followers see (订单 1234)'),
  status,
  status_zh: z.string().describe('the status as the console shows it: 待确认, 已确认, 已发货, 已送达, 已取消'),
  actions: z.array(z.enum(['confirm', 'ship', 'deliver', 'cancel'])).describe('the moves possible now'),
  channel: z.enum(['wechat', 'wechaty']),
  source: z.enum(['chat', 'page']),
  payment: z.strictObject({ method: z.enum(['cod']), status: z.enum(['unpaid', 'paid', 'refunded']) }),
  receiver: z.string(),
  phone: z.string(),
  address: z.string(),
  remark: z.string().nullable(),
  items: z.array(z.strictObject({
    sku: z.string(),
    title: z.string().describe('the title at order time'),
    variant: z.string().nullable(),
    unit_fen: z.number().int().describe('the catalogue price at order time, in fen'),
    quantity: z.number().int(),
  })),
  items_fen: z.number().int(),
  shipping_fen: z.number().int(),
  total_fen: z.number().int(),
  store: z.strictObject({ id: z.string(), name: z.string().nullable().describe('null when the store is gone') }).nullable(),
  referrer: z.strictObject({ code: z.string(), name: z.string().nullable().describe('null when the referrer is gone') }).nullable(),
  query: z.string().nullable().describe('what the follower asked that led to the order, when known'),
  shipment: z.strictObject({ carrier: z.string(), tracking_no: z.string() }).nullable(),
  cancel_reason: z.string().nullable(),
  created_at: isoTime,
  updated_at: isoTime,
  confirmed_at: isoTime.nullable(),
  shipped_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
  cancelled_at: isoTime.nullable(),
});

export const orderEventJson = z.strictObject({
  at: isoTime,
  who: z.string().describe('follower, a staff username, token (a script), cli:NAME (the command line) or system'),
  action: z.string().describe('placed, confirm, ship, deliver, cancel or note'),
  detail: z.string().nullable().describe('placed: source:channel; ship: carrier and number; cancel: the reason; note: its text'),
});

export const orderDetailJson = orderJson.extend({ history: z.array(orderEventJson).describe('every change, oldest first') });

/** Names of stores and referrers, looked up once per answer. */
export interface Names {
  store(id: string): string | null;
  referrer(code: string): string | null;
}

export const orderToJson = (o: Order, names: Names): z.infer<typeof orderJson> => ({
  id: o.id,
  status: o.status,
  status_zh: STATUS_ZH[o.status],
  actions: actionsFrom(o.status),
  channel: o.channel,
  source: o.source,
  payment: { method: o.payment.method, status: o.payment.status },
  receiver: o.contact.receiver,
  phone: o.contact.phone,
  address: o.contact.address,
  remark: o.remark,
  items: o.items.map((i) => ({ sku: i.sku, title: i.title, variant: i.variant, unit_fen: i.unitFen, quantity: i.quantity })),
  items_fen: o.itemsFen,
  shipping_fen: o.shippingFen,
  total_fen: o.totalFen,
  store: o.storeId === null ? null : { id: o.storeId, name: names.store(o.storeId) },
  referrer: o.referrer === null ? null : { code: o.referrer, name: names.referrer(o.referrer) },
  query: o.query,
  shipment: o.shipment ? { carrier: o.shipment.carrier, tracking_no: o.shipment.trackingNo } : null,
  cancel_reason: o.cancelReason,
  created_at: new Date(o.createdAt).toISOString(),
  updated_at: new Date(o.updatedAt).toISOString(),
  confirmed_at: time(o.confirmedAt),
  shipped_at: time(o.shippedAt),
  delivered_at: time(o.deliveredAt),
  cancelled_at: time(o.cancelledAt),
});

export const eventToJson = (e: OrderEvent): z.infer<typeof orderEventJson> => ({ at: new Date(e.at).toISOString(), who: e.who, action: e.action, detail: e.detail });

export const referrerJson = z.strictObject({
  code: z.string().describe('what their links carry: ?ref=<code>'),
  name: z.string(),
  kind: z.enum(['leader', 'staff']).describe('leader: a group-buy leader (团长); staff: store staff'),
  store_id: z.string().nullable(),
  wechaty_contact: z.string().nullable().describe('told of their orders through Wechaty when set'),
  openid: z.string().nullable().describe('told of their orders through the account when set'),
  disabled: z.boolean().describe('a disabled code refers nothing'),
});

