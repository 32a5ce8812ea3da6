/**
 * One schema per input, with messages a merchant can act on. `guang import rules` and `/api/rules` both
 * validate through `parseRuleInput`, so a rule the API refuses is refused by the import with the same words.
 */
import { z } from 'zod';
import { parseWith, type Parsed } from '../../core/problems.ts';
import { normalizeCommand } from '../../core/command.ts';
import { PROTECTED_COMMANDS } from '../../agent/steps/builtins.ts';
import { ACTIVE_HOURS_TIME } from './hours.ts';
import { isHttpUrl, unsafeLinks } from '../../core/link-safety.ts';
import { LIMITS, MATCH_MODES, REPLY_MODES, RULE_EVENTS, needsKeys, type RuleInput } from './model.ts';
import { compilePattern } from './regex.ts';


const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const httpUrl = (what: string) =>
  z
    .string({ error: `${what}: a web address starting with http:// or https://` })
    .trim()
    .refine(isHttpUrl, { error: `${what}: a web address starting with http:// or https://` });

const textReply = z.strictObject({
  type: z.literal('text'),
  content: z.string({ error: 'content: the text to send' }).superRefine((s, ctx) => {
    if (s.trim() === '') ctx.addIssue('empty reply: a text reply needs some text');
    const bytes = byteLength(s);
    if (bytes > LIMITS.textBytes) {
      ctx.addIssue(`reply over ${LIMITS.textBytes} bytes: this text is ${bytes} bytes (UTF-8; a Chinese character takes 3). Shorten it or split it into two replies`);
    }
    const unsafe = unsafeLinks(s);
    if (unsafe.length > 0) {
      ctx.addIssue(`only http:// or https:// links in a reply: <a href="https://…">…</a>; found ${unsafe.map((u) => JSON.stringify(u)).join(', ')}`);
    }
  }),
});

const article = z.strictObject({
  title: z.string({ error: 'title: the article title' }).trim().min(1, 'title: the article needs a title').max(64, 'title: at most 64 characters'),
  description: z.string().trim().max(256, 'description: at most 256 characters').optional(),
  url: httpUrl('url'),
  image_url: httpUrl('image_url').optional(),
});

const newsReply = z.strictObject({
  type: z.literal('news'),
  articles: z
    .array(article, { error: 'articles: a list of articles [{title, description, url, image_url}]' })
    .min(1, 'empty reply: a news reply needs at least one article')
    .max(LIMITS.articlesPerNews, `articles: at most ${LIMITS.articlesPerNews} (and a reply to a message shows only the first)`),
});

const imageReply = z.strictObject({
  type: z.literal('image'),
  media_id: z.string({ error: 'media_id: the media_id of an image uploaded to the platform' }).trim().min(1, 'empty reply: an image reply needs its media_id').max(128),
});

const replySchema = z.discriminatedUnion('type', [textReply, newsReply, imageReply], {
  error: (iss) => {
    if (iss.code !== 'invalid_union') return undefined;
    const given = (iss.input as { type?: unknown } | undefined)?.type;
    return given === undefined
      ? 'a reply needs a type: text, news or image'
      : `unknown reply type ${JSON.stringify(given)}: use text, news or image`;
  },
});

const activeHoursSchema = z
  .strictObject({
    from: z.string({ error: 'from: a time such as 09:00 (24-hour, Beijing time)' }).regex(ACTIVE_HOURS_TIME, 'from: a time such as 09:00 (24-hour, Beijing time)'),
    to: z.string({ error: 'to: a time such as 21:30 (24-hour, Beijing time)' }).regex(ACTIVE_HOURS_TIME, 'to: a time such as 21:30 (24-hour, Beijing time)'),
    days: z
      .array(z.number().int().min(1, 'days: 1 (Monday) to 7 (Sunday)').max(7, 'days: 1 (Monday) to 7 (Sunday)'))
      .min(1, 'days: leave it out for every day')
      .optional(),
  })
  .refine((h) => h.from !== h.to, { error: 'active_hours: from and to are the same; leave active_hours out for all day' });

const listOfText = (what: string) => z.array(z.string({ error: `${what}: each one is text` }), { error: `${what}: a list such as ["优惠", "折扣"]` });

/** The fields of a rule; the cross-field checks (keyword vs event rules, patterns) follow in `ruleInputSchema`. */
const ruleFields = z.strictObject({
  name: z.string({ error: 'name: give the rule a name' }).trim().min(1, 'name: give the rule a name').max(LIMITS.nameChars, `name: at most ${LIMITS.nameChars} characters`),
  match: z.enum(MATCH_MODES, { error: `match: one of ${MATCH_MODES.join(', ')} (全匹配, 半匹配, pattern)` }).optional(),
  keywords: listOfText('keywords').optional(),
  event: z.enum(RULE_EVENTS, { error: `event: one of ${RULE_EVENTS.join(', ')}` }).optional(),
  keys: listOfText('keys').optional(),
  replies: z
    .array(replySchema, { error: 'replies: a list of replies such as [{"type": "text", "content": "…"}]' })
    .min(1, 'empty reply: a rule needs at least one reply')
    .max(LIMITS.repliesPerRule, `replies: at most ${LIMITS.repliesPerRule} replies per rule (the platform's limit)`),
  reply_mode: z.enum(REPLY_MODES, { error: 'reply_mode: all (send every reply) or random (send one)' }).default('all'),
  priority: z.number({ error: 'priority: a whole number; higher runs first' }).int('priority: a whole number; higher runs first').min(-1000).max(1000).default(0),
  enabled: z.boolean({ error: 'enabled: true or false' }).default(true),
  active_hours: activeHoursSchema.nullable().optional(),
});

const OPT_COMMANDS = new Set([...PROTECTED_COMMANDS].map(normalizeCommand));

export const ruleInputSchema = ruleFields.transform((r, ctx): RuleInput => {
  const base = { name: r.name, replies: r.replies, reply_mode: r.reply_mode, priority: r.priority, enabled: r.enabled, active_hours: r.active_hours ?? null };
  if ((r.match === undefined) === (r.event === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: r.match
        ? 'a rule has either match (a keyword rule) or event (follow, scene, click, fallback), not both'
        : 'say what the rule answers: match (exact, contains, regex) with keywords, or event (follow, scene, click, fallback)',
    });
    return z.NEVER;
  }
  if (r.match) {
    if (r.keys !== undefined) ctx.addIssue({ code: 'custom', path: ['keys'], message: 'keys: for event rules; a keyword rule has keywords' });
    const keywords = distinct((r.keywords ?? []).map((k) => (r.match === 'regex' ? k.trim() : normalizeCommand(k))));
    if (keywords.length === 0) ctx.addIssue({ code: 'custom', path: ['keywords'], message: 'keywords: at least one keyword' });
    if (keywords.length > LIMITS.keywordsPerRule) {
      ctx.addIssue({ code: 'custom', path: ['keywords'], message: `too many keywords: at most ${LIMITS.keywordsPerRule} per rule (the platform's limit), got ${keywords.length}; split the rule` });
    }
    const max = r.match === 'regex' ? LIMITS.patternChars : LIMITS.keywordChars;
    keywords.forEach((k, i) => {
      if (k === '') ctx.addIssue({ code: 'custom', path: ['keywords', i], message: 'keywords: a keyword cannot be empty' });
      else if (k.length > max) ctx.addIssue({ code: 'custom', path: ['keywords', i], message: `keywords: at most ${max} characters, got ${k.length}` });
      else if (r.match === 'exact' && OPT_COMMANDS.has(k)) {
        ctx.addIssue({ code: 'custom', path: ['keywords', i], message: `keywords: 「${k}」 is the opt-out / opt-in command (TD, 退订, 订阅 …) and always does that; a rule cannot take it` });
      }
    });
    if (r.match === 'regex' && keywords.length > 0 && keywords.length <= LIMITS.keywordsPerRule && keywords.every((k) => k !== '' && k.length <= max)) {
      const compiled = compilePattern(keywords);
      if (!compiled.ok) ctx.addIssue({ code: 'custom', path: ['keywords'], message: compiled.reason });
    }
    return { ...base, match: r.match, keywords };
  }
  const event = r.event!;
  if (r.keywords !== undefined) ctx.addIssue({ code: 'custom', path: ['keywords'], message: 'keywords: for keyword rules; an event rule has keys (scene or click) or nothing' });
  const keys = distinct((r.keys ?? []).map((k) => k.trim()));
  if (needsKeys(event)) {
    const what = event === 'scene' ? 'the QR scenes it answers, e.g. ["poster_2027"]' : 'the menu keys it answers, e.g. ["MENU_DEALS"]';
    if (keys.length === 0) ctx.addIssue({ code: 'custom', path: ['keys'], message: `keys: ${what}` });
    if (keys.length > LIMITS.keywordsPerRule) ctx.addIssue({ code: 'custom', path: ['keys'], message: `keys: at most ${LIMITS.keywordsPerRule} per rule` });
    keys.forEach((k, i) => {
      if (k === '' || k.length > 64) ctx.addIssue({ code: 'custom', path: ['keys', i], message: 'keys: 1 to 64 characters each' });
    });
  } else if (keys.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['keys'], message: `keys: a ${event} rule answers every ${event === 'follow' ? 'new follower' : 'unanswered message'}; leave keys out` });
  }
  return { ...base, event, keys };
});

/** The body of a partial update (`PATCH /api/rules/:id`): any of the fields, merged over the stored rule. */
export const rulePatchSchema = ruleFields.partial();

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}


/**
 * Validates one rule as a merchant wrote it.
 * @example parseRuleInput({ name: '优惠', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '本周满100减20' }] })
 */
export function parseRuleInput(input: unknown): Parsed<RuleInput> {
  return parseWith(ruleInputSchema, input);
}
