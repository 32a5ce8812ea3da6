/**
 * Reply rules as the admin API answers them (`/api/rules`), their names on screen, and the pure helpers the
 * list and the editor share. Validation is the API's: nothing here refuses anything.
 */
import type { ReplyJson } from '../../components/reply-json.ts';

export type MatchMode = 'exact' | 'contains' | 'regex';
export type RuleEvent = 'follow' | 'scene' | 'click' | 'fallback';
export type ReplyMode = 'all' | 'random';

export interface ArticleInput {
  readonly title: string;
  readonly description?: string;
  readonly url: string;
  readonly image_url?: string;
}

export type RuleReply =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'news'; readonly articles: readonly ArticleInput[] }
  | { readonly type: 'image'; readonly media_id: string };

export interface ActiveHours {
  readonly from: string;
  readonly to: string;
  readonly days?: readonly number[];
}

interface RuleBase {
  readonly id: number;
  readonly name: string;
  readonly replies: readonly RuleReply[];
  readonly reply_mode: ReplyMode;
  readonly priority: number;
  readonly enabled: boolean;
  readonly active_hours: ActiveHours | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export type Rule = RuleBase & ({ readonly match: MatchMode; readonly keywords: readonly string[] } | { readonly event: RuleEvent; readonly keys?: readonly string[] });
export type KeywordRule = Extract<Rule, { match: MatchMode }>;

export const isKeywordRule = (r: Rule): r is KeywordRule => 'match' in r;

export const MATCH_NAMES: Readonly<Record<MatchMode, string>> = { exact: '全匹配', contains: '半匹配', regex: '正则' };
export const EVENT_NAMES: Readonly<Record<RuleEvent, string>> = { follow: '关注回复', scene: '扫码场景', click: '菜单点击', fallback: '兜底回复' };
export const EVENT_HINTS: Readonly<Record<RuleEvent, string>> = {
  follow: '有人关注公众号时回复',
  scene: '通过带场景值的二维码关注或扫码时回复',
  click: '点击自定义菜单时回复',
  fallback: '没有其他回复时兜底回复',
};
export const REPLY_MODE_NAMES: Readonly<Record<ReplyMode, string>> = { all: '全部回复', random: '随机回复一条' };
/** The events in the order the list groups them. */
export const EVENTS: readonly RuleEvent[] = ['follow', 'scene', 'click', 'fallback'];

/** The platform's limits, shown beside the fields (the API enforces them: src/merchant/rules/model.ts LIMITS). */
export const SHOWN_LIMITS = { repliesPerRule: 5, textBytes: 2048, articlesPerNews: 8, keywordsPerRule: 10 } as const;

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
export const weekdayName = (d: number) => `周${WEEKDAYS[d - 1] ?? d}`;

/**
 * Active hours in words: 「全天」, or 「09:00–21:00」 with the days, 「周一至周五」 for a run of days.
 * @example hoursText({ from: '09:00', to: '18:00', days: [1, 2, 3, 4, 5] }) // '09:00–18:00 周一至周五'
 */
export function hoursText(h: ActiveHours | null): string {
  if (!h) return '全天';
  const span = `${h.from}–${h.to}${h.from > h.to ? '（次日）' : ''}`;
  const days = [...(h.days ?? [])].sort((a, b) => a - b);
  if (days.length === 0 || days.length === 7) return span;
  const run = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  return `${span} ${run && days.length > 2 ? `${weekdayName(days[0]!)}至${weekdayName(days[days.length - 1]!)}` : days.map(weekdayName).join('、')}`;
}

/** One reply in a few words for the list: 「文字：本周满…」, 「图文：标题（共 2 篇）」, 「图片」. */
export function replySummary(r: RuleReply): string {
  switch (r.type) {
    case 'text': {
      const plain = r.content.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
      return `文字：${plain.length > 30 ? plain.slice(0, 30) + '…' : plain}`;
    }
    case 'news':
      return `图文：${r.articles[0]?.title ?? ''}${r.articles.length > 1 ? `（共 ${r.articles.length} 篇）` : ''}`;
    case 'image':
      return '图片';
  }
}

/** The reply a follower's phone shows for a rule's reply (what src/merchant/rules/match.ts toReply sends). */
export function previewOf(r: RuleReply): ReplyJson {
  switch (r.type) {
    case 'text':
      return r.content.trim() === '' ? { type: 'none' } : { type: 'text', text: r.content };
    case 'news': {
      const articles = r.articles
        .filter((a) => a.title || a.url)
        .map((a) => ({ title: a.title, url: a.url, ...(a.description ? { description: a.description } : {}), ...(a.image_url ? { imageUrl: a.image_url } : {}) }));
      return articles.length === 0 ? { type: 'none' } : { type: 'news', articles };
    }
    case 'image':
      return r.media_id.trim() === '' ? { type: 'none' } : { type: 'image', mediaId: r.media_id };
  }
}

/** Does the rule mention `q` in its name or one of its keywords / keys (case-insensitive)? */
export function ruleMentions(r: Rule, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  const words = isKeywordRule(r) ? r.keywords : (r.keys ?? []);
  return [r.name, ...words].some((w) => w.toLowerCase().includes(needle));
}

/** UTF-8 bytes, as the platform counts a text reply (a Chinese character is 3). */
export const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

/** What separates entries of a pasted list: 「，」「、」「,」「;」「；」 and newlines; patterns only by newlines (a comma belongs to `{1,3}`). */
export const LIST_SEPARATORS = /[，、,;；\n\r]+/;
export const LINE_SEPARATORS = /[\n\r]+/;

/** Splits a pasted list into distinct, trimmed entries. */
export function splitList(text: string, separators: RegExp = LIST_SEPARATORS): string[] {
  return [...new Set(text.split(separators).map((s) => s.trim()).filter(Boolean))];
}
