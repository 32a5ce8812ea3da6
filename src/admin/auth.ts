/**
 * Authentication for the admin API: the bearer token (scripts; acts as the owner) or a staff session cookie
 * (the console; state changes also need its CSRF token). The token is compared in constant time: both sides
 * are hashed to 32 bytes first, so neither the content nor the length of the expected token leaks through
 * timing, and `timingSafeEqual` compares the digests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { StaffSessions } from '../db/staff-sessions.ts';
import type { Caller } from './http.ts';
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
  /** GUANG_ADMIN_TOKEN; null: no bearer token is accepted (staff sessions only). */
  readonly token: string | null;
  readonly sessions: StaffSessions;
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
  const matches = options.token ? tokenMatcher(options.token) : () => false;
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

  /** Counts a failed authentication (a wrong token, a wrong sign-in) toward the client's lock-out. */
  const failed = (ip: string): void => {
    const locked = fail(clientOf(ip, clock.now()), lockout, clock.now());
    if (locked) {
      logger.warn({ ip, failures: lockout.failures, windowMs: lockout.windowMs, lockMs: lockout.lockMs }, 'admin API: client locked out after repeated failed authentication');
    }
  };

  /**
   * Who is asking, into `res.locals.caller`: the bearer token when an Authorization header is sent (a wrong one
   * is a 401, counted toward the lock-out and logged), else a live session cookie, else nobody — allowed only to
   * sign in (POST /session); anything else is 401 (not counted: without a credential nothing is being guessed). With a session, a state change needs X-CSRF-Token equal to
   * the session's token (403 csrf): SameSite=Strict already keeps other sites' requests from carrying the
   * cookie, and the token covers browsers and subdomains where it does not.
   */
  const auth = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const now = clock.now();
    const ip = ipOf(req);
    const header = req.get('authorization');
    const signingIn = req.method === 'POST' && req.path === '/session';
    if (header !== undefined) {
      if (matches(header)) {
        succeed(clientOf(ip, now));
        return setCaller(res, { kind: 'token' }, next);
      }
    } else {
      const cookie = cookieValue(req.get('cookie'), SESSION_COOKIE);
      const session = cookie ? await options.sessions.find(cookie, now) : null;
      if (session) {
        if (!SAFE_METHODS.has(req.method) && !signingIn && !sameToken(req.get('x-csrf-token'), session.csrf)) {
          res.status(403).json({ error: { code: 'csrf', message: '请求缺少有效的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试' } });
          return;
        }
        return setCaller(res, { kind: 'session', session }, next);
      }
      if (signingIn) return setCaller(res, { kind: 'anonymous' }, next);
      // A stale cookie is a signed-out browser, not a guess (32 random bytes): not counted.
      if (cookie) return unauthorized(res);
    }
    // The path as asked, without the query string (nothing secret belongs there, but nothing useful either).
    const path = req.originalUrl.split('?')[0];
    if (header === undefined) {
      // No credential at all is not a guess (a signed-out console asks GET /session at every load, twice in
      // React's development mode): not counted toward the lock-out, or ten page loads would lock an office out.
      logger.debug({ ip, method: req.method, path }, 'admin API: no credentials');
      return unauthorized(res);
    }
    logger.warn({ ip, method: req.method, path, header: 'wrong' }, 'admin API: failed authentication');
    failed(ip);
    unauthorized(res);
  };

  return { limit, auth, failed, ipOf };
}

/** The session cookie's name (HttpOnly, SameSite=Strict, Path=/). */
export const SESSION_COOKIE = 'guang_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const setCaller = (res: Response, caller: Caller, next: NextFunction): void => {
  res.locals.caller = caller;
  next();
};

const unauthorized = (res: Response): void => {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer realm="guang-admin"')
    .json({ error: { code: 'unauthorized', message: 'sign in (POST /api/session) or send Authorization: Bearer <GUANG_ADMIN_TOKEN>' } });
};

const sameToken = (given: string | undefined, want: string): boolean => timingSafeEqual(digest(given ?? ''), digest(want)) && given !== undefined;

/** One cookie's value from a Cookie header (no cookie-parser: one name is all the API reads). */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
