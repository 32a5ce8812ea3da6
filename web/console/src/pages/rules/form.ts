/**
 * The editor's form values and the API's rule: one to the other and back, and where an API problem's path
 * (`replies[0].content`) lives in the form. The form's field names are the API's, so paths map one to one.
 */
import type { ArticleInput, MatchMode, ReplyMode, Rule, RuleEvent } from './model.ts';
import { isKeywordRule } from './model.ts';

export interface ReplyValues {
  type: 'text' | 'news' | 'image';
  content?: string;
  articles?: { title?: string; description?: string; url?: string; image_url?: string }[];
  media_id?: string;
}

export interface RuleValues {
  name: string;
  kind: 'keyword' | 'event';
  match: MatchMode;
  keywords: string[];
  event: RuleEvent;
  keys: string[];
  replies: ReplyValues[];
  reply_mode: ReplyMode;
  enabled: boolean;
  all_day: boolean;
  active_hours: { from?: string; to?: string; days?: number[] };
}

export const emptyArticle = () => ({ title: '', description: '', url: '', image_url: '' });
export const emptyReply = (type: ReplyValues['type'] = 'text'): ReplyValues =>
  type === 'text' ? { type, content: '' } : type === 'news' ? { type, articles: [emptyArticle()] } : { type, media_id: '' };

/**
 * A new rule; `keyword` (from /admin/rules/new?keyword=…) becomes its keyword and its name; `click` (from
 * /admin/rules/new?click=KEY&name=…, the menu editor's link) makes it a click rule answering that menu key.
 */
export function newRuleValues(keyword: string | null, click: { key: string; name: string } | null = null): RuleValues {
  const k = keyword?.trim() ?? '';
  const base: RuleValues = {
    name: k, kind: 'keyword', match: 'contains', keywords: k ? [k] : [], event: 'follow', keys: [],
    replies: [emptyReply()], reply_mode: 'all', enabled: true, all_day: true, active_hours: { from: '09:00', to: '21:00', days: [] },
  };
  const key = click?.key.trim() ?? '';
  return key ? { ...base, name: click!.name.trim() || key, kind: 'event', event: 'click', keys: [key] } : base;
}

export function valuesOf(rule: Rule): RuleValues {
  const keyword = isKeywordRule(rule);
  return {
    name: rule.name,
    kind: keyword ? 'keyword' : 'event',
    match: keyword ? rule.match : 'contains',
    keywords: keyword ? [...rule.keywords] : [],
    event: keyword ? 'follow' : rule.event,
    keys: keyword ? [] : [...(rule.keys ?? [])],
    replies: rule.replies.map((r) =>
      r.type === 'news' ? { type: 'news', articles: r.articles.map((a) => ({ title: a.title, description: a.description ?? '', url: a.url, image_url: a.image_url ?? '' })) } : { ...r },
    ),
    reply_mode: rule.reply_mode,
    enabled: rule.enabled,
    all_day: rule.active_hours === null,
    active_hours: rule.active_hours ? { from: rule.active_hours.from, to: rule.active_hours.to, days: [...(rule.active_hours.days ?? [])] } : { from: '09:00', to: '21:00', days: [] },
  };
}

const optional = (s: string | undefined) => (s && s.trim() ? s : undefined);

/** One reply as the API takes it (only the fields of its type; empty optional fields left out). */
export function replyInput(r: ReplyValues): Record<string, unknown> {
  switch (r.type) {
    case 'news':
      return {
        type: 'news',
        articles: (r.articles ?? []).map((a): ArticleInput => ({
          title: a.title ?? '', url: a.url ?? '',
          ...(optional(a.description) ? { description: a.description! } : {}),
          ...(optional(a.image_url) ? { image_url: a.image_url! } : {}),
        })),
      };
    case 'image':
      return { type: 'image', media_id: r.media_id ?? '' };
    default:
      return { type: 'text', content: r.content ?? '' };
  }
}

/** The body of createRule / replaceRule. `priority`: the rule's place in the order (kept on edit; new rules go last). */
export function ruleInput(v: RuleValues, priority: number): Record<string, unknown> {
  const days = v.active_hours.days ?? [];
  return {
    name: v.name ?? '',
    ...(v.kind === 'keyword' ? { match: v.match, keywords: v.keywords ?? [] } : { event: v.event, ...(v.event === 'scene' || v.event === 'click' ? { keys: v.keys ?? [] } : {}) }),
    replies: (v.replies ?? []).map(replyInput),
    reply_mode: v.reply_mode,
    priority,
    enabled: v.enabled,
    active_hours: v.all_day ? null : { from: v.active_hours.from ?? '', to: v.active_hours.to ?? '', ...(days.length ? { days } : {}) },
  };
}

/** The form fields an API path can land on; anything else (e.g. the rule as a whole) goes in the alert. */
const FIELD = /^(name|match|keywords|event|keys|reply_mode|enabled|active_hours\.(from|to|days)|replies\[\d+\]\.(content|media_id|articles|articles\[\d+\]\.(title|description|url|image_url)))$/;

/**
 * The form field an API problem's path names, or null. A keyword's own path (`keywords[2]`) lands on the
 * keyword field, a day's on the days.
 * @example fieldOf('replies[0].articles[1].url') // ['replies', 0, 'articles', 1, 'url']
 */
export function fieldOf(path: string): (string | number)[] | null {
  const p = path.replace(/^(keywords|keys|active_hours\.days)\[\d+\]$/, '$1');
  if (!FIELD.test(p)) return null;
  return p.split(/\.|(?=\[)/).flatMap((part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    return m ? [Number(m[1])] : part.split(/\[(\d+)\]/).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  });
}
