/**
 * Broadcasts as the API answers them (src/push/service.ts builds them): a broadcast with its runs, one run in
 * full, a preview, a planned send. The definition's fields come from push's own schema; the rest is spelled
 * out here, and the routes' handlers are typed by these schemas.
 */
import { z } from 'zod';
import { broadcastSchema } from '../../push/model.ts';
import { isoTime } from '../http.ts';

const count = z.number().int();
/** Why followers of the audience were not sent to (push's SkipReason). */
const skipped = z.strictObject({
  unfollowed: count, opted_out: count, outside_48h: count, quiet_hours: count, platform_limit: count, capped: count,
}).describe('followers not sent to, by reason');

/** What planning a run counted. */
const planning = {
  audience: count.describe('followers the audience matched'),
  planned: count.describe('of them, queued to send'),
  skipped,
};
/** What sending came to so far (with `planning`, push's outcomeJson). */
const sending = {
  sent: count,
  failed: count,
  failed_by_code: z.record(z.string(), count).describe('failed rows by the platform\'s errcode (0: not the platform\'s)'),
  unknown: count.describe('may or may not have been received (a timeout, or a sender stopped mid-call)'),
  pending: count.describe('not sent yet'),
  cancelled: count.optional(),
};

/** The platform's own counts for a mass run's batches (MASSSENDJOBFINISH), null until the first report. */
const reconciled = z.strictObject({
  batches: count, reported: count, total: count.nullable(), filter: count.nullable(), sent: count.nullable(), error: count.nullable(),
});

const runStatus = z.enum(['sending', 'done', 'cancelled', 'failed']);
const channel = broadcastSchema.shape.channel;
const runTimes = {
  not_before: isoTime.nullable(),
  finished_at: isoTime.nullable(),
  error: z.string().nullable(),
  reconciled: reconciled.optional(),
  next: z.string().optional().describe('what the operator can do about the unknowns'),
};

const run = z.strictObject({
  id: count,
  occurrence: z.string(),
  status: runStatus,
  ...planning,
  // Always there in the API's answers; push's broadcastJson also serves the CLI, which may leave them out.
  ...z.strictObject(sending).partial().shape,
  unknown_followers: z.array(z.string()).optional().describe('masked, at most 20 (the run\'s detail lists them all)'),
  unknown_followers_more: count.optional(),
  ...runTimes,
});

export const broadcastJson = z.strictObject({
  id: count,
  account: z.string(),
  status: z.enum(['draft', 'scheduled', 'sending', 'done', 'cancelled', 'failed']),
  ...broadcastSchema.shape,
  created_at: isoTime.nullable(),
  updated_at: isoTime.nullable(),
  runs: z.array(run),
});

export const runDetailJson = z.strictObject({
  broadcast: count,
  run: count,
  occurrence: z.string(),
  channel,
  status: runStatus,
  ...planning,
  ...sending,
  unknown_followers: z.array(z.string()).describe('full openids'),
  failed_followers: z.array(z.strictObject({ openid: z.string(), code: count })),
  ...runTimes,
});

const previewJson = z.strictObject({
  broadcast: count,
  channel,
  audience: count,
  to_send: count,
  skipped,
  quiet_hours_until: isoTime.nullable().optional().describe('when quiet hours hold the send until later'),
  blocked: z.string().optional().describe('why it cannot be sent (e.g. the subscription account\'s daily mass send)'),
});

export const sendJson = z.strictObject({
  run: count,
  status: runStatus,
  audience: count,
  planned: count,
  skipped,
});

/** The message as the follower would see it: a product pick resolved to its text (push's FrozenMessage). */
const shownMessage = z.union([
  z.strictObject({ type: z.literal('text'), content: z.string() }),
  z.strictObject({ type: z.literal('news'), article: z.strictObject({ title: z.string(), description: z.string().optional(), url: z.string(), image_url: z.string().optional() }) }),
  z.strictObject({ type: z.literal('mpnews'), media_id: z.string() }),
]);

/** A saved broadcast's preview, with its schedule's coming run times. */
export const savedPreviewJson = previewJson.extend({
  next_runs: z.array(isoTime).describe('the schedule\'s next run times (none without a schedule)'),
});

/** The preview of a definition not saved: the counts, the message as sent, the next run times, and why it would reach nobody. */
export const draftPreviewJson = previewJson.omit({ broadcast: true }).extend({
  message: shownMessage.nullable().describe('what the follower receives (null: a product pick that matches no product)'),
  next_runs: z.array(isoTime),
  warning: z.string().optional().describe('why it would reach nobody if sent now (absent when it reaches someone)'),
});

export const calendarJson = z.strictObject({
  from: isoTime,
  to: isoTime,
  weekly_cap: count.describe('pushes a follower may receive in any 7 days (the push settings)'),
  tz: z.string(),
  weeks: z.array(z.strictObject({
    start: isoTime,
    end: isoTime,
    pushes: count.describe('runs made and occurrences to come in the week'),
    entries: z.array(z.strictObject({
      broadcast: count, name: z.string(), at: isoTime,
      kind: z.enum(['scheduled', 'run']).describe('an occurrence to come, or a run already made'),
      status: z.string(),
    })),
  })),
});

export const repliesJson = z.strictObject({
  items: z.array(z.strictObject({ openid: z.string(), reason: z.string(), text: z.string(), at: isoTime })),
});
