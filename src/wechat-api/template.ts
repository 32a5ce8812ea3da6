/**
 * Template messages (模板消息): the request body and the platform's field rules. Since 2023-05-04 the platform
 * shows at most 20 characters per field and no line breaks (longer values are cut where it likes), so values
 * are made to fit here, where we choose the cut: line breaks become spaces, and a long value ends in 「…」.
 * Pure: the client (client.ts) sends what `templatePayload` builds.
 */
import { WechatValidationError } from './errors.ts';

/** The most characters the platform shows of one field. */
const TEMPLATE_FIELD_MAX = 20;

/** The template's field keys: letters, digits and underscores (thing1, amount2, character_string3). */
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

export interface TemplateMessage {
  readonly openid: string;
  /** The merchant's template (模板ID), from 模板消息 → 我的模板. */
  readonly templateId: string;
  /** The template's field keys to their values (fitted to the field rules by `fitTemplateValue`). */
  readonly data: Readonly<Record<string, string>>;
  /** Where tapping the message leads (optional). */
  readonly url?: string;
  /** The platform deduplicates sends with the same id for 10 minutes: the same for every attempt of one message. */
  readonly clientMsgId?: string;
}

/**
 * A value as the platform shows it: one line, at most 20 characters (code points), a long one cut with 「…」.
 * @example fitTemplateValue('上海市静安区愚园路1号\n3楼前台（请电话联系）') // '上海市静安区愚园路1号 3楼前台（请电话…'
 */
export function fitTemplateValue(value: string, max = TEMPLATE_FIELD_MAX): string {
  const oneLine = value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replace(/[\p{Cc}]/gu, '').trim();
  const chars = [...oneLine];
  return chars.length <= max ? oneLine : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** The body of `POST /cgi-bin/message/template/send`, with every value fitted. */
export function templatePayload(message: TemplateMessage): Record<string, unknown> {
  const { openid, templateId, data } = message;
  if (typeof openid !== 'string' || openid.trim() === '') throw new WechatValidationError('openid', 'expected a follower\'s openid (a non-empty string)');
  if (typeof templateId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(templateId)) {
    throw new WechatValidationError('templateId', 'expected the template\'s id from 模板消息 → 我的模板 (letters, digits, - and _)');
  }
  const keys = Object.keys(data);
  if (keys.length === 0) throw new WechatValidationError('data', 'expected at least one template field, e.g. { thing1: \'…\' }');
  const bad = keys.find((k) => !FIELD_KEY.test(k));
  if (bad !== undefined) throw new WechatValidationError('data', `"${bad}" is not a template field key (such as thing1 or amount2)`);
  if (message.clientMsgId !== undefined && (message.clientMsgId.length < 1 || message.clientMsgId.length > 64)) {
    throw new WechatValidationError('clientMsgId', 'expected 1–64 characters, the same for every attempt of one message');
  }
  if (message.url !== undefined && !/^https?:\/\//.test(message.url)) throw new WechatValidationError('url', 'expected an http(s) URL');
  return {
    touser: openid,
    template_id: templateId,
    ...(message.url !== undefined ? { url: message.url } : {}),
    ...(message.clientMsgId !== undefined ? { client_msg_id: message.clientMsgId } : {}),
    data: Object.fromEntries(keys.map((k) => [k, { value: fitTemplateValue(data[k] ?? '') }])),
  };
}
