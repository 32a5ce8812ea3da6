/**
 * One schema per input, with messages a merchant can act on. `guang import rules` and `/api/rules` both
 * validate through `parseRuleInput`, so a rule the API refuses is refused by the import with the same words,
 * in English or Chinese (words.ts).
 */
import { z } from 'zod';
import { wordsIn, type Lang } from '../../core/lang.ts';
import { parseWith, type Parsed } from '../../core/problems.ts';
import { normalizeCommand } from '../../core/command.ts';
import { PROTECTED_COMMANDS } from '../../agent/steps/builtins.ts';
import { ACTIVE_HOURS_TIME } from './hours.ts';
import { isHttpUrl, unsafeLinks } from '../../core/link-safety.ts';
import { LIMITS, MATCH_MODES, REPLY_MODES, RULE_EVENTS, needsKeys, type RuleInput } from './model.ts';
import { compilePattern } from './regex.ts';
import { RULE_WORDS } from './words.ts';


const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const OPT_COMMANDS = new Set([...PROTECTED_COMMANDS].map(normalizeCommand));

/** The schemas of a rule with their messages in one language (built once per language, below). */
function ruleSchemasIn(lang: Lang) {
  const t = wordsIn(RULE_WORDS, lang);
  const httpUrl = (what: string) => z.string({ error: t.httpUrl(what) }).trim().refine(isHttpUrl, { error: t.httpUrl(what) });

  const textReply = z.strictObject({
    type: z.literal('text'),
    content: z.string({ error: t.contentMissing }).superRefine((s, ctx) => {
      if (s.trim() === '') ctx.addIssue(t.textEmpty);
      const bytes = byteLength(s);
      if (bytes > LIMITS.textBytes) ctx.addIssue(t.textTooLong(LIMITS.textBytes, bytes));
      const unsafe = unsafeLinks(s);
      if (unsafe.length > 0) ctx.addIssue(t.unsafeLinks(unsafe.map((u) => JSON.stringify(u)).join(', ')));
    }),
  });

  const article = z.strictObject({
    title: z.string({ error: t.titleMissing }).trim().min(1, t.titleEmpty).max(64, t.titleLong),
    description: z.string().trim().max(256, t.descriptionLong).optional(),
    url: httpUrl('url'),
    image_url: httpUrl('image_url').optional(),
  });

  const newsReply = z.strictObject({
    type: z.literal('news'),
    articles: z.array(article, { error: t.articlesList }).min(1, t.articlesEmpty).max(LIMITS.articlesPerNews, t.articlesMany(LIMITS.articlesPerNews)),
  });

  const imageReply = z.strictObject({
    type: z.literal('image'),
    media_id: z.string({ error: t.mediaIdMissing }).trim().min(1, t.mediaIdEmpty).max(128),
  });

  const replySchema = z.discriminatedUnion('type', [textReply, newsReply, imageReply], {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const given = (iss.input as { type?: unknown } | undefined)?.type;
      return given === undefined ? t.replyType : t.replyTypeUnknown(JSON.stringify(given));
    },
  });

  const activeHoursSchema = z
    .strictObject({
      from: z.string({ error: t.fromTime }).regex(ACTIVE_HOURS_TIME, t.fromTime),
      to: z.string({ error: t.toTime }).regex(ACTIVE_HOURS_TIME, t.toTime),
      days: z.array(z.number().int().min(1, t.days).max(7, t.days)).min(1, t.daysEmpty).optional(),
    })
    .refine((h) => h.from !== h.to, { error: t.sameHours });

  const listOfText = (what: string) => z.array(z.string({ error: t.eachText(what) }), { error: t.listOfText(what) });

  /** The fields of a rule; the cross-field checks (keyword vs event rules, patterns) follow in `input`. */
  const fields = z.strictObject({
    name: z.string({ error: t.nameMissing }).trim().min(1, t.nameMissing).max(LIMITS.nameChars, t.nameLong(LIMITS.nameChars)),
    match: z.enum(MATCH_MODES, { error: t.matchMode(MATCH_MODES.join(', ')) }).optional(),
    keywords: listOfText('keywords').optional(),
    event: z.enum(RULE_EVENTS, { error: t.eventKind(RULE_EVENTS.join(', ')) }).optional(),
    keys: listOfText('keys').optional(),
    replies: z.array(replySchema, { error: t.repliesList }).min(1, t.repliesEmpty).max(LIMITS.repliesPerRule, t.repliesMany(LIMITS.repliesPerRule)),
    reply_mode: z.enum(REPLY_MODES, { error: t.replyMode }).default('all'),
    priority: z.number({ error: t.priority }).int(t.priority).min(-1000).max(1000).default(0),
    enabled: z.boolean({ error: t.enabled }).default(true),
    active_hours: activeHoursSchema.nullable().optional(),
  });

  const input = fields.transform((r, ctx): RuleInput => {
    const base = { name: r.name, replies: r.replies, reply_mode: r.reply_mode, priority: r.priority, enabled: r.enabled, active_hours: r.active_hours ?? null };
    if ((r.match === undefined) === (r.event === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: r.match ? t.matchAndEvent : t.matchOrEvent });
      return z.NEVER;
    }
    if (r.match) {
      if (r.keys !== undefined) ctx.addIssue({ code: 'custom', path: ['keys'], message: t.keysOnKeyword });
      const keywords = distinct((r.keywords ?? []).map((k) => (r.match === 'regex' ? k.trim() : normalizeCommand(k))));
      if (keywords.length === 0) ctx.addIssue({ code: 'custom', path: ['keywords'], message: t.keywordsMissing });
      if (keywords.length > LIMITS.keywordsPerRule) {
        ctx.addIssue({ code: 'custom', path: ['keywords'], message: t.keywordsMany(LIMITS.keywordsPerRule, keywords.length) });
      }
      const max = r.match === 'regex' ? LIMITS.patternChars : LIMITS.keywordChars;
      keywords.forEach((k, i) => {
        if (k === '') ctx.addIssue({ code: 'custom', path: ['keywords', i], message: t.keywordEmpty });
        else if (k.length > max) ctx.addIssue({ code: 'custom', path: ['keywords', i], message: t.keywordLong(max, k.length) });
        else if (r.match === 'exact' && OPT_COMMANDS.has(k)) ctx.addIssue({ code: 'custom', path: ['keywords', i], message: t.keywordCommand(k) });
      });
      if (r.match === 'regex' && keywords.length > 0 && keywords.length <= LIMITS.keywordsPerRule && keywords.every((k) => k !== '' && k.length <= max)) {
        const compiled = compilePattern(keywords, lang);
        if (!compiled.ok) ctx.addIssue({ code: 'custom', path: ['keywords'], message: compiled.reason });
      }
      return { ...base, match: r.match, keywords };
    }
    const event = r.event!;
    if (r.keywords !== undefined) ctx.addIssue({ code: 'custom', path: ['keywords'], message: t.keywordsOnEvent });
    const keys = distinct((r.keys ?? []).map((k) => k.trim()));
    if (needsKeys(event)) {
      if (keys.length === 0) ctx.addIssue({ code: 'custom', path: ['keys'], message: event === 'scene' ? t.sceneKeys : t.clickKeys });
      if (keys.length > LIMITS.keywordsPerRule) ctx.addIssue({ code: 'custom', path: ['keys'], message: t.keysMany(LIMITS.keywordsPerRule) });
      keys.forEach((k, i) => {
        if (k === '' || k.length > 64) ctx.addIssue({ code: 'custom', path: ['keys', i], message: t.keyLength });
      });
    } else if (keys.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['keys'], message: t.keysNotWanted(event as 'follow' | 'fallback') });
    }
    return { ...base, event, keys };
  });

  return { input, patch: fields.partial() };
}

const SCHEMAS: Readonly<Record<Lang, ReturnType<typeof ruleSchemasIn>>> = { en: ruleSchemasIn('en'), zh: ruleSchemasIn('zh') };

/** A rule's schema, messages in `lang` (the input schema and the documents use the English one). */
export const ruleInputSchemaIn = (lang: Lang) => SCHEMAS[lang].input;
/** The body of a partial update (`PATCH /api/rules/:id`), messages in `lang`: any of the fields, merged over the stored rule. */
export const rulePatchSchemaIn = (lang: Lang) => SCHEMAS[lang].patch;

export const ruleInputSchema = SCHEMAS.en.input;
/** The body of a partial update (`PATCH /api/rules/:id`): any of the fields, merged over the stored rule. */
export const rulePatchSchema = SCHEMAS.en.patch;

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}


/**
 * Validates one rule as a merchant wrote it.
 * @example parseRuleInput({ name: '优惠', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '本周满100减20' }] })
 */
export function parseRuleInput(input: unknown, lang: Lang = 'en'): Parsed<RuleInput> {
  return parseWith(SCHEMAS[lang].input, input, lang);
}
