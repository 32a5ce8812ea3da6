/**
 * Cron schedules of broadcasts: which expressions Guang accepts, and where an expression's occurrences fall in
 * its time zone. One parser (cron-parser) does both, so an expression accepted when a broadcast is created is
 * one the scheduler can evaluate.
 *
 * cron-parser finds the next or previous occurrence by moving field by field (day, hour, minute) rather than by
 * testing every minute, so last week's occurrence costs a few steps, not 10,080 time-zone conversions.
 *
 * Daylight saving time (zones that have it; Asia/Shanghai has none): an occurrence at a local time the spring
 * jump skips runs once, at the same instant an hour later on the wall clock (02:30 → 03:30 EDT); an occurrence
 * at a local time the autumn fall-back repeats runs once, at its first instance (01:30 EDT, not again at
 * 01:30 EST); a schedule that does not name the hour (`30 * * * *`) runs in both repeated hours, as real
 * time goes.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';

const USAGE = 'schedule.cron: a cron expression such as "0 10 * * 1" (minute hour day-of-month month weekday)';
/** Where the "does it ever occur" check starts: any fixed instant will do (cron has no year field). */
const PROBE_FROM = Date.UTC(2000, 0, 1);

/**
 * Why `expr` is not a schedule Guang runs (a message naming the field and what it expects), or null when it is.
 * Refused besides what cron-parser refuses: an empty expression (it would read it as every minute),
 * seconds other than 0 (the scheduler works to the minute), `H` (a hashed value: cron-parser draws it at
 * random on every parse, so it would move between evaluations) and expressions that never occur.
 * @example cronProblem('0 10 * * 1') // → null
 * @example cronProblem('0 10 15W * *') // → 'schedule.cron: … (minute hour day-of-month month weekday); Invalid characters, got value: 15W'
 */
export function cronProblem(expr: string): string | null {
  // cron-parser reads an empty expression as "every minute".
  if (expr.trim() === '') return `${USAGE}; it is empty`;
  if (/\bH\b/i.test(expr)) return `${USAGE}; H (a hashed value) is not supported: give the minute and hour`;
  let parsed: CronExpression;
  try {
    parsed = CronExpressionParser.parse(expr, { currentDate: PROBE_FROM, tz: 'UTC' });
  } catch (err) {
    return `${USAGE}; ${err instanceof Error ? err.message : String(err)}`;
  }
  if (parsed.fields.second.values.some((s) => s !== 0)) {
    return 'schedule.cron: broadcasts are scheduled to the minute: five fields (minute hour day-of-month month weekday), no seconds';
  }
  try {
    parsed.next();
  } catch {
    return `schedule.cron: "${expr}" never occurs`;
  }
  return null;
}

/** How far `cronWindow` steps forward from its jump: past what prev() can miss (a DST day), never a scan. */
const MAX_FORWARD_STEPS = 64;

/** An expression's occurrences around `now`: the latest one due, or else the first one to come. */
export type CronWindow = { readonly latest: number } | { readonly latest: null; readonly next: number };

/**
 * The latest occurrence of `expr` in (`after`, `now`] in time zone `tz`, or when there is none, the first
 * occurrence after `after` (later than `now`). Throws on an expression cron-parser cannot evaluate (one that
 * `cronProblem` would refuse).
 * @example cronWindow('0 10 * * 1', 'Asia/Shanghai', lastRun, Date.now())
 */
export function cronWindow(expr: string, tz: string, after: number, now: number): CronWindow {
  const it = CronExpressionParser.parse(expr, { currentDate: after, tz });
  const first = it.next().getTime();
  if (first > now) return { latest: null, next: first };
  // Jump near `now` with prev(), then step forward with next(): prev() can miss an occurrence next() yields
  // (the shifted one on a spring-forward day), and next() is what decided `first`, so it decides here too.
  it.reset(new Date(now + 1));
  const back = it.prev().getTime();
  let latest = first;
  if (back > first) {
    it.reset(new Date(back - 1));
    const confirmed = it.next().getTime();
    if (confirmed <= now) latest = confirmed;
  }
  it.reset(new Date(latest));
  for (let i = 0; i < MAX_FORWARD_STEPS; i++) {
    const t = it.next().getTime();
    if (t > now) break;
    latest = t;
  }
  return { latest };
}
