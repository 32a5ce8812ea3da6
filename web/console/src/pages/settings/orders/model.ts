/** What 设置 › 订单 reads and writes: /api/order-settings, /api/notice-recipients, /api/referrers, /api/notices. */

/** GET/PATCH /api/order-settings (amounts in fen; an answer null: the default). */
export interface OrderSettings {
  how_to_order_text: string | null;
  cod_text: string | null;
  shipping_time_text: string | null;
  shipping_fee_text: string | null;
  returns_text: string | null;
  shipping_fen: number;
  free_shipping_over_fen: number | null;
  max_pending_per_hour: number;
  template_id: string | null;
  template_fields: Record<string, string> | null;
  webhook_url: string | null;
  webhook_secret_set: boolean;
  default_answers: Record<string, string>;
}

/** The service questions, in the order a merchant thinks of them. */
export const TOPICS = [
  { key: 'how_to_order', label: '怎么下单' },
  { key: 'cod', label: '能货到付款吗' },
  { key: 'shipping_time', label: '多久发货' },
  { key: 'shipping_fee', label: '包邮吗 / 运费' },
  { key: 'returns', label: '退货怎么办' },
] as const;

/** What fills a template field (the API's TEMPLATE_SOURCES). */
export const SOURCES = [
  { value: 'order_no', label: '订单号' },
  { value: 'items', label: '商品' },
  { value: 'total', label: '金额' },
  { value: 'receiver', label: '收货人' },
  { value: 'phone', label: '电话' },
  { value: 'address', label: '地址' },
  { value: 'store', label: '门店' },
  { value: 'referrer', label: '推荐人' },
  { value: 'time', label: '下单时间' },
  { value: 'status', label: '状态' },
  { value: 'remark', label: '备注' },
];

export interface Store {
  id: string;
  name: string;
}

/** Fen as yuan for an InputNumber (199 → 1.99). */
export const yuanOf = (fen: number | null): number | null => (fen === null ? null : fen / 100);
/** Yuan typed as whole fen (the API checks the range); empty stays null. */
export const fenOf = (yuan: number | null | undefined): number | null => (yuan === null || yuan === undefined ? null : Math.round(yuan * 100));
