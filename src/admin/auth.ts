/**
 * Bearer-token authentication for the admin API. The token is compared in constant time: both sides are
 * hashed to 32 bytes first, so neither the content nor the length of the expected token leaks through
 * timing, and `timingSafeEqual` compares the digests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import {
  DEFAULT_LOCKOUT, DEFAULT_RATE, fail, isIdle, lockedFor, newClient, succeed, take,
  type ClientState, type Lockout, type RateLimit,
} from './rate-limit.ts';

/** Tokens shorter than this are refused outside demo mode (config.ts says the same at start). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * @example const matches = tokenMatcher(config.adminToken); matches('Bearer abc…') // false
 */
export function tokenMatcher(expected: string): (authorization: string | undefined) => boolean {
  const want = digest(expected);
  return (authorization) => {
    const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization ?? '');
    // Hash even when the header is absent or malformed, so every path costs the same.
    const given = digest(m?.[1] ?? '');
    return timingSafeEqual(given, want) && m !== null;
  };
}

/** Client records kept at most; beyond it idle ones go first, then the oldest. */
const MAX_CLIENTS = 10_000;

export interface AdminGuardOptions {
  /** GUANG_ADMIN_TOKEN. */
  readonly token: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rate?: RateLimit;
  readonly lockout?: Lockout;
}

const tooMany = (res: Response, retryAfterMs: number, message: string): void => {
  res
    .status(429)
    .set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    .json({ error: { code: 'rate_limited', message } });
};

/**
 * The admin API's front door, per client (the IP express reports; `trust proxy` is loopback, so a local
 * reverse proxy's X-Forwarded-For is believed and nothing else): a lock-out after repeated failed
 * authentication, a token-bucket rate limit, then the token. Every failed authentication is logged at warn
 * with the client and the path, never with what was sent. In memory, per process (see rate-limit.ts).
 * @example const guard = adminGuard({ token, clock, logger }); router.use(guard.limit); router.use(guard.auth);
 */
export function adminGuard(options: AdminGuardOptions) {
  const { clock, logger } = options;
  const rate = options.rate ?? DEFAULT_RATE;
  const lockout = options.lockout ?? DEFAULT_LOCKOUT;
  const matches = tokenMatcher(options.token);
  const clients = new Map<string, ClientState>();

  function clientOf(ip: string, now: number): ClientState {
    let c = clients.get(ip);
    if (!c) {
      if (clients.size >= MAX_CLIENTS) evict(now);
      clients.set(ip, (c = newClient(rate, now)));
    }
    return c;
  }
  function evict(now: number): void {
    for (const [ip, c] of clients) if (isIdle(c, rate, lockout, now)) clients.delete(ip);
    // Still full (many clients at once): forget the oldest records.
    for (const ip of clients.keys()) {
      if (clients.size < MAX_CLIENTS) break;
      clients.delete(ip);
    }
  }
  const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

  /** Lock-out and rate limit, for every request under /api (the OpenAPI document too): mounted once, in front of every route. */
  const limit = (req: Request, res: Response, next: NextFunction): void => {
    const now = clock.now();
    const c = clientOf(ipOf(req), now);
    const locked = lockedFor(c, now);
    if (locked > 0) return tooMany(res, locked, 'too many failed authentications from this address; wait before trying again');
    const t = take(c, rate, now);
    if (!t.ok) return tooMany(res, t.retryAfterMs, `too many requests: at most ${rate.perSecond} per second (bursts of ${rate.burst}); wait before trying again`);
    next();
  };

  /** The token check: 401 on failure, logged; the failure that reaches the threshold locks the client out. */
  const auth = (req: Request, res: Response, next: NextFunction): void => {
    const now = clock.now();
    const ip = ipOf(req);
    const c = clientOf(ip, now);
    if (matches(req.get('authorization'))) {
      succeed(c);
      return next();
    }
    // The path as asked, without the query string (nothing secret belongs there, but nothing useful either).
    const path = req.originalUrl.split('?')[0];
    const locked = fail(c, lockout, now);
    logger.warn({ ip, method: req.method, path, header: req.get('authorization') === undefined ? 'absent' : 'wrong' }, 'admin API: failed authentication');
    if (locked) {
      logger.warn({ ip, failures: lockout.failures, windowMs: lockout.windowMs, lockMs: lockout.lockMs }, 'admin API: client locked out after repeated failed authentication');
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="guang-admin"')
      .json({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <GUANG_ADMIN_TOKEN>' } });
  };

  return { limit, auth };
}
