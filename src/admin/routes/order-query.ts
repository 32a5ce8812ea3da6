/** The query of the order list and the export: the filters, and the period they give. */
import { z } from 'zod';
import { say } from '../../core/localised.ts';
import type { Lang } from '../../core/lang.ts';
import { orderPeriod, type OrderPeriod } from '../../orders/export/period.ts';
import { ORDER_STATUSES } from '../../orders/model.ts';
import { ApiError } from '../http.ts';

/** The filters the list and the export share. */
export const orderFilterQuery = z.object({
  status: z.enum(ORDER_STATUSES, { error: say({ en: `status: one of ${ORDER_STATUSES.join(', ')}`, zh: '状态只能是待确认、已确认、已发货、已送达或已取消' }) }).optional(),
  store: z.string().trim().min(1).max(64).optional().describe('a store id (store staff: always their own)'),
  referrer: z.string().trim().min(1).max(32).optional().describe('a referrer code'),
  from: z.string().optional().describe('a Beijing day (2026-12-01) or an ISO 8601 time; orders placed from then on'),
  to: z.string().optional().describe('a Beijing day (included) or an ISO 8601 time (excluded)'),
  phone: z.string().trim().regex(/^\d{3,11}$/, say({ en: 'phone: 3 to 11 digits (the whole number or its last digits)', zh: '手机号：填写完整号码或后几位（3 到 11 位数字）' })).optional()
    .describe('the whole mobile number or its last digits'),
  source: z.enum(['chat', 'page'], { error: say({ en: 'source: chat or page', zh: '来源只能是对话下单（chat）或页面下单（page）' }) }).optional()
    .describe('where the order was placed: chat (the conversation) or page (the mobile page)'),
  q: z.string().trim().max(30, say({ en: 'q: at most 30 characters', zh: '搜索内容最多 30 个字' })).optional()
    .describe('the search box: an order number, the last digits of the phone (3 or more), or part of the receiver\'s name'),
});
type FilterQuery = z.infer<typeof orderFilterQuery>;

/** The filters of a query as the order store takes them (`store` is the caller's scope, decided by the route). */
export const filtersOf = (q: FilterQuery) => ({ status: q.status, referrer: q.referrer, phone: q.phone, source: q.source, search: q.q || undefined });

/** The period of a query, or a 400 in the request's language. */
export function periodOf(q: FilterQuery, lang: Lang): OrderPeriod {
  const r = orderPeriod(q.from, q.to);
  if (r.ok) return r.period;
  const message = lang === 'zh' ? r.zh : r.en;
  throw new ApiError(400, 'validation', message, [{ path: r.field, message }]);
}

