/**
 * 对话 and the rule test box in a real browser (the machine's Chromium through playwright-core; skipped where
 * there is none, never in CI), over a real demo server from the real build: a staff member talks to the bot as
 * their test follower and the conversation carries on (「女装」 then 「更多」); the test box names the rule that
 * would answer and links to it, and shows the API's message on the field it concerns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';


describe.skipIf(noBrowser)('对话 and the rule test box in a browser', { timeout: 90_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let operator: StaffLogin;
  let ruleId: number;

  beforeAll(async () => {
    server = await adminServer({ demo: true });
    operator = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'yunying', role: 'operator' });
    const rule = await server.api('POST', '/rules', { name: '营业时间', match: 'contains', keywords: ['几点开门'], replies: [{ type: 'text', content: '每天 10:00–22:00' }] });
    expect(rule.status).toBe(201);
    ruleId = rule.body.id;
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('console', (m) => {
      // A 401 from /api/session is how the console learns nobody is signed in.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems };
  }

  const say = async (page: Page, text: string) => {
    const before = await page.getByTestId('answered-by').count();
    await page.getByLabel('消息').fill(text);
    await page.getByLabel('消息').press('Enter');
    await expect.poll(() => page.getByTestId('answered-by').count()).toBeGreaterThan(before);
  };
  /** The product pages the newest text answer links to. */
  const lastLinks = (page: Page) => page.getByTestId('reply-text').last().locator('a').evaluateAll((as) => as.map((a) => [(a as HTMLAnchorElement).href, a.getAttribute('target')]));

  it('talks to the real bot: 「女装」 lists products, 「更多」 shows the next page; 「重新开始」 forgets it', async () => {
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin/chat`);
    await signInAs(page, operator);
    await say(page, '女装');
    expect(await page.getByTestId('reply-text').last().textContent()).toMatch(/为你找到「女装」/);
    expect(await page.getByTestId('answered-by').last().textContent()).toBe('技能：商品搜索');
    const first = await lastLinks(page);
    const products = (links: (string | null)[][]) => links.filter(([href]) => /\/m\/default\/p\//.test(href!)).map(([href]) => href);
    expect(products(first).length).toBeGreaterThan(1);
    // Links open the real mobile pages, in a new tab.
    expect(first.every(([, target]) => target === '_blank')).toBe(true);

    await say(page, '更多');
    expect(await page.getByTestId('answered-by').last().textContent()).toBe('技能：翻页「更多」');
    const next = products(await lastLinks(page));
    expect(next.length).toBeGreaterThan(1);
    expect(next.filter((h) => products(first).includes(h))).toEqual([]);

    // A rule's answer names it, and links to it.
    await say(page, '请问几点开门');
    expect(await page.getByTestId('reply-text').last().textContent()).toBe('每天 10:00–22:00');
    expect(await page.getByTestId('answered-by').last().textContent()).toBe('规则：营业时间');

    await page.getByRole('button', { name: '重新开始' }).click();
    await expect.poll(() => page.getByText('已重新开始').isVisible()).toBe(true);
    await say(page, '更多');
    expect(await page.getByTestId('answered-by').last().textContent()).toBe('技能：翻页「更多」（还没有搜索过）');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fills the width of a phone, with no sideways scroll', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await page.goto(`${server.server.url}/admin/chat`);
    await signInAs(page, operator);
    await say(page, '连衣裙');
    const phone = (await page.getByTestId('phone').boundingBox())!;
    expect(phone.width).toBeGreaterThan(340);
    expect(phone.y + phone.height).toBeLessThanOrEqual(844);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('规则测试: names the rule that would answer and links to it; a bad field gets the API\'s message', async () => {
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin/chat/test`);
    await signInAs(page, operator);
    await page.getByLabel('测试消息').fill('你们几点开门');
    await page.getByLabel('测试消息').press('Enter');
    await expect.poll(() => page.getByTestId('answered-by').textContent()).toBe('由规则「营业时间」回答');
    expect(await page.getByTestId('rule-test-result').getByTestId('reply-text').textContent()).toBe('每天 10:00–22:00');
    expect(await page.getByTestId('explanation').textContent()).toContain('营业时间');

    await page.getByLabel('测试消息').fill('女装');
    await page.getByRole('button', { name: /试一试/ }).click();
    await expect.poll(() => page.getByTestId('answered-by').textContent()).toBe('由商品搜索回答');

    await page.getByText('更多选项').click();
    await page.getByPlaceholder('如 2027-03-01 23:30').fill('明天下午');
    await page.getByRole('button', { name: /试一试/ }).click();
    await expect.poll(() => page.getByText('时间格式不对').isVisible()).toBe(true);
    // Edited, the field drops the message at once — not at the next 试一试, when its collapse would move the
    // answer's rule link as it is clicked (CI once clicked it mid-move and stayed on this page).
    await page.getByPlaceholder('如 2027-03-01 23:30').fill('');
    await expect.poll(() => page.getByText('时间格式不对').count()).toBe(0);

    await page.getByLabel('测试消息').fill('几点开门');
    await page.getByRole('button', { name: /试一试/ }).click();
    await expect.poll(() => page.getByTestId('answered-by').textContent()).toBe('由规则「营业时间」回答');
    await page.getByTestId('answered-by').getByRole('link').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/rules/${ruleId}`);
    // Chromium logs the refused request (the 400 above) as an error: that one, and nothing else.
    expect(problems).toEqual([expect.stringMatching(/status of 400/)]);
    await page.close();
  });
});
