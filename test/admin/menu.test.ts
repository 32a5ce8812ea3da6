/**
 * `/api/menu` on a real server with the embedded simulator, on a SQLite file and, as the same suite, a PostgreSQL
 * database: a menu is checked with the platform's limits
 * (every problem with its path and errcode, in English or Chinese), published, read back from the platform,
 * answered by a click rule when a follower taps it, deleted; recorded in the audit log; viewers may read it,
 * store staff may not see it at all; an account without API access is told why.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { anotherServerDatabase, serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const MENU = {
  button: [
    { type: 'click', name: '今日推荐', key: 'TODAY' },
    { name: '逛店', sub_button: [{ type: 'view', name: '我的订单', url: 'https://shop.example.com/m/default/orders' }, { type: 'location_select', name: '附近门店', key: 'NEAR' }] },
  ],
};

async function setUp(database: ServerDatabase) {
  return { database, s: await adminServer({ dbPath: database.dbPath, env: database.env }) };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s } of suites) {
  const sim = () => s.server.simulator!;

  describe(`the custom menu API (${database.name})`, () => {
    it('publishes a menu, answers what the platform holds, and the follower\'s tap on its key is answered by a click rule', async () => {
      expect((await s.api('GET', '/menu')).body.menu).toBeNull();
      await s.api('POST', '/rules', { name: '今日推荐', event: 'click', keys: ['TODAY'], replies: [{ type: 'text', content: '今天推荐：法式连衣裙' }] });
      const put = await s.api('PUT', '/menu', MENU);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.menu).toEqual(MENU);
      expect(put.body.links).toEqual({ shop: expect.stringMatching(/^http:\/\/.+\/m\/default\/products$/), orders: expect.stringMatching(/^http:\/\/.+\/m\/default\/orders$/) });
      expect(sim().menu()).toEqual(MENU);
      expect((await s.api('GET', '/menu')).body.menu).toEqual(MENU);
      expect(await s.event('o_menu_fan', 'CLICK', { EventKey: 'TODAY' })).toBe('今天推荐：法式连衣裙');
    });

    it('refuses a menu over the limits with every problem, its path and message, before anything reaches the platform', async () => {
      const before = sim().stats().requests['/cgi-bin/menu/create'] ?? 0;
      const bad = { button: [{ type: 'click', name: '今日全部推荐', key: '' }, { name: '更多', sub_button: [{ type: 'view', name: '商城', url: 'shop.example.com' }] }] };
      const r = await s.api('PUT', '/menu', bad);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation');
      expect(r.body.error.details).toEqual([
        { path: 'button[0].name', message: 'at most 4 Chinese characters or 8 letters (the phone cuts longer names)' },
        { path: 'button[0].key', message: 'a click button needs a key (what its event carries)' },
        { path: 'button[1].sub_button[0].url', message: 'expected an http:// or https:// link with a domain' },
      ]);
      const zh = await s.api('PUT', '/menu', bad, { headers: { 'accept-language': 'zh-CN' } });
      expect(zh.body.error.message).toMatch(/^菜单有 3 处需要修改: /);
      expect(zh.body.error.details[0]).toEqual({ path: 'button[0].name', message: '菜单名称最多 4 个汉字或 8 个字母' });
      expect(sim().stats().requests['/cgi-bin/menu/create'] ?? 0).toBe(before);
      const check = await s.api('POST', '/menu/validate', bad);
      expect(check.body.ok).toBe(false);
      expect(check.body.problems.map((p: { code: number }) => p.code)).toEqual([40018, 40019, 40054]);
      expect((await s.api('POST', '/menu/validate', MENU)).body).toEqual({ ok: true, problems: [] });
    });

    it('says what the platform refused, in the caller\'s language (502)', async () => {
      sim().injectErrors([40055]);
      const r = await s.api('PUT', '/menu', MENU, { headers: { 'accept-language': 'zh-CN' } });
      expect(r.status).toBe(502);
      expect(r.body.error.message).toBe('微信接口拒绝了请求（40055：不合法的菜单按钮 URL 域名）');
    });

    it('deletes the menu (read back: none), and records publish and delete in the audit log', async () => {
      await s.api('PUT', '/menu', MENU);
      expect((await s.api('DELETE', '/menu')).status).toBe(204);
      expect(sim().menu()).toBeNull();
      expect((await s.api('GET', '/menu')).body.menu).toBeNull();
      const audit = await s.api('GET', '/audit?limit=200');
      const routes = audit.body.items.map((e: { route: string }) => e.route);
      expect(routes).toContain('publishMenu');
      expect(routes).toContain('deleteMenu');
      expect(routes).not.toContain('validateMenu');
    });

    it('lets a viewer read and check but not publish; store staff get nothing', async () => {
      await addUser(s.server.sql, 'menu-viewer', 'viewer', 'pw-menu-viewer-1');
      await addUser(s.server.sql, 'menu-clerk', 'store_staff', 'pw-menu-clerk-1', 'sh');
      const viewer = await signIn(s.server.url, 'menu-viewer', 'pw-menu-viewer-1');
      expect((await viewer.call('GET', '/menu')).status).toBe(200);
      expect((await viewer.call('POST', '/menu/validate', MENU)).status).toBe(200);
      expect((await viewer.call('PUT', '/menu', MENU)).status).toBe(403);
      const clerk = await signIn(s.server.url, 'menu-clerk', 'pw-menu-clerk-1');
      expect((await clerk.call('GET', '/menu')).status).toBe(403);
    });
  });

  describe(`an account without API access (${database.name})`, () => {
    it('is told what turns the API on (503)', async () => {
      const own = await anotherServerDatabase(database);
      const off = await adminServer({ dbPath: own.dbPath, env: { ...own.env, GUANG_SIMULATOR: 'off' } });
      onTestFinished(() => off.server.close());
      const r = await off.api('GET', '/menu');
      expect(r.status).toBe(503);
      expect(r.body.error.message).toMatch(/WECHAT_APPID and WECHAT_APPSECRET/);
    });
  });
}
