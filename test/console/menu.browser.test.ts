/**
 * 自定义菜单 in a real browser over a real server with the embedded WeChat API simulator: a merchant builds a
 * menu (a click button, a button with sub-buttons, a shortcut to 我的订单), sees the platform's limits checked as
 * they type, makes the reply rule for the click key from the hint (in a new tab, the rule editor prefilled),
 * publishes after confirming — the simulator then holds the menu — and a CLICK on that key, sent through the real
 * signed webhook, is answered by that rule. Then the menu is previewed; a viewer sees it read-only; it is read
 * back and deleted after confirming; at phone size the screen fits the width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';

describe.skipIf(noBrowser)('自定义菜单 in a browser', { timeout: 120_000 }, () => {
  let s: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;

  beforeAll(async () => {
    s = await adminServer();
    owner = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'menu-owner', role: 'owner' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport = { width: 1440, height: 900 }) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${s.server.url}/admin/menu`);
    await signInAs(page, owner);
    return { page, context, problems };
  }

  it('builds and publishes a menu; the simulator holds it and a CLICK on its key is answered by the rule made for it', async () => {
    const { page, context, problems } = await open();
    await page.getByText('还没有菜单。').waitFor();
    await page.getByRole('button', { name: '添加菜单' }).click();
    const form = page.getByTestId('button-form');
    await form.getByLabel('名称').fill('今日全部推荐');
    // Over what the phone shows: the check says so on the field and in the summary, and 发布 waits.
    await expect.poll(() => form.getByText('菜单名称最多 4 个汉字或 8 个字母').count()).toBe(1);
    expect(await page.getByTestId('menu-problems').textContent()).toContain('还有 1 处需要修改才能发布');
    expect(await page.getByRole('button', { name: '发 布' }).isDisabled()).toBe(true);
    await form.getByLabel('名称').fill('今日推荐');
    await form.getByLabel('菜单 KEY').fill('TODAY');
    expect(await page.getByTestId('menu-problems').count()).toBe(0);

    // The hint: no rule answers TODAY yet; its link opens the rule editor with a click rule for it.
    const hint = form.getByTestId('rule-hint');
    expect(await hint.textContent()).toContain('还没有回答这个 KEY 的自动回复规则');
    const [tab] = await Promise.all([context.waitForEvent('page'), hint.getByRole('link', { name: '新建回复规则' }).click()]);
    await tab!.getByLabel('回复 1 文字').fill('今天推荐：法式复古连衣裙');
    await tab!.getByRole('button', { name: '保 存' }).click();
    await tab!.getByText('已保存「今日推荐」').waitFor();
    await tab!.close();
    await page.evaluate(() => dispatchEvent(new Event('focus')));
    await expect.poll(() => hint.textContent()).toContain('由自动回复规则「今日推荐」回复');

    // A second button with two sub-buttons: 我的订单 from the shortcut, a location picker; then moved first.
    await page.getByRole('button', { name: '添加菜单' }).click();
    await form.getByLabel('名称').fill('逛店');
    await page.getByRole('button', { name: /添加子菜单/ }).nth(1).click();
    await form.getByLabel('名称').fill('我的订单');
    await form.getByText('跳转网页').click();
    expect(await form.getByText('请填写网页链接（https://…）').count()).toBe(1);
    await form.getByRole('button', { name: '我的订单' }).click();
    expect(await form.getByLabel('网页链接').inputValue()).toMatch(/^http:\/\/.+\/m\/default\/orders$/);
    await page.getByRole('button', { name: /添加子菜单/ }).nth(1).click();
    await form.getByLabel('名称').fill('附近门店');
    await form.getByText('发送位置').click();
    await page.getByRole('button', { name: '上移菜单「逛店」' }).click();
    expect(await page.getByTestId('menu-row-0').textContent()).toContain('逛店');

    await page.getByRole('button', { name: '发 布' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '发 布' }).click();
    await page.getByText('菜单已发布，粉丝约 5 分钟内看到新菜单').waitFor();
    expect(s.server.simulator!.menu()).toEqual({
      button: [
        {
          name: '逛店',
          sub_button: [
            { type: 'view', name: '我的订单', url: expect.stringMatching(/\/m\/default\/orders$/) },
            { type: 'location_select', name: '附近门店', key: expect.stringMatching(/^MENU_\d+$/) },
          ],
        },
        { type: 'click', name: '今日推荐', key: 'TODAY' },
      ],
    });
    expect(await page.getByText('与微信上的菜单一致').count()).toBe(1);
    expect(await s.event('o_menu_fan', 'CLICK', { EventKey: 'TODAY' })).toBe('今天推荐：法式复古连衣裙');

    // The phone preview: the bar shows both buttons; 逛店 opens its sub-buttons; a tap says what happens.
    await page.getByRole('button', { name: '预览：逛店' }).click();
    expect(await page.getByRole('menu', { name: '逛店的子菜单' }).getByRole('menuitem').allTextContents()).toEqual(['我的订单', '附近门店']);
    await page.getByRole('button', { name: '预览：今日推荐' }).click();
    expect(await page.getByTestId('preview-said').textContent()).toBe('点击「今日推荐」：公众号收到 KEY「TODAY」，由规则「今日推荐」回复');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a viewer the published menu read-only: no publish or delete, no moving, the fields locked', async () => {
    const viewer = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'menu-viewer', role: 'viewer' });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${s.server.url}/admin/menu`);
    await signInAs(page, viewer);
    await page.getByTestId('menu-row-0').waitFor();
    expect(await page.getByRole('button', { name: '发 布' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '删除菜单', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^上移/ }).count()).toBe(0);
    await page.getByTestId('menu-row-1').click();
    expect(await page.getByTestId('button-form').getByLabel('名称').isDisabled()).toBe(true);
    expect(await page.getByTestId('button-form').getByLabel('菜单 KEY').inputValue()).toBe('TODAY');
    await context.close();
  });

  it('reads the published menu back, and deletes it after confirming; at phone size nothing is wider than the screen', async () => {
    const { page, context, problems } = await open({ width: 390, height: 844 });
    await page.getByTestId('menu-row-0').waitFor();
    expect(await page.getByTestId('menu-tree').getByRole('button', { name: /^菜单「/ }).allTextContents()).toEqual(['逛店2 个子菜单', '今日推荐发送消息']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: '删除菜单', exact: true }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '删 除' }).click();
    await page.getByText('菜单已删除').waitFor();
    expect(s.server.simulator!.menu()).toBeNull();
    expect(await page.getByText('还没有菜单。').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
