/** An order as the API answers it (order-json.ts), the list's filters as its query string, and how money and moves read on screen. */

export type OrderStatus = 'placed' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled';
type OrderMove = 'confirm' | 'ship' | 'deliver' | 'cancel';

export interface OrderItem {
  readonly sku: string;
  readonly title: string;
  readonly variant: string | null;
  readonly unit_fen: number;
  readonly quantity: number;
}

export interface Order {
  readonly id: number;
  readonly status: OrderStatus;
  readonly status_zh: string;
  readonly actions: readonly OrderMove[];
  readonly channel: 'wechat' | 'wechaty';
  readonly source: 'chat' | 'page';
  readonly payment: { readonly method: 'cod'; readonly status: 'unpaid' | 'paid' | 'refunded' };
  readonly receiver: string;
  readonly phone: string;
  readonly address: string;
  readonly remark: string | null;
  readonly items: readonly OrderItem[];
  readonly items_fen: number;
  readonly shipping_fen: number;
  readonly total_fen: number;
  readonly store: { readonly id: string; readonly name: string | null } | null;
  readonly referrer: { readonly code: string; readonly name: string | null } | null;
  readonly query: string | null;
  readonly shipment: { readonly carrier: string; readonly tracking_no: string } | null;
  readonly cancel_reason: string | null;
  readonly created_at: string;
  readonly confirmed_at: string | null;
  readonly shipped_at: string | null;
  readonly delivered_at: string | null;
  readonly cancelled_at: string | null;
}

interface OrderEvent {
  readonly at: string;
  readonly who: string;
  readonly action: string;
  readonly detail: string | null;
}

export interface OrderDetail extends Order {
  readonly history: readonly OrderEvent[];
}

export interface OrderPage {
  readonly items: Order[];
  readonly next_cursor: string | null;
  readonly total: number;
  readonly counts: Readonly<Record<OrderStatus, number>>;
}

export const STATUSES: readonly { readonly key: OrderStatus; readonly label: string; readonly color: string }[] = [
  { key: 'placed', label: '待确认', color: 'orange' },
  { key: 'confirmed', label: '已确认', color: 'blue' },
  { key: 'shipped', label: '已发货', color: 'cyan' },
  { key: 'delivered', label: '已送达', color: 'green' },
  { key: 'cancelled', label: '已取消', color: 'default' },
];

export const statusColor = (s: OrderStatus): string => STATUSES.find((x) => x.key === s)?.color ?? 'default';

/** 19900 → ¥199.00 */
export const yuan = (fen: number): string => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** 「法式连衣裙 M ×2」 */
export const itemLine = (i: OrderItem): string => `${i.title}${i.variant ? ` ${i.variant}` : ''} ×${i.quantity}`;

export const SOURCE_ZH: Readonly<Record<Order['source'], string>> = { chat: '对话下单', page: '页面下单' };
export const PAYMENT_ZH: Readonly<Record<Order['payment']['status'], string>> = { unpaid: '未付款', paid: '已付款', refunded: '已退款' };

/** What an event in the history says: 下单, 确认, 发货, … */
export const ACTION_ZH: Readonly<Record<string, string>> = { placed: '下单', confirm: '确认订单', ship: '发货', deliver: '标记送达', cancel: '取消订单', note: '备注' };

/** Who did it: 顾客, a staff username, 脚本 (the token), the command line, 系统. */
export const whoLabel = (who: string): string =>
  who === 'follower' ? '顾客' : who === 'token' ? '接口脚本' : who === 'system' ? '系统' : who.startsWith('cli:') ? `命令行（${who.slice(4)}）` : who;

export interface Filters {
  readonly status: OrderStatus | 'all';
  readonly store: string;
  readonly source: 'all' | 'chat' | 'page';
  /** A referrer's code (团长 or staff), '' for any. */
  readonly referrer: string;
  readonly from: string;
  readonly to: string;
  readonly q: string;
}

export const NO_FILTERS: Filters = { status: 'all', store: '', source: 'all', referrer: '', from: '', to: '', q: '' };

/** The filters as the API's query (the list's and the export's): only those set. */
export function filterQuery(f: Filters, withStatus = true): URLSearchParams {
  const p = new URLSearchParams();
  if (withStatus && f.status !== 'all') p.set('status', f.status);
  if (f.store) p.set('store', f.store);
  if (f.source !== 'all') p.set('source', f.source);
  if (f.referrer) p.set('referrer', f.referrer);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q.trim()) p.set('q', f.q.trim());
  return p;
}
