/**
 * Rate limits for a personal or WeCom account driven by a puppet: the platform restricts accounts that
 * answer in bursts. Token buckets per contact, per group and for the whole bot; a message is answered only
 * when every bucket it draws from has a token, so a limited message is skipped (and logged by the caller),
 * never queued up into a later burst. Pure apart from the injected clock.
 */
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';

export interface Bucket {
  /** Messages answered back to back before the limit applies. */
  readonly burst: number;
  /** One more message is allowed every `refillMs` after that. */
  readonly refillMs: number;
}

export interface ChatLimits {
  readonly contact: Bucket;
  readonly room: Bucket;
  readonly bot: Bucket;
}

/**
 * The defaults (documented in the README):
 * - one person (in private or in any group): 5 answers back to back, then 1 every 10 s (6 a minute);
 * - one group: 8 answers back to back, then 1 every 5 s (12 a minute);
 * - the whole bot: 10 answers back to back, then 1 every 3 s (20 a minute).
 * Together with the send pacing (one message at least every SEND_GAP_MS, at most 1 text + 3 cards an
 * answer) the outgoing rate stays under about 80 messages a minute, sent one by one.
 */
export const CHAT_LIMITS: ChatLimits = {
  contact: { burst: 5, refillMs: 10_000 },
  room: { burst: 8, refillMs: 5_000 },
  bot: { burst: 10, refillMs: 3_000 },
};

export type Scope = keyof ChatLimits;

/** The limits in words, for the start-up banner. */
export function describeLimits(limits: ChatLimits = CHAT_LIMITS, gapMs: number = SEND_GAP_MS): string {
  const b = (x: Bucket) => `${x.burst}, then 1 per ${x.refillMs / 1000} s`;
  return `per person ${b(limits.contact)}; per group ${b(limits.room)}; whole bot ${b(limits.bot)}; messages sent ≥ ${gapMs / 1000} s apart`;
}
export type Admission = { readonly ok: true } | { readonly ok: false; readonly scope: Scope; readonly retryInMs: number };

interface State {
  tokens: number;
  at: number;
}

/** Buckets idle long enough to be full again are forgotten once this many are kept. */
const PRUNE_AT = 10_000;

/**
 * @example
 * const limiter = createRateLimiter();
 * const admitted = limiter.take({ contact: 'wxid_a', room: '123@chatroom' });
 * if (!admitted.ok) log.warn({ scope: admitted.scope }, 'rate limited');
 */
export function createRateLimiter(limits: ChatLimits = CHAT_LIMITS, clock: Clock = systemClock) {
  const buckets = new Map<string, State>();

  function level(key: string, spec: Bucket, now: number): State {
    const state = buckets.get(key) ?? { tokens: spec.burst, at: now };
    const refilled = Math.min(spec.burst, state.tokens + Math.max(0, now - state.at) / spec.refillMs);
    return { tokens: refilled, at: now };
  }

  function prune(now: number): void {
    for (const [key, state] of buckets) {
      const spec = limits[key.slice(0, key.indexOf(':')) as Scope];
      if (state.tokens + (now - state.at) / spec.refillMs >= spec.burst) buckets.delete(key);
    }
  }

  return {
    /** Takes one token from each bucket the message draws from, or none when any of them is empty. */
    take(who: { contact: string; room: string | null }): Admission {
      const now = clock.now();
      const draws: [Scope, string][] = [['contact', `contact:${who.contact}`], ['bot', 'bot:']];
      if (who.room !== null) draws.splice(1, 0, ['room', `room:${who.room}`]);
      const levels = draws.map(([scope, key]) => ({ scope, key, state: level(key, limits[scope], now) }));
      const empty = levels.find((l) => l.state.tokens < 1);
      if (empty) {
        return { ok: false, scope: empty.scope, retryInMs: Math.ceil((1 - empty.state.tokens) * limits[empty.scope].refillMs) };
      }
      for (const l of levels) buckets.set(l.key, { tokens: l.state.tokens - 1, at: now });
      if (buckets.size > PRUNE_AT) prune(now);
      return { ok: true };
    },
  };
}

/** The least time between two messages the bot sends, whoever they go to. */
export const SEND_GAP_MS = 700;

/**
 * Sends one message at a time, at least `gapMs` apart, in the order asked.
 * @example const pace = createSendPacer(); await pace(() => room.say(text));
 */
export function createSendPacer(gapMs: number = SEND_GAP_MS) {
  let tail: Promise<unknown> = Promise.resolve();
  let last = -Infinity;
  return function pace<T>(send: () => Promise<T>): Promise<T> {
    const run = tail.then(async () => {
      // A loop: timers run on the event loop's cached clock and may fire a little early.
      for (let wait = last + gapMs - performance.now(); wait > 0; wait = last + gapMs - performance.now()) {
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      }
      last = performance.now();
      return send();
    });
    tail = run.catch(() => undefined);
    return run;
  };
}
