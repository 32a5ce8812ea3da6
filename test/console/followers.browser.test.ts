/**
 * 粉丝 in a real browser over a real server: followers come in through the signed webhook (a store's QR code,
 * messages the bot answers, 「TD」), one orders through the order desk. An operator filters the list, opens a
 * follower, sees their messages with the bot's answers, their order (linking to 订单), the broadcast they received
 * (run against the simulator) and their open window, and adds and removes a tag; the page and the API agree.
 * Store staff see their store's followers only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN, within } from '../admin/harness.ts';
import { CATALOGUE_CSV, place } from '../admin/order-seed.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';

describe.skipIf(noBrowser)('粉丝 in a browser', { timeout: 90_000 }, () => {
  let s: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let operator: StaffLogin;
  let clerk: StaffLogin;
  let orderId: number;

  beforeAll(async () => {
    s = await adminServer();
    for (const [id, name] of [['sh-jingan', '静安店'], ['bj-chaoyang', '朝阳店']]) expect((await s.api('POST', '/stores', { id, name })).status).toBe(201);
    expect((await s.api('POST', '/products/import?filename=products.csv', CATALOGUE_CSV, { headers: { 'content-type': 'text/csv' } })).body.imported).toBe(2);
    expect((await s.api('POST', '/rules', { name: '优惠券', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '本周满199减20' }] })).status).toBe(201);
    await s.event('o_jingan_a', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
    await s.event('o_jingan_b', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
    await s.event('o_chaoyang', 'subscribe', { EventKey: 'qrscene_bj-chaoyang', Ticket: 't' });
    // The search index picks the import up within a poll: ask as a console test follower (never listed) until it does.
    await within(15_000, async () => (await s.say('console-probe', '连衣裙')).includes('法式连衣裙'));
    await s.say('o_jingan_a', '连衣裙');
    await s.say('o_jingan_a', '有优惠吗');
    await s.say('o_jingan_b', 'TD');
    // A broadcast to the vip tag, run against the simulator: it lands in the send ledger.
    expect((await s.api('PUT', '/broadcasts/settings', { weekly_cap: 1, quiet_start: '00:00', quiet_end: '00:00' })).status).toBe(200);
    expect((await s.api('PUT', '/subscribers/o_jingan_a/tags/vip')).status).toBe(200);
    const b = await s.api('POST', '/broadcasts', { name: '会员日', message: { type: 'text', content: '会员日：全场八折' }, audience: { tags: ['vip'] }, channel: 'custom' });
    expect((await s.api('POST', `/broadcasts/${b.body.id}/send`)).status).toBe(202);
    await within(10_000, async () => (await s.api('GET', `/broadcasts/${b.body.id}`)).body.status === 'done');
    orderId = (await place(s.server.sql, { user: 'o_jingan_a', at: Date.now(), items: [{ sku: 'P1', variant: 'M', quantity: 1 }] })).id;
    operator = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'ops', role: 'operator' });
    clerk = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'clerk', role: 'store_staff', store: 'bj-chaoyang' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(login: StaffLogin, path = '/admin/followers') {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('console', (m) => {
      // 400: the bad tag name the test types on purpose; 404: another store's follower.
      if (m.type() === 'error' && !/status of (400|401|404)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${s.server.url}${path}`);
    await signInAs(page, login);
    return { page, problems };
  }
  const listed = (page: Awaited<ReturnType<typeof open>>['page']) =>
    page.getByTestId('follower-list').locator('.ant-table-tbody tr.ant-table-row td:first-child').allTextContents();

  it('filters the list, opens a follower, shows their messages, order and window, and adds and removes a tag', async () => {
    const { page, problems } = await open(operator);
    await expect.poll(() => listed(page)).toEqual(['o_chaoyang', 'o_jingan_a', 'o_jingan_b']);
    await expect.poll(() => page.getByTestId('followers-total').textContent()).toBe('共 3 位');

    // 静安店, then those who still take broadcasts: the one who replied TD drops out.
    await page.getByRole('combobox', { name: '门店' }).click();
    await page.locator('.ant-select-item-option', { hasText: '静安店' }).click();
    await expect.poll(() => listed(page)).toEqual(['o_jingan_a', 'o_jingan_b']);
    await page.getByRole('combobox', { name: '群发退订' }).click();
    await page.locator('.ant-select-item-option', { hasText: '已退订群发' }).click();
    await expect.poll(() => listed(page)).toEqual(['o_jingan_b']);
    expect(page.url()).toContain('store=sh-jingan');
    await page.getByRole('combobox', { name: '群发退订' }).click();
    await page.locator('.ant-select-item-option', { hasText: '接收群发' }).click();
    await expect.poll(() => listed(page)).toEqual(['o_jingan_a']);
    expect(await page.getByTestId('follower-list').locator('.ant-table-row').first().textContent()).toContain('静安店');

    await page.getByRole('link', { name: 'o_jingan_a' }).click();
    await page.getByTestId('follower-openid').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/followers/o_jingan_a');
    // Their messages, oldest first, each with how the bot answered.
    const said = page.getByTestId('follower-said');
    await expect.poll(() => said.allTextContents()).toEqual(['连衣裙', '有优惠吗']);
    const answered = await page.getByTestId('bot-answered').allTextContents();
    expect(answered[0]).toContain('技能：商品搜索');
    expect(answered[0]).toContain('法式连衣裙');
    expect(answered[1]).toBe('规则：优惠券');
    // The order, linking to 订单.
    const orderLink = page.getByTestId('follower-orders').getByRole('link', { name: `#${orderId}` });
    expect(await orderLink.getAttribute('href')).toBe(`/admin/orders/${orderId}`);
    expect(await page.getByTestId('follower-orders').locator('.ant-table-row').textContent()).toContain('待确认');
    // The window is open (they just wrote): it counts down, all 5 customer-service messages left.
    const win = page.getByTestId('follower-window');
    expect(await win.textContent()).toContain('48 小时客服窗口剩余');
    expect(await win.textContent()).toMatch(/4[67] 小时/);
    // The broadcast took one of the 5 customer-service messages, and the week's one push.
    expect(await win.locator('.ant-statistic', { hasText: '客服消息剩余' }).textContent()).toContain('4/ 5');
    expect(await win.locator('.ant-statistic', { hasText: '本周已群发' }).textContent()).toContain('1/ 1');
    const pushes = await page.getByTestId('follower-pushes').locator('.ant-list-item').allTextContents();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toContain('群发会员日');
    expect(pushes[0]).toContain('会员日：全场八折');

    // A tag: a bad name is refused with the API's words; a good one appears, and goes again.
    const tags = page.getByTestId('follower-tags');
    await page.getByLabel('新标签').fill('two words');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await expect.poll(() => tags.getByRole('alert').textContent()).toContain('不能有空格');
    await page.getByLabel('新标签').fill('老客户');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await tags.locator('.ant-tag', { hasText: '老客户' }).waitFor();
    expect((await s.api('GET', '/subscribers/o_jingan_a')).body.tags).toEqual(['store:sh-jingan', 'vip', '老客户']);
    await tags.getByLabel('去掉标签 老客户').click();
    await tags.locator('.ant-tag', { hasText: '老客户' }).waitFor({ state: 'detached' });
    expect((await s.api('GET', '/subscribers/o_jingan_a')).body.tags).toEqual(['store:sh-jingan', 'vip']);

    // Back to the list: the filters are where they were.
    await page.getByRole('button', { name: /返回粉丝列表/ }).click();
    await expect.poll(() => listed(page)).toEqual(['o_jingan_a']);
    expect(page.url()).toContain('opted_out=false');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('store staff see their own store\'s followers, and another store\'s follower is not found', async () => {
    const { page, problems } = await open(clerk);
    await expect.poll(() => listed(page)).toEqual(['o_chaoyang']);
    expect(await page.getByRole('combobox', { name: '门店' }).count()).toBe(0);
    await page.goto(`${s.server.url}/admin/followers/o_jingan_a`);
    await page.getByText('没有这个粉丝').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});
