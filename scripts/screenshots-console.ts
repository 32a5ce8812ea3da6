/**
 * The merchant console's screenshots (scripts/screenshots.ts runs this after the mobile pages): every screen
 * at 1440×900 and at 390×844. Followers' questions go in first through the real webhook, so the overview and
 * 数据 have something to show; real staff users (an owner, and a store's staff) sign in through the form.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../src/app/server.ts';
import { createWechatPlayer } from '../src/channels/wechat/player.ts';
import type { Config } from '../src/core/config.ts';
import { accountId, userId } from '../src/core/messages.ts';
import { createStoreRegistry } from '../src/merchant/shops/registry.ts';
import { createOrderDesk } from '../src/orders/desk.ts';
import { addStaff, signInAs, type StaffLogin } from '../test/helpers/console-session.ts';
import { seedOrders } from './screenshots-orders.ts';
import { seedFollowers, SHOT_FOLLOWER } from './screenshots-followers.ts';
import { sqliteSql } from '../src/db/sql/sqlite.ts';

const QUESTIONS = ['连衣裙', '连衣裙', '真丝连衣裙', '上海酒店', '北京团购', '200元以内的T恤', '运动鞋', '营业时间', '你好', 'asdfgh', '小黑裙', '小黑裙'];

interface Shot {
  /** The file's name, without the size suffix and extension. */
  readonly name: string;
  /** The console address (under /admin). */
  readonly path: string;
  /** What shows the screen is ready (a locator's selector). */
  readonly ready: string;
  /** Something to do before the picture (type into the chat, …). */
  readonly act?: (page: Page) => Promise<void>;
}

const OWNER_SHOTS: readonly Shot[] = [
  { name: 'console-overview', path: '/overview', ready: '[data-testid=trend-chart] canvas' },
  { name: 'console-rules', path: '/rules', ready: 'text=新建规则' },
  { name: 'console-rule-editor', path: '/rules/new?keyword=小黑裙', ready: '[data-testid=phone]' },
  { name: 'console-catalogue', path: '/catalogue', ready: '.ant-table-row, .ant-card' },
  { name: 'console-reports', path: '/reports/zero-results', ready: '.ant-table-row' },
  { name: 'console-settings-bot', path: '/settings/bot', ready: '[data-testid=phone]' },
  { name: 'console-settings-push', path: '/settings/push', ready: 'form' },
  { name: 'console-settings-orders', path: '/settings/orders', ready: '[data-testid=shipping-form]' },
  { name: 'console-settings-staff', path: '/settings/staff', ready: '.ant-table-row' },
  { name: 'console-settings-accounts', path: '/settings/accounts', ready: '.ant-card' },
  { name: 'console-settings-audit', path: '/settings/audit', ready: '.ant-table-row' },
  {
    name: 'console-chat', path: '/chat', ready: '[data-testid=phone]',
    act: async (page) => {
      await page.getByLabel('消息').fill('女装');
      await page.getByLabel('消息').press('Enter');
      await page.getByTestId('answered-by').first().waitFor();
    },
  },
  { name: 'console-rule-test', path: '/chat/test', ready: 'input' },
  { name: 'console-followers', path: '/followers', ready: '[data-testid=followers-total]' },
  { name: 'console-follower', path: `/followers/${SHOT_FOLLOWER}`, ready: '[data-testid=follower-messages]' },
  { name: 'console-broadcasts', path: '/broadcasts', ready: '[data-testid=broadcast-list] .ant-table-row' },
  {
    name: 'console-broadcast-editor', path: '/broadcasts/new', ready: '[data-testid=phone]',
    act: async (page) => {
      await page.getByTestId('name').fill('新品试用招募');
      await page.getByTestId('content').fill('新品面霜免费试用 20 份！回复「试用+理由」即可申请，72 小时内有效～');
      await page.getByTestId('repeat').getByText('每周').click();
      await page.getByTestId('days').getByText('周四').click();
      await page.getByTestId('time').click();
      await page.getByTestId('time').fill('10:00');
      await page.getByTestId('name').click();
      await page.getByTestId('collect').click();
      await page.getByTestId('reply-keyword').fill('试用');
      await page.getByTestId('next-runs').waitFor();
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
    },
  },
  { name: 'console-broadcast-calendar', path: '/broadcasts/calendar', ready: '[data-testid=calendar-entry]' },
  {
    // Built through the editor as a merchant would (the demo has no menu): three buttons, one with sub-buttons open in the preview.
    name: 'console-menu', path: '/menu', ready: 'text=添加菜单',
    act: async (page) => {
      const form = page.getByTestId('button-form');
      const addButton = async (name: string) => {
        await page.getByRole('button', { name: '添加菜单' }).click();
        await form.getByLabel('名称').fill(name);
      };
      const addSub = async (parent: number, name: string, type: string, shortcut?: string) => {
        await page.getByRole('button', { name: /添加子菜单/ }).nth(parent).click();
        await form.getByLabel('名称').fill(name);
        await form.getByText(type, { exact: true }).click();
        if (shortcut) await form.getByRole('button', { name: shortcut }).click();
      };
      await addButton('今日推荐');
      await form.getByLabel('菜单 KEY').fill('TODAY');
      await addButton('逛店');
      await addSub(1, '手机商城', '跳转网页', '手机商城');
      await addSub(1, '附近门店', '发送位置');
      await addSub(1, '我的订单', '跳转网页', '我的订单');
      await addButton('会员');
      await addSub(2, '会员卡', '发送消息');
      await page.getByRole('button', { name: '预览：逛店' }).click();
      await page.getByTestId('menu-row-1-2').click();
      await page.evaluate(() => scrollTo(0, 0));
    },
  },
  { name: 'console-stores', path: '/stores', ready: '[data-testid=store-list] .ant-table-row, [data-testid=store-list] [data-store]' },
  {
    name: 'console-store', path: '/stores/sh-jingan', ready: '[data-testid=qr-code] img',
    // On a phone the codes are below the store and its numbers: show them.
    act: async (page) => {
      if (page.viewportSize()!.width < 600) await page.getByText('门店二维码', { exact: true }).evaluate((el) => el.scrollIntoView());
    },
  },
];

const STORE_SHOTS: readonly Shot[] = [{ name: 'console-my-store', path: '/store', ready: '.ant-card' }];

/** 群发 has something to show: a weekly product pick, a store's one-off, a reply collection and a draft. */
async function seedBroadcasts(url: string, adminToken: string): Promise<void> {
  const saturday = new Date(Date.now() + ((6 - new Date().getDay() + 7) % 7 || 7) * 86_400_000).toISOString().slice(0, 10);
  const broadcasts = [
    { name: '本周女装新品 top 5', message: { type: 'product_pick', title: '本周女装新品', category: '女装', limit: 5 }, audience: { all: true }, channel: 'custom', schedule: { cron: '0 10 * * 1', tz: 'Asia/Shanghai' } },
    { name: '静安寺店周末活动', message: { type: 'text', content: '本周六静安寺店会员日，全场 8 折～' }, audience: { stores: ['sh-jingan'] }, channel: 'custom', schedule: { at: `${saturday}T10:00:00+08:00` } },
    { name: '新品试用招募', message: { type: 'text', content: '新品面霜免费试用！回复「试用+理由」申请' }, audience: { all: true }, channel: 'custom', schedule: { cron: '30 19 * * 4', tz: 'Asia/Shanghai' }, replies: { keyword: '试用' } },
    { name: '双十二预告（草稿）', message: { type: 'news', article: { title: '双十二全场满 199 减 30', url: 'https://shop.example.com/1212' } }, audience: { active_within_hours: 48 }, channel: 'custom' },
  ];
  for (const b of broadcasts) {
    const r = await fetch(`${url}/api/broadcasts`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(b) });
    if (!r.ok) throw new Error(`creating the broadcast ${b.name}: ${r.status} ${await r.text()}`);
  }
}

/** Writes the console's screenshots into `out`; answers what it wrote. */
export async function shootConsole(browser: Browser, server: RunningServer, config: Config, out: string): Promise<string[]> {
  const { token, aesKey, appId } = config.wechat;
  const player = createWechatPlayer({ url: `${server.url}/wechat`, token, encrypt: aesKey && appId ? { aesKey, appId } : null });
  for (const [i, q] of QUESTIONS.entries()) await player.text(`o_shot_${i % 4}`, q);
  await new Promise((done) => setTimeout(done, 200)); // the answer log is written in the next group commit

  const adminToken = config.adminToken ?? '';
  const owner = await addStaff(server.url, adminToken, { username: 'shots-owner', role: 'owner' });
  const store = await fetch(`${server.url}/api/stores`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'sh-jingan', name: '静安寺店', city: '上海' }),
  });
  if (!store.ok && store.status !== 409) throw new Error(`creating the demo store: ${store.status} ${await store.text()}`);
  // The demo has no reply rules: a merchant's first few, so 自动回复 shows a list.
  const rules = [
    { name: '营业时间', match: 'contains', keywords: ['营业时间', '几点开门', '几点关门'], replies: [{ type: 'text', content: '门店每天 10:00–22:00 营业，线上客服 9:00–21:00 在线～' }] },
    { name: '会员卡', match: 'contains', keywords: ['会员', '积分'], replies: [{ type: 'text', content: '会员卡在前台免费办理，消费1元积1分' }, { type: 'text', content: '积分可以抵现：100积分抵1元' }], reply_mode: 'random' },
    { name: '优惠券', match: 'exact', keywords: ['优惠券', '领券'], replies: [{ type: 'news', articles: [{ title: '本周优惠券：满199减30', description: '点击领取，限本周使用', url: 'https://shop.example.com/coupon' }] }] },
    { name: '招聘', match: 'regex', keywords: ['(招聘|招人|兼职)'], replies: [{ type: 'text', content: '门店招聘导购，简历请发 hr@example.com' }], active_hours: { from: '09:00', to: '18:00', days: [1, 2, 3, 4, 5] } },
  ];
  for (const rule of rules) {
    const r = await fetch(`${server.url}/api/rules`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    if (!r.ok && r.status !== 409) throw new Error(`creating the rule ${rule.name}: ${r.status} ${await r.text()}`);
  }
  await seedFollowers(server, player, adminToken);
  await seedBroadcasts(server.url, adminToken);
  const clerk = await addStaff(server.url, adminToken, { username: 'shots-clerk', role: 'store_staff', store: 'sh-jingan' });
  // 订单: orders in every status; the shipped one's page (its number is known only now).
  const shipped = await seedOrders(server, player);
  const ownerShots: readonly Shot[] = [
    ...OWNER_SHOTS,
    { name: 'console-orders', path: '/orders', ready: '[data-testid=orders] .ant-table-row' },
    { name: 'console-order', path: `/orders/${shipped}`, ready: '[data-testid=order-history]' },
  ];
  await seedStores(server, adminToken, async (user, key, writes) => {
    await player.event(user, 'subscribe', { EventKey: `qrscene_${key}`, Ticket: 't' });
    if (writes) await player.text(user, '营业时间');
  });

  const written: string[] = [];
  const shoot = async (page: Page, name: string) => {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1200); // ECharts animates its bars in
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    written.push(`${name}.png`);
  };
  const run = async (login: StaffLogin, shots: readonly Shot[], suffix: string, viewport: { width: number; height: number }, signInShot: boolean) => {
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('用户名').waitFor();
    if (signInShot) await shoot(page, `console-sign-in${suffix}`);
    await signInAs(page, login);
    for (const shot of shots) {
      await page.goto(`${server.url}/admin${shot.path}`);
      await page.locator(shot.ready).first().waitFor({ timeout: 20_000 });
      await shot.act?.(page);
      await shoot(page, `${shot.name}${suffix}`);
    }
    await page.close();
  };
  for (const [suffix, viewport] of [['', { width: 1440, height: 900 }], ['-phone', { width: 390, height: 844 }]] as const) {
    await run(owner, ownerShots, suffix, viewport, true);
    await run(clerk, STORE_SHOTS, suffix, viewport, false);
  }
  return written;
}

/**
 * 门店与二维码's pictures: two more stores, the demo store's welcome, followers through each store's code, and
 * QR codes recorded as WeChat answers them (the screenshots run without the simulator; the images are drawn from the URL).
 */
async function seedStores(server: RunningServer, adminToken: string, follow: (user: string, store: string, writes: boolean) => Promise<unknown>): Promise<void> {
  const call = (method: string, p: string, body: unknown) =>
    fetch(`${server.url}/api${p}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await call('PATCH', '/stores/sh-jingan', { welcome: '欢迎光临静安寺店！回复「优惠券」领取本周到店券，到店出示本消息享 9 折。' });
  for (const [id, name, city] of [['sh-xujiahui', '徐家汇店', '上海'], ['bj-sanlitun', '三里屯店', '北京']]) await call('POST', '/stores', { id, name, city });
  for (const [store, n] of [['sh-jingan', 5], ['sh-xujiahui', 3], ['bj-sanlitun', 1]] as const) {
    for (let i = 0; i < n; i++) await follow(`o_${store}_${i}`, store, i % 2 === 0);
  }
  // Two orders of the 静安寺店's followers, so the list shows revenue.
  const desk = createOrderDesk(sqliteSql(server.db));
  for (const [user, quantity] of [['o_sh-jingan_0', 1], ['o_sh-jingan_1', 2]] as const) {
    const r = await desk.place({
      account: accountId('default'), user: userId(user), channel: 'wechat', source: 'chat', items: [{ sku: 'P00001', variant: 'M', quantity }],
      contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' }, remark: null, ref: null,
    });
    if (!r.ok) throw new Error(`placing the demo order: ${JSON.stringify(r)}`);
  }
  const stores = createStoreRegistry(server.db);
  const now = Date.now();
  for (const [store, ticket, permanent] of [['sh-jingan', 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyWjc', true], ['sh-jingan', 'gQEu8DwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyTjh', false]] as const) {
    if ((await stores.qrCodes('default', store)).some((q) => q.ticket === ticket)) continue;
    await stores.saveQrCode('default', {
      storeId: store, scene: store, permanent, ticket, url: `http://weixin.qq.com/q/02${ticket.slice(-10)}`,
      showUrl: `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`, expiresAt: permanent ? null : now + 30 * 86_400_000,
    });
  }
}
