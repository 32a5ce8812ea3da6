/**
 * Subscriber bookkeeping, before anything answers: follow/unfollow, the QR scene a follower came
 * through, the last time they wrote (the 48-hour customer-service window) and their last location.
 */
import type { TurnContext } from '../context.ts';
import type { Step } from '../pipeline.ts';
import { logWriteError } from '../../db/write-health.ts';

export const bookkeeping: Step = (ctx, next) => {
  // Not awaited: the record joins the group commit that stores this turn's answer (one commit, not two),
  // and the answer does not wait for it. Nothing later in the turn reads what it writes.
  record(ctx).catch((err: unknown) => logWriteError(ctx.log, err, 'could not record the subscriber'));
  return next();
};

/** One statement per fact, queued at once: on SQLite they join the turn's group commit. */
function record(ctx: TurnContext): Promise<unknown> {
  const { inbound: m, subscribers, now } = ctx;
  const who = { account: m.account, user: m.user, channel: m.channel };
  switch (m.kind) {
    case 'follow':
      return subscribers.followed(who, m.scene, now);
    case 'unfollow':
      return subscribers.unfollowed(who, now);
    case 'scan':
      return subscribers.scanned(who, m.scene, now);
    case 'location_report':
      return subscribers.located(who, m.lat, m.lng, now);
    case 'location':
      return Promise.all([subscribers.messaged(who, now), subscribers.located(who, m.lat, m.lng, now)]);
    case 'text':
    case 'image':
    case 'voice':
    case 'video':
    case 'link':
      return subscribers.messaged(who, now);
    default:
      return Promise.resolve();
  }
}
