/**
 * What is scheduled: the coming occurrences of a schedule (the editor's 「接下来」 list) and the calendar of an
 * account's broadcasts over a period, week by week, with each week's use of the weekly cap. Pure: broadcasts,
 * runs, the settings and `now` are arguments. Occurrences come from the parser the scheduler runs on
 * (cron-parser, in the schedule's time zone), so what the calendar shows is what will run.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Broadcast, BroadcastDefinition, Run } from './model.ts';
import { startOfDay, type PushSettings } from './policy.ts';

const DAY = 24 * 3600_000;
/** At most this many occurrences of one broadcast in a calendar (an every-minute cron over weeks is not a plan to draw). */
const MAX_PER_BROADCAST = 200;

type Schedule = NonNullable<BroadcastDefinition['schedule']>;

/**
 * The occurrences of `schedule` in (`from`, `to`], at most `limit`: the one time of an `at` schedule, or the
 * cron's in its zone.
 * @example occurrences({ cron: '0 10 * * 1', tz: 'Asia/Shanghai' }, Date.now(), Infinity, 5)
 */
export function occurrences(schedule: Schedule, from: number, to: number, limit: number): number[] {
  if ('at' in schedule) {
    const at = Date.parse(schedule.at);
    return at > from && at <= to ? [at] : [];
  }
  const it = CronExpressionParser.parse(schedule.cron, { currentDate: from, tz: schedule.tz });
  const out: number[] = [];
  while (out.length < limit) {
    const t = it.next().getTime();
    if (t > to) break;
    out.push(t);
  }
  return out;
}

/** Monday 00:00 (in `tz`) of the week `ms` falls in. */
function weekStart(ms: number, tz: string): number {
  const day = startOfDay(ms, tz);
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short' }).format(day);
  const back = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday);
  // Noon of the Monday, then its start: right across a daylight-saving change too.
  return back <= 0 ? day : startOfDay(day - back * DAY + DAY / 2, tz);
}

interface CalendarEntry {
  readonly broadcast: number;
  readonly name: string;
  readonly at: number;
  /** `scheduled`: an occurrence to come; `run`: a run already made (its status says how it went). */
  readonly kind: 'scheduled' | 'run';
  readonly status: string;
}

export interface CalendarWeek {
  readonly start: number;
  readonly end: number;
  /** Broadcasts (runs made and occurrences to come) in the week: what a follower in every audience would receive. */
  readonly pushes: number;
  readonly entries: CalendarEntry[];
}

/**
 * The calendar of `broadcasts` over [`from`, `to`): runs already made in it, and the occurrences to come (after
 * `now`) of every scheduled broadcast, grouped by week (Monday to Sunday in the settings' zone).
 */
export function calendar(
  broadcasts: readonly Broadcast[], runsOf: (b: Broadcast) => readonly Run[], settings: PushSettings, from: number, to: number, now: number,
): CalendarWeek[] {
  const entries: CalendarEntry[] = [];
  for (const b of broadcasts) {
    const name = b.definition.name;
    for (const r of runsOf(b)) {
      if (r.createdAt >= from && r.createdAt < to) entries.push({ broadcast: b.id, name, at: r.createdAt, kind: 'run', status: r.status });
    }
    const s = b.definition.schedule;
    if (!s || (b.status !== 'scheduled' && !(b.status === 'sending' && 'cron' in s))) continue;
    for (const at of occurrences(s, Math.max(from - 1, now), to - 1, MAX_PER_BROADCAST)) {
      entries.push({ broadcast: b.id, name, at, kind: 'scheduled', status: b.status });
    }
  }
  entries.sort((a, b) => a.at - b.at || a.broadcast - b.broadcast);
  const weeks: CalendarWeek[] = [];
  for (let start = weekStart(from, settings.tz); start < to; ) {
    const end = weekStart(start + 7 * DAY + DAY / 2, settings.tz);
    const inWeek = entries.filter((e) => e.at >= start && e.at < end);
    weeks.push({ start, end, pushes: inWeek.length, entries: inWeek });
    start = end;
  }
  return weeks;
}
