/**
 * 「人工」 and complaints at the agent: the real shop agent over the demo data and a real database (the run's kind). On the
 * official account with the hand-off on, the reply hands the follower to the customer-service staff (rendered as
 * transfer_customer_service, nothing else in it); in a Wechaty chat, which has no such staff, the text answers
 * (and does not claim a transfer);
 * the answer log keeps who asked, how it was handled and the topic; in the middle of an order 「人工」 is a wish
 * for a person, not the receiver's name, and the order still waits.
 */
import { describe, expect, it } from 'vitest';
import { createShopAgent } from '../../src/app/shop-agent.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { renderReply } from '../../src/channels/wechat/xml.ts';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId, type Channel, type Reply } from '../../src/core/messages.ts';
import { createServiceSettingsStore } from '../../src/merchant/service/answers.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { openRunDatabase, runDatabase } from '../helpers/run-database.ts';

const account = accountId('default');
const { sql: db } = await openRunDatabase(await runDatabase());
await seedDemoData(db, account);
const clock = manualClock(Date.parse('2026-10-01T10:00:00+08:00'));
// What is answered, not how fast: a turn on a loaded machine (CI runs two forks beside PostgreSQL) must not be cut off
// by the 300 ms turn budget and answered by the fallback (as test/eval/runner.ts); and the indexes are loaded first,
// as the server waits for them (CI once saw a plain text where the transfer was due, on PostgreSQL).
const { agent, stop, ready } = createShopAgent({
  db, clock, pollMs: 0, merchantPollMs: 0, budget: { ms: 60_000 }, publicBase: () => 'https://shop.example.com',
});
await ready;
const service = createServiceSettingsStore(db, clock);
atFileEnd(() => stop());

async function send(user: string, text: string, channel: Channel = 'wechat'): Promise<Reply> {
  clock.advance(1000);
  const id = `${user}-${clock.now()}`;
  const reply = await (await agent.receive({ channel, account, user: userId(user), createdAt: clock.now() / 1000, dedupKey: id, msgId: id, kind: 'text', text, viaVoice: false })).answer;
  await agent.drain();
  return reply;
}

const logged = (user: string) =>
  db.all<{ text: string; intent: string; slots: string; answered_by: string }>('SELECT text, intent, slots, answered_by FROM answer_log WHERE user_id = ? ORDER BY id', [user]);

describe('handing a follower to a person', () => {
  it('hands 人工 to the customer-service staff on the official account, and records it', async () => {
    await service.update(account, { human_transfer: true });
    const reply = await send('o_handoff_1', '转人工');
    expect(reply).toMatchObject({ type: 'text', transfer: true });
    const xml = renderReply(reply, { toUser: 'o_handoff_1', fromAccount: 'gh_test', createdAt: 1_700_000_000, toUserMessage: true })!;
    expect(xml).toContain('<MsgType><![CDATA[transfer_customer_service]]></MsgType>');
    expect(xml).not.toContain('<Content>');
    expect(await logged('o_handoff_1')).toEqual([{ text: '转人工', intent: 'service', slots: '{"topic":"human","handoff":"transfer"}', answered_by: 'service_handoff' }]);
  });

  it('answers with the text in a Wechaty chat, where there is no customer-service staff to hand to', async () => {
    const reply = await send('wxid_chat_1', '人工客服', 'wechaty');
    // The hand-off is on, but a Wechaty chat has no staff to hand to: the default does not say 正在转接.
    expect(reply).toEqual({ type: 'text', text: expect.stringContaining('客服上班后会尽快在这里回复你') });
    await service.update(account, { human_transfer: false, answers: { human: '客服每天 9:00–21:00 在线，会尽快回复你。' } });
    expect(await send('wxid_chat_1', '人工客服', 'wechaty')).toEqual({ type: 'text', text: '客服每天 9:00–21:00 在线，会尽快回复你。' });
    expect(await send('o_handoff_2', '有人吗')).toEqual({ type: 'text', text: '客服每天 9:00–21:00 在线，会尽快回复你。' });
  });

  it('flags a long complaint, handed over too when the hand-off is on', async () => {
    await service.update(account, { human_transfer: true, answers: { human: null } });
    const complaint = '买的鞋子穿了一天就开胶了，质量太差了，客服一直不回复，我要求退货退款，不处理的话我就去12315投诉，再给你们差评，说到做到。';
    expect(await send('o_handoff_3', complaint)).toMatchObject({ type: 'text', transfer: true });
    expect(await send('wxid_chat_2', complaint, 'wechaty')).toMatchObject({ type: 'text', text: expect.stringContaining('非常抱歉') });
    expect((await logged('o_handoff_3'))[0]).toMatchObject({ intent: 'service', answered_by: 'service_flagged', slots: '{"topic":"complaint","handoff":"transfer"}' });
    await service.update(account, { human_transfer: false });
  });

  it('drops a link in the merchant\'s answer that is not http(s), as rule replies do', async () => {
    await service.update(account, { answers: { authenticity: '<a href="javascript:alert(1)">点我</a>看<a href="https://shop.example.com/cert">正品证书</a>' } });
    expect(await send('o_handoff_5', '是正品吗')).toEqual({ type: 'text', text: '点我看<a href="https://shop.example.com/cert">正品证书</a>' });
    await service.update(account, { answers: { authenticity: null } });
  });

  it('takes 人工 in the middle of an order as a wish for a person, and the order still waits', async () => {
    const user = 'o_handoff_4';
    await send(user, '连衣裙');
    expect(JSON.stringify(await send(user, '买第1个'))).toContain('要哪个');
    const reply = await send(user, '人工');
    expect(reply.type === 'text' && reply.text).toContain('已经帮你转告人工客服');
    // The reminder of the order waiting follows the answer, and the order goes on where it was.
    expect(reply.type === 'text' && reply.text).toContain('刚才的订单还在等您选规格：S / M / L / XL');
    expect(JSON.stringify(await send(user, 'M'))).toMatch(/收货人|手机号|地址/);
  });
});
