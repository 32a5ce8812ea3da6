/**
 * The mobile checkout's screenshots at 390×844 (scripts/screenshots.ts runs this after the other mobile pages;
 * alone: `npm run screenshots:checkout`): the product page with 立即下单, the filled form, a validation
 * error, and the order page. The follower arrives the way Guang's links bring them: a link carrying their
 * signed token. Everything is clicked and typed into the real form.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { followerTokensOf } from '../src/app/mobile-checkout.ts';
import { startServer, type RunningServer } from '../src/app/server.ts';
import { createCatalogueStore } from '../src/catalogue/catalogue-store.ts';
import { loadConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/log.ts';
import { accountId, userId } from '../src/core/messages.ts';
import { createSettingsStore } from '../src/merchant/settings.ts';

const account = accountId('default');
const SKU = 'DEMO-TEE';

/**
 * Writes checkout-*.png into `out`; answers what it wrote.
 * @param pictures answers the demo catalogue's picture URLs (they point at a host that does not exist).
 */
export async function shootCheckout(browser: Browser, server: RunningServer, out: string, pictures: (url: string) => string): Promise<string[]> {
  const base = server.search.product(account, 'P00001')!;
  await createCatalogueStore(server.db).upsertProducts([
    {
      ...base, sku: SKU, title: '素然 女士 纯棉短袖T恤 宽松圆领 雾霾蓝', priceFen: 12900, originalPriceFen: 19900, stock: 8, brand: '素然',
      category: ['女装', 'T恤'], tags: ['纯棉', '宽松'], variants: ['S', 'M', 'L', 'XL'], url: null,
      description: '新疆长绒棉，220 克重磅面料，不透不变形。\n落肩宽松版型，一个人穿或和朋友穿同款都好看。',
    },
  ]);
  await server.search.refresh();
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  await page.route('https://shop.example.com/img/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: pictures(route.request().url()) }));
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const shoot = async (p: Page, name: string) => {
    await p.waitForLoadState('networkidle');
    const file = path.join(out, `${name}.png`);
    await p.screenshot({ path: file });
    written.push(`${name}.png ${(statSync(file).size / 1024).toFixed(0)} KB`);
  };
  const m = `${server.url}/m/default`;
  const token = followerTokensOf(server.db).sign(account, userId('o_shot_checkout'));
  try {
    await page.goto(`${m}/p/${SKU}?ref=wangjie&t=${token}`); // the link Guang sent: the token becomes a cookie
    await shoot(page, 'checkout-product');

    await page.click('a.order');
    await page.waitForURL(/\/buy/);
    await page.fill('input[name=quantity]', '2');
    await page.click('label.chip >> text=M');
    await page.fill('input[name=receiver]', '王芳');
    await page.fill('input[name=phone]', '138 0013 800');
    await page.fill('textarea[name=address]', '上海市徐汇区漕溪北路 88 号 1201 室');
    await page.fill('input[name=remark]', '工作日下午送');
    await page.locator('input[name=receiver]').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 60));
    await shoot(page, 'checkout-form');

    await page.click('button.submit');
    await page.waitForSelector('.err');
    await page.locator('#phone-err').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'checkout-error');

    await page.fill('input[name=phone]', '138 0013 8000');
    await page.click('button.submit');
    await page.waitForURL(/\/o\/\d+/);
    await shoot(page, 'checkout-order');
  } finally {
    await page.close();
  }
  return written;
}

/** A flat stand-in picture, when run alone. */
const flat = (url: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="hsl(${[...url].reduce((h, c) => (h * 33 + c.charCodeAt(0)) % 360, 0)},40%,80%)"/></svg>`;

if (process.argv[1]?.endsWith('screenshots-checkout.ts')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-shots-'));
  const config = loadConfig({ PORT: '0', GUANG_DB: path.join(dir, 'shots.db'), GUANG_LOG_LEVEL: 'error', GUANG_SIMULATOR: 'off', GUANG_SECRET_KEY: 'screenshots-only-passphrase' }, { demo: true });
  const server = await startServer({ config, host: '127.0.0.1', logger: createLogger('error') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    await createSettingsStore(server.db).update(account, { account_name: '逛逛好物' });
    await server.book.refresh();
    const out = path.resolve(import.meta.dirname, '../docs/screenshots');
    console.log((await shootCheckout(browser, server, out, flat)).join('\n'));
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
