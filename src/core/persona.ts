/**
 * The bot's character. Followers talk more to a named character (聚美优品's 「小美」) than to a cold
 * auto-responder; every built-in text speaks in this voice. Merchants edit it through `/api/settings`
 * (src/merchant/settings.ts); these are the defaults.
 */

/** How the built-in welcome, help and fallback texts sound: lively (～ and emoji), gentle (您, warm), brief (to the point). */
export const VOICES = ['lively', 'gentle', 'brief'] as const;
export type Voice = (typeof VOICES)[number];

/**
 * What an account's catalogue offers, for the examples its texts give: its biggest product categories, a
 * city with hotels, a city with deals. Derived from the catalogue (search/offer.ts).
 */
export interface CatalogueOffer {
  /** Top-level product categories, largest first (a few). */
  readonly productRoots: readonly string[];
  /** The city with the most hotels; null: no hotels. */
  readonly hotelCity: string | null;
  /** The city with the most live deals; null: no deals. */
  readonly dealCity: string | null;
  /** Example queries from the above, e.g. 「女装」「上海酒店」「北京团购」. */
  readonly examples: readonly string[];
}

/** The demo catalogue's offer: what the texts suggest where no catalogue is known (tests without one). */
export const DEMO_OFFER: CatalogueOffer = { productRoots: ['女装'], hotelCity: '上海', dealCity: '北京', examples: ['女装', '上海酒店', '北京团购'] };

/**
 * Whether the shop takes orders in the chat: it has products (hotels and deals are booked on their own pages).
 * Texts that speak of 下单 speak only where it is true.
 */
export const takesOrders = (offer: CatalogueOffer | undefined): boolean => (offer ?? DEMO_OFFER).productRoots.length > 0;

export interface Persona {
  /** What the bot calls itself, e.g. 小逛. */
  readonly botName: string;
  /** The merchant's account name, e.g. 逛 Guang. */
  readonly accountName: string;
  /** Default: lively. */
  readonly voice?: Voice;
  /**
   * The merchant's own welcome, help and fallback texts, templates with {bot_name}, {account_name} and
   * {examples} (agent/texts.ts); null or absent: the built-in text in the voice.
   */
  readonly welcomeText?: string | null;
  readonly helpText?: string | null;
  readonly fallbackText?: string | null;
  /** The merchant's example queries; null or absent: the ones derived from the catalogue (`offer`). */
  readonly exampleQueries?: readonly string[] | null;
  /** What the catalogue offers; absent: DEMO_OFFER. */
  readonly offer?: CatalogueOffer;
}

export const DEFAULT_PERSONA: Persona = { botName: '小逛', accountName: '逛', voice: 'lively' };
