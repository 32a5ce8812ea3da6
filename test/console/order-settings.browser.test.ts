/**
 * 设置 › 订单 in a real browser over a real server (the embedded WeChat API simulator): an operator changes the
 * shipping fee and the answer to 包邮吗, and a follower asking through the signed webhook gets the new answer;
 * an answer the API refuses shows its words on the field; a notice recipient added in the browser is in the
 * API; a failed notice (no template, no 48-hour window) shows under 只看失败 and 重试 queues it again, after which
 * it is delivered; the template message and
 * its fields and the webhook are set (the secret only ever shows as 已设置) and the webhook cleared; a referrer is
 * added and disabled; a viewer sees it all read-only on a phone.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, noBrowser } from '../helpers/console-browser.ts';
import { addStaff, signInAs, type StaffLogin } from '../helpers/console-session.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';
import { CATALOGUE_CSV, place } from '../admin/order-seed.ts';

describe.skipIf(noBrowser)('设置 › 订单 in a browser', { timeout: 120_000 }, () => {
  let s: Awaited<ReturnType<typeof adminServer>>;
  let browser: Browser;
  let operator: StaffLogin;
  let viewer: StaffLogin;

  beforeAll(async () => {
    s = await adminServer();
    operator = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'op', role: 'operator' });
    viewer = await addStaff(s.server.url, ADMIN_TOKEN, { username: 'looker', role: 'viewer' });
    expect((await s.api('POST', '/products/import?filename=p.csv', CATALOGUE_CSV, { headers: { 'content-type': 'text/csv' } })).body.imported).toBe(2);
    // The server's catalogue view takes the import in at its next poll; until then the shop has no products and
    // its default answers say it takes no orders. The tests compare the page with the API: both after the poll.
    await vi.waitFor(async () => expect((await s.api('GET', '/order-settings')).body.default_answers.how_to_order).toMatch(/^下单很简单/), { timeout: 10_000 });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(login: StaffLogin, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${s.server.url}/admin/settings/orders`);
    await signInAs(page, login);
    await page.getByTestId('shipping-form').waitFor();
    return { page, problems };
  }

  it('changes the shipping fee and the answer to 包邮吗; a follower asking gets the new answer', async () => {
    const defaults = (await s.api('GET', '/order-settings')).body.default_answers as Record<string, string>;
    expect(await s.say('o_asker', '包邮吗')).toBe(defaults.shipping_fee);
    const { page, problems } = await open(operator);
    // An empty answer is the default, shown greyed as its placeholder.
    expect(await page.locator('#shipping_how_to_order_text').getAttribute('placeholder')).toBe(defaults.how_to_order);

    // A refused answer: the API's words under the field, nothing saved.
    await page.locator('#shipping_returns_text').fill('退'.repeat(700));
    await page.getByTestId('save-shipping').click();
    await page.getByText('太长了：最多约 600 个汉字').waitFor();
    expect((await s.api('GET', '/order-settings')).body.returns_text).toBeNull();

    await page.locator('#shipping_returns_text').fill('');
    await page.locator('#shipping_shipping_fen').fill('8');
    await page.locator('#shipping_free_shipping_over_fen').fill('99');
    await page.locator('#shipping_shipping_fee_text').fill('满 99 元包邮，不满收 8 元运费（新疆西藏除外）');
    await page.getByTestId('save-shipping').click();
    await page.getByText('已保存').waitFor();
    expect((await s.api('GET', '/order-settings')).body).toMatchObject({
      shipping_fen: 800, free_shipping_over_fen: 9900, shipping_fee_text: '满 99 元包邮，不满收 8 元运费（新疆西藏除外）', returns_text: null,
    });
    expect(await s.say('o_asker', '包邮吗')).toBe('满 99 元包邮，不满收 8 元运费（新疆西藏除外）');
    // Cleared again: the default answer, which speaks the new fee.
    await page.locator('#shipping_shipping_fee_text').fill('');
    await page.getByTestId('save-shipping').click();
    await expect.poll(async () => (await s.api('GET', '/order-settings')).body.shipping_fee_text).toBeNull();
    expect(await s.say('o_asker', '运费多少')).toBe('运费 ¥8，满 ¥99 包邮。');
    expect(problems).toEqual([]);
  });

  it('adds a notice recipient; their failed notice shows under 只看失败 and 重试 sends it once they have written', async () => {
    const { page, problems } = await open(operator);
    await page.getByRole('button', { name: /添加接收人/ }).click();
    const dialog = page.getByRole('dialog', { name: '添加接收人' });
    await dialog.getByLabel('称呼').fill('小李');
    await dialog.getByLabel('openid').fill('o-staff-away-01');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('recipient-list').getByText('o-staff-away-01').waitFor();
    expect(await page.getByTestId('recipient-list').locator('tr', { hasText: '小李' }).locator('td').allTextContents()).toEqual(['小李', 'o-staff-away-01', '全部门店', '移除']);
    expect((await s.api('GET', '/notice-recipients')).body.items).toMatchObject([{ name: '小李', openid: 'o-staff-away-01', store_id: null }]);

    // No template and 小李 never wrote to the account: the notice of a new order fails.
    const order = await place(s.server.sql, { user: 'o_buyer', at: Date.now(), items: [{ sku: 'P2', variant: null, quantity: 1 }] });
    const failed = async () => {
      await s.server.notices.tick();
      return (await s.api('GET', `/notices?status=failed&order=${order.id}`)).body.items as { id: number; target: string }[];
    };
    await expect.poll(failed, { timeout: 15_000 }).toHaveLength(1);

    await page.getByText('只看失败').click();
    const row = page.getByTestId('notice-list').locator('tr', { hasText: 'o-staff-away-01' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(1, 7)).toEqual([String(order.id), '总部员工', '客服消息', 'o-staff-away-01', '失败', '1']);
    expect(cells[7]).toMatch(/48 小时/);

    // 小李 writes to the account (the window opens), then 重试: queued again and delivered.
    await s.say('o-staff-away-01', '你好');
    await row.getByRole('button', { name: '重试' }).click();
    await page.getByText(`已重新排队：订单 ${order.id} 的通知`).waitFor();
    await expect.poll(async () => {
      await s.server.notices.tick();
      return s.server.simulator!.deliveries().filter((d) => d.touser === 'o-staff-away-01').length;
    }, { timeout: 15_000 }).toBe(1);
    expect((await s.api('GET', `/notices?status=sent&order=${order.id}`)).body.items).toMatchObject([{ target: 'o-staff-away-01' }]);
    expect(problems).toEqual([]);
  });

  it('sets the new-order template message and its fields, and the webhook whose secret only shows as set; clears the webhook', async () => {
    const { page, problems } = await open(operator);
    await page.locator('#delivery_template_id').fill('tpl-new-order-01');
    await page.getByRole('button', { name: /添加字段/ }).click();
    await page.getByPlaceholder('模板字段，如 thing2').fill('character_string1');
    await page.getByTestId('template-fields').locator('.ant-select').click();
    await page.getByTitle('订单号').click();
    await page.locator('#delivery_webhook_url').fill('https://erp.example.com/guang');
    // Too short a secret: the API's words under the field.
    await page.locator('#delivery_webhook_secret').fill('short');
    await page.getByTestId('save-delivery').click();
    await page.getByText('签名密钥至少 16 个字符').waitFor();
    expect((await s.api('GET', '/order-settings')).body.webhook_url).toBeNull();

    await page.locator('#delivery_webhook_secret').fill('a-secret-of-24-characters');
    await page.getByTestId('save-delivery').click();
    await expect.poll(() => page.getByTestId('webhook-secret-state').textContent()).toBe('已设置');
    expect((await s.api('GET', '/order-settings')).body).toMatchObject({
      template_id: 'tpl-new-order-01', template_fields: { character_string1: 'order_no' }, webhook_url: 'https://erp.example.com/guang', webhook_secret_set: true,
    });
    // The secret never comes back into the page.
    expect(await page.locator('#delivery_webhook_secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain('a-secret-of-24-characters');

    await page.getByRole('button', { name: /清除 Webhook/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => page.getByTestId('webhook-secret-state').textContent()).toBe('未设置');
    expect((await s.api('GET', '/order-settings')).body).toMatchObject({ template_id: 'tpl-new-order-01', webhook_url: null, webhook_secret_set: false });
    expect(await page.locator('#delivery_webhook_url').inputValue()).toBe('');
    expect(problems).toEqual([]);
  });

  it('adds a referrer (团长) with their code, makes them a group\'s leader and removes it, then disables them', async () => {
    const { page, problems } = await open(operator);
    await page.getByRole('button', { name: /添加推荐人/ }).click();
    const dialog = page.getByRole('dialog', { name: '添加推荐人' });
    await dialog.getByLabel('推荐码').fill('wangjie');
    await dialog.getByLabel('名字').fill('王姐');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('referrer-list').getByText('王姐').waitFor();
    expect((await s.api('GET', '/referrers')).body.items).toMatchObject([{ code: 'wangjie', name: '王姐', kind: 'leader', disabled: false }]);

    // 王姐 leads a Wechaty group: a room id with a space is refused on its field, a good one is set, then removed.
    const group = page.getByTestId('group-leader-form');
    await group.getByLabel('群 ID').fill('R:group 1');
    await group.getByLabel('团长').click();
    await page.locator('.ant-select-dropdown').getByText('王姐 · wangjie').click();
    await group.getByRole('button', { name: '设为团长' }).click();
    await group.getByText('群 ID 不对：最多 128 个字符，不含空格').waitFor();
    await group.getByLabel('群 ID').fill('R:group-1');
    await group.getByRole('button', { name: '设为团长' }).click();
    await page.getByTestId('group-list').getByText('R:group-1').waitFor();
    expect((await s.api('GET', '/group-leaders')).body.items).toEqual([{ room: 'R:group-1', referrer: 'wangjie', referrer_name: '王姐' }]);
    await page.getByTestId('group-list').locator('tr', { hasText: 'R:group-1' }).getByRole('button', { name: /移\s*除/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(async () => (await s.api('GET', '/group-leaders')).body.items).toEqual([]);

    await page.getByTestId('referrer-list').locator('tr', { hasText: '王姐' }).getByRole('button', { name: /编\s*辑/ }).click();
    const edit = page.getByRole('dialog', { name: '编辑推荐人：王姐' });
    expect(await edit.getByLabel('推荐码').isDisabled()).toBe(true);
    await edit.getByLabel('openid（通过公众号通知他的订单）').fill('o-leader-wang');
    // check(), not click(): it fails at once if the switch did not turn on (a click lost to the dialog's opening
    // animation under load), rather than 30 s later at the list.
    await edit.getByLabel('停用').check();
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('referrer-list').getByText('已停用').waitFor();
    expect((await s.api('GET', '/referrers')).body.items).toMatchObject([{ code: 'wangjie', name: '王姐', openid: 'o-leader-wang', disabled: true }]);
    expect(problems).toEqual([]);
  });

  it('shows a viewer everything read-only, on a phone without sideways scrolling', async () => {
    const { page, problems } = await open(viewer, { width: 390, height: 844 });
    await page.getByText('你的账号是只读权限').waitFor();
    await page.getByTestId('recipient-list').getByText('小李').waitFor();
    await page.getByTestId('referrer-list').getByText('王姐').waitFor();
    expect(await page.locator('#shipping_shipping_fen').isDisabled()).toBe(true);
    expect(await page.locator('#delivery_template_id').isDisabled()).toBe(true);
    for (const name of [/保\s*存/, /添加接收人/, /添加推荐人/, /移\s*除/, /重\s*试/, /编\s*辑/]) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.getByTestId('notice-list').getByText('o-staff-away-01').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });
});
