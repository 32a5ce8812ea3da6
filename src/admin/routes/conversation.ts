/**
 * Trying the bot from the console: `POST /api/rules/test` (a dry run of the real pipeline: which rule or skill
 * would answer, and why; nothing is saved) and `POST /api/chat` / `DELETE /api/chat` (talking to the live bot as
 * the caller's test follower, `console-<username>`, whose conversation persists like a phone's). The pipeline
 * itself lives in src/app; the server injects it (AdminApiOptions.dryRun and .chat).
 */
import { z } from 'zod';
import type { AnsweredBy } from '../../core/answered-by.ts';
import { answeringRule } from '../../core/answered-by.ts';
import type { Reply } from '../../core/messages.ts';
import type { Problem } from '../../core/problems.ts';
import { testFollowerOf } from '../../core/test-follower.ts';
import { parseTime } from '../../catalogue/import/rows.ts';
import { createRuleStore } from '../../merchant/rules/rule-store.ts';
import type { AdminApiOptions } from '../options.ts';
import type { ChatInput, TryInput } from '../conversation-types.ts';
import { ApiError, noBody, noContent, route, type Caller, type Route } from '../http.ts';

const MAX_TEXT = 2000;

const articleJson = z.strictObject({ title: z.string(), description: z.string().optional(), url: z.string(), imageUrl: z.string().optional() });
/** A reply as the console's ReplyBubble draws it: the server's `Reply` (src/core/messages.ts) as it is. */
const replyJson = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string(), transfer: z.literal(true).optional().describe('handed to the account\'s customer-service staff (transfer_customer_service); the text is what other channels get') }),
  z.strictObject({ type: z.literal('news'), articles: z.array(articleJson) }),
  z.strictObject({ type: z.literal('image'), mediaId: z.string() }),
  z.strictObject({ type: z.literal('none') }),
]);
const ruleRef = z.strictObject({ id: z.number().int(), name: z.string() }).nullable().describe('the rule that answered (null: a built-in step or a skill)');
const answeredBy = z.string().nullable().describe('who answered: rule:<id>, store:<id>, a skill (products, more, pick …) or a built-in (welcome, help, fallback …)');

const testBody = z.strictObject({
  text: z.string().optional().describe('what the follower types'),
  event: z.enum(['follow', 'scan', 'click']).optional().describe('or an event instead of a text'),
  key: z.string().optional().describe('scan: the QR scene; click: the menu key; follow: the scene it came through (optional)'),
  follower: z.string().optional().describe('the openid whose state to use (opt-out, store, conversation); default the caller\'s test follower'),
  at: z.string().optional().describe('when (ISO 8601; without a zone Beijing time), for active hours; default now'),
});
const testAnswer = z.strictObject({
  answered_by: answeredBy,
  rule: ruleRef,
  reply: replyJson,
  follow_ups: z.array(replyJson).describe('further replies, sent through the customer-service API (a rule with reply_mode all)'),
  intent: z.string().nullable(),
  candidates: z.array(z.strictObject({
    rule: z.strictObject({ id: z.number().int(), name: z.string() }),
    keyword: z.string(),
    status: z.enum(['answers', 'outranked', 'outside_hours', 'disabled']),
  })).describe('keyword rules whose keywords match the text, in the order tried'),
  explanation: z.array(z.string()).describe('why, in words (Chinese for Accept-Language: zh, else English)'),
  follower: z.string(),
  at: z.string().describe('the time the dry run used'),
});

const chatBody = z.strictObject({
  text: z.string().optional(),
  location: z.strictObject({ lat: z.number(), lng: z.number(), label: z.string().optional() }).optional().describe('a location message'),
  event: z.enum(['follow', 'click']).optional().describe('关注, or a click on a menu key'),
  key: z.string().optional().describe('click: the menu key'),
});
const chatMessage = z.strictObject({ reply: replyJson, answered_by: answeredBy, rule: ruleRef, follow_up: z.boolean().describe('sent after the passive reply, through the customer-service API') });
const chatAnswer = z.strictObject({ follower: z.string().describe('the test follower (console-<username>)'), messages: z.array(chatMessage) });

/** A refusal with one problem per field, in the language the request asked for. */
class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly chinese: boolean) {}
  add(path: string, en: string, zh: string): void {
    this.list.push({ path, message: this.chinese ? zh : en });
  }
  throwIfAny(): void {
    if (!this.list.length) return;
    const what = this.list.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new ApiError(400, 'validation', this.chinese ? `请求有误：${what}` : `body: ${what}`, this.list);
  }
}

const followerOf = (caller: Caller): string => testFollowerOf(caller.kind === 'session' ? caller.session.username : 'token');

function textOf(text: string | undefined, p: Problems): string | null {
  if (text === undefined) return null;
  if (!text.trim()) p.add('text', 'text: type something', 'text：请输入一条消息');
  else if (text.length > MAX_TEXT) p.add('text', `text: at most ${MAX_TEXT} characters`, `text：最多 ${MAX_TEXT} 个字`);
  return text;
}

/** The test box's body → the input, the follower and the time, or a 400 naming each field that is wrong. */
function testInput(body: z.infer<typeof testBody>, caller: Caller, chinese: boolean): { input: TryInput; user: string; at: number | null } {
  const p = new Problems(chinese);
  const text = textOf(body.text, p);
  let input: TryInput | null = null;
  if (text !== null && body.event) p.add('event', 'event: send a text or an event, not both', 'event：消息和事件只能选一个');
  else if (text !== null) input = { kind: 'text', text };
  else if (!body.event) p.add('text', 'text: type something (or send an event: follow, scan, click)', 'text：请输入一条消息（或选择一个事件）');
  else {
    const key = body.key?.trim() ?? '';
    if (body.event === 'follow') input = { kind: 'follow', scene: key || null };
    else if (!key) p.add('key', `key: a ${body.event === 'scan' ? 'scene' : 'menu key'} is needed for ${body.event}`, `key：请填写${body.event === 'scan' ? '二维码场景值' : '菜单 key'}`);
    else input = body.event === 'scan' ? { kind: 'scan', scene: key } : { kind: 'menu_click', key };
  }
  const follower = body.follower?.trim();
  if (follower !== undefined && (!follower || follower.length > 128)) p.add('follower', 'follower: an openid (1 to 128 characters)', 'follower：请填写粉丝的 openid（1–128 个字符）');
  let at: number | null = null;
  if (body.at !== undefined && body.at.trim()) {
    const t = parseTime(body.at, 'at');
    if (t.ok) at = t.value;
    else p.add('at', t.reason, 'at：时间格式不对，例如 2027-03-01T10:00:00+08:00');
  }
  p.throwIfAny();
  return { input: input!, user: follower || followerOf(caller), at };
}

function chatInput(body: z.infer<typeof chatBody>, chinese: boolean): ChatInput {
  const p = new Problems(chinese);
  const given = [body.text !== undefined, body.location !== undefined, body.event !== undefined].filter(Boolean).length;
  if (given !== 1) {
    p.add('text', 'text: send one of text, location or event', 'text：请发送一条消息、一个位置或一个事件（只能一个）');
    p.throwIfAny();
  }
  const text = textOf(body.text, p);
  let input: ChatInput | null = null;
  if (text !== null) input = { kind: 'text', text };
  else if (body.location) {
    const { lat, lng, label } = body.location;
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) p.add('location', 'location: lat from -90 to 90, lng from -180 to 180', 'location：纬度应在 -90 到 90 之间，经度在 -180 到 180 之间');
    else input = { kind: 'location', lat, lng, label: label?.trim() ?? '' };
  } else if (body.event === 'follow') input = { kind: 'follow', scene: null };
  else {
    const key = body.key?.trim() ?? '';
    if (!key) p.add('key', 'key: the menu key clicked', 'key：请填写菜单 key');
    else input = { kind: 'menu_click', key };
  }
  p.throwIfAny();
  return input!;
}

const unavailable = (what: string) => new ApiError(503, 'unavailable', `${what} is not available in this server`);

export function conversationRoutes(deps: AdminApiOptions): Route[] {
  const rules = createRuleStore(deps.sql, deps.clock);
  const ruleOf = async (account: string, by: AnsweredBy | null) => {
    const id = answeringRule(by);
    if (id === null) return null;
    const rule = await rules.get(account, id);
    return { id, name: rule?.name ?? `#${id}` };
  };
  return [
    route({
      method: 'post', path: '/rules/test', id: 'testRule', tag: 'rules', sandboxed: true,
      summary: 'Dry run: which rule or skill would answer a message or event, with the reply and why (nothing is saved or sent)',
      body: testBody, response: testAnswer,
      handler: async ({ account, body, caller, lang }) => {
        const chinese = lang === 'zh';
        if (!deps.dryRun) throw unavailable('the dry run');
        const { input, user, at } = testInput(body, caller, chinese);
        const r = await deps.dryRun({ account, user, input, at, chinese });
        return {
          answered_by: r.answeredBy,
          rule: await ruleOf(account, r.answeredBy),
          reply: r.reply,
          follow_ups: [...r.followUps],
          intent: r.intent,
          candidates: r.candidates.map((c) => ({ rule: { id: c.rule.id, name: c.rule.name }, keyword: c.keyword, status: c.status })),
          explanation: [...r.explanation],
          follower: user,
          at: new Date(at ?? deps.clock.now()).toISOString(),
        };
      },
    }),
    route({
      method: 'post', path: '/chat', id: 'chatAsFollower', tag: 'rules', sandboxed: true,
      summary: 'Talk to the live bot as the caller\'s test follower (console-<username>): the real pipeline, the conversation kept; left out of reports, rule hits and broadcasts',
      body: chatBody, response: chatAnswer,
      handler: async ({ account, body, caller, lang }) => {
        const chinese = lang === 'zh';
        if (!deps.chat) throw unavailable('the console chat');
        const input = chatInput(body, chinese);
        const user = followerOf(caller);
        const r = await deps.chat.say({ account, user, input });
        const rule = await ruleOf(account, r.answeredBy);
        const message = (reply: Reply, followUp: boolean) => ({ reply, answered_by: r.answeredBy, rule, follow_up: followUp });
        return { follower: user, messages: [message(r.reply, false), ...r.followUps.map((f) => message(f, true))] };
      },
    }),
    route({
      method: 'delete', path: '/chat', id: 'restartChat', tag: 'rules', sandboxed: true,
      summary: 'Start the test follower\'s conversation over (forgets what it asked and was shown)',
      response: noBody, returns: 'forgotten',
      handler: async ({ account, caller }) => {
        if (!deps.chat) throw unavailable('the console chat');
        await deps.chat.restart({ account, user: followerOf(caller) });
        return noContent;
      },
    }),
  ];
}
