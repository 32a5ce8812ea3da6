/**
 * 设置 › 客服问答 in a real browser over a real server: an operator sees each default as its field's placeholder,
 * an answer the API refuses shows its words under that field and nothing is saved, a saved answer is what a
 * follower asking through the signed webhook gets, and turning on the hand-off sends 「人工」 to the account's
 * customer-service staff (transfer_customer_service), which 数据 › 客服问题 then lists as needing a person; a viewer
 * sees it all read-only on a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser, watchedPage } from '../helpers/console-browser.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';

describe.skipIf(noBrowser)('设置 › 客服问答 in a browser', { timeout: 120_000 }, () => {
  let s: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let operator: StaffLogin;
  let viewer: StaffLogin;

  beforeAll(async () => {
    s = await adminServer();
    operator = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'op', role: 'operator' });
    viewer = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'looker', role: 'viewer' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(login: StaffLogin, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; problems: string[] }> {
    const { page, problems } = await watchedPage(browser, { viewport, allowStatus: /401|400/ });
    await page.goto(`${s.server.url}/admin/settings/service`);
    await signInAs(page, login);
    await page.getByTestId('service-form').waitFor();
    return { page, problems };
  }

  it('changes the answer to 是正品吗 and hands 人工 to the customer-service staff; a follower asking gets both', async () => {
    const defaults = (await s.api('GET', '/service-answers')).body.default_answers as Record<string, string>;
    expect(await s.say('o_asker', '是正品吗')).toBe(defaults.authenticity);
    const { page, problems } = await open(operator);
    // An empty answer is the default, shown greyed as its placeholder.
    expect(await page.locator('#service_answers_authenticity').getAttribute('placeholder')).toBe(defaults.authenticity);

    // A refused answer: the API's words under its field, nothing saved.
    await page.locator('#service_answers_coupons').fill('折'.repeat(700));
    await page.getByTestId('save-service').click();
    await page.getByText('太长了：最多约 600 个汉字').waitFor();
    expect((await s.api('GET', '/service-answers')).body.answers.coupons).toBeNull();

    await page.locator('#service_answers_coupons').fill('');
    await page.locator('#service_answers_authenticity').fill('全部品牌授权正品，支持专柜验货。');
    await page.locator('#service_human_transfer').click();
    await page.getByTestId('save-service').click();
    await page.getByText('已保存').first().waitFor();
    expect((await s.api('GET', '/service-answers')).body).toMatchObject({
      answers: { authenticity: '全部品牌授权正品，支持专柜验货。', coupons: null }, human_transfer: true,
    });
    expect(await s.say('o_asker', '是正品吗')).toBe('全部品牌授权正品，支持专柜验货。');
    expect(await s.say('o_asker', '人工')).toBe('<transfer_customer_service>');
    expect(problems).toEqual([]);
  });

  it('lists 人工 under 数据 › 客服问题 as needing a person, and counts the questions by topic', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${s.server.url}/admin/reports/service`);
    await signInAs(page, operator);
    const row = page.getByTestId('needs-person').locator('tr', { hasText: 'o_asker' });
    await row.getByText('已转微信客服').waitFor();
    expect(await row.textContent()).toContain('要人工');
    await page.getByTestId('service-topics').locator('tr', { hasText: '是否正品' }).getByText('2', { exact: true }).first().waitFor();
    await page.close();
  });

  it('shows a viewer everything read-only, on a phone without sideways scrolling', async () => {
    const { page, problems } = await open(viewer, { width: 390, height: 844 });
    await page.getByText('你的账号是只读权限').waitFor();
    expect(await page.locator('#service_answers_authenticity').inputValue()).toBe('全部品牌授权正品，支持专柜验货。');
    expect(await page.locator('#service_answers_authenticity').isDisabled()).toBe(true);
    expect(await page.locator('#service_human_transfer').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /保\s*存/ }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });
});
