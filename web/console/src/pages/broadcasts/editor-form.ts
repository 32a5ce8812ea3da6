/**
 * The editor's form values ↔ a broadcast definition as the API takes it, and where the API's problems go on
 * the form (`message.content` → the text field). The console checks nothing itself: the API validates.
 */
import dayjs, { type Dayjs } from 'dayjs';
import { pickedCron, readCron, type Definition, type Message, type Repeat } from './model.ts';

export interface EditorValues {
  name?: string;
  channel: 'custom' | 'mass';
  kind: Message['type'];
  content?: string;
  article?: { title?: string; description?: string; url?: string; image_url?: string };
  media_id?: string;
  pick?: { title?: string; category?: string; tag?: string; limit?: number | null };
  audienceMode: 'all' | 'filter';
  stores?: string[];
  cities?: string[];
  tags?: string[];
  interests?: string[];
  active_within_hours?: number | null;
  repeat: Repeat;
  at?: Dayjs | null;
  time?: Dayjs | null;
  days?: number[];
  cron?: string;
  /** The cron's zone: a broadcast made through the API may have another; the editor's picks are Beijing time. */
  tz?: string;
  collect?: boolean;
  replies?: { keyword?: string; window_hours?: number | null; confirm?: string };
}

export const NEW_VALUES: EditorValues = {
  channel: 'custom', kind: 'text', audienceMode: 'all', repeat: 'none', days: [1], pick: { limit: 5 }, collect: false,
  replies: { window_hours: 72, confirm: '收到～你的申请已登记，我们会尽快联系你' },
};

const text = (v: string | undefined) => v ?? '';
/** A value left empty is left out (the API says when it is needed). */
const opt = <T>(v: T | undefined | null | ''): T | undefined => (v === null || v === '' ? undefined : v);
const list = (v: string[] | undefined) => (v && v.length > 0 ? v : undefined);

function messageOf(v: EditorValues): Message {
  switch (v.kind) {
    case 'text':
      return { type: 'text', content: text(v.content) };
    case 'news': {
      const a = v.article ?? {};
      return { type: 'news', article: { title: text(a.title), url: text(a.url), ...(opt(a.description) ? { description: a.description! } : {}), ...(opt(a.image_url) ? { image_url: a.image_url! } : {}) } };
    }
    case 'mpnews':
      return { type: 'mpnews', media_id: text(v.media_id) };
    case 'product_pick': {
      const p = v.pick ?? {};
      return { type: 'product_pick', title: text(p.title), limit: p.limit ?? 5, ...(opt(p.category) ? { category: p.category! } : {}), ...(opt(p.tag) ? { tag: p.tag! } : {}) };
    }
  }
}

const BEIJING = 'Asia/Shanghai';
/** 10:00 picked on the page is 10:00 Beijing time, whatever the browser's zone. */
const beijingIso = (d: Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;
/** The other way: a moment as the picker shows it, its Beijing wall-clock time. */
function beijingPick(iso: string): Dayjs {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: BEIJING, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return dayjs(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`);
}

/** The cron a daily or weekly pick (or the 「高级」 field) makes; undefined while incomplete. */
export function cronOf(v: EditorValues): string | undefined {
  if (v.repeat === 'cron') return v.cron ?? '';
  if (!v.time) return undefined;
  if (v.repeat === 'daily') return pickedCron(v.time.format('HH:mm'), null);
  if (v.repeat === 'weekly') return pickedCron(v.time.format('HH:mm'), v.days ?? []);
  return undefined;
}

/** The definition the API is sent (incomplete values go as they are: the API names what is missing). */
export function definitionOf(v: EditorValues): Definition {
  const audience = v.audienceMode === 'all'
    ? { all: true as const }
    : {
        ...(list(v.stores) ? { stores: v.stores! } : {}), ...(list(v.cities) ? { cities: v.cities! } : {}),
        ...(list(v.tags) ? { tags: v.tags! } : {}), ...(list(v.interests) ? { interests: v.interests! } : {}),
        ...(opt(v.active_within_hours) ? { active_within_hours: v.active_within_hours! } : {}),
      };
  const schedule = v.repeat === 'none' ? undefined
    : v.repeat === 'once' ? { at: v.at ? beijingIso(v.at) : '' }
    : { cron: cronOf(v) ?? '', tz: v.tz ?? BEIJING };
  const r = v.replies ?? {};
  return {
    name: text(v.name),
    message: messageOf(v),
    audience,
    channel: v.channel,
    ...(schedule ? { schedule } : {}),
    ...(v.collect ? { replies: { keyword: text(r.keyword), ...(opt(r.window_hours) ? { window_hours: r.window_hours! } : {}), ...(opt(r.confirm) ? { confirm: r.confirm! } : {}) } } : {}),
  };
}

/**
 * The form's values for a saved definition (editing it): the inverse of `definitionOf`. A cron the picker can
 * show opens as 每天/每周 with its time; any other as 「高级」.
 * @example valuesOf({ ..., schedule: { cron: '0 10 * * 1,4', tz: 'Asia/Shanghai' } }) // → { repeat: 'weekly', days: [1, 4], time: 10:00, … }
 */
export function valuesOf(d: Definition): EditorValues {
  const m = d.message;
  const message: Partial<EditorValues> =
    m.type === 'text' ? { content: m.content }
    : m.type === 'news' ? { article: { ...m.article } }
    : m.type === 'mpnews' ? { media_id: m.media_id }
    : { pick: { title: m.title, category: m.category, tag: m.tag, limit: m.limit } };
  const a = d.audience;
  const audience: Partial<EditorValues> = a.all
    ? { audienceMode: 'all' }
    : { audienceMode: 'filter', stores: a.stores, cities: a.cities, tags: a.tags, interests: a.interests, active_within_hours: a.active_within_hours ?? null };
  const s = d.schedule;
  let schedule: Partial<EditorValues> = { repeat: 'none' };
  if (s && 'at' in s) schedule = { repeat: 'once', at: beijingPick(s.at) };
  else if (s) {
    const tz = s.tz ?? BEIJING;
    const picked = tz === BEIJING ? readCron(s.cron) : null;
    schedule = !picked ? { repeat: 'cron', cron: s.cron, tz }
      : picked.days === null || picked.days.length === 7 ? { repeat: 'daily', time: dayjs(`2000-01-01T${picked.time}`), tz }
      : { repeat: 'weekly', time: dayjs(`2000-01-01T${picked.time}`), days: picked.days, tz };
  }
  return {
    ...NEW_VALUES,
    name: d.name,
    channel: d.channel,
    kind: m.type,
    ...message,
    ...audience,
    ...schedule,
    collect: d.replies !== undefined,
    replies: d.replies ? { ...d.replies } : NEW_VALUES.replies,
  };
}

/**
 * The form field an API problem's path belongs to (null: none, shown in the alert).
 * @example fieldOf('message.content', values) // → ['content']
 */
export function fieldOf(path: string, v: EditorValues): (string | number)[] | null {
  const [head, sub] = path.split('.');
  switch (head) {
    case 'name':
    case 'channel':
      return [head];
    case 'message':
      if (!sub) return ['kind'];
      if (v.kind === 'text') return ['content'];
      if (v.kind === 'mpnews') return ['media_id'];
      if (v.kind === 'news') return ['article', sub];
      return ['pick', sub];
    case 'audience':
      if (sub && v.audienceMode === 'filter' && ['stores', 'cities', 'tags', 'interests', 'active_within_hours'].includes(sub)) return [sub];
      return ['audienceMode'];
    case 'schedule':
      if (v.repeat === 'once') return ['at'];
      return v.repeat === 'cron' ? ['cron'] : ['time'];
    case 'replies':
      return sub ? ['replies', sub] : ['collect'];
    default:
      return null;
  }
}

/** What a problem's field is called on screen (for the preview's 「还需填写」 list). */
export const FIELD_LABELS: Record<string, string> = {
  name: '名称', content: '文字内容', kind: '消息类型', channel: '发送方式', media_id: '图文素材 media_id', audienceMode: '受众',
  stores: '门店', cities: '城市', tags: '标签', interests: '兴趣', active_within_hours: '最近活跃', at: '发送时间', time: '发送时间',
  cron: 'cron 表达式', collect: '收集回复', title: '标题', url: '链接', image_url: '图片链接', keyword: '回复关键词', limit: '数量',
  category: '类目', tag: '商品标签', window_hours: '回复有效期', confirm: '确认回复',
};
