/**
 * Lists longer than a page, in a real browser over a real server: 订单 pages with 下一页 / 上一页 and starts again
 * at the first page when a filter changes; 粉丝 loads 20 at a time with 加载更多 and starts again when its filter
 * changes. (The console's two paging hooks, web/console/src/paged-list.ts and load-more.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, noBrowser, watchedPage } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { place, seedShop } from '../admin/order-seed.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';

const poll = expect.poll;

describe.skipIf(noBrowser)('paging in a browser', { timeout: 90_000 }, () => {
  let s: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;
  /** Newest first, as the list shows them: 22 from 静安's followers, then 3 from 朝阳's (a follower may have 5 pending). */
  let newestFirst: string[];
  const jinganOrders = 22;

  beforeAll(async () => {
    s = await adminServer();
    await seedShop(s);
    // 25 more followers through 静安店's QR code: 26 from 静安 with o_j1, 28 in all.
    for (let i = 0; i < 25; i++) await s.event(`o_more_${String(i).padStart(2, '0')}`, 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
    const now = Date.now() - 60_000;
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await place(s.server.sql, { user: 'o_c1', at: now + i, items: [{ sku: 'P2', variant: null, quantity: 1 }] })).id);
    for (let i = 0; i < jinganOrders; i++) ids.push((await place(s.server.sql, { user: `o_more_${String(i).padStart(2, '0')}`, at: now + 100 + i, items: [{ sku: 'P2', variant: null, quantity: 1 }] })).id);
    newestFirst = ids.reverse().map(String);
    owner = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'owner', role: 'owner' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(path: string) {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${s.server.url}/admin${path}`);
    await signInAs(page, owner);
    return { page, problems };
  }

  const orderIds = async (page: Page) =>
    (await page.getByTestId('orders').locator('tbody tr.ant-table-row td:first-child').allTextContents()).map((t) => t.trim());

  it('订单: 下一页 shows the next orders, 上一页 the first again, and a new filter starts at page 1', async () => {
    const { page, problems } = await open('/orders');
    await poll(() => orderIds(page)).toEqual(newestFirst.slice(0, 20));
    await page.getByRole('button', { name: '下一页' }).click();
    await poll(() => orderIds(page)).toEqual(newestFirst.slice(20));
    expect(await page.getByRole('button', { name: '下一页' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '上一页' }).click();
    await poll(() => orderIds(page)).toEqual(newestFirst.slice(0, 20));
    await page.getByRole('button', { name: '下一页' }).click();
    await poll(() => orderIds(page)).toEqual(newestFirst.slice(20));

    // On page 2, choose 静安店: its 22 orders from the first, not page 2 of them.
    await page.getByRole('combobox', { name: '门店' }).click();
    await page.locator('.ant-select-dropdown').getByText('静安店', { exact: true }).click();
    await poll(() => orderIds(page)).toEqual(newestFirst.slice(0, 20));
    expect(await page.getByText('第 1 页').count()).toBe(1);
    await page.getByRole('button', { name: '下一页' }).click();
    await poll(() => orderIds(page)).toEqual(newestFirst.slice(20, jinganOrders));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('粉丝: 加载更多 appends the next followers until none are left, and a new filter starts again', async () => {
    const { page, problems } = await open('/followers');
    const listed = () => page.getByTestId('follower-list').locator('.ant-table-tbody tr.ant-table-row td:first-child').allTextContents();
    await poll(async () => (await listed()).length).toBe(20);
    await poll(() => page.getByTestId('followers-total').textContent()).toBe('共 28 位');
    const first = await listed();
    await page.getByRole('button', { name: '加载更多' }).click();
    await poll(async () => (await listed()).length).toBe(28);
    const all = await listed();
    expect(all.slice(0, 20)).toEqual(first);
    expect(new Set(all).size).toBe(28);
    expect(await page.getByRole('button', { name: '加载更多' }).count()).toBe(0);

    // 朝阳店 has one follower: the list is that one, not 28 plus one.
    await page.getByRole('combobox', { name: '门店' }).click();
    await page.locator('.ant-select-item-option', { hasText: '朝阳店' }).click();
    await poll(listed).toEqual(['o_c1']);
    await poll(() => page.getByTestId('followers-total').textContent()).toBe('共 1 位');
    expect(problems).toEqual([]);
    await page.close();
  });
});
