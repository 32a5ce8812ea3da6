/**
 * Orders for the console's 订单 screenshots: a few followers come through 静安寺店's QR code (the webhook), and
 * their orders, placed over the last two days through the order desk from the demo catalogue, are confirmed,
 * shipped, delivered or cancelled by a staff member, so the list has every status and an order has a history.
 */
import type { RunningServer } from '../src/app/server.ts';
import type { WechatPlayer } from '../src/channels/wechat/player.ts';
import { manualClock } from '../src/core/clock.ts';
import { accountId, userId } from '../src/core/messages.ts';
import { createOrderDesk } from '../src/orders/desk.ts';
import type { OrderAction } from '../src/orders/model.ts';
import { sqliteSql } from '../src/db/sql/sqlite.ts';

const BUYERS = [
  { user: 'o_shop_buyer_1', receiver: '陈晓雯', phone: '13816881234', address: '上海市静安区南京西路1601号 5楼', remark: '工作日白天送' },
  { user: 'o_shop_buyer_2', receiver: '刘洋', phone: '13917202468', address: '上海市长宁区愚园路1088弄 12号' },
  { user: 'o_shop_buyer_3', receiver: '王芳', phone: '15000135790', address: '上海市徐汇区衡山路88号' },
  { user: 'o_shop_buyer_4', receiver: '赵磊', phone: '18621003344', address: '北京市朝阳区建国路93号' },
  { user: 'o_shop_buyer_5', receiver: '孙悦', phone: '13661208899', address: '上海市黄浦区淮海中路300号', remark: '请放快递柜' },
];

/** Places the orders; answers the number of the shipped one (its page is the 订单详情 screenshot). */
export async function seedOrders(server: RunningServer, player: WechatPlayer): Promise<number> {
  for (const [i, b] of BUYERS.entries()) {
    if (i < 3) await player.event(b.user, 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 'shots', CreateTime: 1_800_000_000 + i });
    await player.text(b.user, '连衣裙');
  }
  const products = server.db.prepare(
    "SELECT sku, variants FROM products WHERE account = 'default' AND deleted = 0 AND off_sale = 0 AND (stock IS NULL OR stock > 10) ORDER BY sku LIMIT 6",
  ).all() as { sku: string; variants: string | null }[];
  const item = (n: number, quantity = 1) => {
    const p = products[n % products.length]!;
    const variants = p.variants ? (JSON.parse(p.variants) as string[]) : [];
    return { sku: p.sku, variant: variants[n % Math.max(variants.length, 1)] ?? null, quantity };
  };
  const clock = manualClock(Date.now() - 2 * 86_400_000);
  const desk = createOrderDesk(sqliteSql(server.db), { clock });
  const staff = { kind: 'staff', name: 'shots-owner' } as const;
  const plan: { buyer: number; items: ReturnType<typeof item>[]; moves: OrderAction[] }[] = [
    { buyer: 3, items: [item(0)], moves: [{ kind: 'confirm' }, { kind: 'ship', carrier: '中通', trackingNo: 'ZT7788990011' }, { kind: 'deliver' }] },
    { buyer: 1, items: [item(1, 2)], moves: [{ kind: 'cancel', reason: '顾客改买其他款' }] },
    { buyer: 0, items: [item(2), item(3, 2)], moves: [{ kind: 'confirm' }, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF1402883571' }] },
    { buyer: 4, items: [item(4)], moves: [{ kind: 'confirm' }] },
    { buyer: 2, items: [item(5, 3)], moves: [] },
    { buyer: 1, items: [item(0), item(2)], moves: [] },
  ];
  let shipped = 0;
  for (const o of plan) {
    clock.advance(5 * 3600_000);
    const b = BUYERS[o.buyer]!;
    const r = await desk.place({
      account: accountId('default'), user: userId(b.user), channel: 'wechat', source: o.buyer % 2 ? 'page' : 'chat', items: o.items,
      contact: { receiver: b.receiver, phone: b.phone, address: b.address }, remark: b.remark ?? null,
    });
    if (!r.ok) throw new Error(`placing a screenshot order: ${JSON.stringify(r)}`);
    for (const move of o.moves) {
      clock.advance(40 * 60_000);
      await desk.act(r.order.account, r.order.id, move, staff);
    }
    if (o.moves.at(-1)?.kind === 'ship') shipped = r.order.id;
  }
  return shipped;
}
