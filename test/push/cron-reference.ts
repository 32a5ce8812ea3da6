/**
 * The brute-force reference for cron occurrences: the evaluator the scheduler used before cron-parser (every
 * minute tested in its time zone, backwards from now). Too slow for the scheduler (10,080 time-zone
 * conversions for a week), obviously right for plain numeric fields in zones without daylight saving time:
 * property tests compare cron-parser's answers with it. At DST changes it differs by design (it skipped an
 * occurrence in the spring gap and ran one in the repeated hour twice).
 */

/** Plain numeric fields; null is `*`. */
export interface CronSets {
  readonly minute: readonly number[];
  readonly hour: readonly number[] | null;
  readonly dayOfMonth: readonly number[] | null;
  readonly month: readonly number[] | null;
  readonly dayOfWeek: readonly number[] | null;
}

export const expressionOf = (s: CronSets): string =>
  [s.minute, s.hour, s.dayOfMonth, s.month, s.dayOfWeek].map((f) => (f ? f.join(',') : '*')).join(' ');

interface LocalTime {
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(ms: number, tz: string): LocalTime {
  let f = formatters.get(tz);
  if (!f) formatters.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' })));
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return { month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS.indexOf(parts.weekday!) };
}

/** Standard cron days: with both day fields restricted, either matches; otherwise both must. */
export function matches(s: CronSets, ms: number, tz: string): boolean {
  const t = localTime(ms, tz);
  const dom = !s.dayOfMonth || s.dayOfMonth.includes(t.day);
  const dow = !s.dayOfWeek || s.dayOfWeek.includes(t.weekday);
  const dayOk = s.dayOfMonth && s.dayOfWeek ? dom || dow : dom && dow;
  return s.minute.includes(t.minute) && (!s.hour || s.hour.includes(t.hour)) && (!s.month || s.month.includes(t.month)) && dayOk;
}

/** The latest occurrence in (`after`, `now`], scanning minute by minute backwards. */
export function latestByScan(s: CronSets, tz: string, after: number, now: number): number | null {
  for (let t = now - (now % 60_000); t > after; t -= 60_000) if (matches(s, t, tz)) return t;
  return null;
}

/** The first occurrence in (`from`, `until`), scanning forwards; null when there is none. */
export function firstByScan(s: CronSets, tz: string, from: number, until: number): number | null {
  for (let t = from - (from % 60_000) + 60_000; t < until; t += 60_000) if (matches(s, t, tz)) return t;
  return null;
}
