/**
 * The mobile checkout in a real browser at 390×844 (the machine's Chromium; skipped where there is none, never
 * in CI): a follower arrives through the link Guang sent, taps 立即下单, picks a size, types a wrong number,
 * reads the message under the field, fixes it and lands on the order page — under the pages' CSP, without a
 * line of script of ours, with 立即下单 on screen from the start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { followerTokensOf } from '../../src/app/mobile-checkout.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { testServer } from '../helpers/server.ts';

const A = accountId('default');

describe.skipIf(noBrowser)('the mobile checkout in a browser', { timeout: 60_000 }, () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await testServer();
    await createCatalogueStore(server.sql).upsertProducts([
      { account: A, sku: 'B-TEE', title: '纯棉短袖T恤 雾霾蓝', category: ['女装', 'T恤'], priceFen: 12900, originalPriceFen: null, brand: null, tags: [], stock: 10, imageUrl: null, url: null, description: null, variants: ['S', 'M', 'L'] },
    ]);
    await server.search.refresh();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('takes an order from the product page to the order page, with a validation error on the way', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const token = followerTokensOf(server.sql).sign(A, userId('o-chromium'));
    await page.goto(`${server.url}/m/default/p/B-TEE?t=${token}`);
    expect(new URL(page.url()).search).toBe(''); // the token left the address for the cookie
    const order = page.locator('a.order');
    expect(await order.isVisible()).toBe(true);
    const box = (await order.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(844); // in the bar at the bottom, on screen without scrolling

    await order.click();
    await page.waitForURL(/\/p\/B-TEE\/buy$/);
    await page.fill('input[name=quantity]', '2');
    await page.click('label.chip >> text=M');
    await page.fill('input[name=receiver]', '王芳');
    await page.fill('input[name=phone]', '1380013800');
    await page.fill('textarea[name=address]', '上海市徐汇区漕溪北路 88 号');
    await page.click('button.submit');
    await page.waitForSelector('#phone-err');
    expect(await page.locator('#phone-err').textContent()).toContain('11 位');
    expect(await page.inputValue('input[name=receiver]')).toBe('王芳');
    expect(await page.isChecked('input[name=variant][value=M]')).toBe(true);

    await page.fill('input[name=phone]', '13800138000');
    await page.click('button.submit');
    await page.waitForURL(/\/o\/\d+\?placed=1$/);
    expect(await page.locator('.status').first().textContent()).toBe('待确认');
    expect(await page.locator('.row.total .price').textContent()).toBe('¥258');
    // Reloading the order page makes no second order (the POST answered with a redirect: 303, then a GET).
    await page.reload();
    expect(await page.locator('.status').first().textContent()).toBe('待确认');
    expect(violations).toEqual([]);
    const rows = await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM orders WHERE user_id = 'o-chromium'");
    expect(rows?.n).toBe(1);
    await page.close();
  });
});
