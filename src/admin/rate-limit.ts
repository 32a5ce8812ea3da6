/**
 * Per-client limits of the admin API, as pure decisions over small per-client records: a token bucket
 * for the request rate, and a count of failed authentications that locks the client out for a while.
 * State is in memory, per process: several processes each allow the rate (a limit per process, not per
 * fleet), and a restart forgets lock-outs — acceptable for a guard against scripts, not a quota.
 */

export interface RateLimit {
  /** Tokens added per second (the sustained request rate). */
  readonly perSecond: number;
  /** The bucket's size (the burst a client may send at once). */
  readonly burst: number;
}

export interface Lockout {
  /** Failed authentications within `windowMs` that lock a client out. */
  readonly failures: number;
  readonly windowMs: number;
  /** How long the lock-out lasts; a right token does not lift it early. */
  readonly lockMs: number;
}

export const DEFAULT_RATE: RateLimit = { perSecond: 20, burst: 60 };
export const DEFAULT_LOCKOUT: Lockout = { failures: 10, windowMs: 60_000, lockMs: 10 * 60_000 };

export interface ClientState {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  refilledAt: number;
  /** Times of the recent failed authentications (at most `failures` of them). */
  failedAt: number[];
  /** Locked out until this time (ms), 0 when not locked. */
  lockedUntil: number;
}

export const newClient = (rate: RateLimit, now: number): ClientState => ({ tokens: rate.burst, refilledAt: now, failedAt: [], lockedUntil: 0 });

/** Takes one token; when there is none, how long until there is one (ms). */
export function take(c: ClientState, rate: RateLimit, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
  const elapsed = Math.max(0, now - c.refilledAt);
  c.tokens = Math.min(rate.burst, c.tokens + (elapsed / 1000) * rate.perSecond);
  c.refilledAt = now;
  if (c.tokens >= 1) {
    c.tokens -= 1;
    return { ok: true };
  }
  return { ok: false, retryAfterMs: ((1 - c.tokens) / rate.perSecond) * 1000 };
}

/** Milliseconds the client stays locked out (0: not locked). */
export const lockedFor = (c: ClientState, now: number): number => Math.max(0, c.lockedUntil - now);

/** Records a failed authentication; true when it locks the client out. */
export function fail(c: ClientState, lockout: Lockout, now: number): boolean {
  c.failedAt = c.failedAt.filter((t) => now - t < lockout.windowMs);
  c.failedAt.push(now);
  if (c.failedAt.length < lockout.failures) return false;
  c.failedAt = [];
  c.lockedUntil = now + lockout.lockMs;
  return true;
}

/** A right token clears the failures counted so far (not a lock-out in force). */
export function succeed(c: ClientState): void {
  if (c.failedAt.length > 0) c.failedAt = [];
}

/** A record that says nothing the default would not: a full bucket, no failures, no lock. */
export function isIdle(c: ClientState, rate: RateLimit, lockout: Lockout, now: number): boolean {
  const full = c.tokens + ((now - c.refilledAt) / 1000) * rate.perSecond >= rate.burst;
  return full && lockedFor(c, now) === 0 && c.failedAt.every((t) => now - t >= lockout.windowMs);
}
