/**
 * Screenshots of the mobile pages at 390×844 (an iPhone 12–15 screen, device scale 1) into docs/screenshots/,
 * then of the mobile checkout (scripts/screenshots-checkout.ts), then of the merchant console at 1440×900 and
 * 390×844 (scripts/screenshots-console.ts; needs its build).
 *
 *   node bin/run-ts.js scripts/screenshots.ts            # Chromium at /usr/bin/chromium
 *   CHROMIUM=/path/to/chrome node bin/run-ts.js scripts/screenshots.ts
 *
 * Starts a demo server in this process (the demo catalogue, a temporary database, a free port), sets the
 * shop's name, adds two products (one without a picture, one whose picture fails to load), and drives
 * Chromium through playwright-core (the library alone, no browser download: the machine's Chromium with
 * its CJK fonts). The demo catalogue's picture URLs point at shop.example.com, which does not exist: they
 * are answered here with generated stand-in pictures, except the one meant to fail. The follower's path
 * is the real one: the price filter is typed into the form and submitted, the sort is a tab clicked.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startServer } from '../src/app/server.ts';
import { createCatalogueStore } from '../src/catalogue/catalogue-store.ts';
import type { Product } from '../src/catalogue/types.ts';
import { loadConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/log.ts';
import { accountId } from '../src/core/messages.ts';
import { createSettingsStore } from '../src/merchant/settings.ts';
import { shootCheckout } from './screenshots-checkout.ts';
import { shootConsole } from './screenshots-console.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const SHOP = '逛逛好物';
const BROKEN = 'https://shop.example.com/img/gone.jpg';
const account = accountId('default');

/** A stand-in product photo: a soft gradient and a few shapes in a tint taken from the URL. */
function standIn(url: string): string {
  let h = 0;
  for (const c of url) h = (h * 33 + c.charCodeAt(0)) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${h},45%,88%)"/><stop offset="1" stop-color="hsl(${(h + 40) % 360},50%,70%)"/></linearGradient></defs>
<rect width="600" height="600" fill="url(#g)"/><circle cx="300" cy="250" r="120" fill="hsl(${h},40%,55%)" opacity=".55"/>
<rect x="170" y="360" width="260" height="150" rx="24" fill="hsl(${(h + 180) % 360},35%,45%)" opacity=".45"/></svg>`;
}

const dir = mkdtempSync(path.join(tmpdir(), 'guang-shots-'));
// The embedded simulator stands in for the WeChat API, so the screens that read the platform (自定义菜单) show it.
const config = loadConfig({ PORT: '0', GUANG_DB: path.join(dir, 'shots.db'), GUANG_LOG_LEVEL: 'error', GUANG_SIMULATOR: 'on', GUANG_SECRET_KEY: 'screenshots-only-passphrase' }, { demo: true });
const server = await startServer({ config, host: '127.0.0.1', logger: createLogger('error') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

try {
  await createSettingsStore(server.db).update(account, { account_name: SHOP });
  await server.book.refresh();
  const catalogue = createCatalogueStore(server.db);
  const base = server.search.product(account, 'P00001')!;
  const extra = (over: Partial<Product>): Product => ({ ...base, tags: [], originalPriceFen: null, url: null, ...over });
  await catalogue.upsertProducts([
    extra({
      sku: 'DEMO-NOIMG', title: '素然 女士 真丝衬衫连衣裙 中长款 米白', priceFen: 45900, originalPriceFen: 69900, stock: 3, imageUrl: null,
      brand: '素然', tags: ['真丝', '米白', '通勤'],
      description: '22 姆米重磅真丝，垂顺不易皱。\n衬衫领、腰间系带，一条裙子从通勤穿到周末。\n手洗或干洗，阴凉处晾干。',
    }),
    extra({ sku: 'DEMO-BROKEN', title: '素然 女士 亚麻直筒连衣裙 燕麦色', priceFen: 32900, stock: 56, imageUrl: BROKEN, brand: '素然', tags: ['亚麻'] }),
  ]);
  await server.search.refresh();

  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  await page.route('https://shop.example.com/img/**', (route) =>
    route.request().url() === BROKEN
      ? route.fulfill({ status: 404, body: 'not found' })
      : route.fulfill({ status: 200, contentType: 'image/svg+xml', body: standIn(route.request().url()) }),
  );
  mkdirSync(OUT, { recursive: true });
  const shots: string[] = [];
  const shoot = async (p: Page, name: string) => {
    await p.waitForLoadState('networkidle');
    const file = path.join(OUT, `${name}.png`);
    await p.screenshot({ path: file });
    shots.push(`${name}.png ${(statSync(file).size / 1024).toFixed(0)} KB`);
  };
  const m = `${server.url}/m/default`;

  await page.goto(`${m}/products?cat=${encodeURIComponent('女装/连衣裙')}&label=${encodeURIComponent('连衣裙')}`);
  await shoot(page, 'products-list');

  await page.fill('input[name=lo]', '100');
  await page.fill('input[name=hi]', '200');
  await page.click('form.filter button');
  await page.waitForURL(/lo=100/);
  await page.click('nav.tabs >> text=低价优先');
  await page.waitForURL(/sort=price_asc/);
  await shoot(page, 'products-sorted-filtered');

  await page.click('a.item >> nth=0');
  await page.waitForURL(/\/p\//);
  await shoot(page, 'product');

  await page.goto(`${m}/p/DEMO-NOIMG`);
  await shoot(page, 'product-no-image');
  await page.goto(`${m}/p/DEMO-BROKEN`);
  await shoot(page, 'product-broken-image');

  await page.goto(`${m}/hotels?lat=31.2304&lng=121.4737&sort=price_asc`);
  await shoot(page, 'hotels-near');
  await page.goto(`${m}/h/H0001`);
  await shoot(page, 'hotel');
  await page.goto(`${m}/d/D0001`);
  await shoot(page, 'deal');

  shots.push(...(await shootCheckout(browser, server, OUT, standIn)));
  shots.push(...(await shootConsole(browser, server, config, OUT)));
  console.log(`${shots.length} screenshots in ${path.relative(process.cwd(), OUT)}:\n  ${shots.join('\n  ')}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
