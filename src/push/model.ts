/**
 * A broadcast as operators define it (JSON file, `/api/broadcasts`): one zod schema validates it at the
 * boundary; everything past `parseBroadcast` trusts the types.
 *
 * @example parseBroadcast({ name: '本周新品', message: { type: 'text', content: '本周女装上新' },
 *   audience: { all: true }, channel: 'custom', schedule: { cron: '0 10 * * 1', tz: 'Asia/Shanghai' } })
 */
import { z } from 'zod';
import { isHttpUrl, unsafeLinks } from '../core/link-safety.ts';
import { cronProblem } from './cron-schedule.ts';

const BROADCAST_STATUSES = ['draft', 'scheduled', 'sending', 'done', 'cancelled', 'failed'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];
const CHANNELS = ['custom', 'mass'] as const;
export type PushChannel = (typeof CHANNELS)[number];
/** Why a follower of the audience is not sent this run (first reason that applies, in this order). */
const SKIP_REASONS = ['unfollowed', 'opted_out', 'outside_48h', 'quiet_hours', 'platform_limit', 'capped'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const DEFAULT_TZ = 'Asia/Shanghai';

/** True for a time zone this runtime knows (an IANA name such as Asia/Shanghai); Intl throws RangeError otherwise. */
export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const nonEmptyList = (what: string) =>
  z.array(z.string().trim().min(1), { error: `${what}: a list of names` }).min(1, `${what}: at least one`).max(1000);

// z.url() takes any scheme (javascript:, data:): links must be http(s), as in rule replies (rules/links.ts).
const article = z.strictObject({
  title: z.string().trim().min(1, 'message.title: the article title'),
  description: z.string().optional(),
  url: z.string({ error: 'message.url: an http(s) URL' }).trim().refine(isHttpUrl, 'message.url: an http(s) URL'),
  image_url: z.string({ error: 'message.image_url: an http(s) URL' }).trim().refine(isHttpUrl, 'message.image_url: an http(s) URL').optional(),
});
const noUnsafeLinks = (s: string) => unsafeLinks(s).length === 0;

const messageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('text'),
    content: z.string().trim().min(1, 'message.content: the text to send').max(600, 'message.content: at most 600 characters (2048 bytes)')
      .refine(noUnsafeLinks, 'message.content: only http:// or https:// links: <a href="https://…">…</a>'),
  }),
  /** One article (customer-service news carries exactly one). */
  z.strictObject({ type: z.literal('news'), article }),
  /** Mass sends of articles go by the media_id of an article set uploaded to the platform. */
  z.strictObject({ type: z.literal('mpnews'), media_id: z.string().min(1) }),
  /** 「本周女装新品 top 5」: resolved from the catalogue when the run is planned. */
  z.strictObject({
    type: z.literal('product_pick'),
    title: z.string().trim().min(1),
    category: z.string().trim().min(1).optional(),
    tag: z.string().trim().min(1).optional(),
    limit: z.number().int().min(1).max(10).default(5),
  }),
], { error: 'message.type: text, news, mpnews or product_pick' });
export type BroadcastMessage = z.infer<typeof messageSchema>;

/**
 * The message as it will go out, frozen when the run is planned (a product pick resolved to its text) and
 * stored with the run, so a resumed run sends the same. Read back through this schema, not a cast. No
 * length limit on text: a resolved product pick may be longer than an operator's text.
 */
const frozenMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), content: z.string().min(1) }),
  z.strictObject({ type: z.literal('news'), article }),
  z.strictObject({ type: z.literal('mpnews'), media_id: z.string().min(1) }),
]);
export type FrozenMessage = z.infer<typeof frozenMessageSchema>;

/** A run's stored message (JSON), checked; throws naming the run when it is not one the sender can send. */
export function parseFrozenMessage(runId: number, json: string): FrozenMessage {
  const r = frozenMessageSchema.safeParse(JSON.parse(json));
  if (!r.success) throw new Error(`run ${runId}: its stored message is not one Guang can send (${r.error.issues.map((i) => i.message).join('; ')})`);
  return r.data;
}

const audienceSchema = z
  .strictObject({
    all: z.literal(true).optional(),
    tags: nonEmptyList('audience.tags').optional(),
    stores: nonEmptyList('audience.stores').optional(),
    cities: nonEmptyList('audience.cities').optional(),
    interests: nonEmptyList('audience.interests').optional(),
    active_within_hours: z.number().int().min(1).max(24 * 365).optional(),
  }, { error: 'audience: {"all": true}, or any of tags, stores, cities, interests, active_within_hours' })
  .refine((a) => Object.keys(a).length > 0, 'audience: say who — {"all": true}, {"tags": [...]}, {"stores": [...]}, {"cities": [...]}, {"interests": [...]} or {"active_within_hours": 48}')
  .refine((a) => !(a.all && Object.keys(a).length > 1), 'audience: "all" goes alone (the other keys narrow it)');
export type BroadcastAudience = z.infer<typeof audienceSchema>;

const scheduleSchema = z.union([
  z.strictObject({ at: z.iso.datetime({ offset: true, error: 'schedule.at: an ISO 8601 time with its offset, e.g. 2026-12-01T10:00:00+08:00' }) }),
  z.strictObject({
    // Validated by the parser the scheduler evaluates with: what is accepted here runs there.
    cron: z.string({ error: 'schedule.cron: a cron expression such as "0 10 * * 1" (minute hour day-of-month month weekday)' }).superRefine((c, ctx) => {
      const problem = cronProblem(c);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    tz: z.string().refine(isTimeZone, 'schedule.tz: an IANA time zone such as Asia/Shanghai').default(DEFAULT_TZ),
  }),
], { error: 'schedule: {"at": ISO time} or {"cron": "0 10 * * 1", "tz": "Asia/Shanghai"}' });

const repliesSchema = z.strictObject({
  /** 「回复 试用+理由」: the keyword a reply starts with. */
  keyword: z.string().trim().min(1).max(20),
  /** How long after the follower received the broadcast their reply counts (default 72 h). */
  window_hours: z.number().int().min(1).max(24 * 30).default(72),
  /** Sent back to the follower when their reply is collected. */
  confirm: z.string().trim().min(1).max(300).default('收到～你的申请已登记，我们会尽快联系你'),
});

/** A broadcast definition as operators write it (the API's document shows it; `parseBroadcast` validates with it). */
export const broadcastSchema = z
  .strictObject({
    name: z.string({ error: 'name: what operators call it, e.g. 本周新品' }).trim().min(1).max(60),
    message: messageSchema,
    audience: audienceSchema,
    channel: z.enum(CHANNELS, { error: 'channel: custom (customer-service messages inside the 48-hour window) or mass (platform mass send)' }),
    schedule: scheduleSchema.optional(),
    replies: repliesSchema.optional(),
  })
  .refine((b) => !(b.channel === 'custom' && b.message.type === 'mpnews'), { path: ['message'], message: 'message: mpnews goes by mass send; customer-service messages take text, news or product_pick' })
  .refine((b) => !(b.channel === 'mass' && b.message.type === 'news'), { path: ['message'], message: 'message: a mass send of articles needs the uploaded article set (type mpnews, media_id)' });
export type BroadcastDefinition = z.infer<typeof broadcastSchema>;

export type ParseResult = { ok: true; value: BroadcastDefinition } | { ok: false; problems: string[] };

/** Validates a broadcast definition; problems name the field and what it expects. */
export function parseBroadcast(input: unknown): ParseResult {
  const r = broadcastSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => {
      const where = i.path.join('.');
      return i.message.includes(':') || where === '' ? i.message : `${where}: ${i.message}`;
    }),
  };
}

/** A stored broadcast. */
export interface Broadcast {
  readonly id: number;
  readonly account: string;
  readonly status: BroadcastStatus;
  readonly definition: BroadcastDefinition;
  /** The last schedule occurrence (ms) the scheduler handled, run or missed. */
  readonly lastOccurrence: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Broadcast lifecycle: which status may follow which. */
const NEXT: Record<BroadcastStatus, readonly BroadcastStatus[]> = {
  draft: ['scheduled', 'sending', 'cancelled'],
  scheduled: ['sending', 'cancelled', 'done', 'failed'],
  // a recurring (cron) broadcast goes back to scheduled after each run
  sending: ['done', 'failed', 'cancelled', 'scheduled'],
  done: [],
  cancelled: [],
  failed: ['sending'],
};
export const canMove = (from: BroadcastStatus, to: BroadcastStatus): boolean => from === to || NEXT[from].includes(to);

/** True for a broadcast that runs again and again (a cron schedule): after a run it goes back to `scheduled`. */
export const recurs = (d: BroadcastDefinition): boolean => d.schedule !== undefined && 'cron' in d.schedule;

/**
 * The lifecycle moves after a run of the broadcast was planned (or found planned already): to `sending` for a
 * run with followers to send to; a run with nobody to send to ends at once, and a draft still goes
 * draft → sending → done (draft → done is no lifecycle move). None while the broadcast is `sending`.
 * @example movesAfterPlanning('draft', 'done', false) // → ['sending', 'done']
 */
export function movesAfterPlanning(current: BroadcastStatus, run: RunStatus, recurring: boolean): BroadcastStatus[] {
  if (current === 'sending') return [];
  if (run === 'sending') return ['sending'];
  if (run !== 'done') return [];
  return current === 'draft' ? ['sending', recurring ? 'scheduled' : 'done'] : [recurring ? 'scheduled' : 'done'];
}

/**
 * The broadcast's status once its run ended `done` or `failed`: a recurring broadcast waits for its next
 * occurrence; null when the broadcast is neither sending nor scheduled any more (nothing to move).
 */
export function statusAfterRun(b: Broadcast, run: 'done' | 'failed'): BroadcastStatus | null {
  if (b.status !== 'sending' && b.status !== 'scheduled') return null;
  return recurs(b.definition) ? 'scheduled' : run;
}

// ── runs ─────────────────────────────────────────────────────────────────────────────────────────────

export type RunStatus = 'sending' | 'done' | 'cancelled' | 'failed';
export interface RunCounts {
  audience: number;
  planned: number;
  skipped: Record<SkipReason, number>;
}

/** One run of a broadcast: the occurrence it sends, what planning counted, and its lease. */
export interface Run {
  readonly id: number;
  readonly broadcastId: number;
  readonly account: string;
  readonly occurrence: string;
  readonly channel: PushChannel;
  readonly status: RunStatus;
  readonly counts: RunCounts;
  readonly notBefore: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

/** Outcome counts of a run's outbox. */
export type OutboxCounts = Record<'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped' | 'cancelled', number>;

/**
 * What a run's outbox came to: sent, failed (by the platform's error code), unknown (the call may or may not
 * have reached the follower: a timeout, or a sender killed mid-call), still to send, cancelled, and skipped
 * at send time (the customer-service window lapsed while the run waited).
 */
export interface RunOutcome {
  readonly sent: number;
  readonly failed: number;
  /** errcode → rows, e.g. { '45015': 2, '40003': 1 } (`0`: an error that is not the platform's). */
  readonly failedByCode: Record<string, number>;
  readonly unknown: number;
  /** Not sent yet (pending, or in a call right now). */
  readonly pending: number;
  readonly cancelled: number;
  readonly skippedAtSend: number;
}

/** One follower whose outcome needs the operator: `unknown`, or `failed` with its code. */
export interface FollowerOutcome {
  readonly user: string;
  readonly state: 'unknown' | 'failed';
  readonly code: number | null;
}

/** A refused operation, with a code for HTTP status mapping and a message an operator can act on. */
export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(readonly code: 'not_found' | 'conflict' | 'validation' | 'blocked', message: string) {
    super(message);
  }
}
