/**
 * The bot's character. Followers talk more to a named character (聚美优品's 「小美」) than to a cold
 * auto-responder; every built-in text speaks in this voice. Merchants will edit it (admin API, later).
 */
export interface Persona {
  /** What the bot calls itself, e.g. 小逛. */
  readonly botName: string;
  /** The merchant's account name, e.g. 逛 Guang. */
  readonly accountName: string;
}

export const DEFAULT_PERSONA: Persona = { botName: '小逛', accountName: '逛' };
