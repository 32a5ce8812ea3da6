/**
 * 自动回复 in a real browser against a real server: an operator creates a keyword rule in the editor (the
 * phone preview follows the form, 随机回复一条 included), sees the API's message for a bad pattern on the
 * keyword field, finds the rule in the list, switches it off and on, drags it (with the keyboard) to the top
 * — and the API says the order persisted; /admin/rules/new?keyword=… pre-fills a rule; a viewer only reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';

const text = (content: string) => ({ type: 'text', content });

describe.skipIf(noBrowser)('自动回复 in a browser', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let operator: StaffLogin;
  let viewer: StaffLogin;

  beforeAll(async () => {
    server = await adminServer();
    operator = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'ops', role: 'operator' });
    viewer = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'guest', role: 'viewer' });
    await server.api('POST', '/rules', { name: '营业时间', match: 'exact', keywords: ['几点开门'], replies: [text('9 点到 21 点')] });
    await server.api('POST', '/rules', { name: '优惠', match: 'contains', keywords: ['优惠'], replies: [text('满 199 减 20')] });
    await server.api('POST', '/rules', { name: '欢迎', event: 'follow', replies: [text('欢迎关注')] });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A signed-in page that records console errors and page errors (the expected 400 of a refused save aside). */
  async function open(login: StaffLogin, viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.server.url}/admin/rules`);
    await signInAs(page, login);
    return { page, problems };
  }

  const keywordOrder = async (): Promise<string[]> =>
    (await server.api('GET', '/rules?order=tried')).body.items.filter((r: { match?: string }) => r.match).map((r: { name: string }) => r.name);

  it('creates a rule in the editor, shows the API\'s error on its field, lists it, toggles it and drags it to the top', async () => {
    const { page, problems } = await open(operator);
    await page.getByTestId('rule-row').first().waitFor();
    expect(await page.getByTestId('keyword-rules').getByTestId('rule-row').count()).toBe(2);
    expect(await page.getByTestId('event-rules-follow').getByText('欢迎', { exact: true }).isVisible()).toBe(true);

    await page.getByRole('button', { name: '新建规则' }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/rules/new');
    const preview = page.getByTestId('rule-preview');
    await page.getByLabel('规则名称').fill('会员卡');
    // A pasted list with Chinese separators becomes one tag per entry.
    const keywords = page.getByLabel('关键词', { exact: true });
    await keywords.fill('会员、积分，(a');
    await keywords.press('Enter');
    await expect.poll(() => page.locator('.ant-select-selection-item').allTextContents()).toEqual(['会员', '积分', '(a']);
    await page.getByLabel('回复 1 文字').fill('会员卡在前台办理');
    await expect.poll(() => preview.getByTestId('reply-text').textContent()).toBe('会员卡在前台办理');
    expect(await preview.getByText('……会员……').isVisible()).toBe(true);
    expect(await page.getByText('24 / 2048 字节').isVisible()).toBe(true);
    // A second reply, one of them at random: the preview shows one and says so.
    await page.getByRole('button', { name: /添加回复/ }).click();
    await page.getByLabel('回复 2 文字').fill('积分可以抵现');
    await page.getByText('随机回复一条').click();
    await expect.poll(() => preview.getByTestId('random-note').textContent()).toContain('每次从 2 条中随机发送一条');
    expect(await preview.getByTestId('reply-text').count()).toBe(1);
    const first = await preview.getByTestId('reply-text').textContent();
    await preview.getByRole('button', { name: /换\s*一\s*条/ }).click();
    await expect.poll(() => preview.getByTestId('reply-text').textContent()).not.toBe(first);

    // As a pattern, 「(a」 is refused: the API's message lands on the keyword field.
    await page.locator('.ant-radio-button-wrapper', { hasText: /^正则$/ }).click();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    const keywordItem = page.locator('.ant-form-item').filter({ has: keywords });
    await expect.poll(() => keywordItem.locator('.ant-form-item-explain-error').textContent()).toMatch(/^正则 `\(a` 写法有误/);
    expect(new URL(page.url()).pathname).toBe('/admin/rules/new');

    await page.locator('.ant-radio-button-wrapper', { hasText: /^半匹配$/ }).click();
    await page.locator('.ant-select-selection-item[title="(a"] .ant-select-selection-item-remove').click();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/rules');
    const row = page.getByTestId('rule-row').filter({ hasText: '会员卡' });
    await row.waitFor();
    const saved = (await server.api('GET', '/rules?order=tried')).body.items.find((r: { name: string }) => r.name === '会员卡');
    expect(saved).toMatchObject({ match: 'contains', keywords: ['会员', '积分'], reply_mode: 'random', replies: [text('会员卡在前台办理'), text('积分可以抵现')] });
    expect(await keywordOrder()).toEqual(['营业时间', '优惠', '会员卡']);

    // Off and on, each saved.
    const toggle = page.getByRole('switch', { name: '启用「会员卡」' });
    await toggle.click();
    await expect.poll(async () => (await server.api('GET', `/rules/${saved.id}`)).body.enabled).toBe(false);
    // The API sees the change once it is committed; the row, once the browser has the answer.
    await expect.poll(() => row.getByText('已停用').isVisible()).toBe(true);
    await toggle.click();
    await expect.poll(async () => (await server.api('GET', `/rules/${saved.id}`)).body.enabled).toBe(true);

    // Keyboard dragging: Space picks the rule up, arrows move it, Space drops it — one call saves the order.
    const handle = row.getByTestId('drag-handle');
    await handle.focus();
    await page.keyboard.press('Space');
    await page.waitForTimeout(200);
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(200);
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(200);
    await page.keyboard.press('Space');
    await expect.poll(keywordOrder).toEqual(['会员卡', '营业时间', '优惠']);
    await page.reload();
    await page.getByTestId('rule-row').first().waitFor();
    await expect.poll(() => page.getByTestId('keyword-rules').getByTestId('rule-row').first().textContent()).toContain('会员卡');
    // The test box beside the list picks the new rule for the message, and a follower then gets its answer
    // through the signed webhook.
    const box = page.getByTestId('rule-test-box');
    await box.getByLabel('测试消息').fill('会员积分');
    await box.getByLabel('测试消息').press('Enter');
    await expect.poll(() => box.getByTestId('answered-by').textContent()).toBe('由规则「会员卡」回答');
    expect(['会员卡在前台办理', '积分可以抵现']).toContain(await box.getByTestId('rule-test-result').getByTestId('reply-text').first().textContent());
    expect(['会员卡在前台办理', '积分可以抵现']).toContain(await server.say('o_member', '会员积分'));

    // The search box filters by keyword.
    await page.getByLabel('搜索规则').fill('几点');
    await expect.poll(() => page.getByTestId('rule-row').count()).toBe(1);
    expect(await page.getByTestId('rule-row').textContent()).toContain('营业时间');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('pre-fills /admin/rules/new?keyword=… and asks before leaving unsaved changes', async () => {
    const { page, problems } = await open(operator, { width: 390, height: 844 });
    await page.goto(`${server.server.url}/admin/rules/new?keyword=${encodeURIComponent('连衣裙')}`);
    await expect.poll(() => page.getByLabel('规则名称').inputValue()).toBe('连衣裙');
    expect(await page.locator('.ant-select-selection-item').allTextContents()).toEqual(['连衣裙']);
    expect(await page.getByTestId('rule-preview').getByText('……连衣裙……').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByLabel('规则名称').fill('连衣裙推荐');
    await page.getByRole('button', { name: /取\s*消/ }).click();
    const asked = page.locator('.ant-modal-confirm-title', { hasText: '放弃未保存的修改？' });
    await asked.waitFor();
    await page.getByRole('button', { name: /继续编辑/ }).click();
    // The question closes with an animation: asked again before it is gone, the second click can land on the
    // closing one (CI once stayed on /admin/rules/new).
    await asked.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/admin/rules/new');
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await asked.last().waitFor();
    // 离开 in the question now open (the first one's buttons may still be in the page, hidden).
    const question = page.locator('.ant-modal-confirm', { hasText: '放弃未保存的修改？' }).last();
    await question.getByRole('button', { name: /离\s*开/ }).click();
    await question.waitFor({ state: 'hidden' });
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/rules');
    await page.getByTestId('rule-row').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a viewer the list read-only', async () => {
    const { page, problems } = await open(viewer);
    await page.getByTestId('rule-row').first().waitFor();
    expect(await page.getByRole('button', { name: '新建规则' }).count()).toBe(0);
    expect(await page.getByRole('switch').count()).toBe(0);
    expect(await page.getByTestId('drag-handle').count()).toBe(0);
    expect(await page.getByRole('button', { name: '编辑' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
