/**
 * The custom menu: the limits in one pure check (menu.ts) with the platform's codes and both languages, the
 * console's copy of them agreeing, and the three calls through the real client and the simulator over HTTP —
 * what `menu/get` answers back, 46003 when there is none, the platform's refusals when the client's own check
 * is bypassed, and injected errors retried like the other calls.
 */
import { describe, expect, it } from 'vitest';
import { WechatApiError, WechatValidationError } from '../../src/wechat-api/errors.ts';
import { menuKeys, menuProblems, nameWidth, type Menu } from '../../src/wechat-api/menu.ts';
import { harness } from './harness.ts';

const SHOP: Menu = {
  button: [
    { type: 'click', name: '今日推荐', key: 'TODAY' },
    {
      name: '逛店',
      sub_button: [
        { type: 'view', name: '手机商城', url: 'https://shop.example.com/m/default' },
        { type: 'view', name: '我的订单', url: 'https://shop.example.com/m/default/orders' },
        { type: 'location_select', name: '附近门店', key: 'NEAR' },
      ],
    },
    { type: 'scancode_push', name: '扫一扫', key: 'SCAN' },
  ],
};

const codes = (input: unknown, names?: 'bytes') => menuProblems(input, names ? { names } : {}).map((p) => `${p.path} ${p.code}`);
const leaf = (name: string) => ({ type: 'click', name, key: 'K' });

describe('checking a menu against the platform\'s limits', () => {
  it('passes a menu of buttons, sub-buttons, links and event types', () => {
    expect(menuProblems(SHOP)).toEqual([]);
    expect(menuKeys(SHOP)).toEqual([{ key: 'TODAY', name: '今日推荐' }, { key: 'NEAR', name: '附近门店' }, { key: 'SCAN', name: '扫一扫' }]);
  });

  it('counts buttons (40016) and sub-buttons (40023)', () => {
    expect(codes({ button: [] })).toEqual(['button 40016']);
    expect(codes({ button: [leaf('a'), leaf('b'), leaf('c'), leaf('d')] })).toEqual(['button 40016']);
    expect(codes({ menu: [] })).toEqual(['button 40016']);
    expect(codes({ button: [{ name: '更多', sub_button: [1, 2, 3, 4, 5, 6].map((i) => leaf(`项${i}`)) }] })).toEqual(['button[0].sub_button 40023']);
    expect(codes({ button: [{ name: '更多', sub_button: [{ name: '深', sub_button: [leaf('x')] }] }] })).toEqual(['button[0].sub_button[0].sub_button 40022']);
  });

  it('keeps names to what the phone shows: 4 Chinese characters or 8 letters for a button, 8 or 16 for a sub-button (40018, 40025)', () => {
    expect(nameWidth('我的订单')).toBe(8);
    expect(codes({ button: [leaf('我的订单'), leaf('ShopNow!')] })).toEqual([]);
    expect(codes({ button: [leaf('我的全部订单'), leaf('ShopNow!!'), leaf(' ')] })).toEqual(['button[0].name 40018', 'button[1].name 40018', 'button[2].name 40018']);
    expect(codes({ button: [{ name: '更多', sub_button: [leaf('一二三四五六七八'), leaf('一二三四五六七八九')] }] })).toEqual(['button[0].sub_button[1].name 40025']);
  });

  it('the API\'s own limit is bytes: 16 for a button, 60 for a sub-button', () => {
    expect(codes({ button: [leaf('一二三四五')] }, 'bytes')).toEqual([]); // 15 bytes
    expect(codes({ button: [leaf('一二三四五六')] }, 'bytes')).toEqual(['button[0].name 40018']); // 18 bytes
    expect(codes({ button: [{ name: 'x', sub_button: [leaf('字'.repeat(21))] }] }, 'bytes')).toEqual(['button[0].sub_button[0].name 40025']);
  });

  it('needs a known type (40017, 40024), a key of at most 128 bytes (40019, 40026) and an http(s) link of at most 1024 bytes (40020, 40027, 40054, 40055)', () => {
    expect(codes({ button: [{ name: '看看', type: 'shake' }] })).toEqual(['button[0].type 40017']);
    expect(codes({ button: [{ name: '看看' }] })).toEqual(['button[0].type 40017']);
    expect(codes({ button: [{ name: 'x', sub_button: [{ name: 'y', type: 'nope' }] }] })).toEqual(['button[0].sub_button[0].type 40024']);
    expect(codes({ button: [{ name: '看看', type: 'click' }, { name: '长', type: 'click', key: 'k'.repeat(129) }] })).toEqual(['button[0].key 40019', 'button[1].key 40019']);
    expect(codes({ button: [{ name: 'x', sub_button: [{ name: 'y', type: 'scancode_push', key: '' }] }] })).toEqual(['button[0].sub_button[0].key 40026']);
    expect(codes({ button: [{ name: '商城', type: 'view', url: `https://a.cn/${'p'.repeat(1020)}` }] })).toEqual(['button[0].url 40020']);
    expect(codes({ button: [{ name: '商城', type: 'view', url: 'ftp://a.cn/' }] })).toEqual(['button[0].url 40055']);
    expect(codes({ button: [{ name: 'x', sub_button: [{ name: '商城', type: 'view', url: 'shop' }, { name: '空', type: 'view' }] }] })).toEqual([
      'button[0].sub_button[0].url 40054', 'button[0].sub_button[1].url 40027',
    ]);
  });

  it('says what to do in English (with the path) and in Chinese', () => {
    const [p] = menuProblems({ button: [leaf('我的全部订单')] });
    expect(p!.en).toBe('button[0].name: at most 4 Chinese characters or 8 letters (the phone cuts longer names)');
    expect(p!.zh).toBe('菜单名称最多 4 个汉字或 8 个字母');
  });
});

describe('the menu through the client and the simulator', () => {
  const codeOf = async (p: Promise<unknown>) => p.then(() => 0, (e: unknown) => (e instanceof WechatApiError ? e.code : -9999));

  it('publishes a menu, reads it back as published, replaces it, and deletes it (then get is null: 46003)', async () => {
    const h = await harness();
    const c = h.client();
    expect(await c.getMenu()).toBeNull();
    await c.createMenu({ button: [{ ...SHOP.button[0]!, url: 'ignored' } as never, SHOP.button[1]!, SHOP.button[2]!] });
    expect(await c.getMenu()).toEqual(SHOP);
    expect(h.sim.simulator.menu()).toEqual(SHOP);
    await c.createMenu({ button: [leaf('新品') as never] });
    expect(await c.getMenu()).toEqual({ button: [leaf('新品')] });
    await c.deleteMenu();
    expect(await c.getMenu()).toBeNull();
    expect(h.requests('/cgi-bin/menu/create')).toBe(2);
  });

  it('refuses a bad menu before sending it (WechatValidationError), and the simulator refuses it with the platform\'s codes', async () => {
    const h = await harness();
    const c = h.client();
    await expect(c.createMenu({ button: [] })).rejects.toBeInstanceOf(WechatValidationError);
    expect(h.requests('/cgi-bin/menu/create')).toBe(0);
    const token = await c.getAccessToken();
    const post = async (body: unknown) =>
      (await (await fetch(`${h.sim.url}/cgi-bin/menu/create?access_token=${token}`, { method: 'POST', body: JSON.stringify(body) })).json()) as { errcode: number };
    expect((await post({ button: [leaf('a'), leaf('b'), leaf('c'), leaf('d')] })).errcode).toBe(40016);
    expect((await post({ button: [{ name: 'x', type: 'shake' }] })).errcode).toBe(40017);
    expect((await post({ button: [leaf('一二三四五六')] })).errcode).toBe(40018);
    expect((await post({ button: [{ name: 'x', type: 'click', key: 'k'.repeat(200) }] })).errcode).toBe(40019);
    expect((await post({ button: [{ name: 'x', sub_button: [1, 2, 3, 4, 5, 6].map(() => leaf('y')) }] })).errcode).toBe(40023);
    expect((await post({ button: [{ name: 'x', sub_button: [{ name: 'y', type: 'view', url: 'u'.repeat(1100) }] }] })).errcode).toBe(40027);
    expect((await post({ button: [{ name: 'x', type: 'view', url: 'javascript:alert(1)' }] })).errcode).toBe(40055);
    expect((await post({})).errcode).toBe(44002);
    expect(h.sim.simulator.menu()).toBeNull();
    const bad = await fetch(`${h.sim.url}/cgi-bin/menu/get?access_token=nope`);
    expect(((await bad.json()) as { errcode: number }).errcode).toBe(40001);
  });

  it('takes injected errors: a busy platform is retried, a refusal surfaces with its code', async () => {
    const h = await harness();
    const c = h.client();
    await c.getAccessToken();
    h.sim.simulator.injectErrors([-1]);
    await c.createMenu(SHOP);
    expect(h.sim.simulator.menu()).toEqual(SHOP);
    h.sim.simulator.injectErrors([40018]);
    expect(await codeOf(c.createMenu(SHOP))).toBe(40018);
    h.sim.simulator.injectErrors([46003]);
    expect(await c.getMenu()).toBeNull();
  });
});
