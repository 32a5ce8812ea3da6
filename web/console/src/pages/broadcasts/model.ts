/**
 * 群发 as the console sees it: the API's broadcast, preview and calendar shapes (src/admin/routes/broadcast-json.ts),
 * their words on screen, and the schedule picker's cron (every day or some weekdays at a time ↔ `m h * * d`).
 */

export type SkipReason = 'unfollowed' | 'opted_out' | 'outside_48h' | 'quiet_hours' | 'platform_limit' | 'capped';
type Skipped = Record<SkipReason, number>;

export type Message =
  | { type: 'text'; content: string }
  | { type: 'news'; article: { title: string; description?: string; url: string; image_url?: string } }
  | { type: 'mpnews'; media_id: string }
  | { type: 'product_pick'; title: string; category?: string; tag?: string; limit: number };

export interface Audience {
  all?: true;
  tags?: string[];
  stores?: string[];
  cities?: string[];
  interests?: string[];
  active_within_hours?: number;
}

export type Schedule = { at: string } | { cron: string; tz?: string };

export interface Definition {
  name: string;
  message: Message;
  audience: Audience;
  channel: 'custom' | 'mass';
  schedule?: Schedule;
  replies?: { keyword: string; window_hours?: number; confirm?: string };
}

export interface RunJson {
  id: number;
  occurrence: string;
  status: 'sending' | 'done' | 'cancelled' | 'failed';
  audience: number;
  planned: number;
  skipped: Skipped;
  sent?: number;
  failed?: number;
  unknown?: number;
  pending?: number;
  cancelled?: number;
  not_before: string | null;
  finished_at: string | null;
  error: string | null;
}

export type BroadcastStatus = 'draft' | 'scheduled' | 'sending' | 'done' | 'cancelled' | 'failed';

export interface BroadcastJson extends Definition {
  id: number;
  status: BroadcastStatus;
  created_at: string | null;
  runs: RunJson[];
}

export interface PreviewJson {
  channel: 'custom' | 'mass';
  audience: number;
  to_send: number;
  skipped: Skipped;
  quiet_hours_until?: string | null;
  blocked?: string;
  next_runs: string[];
}

export interface DraftPreviewJson extends PreviewJson {
  message: Exclude<Message, { type: 'product_pick' }> | null;
  warning?: string;
}

export interface CalendarJson {
  weekly_cap: number;
  weeks: { start: string; end: string; pushes: number; entries: { broadcast: number; name: string; at: string; kind: 'scheduled' | 'run'; status: string }[] }[];
}

export const STATUS_NAMES: Record<BroadcastStatus, { text: string; color: string }> = {
  draft: { text: '草稿', color: 'default' },
  scheduled: { text: '已排期', color: 'blue' },
  sending: { text: '发送中', color: 'processing' },
  done: { text: '已完成', color: 'green' },
  cancelled: { text: '已取消', color: 'default' },
  failed: { text: '失败', color: 'red' },
};

export const RUN_STATUS_NAMES: Record<RunJson['status'], string> = { sending: '发送中', done: '已完成', cancelled: '已取消', failed: '失败' };

/** Why followers are skipped, as the merchant reads it (push's SkipReason, in its order). */
export const SKIP_NAMES: Record<SkipReason, string> = {
  unfollowed: '已取关',
  opted_out: '已退订',
  outside_48h: '超出 48 小时互动窗口',
  quiet_hours: '免打扰时段',
  platform_limit: '平台次数限制',
  capped: '已达每周上限',
};

export const CHANNEL_NAMES = { custom: '客服消息（48 小时内互动过的粉丝）', mass: '群发接口（平台群发）' } as const;

export const KIND_NAMES = { text: '文字', news: '图文（一篇）', product_pick: '商品精选', mpnews: '图文素材（media_id）' } as const;

/** Why a broadcast would reach nobody, in words: the biggest reasons first. */
export function nobodyText(p: Pick<PreviewJson, 'audience' | 'to_send' | 'skipped'>): string | null {
  if (p.to_send > 0) return null;
  if (p.audience === 0) return '受众里没有粉丝：请放宽门店、城市、标签等条件。';
  const reasons = (Object.entries(p.skipped) as [SkipReason, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return `现在发送不会送达任何人：受众 ${p.audience} 人中，${reasons.map(([r, n]) => `${SKIP_NAMES[r]} ${n} 人`).join('，')}。`;
}

// ── the schedule picker ──────────────────────────────────────────────────────────────────────────────

export type Repeat = 'none' | 'once' | 'daily' | 'weekly' | 'cron';
/** Weekdays as cron numbers (0 Sunday … 6 Saturday), Monday first on screen. */
export const WEEKDAYS = [
  { value: 1, label: '周一' }, { value: 2, label: '周二' }, { value: 3, label: '周三' }, { value: 4, label: '周四' },
  { value: 5, label: '周五' }, { value: 6, label: '周六' }, { value: 0, label: '周日' },
] as const;

/** Only these may be edited, and only while no run is sending (the API says 409 otherwise). */
export const editable = (b: { readonly status: BroadcastJson['status'] }) => b.status === 'draft' || b.status === 'scheduled';

/**
 * The cron of a daily or weekly pick: 10:00 on Monday and Thursday → `0 10 * * 1,4`; every day → `0 10 * * *`.
 * @example pickedCron('10:00', [4, 1]) // → '0 10 * * 1,4'
 */
export function pickedCron(time: string, days: readonly number[] | null): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const d = days === null ? '*' : [...days].sort((a, b) => a - b).join(',');
  return `${m} ${h} * * ${d}`;
}

/**
 * A cron the picker can show (a minute, an hour, every day of the month and month, some weekdays or all),
 * or null when only the 「高级」 field can.
 * @example readCron('0 10 * * 1,4') // → { time: '10:00', days: [1, 4] }
 */
export function readCron(cron: string): { time: string; days: number[] | null } | null {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-7](?:,[0-7])*)$/.exec(cron.trim());
  if (!m) return null;
  const [minute, hour] = [Number(m[1]), Number(m[2])];
  if (minute > 59 || hour > 23) return null;
  const days = m[3] === '*' ? null : [...new Set(m[3]!.split(',').map((d) => Number(d) % 7))];
  return { time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, days };
}

/** A broadcast's schedule in words: 「每周一、周四 10:00」「每天 09:30」「2026/12/08 10:00」 or the cron. */
export function scheduleText(s: Schedule | undefined, time: (iso: string) => string): string {
  if (!s) return '不定时（手动发送）';
  if ('at' in s) return `定时 ${time(s.at)}`;
  const picked = readCron(s.cron);
  if (!picked) return `cron ${s.cron}`;
  if (picked.days === null || picked.days.length === 7) return `每天 ${picked.time}`;
  return `每${WEEKDAYS.filter((d) => picked.days!.includes(d.value)).map((d) => d.label).join('、')} ${picked.time}`;
}
