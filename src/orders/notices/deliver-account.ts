/**
 * Delivers notices through the official account: a template message (模板消息) or a customer-service message,
 * whichever may reach the person now.
 * - Staff, store staff and referrers (a new order): the template message when the order settings have one; else,
 *   or when the platform refuses the template, a customer-service message inside the 48-hour window (the person
 *   wrote to the account within 48 hours); else failed, saying why.
 * - The follower (a status change): a customer-service message inside the window; else the template when set;
 *   else failed, saying why.
 * Platform errors that will not change on a retry (a wrong template, an openid that does not follow) fail at once;
 * busy answers, quotas and network failures are retried on the schedule.
 */
import type { Clock } from '../../core/clock.ts';
import type { Sql } from '../../db/sql/sql.ts';
import { recordCustomerServiceSend } from '../../push/ledger.ts';
import type { WechatClient } from '../../wechat-api/client.ts';
import { describeWechatError, errorCode, isPermanent, WechatTimeoutError, WechatValidationError } from '../../wechat-api/errors.ts';
import type { OrderSettings } from '../order-settings.ts';
import type { DeliveryOutcome, MessagePayload, Notice } from './model.ts';

/** The customer-service window: 48 hours after the person's last message to the account. */
const WINDOW_MS = 48 * 3600_000;

export interface AccountDelivererOptions {
  /** Where the followers' last messages and the send ledger are. */
  readonly sql: Sql;
  readonly clock: Clock;
  /** The account's API client, or null when it has no API access. */
  readonly client: (account: string) => Pick<WechatClient, 'sendTemplateMessage' | 'sendCustomerMessage'> | null;
  readonly settings: (account: string) => Promise<OrderSettings>;
  /**
   * Where tapping a template message leads: the follower's order page (with their token), the console's order for
   * staff; null or absent: the message has no link (the platform shows it without 详情).
   */
  readonly linkOf?: (notice: Notice) => string | null;
}

/** A failed API call as an outcome: permanent (retrying fails the same way) or for now. */
function failure(what: string, err: unknown): { readonly retry: boolean; readonly error: string } {
  if (err instanceof WechatValidationError) return { retry: false, error: `${what}：${err.message}` };
  if (err instanceof WechatTimeoutError) return { retry: true, error: `${what}：请求超时，结果未知（将重试）` };
  const code = errorCode(err);
  if (code === null) return { retry: true, error: `${what}：${err instanceof Error ? err.message : String(err)}` };
  return { retry: !isPermanent(code), error: `${what}：${code} ${describeWechatError(code).zh}` };
}

/** The template's fields filled from the order, as the merchant mapped them. */
const templateData = (template: NonNullable<OrderSettings['template']>, payload: MessagePayload): Record<string, string> =>
  Object.fromEntries(Object.entries(template.fields).map(([key, source]) => [key, payload.values[source]]));

/** @example const deliver = accountDeliverer({ sql, clock, client: clients.forId, settings: (a) => orderSettings.get(a) }); */
export function accountDeliverer(options: AccountDelivererOptions): (notice: Notice) => Promise<DeliveryOutcome> {
  const { sql, clock } = options;
  const windowOpen = async (account: string, openid: string): Promise<boolean> => {
    const r = await sql.get<{ last_message_at: number | null; subscribed: number }>(
      'SELECT last_message_at, subscribed FROM subscribers WHERE account = ? AND user_id = ?',
      [account, openid],
    );
    return !!r && r.subscribed === 1 && r.last_message_at !== null && clock.now() - r.last_message_at < WINDOW_MS;
  };

  return async (notice) => {
    const { payload } = notice;
    if (payload.kind !== 'message') return { ok: false, retry: false, error: `这条通知不是消息（${payload.kind}），不能经公众号发送` };
    const client = options.client(notice.account);
    if (!client) return { ok: false, retry: false, error: '公众号没有接口权限（未配置 WECHAT_APPID / WECHAT_APPSECRET），无法发送模板消息或客服消息' };
    const template = (await options.settings(notice.account)).template;
    const openid = notice.target;

    const sendTemplate = async (): Promise<DeliveryOutcome> => {
      if (!template) return { ok: false, retry: false, error: '没有设置模板消息（订单设置 template_id 和 template_fields）' };
      const url = payload.url ?? options.linkOf?.(notice) ?? null;
      try {
        // The same client_msg_id on every attempt: the platform sends a retried one once.
        await client.sendTemplateMessage({ openid, templateId: template.id, data: templateData(template, payload), clientMsgId: `notice-${notice.id}`, ...(url ? { url } : {}) });
        return { ok: true, via: 'template' };
      } catch (err) {
        return { ok: false, ...failure('模板消息发送失败', err) };
      }
    };
    const sendCustomer = async (): Promise<DeliveryOutcome> => {
      if (!(await windowOpen(notice.account, openid))) return { ok: false, retry: false, error: '该用户 48 小时内没有给公众号发过消息，不能发送客服消息' };
      try {
        await client.sendCustomerMessage(openid, { type: 'text', content: payload.text });
      } catch (err) {
        // A timed-out send may have arrived: it counts against the platform's quota all the same.
        if (err instanceof WechatTimeoutError) await recordCustomerServiceSend(sql, { account: notice.account, user: openid, at: clock.now(), source: 'order_notice', outcome: 'unknown' });
        return { ok: false, ...failure('客服消息发送失败', err) };
      }
      await recordCustomerServiceSend(sql, { account: notice.account, user: openid, at: clock.now(), source: 'order_notice' });
      return { ok: true, via: 'customer_service' };
    };

    const [first, second] = notice.audience === 'follower' ? [sendCustomer, sendTemplate] : [sendTemplate, sendCustomer];
    const a = await first();
    if (a.ok || a.retry) return a;
    const b = await second();
    if (b.ok) return { ...b, note: `${a.error}；已改为${b.via === 'template' ? '模板消息' : '客服消息'}` };
    if (b.retry) return b;
    return { ok: false, retry: false, error: `${a.error}；${b.error}` };
  };
}
