/**
 * What each role sees in the console, in a real browser against a real server (the real build): a store's staff
 * see only 我的门店 (their store, the followers its QR codes brought, and a button that makes a code); an address
 * outside it shows 无权访问 and the API refuses the same thing for their session; a viewer sees the menu but not
 * 我的门店, and the overview's 今天 row and follower chart. Followers arrive through the webhook, as WeChat sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';


describe.skipIf(noBrowser)('the console by role', { timeout: 90_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let clerk: StaffLogin;
  let viewer: StaffLogin;

  beforeAll(async () => {
    server = await adminServer();
    await server.api('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海' });
    await server.api('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店', city: '北京' });
    clerk = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'clerk', role: 'store_staff', store: 'sh-jingan' });
    viewer = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'guest', role: 'viewer' });
    // Two follow through 静安店's code, one through 朝阳店's; one of 静安店's leaves again.
    await server.event('o_jingan_1', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
    await server.event('o_jingan_2', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
    await server.event('o_chaoyang_1', 'subscribe', { EventKey: 'qrscene_bj-chaoyang', Ticket: 't' });
    await server.event('o_jingan_2', 'unsubscribe');
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A page that records console errors and page errors (the 401 of the first session check aside). */
  async function open(viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems };
  }

  const menuItems = async (page: Page) => (await page.getByRole('menuitem').allTextContents()).map((t) => t.trim());

  it('store staff see only 我的门店: their store\'s followers, and a QR code they make', async () => {
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin`);
    await signInAs(page, clerk);
    await expect.poll(() => page.getByText('门店信息').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await menuItems(page)).toEqual(['我的门店', '订单', '粉丝']);
    await expect.poll(() => page.getByText('静安店').first().isVisible()).toBe(true);

    const followers = page.getByTestId('store-followers');
    await expect.poll(() => followers.getByText('o_jingan_1').count(), { timeout: 10_000 }).toBe(1);
    expect(await followers.getByText('o_jingan_2').count()).toBe(1);
    expect(await followers.getByText('已取关').count()).toBe(1);
    expect(await page.getByText('o_chaoyang_1').count()).toBe(0);
    await page.getByText('关注中', { exact: true }).first().click(); // the filter: only who still follows
    // The table empties while the filtered page loads: wait for the one that has o_jingan_1 and not o_jingan_2.
    const shown = async () => [await followers.getByText('o_jingan_1').count(), await followers.getByText('o_jingan_2').count()];
    await expect.poll(shown).toEqual([1, 0]);

    expect(await page.getByTestId('qr-code').count()).toBe(0);
    await page.getByRole('button', { name: /生成二维码/ }).click();
    await expect.poll(() => page.getByTestId('qr-code').count(), { timeout: 10_000 }).toBe(1);
    // The code as the server draws it (the image loads with the clerk's session).
    const img = page.getByTestId('qr-code').locator('img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    const codes = await server.api('GET', '/stores/sh-jingan/qrcodes');
    expect(codes.body.items).toHaveLength(1);
    expect(codes.body.items[0]).toMatchObject({ store: 'sh-jingan', permanent: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an address outside their store shows 无权访问 with the way back, and the API refuses their session too', async () => {
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin/rules/new`);
    await signInAs(page, clerk);
    await expect.poll(() => page.getByText('无法打开「自动回复」').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByText('无权访问').first().isVisible()).toBe(true);
    expect(await page.getByText(/clerk（门店员工）/).isVisible()).toBe(true);
    expect(await menuItems(page)).toEqual(['我的门店', '订单', '粉丝']);

    // The same session, straight to the API (its CSRF token from GET /api/session, as the console gets it).
    const session = await (await page.request.get(`${server.server.url}/api/session`)).json();
    const rule = { name: '优惠', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '满 199 减 20' }] };
    const refused = await page.request.post(`${server.server.url}/api/rules`, { data: rule, headers: { 'x-csrf-token': session.csrf } });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
    const others = await page.request.get(`${server.server.url}/api/subscribers?store=bj-chaoyang`);
    expect(others.status()).toBe(403);

    await page.getByRole('button', { name: /返回我的门店/ }).click();
    await expect.poll(() => page.getByText('门店信息').isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/admin/store');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('我的门店 fits a phone', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await page.goto(`${server.server.url}/admin/store`);
    await signInAs(page, clerk);
    await expect.poll(() => page.getByTestId('qr-code').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('store-followers').getByText('o_jingan_1').count()).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a viewer sees the menu without 我的门店, and the overview: today\'s followers and their chart', async () => {
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin`);
    await signInAs(page, viewer);
    await expect.poll(() => page.getByTestId('today').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await menuItems(page)).toEqual(['概览', '自动回复', '商品/酒店/团购', '订单', '粉丝', '群发', '门店与二维码', '自定义菜单', '数据', '设置', '对话']);
    const today = page.getByTestId('today');
    await expect.poll(() => today.locator('.ant-statistic').nth(1).textContent()).toContain('3');
    expect(await today.locator('.ant-statistic').nth(2).textContent()).toContain('1');
    await expect.poll(() => page.locator('[data-testid=followers-chart] canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByText('当前关注 2 人').isVisible()).toBe(true);

    await page.goto(`${server.server.url}/admin/store`);
    await expect.poll(() => page.getByText('无法打开「我的门店」').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
