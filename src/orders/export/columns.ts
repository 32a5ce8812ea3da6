/**
 * The two tables of an export — 订单 (one row per item) and 销售汇总 — as columns: a Chinese header, a kind
 * (text, a whole number, or yuan from fen) and a width. The CSV and the XLSX writers both read these, so
 * the two files always carry the same columns.
 */
import { STATUS_ZH } from '../model.ts';
import { DIMENSION_ZH, type ExportLine, type SummaryRow } from './lines.ts';
import { beijingTime } from './period.ts';

type CellKind = 'text' | 'int' | 'yuan';

export interface Column<T> {
  readonly header: string;
  readonly kind: CellKind;
  /** In characters, for the XLSX sheet. */
  readonly width: number;
  /** Text for `text`, a whole number for `int`, fen for `yuan`. */
  readonly value: (row: T) => string | number;
}

const CHANNEL_ZH: Readonly<Record<ExportLine['channel'], string>> = { wechat: '公众号', wechaty: '微信群/个人号' };
const SOURCE_ZH: Readonly<Record<ExportLine['source'], string>> = { chat: '对话', page: '网页' };

export const ORDER_COLUMNS: readonly Column<ExportLine>[] = [
  { header: '订单号', kind: 'int', width: 9, value: (l) => l.orderId },
  { header: '下单时间', kind: 'text', width: 20, value: (l) => beijingTime(l.createdAt) },
  { header: '状态', kind: 'text', width: 8, value: (l) => STATUS_ZH[l.status] },
  { header: '收货人', kind: 'text', width: 10, value: (l) => l.receiver },
  // Text, not a number: an 11-digit number would show as 1.38E+10.
  { header: '手机号', kind: 'text', width: 14, value: (l) => l.phone },
  { header: '地址', kind: 'text', width: 36, value: (l) => l.address },
  { header: '商品', kind: 'text', width: 28, value: (l) => l.title },
  { header: '规格', kind: 'text', width: 8, value: (l) => l.variant ?? '' },
  { header: '数量', kind: 'int', width: 6, value: (l) => l.quantity },
  { header: '单价（元）', kind: 'yuan', width: 11, value: (l) => l.unitFen },
  { header: '小计（元）', kind: 'yuan', width: 11, value: (l) => l.unitFen * l.quantity },
  { header: '运费（元）', kind: 'yuan', width: 11, value: (l) => l.shippingFen },
  { header: '订单金额（元）', kind: 'yuan', width: 14, value: (l) => l.totalFen },
  { header: '门店', kind: 'text', width: 14, value: (l) => l.storeName ?? l.storeId ?? '' },
  { header: '推荐人', kind: 'text', width: 12, value: (l) => l.referrerName ?? l.referrer ?? '' },
  { header: '渠道', kind: 'text', width: 12, value: (l) => CHANNEL_ZH[l.channel] },
  { header: '来源', kind: 'text', width: 6, value: (l) => SOURCE_ZH[l.source] },
  { header: '快递公司', kind: 'text', width: 10, value: (l) => l.carrier ?? '' },
  { header: '快递单号', kind: 'text', width: 18, value: (l) => l.trackingNo ?? '' },
  { header: '备注', kind: 'text', width: 24, value: (l) => l.remark ?? '' },
];

export const SUMMARY_COLUMNS: readonly Column<SummaryRow>[] = [
  { header: '汇总方式', kind: 'text', width: 10, value: (r) => DIMENSION_ZH[r.dimension] },
  { header: '名称', kind: 'text', width: 28, value: (r) => r.name },
  { header: '编号', kind: 'text', width: 16, value: (r) => (r.dimension === 'day' ? '' : r.key) },
  { header: '订单数', kind: 'int', width: 8, value: (r) => r.orders },
  { header: '件数', kind: 'int', width: 8, value: (r) => r.items },
  { header: '销售额（元，不含运费）', kind: 'yuan', width: 20, value: (r) => r.revenueFen },
];

/** Fen as yuan with two decimals, for text: 19900 → "199.00". Integer arithmetic: no float rounding. */
export const yuanText = (fen: number): string => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
