/**
 * 设置 → 机器人 and 群发与免打扰 in a real browser (the machine's Chromium; skipped where there is none, never
 * in CI) against a real server: an operator renames the bot and writes a welcome, sees the phone preview
 * follow, saves, and a new follower gets that welcome over the webhook; an API problem shows on its field;
 * quiet hours are saved and read back; a viewer sees both tabs read-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN, within } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';


describe.skipIf(noBrowser)('设置: 机器人 and 群发与免打扰 in a browser', { timeout: 90_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let operator: StaffLogin;
  let viewer: StaffLogin;

  beforeAll(async () => {
    server = await adminServer();
    operator = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'op', role: 'operator' });
    viewer = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'looker', role: 'viewer' });
    // A cosmetics shop: its examples come from its own categories.
    for (const [sku, title, category] of [['C1', '丝绒口红', '彩妆/口红'], ['C2', '粉底液', '彩妆/粉底'], ['C3', '保湿面霜', '护肤/面霜']]) {
      const r = await server.api('PUT', `/products/${sku}`, { title, category, price: '199' });
      expect(r.status).toBe(200);
    }
    // Indexed in the background (a poll every 500 ms): the page reads the examples once.
    await within(15_000, async () => (await server.api('GET', '/settings')).body.example_queries_derived.join() === '彩妆,护肤');
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A signed-in page at `address`, recording console errors and page errors. */
  async function openAs(login: StaffLogin, address: string, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.server.url}/admin${address}`);
    await signInAs(page, login);
    return { page, problems };
  }

  it('renames the bot and rewrites the welcome, previewed as typed; a new follower then gets it over the webhook', async () => {
    const { page, problems } = await openAs(operator, '/settings/bot');
    const preview = page.getByTestId('welcome-preview');
    await expect.poll(() => preview.textContent()).toContain('我是逛的小逛');
    // Unset examples are the shop's own categories, shown beside the field.
    await expect.poll(() => page.getByText('根据你的商品自动生成：「彩妆」「护肤」').isVisible()).toBe(true);
    expect(await preview.textContent()).not.toMatch(/女装|酒店/);

    await page.locator('#bot_name').fill('小美');
    await expect.poll(() => preview.textContent()).toContain('我是逛的小美');
    await page.locator('#welcome_text').fill('欢迎来到{account_name}！我是{bot_name}，试试{examples}');
    await expect.poll(() => preview.textContent()).toBe('欢迎来到逛！我是小美，试试「彩妆」「护肤」');

    await page.getByTestId('save-bot').click();
    await expect.poll(() => page.getByText('已保存').first().isVisible()).toBe(true);
    expect(await server.event('o_x', 'subscribe')).toBe('欢迎来到逛！我是小美，试试「彩妆」「护肤」');
    expect((await server.api('GET', '/settings')).body).toMatchObject({ bot_name: '小美', welcome_text: '欢迎来到{account_name}！我是{bot_name}，试试{examples}' });

    // After a reload the saved values are there.
    await page.reload();
    await expect.poll(() => page.locator('#bot_name').inputValue()).toBe('小美');
    expect(await page.locator('#welcome_text').inputValue()).toBe('欢迎来到{account_name}！我是{bot_name}，试试{examples}');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the API\'s problem on its field, in Chinese, and saves nothing', async () => {
    const { page, problems } = await openAs(operator, '/settings/bot');
    await expect.poll(() => page.locator('#bot_name').inputValue()).toBe('小美');
    await page.locator('#fallback_text').fill('长'.repeat(700));
    await page.getByTestId('save-bot').click();
    const fallbackItem = page.locator('.ant-form-item').filter({ has: page.locator('#fallback_text') });
    await expect.poll(() => fallbackItem.locator('.ant-form-item-explain-error').textContent()).toMatch(/^太长了：微信文字消息最多 2048 字节/);
    expect((await server.api('GET', '/settings')).body.fallback_text).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('saves quiet hours, read back after a reload; a weekly cap out of range shows on its field', async () => {
    const { page, problems } = await openAs(operator, '/settings/push');
    const start = page.locator('#quiet_start');
    await expect.poll(() => start.inputValue()).toBe('22:00');
    await start.click();
    await start.fill('23:30');
    await start.press('Enter');
    const end = page.locator('#quiet_end');
    await end.click();
    await end.fill('07:15');
    await end.press('Enter');
    await page.getByTestId('save-push').click();
    await expect.poll(async () => (await server.api('GET', '/broadcasts/settings')).body).toMatchObject({ quiet_start: '23:30', quiet_end: '07:15', weekly_cap: 1 });
    await page.reload();
    await expect.poll(() => page.locator('#quiet_start').inputValue()).toBe('23:30');
    expect(await page.locator('#quiet_end').inputValue()).toBe('07:15');

    await page.locator('#weekly_cap').fill('101');
    await page.getByTestId('save-push').click();
    const capItem = page.locator('.ant-form-item').filter({ has: page.locator('#weekly_cap') });
    await expect.poll(() => capItem.locator('.ant-form-item-explain-error').textContent()).toBe('每周上限是 0 到 100 之间的整数');
    expect((await server.api('GET', '/broadcasts/settings')).body.weekly_cap).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a viewer both tabs read-only, on a phone without sideways scrolling', async () => {
    const { page, problems } = await openAs(viewer, '/settings/bot', { width: 390, height: 844 });
    await expect.poll(() => page.locator('#bot_name').inputValue()).toBe('小美');
    expect(await page.locator('#bot_name').isDisabled()).toBe(true);
    expect(await page.getByTestId('save-bot').count()).toBe(0);
    expect(await page.getByText('只读权限').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('tab', { name: '群发与免打扰' }).click();
    await expect.poll(() => page.locator('#quiet_start').inputValue()).toBe('23:30');
    expect(await page.locator('#quiet_start').isDisabled()).toBe(true);
    expect(await page.getByTestId('save-push').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });
});
