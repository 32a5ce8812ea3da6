/**
 * 设置's owner tabs in a real browser, against a real server from the real build: the owner adds a store
 * staff user and sees them listed, changes their own password and signs in with the new one, finds those
 * actions in 操作记录, adds a second official account and switches to it — and the calls made after the
 * switch name that account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signIn, type StaffLogin } from '../helpers/console-session.ts';

const NEW_PASSWORD = 'a-brand-new-password-7';
/** Screens load their code on first use: on a busy machine that takes a while. */
const SOON = { timeout: 15_000 };

describe.skipIf(noBrowser)('设置: staff, password, audit log, accounts', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;
  let page: Page;
  const problems: string[] = [];
  const apiCalls: string[] = [];

  beforeAll(async () => {
    server = await adminServer();
    owner = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'laoban', role: 'owner' });
    await server.api('POST', '/stores', { id: 'sh-jingan', name: '静安店' });
    browser = await launchChromium();
    // One page for the whole story (each step goes on from the last), at a phone's size: it must work there too.
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    page.on('console', (m) => {
      // A 401 from /api/session is how the console learns nobody is signed in; a 400 is a refusal the test asks for.
      if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(`${r.method()} ${url.pathname}${url.search}`);
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  const noHorizontalScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  it('the owner adds a store staff user (the API\'s refusal on its field first) and sees them listed', async () => {
    await page.goto(`${server.server.url}/admin/settings/staff`);
    await signIn(page, owner.username, owner.password);
    await expect.poll(async () => page.getByRole('cell', { name: /laoban/ }).isVisible(), SOON).toBe(true);
    await page.getByRole('button', { name: /添加员工/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('xiaowang');
    await dialog.getByLabel('角色').click();
    await page.getByText('门店员工（').click();
    await dialog.getByLabel('所属门店').click();
    await page.getByText('静安店（sh-jingan）').click();
    await dialog.getByLabel('初始密码').fill('short');
    await dialog.getByRole('button', { name: /添\s*加/ }).click();
    // The API's own message, in Chinese, under the password.
    await expect.poll(async () => dialog.getByText('密码至少 10 个字符').isVisible(), SOON).toBe(true);
    await dialog.getByLabel('初始密码').fill('xiaowang-password-1');
    await dialog.getByRole('button', { name: /添\s*加/ }).click();
    const row = page.getByRole('row', { name: /xiaowang/ });
    await expect.poll(async () => row.isVisible(), SOON).toBe(true);
    expect(await row.textContent()).toContain('门店员工');
    expect((await server.api('GET', '/staff')).body.items.find((u: { username: string }) => u.username === 'xiaowang')).toMatchObject({ role: 'store_staff', store: 'sh-jingan' });
    await noHorizontalScroll();
  });

  it('the owner changes their own password, is told this session goes on, and signs in again with the new one', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByText('修改密码').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '确认新密码' });
    await dialog.getByLabel('当前密码').fill('not-my-password');
    await dialog.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: /修\s*改/ }).click();
    await expect.poll(async () => dialog.getByText('当前密码不正确').isVisible(), SOON).toBe(true);
    await dialog.getByLabel('当前密码').fill(owner.password);
    await dialog.getByRole('button', { name: /修\s*改/ }).click();
    await expect.poll(async () => page.getByText('本设备保持登录').first().isVisible(), SOON).toBe(true);
    await page.getByRole('button', { name: '知道了' }).click();
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await signIn(page, owner.username, owner.password);
    await expect.poll(async () => page.getByRole('alert').textContent(), SOON).toContain('用户名或密码错误');
    await signIn(page, owner.username, NEW_PASSWORD);
    await expect.poll(async () => page.getByRole('cell', { name: /xiaowang/ }).isVisible(), SOON).toBe(true);
  });

  it('操作记录 lists those actions in words, and narrows them by action', async () => {
    // Opened by its address (the tab is part of it): a fresh page, whatever the sign-in before left mounting.
    await page.goto(`${server.server.url}/admin/settings/audit`);
    await expect.poll(async () => page.getByRole('tab', { name: '操作记录', selected: true }).isVisible(), SOON).toBe(true);
    await expect.poll(async () => page.getByRole('cell', { name: '添加员工' }).first().isVisible(), SOON).toBe(true);
    await expect.poll(async () => page.getByRole('cell', { name: '修改自己的密码' }).count(), SOON).toBe(1);
    expect(await page.getByRole('cell', { name: '登录', exact: true }).count()).toBe(2);
    await page.getByLabel('按操作筛选').click();
    await page.keyboard.type('修改自己');
    await page.keyboard.press('Enter');
    // The narrowed list replaces the whole one (the table empties while it loads): wait for what it shows.
    await expect.poll(async () => page.getByRole('cell', { name: '修改自己的密码' }).count(), SOON).toBe(1);
    expect(await page.getByRole('cell', { name: '登录', exact: true }).count()).toBe(0);
    expect(apiCalls.some((c) => c.startsWith('GET /api/audit?') && c.includes('route=changePassword'))).toBe(true);
    await noHorizontalScroll();
  });

  it('the owner adds a second account, sees its webhook URL and masked secrets, and switches to it: later calls carry ?account=', async () => {
    await page.goto(`${server.server.url}/admin/settings/accounts`);
    await page.getByRole('button', { name: /添加公众号/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('ID', { exact: true }).fill('shop2');
    await dialog.getByLabel('名称').fill('二号店');
    await dialog.getByLabel('AppID').fill('wx2c2769f8efd9abc2');
    await dialog.getByLabel('令牌(Token)').fill('ab');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(async () => dialog.getByText('令牌（Token）为 3–32 位字母或数字').isVisible(), SOON).toBe(true);
    await dialog.getByLabel('令牌(Token)').fill('shoptwotoken42');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const card = page.getByTestId('account-shop2');
    await expect.poll(async () => card.isVisible(), SOON).toBe(true);
    expect(await card.textContent()).toContain('/wechat/shop2');
    expect(await card.textContent()).toContain('••••en42');
    expect(await page.content()).not.toContain('shoptwotoken42');

    await page.getByTestId('account-switcher').click();
    await page.getByRole('option', { name: '二号店' }).click();
    await expect.poll(async () => page.getByTestId('account-switcher').textContent(), SOON).toContain('二号店');
    expect(await page.evaluate(() => localStorage.getItem('guang.account'))).toBe('shop2');
    const before = apiCalls.length;
    // Switching reloads the screen's data (the accounts list, through the new account); so does moving to another tab.
    await page.getByRole('tab', { name: '员工' }).click();
    await expect.poll(async () => apiCalls.slice(before).filter((c) => !c.includes('/api/session')).length, SOON).toBeGreaterThan(0);
    const after = apiCalls.slice(before).filter((c) => !c.includes('/api/session'));
    expect(after.every((c) => c.includes('account=shop2')), after.join('\n')).toBe(true);
    // Remembered: a reload keeps working on shop2.
    await page.reload();
    await expect.poll(async () => page.getByTestId('account-switcher').textContent(), SOON).toContain('二号店');
    await noHorizontalScroll();
    expect(problems.join('\n')).toBe('');
  });
});
