/**
 * An account's settings a merchant edits (`/api/settings`): the bot's name and voice (the persona of every
 * built-in text), the account's name, and how followers are attributed to stores. Unset fields keep the
 * defaults. Writes take the next merchant revision, so every process picks them up within a poll.
 */
import { z } from 'zod';
import { DEFAULT_PERSONA, VOICES, type Persona, type Voice } from '../core/persona.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { nextRevision } from '../db/merchant-revision.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Sql } from '../db/sql/sql.ts';
import { say } from '../core/localised.ts';
import type { Db } from '../db/db.ts';

/** first: a follower belongs to the first store they came through; last: to the latest one. */
const ATTRIBUTIONS = ['first', 'last'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export interface AccountSettings extends Persona {
  readonly voice: Voice;
  readonly storeAttribution: Attribution;
  readonly welcomeText: string | null;
  readonly helpText: string | null;
  readonly fallbackText: string | null;
  readonly exampleQueries: readonly string[] | null;
}

export const DEFAULT_SETTINGS: AccountSettings = {
  ...DEFAULT_PERSONA, voice: DEFAULT_PERSONA.voice ?? 'lively', storeAttribution: 'first', welcomeText: null, helpText: null, fallbackText: null, exampleQueries: null,
};

/**
 * Names go into every built-in text, and text replies may carry `<a href>` links: no control or format
 * characters (line breaks, zero-width, direction overrides) and no angle brackets.
 */
const PLAIN_NAME = /^[^\p{Cc}\p{Cf}<>]*$/u;

/** Limits of the names and examples, which the texts' byte limit counts at their longest. */
const LIMITS = { botName: 16, accountName: 30, examples: 5, example: 20 } as const;
/** WeChat's limit of a text reply, in UTF-8 bytes (a Chinese character takes 3). */
const TEXT_BYTES = 2048;
/** The help text keeps its line on opting out (agent/texts.ts): room for it. */
const OPT_OUT_LINE_BYTES = 80;
/** Each placeholder at its longest: a text that fits with these fits with any names and examples. */
const LONGEST: Readonly<Record<string, string>> = {
  '{bot_name}': '字'.repeat(LIMITS.botName),
  '{account_name}': '字'.repeat(LIMITS.accountName),
  '{examples}': `「${'字'.repeat(LIMITS.example)}」`.repeat(LIMITS.examples),
};
/** A text's size in bytes once its placeholders are filled with the longest names and examples. */
const worstCaseBytes = (template: string): number =>
  Buffer.byteLength(template.replace(/\{(?:bot_name|account_name|examples)\}/g, (p) => LONGEST[p] ?? p), 'utf8');

/** Control characters but line breaks and tabs: a text may have several lines, not a NUL. */
const PLAIN_TEXT = /^(?:[^\p{Cc}]|[\n\t])*$/u;

const textField = (field: 'welcome_text' | 'help_text' | 'fallback_text', what: { en: string; zh: string }, room = 0) =>
  z
    .string({ error: say({ en: `${field}: ${what.en}, or null for the built-in one`, zh: `请填写${what.zh}，或留空使用默认文案` }) })
    .trim()
    .min(1, say({ en: `${field}: empty; send null for the built-in text`, zh: `不能只有空白；留空即使用默认文案` }))
    .regex(PLAIN_TEXT, say({ en: `${field}: plain text (line breaks are fine, other control characters are not)`, zh: `只能是普通文字（可以换行）` }))
    .refine(
      (t) => worstCaseBytes(t) <= TEXT_BYTES - room,
      say({
        en: `${field}: too long for a WeChat text reply (${TEXT_BYTES - room} bytes with {bot_name}, {account_name} and {examples} at their longest; a Chinese character takes 3)`,
        zh: `太长了：微信文字消息最多 ${TEXT_BYTES - room} 字节（一个汉字 3 字节，占位符按最长计算），请删减`,
      }),
    )
    .nullable()
    .optional();

const exampleQuery = z
  .string({ error: say({ en: 'example_queries: each a short query such as 口红', zh: '每个示例是一句简短的问法，例如「口红」' }) })
  .trim()
  .min(1, say({ en: 'example_queries: an example cannot be empty', zh: '示例不能为空' }))
  .max(LIMITS.example, say({ en: `example_queries: at most ${LIMITS.example} characters each`, zh: `每个示例最多 ${LIMITS.example} 个字` }))
  .regex(PLAIN_NAME, say({ en: 'example_queries: plain text on one line, without < or >', zh: '示例只能是一行普通文字，不能含 < 或 >' }))
  .regex(/^[^「」]*$/, say({ en: 'example_queries: without 「」 (they are added around each example)', zh: '不用加「」，发送时会自动加上' }));

/** The body of `PUT|PATCH /api/settings`: any of the fields; null puts one back to its default. */
export const settingsPatchSchema = z.strictObject({
  bot_name: z.string({ error: say({ en: 'bot_name: what the bot calls itself, e.g. 小美', zh: '请填写机器人的名字，例如「小美」' }) }).trim()
    .min(1, say({ en: 'bot_name: at least one character', zh: '机器人名字不能为空' }))
    .max(LIMITS.botName, say({ en: `bot_name: at most ${LIMITS.botName} characters`, zh: `机器人名字最多 ${LIMITS.botName} 个字` }))
    .regex(PLAIN_NAME, say({ en: 'bot_name: plain text on one line, without < or >', zh: '机器人名字只能是一行普通文字，不能含 < 或 >' })).nullable().optional(),
  account_name: z.string({ error: say({ en: 'account_name: the account\'s name, e.g. 聚美优品', zh: '请填写公众号名称，例如「聚美优品」' }) }).trim()
    .min(1, say({ en: 'account_name: at least one character', zh: '公众号名称不能为空' }))
    .max(LIMITS.accountName, say({ en: `account_name: at most ${LIMITS.accountName} characters`, zh: `公众号名称最多 ${LIMITS.accountName} 个字` }))
    .regex(PLAIN_NAME, say({ en: 'account_name: plain text on one line, without < or >', zh: '公众号名称只能是一行普通文字，不能含 < 或 >' })).nullable().optional(),
  voice: z.enum(VOICES, { error: say({ en: `voice: one of ${VOICES.join(', ')} (lively: ～ and emoji; gentle: 您, warm; brief: to the point)`, zh: '语气只能是活泼、亲切或简洁' }) }).nullable().optional(),
  store_attribution: z.enum(ATTRIBUTIONS, { error: say({ en: 'store_attribution: first (the first store a follower came through keeps them) or last', zh: '门店归属只能是「首次扫码」或「最近扫码」' }) }).nullable().optional(),
  welcome_text: textField('welcome_text', { en: 'the text a new follower receives', zh: '关注欢迎语' }),
  help_text: textField('help_text', { en: 'the answer to 帮助', zh: '帮助回复' }, OPT_OUT_LINE_BYTES),
  fallback_text: textField('fallback_text', { en: 'the answer when the bot does not understand', zh: '没听懂时的回复' }),
  example_queries: z
    .array(exampleQuery, { error: say({ en: 'example_queries: a list of short queries such as ["口红", "面霜"], or null for the catalogue\'s', zh: '示例问法应是一组简短的词，或留空使用根据商品自动生成的示例' }) })
    .min(1, say({ en: 'example_queries: at least one; send null for the examples from the catalogue', zh: '至少填写一个示例；留空即使用自动生成的示例' }))
    .max(LIMITS.examples, say({ en: `example_queries: at most ${LIMITS.examples}`, zh: `最多 ${LIMITS.examples} 个示例` }))
    .refine((xs) => new Set(xs).size === xs.length, say({ en: 'example_queries: each example once', zh: '示例不能重复' }))
    .nullable()
    .optional(),
}, { error: say({ en: 'the settings: a JSON object with any of bot_name, account_name, voice, store_attribution, welcome_text, help_text, fallback_text, example_queries', zh: '设置应是一个 JSON 对象' }) });
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

interface Row {
  account: string;
  bot_name: string | null;
  account_name: string | null;
  voice: Voice | null;
  store_attribution: Attribution | null;
  welcome_text: string | null;
  help_text: string | null;
  fallback_text: string | null;
  /** A JSON array of strings. */
  example_queries: string | null;
}

/** A stored list that is not a list of strings (edited by hand) counts as unset: the catalogue's examples. */
function examplesFrom(json: string | null): readonly string[] | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

const fromRow = (r: Row | undefined): AccountSettings => ({
  botName: r?.bot_name ?? DEFAULT_SETTINGS.botName,
  accountName: r?.account_name ?? DEFAULT_SETTINGS.accountName,
  voice: r?.voice ?? DEFAULT_SETTINGS.voice,
  storeAttribution: r?.store_attribution ?? DEFAULT_SETTINGS.storeAttribution,
  welcomeText: r?.welcome_text ?? null,
  helpText: r?.help_text ?? null,
  fallbackText: r?.fallback_text ?? null,
  exampleQueries: examplesFrom(r?.example_queries ?? null),
});

export const settingsToJson = (s: AccountSettings) => ({
  bot_name: s.botName,
  account_name: s.accountName,
  voice: s.voice,
  store_attribution: s.storeAttribution,
  welcome_text: s.welcomeText,
  help_text: s.helpText,
  fallback_text: s.fallbackText,
  example_queries: s.exampleQueries,
});

/**
 * @example createSettingsStore(db).update('default', { bot_name: '小美', voice: 'gentle' })
 */
export function createSettingsStore(db: Db | Sql, clock: Clock = systemClock) {
  const sql = asSql(db);
  const GET = 'SELECT * FROM account_settings WHERE account = ?';
  return {
    get: async (account: string): Promise<AccountSettings> => fromRow(await sql.get<Row>(GET, [account])),
    /** Every account that has settings. */
    all: async (): Promise<Map<string, AccountSettings>> =>
      new Map((await sql.all<Row>('SELECT * FROM account_settings')).map((r) => [r.account, fromRow(r)])),
    /** Applies a validated patch: given fields change, null resets one, absent ones stay. */
    update(account: string, patch: SettingsPatch): Promise<AccountSettings> {
      return sql.transaction(async (tx) => {
        // The revision first: its row lock keeps two instances' patches of one account from interleaving.
        await nextRevision(tx);
        const row = await tx.get<Row>(GET, [account]);
        const pick = <K extends Exclude<keyof SettingsPatch, 'example_queries'>>(k: K) => (patch[k] === undefined ? (row?.[k] ?? null) : patch[k]);
        const examples = patch.example_queries === undefined ? (row?.example_queries ?? null) : patch.example_queries === null ? null : JSON.stringify(patch.example_queries);
        await tx.run(
          `INSERT INTO account_settings (account, bot_name, account_name, voice, store_attribution, welcome_text, help_text, fallback_text, example_queries, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (account) DO UPDATE SET bot_name = excluded.bot_name, account_name = excluded.account_name,
            voice = excluded.voice, store_attribution = excluded.store_attribution, welcome_text = excluded.welcome_text,
            help_text = excluded.help_text, fallback_text = excluded.fallback_text, example_queries = excluded.example_queries,
            updated_at = excluded.updated_at`,
          [account, pick('bot_name'), pick('account_name'), pick('voice'), pick('store_attribution'), pick('welcome_text'), pick('help_text'), pick('fallback_text'), examples, clock.now()],
        );
        return fromRow(await tx.get<Row>(GET, [account]));
      });
    },
  };
}
