import { describe, expect, it } from 'vitest';
import { CODE_NETWORK, WechatApiError, WechatNetworkError } from '../../src/wechat-api/errors.ts';
import { createTokenStore } from '../../src/wechat-api/token-store.ts';
import { ACCOUNT, HOUR, freePort, harness } from './harness.ts';

const STABLE = '/cgi-bin/stable_token';
const LEGACY = '/cgi-bin/token';

describe('access token', () => {
  it('is fetched once, through stable_token, and then served from the store', async () => {
    const h = await harness();
    const client = h.client();
    const first = await client.getAccessToken();
    const again = await Promise.all([1, 2, 3, 4, 5].map(() => client.getAccessToken()));
    expect(again).toEqual([first, first, first, first, first]);
    expect(h.requests(STABLE)).toBe(1);
    expect(h.requests(LEGACY)).toBe(0);
  });

  it('is fetched once when concurrent callers of one process all need it', async () => {
    const h = await harness();
    const client = h.client();
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => client.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(h.requests(STABLE)).toBe(1);
  });

  it('is fetched once when two processes need it at the same moment', async () => {
    const h = await harness();
    const a = h.client({ db: h.openProcessDb() });
    const b = h.client({ db: h.openProcessDb() });
    const [ta, tb, tc] = await Promise.all([a.getAccessToken(), b.getAccessToken(), b.getAccessToken()]);
    expect(tb).toBe(ta);
    expect(tc).toBe(ta);
    expect(h.requests(STABLE)).toBe(1);
  });

  it('is shared through the database with a process started later', async () => {
    const h = await harness();
    const token = await h.client().getAccessToken();
    const later = h.client({ db: h.openProcessDb() });
    expect(await later.getAccessToken()).toBe(token);
    expect(h.requests(STABLE)).toBe(1);
  });

  it('is refreshed when it comes within 5 minutes of its expiry', async () => {
    const h = await harness();
    const client = h.client();
    const first = await client.getAccessToken();
    h.clock.advance(2 * HOUR - 6 * 60_000);
    expect(await client.getAccessToken()).toBe(first);
    h.clock.advance(2 * 60_000);
    const second = await client.getAccessToken();
    expect(second).not.toBe(first);
    expect(h.requests(STABLE)).toBe(2);
  });

  it('is refreshed after it expired, and the new one works', async () => {
    const h = await harness();
    const client = h.client();
    const first = await client.getAccessToken();
    h.clock.advance(3 * HOUR);
    h.sim.simulator.recordInteraction('o-follower-0001');
    await client.sendCustomerMessage('o-follower-0001', { type: 'text', content: '你好' });
    expect(await client.getAccessToken()).not.toBe(first);
    expect(h.requests(STABLE)).toBe(2);
    expect(h.errors).toEqual([]);
  });

  it('is taken over from a refresher that died holding the lease, once the lease expires', async () => {
    const h = await harness();
    h.db
      .prepare('INSERT INTO access_tokens (account, lease_owner, lease_until, updated_at) VALUES (?, ?, ?, ?)')
      .run(ACCOUNT, 'crashed-process', h.clock.now() + 30_000, h.clock.now());
    const pending = h.client().getAccessToken();
    await new Promise((r) => setTimeout(r, 30));
    expect(h.requests(STABLE)).toBe(0); // still waiting on the lease
    h.clock.advance(31_000);
    expect(await pending).toMatch(/\S+/);
    expect(h.requests(STABLE)).toBe(1);
  });

  it('falls back to /cgi-bin/token where stable_token is missing, and remembers it', async () => {
    const h = await harness({ simulator: { stableToken: false } });
    const client = h.client();
    const first = await client.getAccessToken();
    h.clock.advance(3 * HOUR);
    expect(await client.getAccessToken()).not.toBe(first);
    expect(h.requests(STABLE)).toBe(1);
    expect(h.requests(LEGACY)).toBe(2);
  });

  it('reports a wrong AppSecret as WechatApiError 40125, without retrying', async () => {
    const h = await harness();
    const error = await h.client({ appSecret: 'wrong-secret' }).getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ code: 40125, api: 'stable_token' });
    expect((error as Error).message).not.toContain('wrong-secret');
    expect(h.requests(STABLE)).toBe(1);
    expect(h.errors).toEqual([['stable_token', 40125]]);
    // The lease was released: a corrected client gets a token at once.
    expect(await h.client().getAccessToken()).toMatch(/\S+/);
  });

  it('retries a refused connection and then reports WechatNetworkError', async () => {
    const h = await harness();
    const port = await freePort();
    const error = await h
      .client({ apiBase: `http://127.0.0.1:${port}/sim` })
      .getAccessToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatNetworkError);
    expect(h.errors).toEqual([
      ['stable_token', CODE_NETWORK],
      ['stable_token', CODE_NETWORK],
      ['stable_token', CODE_NETWORK],
    ]);
  });
});

describe('token store', () => {
  it('marks a rejected token stale only while it is still the current one', async () => {
    const h = await harness();
    let fetches = 0;
    const store = (db = h.openProcessDb()) =>
      createTokenStore({
        db,
        account: ACCOUNT,
        clock: h.clock,
        pollMs: 5,
        fetchToken: async () => ({ token: `token-${++fetches}`, expiresInSeconds: 7200 }),
      });
    const a = store();
    const b = store();
    expect(await a.get()).toBe('token-1');
    expect(await b.get()).toBe('token-1');
    // Both processes saw 40001 with token-1: the first invalidates and refreshes …
    await a.invalidate('token-1');
    expect(await a.get()).toBe('token-2');
    // … the second's invalidation comes late and must not throw away token-2.
    await b.invalidate('token-1');
    expect(await b.get()).toBe('token-2');
    expect(fetches).toBe(2);
  });

  it('forces a refresh when the platform hands back the token it just rejected', async () => {
    const h = await harness();
    const calls: boolean[] = [];
    const store = createTokenStore({
      db: h.db,
      account: ACCOUNT,
      clock: h.clock,
      fetchToken: async ({ forceRefresh }) => {
        calls.push(forceRefresh);
        return { token: forceRefresh ? 'fresh' : 'same', expiresInSeconds: 7200 };
      },
    });
    expect(await store.get()).toBe('same');
    await store.invalidate('same');
    expect(await store.get()).toBe('fresh');
    expect(calls).toEqual([false, false, true]);
  });

  it('lets every caller see a failed refresh, and frees the lease for the next try', async () => {
    const h = await harness();
    let fail = true;
    const store = createTokenStore({
      db: h.db,
      account: ACCOUNT,
      clock: h.clock,
      fetchToken: async () => {
        if (fail) throw new Error('platform down');
        return { token: 'ok', expiresInSeconds: 7200 };
      },
    });
    const results = await Promise.allSettled([store.get(), store.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await store.get()).toBe('ok');
  });

  it('keeps using a token handed out with less than the margin left, for half its life', async () => {
    const h = await harness();
    let fetches = 0;
    const store = createTokenStore({
      db: h.db,
      account: ACCOUNT,
      clock: h.clock,
      fetchToken: async () => ({ token: `t${++fetches}`, expiresInSeconds: 300 }),
    });
    expect(await store.get()).toBe('t1');
    h.clock.advance(100_000);
    expect(await store.get()).toBe('t1');
    h.clock.advance(60_000);
    expect(await store.get()).toBe('t2');
  });
});
