/**
 * Template messages (`POST /cgi-bin/message/template/send`): only with a template the account has (40037), to an
 * openid that looks like one (40003) of a follower the simulator knows (43004), with the template's fields
 * (47003), within the daily quota (45009). Values longer than 20 characters are cut and line breaks dropped, as
 * the platform shows them. A repeated `client_msg_id` within 10 minutes delivers nothing and answers the first
 * msgid, as the platform deduplicates.
 */
import { deliver, shanghaiDay, type SimState } from './state.ts';
import { fail, hasPostData, isObject, isRefusal, nonEmpty, refuse, type Answer, type ApiRequest, type Refusal } from './wire.ts';

const OPENID = /^[A-Za-z0-9_-]{6,64}$/;
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SHOWN_CHARS = 20;
const DEDUP_MS = 10 * 60_000;

/** The account gets a template (模板ID and its field keys; none: any keys). */
export function addTemplate(s: SimState, templateId: string, fields: readonly string[] = []): void {
  if (!TEMPLATE_ID.test(templateId)) throw new TypeError('addTemplate: a template id is 1–64 letters, digits, - and _');
  if (!fields.every((f) => /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(f))) throw new TypeError('addTemplate: field keys look like thing1, amount2');
  s.templates.set(templateId, [...fields]);
}

/** What a follower sees of a value: one line, the first 20 characters. */
const shown = (v: string): string => [...v.replace(/[\r\n]+/g, '')].slice(0, SHOWN_CHARS).join('');

/** The `data` of a send as the follower sees it, or the refusal. */
function fieldsOf(data: unknown, keys: readonly string[]): { readonly fields: Record<string, string> } | Refusal {
  if (!isObject(data) || Object.keys(data).length === 0) return refuse(47003, 'argument invalid! data is empty');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (!isObject(v) || typeof v.value !== 'string') return refuse(47003, `argument invalid! data.${k}.value invalid`);
    if (keys.length > 0 && !keys.includes(k)) return refuse(47003, `argument invalid! data.${k} is not a field of the template`);
    out[k] = shown(v.value);
  }
  return { fields: out };
}

/** `POST /cgi-bin/message/template/send`. */
export function templateSend(s: SimState, req: ApiRequest, now: number): Answer {
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  if (!nonEmpty(body.touser) || !OPENID.test(body.touser)) return fail(40003, 'invalid openid');
  if (!nonEmpty(body.template_id) || !s.templates.has(body.template_id)) return fail(40037, 'invalid template_id');
  if (!s.followers.has(body.touser)) return fail(43004, 'require subscribe');
  const data = fieldsOf(body.data, s.templates.get(body.template_id)!);
  if (isRefusal(data)) return data.refused;
  const clientMsgId = nonEmpty(body.client_msg_id) ? body.client_msg_id : null;
  const seen = clientMsgId === null ? undefined : s.templateMsgIds.get(clientMsgId);
  if (seen && now - seen.at < DEDUP_MS) return { errcode: 0, errmsg: 'ok', msgid: seen.msgId };
  const day = shanghaiDay(now);
  const used = s.templatePerDay.get(day) ?? 0;
  if (used >= s.config.templateQuotaPerDay) return fail(45009, 'reach max api daily quota limit');
  s.templatePerDay.set(day, used + 1);
  const msgId = s.nextMsgId++;
  if (clientMsgId !== null) s.templateMsgIds.set(clientMsgId, { msgId, at: now });
  deliver(s, {
    touser: body.touser,
    msgtype: 'template',
    api: 'template',
    templateId: body.template_id,
    data: data.fields,
    msgId: String(msgId),
    ...(nonEmpty(body.url) ? { url: body.url } : {}),
  }, now);
  return { errcode: 0, errmsg: 'ok', msgid: msgId };
}
