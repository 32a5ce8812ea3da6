/**
 * The merchant console's screenshots (scripts/screenshots.ts runs this after the mobile pages): the
 * sign-in page and the overview at 1440×900, the overview at 390×844. Followers' questions go in first
 * through the real webhook, so the overview has something to show; a real owner signs in through the form.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../src/app/server.ts';
import { createWechatPlayer } from '../src/channels/wechat/player.ts';
import type { Config } from '../src/core/config.ts';
import { addStaff, signIn } from '../test/helpers/console-session.ts';

const QUESTIONS = ['连衣裙', '连衣裙', '真丝连衣裙', '上海酒店', '北京团购', '200元以内的T恤', '运动鞋', '营业时间', '你好', 'asdfgh'];

/** Writes the console's screenshots into `out`; answers what it wrote. */
export async function shootConsole(browser: Browser, server: RunningServer, config: Config, out: string): Promise<string[]> {
  const { token, aesKey, appId } = config.wechat;
  const player = createWechatPlayer({ url: `${server.url}/wechat`, token, encrypt: aesKey && appId ? { aesKey, appId } : null });
  for (const [i, q] of QUESTIONS.entries()) await player.text(`o_shot_${i % 4}`, q);
  await new Promise((done) => setTimeout(done, 200)); // the answer log is written in the next group commit

  const owner = await addStaff(server.url, config.adminToken ?? '', { username: 'shots-owner', role: 'owner' });
  const written: string[] = [];
  const shoot = async (page: Page, name: string) => {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1200); // ECharts animates its bars in
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    written.push(`${name}.png`);
  };
  for (const [suffix, viewport] of [['', { width: 1440, height: 900 }], ['-phone', { width: 390, height: 844 }]] as const) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('用户名').waitFor();
    await shoot(page, `console-sign-in${suffix}`);
    await signIn(page, owner.username, owner.password);
    await page.locator('[data-testid=trend-chart] canvas').waitFor();
    await shoot(page, `console-overview${suffix}`);
    await page.close();
  }
  return written;
}
