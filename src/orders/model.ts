/**
 * What an order is, and which changes it allows: the states from placed to delivered or cancelled, the payment
 * methods (cash on delivery today; a new method is a new entry, orders do not change), money in integer fen.
 * Pure: no database here.
 */
import type { AccountId, Channel, UserId } from '../core/messages.ts';

export const ORDER_STATUSES = ['placed', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The status as followers and the console read it. */
export const STATUS_ZH: Readonly<Record<OrderStatus, string>> = {
  placed: '待确认',
  confirmed: '已确认',
  shipped: '已发货',
  delivered: '已送达',
  cancelled: '已取消',
};

/** Where the order was placed: in the conversation, or on the mobile page. */
export type OrderSource = 'chat' | 'page';

/**
 * How an order is paid. Cash on delivery is paid when the order is delivered; a method paid up front (WeChat
 * Pay) would be paid before the merchant confirms, and add its own id here.
 */
export interface PaymentMethod {
  readonly id: PaymentMethodId;
  /** As followers read it. */
  readonly name: string;
  /** When the money arrives: at delivery (cash on delivery), or before the order is handled. */
  readonly paidAt: 'delivery' | 'checkout';
}
export type PaymentMethodId = 'cod';
export const PAYMENT_METHODS: Readonly<Record<PaymentMethodId, PaymentMethod>> = {
  cod: { id: 'cod', name: '货到付款', paidAt: 'delivery' },
};
export type PaymentStatus = 'unpaid' | 'paid' | 'refunded';

export interface Contact {
  readonly receiver: string;
  /** Mainland mobile number, 11 digits (contact.ts checks it). */
  readonly phone: string;
  readonly address: string;
}

export interface OrderItem {
  readonly sku: string;
  /** The title at order time (the catalogue may change later). */
  readonly title: string;
  readonly variant: string | null;
  /** The catalogue's price at order time, in fen. */
  readonly unitFen: number;
  readonly quantity: number;
}

interface Shipment {
  readonly carrier: string;
  readonly trackingNo: string;
}

export interface Order {
  /** The order number followers see (订单 1234). */
  readonly id: number;
  readonly account: AccountId;
  readonly user: UserId;
  readonly channel: Channel;
  readonly source: OrderSource;
  readonly status: OrderStatus;
  readonly payment: { readonly method: PaymentMethodId; readonly status: PaymentStatus };
  readonly contact: Contact;
  readonly remark: string | null;
  readonly items: readonly OrderItem[];
  readonly itemsFen: number;
  readonly shippingFen: number;
  readonly totalFen: number;
  /** The store the follower belongs to (QR attribution), when they came through one. */
  readonly storeId: string | null;
  /** The code of whoever referred the order (a 团长 or store staff), when known. */
  readonly referrer: string | null;
  /** The follower's query that led to the order, when known (the funnel per query). */
  readonly query: string | null;
  readonly shipment: Shipment | null;
  readonly cancelReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly confirmedAt: number | null;
  readonly shippedAt: number | null;
  readonly deliveredAt: number | null;
  readonly cancelledAt: number | null;
}

/** A change the merchant (or the follower, for `cancel`) asks of an order. */
export type OrderAction =
  | { readonly kind: 'confirm' }
  | { readonly kind: 'ship'; readonly carrier: string; readonly trackingNo: string }
  | { readonly kind: 'deliver' }
  | { readonly kind: 'cancel'; readonly reason: string };
export type OrderActionKind = OrderAction['kind'];

/** Who asks for a change: a follower may only cancel their own order before it ships. */
export type Actor = { readonly kind: 'follower'; readonly user: UserId } | { readonly kind: 'staff'; readonly name: string } | { readonly kind: 'system' };

/** The `who` of an order event: `follower`, a staff username (or `token`), or `system`. */
export const actorName = (a: Actor): string => (a.kind === 'follower' ? 'follower' : a.kind === 'staff' ? a.name : 'system');

/** The status each action leads to, and the statuses it may start from (per actor kind). */
const MOVES: Readonly<Record<OrderActionKind, { readonly to: OrderStatus; readonly from: readonly OrderStatus[]; readonly followerFrom?: readonly OrderStatus[] }>> = {
  confirm: { to: 'confirmed', from: ['placed'] },
  // Shipping an order nobody confirmed confirms it: the parcel is the confirmation.
  ship: { to: 'shipped', from: ['placed', 'confirmed'] },
  deliver: { to: 'delivered', from: ['shipped'] },
  // The merchant may cancel a shipped order (refused at the door, lost); a follower only before it ships.
  cancel: { to: 'cancelled', from: ['placed', 'confirmed', 'shipped'], followerFrom: ['placed', 'confirmed'] },
};

export type Transition = { readonly ok: true; readonly to: OrderStatus } | { readonly ok: false; readonly reason: string; readonly reasonZh: string };

/**
 * Pure: where `action` takes an order in `status`, or why it cannot.
 * @example transition('placed', { kind: 'ship', carrier: '顺丰', trackingNo: 'SF1' }, staff) // { ok: true, to: 'shipped' }
 */
export function transition(status: OrderStatus, action: OrderAction, actor: Actor): Transition {
  const move = MOVES[action.kind];
  const from = actor.kind === 'follower' ? (move.followerFrom ?? []) : move.from;
  if (from.includes(status)) return { ok: true, to: move.to };
  if (actor.kind === 'follower' && action.kind === 'cancel' && (status === 'shipped' || status === 'delivered')) {
    return { ok: false, reason: `the order is ${status}: it can no longer be cancelled`, reasonZh: `订单${STATUS_ZH[status]}，不能再取消了` };
  }
  return {
    ok: false,
    reason: `cannot ${action.kind} an order that is ${status} (allowed from ${from.join(', ') || 'no status'})`,
    reasonZh: `订单${STATUS_ZH[status]}，不能${ACTION_ZH[action.kind]}`,
  };
}

/** The actions as the console and the order history read them. */
const ACTION_ZH: Readonly<Record<OrderActionKind, string>> = { confirm: '确认', ship: '发货', deliver: '标记送达', cancel: '取消' };

/** The actions possible from a status, for the merchant (for buttons and the CLI's hints). */
export const actionsFrom = (status: OrderStatus): OrderActionKind[] =>
  (Object.keys(MOVES) as OrderActionKind[]).filter((k) => MOVES[k].from.includes(status));

/** Statuses that still hold stock and count as open. */
export const isOpen = (s: OrderStatus): boolean => s === 'placed' || s === 'confirmed' || s === 'shipped';

/** Shipping for a subtotal under the merchant's rule: free from `freeOverFen` on (null: never), else `shippingFen`. */
export function shippingFor(itemsFen: number, rule: { readonly shippingFen: number; readonly freeOverFen: number | null }): number {
  if (rule.freeOverFen !== null && itemsFen >= rule.freeOverFen) return 0;
  return rule.shippingFen;
}

/** The most of one item an order may carry (a typo of 100 for 10 gets a question, not a van). */
export const MAX_QUANTITY = 99;
