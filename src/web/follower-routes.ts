/**
 * How the mobile pages learn who the follower is: a link's `t` (kept in the cookie, then dropped from the
 * address), or WeChat's web authorisation (snsapi_base, silent) for a page opened from a menu or a broadcast.
 * A forged or expired `t` gets a page that says what to do, never an error.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { FollowerTokens } from '../core/follower-token.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import { accountId, userId, type AccountId } from '../core/messages.ts';
import { identityPage, type IdentityTrouble } from './checkout-views.ts';
import { cookieOf, linkToken, ownPath, pagesPath, rememberFollower, withoutToken } from './follower.ts';
import { page, PAGE_HEADERS, type Html, type Layout } from './html.ts';

/** The account's web authorisation, when it has one (a service account with API access). */
export interface WebAuth {
  /** The platform's authorize URL that comes back to `redirectUri` with a code and `state`. */
  authorizeUrl(redirectUri: string, state: string): string;
  /** The code → the follower's openid (throws on 40029, 40163 and the like). */
  openid(code: string): Promise<string>;
}

export interface FollowerRoutesOptions {
  readonly tokens: FollowerTokens;
  readonly shopName: (account: AccountId) => string;
  readonly baseUrl: () => string;
  readonly webAuth: (account: AccountId) => WebAuth | null;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const STATE_COOKIE = 'guang_s';
const STATE_MS = 10 * 60_000;
const ACCOUNT_PATH = /^\/m\/([^/]+)\//;

/** Sends an HTML page of the account's shop. */
export function sendPage(res: Response, status: number, shop: string, title: string, body: Html, back: Layout['back'] = null): void {
  res.status(status).set(PAGE_HEADERS).set('Cache-Control', 'no-store').type('html').send(page({ shop, title, body, back }));
}

/** Where web authorisation starts for a page: back to `next` once the follower is known. */
const authorizeStart = (account: AccountId, next: string): string => `${pagesPath(account)}auth?next=${encodeURIComponent(next)}`;

export function followerRoutes(options: FollowerRoutesOptions): { router: Router; needFollower: (req: Request, res: Response, account: AccountId, next: string) => void } {
  const { tokens, clock = systemClock, logger = silentLogger } = options;
  const router = express.Router();

  const trouble = (res: Response, account: AccountId, status: number, why: IdentityTrouble, next: string | null) => {
    const authorize = next && options.webAuth(account) ? authorizeStart(account, next) : null;
    const shown = identityPage(why, { authorize, browse: why === 'forged' || why === 'expired' ? next : null });
    sendPage(res, status, options.shopName(account), shown.title, shown.body);
  };

  /** A page that needs the follower and does not know them: authorise silently when the account can, else say how. */
  const needFollower = (req: Request, res: Response, account: AccountId, next: string) => {
    if (req.method === 'GET' && options.webAuth(account)) return void res.redirect(302, authorizeStart(account, next));
    trouble(res, account, 401, 'unknown', next);
  };

  // A link's `t`: into the cookie and out of the address (a page shared onward must not carry who sent it).
  router.use((req, res, next) => {
    const m = ACCOUNT_PATH.exec(req.path);
    if (!m || req.method !== 'GET' || req.query.t === undefined) return next();
    let account: AccountId;
    try {
      account = accountId(decodeURIComponent(m[1]!));
    } catch {
      return next();
    }
    const check = linkToken(req, account, tokens)!;
    const clean = withoutToken(req);
    if (!check.ok) {
      logger.info({ reason: check.reason, path: req.path }, 'follower token refused');
      return trouble(res, account, 403, check.reason === 'expired' ? 'expired' : 'forged', clean);
    }
    rememberFollower(req, res, account, String(req.query.t), check.expiresAt, clock.now());
    res.set('Cache-Control', 'no-store').redirect(302, clean);
  });

  router.get('/m/:account/auth', (req, res) => {
    const account = accountId(String(req.params.account));
    const next = ownPath(account, req.query.next) ?? pagesPath(account) + 'orders';
    const auth = options.webAuth(account);
    if (!auth) return trouble(res, account, 401, 'unknown', null);
    const nonce = randomBytes(16).toString('base64url');
    res.cookie(STATE_COOKIE, `${nonce}|${next}`, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: `${pagesPath(account)}auth`, maxAge: STATE_MS });
    const back = `${options.baseUrl().replace(/\/$/, '')}${pagesPath(account)}auth/back`;
    res.set('Cache-Control', 'no-store').redirect(302, auth.authorizeUrl(back, nonce));
  });

  router.get('/m/:account/auth/back', async (req, res) => {
    const account = accountId(String(req.params.account));
    const auth = options.webAuth(account);
    const saved = cookieOf(req, STATE_COOKIE) ?? '';
    const bar = saved.indexOf('|');
    const nonce = bar > 0 ? saved.slice(0, bar) : '';
    const next = ownPath(account, saved.slice(bar + 1)) ?? pagesPath(account) + 'orders';
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    // The state proves this browser started the authorisation (no one else's code logs it in).
    const sameState = nonce !== '' && state.length === nonce.length && timingSafeEqual(Buffer.from(state), Buffer.from(nonce));
    if (!auth || !code || !sameState) return trouble(res, account, 400, 'oauth_failed', next);
    let openid: string;
    try {
      openid = await auth.openid(code);
    } catch (err) {
      logger.warn({ err }, 'web authorisation: the code exchange failed');
      return trouble(res, account, 502, 'oauth_failed', next);
    }
    const token = tokens.sign(account, userId(openid));
    const check = tokens.verify(account, token);
    if (check.ok) rememberFollower(req, res, account, token, check.expiresAt, clock.now());
    res.clearCookie(STATE_COOKIE, { path: `${pagesPath(account)}auth` });
    res.set('Cache-Control', 'no-store').redirect(302, next);
  });

  return { router, needFollower };
}
