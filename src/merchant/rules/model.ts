/**
 * Merchant reply rules as data: what a merchant writes (the JSON of `guang import rules` and `/api/rules`),
 * and what is stored. A keyword rule answers a follower's text; an event rule answers a follow, a QR scene,
 * a menu click, or whatever nothing else answered (the fallback).
 */

/** 全匹配 (the whole message, after light normalisation), 半匹配 (the message contains it), or an RE2 pattern. */
export const MATCH_MODES = ['exact', 'contains', 'regex'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** follow: a new follower; scene: a follow or scan through a QR code whose scene is in `keys`; click: a menu key. */
export const RULE_EVENTS = ['follow', 'scene', 'click', 'fallback'] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];

export const REPLY_MODES = ['all', 'random'] as const;
export type ReplyMode = (typeof REPLY_MODES)[number];

interface NewsArticle {
  readonly title: string;
  readonly description?: string | undefined;
  readonly url: string;
  readonly image_url?: string | undefined;
}

/** A reply as merchants write it (snake_case, like the platform's own JSON). */
export type RuleReply =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'news'; readonly articles: readonly NewsArticle[] }
  | { readonly type: 'image'; readonly media_id: string };

/** Asia/Shanghai wall-clock times `HH:MM`; `from` later than `to` spans midnight. `days`: ISO weekdays (1 = Monday). */
export interface ActiveHours {
  readonly from: string;
  readonly to: string;
  readonly days?: readonly number[] | undefined;
}

/** What a merchant writes: either `match` + `keywords`, or `event` (+ `keys` for scene and click). */
export interface RuleInput {
  readonly name: string;
  readonly match?: MatchMode | undefined;
  readonly keywords?: readonly string[] | undefined;
  readonly event?: RuleEvent | undefined;
  readonly keys?: readonly string[] | undefined;
  readonly replies: readonly RuleReply[];
  readonly reply_mode: ReplyMode;
  readonly priority: number;
  readonly enabled: boolean;
  readonly active_hours?: ActiveHours | null | undefined;
}

/** A stored rule: the input with its id, account and times. `keywords` holds the keys of event rules. */
export interface Rule {
  readonly id: number;
  readonly account: string;
  readonly name: string;
  readonly match: MatchMode | null;
  readonly event: RuleEvent | null;
  readonly keywords: readonly string[];
  readonly replies: readonly RuleReply[];
  readonly replyMode: ReplyMode;
  readonly priority: number;
  readonly enabled: boolean;
  readonly activeHours: ActiveHours | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The platform's own limits for its console auto-reply, which merchants already know. */
export const LIMITS = {
  rulesPerAccount: 200,
  keywordsPerRule: 10,
  repliesPerRule: 5,
  textBytes: 2048,
  keywordChars: 60,
  patternChars: 200,
  nameChars: 60,
  articlesPerNews: 8,
} as const;

/** A rule as the API and the import file show it: `match` and `keywords`, or `event` (and `keys` for scene and click). */
export type RuleJson = {
  readonly id: number;
  readonly name: string;
  readonly replies: readonly RuleReply[];
  readonly reply_mode: ReplyMode;
  readonly priority: number;
  readonly enabled: boolean;
  readonly active_hours: ActiveHours | null;
  readonly created_at: string;
  readonly updated_at: string;
} & ({ readonly match: MatchMode; readonly keywords: readonly string[] } | { readonly event: RuleEvent; readonly keys?: readonly string[] });

export function ruleToJson(rule: Rule): RuleJson {
  return {
    id: rule.id,
    name: rule.name,
    // A stored rule has match or event, never neither (ruleInputSchema): no match means an event rule.
    ...(rule.match ? { match: rule.match, keywords: rule.keywords } : { event: rule.event!, ...(needsKeys(rule.event) ? { keys: rule.keywords } : {}) }),
    replies: rule.replies,
    reply_mode: rule.replyMode,
    priority: rule.priority,
    enabled: rule.enabled,
    active_hours: rule.activeHours,
    created_at: new Date(rule.createdAt).toISOString(),
    updated_at: new Date(rule.updatedAt).toISOString(),
  };
}

/** Scene and click rules name what they answer (`keys`); follow and fallback rules do not. */
export const needsKeys = (event: RuleEvent | null): boolean => event === 'scene' || event === 'click';
