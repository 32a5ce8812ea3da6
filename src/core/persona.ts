/**
 * The bot's character. Followers talk more to a named character (聚美优品's 「小美」) than to a cold
 * auto-responder; every built-in text speaks in this voice. Merchants edit it through `/api/settings`
 * (src/merchant/settings.ts); these are the defaults.
 */

/** How the built-in welcome, help and fallback texts sound: lively (～ and emoji), gentle (您, warm), brief (to the point). */
export const VOICES = ['lively', 'gentle', 'brief'] as const;
export type Voice = (typeof VOICES)[number];

export interface Persona {
  /** What the bot calls itself, e.g. 小逛. */
  readonly botName: string;
  /** The merchant's account name, e.g. 逛 Guang. */
  readonly accountName: string;
  /** Default: lively. */
  readonly voice?: Voice;
}

export const DEFAULT_PERSONA: Persona = { botName: '小逛', accountName: '逛', voice: 'lively' };
