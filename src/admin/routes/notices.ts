/**
 * `/api/notices`: every notice of every order — who was told, how, whether it arrived, how many attempts, and the
 * last error — so none is silently dropped; a failed one can be queued again. `/api/notice-recipients`: who is
 * told of new orders through the account (the merchant's staff, store_id null; or a store's staff). Store staff
 * see their store's only.
 */
import { z } from 'zod';
import { say } from '../../core/localised.ts';
import { NOTICE_AUDIENCES, NOTICE_STATUSES, NOTICE_VIAS, type Notice } from '../../orders/notices/model.ts';
import { createNoticeOutbox } from '../../orders/notices/outbox.ts';
import { createRecipientStore, recipientInputSchema, recipientToJson } from '../../orders/notices/recipients.ts';
import { scopedStore } from '../permissions.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, created, decodeCursor, isoTime, noBody, noContent, notFound, page, pageOf, pageQuery, route, type Route } from '../http.ts';

const noticeJson = z.strictObject({
  id: z.number().int(),
  order_id: z.number().int(),
  audience: z.enum(NOTICE_AUDIENCES).describe('staff (the merchant\'s), store (the order\'s store staff), referrer, follower, webhook'),
  via: z.enum(NOTICE_VIAS).describe('how it went (sent) or is planned to go: template, customer_service, wechaty, webhook'),
  target: z.string().describe('an openid, a Wechaty contact id, or the webhook URL'),
  event: z.string().describe('placed, confirmed, shipped, delivered, cancelled'),
  text: z.string().nullable().describe('the message as a customer-service or Wechaty message reads (null for the webhook)'),
  status: z.enum(NOTICE_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: isoTime.nullable().describe('pending: when it is tried next'),
  last_error: z.string().nullable().describe('why the last attempt failed (or, when sent, the fallback taken)'),
  created_at: isoTime,
  sent_at: isoTime.nullable(),
});

const noticeQuery = pageQuery.extend({
  status: z.enum(NOTICE_STATUSES, { error: say({ en: 'status: pending, sent or failed', zh: '状态只能是 pending、sent 或 failed' }) }).optional(),
  order: z.coerce.number({ error: say({ en: 'order: an order number', zh: '订单号应是数字' }) }).int(say({ en: 'order: an order number', zh: '订单号应是数字' })).positive(say({ en: 'order: an order number', zh: '订单号应是数字' })).optional(),
  store: z.string().optional().describe('only notices of this store\'s orders (store staff: always their own store)'),
});

const recipientJson = z.strictObject({
  id: z.number().int(),
  openid: z.string(),
  name: z.string(),
  store_id: z.string().nullable().describe('null: the merchant\'s staff, told of every order'),
  created_at: isoTime,
});

const eventOf = (n: Notice): string => (n.payload.kind === 'message' ? n.payload.event : ((JSON.parse(n.payload.body) as { event?: string }).event ?? '').replace(/^order\./, ''));

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toJson = (n: Notice) => ({
  id: n.id, order_id: n.orderId, audience: n.audience, via: n.via, target: n.target, event: eventOf(n),
  text: n.payload.kind === 'message' ? n.payload.text : null, status: n.status, attempts: n.attempts,
  next_attempt_at: n.status === 'pending' ? iso(n.nextAttemptAt) : null, last_error: n.lastError, created_at: iso(n.createdAt)!, sent_at: iso(n.sentAt),
});

const idParam = (raw: string | undefined, what: string): number => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(`${what} ${raw}`);
  return id;
};

export function noticeRoutes(deps: AdminApiOptions): Route[] {
  const sql = deps.sql;
  const outbox = createNoticeOutbox(sql);
  const recipients = createRecipientStore(sql, deps.clock);
  const tag = 'orders';
  return [
    route({
      method: 'get', path: '/notices', id: 'listNotices', tag, query: noticeQuery, response: pageOf(noticeJson),
      summary: 'Order notices, newest first, with status (pending, sent, failed), attempts and the last error; filter by status and order (store staff: their store\'s orders only)',
      handler: async ({ account, query, caller }) => {
        const rows = await outbox.list({
          account, status: query.status, orderId: query.order, storeId: scopedStore(caller, query.store),
          before: decodeCursor<number>(query.cursor, 'number'), limit: query.limit + 1,
        });
        return page(rows, query.limit, (n) => n.id, toJson);
      },
    }),
    route({
      method: 'post', path: '/notices/:id/retry', id: 'retryNotice', tag, response: noticeJson,
      summary: 'Queue a failed notice again: it is tried at once, then on the retry schedule (1 min, 5 min, 30 min, 2 h, 6 h)',
      handler: async ({ account, params, lang }) => {
        const id = idParam(params.id, 'notice');
        const n = await outbox.get(id);
        if (!n || n.account !== account) throw notFound(`notice ${params.id}`);
        if (!(await outbox.retry(account, id, deps.clock.now()))) {
          throw new ApiError(409, 'conflict', lang === 'zh' ? `通知 ${id} 不是失败状态（${n.status}），无需重试` : `notice ${id} is ${n.status}, not failed: only a failed notice is queued again`);
        }
        return toJson((await outbox.get(id))!);
      },
    }),
    route({
      method: 'get', path: '/notice-recipients', id: 'listNoticeRecipients', tag, query: z.object({ store: z.string().optional() }),
      response: z.strictObject({ items: z.array(recipientJson) }),
      summary: 'Who is told of new orders through the account: the merchant\'s staff (store_id null) and each store\'s staff (store staff: their store\'s only)',
      handler: async ({ account, query, caller }) => {
        const store = scopedStore(caller, query.store);
        return { items: (await recipients.list(account, store)).map(recipientToJson) };
      },
    }),
    route({
      method: 'post', path: '/notice-recipients', id: 'createNoticeRecipient', tag, body: recipientInputSchema, response: recipientJson, status: 201,
      summary: 'Add a person told of new orders: {openid, name, store_id} (store_id null: every order; else that store\'s). The same person for the same store again: 409',
      handler: async ({ account, body, lang }) => {
        const r = await recipients.add(account, body);
        if (!r.created) {
          const where = r.recipient.storeId === null ? (lang === 'zh' ? '总部' : 'the merchant\'s staff') : r.recipient.storeId;
          throw new ApiError(409, 'conflict', lang === 'zh' ? `${body.openid} 已是${where}的接收人（id ${r.recipient.id}）` : `${body.openid} is already a recipient for ${where} (id ${r.recipient.id})`);
        }
        return created(recipientToJson(r.recipient));
      },
    }),
    route({
      method: 'delete', path: '/notice-recipients/:id', id: 'deleteNoticeRecipient', tag, response: noBody,
      summary: 'Stop telling this person of new orders (notices already queued still go)',
      handler: async ({ account, params }) => {
        if (!await recipients.remove(account, idParam(params.id, 'notice recipient'))) throw notFound(`notice recipient ${params.id}`);
        return noContent;
      },
    }),
  ];
}
