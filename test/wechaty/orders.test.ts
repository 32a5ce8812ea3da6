/**
 * Ordering in a Wechaty group on the mock puppet: an order placed in a group whose leader (团长) is set records
 * that leader as its referrer; in a private chat, nobody. The bot is stopped after the file's tests (harness).
 */
import { describe, expect, it } from 'vitest';
import { chatUser } from '../../src/channels/wechaty/inbound.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { account, cardSkus, mockBot, type Sent } from './harness.ts';

const bot = await mockBot();
const desk = createOrderDesk(bot.running.sql);
await desk.referrers.save(account, { code: 'wangjie', name: '王姐', kind: 'leader' });

const textOf = (s: Sent | undefined): string => (s?.kind === 'text' ? s.text : '');

describe('orders in Wechaty', () => {
  it('records the group\'s leader as the referrer of an order placed in the group, and masks the phone there', async () => {
    const bob = bot.person('Bob');
    const room = bot.group(bob);
    await desk.referrers.setGroupLeader(account, room.id, 'wangjie');
    let seen = 0;
    const say = async (words: string, answers = 1): Promise<Sent[]> => {
      bob.say(`@小逛\u2005${words}`, [bot.me]).to(room);
      const sent = (await bot.waitFor(room.id, seen + answers)).slice(seen);
      seen += answers;
      return sent;
    };
    const list = await say('连衣裙', 4);
    expect(textOf((await say('买第2个'))[0])).toContain('请发我收货人、手机号和收货地址');
    const summary = textOf((await say('张三 13800138000 上海市浦东新区世纪大道100号'))[0]);
    expect(summary).toContain('请核对订单');
    expect(summary).toContain('138****8000');
    expect(summary).not.toContain('13800138000');
    const done = textOf((await say('确认'))[0]);
    expect(done).toContain('下单成功');
    const [order] = await desk.orders.ofFollower(account, chatUser(bob.id, room.id));
    expect(order).toMatchObject({ channel: 'wechaty', source: 'chat', referrer: 'wangjie', query: '连衣裙', items: [{ sku: cardSkus(list)[1], quantity: 1 }] });
    expect(done).toContain(`订单号 ${order!.id}`);
  });

  it('records no referrer for an order placed in a private chat', async () => {
    const cara = bot.person('Cara');
    let seen = 0;
    const say = async (words: string, answers = 1): Promise<Sent[]> => {
      cara.say(words).to(bot.me);
      const sent = (await bot.waitFor(cara.id, seen + answers)).slice(seen);
      seen += answers;
      return sent;
    };
    const list = await say('连衣裙', 4);
    await say('买第1个');
    await say('李四 13912345678 北京市朝阳区建国路88号');
    expect(textOf((await say('确认'))[0])).toContain('下单成功');
    const [order] = await desk.orders.ofFollower(account, chatUser(cara.id, null));
    expect(order).toMatchObject({ channel: 'wechaty', referrer: null, items: [{ sku: cardSkus(list)[0] }] });
  });
});
