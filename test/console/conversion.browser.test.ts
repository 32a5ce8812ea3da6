/**
 * 数据 › 转化 in a real browser over a real server seeded with two days of questions (signed webhook messages),
 * page views and orders (test/reports/seed.ts): the funnel's numbers and rates on screen, per day, store and
 * question, and revenue per store and referrer in yuan with two decimals. The browser's clock is the server's
 * (the seed's days are the Beijing days either side of the nearest midnight), so 近7天 holds both days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';
import { seededServer } from '../reports/seed.ts';

describe.skipIf(noBrowser)('数据 › 转化 in a browser', { timeout: 90_000 }, () => {
  let s: Awaited<ReturnType<typeof seededServer>>;
  let browser: Browser;
  let owner: StaffLogin;

  beforeAll(async () => {
    s = await seededServer();
    owner = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'owner', role: 'owner' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });
    await page.clock.setFixedTime(new Date(s.clock.now()));
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${s.server.url}/admin/reports/conversion`);
    await signInAs(page, owner);
    return { page, problems };
  }

  /** A funnel step's numbers as shown: 「4 人」「8 条」「转化 75.0%」. */
  const step = async (page: Page, key: string) => {
    const el = page.getByTestId('funnel').locator(`[data-step=${key}]`);
    const field = async (f: string) => ((await el.locator(`[data-field=${f}]`).count()) ? await el.locator(`[data-field=${f}]`).textContent() : null);
    return [await field('followers'), await field('count'), await field('rate')];
  };
  /** A table row's cells' text, the row found by its first cell. */
  const cells = (page: Page, scope: string, first: string) =>
    page.getByTestId(scope).locator('tr', { has: page.getByRole('cell', { name: first, exact: true }) }).first().locator('td').allTextContents();

  it('draws the period\'s funnel with each step\'s followers, count and rate, and the table per day', async () => {
    const { page, problems } = await open();
    await page.getByTestId('funnel').waitFor();
    expect(await step(page, 'asked')).toEqual(['4 人', '8 条', null]);
    expect(await step(page, 'listed')).toEqual(['4 人', '6 次', '转化 100.0%']);
    expect(await step(page, 'viewed')).toEqual(['3 人', '6 次', '转化 75.0%']);
    expect(await step(page, 'ordered')).toEqual(['3 人', '4 单', '转化 100.0%']);
    expect(await step(page, 'delivered')).toEqual(['1 人', '1 单', '转化 33.3%']);
    expect(await page.getByTestId('funnel').locator('[data-field=cancelled]').textContent()).toBe('已取消 1 单');

    const table = page.locator('.ant-card', { hasText: '转化漏斗' }).locator('.ant-table-tbody');
    const row = (first: string) => table.locator('tr', { has: page.getByRole('cell', { name: first, exact: true }) }).locator('td').allTextContents();
    await expect.poll(() => row(s.day1)).toEqual([s.day1, '4 人', '3 人（75.0%）', '2 人（66.7%）', '2 人（100.0%）', '1 人（50.0%）', '1']);
    expect(await row(s.day2)).toEqual([s.day2, '3 人', '3 人（100.0%）', '1 人（33.3%）', '1 人（100.0%）', '0 人（0.0%）', '0']);

    await page.getByText('按门店', { exact: true }).click();
    await expect.poll(() => row('静安店')).toEqual(['静安店', '2 人', '2 人（100.0%）', '2 人（100.0%）', '2 人（100.0%）', '1 人（50.0%）', '1']);
    expect(await row('朝阳店')).toEqual(['朝阳店', '1 人', '1 人（100.0%）', '1 人（100.0%）', '1 人（100.0%）', '0 人（0.0%）', '0']);
    expect(await row('未归属门店')).toEqual(['未归属门店', '1 人', '1 人（100.0%）', '0 人（0.0%）', '0 人（—）', '0 人（—）', '0']);

    await page.getByText('按问题', { exact: true }).click();
    await expect.poll(() => row('连衣裙')).toEqual(['连衣裙', '3 人', '3 人（100.0%）', '3 人（100.0%）', '3 人（100.0%）', '1 人（33.3%）', '1']);
    expect(await row('上班战袍')).toEqual(['上班战袍', '1 人', '0 人（0.0%）', '0 人（—）', '0 人（—）', '0 人（—）', '0']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows revenue per store and per referrer in yuan with two decimals, with the total', async () => {
    const { page, problems } = await open();
    await expect.poll(() => cells(page, 'revenue-store', '朝阳店')).toEqual(['朝阳店', '2', '3', '¥1,227.00', '0 单 / ¥0.00', '0']);
    expect(await cells(page, 'revenue-store', '静安店')).toEqual(['静安店', '1', '2', '¥598.00', '1 单 / ¥598.00', '1']);
    expect(await cells(page, 'revenue-store', '合计')).toEqual(['合计', '3', '5', '¥1,825.00', '1 单 / ¥598.00', '1']);
    expect(await cells(page, 'revenue-referrer', '王姐（wangjie）')).toEqual(['王姐（wangjie）', '2', '4', '¥1,516.00', '1 单 / ¥598.00', '0']);
    expect(await cells(page, 'revenue-referrer', '小李（xiaoli）')).toEqual(['小李（xiaoli）', '1', '1', '¥309.00', '0 单 / ¥0.00', '0']);
    expect(await cells(page, 'revenue-referrer', '无推荐人')).toEqual(['无推荐人', '0', '0', '¥0.00', '0 单 / ¥0.00', '1']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a phone (390 px) without sideways scrolling of the page', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await page.getByTestId('funnel').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });
});
