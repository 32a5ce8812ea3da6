/**
 * Followers for 粉丝's screenshots, made the way real ones are: they follow through 静安寺店's QR code and talk
 * to the bot through the signed webhook, one replies 「TD」, one orders through the order desk, and the merchant
 * tags a few through the admin API.
 */
import type { RunningServer } from '../src/app/server.ts';
import type { WechatPlayer } from '../src/channels/wechat/player.ts';
import { accountId, userId } from '../src/core/messages.ts';
import { createOrderDesk } from '../src/orders/desk.ts';
import { sqliteSql } from '../src/db/sql/sqlite.ts';

/** The follower whose page is shot (console-follower). */
export const SHOT_FOLLOWER = 'oGZUI0egBJY1zhBYw2KhdUfwVJJE';
const FANS = [SHOT_FOLLOWER, 'oGZUI0Tq3hXkR8mN2pLwYbV7cDsA', 'oGZUI0Pz8aWc1Lq5eNtR4uYiHjKm', 'oGZUI0Xv6bMn9Qs2dFgT7wErZyUo'];

export async function seedFollowers(server: RunningServer, player: WechatPlayer, adminToken: string): Promise<void> {
  const [star, optedOut, ...rest] = FANS as [string, string, ...string[]];
  for (const fan of FANS) await player.event(fan, 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 'demo-ticket' });
  for (const q of ['连衣裙', '真丝连衣裙', '营业时间', '会员积分怎么用', '优惠券']) await player.text(star, q);
  await player.text(optedOut, 'TD');
  for (const fan of rest) await player.text(fan, '运动鞋');

  const tag = async (fan: string, name: string) => {
    const r = await fetch(`${server.url}/api/subscribers/${fan}/tags/${encodeURIComponent(name)}`, { method: 'PUT', headers: { authorization: `Bearer ${adminToken}` } });
    if (!r.ok) throw new Error(`tagging ${fan} ${name}: ${r.status} ${await r.text()}`);
  };
  await tag(star, 'vip');
  await tag(star, '老客户');
  await tag(rest[0]!, '新客');

  // An item without variants (cosmetics, books …), so the order needs no size.
  const item = server.db.prepare<[], { sku: string }>("SELECT sku FROM products WHERE account = 'default' AND deleted = 0 AND variants IS NULL ORDER BY sku LIMIT 1").get();
  if (item) {
    const r = await createOrderDesk(sqliteSql(server.db)).place({
      account: accountId('default'), user: userId(star), channel: 'wechat', source: 'chat', items: [{ sku: item.sku, variant: null, quantity: 2 }],
      contact: { receiver: '李女士', phone: '13800138000', address: '上海市静安区南京西路1618号' }, remark: null, ref: null,
    });
    if (!r.ok) throw new Error(`placing the demo order: ${JSON.stringify(r)}`);
  }
  await new Promise((done) => setTimeout(done, 200)); // the answer log is written in the next group commit
}
