/**
 * 商品/酒店/团购 in a real browser (the machine's Chromium through playwright-core; skipped where there is none,
 * never in CI), served by a real server from the real build: an operator signs in, imports a CSV with one bad
 * line (the upload's progress completes, the line is reported by number and reason), finds an item with the
 * search box, edits its price (the API's message on the field first), takes it off sale, and opens its reply
 * preview; a viewer only looks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs } from '../helpers/console-session.ts';

/** The machine may be busy: answers and renders get this long. */
const SLOW = { timeout: 20_000 };

const CSV = [
  'sku,title,category,price,original_price,brand',
  'T100,测试 碎花雪纺连衣裙,女装/连衣裙,199,299,花语',
  'T101,测试 坏价格半身裙,女装/半身裙,abc,,花语',
  'T102,测试 纯棉衬衫,男装/衬衫,99,,棉田',
].join('\n');

describe.skipIf(noBrowser)('商品/酒店/团购 in a browser', { timeout: 90_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await adminServer();
    for (let i = 0; i < 25; i++) await server.api('PUT', `/products/A${String(i).padStart(3, '0')}`, { title: `示例商品 ${i}`, category: '家居/收纳', price: 10 + i });
    await server.api('PUT', '/hotels/H1', { name: '外滩江景酒店', city: '上海', lat: 31.24, lng: 121.49, price: 688 });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });
    const problems: string[] = [];
    /** Requests the API refused with 400: Chromium logs each; the test provokes some on purpose and counts them. */
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() !== 'error' || /status of 401/.test(m.text())) return;
      (/status of 400/.test(m.text()) ? refused : problems).push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems, refused };
  }

  it('an operator imports, finds, edits, takes off sale and previews', async () => {
    const operator = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'cat-operator', role: 'operator' });
    const { page, problems, refused } = await open();
    await page.goto(`${server.server.url}/admin/catalogue`);
    await signInAs(page, operator);
    await page.getByRole('tab', { name: '商品' }).waitFor();
    await expect.poll(() => page.getByText('共 25 个商品').isVisible(), SLOW).toBe(true);

    // Import: the upload's bar reaches 100%, then the counts and the bad line with its number and reason.
    await page.getByRole('button', { name: /导\s*入/ }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await result.locator('.ant-statistic').allInnerTexts()).toEqual(['新增\n2', '更新\n0', '失败\n1']);
    const failed = page.getByTestId('failed-lines');
    expect(await failed.locator('tbody tr').allInnerTexts()).toEqual(['3\t价格 "abc" 不是数字']);
    // A file that cannot be read at all: the API's message.
    const unreadable = 'name,price\n连衣裙,199\n';
    const refusal = await server.api('POST', '/products/import?filename=old.csv', unreadable, { headers: { 'content-type': 'text/csv' } });
    expect(refusal.status).toBe(400);
    await page.locator('input[type=file]').setInputFiles({ name: 'old.csv', mimeType: 'text/csv', buffer: Buffer.from(unreadable) });
    await page.getByTestId('upload-error').waitFor();
    expect(await page.getByTestId('upload-error').innerText()).toContain(refusal.body.error.message);
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByText('共 27 个商品').isVisible(), SLOW).toBe(true); // the list refreshed

    // Find it with the search box.
    await page.getByLabel('搜索').fill('碎花');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), SLOW).toBe(1);
    expect(await rows.first().innerText()).toContain('测试 碎花雪纺连衣裙');

    // Edit its price: the API's message on the field first, then a good price, seen in the list.
    await rows.first().getByText('编辑').click();
    const drawer = page.locator('.ant-drawer');
    const price = drawer.getByLabel('价格（元）');
    await price.fill('-5');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => drawer.getByText('价格 "-5" 不能为负数').isVisible(), SLOW).toBe(true);
    await price.fill('88');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => rows.first().innerText(), SLOW).toContain('¥88');
    expect(await rows.first().innerText()).toContain('在售');

    // Take it off sale: the status says so, and the API agrees.
    await rows.first().getByText('下架').click();
    await expect.poll(() => rows.first().innerText(), SLOW).toContain('已下架');
    expect((await server.api('GET', '/products/T100')).body).toMatchObject({ price: 88, status: 'off_sale' });

    // The reply preview: the bot's news card for it.
    await rows.first().getByText('预览').click();
    const card = page.getByTestId('reply-preview').getByTestId('reply-news');
    await card.waitFor();
    expect(await card.innerText()).toContain('测试 碎花雪纺连衣裙 ¥88');
    await page.keyboard.press('Escape');

    // The tab is part of the address.
    await page.getByRole('tab', { name: '酒店' }).click();
    await expect.poll(() => new URL(page.url()).pathname, SLOW).toBe('/admin/catalogue/hotels');
    await expect.poll(() => page.getByText('外滩江景酒店').isVisible(), SLOW).toBe(true);
    expect(problems).toEqual([]);
    expect(refused).toHaveLength(2); // the unreadable file and the negative price
    await page.close();
  });

  it('a viewer on a phone sees cards, without changing anything, and no horizontal scroll', async () => {
    const viewer = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'cat-viewer', role: 'viewer' });
    const { page, problems } = await open({ width: 390, height: 844 });
    await page.goto(`${server.server.url}/admin/catalogue/products`);
    await signInAs(page, viewer);
    await page.getByTestId('item-card').first().waitFor();
    expect(await page.getByRole('button', { name: /新\s*增/ }).count()).toBe(0);
    expect(await page.getByTestId('item-card').first().getByText('下架').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });
});
