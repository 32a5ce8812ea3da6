/**
 * What every console browser test needs besides the real build (brought up to date once by vitest's global
 * setup, test/helpers/global-build.ts, so a test never drives an old console): the machine's Chromium through
 * playwright-core, and whether to skip — where there is no Chromium, but never in CI (`.ci/run` installs it,
 * so there a missing browser fails).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** True where the browser tests are skipped: `describe.skipIf(noBrowser)(…)`. */
export const noBrowser = !existsSync(CHROMIUM) && !process.env.CI;

/** Chromium, headless, with the flags this machine needs (no sandbox as root, no GPU, no calls home). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/**
 * A new page that collects what went wrong in it: console errors (except HTTP statuses the test causes on
 * purpose, `allowStatus`, e.g. /401|400/) and uncaught page errors. The test ends with `expect(problems).toEqual([])`.
 * @example const { page, problems } = await watchedPage(browser, { allowStatus: /401/ });
 */
export async function watchedPage(
  browser: Browser,
  o: { readonly viewport?: { width: number; height: number }; readonly allowStatus?: RegExp } = {},
): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: o.viewport ?? { width: 1440, height: 900 }, locale: 'zh-CN' });
  const problems: string[] = [];
  const allowed = o.allowStatus ?? /401/;
  page.on('console', (m) => {
    if (m.type() === 'error' && !new RegExp(`status of (${allowed.source})`).test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}
