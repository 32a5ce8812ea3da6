/**
 * Who a follower is on the mobile pages, without a login: a signed, expiring token bound to one account,
 * `v1.<user, base64url>.<expiry, base-36 seconds>.<HMAC-SHA256, base64url>`. Links Guang sends carry it as
 * `t`; the pages keep it in a cookie. The MAC covers the account too, so a token of one account is worthless
 * on another; checks are constant-time. Also the form keys of the checkout: a random nonce signed for one
 * follower, which is both the order's idempotency key and the form's CSRF token.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { AccountId, UserId } from './messages.ts';
import { userId } from './messages.ts';

/** How long a link's identity lasts: a week, the life of a conversation's links in practice. */
export const FOLLOWER_TOKEN_TTL_MS = 7 * 24 * 3600_000;

export type TokenCheck =
  | { readonly ok: true; readonly user: UserId; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

export interface FollowerTokens {
  /** A token for this follower of this account, valid `ttlMs` from now. */
  sign(account: AccountId, user: UserId): string;
  /** The follower a token names, if it was signed for this account and has not expired. */
  verify(account: AccountId, token: string): TokenCheck;
  /** A fresh form key for this follower (the checkout form's idempotency key and CSRF token). */
  formKey(account: AccountId, user: UserId): string;
  /** Whether a form key was made for this follower of this account. */
  checkFormKey(account: AccountId, user: UserId, key: string): boolean;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const MAX_TOKEN = 512;

/**
 * Constant-time equality of a MAC as given and as computed, compared as their canonical base64url text: decoding
 * would accept other spellings of the same bytes (the last character's unused bits).
 */
function sameMac(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given);
  const e = Buffer.from(expected.toString('base64url'));
  return g.length === e.length && timingSafeEqual(g, e);
}

/**
 * @param key 32 secret bytes (`secretsOf(db).derive('follower-token')`).
 * @example const tokens = createFollowerTokens(key); const t = tokens.sign(account, user); tokens.verify(account, t) // { ok: true, user, … }
 */
export function createFollowerTokens(key: Buffer, options: { clock?: Clock; ttlMs?: number } = {}): FollowerTokens {
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? FOLLOWER_TOKEN_TTL_MS;
  const mac = (...parts: string[]) => createHmac('sha256', key).update(parts.join('\n')).digest();

  return {
    sign(account, user) {
      const exp = Math.ceil((clock.now() + ttlMs) / 1000).toString(36);
      const u = b64(user);
      return `v1.${u}.${exp}.${mac('follower', account, u, exp).toString('base64url')}`;
    },
    verify(account, token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN) return { ok: false, reason: 'malformed' };
      const parts = token.split('.');
      if (parts.length !== 4 || parts[0] !== 'v1' || !/^[\w-]+$/.test(parts[1]!) || !/^[0-9a-z]+$/.test(parts[2]!)) return { ok: false, reason: 'malformed' };
      const [, u, exp, sig] = parts as [string, string, string, string];
      // The signature first: an expiry read from a forged token says nothing.
      if (!sameMac(sig, mac('follower', account, u, exp))) return { ok: false, reason: 'forged' };
      const expiresAt = parseInt(exp, 36) * 1000;
      if (!(expiresAt > clock.now())) return { ok: false, reason: 'expired' };
      const user = Buffer.from(u, 'base64url').toString('utf8');
      return user ? { ok: true, user: userId(user), expiresAt } : { ok: false, reason: 'malformed' };
    },
    formKey(account, user) {
      const nonce = randomBytes(12).toString('base64url');
      return `${nonce}.${mac('form', account, user, nonce).toString('base64url')}`;
    },
    checkFormKey(account, user, formKey) {
      if (typeof formKey !== 'string' || formKey.length > 100) return false;
      const [nonce, sig, ...rest] = formKey.split('.');
      if (!nonce || !sig || rest.length) return false;
      return sameMac(sig, mac('form', account, user, nonce));
    },
  };
}
