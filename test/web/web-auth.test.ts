/**
 * Web authorisation (网页授权, snsapi_base) end to end over real HTTP: a page opened without a token sends the
 * browser to the simulator's authorize endpoint, which comes back with a code; the server exchanges it through
 * the API client for the openid and remembers the follower. A code works once; a bad one or a forged state
 * gets a page that says what to do. Also the client and the simulator alone: the URL, the errors.
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createWechatClient } from '../../src/wechat-api/client.ts';
import { WechatApiError } from '../../src/wechat-api/errors.ts';
import { startStandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { authorizeBase, authorizeUrl } from '../../src/wechat-api/web-auth.ts';
import { APPID, testServer } from '../helpers/server.ts';
import { FollowerBrowser } from '../helpers/pages.ts';
import { tempDbPath } from '../helpers/temp.ts';
import { openDb } from '../../src/db/db.ts';

const server = await testServer();
/** Links are built on the public base (localhost); the test talks to the same server on 127.0.0.1. */
const here = (url: string) => url.replace(/^http:\/\/localhost:/, 'http://127.0.0.1:');

/** Starts authorisation for `next` and follows it to the simulator; returns the redirect back (with the code). */
async function toSimulator(browser: FollowerBrowser, next: string, openid: string) {
  const start = await browser.get(`/m/default/auth?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.location!);
  expect(authorize.pathname).toBe('/sim/connect/oauth2/authorize');
  expect(authorize.hash).toBe('#wechat_redirect');
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ appid: APPID, response_type: 'code', scope: 'snsapi_base' });
  authorize.searchParams.set('openid', openid); // who the simulated WeChat browser is
  authorize.hash = '';
  const back = await browser.get(authorize.href);
  expect(back.status).toBe(302);
  const backUrl = new URL(back.location!);
  expect(backUrl.pathname).toBe('/m/default/auth/back');
  expect(backUrl.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
  return here(back.location!);
}

describe('a page opened from a menu or a broadcast', () => {
  it('learns the follower through snsapi_base and goes on to the page asked for', async () => {
    const browser = new FollowerBrowser(server.url);
    const need = await browser.get('/m/default/orders');
    expect(need.status).toBe(302);
    const back = await toSimulator(browser, '/m/default/orders', 'o-from-menu');
    const done = await browser.get(back);
    expect(done.status).toBe(302);
    expect(done.location).toBe('/m/default/orders');
    expect(browser.cookies.has('guang_f')).toBe(true);
    const orders = await browser.get('/m/default/orders');
    expect(orders.status).toBe(200);
    expect(orders.body).toContain('我的订单');
    expect(server.simulator!.stats().requests['/sns/oauth2/access_token']).toBeGreaterThanOrEqual(1);
  });

  it('refuses a code used twice (40163) with a page offering to try again', async () => {
    const browser = new FollowerBrowser(server.url);
    const back = await toSimulator(browser, '/m/default/orders', 'o-twice');
    expect((await browser.get(back)).status).toBe(302);
    // The same redirect again (a reload): the state cookie is gone and the code spent.
    const replay = new FollowerBrowser(server.url);
    const start = await replay.get('/m/default/auth?next=%2Fm%2Fdefault%2Forders');
    const state = new URL(start.location!).searchParams.get('state')!;
    const again = await replay.get(back.replace(/state=[^&]+/, `state=${state}`));
    expect(again.status).toBe(502);
    expect(again.body).toContain('没能确认身份');
    expect(again.body).toContain('用微信身份继续');
  });

  it('refuses a state this browser did not start (no one else\'s code logs it in)', async () => {
    const victim = new FollowerBrowser(server.url);
    const back = await toSimulator(new FollowerBrowser(server.url), '/m/default/orders', 'o-attacker');
    const r = await victim.get(back);
    expect(r.status).toBe(400);
    expect(victim.cookies.has('guang_f')).toBe(false);
  });

  it('never redirects outside the account\'s pages', async () => {
    const browser = new FollowerBrowser(server.url);
    const back = await toSimulator(browser, 'https://evil.example.com/', 'o-redirect');
    expect((await browser.get(back)).location).toBe('/m/default/orders');
  });
});

describe('the client and the simulator', () => {
  it('build the authorize URL in the platform\'s order, on open.weixin.qq.com for the platform', () => {
    const base = authorizeBase({ kind: 'platform', apiBase: 'https://api.weixin.qq.com', appId: 'wx1', appSecret: 's' });
    expect(authorizeUrl(base, { appId: 'wx1', redirectUri: 'https://shop.example.com/m/default/auth/back', state: 'abc' })).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1&redirect_uri=https%3A%2F%2Fshop.example.com%2Fm%2Fdefault%2Fauth%2Fback&response_type=code&scope=snsapi_base&state=abc#wechat_redirect',
    );
    expect(() => authorizeUrl(base, { appId: 'wx1', redirectUri: 'https://x', state: 'a b' })).toThrow(/state/);
  });

  it('exchange a code once, within 5 minutes, for its AppID only (40029, 40163), and take injected errors', async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const sim = await startStandaloneSimulator({ port: 0, accountType: 'service', credentials: { wxA: 'secretA', wxB: 'secretB' }, clock });
    try {
      const db = openDb(tempDbPath(), { secretKey: null });
      const client = (appId: string, appSecret: string) => createWechatClient({ db, account: accountId(appId), appId, appSecret, apiBase: sim.url, clock, sleep: async () => {} });
      const codeFor = async (openid: string, appid = 'wxA') => {
        const r = await fetch(`${sim.url}/connect/oauth2/authorize?appid=${appid}&redirect_uri=${encodeURIComponent('https://shop.example.com/back?x=1')}&response_type=code&scope=snsapi_base&state=s1&openid=${openid}`, { redirect: 'manual' });
        expect(r.status).toBe(302);
        const back = new URL(r.headers.get('location')!);
        expect(back.searchParams.get('x')).toBe('1');
        expect(back.searchParams.get('state')).toBe('s1');
        return back.searchParams.get('code')!;
      };
      const a = client('wxA', 'secretA');
      const code = await codeFor('o-1');
      await expect(a.oauthOpenid(code)).resolves.toEqual({ openid: 'o-1', scope: 'snsapi_base' });
      await expect(a.oauthOpenid(code)).rejects.toMatchObject({ code: 40163 });
      await expect(a.oauthOpenid('nonsense')).rejects.toMatchObject({ code: 40029 });
      await expect(client('wxB', 'secretB').oauthOpenid(await codeFor('o-2'))).rejects.toMatchObject({ code: 40029 });
      await expect(client('wxA', 'wrong').oauthOpenid(await codeFor('o-3'))).rejects.toMatchObject({ code: 40125 });
      const late = await codeFor('o-4');
      now += 5 * 60_000 + 1;
      await expect(a.oauthOpenid(late)).rejects.toBeInstanceOf(WechatApiError);
      sim.simulator.injectErrors([40029]);
      await expect(a.oauthOpenid(await codeFor('o-5'))).rejects.toMatchObject({ code: 40029 });
      // A bad authorize request gets the platform's error page, not a redirect.
      const bad = await fetch(`${sim.url}/connect/oauth2/authorize?appid=wxA&redirect_uri=javascript:alert(1)&response_type=code&scope=snsapi_base`, { redirect: 'manual' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('redirect_uri 参数错误');
      const unknown = await fetch(`${sim.url}/connect/oauth2/authorize?appid=wxZ&redirect_uri=https%3A%2F%2Fx&response_type=code&scope=snsapi_base`, { redirect: 'manual' });
      expect(await unknown.text()).toContain('appid 错误');
      // Without an openid and no browser user set, it asks.
      const ask = await fetch(`${sim.url}/connect/oauth2/authorize?appid=wxA&redirect_uri=https%3A%2F%2Fx&response_type=code&scope=snsapi_base&state=z`);
      expect(await ask.text()).toContain('以哪位关注者的身份打开');
      db.close();
    } finally {
      await sim.close();
    }
  });
});
