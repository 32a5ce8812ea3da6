/**
 * A realistic two-day mix for the funnel and revenue reports, over a real server: followers come through two
 * stores' QR codes (webhook events), ask (signed webhook text messages → the answer log), open item pages and
 * order (the order desk, as the chat and the page place them), and the merchant confirms, ships, delivers; one
 * follower cancels. Page views are inserted directly: the page helper writes them in parallel (same table,
 * same columns). The console's test follower does all of it too and must never count.
 *
 * The two days are the Beijing days either side of the Beijing midnight nearest to now, so the webhook's
 * timestamps (real time) stay within the allowed clock skew (raised to a day) of the server's clock.
 */
import { expect } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { SHANGHAI_OFFSET_MS } from '../../src/merchant/rules/hours.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { adminServer } from '../admin/harness.ts';

const DAY_MS = 86_400_000;
const HOUR = 3_600_000;
const A = accountId('default');

/** The Beijing midnight nearest to `now`, in ms since the epoch. */
export function nearestBeijingMidnight(now: number): number {
  return Math.round((now + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}
const dayOf = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

export async function seededServer() {
  const midnight = nearestBeijingMidnight(Date.now());
  const clock = manualClock(midnight - 3 * HOUR);
  const s = await adminServer({ clock, env: { WECHAT_MAX_CLOCK_SKEW_SECONDS: '86400' } });
  const day1 = dayOf(midnight - 3 * HOUR);
  const day2 = dayOf(midnight + 2 * HOUR);

  const ok = async (method: string, path: string, body: unknown) => expect((await s.api(method, path, body)).status, path).toBeLessThan(300);
  await ok('POST', '/stores', { id: 'sh-jingan', name: '静安店' });
  await ok('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店' });
  await ok('PUT', '/products/D1', { title: '法式黑色连衣裙', category: '女装/连衣裙', price: 299, stock: 50 });
  await ok('PUT', '/products/J1', { title: '通勤西装外套', category: '女装/外套', price: 459, stock: 50 });
  await s.server.search.refresh();

  const desk = createOrderDesk(s.server.sql, { clock });
  // Shipping ¥10, free from ¥500: the revenue includes it.
  await desk.settings.update(A, { shipping_fen: 1000, free_shipping_over_fen: 50000 });
  await desk.referrers.save(A, { code: 'wangjie', name: '王姐', kind: 'leader' });
  await desk.referrers.save(A, { code: 'xiaoli', name: '小李', kind: 'staff', store_id: 'bj-chaoyang' });

  await s.event('o_a', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
  await s.event('o_b', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
  await s.event('o_c', 'subscribe', { EventKey: 'qrscene_bj-chaoyang', Ticket: 't' });
  await s.event('o_d', 'subscribe');

  const views: [string | null, string, string | null, string | null, number][] = [];
  const view = (user: string | null, item: string, store: string | null, query: string | null) => views.push([user, item, store, query, clock.now()]);
  const contact = { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' };
  const place = async (user: string, sku: string, quantity: number, query: string | null, ref: string | null) => {
    const r = await desk.place({ account: A, user: userId(user), channel: 'wechat', source: 'page', items: [{ sku, variant: null, quantity }], contact, remark: null, query, ref });
    if (!r.ok) throw new Error(`order refused: ${r.reason}`);
    return r.order;
  };
  const staff = { kind: 'staff', name: 'owner' } as const;

  // Day 1, 21:00 Beijing.
  const asked1: [string, string][] = [
    ['o_a', '连衣裙'], ['o_a', 'TD'], ['o_a', '订阅'], ['o_b', '连衣裙'], ['o_b', '你好'], ['o_c', '西装外套'], ['o_d', '上班战袍'], ['console-owner', '连衣裙'],
  ];
  const seen: Record<string, string> = {};
  for (const [user, text] of asked1) seen[`${user}:${text}`] = await s.say(user, text);
  expect(await s.player.location('o_d', 31.2, 121.4, '静安寺')).toMatchObject({ status: 200 });
  view('o_a', 'D1', null, '连衣裙');
  view('o_a', 'D1', null, '连衣裙');
  view('o_b', 'D1', 'sh-jingan', '连衣裙');
  view(null, 'D1', null, '连衣裙');
  view('console-owner', 'D1', null, '连衣裙');
  const a1 = await place('o_a', 'D1', 2, '连衣裙', 'wangjie'); // 598 + free shipping? no: under 500 → 59800 + 1000
  await desk.act(A, a1.id, { kind: 'confirm' }, staff);
  await desk.act(A, a1.id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF100' }, staff);
  await desk.act(A, a1.id, { kind: 'deliver' }, staff);
  const b1 = await place('o_b', 'J1', 1, '连衣裙', null);
  await desk.act(A, b1.id, { kind: 'cancel', reason: '不想要了' }, { kind: 'follower', user: userId('o_b') });
  await place('console-owner', 'D1', 1, '连衣裙', null);

  // Day 2, 02:00 Beijing.
  clock.set(midnight + 2 * HOUR);
  for (const [user, text] of [['o_a', ' 连衣裙 '], ['o_c', '连衣裙'], ['o_d', '西装外套']] as const) seen[`${user}:${text}`] = await s.say(user, text);
  view('o_c', 'J1', 'bj-chaoyang', '西装外套');
  view('o_c', 'D1', null, '连衣裙');
  const c1 = await place('o_c', 'D1', 1, '连衣裙', 'xiaoli');
  await desk.act(A, c1.id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF101' }, staff);
  const c2 = await place('o_c', 'J1', 2, '西装外套', 'wangjie');
  await desk.act(A, c2.id, { kind: 'confirm' }, staff);

  for (const [user, item, store, query, at] of views) {
    await s.server.sql.run('INSERT INTO page_views (account, kind, item_id, user_id, store_id, referrer, query, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', ['default', 'product', item, user, store, null, query, at]);
  }
  clock.set(midnight + 3 * HOUR);
  return { ...s, clock, day1, day2, midnight, seen, orders: { a1, b1, c1, c2 } };
}
