/**
 * Order notices said by the Wechaty bot (the mock puppet): a group-buy leader who is a Wechaty contact is told of
 * the order their group placed; a buyer from a Wechaty chat is told their order shipped. The server's notices are
 * not the bot's: it leaves them in the outbox.
 */
import { describe, expect, it } from 'vitest';
import { userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { createRecipientStore } from '../../src/orders/notices/recipients.ts';
import { account, mockBot } from './harness.ts';

const bot = await mockBot();
const { sql } = bot.running;
const desk = createOrderDesk(sql);

const notices = (orderId: number) => sql.all<{ audience: string; via: string; status: string }>(
  'SELECT audience, via, status FROM order_notices WHERE order_id = ? ORDER BY id', [orderId]);

describe('notices through the Wechaty bot', () => {
  it('tells the group\'s leader of an order placed in their group, with the phone masked; the staff notice stays for the server', async () => {
    const leader = bot.person('王姐');
    const buyer = bot.person('Dora');
    const room = bot.group(leader, buyer);
    await desk.referrers.save(account, { code: 'wangjie', name: '王姐', kind: 'leader', wechaty_contact: leader.id });
    await desk.referrers.setGroupLeader(account, room.id, 'wangjie');
    await createRecipientStore(sql).add(account, { openid: 'o-staff-wechaty-1', name: '小王', store_id: null });
    const r = await desk.place({
      account, user: userId(buyer.id), channel: 'wechaty', source: 'chat', roomId: room.id, items: [{ sku: 'D01', variant: null, quantity: 3 }],
      contact: { receiver: '多拉', phone: '13700137000', address: '杭州市西湖区文三路100号' }, remark: null,
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.order.referrer).toBe('wangjie');
    await bot.running.notices.tick();
    const [said] = await bot.waitFor(leader.id, 1);
    expect(said).toMatchObject({ kind: 'text' });
    const text = said!.kind === 'text' ? said!.text : '';
    expect(text).toContain(`【您推荐的新订单】订单 ${r.order.id}`);
    expect(text).toContain('测试连衣裙 D01 ×3');
    expect(text).toContain('137****7000');
    expect(text).not.toContain('13700137000');
    expect(await notices(r.order.id)).toEqual([
      { audience: 'staff', via: 'customer_service', status: 'pending' },
      { audience: 'referrer', via: 'wechaty', status: 'sent' },
    ]);
  });

  it('tells a buyer from a Wechaty chat that their order shipped', async () => {
    const buyer = bot.person('Eve');
    const r = await desk.place({
      account, user: userId(buyer.id), channel: 'wechaty', source: 'chat', items: [{ sku: 'D02', variant: null, quantity: 1 }],
      contact: { receiver: '伊娃', phone: '13600136000', address: '广州市天河区体育西路1号' }, remark: null,
    });
    if (!r.ok) throw new Error(r.reason);
    await desk.act(account, r.order.id, { kind: 'ship', carrier: '顺丰', trackingNo: 'SF42' }, { kind: 'staff', name: 'owner' });
    await bot.running.notices.tick();
    const [said] = await bot.waitFor(buyer.id, 1);
    expect(said!.kind === 'text' && said!.text).toContain('已发货：顺丰，快递单号 SF42');
  });
});
