/**
 * The mobile pages in a real browser (the machine's Chromium through playwright-core; skipped where there
 * is none): what only a browser shows. The page's own script runs under the CSP (its hash is right), a
 * picture that fails to load gives way to the placeholder, the price form and the tabs work without any
 * script, the back link returns to the very list, and 「回到公众号」 closes the page inside WeChat.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { accountId } from '../../src/core/messages.ts';
import { testServer } from '../helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const account = accountId('default');

// Skipped on a machine without Chromium, never in CI (.ci/run installs it): there a missing browser fails.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the mobile pages in a browser', { timeout: 60_000 }, () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let browser: Browser;
  const priceOf = new Map<string, number>();

  beforeAll(async () => {
    server = await testServer();
    await seedDemoData(server.sql, account);
    await server.search.refresh();
    for (const p of await createCatalogueStore(server.sql).allProducts(account)) priceOf.set(p.sku, p.priceFen);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A phone-sized page whose every picture URL (the demo's, on a host that does not exist) fails. */
  async function phone(options: { userAgent?: string; javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; violations: string[] }> {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, ...options });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.route('https://shop.example.com/**', (route) => route.fulfill({ status: 404, body: 'gone' }));
    return { page, violations };
  }
  const skusOn = (page: Page) =>
    page.$$eval('a.item', (as) => as.map((a) => decodeURIComponent(new URL((a as HTMLAnchorElement).href).pathname.split('/').pop()!)));

  it('replaces every picture that fails to load with its placeholder, under the CSP', async () => {
    const { page, violations } = await phone();
    await page.goto(`${server.url}/m/default/products?cat=${encodeURIComponent('女装/连衣裙')}`);
    await page.waitForLoadState('networkidle');
    // Pictures load lazily: bring each into view, as a follower scrolling the list does.
    for (const item of await page.locator('a.item').all()) await item.scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('.pic img').count(), { timeout: 20_000 }).toBe(0);
    expect(await page.locator('.pic').count()).toBe(await page.locator('.pic.noimg').count());
    expect(await page.locator('a.item .ph b').first().isVisible()).toBe(true);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('filters by a typed price range and sorts by a tab, without scripts, and the back link returns to that list', async () => {
    const { page } = await phone({ javaScriptEnabled: false });
    await page.goto(`${server.url}/m/default/products?cat=${encodeURIComponent('女装/连衣裙')}`);
    await page.fill('input[name=lo]', '100');
    await page.fill('input[name=hi]', '300');
    await Promise.all([page.waitForURL(/hi=300/), page.click('form.filter button')]);
    await Promise.all([page.waitForURL(/sort=price_asc/), page.click('nav.tabs a:text("低价优先")')]);
    const list = new URL(page.url());
    const at = (url: string) => ({ path: new URL(url).pathname, query: Object.fromEntries(new URL(url).searchParams) });
    expect(Object.fromEntries(list.searchParams)).toMatchObject({ min: '10000', max: '30000', sort: 'price_asc' });
    const prices = (await skusOn(page)).map((sku) => priceOf.get(sku)!);
    expect(prices.length).toBeGreaterThan(0);
    expect(prices.every((p) => p >= 10000 && p <= 30000)).toBe(true);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    await Promise.all([page.waitForURL(/\/p\//), page.click('a.item >> nth=1')]);
    await Promise.all([page.waitForURL(/\/products/), page.click('a.back')]);
    expect(at(page.url())).toEqual(at(list.href));
    await page.close();
  });

  it('closes the page from 「回到公众号」 inside WeChat, once the bridge is ready', async () => {
    const { page, violations } = await phone({ userAgent: WECHAT_UA });
    // WeChat injects its bridge after the page's own scripts and then fires WeixinJSBridgeReady.
    await page.addInitScript(() => {
      const w = window as unknown as { calls: string[]; WeixinJSBridge?: unknown };
      w.calls = [];
      setTimeout(() => {
        w.WeixinJSBridge = { call: (name: string) => w.calls.push(name) };
        document.dispatchEvent(new Event('WeixinJSBridgeReady'));
      }, 300);
    });
    await page.goto(`${server.url}/m/default/p/P00001`);
    await page.click('a.chat');
    await expect.poll(() => page.evaluate(() => (window as unknown as { calls: string[] }).calls), { timeout: 20_000 }).toEqual(['closeWindow']);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('shows how to get back to the chat outside WeChat', async () => {
    const { page } = await phone();
    await page.goto(`${server.url}/m/default/p/P00001`);
    await page.click('a.chat');
    expect(new URL(page.url()).hash).toBe('#chat');
    expect(await page.locator('footer#chat').isVisible()).toBe(true);
    expect(await page.locator('footer#chat').innerText()).toContain('搜索公众号');
    await page.close();
  });
});
