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

export const previewJson = z.strictObject({
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
