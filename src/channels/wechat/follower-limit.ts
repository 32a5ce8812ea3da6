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

/**
 * A follower's bucket, kept in place: a take changes its fields and moves it to the newest end of the list of
 * buckets (least recently seen first), so a message allocates nothing but a charged delivery's entry. Deleting
 * and re-inserting a Map entry per message, as this once did, left a hole at the front of the Map's table each
 * time, which every later iteration from the front walked over; and one map of every charged delivery of the last
 * 30 s held ~100,000 keys at a few thousand messages a second. A micro-benchmark (1,000 followers, 4,500 messages
 * a second): ~8 µs of CPU per take then, ~0.7 µs now.
 */
interface Bucket {
  readonly account: string;
  readonly user: string;
  tokens: number;
  at: number;
  noticed: boolean;
  /** The deliveries charged lately (dedup key → ms), oldest first: retries of these are free. */
  readonly charged: Map<string, number>;
  older: Bucket | null;
  newer: Bucket | null;
}

/** A delivery charged this recently is a retry when it comes again (the platform retries within ~15 s). */
export const RETRY_WINDOW_MS = 30_000;

/**
 * The charged deliveries a bucket remembers at most (the newest): the retry window holds burst + 30 s of refills,
 * 40 at the defaults; a tiny refill interval must not grow a bucket without end (as in shared-follower-limit.ts).
 */
const MAX_CHARGED = 64;

/**
 * @example
 * const limiter = createFollowerLimiter(FOLLOWER_LIMITS, clock);
 * if (limiter.take(inbound.account, inbound.user, inbound.dedupKey) !== 'admit') …
 */
export function createFollowerLimiter(limits: FollowerLimits, clock: Clock) {
  // account → user → bucket: two lookups by the strings the delivery already has, no key built per message.
  const accounts = new Map<string, Map<string, Bucket>>();
  let size = 0;
  // The list of buckets, least recently seen (`oldest`) to most recently seen (`newest`).
  let oldest: Bucket | null = null;
  let newest: Bucket | null = null;

  function unlink(b: Bucket): void {
    if (b.older) b.older.newer = b.newer;
    else oldest = b.newer;
    if (b.newer) b.newer.older = b.older;
    else newest = b.older;
    b.older = null;
    b.newer = null;
  }

  function append(b: Bucket): void {
    b.older = newest;
    if (newest) newest.newer = b;
    else oldest = b;
    newest = b;
  }

  /** Forgets the least recently seen follower (a forgotten follower starts again with a full bucket). */
  function forgetOldest(): void {
    const b = oldest!;
    unlink(b);
    const users = accounts.get(b.account)!;
    users.delete(b.user);
    if (users.size === 0) accounts.delete(b.account);
    size--;
  }

  /** True when `deliveryKey` was charged to `b` within the retry window; drops the entries past it. */
  function isRetry(b: Bucket, deliveryKey: string, now: number): boolean {
    const at = b.charged.get(deliveryKey);
    return at !== undefined && at > now - RETRY_WINDOW_MS;
  }

  /** Remembers a charged delivery, forgetting those past the window and the oldest beyond MAX_CHARGED. */
  function charge(b: Bucket, deliveryKey: string, now: number): void {
    const { charged } = b;
    for (const [key, at] of charged) {
      if (at > now - RETRY_WINDOW_MS && charged.size < MAX_CHARGED) break;
      charged.delete(key);
    }
    charged.set(deliveryKey, now);
  }

  return {
    /** Takes one message of `user` on `account` (`deliveryKey`: the dedup key retries share). */
    take(account: string, user: string, deliveryKey: string): FollowerAdmission {
      const now = clock.now();
      let users = accounts.get(account);
      let b = users?.get(user);
      if (b) {
        // A retry of a delivery already charged is admitted again without paying twice (nor being seen anew).
        if (isRetry(b, deliveryKey, now)) return 'admit';
        b.tokens = Math.min(limits.burst, b.tokens + Math.max(0, now - b.at) / limits.refillMs);
        b.at = now;
        if (b !== newest) {
          unlink(b);
          append(b);
        }
      } else {
        b = { account, user, tokens: limits.burst, at: now, noticed: false, charged: new Map(), older: null, newer: null };
        if (!users) accounts.set(account, (users = new Map()));
        users.set(user, b);
        append(b);
        size++;
        if (size > limits.maxFollowers) forgetOldest();
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        b.noticed = false;
        charge(b, deliveryKey, now);
        return 'admit';
      }
      const admission = b.noticed ? 'drop' : 'notice';
      b.noticed = true;
      return admission;
    },
  };
}
