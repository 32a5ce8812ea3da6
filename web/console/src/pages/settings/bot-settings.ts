/**
 * The 机器人 tab's data: the API's settings, the form's values, and the way between them. Filling in the
 * placeholders here is for the preview only; what followers receive is filled by the server the same way.
 */
export type Voice = 'lively' | 'gentle' | 'brief';
type Attribution = 'first' | 'last';

interface VoiceTexts {
  readonly welcome_text: string;
  readonly help_text: string;
  readonly fallback_text: string;
  readonly sample: string;
}

/** GET /api/settings. */
export interface BotSettings {
  readonly bot_name: string;
  readonly account_name: string;
  readonly voice: Voice;
  readonly store_attribution: Attribution;
  readonly welcome_text: string | null;
  readonly help_text: string | null;
  readonly fallback_text: string | null;
  readonly example_queries: string[] | null;
  readonly example_queries_effective: string[];
  readonly example_queries_derived: string[];
  readonly default_texts: Record<Voice, VoiceTexts>;
  readonly placeholders: string[];
}

/** What the form holds: empty texts and no examples mean 「默认」. */
export interface BotForm {
  bot_name: string;
  account_name: string;
  voice: Voice;
  store_attribution: Attribution;
  welcome_text: string;
  help_text: string;
  fallback_text: string;
  example_queries: string[];
}

export const VOICE_NAMES: Readonly<Record<Voice, string>> = { lively: '活泼', gentle: '亲切', brief: '简洁' };
export const VOICE_HINTS: Readonly<Record<Voice, string>> = { lively: '带「～」和表情，像朋友聊天', gentle: '称「您」，温和有礼', brief: '直截了当，不多寒暄' };

export const formOf = (s: BotSettings): BotForm => ({
  bot_name: s.bot_name,
  account_name: s.account_name,
  voice: s.voice,
  store_attribution: s.store_attribution,
  welcome_text: s.welcome_text ?? '',
  help_text: s.help_text ?? '',
  fallback_text: s.fallback_text ?? '',
  example_queries: s.example_queries ?? [],
});

const orNull = (t: string | undefined): string | null => (t && t.trim() ? t : null);

/** The PATCH body: every field, an empty text or list as null (the default). */
export const patchOf = (f: BotForm) => ({
  bot_name: f.bot_name,
  account_name: f.account_name,
  voice: f.voice,
  store_attribution: f.store_attribution,
  welcome_text: orNull(f.welcome_text),
  help_text: orNull(f.help_text),
  fallback_text: orNull(f.fallback_text),
  example_queries: f.example_queries.length ? f.example_queries : null,
});

/**
 * A template as the follower will read it.
 * @example fillIn('我是{bot_name}，试试{examples}', { bot: '小美', account: '聚美', examples: ['口红'] }) // '我是小美，试试「口红」'
 */
export function fillIn(template: string, v: { bot: string; account: string; examples: readonly string[] }): string {
  const examples = v.examples.length ? v.examples.map((e) => `「${e}」`).join('') : '「想找的东西」';
  return template.replaceAll('{bot_name}', v.bot).replaceAll('{account_name}', v.account).replaceAll('{examples}', examples);
}
