/**
 * The push rules as pure functions over data: who is in the audience, who may be sent now and why not,
 * quiet hours, batching and the mass-send dedup id. No I/O and no clock: `now` is always an argument.
 */
import type { AccountType } from '../core/config.ts';
import { cronWindow } from './cron-schedule.ts';
import type { BroadcastAudience, PushChannel, SkipReason } from './model.ts';

export const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Customer-service messages: within 48 h after the follower's last message, at most 5 of them. */
export const CS_WINDOW_MS = 48 * HOUR;
export const CS_QUOTA = 5;
/** Service accounts: each follower receives at most 4 mass messages a calendar month. */
const MASS_PER_MONTH = 4;
/** Subscription accounts: 1 mass send a day. */
const MASS_SENDS_PER_DAY = 1;
/** The weekly cap counts pushes over any rolling 7 days. */
export const WEEK_MS = 7 * DAY;
/** `/message/mass/send` takes 2–10,000 openids. */
const MASS_BATCH_MAX = 10_000;

export interface PushSettings {
  /** At most this many pushes per follower in any rolling 7 days, every broadcast and channel together. */
  readonly weeklyCap: number;
  /** Quiet hours, 'HH:MM' local time in `tz`; start === end means none. */
  readonly quietStart: string;
  readonly quietEnd: string;
  readonly tz: string;
}
export const DEFAULT_PUSH_SETTINGS: PushSettings = { weeklyCap: 1, quietStart: '22:00', quietEnd: '08:00', tz: 'Asia/Shanghai' };

// ── time in a zone ───────────────────────────────────────────────────────────────────────────────────

interface LocalTime {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}
// One formatter per zone for the process (constructing one costs ~0.5 ms, formatting with it ~10 µs), and
// the last minute formatted per zone: the sender asks about quiet hours before every call, minute after minute.
const formatters = new Map<string, Intl.DateTimeFormat>();
const lastMinute = new Map<string, { readonly minute: number; readonly t: LocalTime }>();

/** Wall-clock fields of `ms` in `tz`. */
function localTime(ms: number, tz: string): LocalTime {
  const minute = Math.floor(ms / 60_000);
  const last = lastMinute.get(tz);
  if (last?.minute === minute) return last.t;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  const t = {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute),
  };
  lastMinute.set(tz, { minute, t });
  return t;
}

/** Offset of `tz` from UTC at `ms`, in ms. */
function offsetMs(ms: number, tz: string): number {
  const t = localTime(ms, tz);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  return asUtc - (ms - (ms % 60_000 + 60_000) % 60_000);
}

/** The instant of a local wall-clock time in `tz`. */
function fromLocal(year: number, month: number, day: number, hour: number, minute: number, tz: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetMs(guess, tz);
  return guess - offsetMs(first, tz);
}

/** Start of the local day / calendar month of `ms` in `tz`. */
export function startOfDay(ms: number, tz: string): number {
  const t = localTime(ms, tz);
  return fromLocal(t.year, t.month, t.day, 0, 0, tz);
}
export function startOfMonth(ms: number, tz: string): number {
  const t = localTime(ms, tz);
  return fromLocal(t.year, t.month, 1, 0, 0, tz);
}

// ── quiet hours ──────────────────────────────────────────────────────────────────────────────────────

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * When a send due at `now` may go: `now` itself outside quiet hours, else the end of the quiet window.
 * @example sendableAt(Date.parse('2026-01-05T23:00:00+08:00'), DEFAULT_PUSH_SETTINGS) // → 2026-01-06T08:00+08:00
 */
export function sendableAt(now: number, s: Pick<PushSettings, 'quietStart' | 'quietEnd' | 'tz'>): number {
  const start = minutesOf(s.quietStart);
  const end = minutesOf(s.quietEnd);
  if (start === end) return now;
  const t = localTime(now, s.tz);
  const m = t.hour * 60 + t.minute;
  const quiet = start < end ? m >= start && m < end : m >= start || m < end;
  if (!quiet) return now;
  // The end of the window: today at `end` if still ahead, else tomorrow at `end`.
  const endToday = fromLocal(t.year, t.month, t.day, Math.floor(end / 60), end % 60, s.tz);
  return endToday > now ? endToday : fromLocal(t.year, t.month, t.day + 1, Math.floor(end / 60), end % 60, s.tz);
}

// ── audience ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * One follower the planner weighs as a recipient: what it knows about them. Optional facts are loaded only
 * when the audience needs them.
 */
export interface Recipient {
  readonly user: string;
  /** 'wechat' (an openid) or 'wechaty' (a Wechaty contact: never pushed through the WeChat API). */
  readonly channel: string;
  readonly subscribed: boolean;
  readonly optedOut: boolean;
  readonly lastMessageAt: number | null;
  /** Pushes in the ledger (any broadcast, any channel; not answers) within the rolling 7 days before the send. */
  readonly pushesThisWeek: number;
  /** Mass messages this calendar month (service accounts' 4 a month). */
  readonly massThisMonth: number;
  /** Customer-service messages since the follower's last message, pushes and answers alike (5 per 48-hour window). */
  readonly customSinceLastMessage: number;
  readonly tags?: readonly string[];
  readonly store?: string | null;
  readonly city?: string | null;
  /** Categories and keywords of the follower's searches (from the answer log). */
  readonly interests?: readonly string[];
}

/** Which optional facts an audience needs (the loader skips the others). */
export interface AudienceNeeds {
  readonly tags: boolean;
  readonly store: boolean;
  readonly city: boolean;
  readonly interests: boolean;
}
export function audienceNeeds(a: BroadcastAudience): AudienceNeeds {
  return { tags: !!a.tags, store: !!a.stores, city: !!a.cities, interests: !!a.interests };
}

/**
 * True when the follower belongs to the audience: every given key must hold (AND), any value of a key
 * matches (OR). An interest matches a searched category at any level (女装 matches 女装/连衣裙) or a keyword.
 */
export function inAudience(a: BroadcastAudience, c: Recipient, now: number): boolean {
  if (a.all) return true;
  if (a.tags && !a.tags.some((t) => c.tags?.includes(t))) return false;
  if (a.stores && !(c.store && a.stores.includes(c.store))) return false;
  if (a.cities && !(c.city && a.cities.some((city) => sameCity(city, c.city!)))) return false;
  if (a.interests && !a.interests.some((i) => matchesInterest(i, c.interests ?? []))) return false;
  if (a.active_within_hours !== undefined && !(c.lastMessageAt !== null && now - c.lastMessageAt <= a.active_within_hours * HOUR)) return false;
  return true;
}

const sameCity = (a: string, b: string): boolean => a.replace(/市$/, '') === b.replace(/市$/, '');
function matchesInterest(interest: string, known: readonly string[]): boolean {
  const want = interest.toLowerCase();
  return known.some((k) => {
    const have = k.toLowerCase();
    return have === want || have.split('/').includes(want);
  });
}

/** Interests from one answer-log entry's slots: its category paths and keywords. */
export function interestsFromSlots(slots: unknown): string[] {
  if (typeof slots !== 'object' || slots === null) return [];
  const s = slots as { categories?: unknown; keywords?: unknown };
  const out: string[] = [];
  for (const list of [s.categories, s.keywords]) {
    if (Array.isArray(list)) for (const v of list) if (typeof v === 'string' && v !== '') out.push(v);
  }
  return out;
}

// ── who may be sent ──────────────────────────────────────────────────────────────────────────────────

export interface PolicyContext {
  /** When the run will send (after quiet hours). */
  readonly sendAt: number;
  /** When planning happens; a customer-service window open now but closed by `sendAt` is a quiet-hours skip. */
  readonly now: number;
  readonly channel: PushChannel;
  readonly accountType: AccountType;
  readonly weeklyCap: number;
  /** Mass sends the account made today (subscription accounts: 1 a day). */
  readonly massSendsToday: number;
}

/**
 * The first reason a follower of the audience is not sent, or null when they may be.
 * Order: unfollowed, opted_out, outside_48h, quiet_hours, platform_limit, capped — each follower counts once.
 */
export function skipReason(c: Recipient, ctx: PolicyContext): SkipReason | null {
  if (!c.subscribed || c.channel !== 'wechat') return 'unfollowed';
  if (c.optedOut) return 'opted_out';
  if (ctx.channel === 'custom') {
    if (c.lastMessageAt === null || ctx.now - c.lastMessageAt >= CS_WINDOW_MS) return 'outside_48h';
    if (ctx.sendAt - c.lastMessageAt >= CS_WINDOW_MS) return 'quiet_hours';
    if (c.customSinceLastMessage >= CS_QUOTA) return 'platform_limit';
  } else if (ctx.accountType === 'service') {
    if (c.massThisMonth >= MASS_PER_MONTH) return 'platform_limit';
  } else if (ctx.massSendsToday >= MASS_SENDS_PER_DAY) {
    return 'platform_limit';
  }
  if (c.pushesThisWeek >= ctx.weeklyCap) return 'capped';
  return null;
}

/** A send-time re-check of a customer-service row: the window may have lapsed while the run waited. */
export const windowOpen = (lastMessageAt: number | null, at: number): boolean =>
  lastMessageAt !== null && at - lastMessageAt < CS_WINDOW_MS;

// ── batching ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * How `total` recipients split into mass batches of at most `size` (2–10,000 each, the platform's bounds),
 * evenly so no batch is left with a single openid. Returns the batch count; recipient i goes to batch
 * `massBatchOf(i, n, total)`.
 */
export function massBatchCount(total: number, size: number): number {
  const max = Math.max(2, Math.min(MASS_BATCH_MAX, size));
  if (total < 2) return total;
  let n = Math.ceil(total / max);
  if (Math.floor(total / n) < 2) n = Math.floor(total / 2);
  return Math.max(1, n);
}

/** The mass batch of recipient `i` of `total` split into `batches` (see massBatchCount). */
export const massBatchOf = (i: number, batches: number, total: number): number => Math.floor((i * batches) / total);

/** The mass send's `clientmsgid`: the same for every attempt of one batch, so a resumed run is deduplicated. */
export const clientMsgId = (runId: number, batch: number): string => `guang-run${runId}-b${batch}`;

export interface PlanCounts {
  /** Followers in the audience (wechat channel). */
  audience: number;
  eligible: number;
  skipped: Record<SkipReason, number>;
}
const emptySkipped = (): Record<SkipReason, number> => ({
  unfollowed: 0, opted_out: 0, outside_48h: 0, quiet_hours: 0, platform_limit: 0, capped: 0,
});

/**
 * The pure planner: streams the account's followers, keeps the audience, decides each, counts the reasons and
 * hands each eligible follower to `take` (the caller writes its outbox row). Memory stays flat over 1M followers.
 * `counts` carries on from an earlier call: followers read a page at a time are planned page by page.
 */
export function plan(
  followers: Iterable<Recipient>,
  audience: BroadcastAudience,
  ctx: PolicyContext,
  take: (c: Recipient) => void = () => {},
  counts: PlanCounts = { audience: 0, eligible: 0, skipped: emptySkipped() },
): PlanCounts {
  for (const c of followers) {
    if (!inAudience(audience, c, ctx.now)) continue;
    counts.audience++;
    const reason = skipReason(c, ctx);
    if (reason) counts.skipped[reason]++;
    else {
      counts.eligible++;
      take(c);
    }
  }
  return counts;
}

// ── schedules ────────────────────────────────────────────────────────────────────────────────────────

/** A broadcast's schedule as the scheduler evaluates it: a one-shot instant, or a cron expression in a time zone. */
export type Schedule = { readonly at: number } | { readonly cron: string; readonly tz: string };

export type Due =
  | { readonly kind: 'run'; readonly occurrence: number }
  | { readonly kind: 'missed'; readonly occurrence: number }
  /** `next`: nothing is due before this instant while the last occurrence handled stays the same (null: never). */
  | { readonly kind: 'none'; readonly next: number | null };

/**
 * Whether a scheduled broadcast is due at `now`: its latest occurrence after the last one handled and not
 * older than `lookbackMs`, run if at most `graceMs` old, reported missed (never run late) if older. With
 * `lastHandled` = the last occurrence handled, a schedule missed while the server was down is found once.
 * @example dueOccurrence({ cron: '0 10 * * 1', tz: 'Asia/Shanghai' }, lastOccurrence, now, 6 * HOUR) // → { kind: 'none', next: … }
 */
export function dueOccurrence(schedule: Schedule, lastHandled: number | null, now: number, graceMs: number, lookbackMs = WEEK_MS): Due {
  let occurrence: number;
  if ('at' in schedule) {
    if (lastHandled !== null && schedule.at <= lastHandled) return { kind: 'none', next: null };
    if (schedule.at > now) return { kind: 'none', next: schedule.at };
    occurrence = schedule.at;
  } else {
    // The window is (after, now]: an occurrence exactly `lookbackMs` old still counts.
    const after = Math.max(lastHandled ?? -Infinity, now - lookbackMs - 1);
    const w = cronWindow(schedule.cron, schedule.tz, after, now);
    if (w.latest === null) return { kind: 'none', next: w.next };
    occurrence = w.latest;
  }
  return now - occurrence <= graceMs ? { kind: 'run', occurrence } : { kind: 'missed', occurrence };
}
