/**
 * The follower on the mobile pages: a link's `t` is checked once, kept in an HttpOnly SameSite=Lax cookie scoped
 * to the account's pages, and taken out of the address (a page shared onward must not carry its follower).
 * The cookie holds the same signed token, so the pages stay stateless.
 */
import type { Request, Response } from 'express';
import type { FollowerTokens, TokenCheck } from '../core/follower-token.ts';
import type { AccountId, UserId } from '../core/messages.ts';

const FOLLOWER_COOKIE = 'guang_f';

/** A cookie's value from the request's Cookie header, or null. */
export function cookieOf(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Where the account's pages live: the follower's cookie is sent there and nowhere else. */
export const pagesPath = (account: AccountId): string => `/m/${encodeURIComponent(account)}/`;

/** Keeps a valid token in the follower's cookie until it expires. */
export function rememberFollower(req: Request, res: Response, account: AccountId, token: string, expiresAt: number, now: number): void {
  res.cookie(FOLLOWER_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: pagesPath(account),
    maxAge: Math.max(0, expiresAt - now),
    encode: (v) => v, // the token is URL-safe already
  });
}

/** The follower the cookie names, or null (none, expired, or not this account's). */
export function followerOf(req: Request, account: AccountId, tokens: FollowerTokens): UserId | null {
  const token = cookieOf(req, FOLLOWER_COOKIE);
  if (!token) return null;
  const check = tokens.verify(account, token);
  return check.ok ? check.user : null;
}

/** The link's `t`, checked: none, a follower, or why not. */
export function linkToken(req: Request, account: AccountId, tokens: FollowerTokens): TokenCheck | null {
  const t = req.query.t;
  if (t === undefined) return null;
  return typeof t === 'string' ? tokens.verify(account, t) : { ok: false, reason: 'malformed' };
}

/** The request's own URL (path and query) without `t`: where to go once the token is in the cookie. */
export function withoutToken(req: Request): string {
  const url = new URL(req.originalUrl, 'http://x');
  url.searchParams.delete('t');
  return url.pathname + url.search;
}

/** A path under the account's pages (a redirect target from a query or a cookie), else null: never elsewhere. */
export function ownPath(account: AccountId, next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 1000) return null;
  return next.startsWith(pagesPath(account)) && !next.includes('\\') && !/[\r\n]/.test(next) && !next.startsWith('//') ? next : null;
}
