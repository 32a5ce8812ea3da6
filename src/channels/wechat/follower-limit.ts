/**
 * Per-follower rate limit of the official-account webhook: a token bucket per (account, openid), generous
 * for a person typing (a burst of 10, then one a second) and tight for a script. This one is in memory and per
 * process, with bounded memory: the least recently seen followers are forgotten first (a forgotten
 * follower starts again with a full bucket, the generous side). Pure apart from the injected clock. Several
 * instances on one PostgreSQL database share their buckets instead (shared-follower-limit.ts).
 *
 * Not the Wechaty limiter (src/channels/wechaty/rate-limit.ts): that one always draws from a bot-wide bucket
 * too, which on an official account would let one follower's flood slow every other follower down.
 */
import type { Inbound } from '../../core/messages.ts';
import { isUserMessage } from '../../core/messages.ts';
import { normalizeCommand } from '../../core/command.ts';
import { headOf } from '../../core/input.ts';
import { subscriptionRequest } from '../../agent/steps/builtins.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';

export interface FollowerLimits {
  /** Messages taken back to back before the limit applies. */
  readonly burst: number;
  /** One more message every `refillMs` after that. */
  readonly refillMs: number;
  /** Followers remembered at most (the oldest are forgotten beyond this). */
  readonly maxFollowers: number;
}

export const FOLLOWER_LIMITS: FollowerLimits = { burst: 10, refillMs: 1000, maxFollowers: 20_000 };

/** The one notice a follower over the limit sees (then `success` until the bucket refills). */
export const RATE_LIMIT_NOTICE = '消息太快啦，请稍等几秒再发～';

/**
 * `admit`: hand it to the agent. `notice`: the first delivery over the limit; answer RATE_LIMIT_NOTICE.
 * `drop`: over the limit and already told; answer `success`.
 */
export type FollowerAdmission = 'admit' | 'notice' | 'drop';

/**
 * Takes one message of `user` on `account` (`deliveryKey`: the dedup key retries share). The in-memory limiter
 * answers at once; only a shared one (a database round trip) answers with a promise, which never rejects.
 */
export interface FollowerLimiter {
  take(account: string, user: string, deliveryKey: string): FollowerAdmission | Promise<FollowerAdmission>;
}

/** Makes the webhook's limiter (createFollowerLimiter by default, the shared one on PostgreSQL). */
export type FollowerLimiterFactory = (limits: FollowerLimits, clock: Clock, logger: Logger) => FollowerLimiter;

/**
 * What a follower does by typing or tapping counts; what the platform reports (unfollow, job results, periodic
 * location) never waits. Nor does a request to stop (or resume) pushes — TD, 退订, 订阅 —: answered `success`
 * over the limit, it would be lost, and the follower pushed to after asking to stop (the agent puts these
 * before every merchant rule for the same reason). They cost one cheap step; a flood of them is no flood of work.
 */
export function countsTowardLimit(inbound: Inbound): boolean {
  if (inbound.kind === 'text') return subscriptionRequest(normalizeCommand(headOf(inbound.text))) === null;
  return isUserMessage(inbound) || inbound.kind === 'menu_click' || inbound.kind === 'menu_view' || inbound.kind === 'scan';
}

interface Bucket {
  tokens: number;
  at: number;
  noticed: boolean;
}

/** A delivery charged this recently is a retry when it comes again (the platform retries within ~15 s). */
export const RETRY_WINDOW_MS = 30_000;

/**
 * @example
 * const limiter = createFollowerLimiter(FOLLOWER_LIMITS, clock);
 * if (limiter.take(inbound.account, inbound.user, inbound.dedupKey) !== 'admit') …
 */
export function createFollowerLimiter(limits: FollowerLimits, clock: Clock) {
  const buckets = new Map<string, Bucket>();
  // Deliveries admitted lately, oldest first: a retry of one is admitted again without paying twice.
  const charged = new Map<string, number>();

  function forgetOld(now: number): void {
    for (const [key, at] of charged) {
      if (at > now - RETRY_WINDOW_MS && charged.size <= limits.maxFollowers * limits.burst) break;
      charged.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size <= limits.maxFollowers) break;
      buckets.delete(key);
    }
  }

  return {
    /** Takes one message of `user` on `account` (`deliveryKey`: the dedup key retries share). */
    take(account: string, user: string, deliveryKey: string): FollowerAdmission {
      const now = clock.now();
      const delivery = `${account}\u0000${deliveryKey}`;
      if (charged.has(delivery)) return 'admit';
      const key = `${account}\u0000${user}`;
      const old = buckets.get(key);
      const bucket: Bucket = old
        ? { tokens: Math.min(limits.burst, old.tokens + Math.max(0, now - old.at) / limits.refillMs), at: now, noticed: old.noticed }
        : { tokens: limits.burst, at: now, noticed: false };
      buckets.delete(key); // re-inserted below: the map's order is least recently seen first
      let admission: FollowerAdmission;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        bucket.noticed = false;
        charged.set(delivery, now);
        admission = 'admit';
      } else {
        admission = bucket.noticed ? 'drop' : 'notice';
        bucket.noticed = true;
      }
      buckets.set(key, bucket);
      forgetOld(now);
      return admission;
    },
  };
}
