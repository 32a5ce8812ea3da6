/**
 * 门店与二维码 in a real browser over a real server (the embedded WeChat API simulator makes the codes): an owner
 * creates a store, makes its QR code, downloads its PNG at a print size (a Playwright download, decoded back
 * here with pngjs + jsQR to the URL WeChat encodes), sees a follower who came through the code and their
 * order in the store's numbers, changes and deletes a store; store staff download their own store's code.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';
import { decodeQrPng } from '../helpers/qr-decode.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { CATALOGUE_CSV, place } from '../admin/order-seed.ts';

describe.skipIf(noBrowser)('门店与二维码 in a browser', { timeout: 120_000 }, () => {
  let s: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;

  beforeAll(async () => {
    s = await adminServer();
    owner = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'owner', role: 'owner' });
    expect((await s.api('POST', '/products/import?filename=p.csv', CATALOGUE_CSV, { headers: { 'content-type': 'text/csv' } })).body.imported).toBe(2);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(path: string, login: StaffLogin, viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', acceptDownloads: true });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${s.server.url}/admin${path}`);
    await signInAs(page, login);
    return { page, problems };
  }

  /** Clicks a download button of the first QR card and reads the file the browser saved. */
  async function download(page: Page, button: string) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('qr-code').first().getByRole('link', { name: button }).click()]);
    return { name: file.suggestedFilename(), body: await readFile((await file.path())!) };
  }
  /** The store list's row for a store, its cells' text. */
  const row = (page: Page, name: string) => page.getByTestId('store-list').locator('tr', { hasText: name }).first().locator('td').allTextContents();

  it('creates a store, makes its QR code and downloads the PNG, which decodes to the code\'s URL', async () => {
    const { page, problems } = await open('/stores', owner);
    await page.getByText('还没有门店').waitFor();
    await page.getByRole('button', { name: /新建门店/ }).click();
    const dialog = page.getByRole('dialog', { name: '新建门店' });
    await dialog.getByLabel('门店编号').fill('sh-jingan');
    await dialog.getByLabel('门店名称').fill('静安店');
    await dialog.getByLabel('城市').fill('上海');
    await dialog.getByLabel('扫码欢迎语').fill('欢迎光临静安店！');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // The new store's page.
    await page.waitForURL(/\/admin\/stores\/sh-jingan$/);
    await page.locator('.ant-card-head-title', { hasText: '静安店' }).waitFor();
    expect(await page.getByText('欢迎光临静安店！').isVisible()).toBe(true);
    expect(await page.getByText('还没有二维码').isVisible()).toBe(true);

    await page.getByRole('button', { name: /生成二维码/ }).click();
    await page.getByTestId('qr-code').waitFor();
    const [qr] = (await s.api('GET', '/stores/sh-jingan/qrcodes')).body.items as { id: number; url: string; permanent: boolean }[];
    expect(qr!.permanent).toBe(true);
    expect(qr!.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
    // The card's image is the server's drawing, loaded.
    const img = page.getByTestId('qr-code').locator('img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    expect(await img.getAttribute('src')).toContain(`/api/stores/sh-jingan/qrcodes/${qr!.id}/image?format=svg`);

    // The default print size (8 cm), then 12 cm: each downloads as a PNG that decodes back to the URL.
    const small = await download(page, 'PNG');
    expect(small.name).toBe(`sh-jingan-${qr!.id}-8cm.png`);
    expect(decodeQrPng(small.body)).toEqual({ width: 945, height: 945, text: qr!.url });
    await page.getByTestId('qr-code').getByLabel('打印尺寸').click();
    await page.getByTitle('12 厘米（台卡）').click();
    const medium = await download(page, 'PNG');
    expect(medium.name).toBe(`sh-jingan-${qr!.id}-12cm.png`);
    expect(decodeQrPng(medium.body)).toEqual({ width: 1417, height: 1417, text: qr!.url });
    const svg = await download(page, 'SVG');
    expect(svg.name).toBe(`sh-jingan-${qr!.id}-12cm.svg`);
    expect(svg.body.toString('utf8')).toMatch(/^<svg width="120mm" height="120mm"/);

    // The poster, A5, with the merchant's own words.
    await page.getByTestId('qr-code').getByRole('button', { name: /海报/ }).click();
    const poster = page.getByRole('dialog', { name: '下载二维码海报' });
    await poster.getByText('A5', { exact: true }).click();
    await poster.getByLabel('引导语').fill('扫码关注 立享 9 折');
    const [file] = await Promise.all([page.waitForEvent('download'), poster.getByRole('link', { name: /下载海报/ }).click()]);
    expect(file.suggestedFilename()).toBe(`sh-jingan-${qr!.id}-poster-a5.svg`);
    const page5 = await readFile((await file.path())!, 'utf8');
    for (const text of ['静安店', '上海', '欢迎光临静安店！', '扫码关注 立享 9 折']) expect(page5).toContain(`>${text}<`);
    expect(problems).toEqual([]);
  });

  it('shows each store\'s numbers: a follower through the code and their order', async () => {
    expect(await s.event('o_fan', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' })).toBe('欢迎光临静安店！');
    await s.event('o_old', 'subscribe');
    await s.event('o_old', 'SCAN', { EventKey: 'sh-jingan', Ticket: 't' });
    const order = await place(s.server.sql, { user: 'o_fan', at: Date.now(), items: [{ sku: 'P2', variant: null, quantity: 2 }] });
    const yuan = `¥${(order.totalFen / 100).toFixed(2)}`;
    expect(order.totalFen).toBeGreaterThanOrEqual(11980);

    const { page, problems } = await open('/stores', owner);
    // 门店, 扫码关注, 老粉丝扫码, 归属粉丝, 近30天活跃, 订单, 营收, 操作
    await expect.poll(() => row(page, '静安店')).toEqual(['静安店上海 · sh-jingan', '1', '1', '2', '0', '1', yuan, '二维码编辑删除']);
    await page.getByRole('link', { name: '静安店' }).click();
    await page.waitForURL(/\/admin\/stores\/sh-jingan$/);
    const stat = (title: string) => page.getByTestId('store-numbers').locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content').textContent();
    await expect.poll(() => stat('扫码关注')).toBe('1');
    expect(await stat('归属粉丝')).toBe('2');
    expect(await stat('订单')).toBe('1');
    expect(await stat('营收')).toBe(yuan);
    expect(problems).toEqual([]);
  });

  it('changes a store, refuses a bad id on its field, and deletes one after confirming', async () => {
    const { page, problems } = await open('/stores', owner);
    await page.getByRole('button', { name: /新建门店/ }).click();
    const dialog = page.getByRole('dialog', { name: '新建门店' });
    await dialog.getByLabel('门店编号').fill('朝阳 店');
    await dialog.getByLabel('门店名称').fill('朝阳店');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.locator('#store_id_help').getByText(/letters, digits|字母/).waitFor();
    await dialog.getByLabel('门店编号').fill('bj-chaoyang');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL(/\/admin\/stores\/bj-chaoyang$/);
    await page.getByRole('button', { name: /编\s*辑/ }).click();
    const edit = page.getByRole('dialog', { name: '修改门店：朝阳店' });
    await edit.getByLabel('城市').fill('北京');
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('北京', { exact: true }).waitFor();
    expect((await s.api('GET', '/stores/bj-chaoyang')).body.city).toBe('北京');

    await page.getByRole('button', { name: /全部门店/ }).click();
    await expect.poll(async () => (await row(page, '朝阳店'))[0]).toBe('朝阳店北京 · bj-chaoyang');
    await page.getByTestId('store-list').locator('tr', { hasText: '朝阳店' }).getByRole('button', { name: /删\s*除/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /删\s*除/ }).click();
    await expect.poll(() => page.getByTestId('store-list').locator('tr', { hasText: '朝阳店' }).count()).toBe(0);
    expect((await s.api('GET', '/stores/bj-chaoyang')).status).toBe(404);
    expect(await page.getByTestId('store-list').locator('tr', { hasText: '静安店' }).count()).toBe(1);
    // The one refusal: the bad id, answered 400 and shown on its field.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('fits a phone: a card per store with its numbers, and the store\'s page, without sideways scrolling', async () => {
    const { page, problems } = await open('/stores', owner, { width: 390, height: 844 });
    const card = page.getByTestId('store-list').locator('[data-store=sh-jingan]');
    const stat = (title: string) => card.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content').textContent();
    await expect.poll(() => stat('扫码关注')).toBe('1');
    expect(await stat('归属粉丝')).toBe('2');
    expect(await stat('订单')).toBe('1');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await card.getByRole('link', { name: '静安店' }).click();
    await page.getByTestId('qr-code').locator('img').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });

  it('store staff download their own store\'s code from 我的门店', async () => {
    const clerk = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'clerk', role: 'store_staff', store: 'sh-jingan' });
    const { page, problems } = await open('/store', clerk);
    await page.getByTestId('qr-code').waitFor();
    const [qr] = (await s.api('GET', '/stores/sh-jingan/qrcodes')).body.items as { id: number; url: string }[];
    const png = await download(page, 'PNG');
    expect(png.name).toBe(`sh-jingan-${qr!.id}-8cm.png`);
    expect(decodeQrPng(png.body).text).toBe(qr!.url);
    expect(problems).toEqual([]);
  });
});
