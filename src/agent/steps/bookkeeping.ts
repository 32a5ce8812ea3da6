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
  ctx.write(() => record(ctx)).catch((err: unknown) => logWriteError(ctx.log, err, 'could not record the subscriber'));
  return next();
};

function record(ctx: TurnContext): void {
  const { inbound: m, subscribers, now } = ctx;
  const who = { account: m.account, user: m.user, channel: m.channel };
  switch (m.kind) {
    case 'follow':
      subscribers.followed(who, m.scene, now);
      break;
    case 'unfollow':
      subscribers.unfollowed(who, now);
      break;
    case 'scan':
      subscribers.scanned(who, m.scene, now);
      break;
    case 'location_report':
      subscribers.located(who, m.lat, m.lng, now);
      break;
    case 'location':
      subscribers.messaged(who, now);
      subscribers.located(who, m.lat, m.lng, now);
      break;
    case 'text':
    case 'image':
    case 'voice':
    case 'video':
    case 'link':
      subscribers.messaged(who, now);
      break;
    default:
      break;
  }
}
