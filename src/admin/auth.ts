/**
 * Bearer-token authentication for the admin API. The token is compared in constant time: both sides are
 * hashed to 32 bytes first, so neither the content nor the length of the expected token leaks through
 * timing, and `timingSafeEqual` compares the digests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

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

/** 401 JSON with `WWW-Authenticate: Bearer` unless the request carries the token. */
export function requireToken(expected: string) {
  const matches = tokenMatcher(expected);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (matches(req.get('authorization'))) return next();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="guang-admin"')
      .json({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <GUANG_ADMIN_TOKEN>' } });
  };
}
