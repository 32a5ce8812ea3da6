/**
 * The follower token: what it proves (this follower, this account, until it expires) and what it refuses
 * (a changed byte, another account, another key, an expired one); form keys bound to one follower; and the
 * links Guang sends one follower carrying it.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFollowerTokens, FOLLOWER_TOKEN_TTL_MS } from '../../src/core/follower-token.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { createLinks } from '../../src/core/page-links.ts';

const A = accountId('default');
const B = accountId('other');
const U = userId('oAbc123_-xyzOPENID000000000');
const key = randomBytes(32);
let now = Date.UTC(2026, 0, 1);
const clock = { now: () => now };
const tokens = createFollowerTokens(key, { clock });

describe('follower tokens', () => {
  it('names the follower it was signed for, on its account', () => {
    const t = tokens.sign(A, U);
    expect(t).toMatch(/^v1\.[\w-]+\.[0-9a-z]+\.[\w-]{43}$/);
    const check = tokens.verify(A, t);
    expect(check).toEqual({ ok: true, user: U, expiresAt: expect.any(Number) });
    if (check.ok) expect(check.expiresAt - now).toBeGreaterThanOrEqual(FOLLOWER_TOKEN_TTL_MS);
  });

  it('keeps ids with any characters (Wechaty contacts have @ and more)', () => {
    const odd = userId('@a1b2c3$中文');
    expect(tokens.verify(A, tokens.sign(A, odd))).toMatchObject({ ok: true, user: odd });
  });

  it('refuses a token with any part changed', () => {
    const t = tokens.sign(A, U);
    const [v, u, exp, sig] = t.split('.') as [string, string, string, string];
    const other = Buffer.from('oSomeoneElse').toString('base64url');
    expect(tokens.verify(A, [v, other, exp, sig].join('.'))).toEqual({ ok: false, reason: 'forged' });
    expect(tokens.verify(A, [v, u, (parseInt(exp, 36) + 86400).toString(36), sig].join('.'))).toEqual({ ok: false, reason: 'forged' });
    const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expect(tokens.verify(A, [v, u, exp, flipped].join('.'))).toEqual({ ok: false, reason: 'forged' });
    expect(tokens.verify(A, [v, u, exp, sig.slice(0, 20)].join('.'))).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses garbage as malformed', () => {
    for (const t of ['', 'x', 'v2.a.b.c', 'v1.a.b', 'v1.a b.1.c', 'v1.a.B!.c', 'x'.repeat(600)]) expect(tokens.verify(A, t)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('is worthless on another account or under another key', () => {
    const t = tokens.sign(A, U);
    expect(tokens.verify(B, t)).toEqual({ ok: false, reason: 'forged' });
    expect(createFollowerTokens(randomBytes(32), { clock }).verify(A, t)).toEqual({ ok: false, reason: 'forged' });
  });

  it('expires after seven days', () => {
    const t = tokens.sign(A, U);
    now += FOLLOWER_TOKEN_TTL_MS - 60_000;
    expect(tokens.verify(A, t).ok).toBe(true);
    now += 2 * 60_000;
    expect(tokens.verify(A, t)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('form keys', () => {
  it('are fresh each time, and valid only for the follower and account they were made for', () => {
    const k1 = tokens.formKey(A, U);
    const k2 = tokens.formKey(A, U);
    expect(k1).not.toBe(k2);
    expect(tokens.checkFormKey(A, U, k1)).toBe(true);
    expect(tokens.checkFormKey(A, userId('oOther'), k1)).toBe(false);
    expect(tokens.checkFormKey(B, U, k1)).toBe(false);
    expect(tokens.checkFormKey(A, U, k1.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
    for (const bad of ['', '.', 'abc', 'a.b.c']) expect(tokens.checkFormKey(A, U, bad)).toBe(false);
  });
});

describe('links sent to one follower', () => {
  it('carry the token on the product card and the order pages, while list links stay token-free', () => {
    const links = createLinks('https://shop.example.com', A, tokens.sign);
    for (const url of [links.productFor('SKU-1', U), links.order(12, U), links.orders(U)]) {
      const t = new URL(url).searchParams.get('t')!;
      expect(tokens.verify(A, t)).toMatchObject({ ok: true, user: U });
    }
    expect(links.product('SKU-1')).toBe('https://shop.example.com/m/default/p/SKU-1');
    expect(links.products({ q: '连衣裙' })).not.toContain('t=');
  });
});
