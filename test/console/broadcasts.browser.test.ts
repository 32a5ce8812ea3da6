/**
 * 群发 in a real browser against a real server (its scheduler's sender on, sending to the embedded WeChat API
 * simulator): an owner creates a broadcast for one store and sees who it would reach before saving, schedules
 * it with the weekly picker (the cron it makes shown), finds it in the calendar, sends it now and watches the
 * run reach done, and sees the reply a follower sent back, in the table and in the CSV. A broadcast that
 * would reach nobody says why before it is saved. A scheduled one is edited in the same form, filled with what was
 * saved.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';

describe.skipIf(noBrowser)('群发 in the console', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let owner: StaffLogin;

  beforeAll(async () => {
    server = await adminServer();
    // Quiet hours off: the test runs at any hour. A weekly cap of 2.
    await server.api('PUT', '/broadcasts/settings', { weekly_cap: 2, quiet_start: '00:00', quiet_end: '00:00' });
    await server.api('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海' });
    await server.api('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店', city: '北京' });
    // 静安店's two followers wrote (inside the 48-hour window); 朝阳店's follower only followed.
    for (const [user, store] of [['o_jingan_1', 'sh-jingan'], ['o_jingan_2', 'sh-jingan'], ['o_chaoyang_1', 'bj-chaoyang']] as const) {
      await server.event(user, 'subscribe', { EventKey: `qrscene_${store}`, Ticket: 't' });
    }
    await server.say('o_jingan_1', '你好');
    await server.say('o_jingan_2', '有新品吗');
    owner = await addStaff(server.server.url, ADMIN_TOKEN, { username: 'boss', role: 'owner' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York', acceptDownloads: true });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems };
  }

  /** Picks `option` in the antd select with this test id. */
  async function choose(page: Page, testId: string, option: string) {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-item-option').filter({ hasText: option }).click();
    await page.keyboard.press('Escape');
  }

  it('creates a broadcast for one store with its audience count, schedules it weekly, finds it in the calendar, sends it and sees a reply', async () => {
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin/broadcasts`);
    await signInAs(page, owner);
    await page.getByTestId('new-broadcast').click();
    await page.getByTestId('name').fill('新品试用招募');
    await page.getByTestId('content').fill('新品面霜免费试用！回复「试用+理由」申请');
    // The phone shows the text as the follower will see it.
    await expect.poll(() => page.getByTestId('phone').getByText('新品面霜免费试用！').count()).toBe(1);

    // Everyone: 3 followers, 2 inside their window.
    const count = page.getByTestId('audience-count');
    await expect.poll(() => count.getByTestId('audience-total').textContent(), { timeout: 10_000 }).toContain('3');
    await expect.poll(() => count.getByTestId('to-send').textContent()).toContain('2');
    expect(await count.getByText('超出 48 小时互动窗口').isVisible()).toBe(true);

    // One store: 静安店's two followers, both reached.
    await page.getByText('按条件筛选').click();
    await choose(page, 'audience-stores', '静安店');
    await expect.poll(() => count.getByTestId('audience-total').textContent(), { timeout: 10_000 }).toContain('2');
    expect(await count.getByTestId('to-send').textContent()).toContain('2');
    expect(await count.getByTestId('skipped').count()).toBe(0);

    // Weekly, Monday and Thursday at 10:00: the cron it makes, and the next run times.
    await page.getByTestId('repeat').getByText('每周').click();
    await page.getByTestId('days').getByText('周四').click();
    await page.getByTestId('time').click();
    await page.getByTestId('time').fill('10:00');
    await page.getByTestId('name').click(); // away from the picker, which keeps what was typed
    await expect.poll(() => page.getByTestId('cron-shown').textContent()).toContain('0 10 * * 1,4');
    const runs = page.getByTestId('next-runs').locator('li');
    await expect.poll(() => runs.count(), { timeout: 10_000 }).toBe(5);
    for (const t of await runs.allTextContents()) expect(t).toMatch(/ 10:00 (周一|周四)$/);
    // 「高级」 starts from the same cron.
    await page.getByTestId('repeat').getByText('高级').click();
    expect(await page.getByTestId('cron').inputValue()).toBe('0 10 * * 1,4');
    await page.getByTestId('repeat').getByText('每周').click();

    await page.getByTestId('collect').click();
    await page.getByTestId('reply-keyword').fill('试用');
    await page.getByTestId('save-broadcast').click();

    await expect.poll(() => page.getByTestId('campaign-status').textContent(), { timeout: 10_000 }).toBe('已排期');
    const id = Number(/\/admin\/broadcasts\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(await page.getByTestId('campaign-schedule').textContent()).toBe('每周一、周四 10:00');
    const saved = await server.api('GET', `/broadcasts/${id}`);
    expect(saved.body).toMatchObject({ audience: { stores: ['sh-jingan'] }, schedule: { cron: '0 10 * * 1,4', tz: 'Asia/Shanghai' }, replies: { keyword: '试用' } });

    // The calendar: its occurrences over the coming four weeks, with the weekly cap.
    await page.getByRole('button', { name: '返回列表' }).click();
    await expect.poll(() => page.getByTestId('broadcast-list').getByText('新品试用招募').count()).toBe(1);
    expect(await page.getByTestId('broadcast-list').getByText('已排期').count()).toBe(1);
    await page.getByRole('tab', { name: '日历' }).click();
    await expect.poll(() => page.getByTestId('calendar-week').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const entries = page.getByTestId('calendar-entry').filter({ hasText: '新品试用招募' });
    expect(await entries.count()).toBeGreaterThanOrEqual(7);
    for (const t of await entries.allTextContents()) expect(t).toMatch(/10:00 (周一|周四)新品试用招募待发送/);
    expect(await page.getByTestId('cap-use').first().textContent()).toMatch(/^\d 条 \/ 每周上限 2 条$/);
    expect(new URL(page.url()).pathname).toBe('/admin/broadcasts/calendar');

    // Send now, from the calendar's entry: confirm, then the progress reaches done.
    await entries.first().click();
    await page.getByTestId('send-now').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '立即发送' }).click();
    await expect.poll(() => page.getByTestId('run-progress').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    expect(await page.getByTestId('run-status').textContent()).toBe('已完成');
    expect(await page.getByTestId('run-sent').textContent()).toBe('已发送 2');
    expect(await page.getByTestId('run-pending').textContent()).toBe('待发送 0');
    expect(await page.getByTestId('run-progress').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    const delivered = server.server.simulator!.deliveries().map((d) => d.touser).sort();
    expect(delivered).toEqual(['o_jingan_1', 'o_jingan_2']);

    // A follower answers; the reply shows in the table and in the CSV.
    expect(await server.say('o_jingan_1', '试用 想给女儿用')).toBe('收到～你的申请已登记，我们会尽快联系你');
    await page.getByTestId('refresh-replies').click();
    await expect.poll(() => page.getByTestId('replies').getByText('想给女儿用', { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('replies').getByText('o_jingan_1').count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('replies-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('"o_jingan_1","想给女儿用","试用 想给女儿用"');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says why a broadcast would reach nobody before it is saved, and fits a phone', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await page.goto(`${server.server.url}/admin/broadcasts/new`);
    await signInAs(page, owner);
    await page.getByTestId('name').fill('朝阳店通知');
    await page.getByTestId('content').fill('朝阳店本周六店庆');
    await page.getByText('按条件筛选').click();
    await choose(page, 'audience-stores', '朝阳店');
    await expect.poll(() => page.getByTestId('nobody').textContent(), { timeout: 10_000 }).toContain('现在发送不会送达任何人：受众 1 人中，超出 48 小时互动窗口 1 人');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const before = (await server.api('GET', '/broadcasts')).body.items.length;
    await page.getByTestId('save-broadcast').click();
    await expect.poll(() => page.getByTestId('nobody-confirm').textContent()).toContain('超出 48 小时互动窗口 1 人');
    await page.getByRole('button', { name: '返回修改' }).click();
    expect((await server.api('GET', '/broadcasts')).body.items.length).toBe(before);
    // Empty text: the API's problem on its field.
    await page.getByTestId('content').fill('');
    await expect.poll(() => page.getByTestId('audience-count').textContent(), { timeout: 10_000 }).toContain('填写完整后显示人数：文字内容');
    await page.getByTestId('save-broadcast').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').filter({ hasText: 'the text to send' }).count(), { timeout: 10_000 }).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('edits a scheduled broadcast: the form opens with what was saved, and the change is what the API then holds', async () => {
    const saved = await server.api('POST', '/broadcasts', {
      name: '周末预告', message: { type: 'text', content: '周末女装满减' }, audience: { stores: ['sh-jingan'] }, channel: 'custom',
      schedule: { cron: '0 10 * * 1,4', tz: 'Asia/Shanghai' }, replies: { keyword: '报名', window_hours: 48 },
    });
    const id = saved.body.id as number;
    const { page, problems } = await open();
    await page.goto(`${server.server.url}/admin/broadcasts/${id}`);
    await signInAs(page, owner);
    await page.getByTestId('edit-broadcast').click();
    // What was saved, in the form: the text, the store, every Monday and Thursday at 10:00, the reply keyword.
    await expect.poll(() => page.getByTestId('content').inputValue(), { timeout: 10_000 }).toBe('周末女装满减');
    expect(await page.getByTestId('name').inputValue()).toBe('周末预告');
    // The store's name replaces its id once the store list arrives.
    await expect.poll(() => page.getByTestId('audience-stores').textContent()).toContain('静安店');
    expect(await page.getByTestId('cron-shown').textContent()).toContain('0 10 * * 1,4');
    expect(await page.getByTestId('reply-keyword').inputValue()).toBe('报名');
    await expect.poll(() => page.getByTestId('audience-count').textContent(), { timeout: 10_000 }).toContain('2');

    await page.getByTestId('content').fill('周末女装满199减30');
    await page.getByTestId('days').getByText('周四').click(); // Thursday off: Mondays only
    await page.getByTestId('save-broadcast').click();
    await expect.poll(() => page.getByTestId('campaign-schedule').textContent(), { timeout: 10_000 }).toBe('每周一 10:00');
    const now = (await server.api('GET', `/broadcasts/${id}`)).body;
    expect(now).toMatchObject({ name: '周末预告', status: 'scheduled', message: { content: '周末女装满199减30' }, audience: { stores: ['sh-jingan'] },
      schedule: { cron: '0 10 * * 1', tz: 'Asia/Shanghai' }, replies: { keyword: '报名', window_hours: 48 } });

    // A cancelled one has no 修改, and its edit address says why.
    await server.api('POST', `/broadcasts/${id}/cancel`);
    await page.reload();
    await expect.poll(() => page.getByTestId('campaign-status').textContent(), { timeout: 10_000 }).toBe('已取消');
    expect(await page.getByTestId('edit-broadcast').count()).toBe(0);
    await page.goto(`${server.server.url}/admin/broadcasts/${id}/edit`);
    await expect.poll(() => page.getByText('这条群发已发送或已取消，不能再修改').count(), { timeout: 10_000 }).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
