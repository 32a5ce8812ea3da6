import { describe, expect, it } from 'vitest';
import { createAnswerLog } from '../../src/db/answer-log.ts';
import { manualClock, sleep } from '../../src/core/clock.ts';
import { RUN_DB } from '../helpers/run-database.ts';
import { account, cardSkus, listedTitles, mockBot, PUBLIC } from './harness.ts';

const tight = {
  contact: { burst: 2, refillMs: 10_000 },
  room: { burst: 3, refillMs: 5_000 },
  bot: { burst: 6, refillMs: 3_000 },
};
// Generous limits for the first bot; the second one, for the rate limits, has tight ones.
const roomy = { burst: 1000, refillMs: 1 };
const bot = await mockBot({ channel: { limits: { contact: roomy, room: roomy, bot: roomy } } });
const answers = createAnswerLog(bot.running.sql);
/** The text the agent understood last (the answer log is written in the next group commit). */
async function lastUnderstood(): Promise<string | undefined> {
  await bot.running.shop.agent.drain();
  await sleep(20);
  return (await answers.recent(account, 1))[0]?.text;
}

describe('Wechaty channel with the mock puppet', () => {
  it('answers a product query in a private chat with a readable list and UrlLink cards for the first items', async () => {
    const alice = bot.person('Alice');
    alice.say('连衣裙').to(bot.me);
    const [list, ...cards] = await bot.waitFor(alice.id, 4);
    expect(list!.kind).toBe('text');
    const text = list!.kind === 'text' ? list!.text : '';
    expect(text).not.toContain('<a');
    expect(listedTitles(text)).toHaveLength(5);
    expect(text).toMatch(/^1\. 测试连衣裙 D\d\d ¥\d+/m);
    expect(text).toContain(`全部结果：在手机上查看 ${PUBLIC}/m/default/products`);
    expect(cards.map((c) => c.kind)).toEqual(['card', 'card', 'card']);
    expect(cards.map((c) => (c.kind === 'card' ? c.title : ''))).toEqual(listedTitles(text).slice(0, 3));
    for (const c of cards) expect(c.kind === 'card' && c.url).toMatch(new RegExp(`^${PUBLIC}/m/default/p/D\\d\\d$`));
  });

  it('sends a news reply (a number picking an item) as one UrlLink card', async () => {
    const bea = bot.person('Bea');
    bea.say('连衣裙').to(bot.me);
    const list = await bot.waitFor(bea.id, 4);
    bea.say('2').to(bot.me);
    const [card] = (await bot.waitFor(bea.id, 5)).slice(4);
    expect(card).toMatchObject({ kind: 'card', url: `${PUBLIC}/m/default/p/${cardSkus(list)[1]}` });
    expect(card!.kind === 'card' && card!.title).toContain(cardSkus(list)[1]);
  });

  it('answers a group message that @mentions the bot, in the group, mentioning the asker, without the mention in the text it understood', async () => {
    const bob = bot.person('Bob');
    const room = bot.group(bob);
    bob.say('@小逛\u2005连衣裙', [bot.me]).to(room);
    const [answer] = await bot.waitFor(room.id, 4);
    expect(answer).toMatchObject({ kind: 'text', mentions: [bob.id] });
    expect(answer!.kind === 'text' && listedTitles(answer!.text)).toHaveLength(5);
    expect(await lastUnderstood()).toBe('连衣裙');
  });

  it('ignores a group message that does not mention the bot', async () => {
    const carol = bot.person('Carol');
    const room = bot.group(carol);
    carol.say('连衣裙').to(room);
    carol.say('大家看看这条连衣裙').to(room);
    carol.say('@小逛 帮助', [bot.me]).to(room);
    const sent = await bot.waitFor(room.id, 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.kind === 'text' && sent[0]!.text).toContain('帮你');
  });

  it('continues a list with 「更多」 in a private chat, numbering on and repeating nothing', async () => {
    const dan = bot.person('Dan');
    dan.say('连衣裙').to(bot.me);
    const first = await bot.waitFor(dan.id, 4);
    dan.say('更多').to(bot.me);
    const second = (await bot.waitFor(dan.id, 8)).slice(4);
    const [t1, t2] = [first[0]!, second[0]!].map((s) => (s.kind === 'text' ? s.text : '')) as [string, string];
    expect(t2).toMatch(/^6\. /m);
    expect(listedTitles(t2).filter((t) => listedTitles(t1).includes(t))).toEqual([]);
    expect(cardSkus(second).filter((s) => cardSkus(first).includes(s))).toEqual([]);
  });

  it('answers one person\'s messages in order when they are typed in quick succession', async () => {
    const ada = bot.person('Ada');
    ada.say('连衣裙').to(bot.me);
    ada.say('更多').to(bot.me);
    const texts = (await bot.waitFor(ada.id, 8)).flatMap((s) => (s.kind === 'text' ? [s.text] : []));
    expect(texts[0]).toMatch(/^1\. /m);
    expect(texts[1]).toMatch(/^6\. /m);
  });

  it('keeps each person\'s list apart in a group: 「更多」 continues the asker\'s own list', async () => {
    const erin = bot.person('Erin');
    const frank = bot.person('Frank');
    const room = bot.group(erin, frank);
    erin.say('@小逛 连衣裙', [bot.me]).to(room);
    const first = await bot.waitFor(room.id, 4);
    frank.say('@小逛 更多', [bot.me]).to(room);
    const nothing = (await bot.waitFor(room.id, 5)).slice(4);
    expect(nothing[0]).toMatchObject({ kind: 'text', mentions: [frank.id] });
    expect(nothing[0]!.kind === 'text' && nothing[0]!.text).toContain('还没有可以翻页的结果');
    erin.say('@小逛 更多', [bot.me]).to(room);
    const more = (await bot.waitFor(room.id, 9)).slice(5);
    expect(more[0]!.kind === 'text' && more[0]!.text).toMatch(/^6\. /m);
    expect(cardSkus(more).filter((s) => cardSkus(first).includes(s))).toEqual([]);
  });

  it("never answers the bot's own messages, including its own replies echoed back by the puppet", async () => {
    const gus = bot.person('Gus');
    const before = bot.running.channel.stats.skipped.self ?? 0;
    bot.me.say('连衣裙').to(gus); // written from the account itself, e.g. on the phone
    gus.say('帮助').to(bot.me);
    await bot.waitFor(gus.id, 1);
    await sleep(50);
    expect(bot.sentTo(gus.id).filter((s) => s.kind === 'text')).toHaveLength(1);
    expect(bot.sentTo(gus.id).filter((s) => s.kind === 'card')).toHaveLength(0);
    // The own message and the echo of the answer were both seen and skipped.
    expect((bot.running.channel.stats.skipped.self ?? 0) - before).toBeGreaterThanOrEqual(2);
  });

  it('reads a shared location in a private chat as a location (nearby hotels), not as text', async () => {
    const hal = bot.person('Hal');
    const { mocker, me, running } = bot;
    const msg = mocker.MessageMock.create({
      id: `loc-${hal.id}`, talkerId: hal.id, listenerId: me.id, timestamp: Date.now(), type: running.bot.Message.Type.Location, text: '',
    });
    mocker.puppet.emit('message', { messageId: msg.id });
    const [answer] = await bot.waitFor(hal.id, 1);
    expect(answer!.kind).toBe('text');
    // The mock puppet's location: 东升乡人民政府(海淀区成府路45号).
    expect(await lastUnderstood()).toMatch(/^\[位置\] 东升乡人民政府/);
  });
});

describe('rate limits on a running bot', () => {
  it('skips what goes over a person\'s or a group\'s limit with a warning, and answers again once the bucket refills', async () => {
    const clock = manualClock(Date.now());
    const limited = await mockBot({ clock, channel: { limits: tight } });
    const ivy = limited.person('Ivy');
    for (const text of ['帮助', '连衣裙', '更多']) ivy.say(text).to(limited.me);
    await limited.waitFor(ivy.id, 5); // help, then the list (text + 3 cards); 「更多」 is over the limit
    await new Promise((r) => setTimeout(r, 50));
    await limited.running.channel.settle();
    expect(limited.sentTo(ivy.id).filter((s) => s.kind === 'text')).toHaveLength(2);
    expect(limited.running.channel.stats.limited).toEqual({ contact: 1 });
    const warning = limited.log.lines.find((l) => l.msg === 'rate limited: message skipped, not answered');
    expect(warning).toMatchObject({ level: 40, scope: 'contact', retryInS: 10 });
    expect(JSON.stringify(warning)).not.toContain(ivy.id); // ids are masked

    const [a, b, c, d] = ['Jo', 'Kim', 'Lu', 'Mo'].map((n) => limited.person(n)) as [typeof ivy, typeof ivy, typeof ivy, typeof ivy];
    const room = limited.group(a, b, c, d);
    for (const p of [a, b, c, d]) p.say('@小逛 帮助', [limited.me]).to(room);
    await limited.waitFor(room.id, 3);
    await new Promise((r) => setTimeout(r, 50));
    await limited.running.channel.settle();
    expect(limited.sentTo(room.id)).toHaveLength(3);
    expect(limited.running.channel.stats.limited).toEqual({ contact: 1, room: 1 });

    clock.advance(10_000);
    ivy.say('更多').to(limited.me);
    const after = await limited.waitFor(ivy.id, 9);
    expect(after[5]!.kind === 'text' && after[5]!.text).toMatch(/^6\. /m);
  });

  it('stops cleanly: answers under way finish, then the bot, the puppet and the database stop', async () => {
    const last = await mockBot({ channel: { sendGapMs: 50 } });
    const nia = last.person('Nia');
    nia.say('连衣裙').to(last.me);
    while (last.sentTo(nia.id).length === 0) await sleep(5);
    await last.running.stop(); // the text is out, the three cards are still to go
    expect(last.sentTo(nia.id).length).toBe(4);
    if (RUN_DB === 'sqlite') expect(last.running.db.open).toBe(false);
    else await expect(last.running.sql.get('SELECT 1 AS one')).rejects.toThrow(); // its pool has ended
    expect(last.running.bot.isLoggedIn).toBe(false);
    await last.running.stop(); // a second stop is harmless
  });
});
