/**
 * The 数据 screen in a real browser over a real server: followers ask what nothing answers (signed webhook
 * messages), the screen lists it, and its one-click answers work end to end — 设为同义词 and 加为商品标签
 * change what the next follower gets through the webhook; 新建规则 opens the rules screen with the keyword.
 * Also: the API's message on the field, CSV export, the rule link, the intent chart, a phone's width.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';


describe.skipIf(noBrowser)('the 数据 screen in a browser', { timeout: 90_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;
  let ruleId: number;

  beforeAll(async () => {
    server = await adminServer();
    owner = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'owner', role: 'owner' });
    expect((await server.api('PUT', '/products/D1', { title: '法式黑色连衣裙', category: '女装/连衣裙', price: 299 })).status).toBe(200);
    expect((await server.api('PUT', '/products/J1', { title: '通勤西装外套', category: '女装/外套', price: 459 })).status).toBe(200);
    const rule = await server.api('POST', '/rules', { name: '营业时间', match: 'contains', keywords: ['几点开门'], replies: [{ type: 'text', content: '每天 10 点' }] });
    ruleId = rule.body.id;
    await server.server.search.refresh();
    for (const [user, text] of [['a', '小黑裙'], ['b', '小黑裙'], ['c', '上班战袍'], ['d', '连衣裙'], ['e', '你们几点开门']] as const) await server.say(`r_${user}`, text);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A signed-in page at `address` that records console errors and page errors. */
  async function open(address: string, viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York', acceptDownloads: true });
    const problems: string[] = [];
    page.on('console', (m) => {
      // A 401 from /api/session is how the console learns nobody is signed in; Chromium logs every failed fetch.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.server.url}/admin${address}`);
    await signInAs(page, owner);
    return { page, problems };
  }
  const row = (page: Page, query: string) => page.locator('tr', { has: page.getByRole('cell', { name: query, exact: true }) });

  it('lists what nothing answered; 设为同义词 shows the API\'s refusal on the field, then works, and the follower\'s question finds products', async () => {
    const { page, problems } = await open('/reports/zero-results');
    await row(page, '小黑裙').waitFor();
    expect(await row(page, '上班战袍').count()).toBe(1);
    expect(await row(page, '连衣裙').count()).toBe(0); // answered
    expect(await server.say('r_f', '小黑裙')).not.toContain('法式黑色连衣裙');

    await row(page, '小黑裙').getByRole('button', { name: '设为同义词' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '设为同义词' });
    await dialog.getByLabel('「小黑裙」的意思是').fill('小黑裙！');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => dialog.getByText('意思和原词相同，请换一个说法').isVisible(), { timeout: 15_000 }).toBe(true);
    await dialog.getByLabel('「小黑裙」的意思是').fill('黑色连衣裙');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => row(page, '小黑裙').getByText('已设同义词').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await row(page, '小黑裙').getByRole('button', { name: '设为同义词' }).count()).toBe(0);

    expect(await server.say('r_g', '小黑裙')).toContain('法式黑色连衣裙');
    expect((await server.api('GET', '/synonyms')).body.items).toMatchObject([{ phrase: '小黑裙', meaning: '黑色连衣裙' }]);
    // Read back from the API: still marked after a reload.
    await page.reload();
    await expect.poll(() => row(page, '小黑裙').getByText('已设同义词').isVisible(), { timeout: 15_000 }).toBe(true);
    // The one refusal asked for above; Chromium logs every failed fetch.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.close();
  });

  it('加为商品标签 picks products by search as you type; the question then finds them', async () => {
    const { page, problems } = await open('/reports/zero-results');
    await row(page, '上班战袍').getByRole('button', { name: '加为商品标签' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '加为商品标签' });
    await dialog.getByLabel('选择商品').fill('西装');
    // The visible option (antd also renders a hidden list for screen readers).
    await page.locator('.ant-select-item-option[title="通勤西装外套（J1）"]').click();
    expect(await page.locator('.ant-select-item-option', { hasText: '法式黑色连衣裙' }).count()).toBe(0);
    await dialog.getByText(/给选中的商品加上标签/).click(); // closes the picker's list, as a merchant would
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => row(page, '上班战袍').getByText('已加标签').isVisible(), { timeout: 15_000 }).toBe(true);
    expect((await server.api('GET', '/products/J1')).body.tags).toEqual(['上班战袍']);
    await server.server.search.refresh();
    expect(await server.say('r_h', '上班战袍')).toContain('通勤西装外套');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('新建规则 opens the rules screen at /admin/rules/new?keyword=…', async () => {
    const { page, problems } = await open('/reports/zero-results');
    await row(page, '上班战袍').getByRole('button', { name: '新建规则' }).click();
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/admin/rules/new?keyword=${encodeURIComponent('上班战袍')}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('exports a table as CSV, links a rule hit to its rule, draws the intents', async () => {
    const { page, problems } = await open('/reports/zero-results');
    await row(page, '小黑裙').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^无结果问题_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFF问题,原因,次数,人数,最近一次（北京时间）');
    expect(csv).toContain('小黑裙,无结果,');

    await page.getByRole('tab', { name: '规则命中' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin/reports/rule-hits');
    await page.getByRole('link', { name: '营业时间' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/rules/${ruleId}`);

    await page.goto(`${server.server.url}/admin/reports/intents`);
    await expect.poll(() => page.locator('[data-testid=trend-chart] canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('cell', { name: '商品', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

    await page.getByRole('tab', { name: '热门问题' }).click();
    await page.getByText('今天', { exact: true }).click();
    await row(page, '小黑裙').waitFor();
    expect(await row(page, '小黑裙').getByRole('cell').nth(1).textContent()).toBe('4');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a phone (390 px): no sideways scrolling, the actions within reach', async () => {
    const { page, problems } = await open('/reports/zero-results', { width: 390, height: 844 });
    await row(page, '上班战袍').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const button = (await row(page, '上班战袍').getByRole('button', { name: '新建规则' }).boundingBox())!;
    expect(button.x + button.width).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });
});
