/**
 * Markup typed by anyone — a merchant's rule name and reply, a product's title from an import, a follower's
 * message, a staff user's store — is shown as text on every console screen that shows it: no element is made
 * from it and no script runs. Real server, real build, real Chromium, a real owner signed in through the form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';

/** Sets the page's title to PWNED if it ever runs (short: a rule name has 60 characters); each place has its own mark. */
const payload = (mark: string) => `<img src=x onerror="document.title='PWNED'"><b>粗${mark}</b>`;

describe.skipIf(noBrowser)('markup in the console is text', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;

  beforeAll(async () => {
    server = await adminServer();
    owner = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'owner', role: 'owner' });
    const rule = await server.api('POST', '/rules', {
      name: payload('rule'), match: 'contains', keywords: ['会员'], replies: [{ type: 'text', content: '<b>粗reply</b> 会员卡请到前台办理' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const product = await server.api('PUT', '/products/X1', { title: payload('title'), category: '女装/连衣裙', price: 99 });
    expect(product.status, JSON.stringify(product.body)).toBe(200);
    await server.say('o_x', payload('follower'));
    await new Promise((done) => setTimeout(done, 300)); // the answer log's group commit
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['/rules', 'rule', '自动回复: the rule name and its reply summary'],
    ['/catalogue/products', 'title', '商品: the product title'],
    ['/reports/zero-results', 'follower', '数据: what a follower typed'],
    ['/overview', 'follower', '概览: what a follower typed'],
  ])('%s shows %s markup as text (%s)', async (address, mark) => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.server.url}/admin`);
    await signInAs(page, owner);
    await page.goto(`${server.server.url}/admin${address}`);
    // The payload's own characters are on the page, as text…
    await expect.poll(() => page.getByText(`<b>粗${mark}</b>`, { exact: false }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // …and nothing was made from them.
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.locator('b', { hasText: `粗${mark}` }).count()).toBe(0);
    expect(await page.title()).not.toBe('PWNED');
    expect(errors).toEqual([]);
    await page.close();
  });
});
