import { describe, expect, it, onTestFinished } from 'vitest';
import { createAgent } from '../../src/agent/agent.ts';
import type { Step } from '../../src/agent/pipeline.ts';
import { builtinTemplates } from '../../src/agent/texts.ts';
import { accountId, userId, type Reply } from '../../src/core/messages.ts';
import { manualClock, sleep } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { inbound } from '../helpers/inbound.ts';
import { openRunDatabase, runDatabase, type RunDatabase } from '../helpers/run-database.ts';

const textOf = (r: Reply) => (r.type === 'text' ? r.text : `<${r.type}>`);

/**
 * The file's database, of the run's kind (a SQLite file, or a PostgreSQL database in the PostgreSQL pass), shared
 * by the tests — a new PostgreSQL database per test would take most of the file's time — and a second adapter on it,
 * as another process has. Each setup talks as a follower of its own, so no test sees another's rows.
 */
let shared: Promise<{ database: RunDatabase; sql: Sql }> | undefined;
const sharedDatabase = () =>
  (shared ??= (async () => {
    const database = await runDatabase();
    return { database, sql: (await openRunDatabase(database)).sql };
  })());
let second: Promise<Sql> | undefined;
/** Another connection to the file's database, as another process would have. */
const otherProcess = async () => (second ??= sharedDatabase().then(async ({ database }) => (await openRunDatabase(database)).sql));

/** Opens the file's database again, as a restarted process would; the caller closes it. */
const reopen = async (database: RunDatabase) => (await openDatabase(database.dbPath, { secretKey: database.env.GUANG_SECRET_KEY ?? null })).sql;

let followers = 0;

async function setup(skills: Step[] = []) {
  const { sql } = await sharedDatabase();
  const user = `o_user_${++followers}`;
  const clock = manualClock(Date.UTC(2026, 10, 1, 2));
  const agent = createAgent({ db: sql, clock, skills });
  onTestFinished(() => agent.stop());
  const subscribers = createSubscriberStore(sql);
  /** An inbound from this setup's follower. */
  const msg = (body: Parameters<typeof inbound>[0], meta: Parameters<typeof inbound>[1] = {}) => inbound(body, { user, ...meta });
  const say = async (t: string, from = user) => textOf(await (await agent.receive(msg({ kind: 'text', text: t }, { user: from }))).answer);
  return { user, msg, clock, agent, subscribers, say };
}

describe('built-in answers', () => {
  it('welcomes a new follower and records the QR scene they came through', async () => {
    const { user, msg, agent, subscribers } = await setup();
    const reply = await (await agent.receive(msg({ kind: 'follow', scene: 'store_12', ticket: 't' }))).answer;
    expect(textOf(reply)).toContain('谢谢关注');
    const s = (await subscribers.get(accountId('default'), userId(user)))!;
    expect(s.subscribed).toBe(true);
    expect(s.firstScene).toBe('store_12');
  });

  it('keeps the first QR scene when the follower later scans another code', async () => {
    const { user, msg, agent, subscribers } = await setup();
    await (await agent.receive(msg({ kind: 'follow', scene: 'a', ticket: null }))).answer;
    await (await agent.receive(msg({ kind: 'scan', scene: 'b', ticket: null }))).answer;
    const s = (await subscribers.get(accountId('default'), userId(user)))!;
    expect([s.firstScene, s.lastScene]).toEqual(['a', 'b']);
  });

  it('marks an unfollow and says nothing back', async () => {
    const { user, msg, agent, subscribers } = await setup();
    await (await agent.receive(msg({ kind: 'follow', scene: null, ticket: null }))).answer;
    const reply = await (await agent.receive(msg({ kind: 'unfollow' }))).answer;
    expect(reply.type).toBe('none');
    expect((await subscribers.get(accountId('default'), userId(user)))!.subscribed).toBe(false);
  });

  it('remembers the last location from a location report and from a location message', async () => {
    const { user, msg, agent, subscribers } = await setup();
    await (await agent.receive(msg({ kind: 'location_report', lat: 31.2, lng: 121.4, precision: 30 }))).answer;
    expect((await subscribers.get(accountId('default'), userId(user)))!.lastLocation).toMatchObject({ lat: 31.2, lng: 121.4 });
    await (await agent.receive(msg({ kind: 'location', lat: 39.9, lng: 116.4, scale: 15, label: '天安门' }))).answer;
    expect((await subscribers.get(accountId('default'), userId(user)))!.lastLocation).toMatchObject({ lat: 39.9, lng: 116.4 });
  });

  it.each(['帮助', '？', '?', ' 帮助！', 'HELP'])('answers %j with what the bot can do', async (t) => {
    const { say } = await setup();
    expect(await say(t)).toContain('找商品');
  });

  it('tells how to order and find one\'s orders in the help of a shop with products, and not in one without', () => {
    const shop = builtinTemplates('lively', { productRoots: ['彩妆'], hotelCity: null, dealCity: null, examples: ['彩妆'] }).help;
    expect(shop).toMatch(/下单：.*「买第1个」.*货到付款.*「我的订单」/);
    const hotelsOnly = builtinTemplates('lively', { productRoots: [], hotelCity: '上海', dealCity: null, examples: ['上海酒店'] }).help;
    expect(hotelsOnly).toContain('找酒店');
    expect(hotelsOnly).not.toContain('下单');
  });

  it('leaves the push opt-out out of the help in chats, where there are no pushes', async () => {
    const { agent } = await setup();
    const chat = { ...inbound({ kind: 'text', text: '帮助' }, { user: 'wechaty:c1' }), channel: 'wechaty' as const };
    const help = textOf(await (await agent.receive(chat)).answer);
    expect(help).toContain('找商品');
    expect(help).not.toContain('TD');
  });

  it('opts a follower out on TD and back in on 订阅, confirming each', async () => {
    const { user, say, subscribers } = await setup();
    const optedOut = async () => (await subscribers.get(accountId('default'), userId(user)))!.optedOut;
    expect(await say('TD')).toContain('已为你退订');
    expect(await optedOut()).toBe(true);
    expect(await say('退订')).toContain('已经退订');
    expect(await say('订阅')).toContain('订阅成功');
    expect(await optedOut()).toBe(false);
  });

  it.each(['我要退订', '退订吧', '不要再发了', '别再推送了', '请帮我退订', '不想收到推送', '取消推送', ' ＴＤ '])(
    'opts a follower out when they say it in their own words: %j',
    async (t) => {
      const { user, say, subscribers } = await setup();
      expect(await say(t)).toContain('已为你退订');
      expect((await subscribers.get(accountId('default'), userId(user)))!.optedOut).toBe(true);
    },
  );

  it.each(['我要订阅', '重新订阅', '恢复推送吧'])('opts a follower back in on %j', async (t) => {
    const { user, say, subscribers } = await setup();
    await say('TD');
    expect(await say(t)).toContain('订阅成功');
    expect((await subscribers.get(accountId('default'), userId(user)))!.optedOut).toBe(false);
  });

  it.each(['不要发货慢的', '退订的衣服', '订阅号推荐', '我不退订', '不要红色', '不用发了', '不要发', '别发了'])('does not take %j for an opt-out', async (t) => {
    const { user, say, subscribers } = await setup();
    expect(await say(t)).not.toContain('退订');
    expect((await subscribers.get(accountId('default'), userId(user)))?.optedOut ?? false).toBe(false);
  });

  it.each(['你好', '您好呀', '在吗', 'Hi', '晚上好～'])('greets back on %j and says what to try', async (t) => {
    const { say } = await setup();
    const answer = await say(t);
    expect(answer).toContain('女装');
    expect(answer).not.toContain('没听懂');
  });

  it.each(['不用发了', '别发了', '不要发'])('answers %j with how to stop pushes, opting nobody out', async (t) => {
    const { user, say, subscribers } = await setup();
    expect(await say(t)).toContain('回复「TD」');
    expect((await subscribers.get(accountId('default'), userId(user)))?.optedOut ?? false).toBe(false);
  });

  it.each(['谢谢', '多谢', '谢谢你～', '🙏'])('answers thanks on %j', async (t) => {
    const { say } = await setup();
    expect(await say(t)).toContain('不客气');
  });

  it.each(['好的', 'OK', '收到', '知道了', '哈哈', '👍', '👌👌'])('answers an acknowledgement %j without thanks or 「没听懂」', async (t) => {
    const { say } = await setup();
    const answer = await say(t);
    expect(answer).toContain('随时告诉');
    expect(answer).not.toMatch(/不客气|没听懂/);
  });

  it('does not take a question that starts with a greeting for small talk', async () => {
    const { say } = await setup();
    expect(await say('你好，有连衣裙吗')).not.toContain('在的');
  });

  it.each(['你能干嘛', '你会什么', '帮助一下', '有什么功能', '怎么用呀'])('answers %j with what the bot can do', async (t) => {
    const { say } = await setup();
    expect(await say(t)).toContain('找商品');
  });

  it('answers what it does not understand with a friendly nudge, and images with a hint to type', async () => {
    const { msg, agent, say } = await setup();
    expect(await say('asdfgh')).toContain('没听懂');
    const img = await (await agent.receive(msg({ kind: 'image', picUrl: 'http://x', mediaId: 'm' }))).answer;
    expect(textOf(img)).toContain('文字');
  });

  it('stays silent on events nobody handles', async () => {
    const { msg, agent } = await setup();
    const reply = await (await agent.receive(msg({ kind: 'menu_view', url: 'http://x' }))).answer;
    expect(reply.type).toBe('none');
  });

  it('runs skills after the built-ins and before the fallback', async () => {
    const echo: Step = (ctx, next) => (ctx.command.startsWith('echo ') ? ctx.answer({ type: 'text', text: ctx.command.slice(5) }, 'custom:echo') : next());
    const { say } = await setup([echo]);
    expect(await say('echo 女装')).toBe('女装');
    expect(await say('帮助')).toContain('找商品');
  });
});

describe('the last message time (the 48-hour window)', () => {
  const lastMessageAt = async (subscribers: Awaited<ReturnType<typeof setup>>['subscribers'], user: string) =>
    (await subscribers.get(accountId('default'), userId(user)))?.lastMessageAt ?? null;

  it('is recorded with the first message, and again once a minute has passed', async () => {
    const { user, say, clock, subscribers } = await setup();
    const first = clock.now();
    await say('你好');
    expect(await lastMessageAt(subscribers, user)).toBe(first);
    clock.advance(59_000);
    await say('更多');
    expect(await lastMessageAt(subscribers, user)).toBe(first);
    clock.advance(1_000);
    await say('2');
    expect(await lastMessageAt(subscribers, user)).toBe(first + 60_000);
  });

  it('is never later than the real last message, nor more than a minute older', async () => {
    const { user, say, clock, subscribers } = await setup();
    for (const gap of [0, 5_000, 30_000, 24_000, 1_000, 61_000, 0, 59_999, 2, 120_000, 7_000]) {
      clock.advance(gap);
      await say('更多');
      const stored = (await lastMessageAt(subscribers, user))!;
      expect(stored).toBeLessThanOrEqual(clock.now());
      expect(clock.now() - stored).toBeLessThan(60_000);
    }
  });

  it('is kept per follower', async () => {
    const { user, say, clock, subscribers } = await setup();
    await say('你好', `${user}_a`);
    clock.advance(10_000);
    await say('你好', `${user}_b`);
    expect([await lastMessageAt(subscribers, `${user}_a`), await lastMessageAt(subscribers, `${user}_b`)]).toEqual([clock.now() - 10_000, clock.now()]);
  });

  it('marks a follower following again when they write, whichever process saw them leave', async () => {
    const { user, msg, say, clock, subscribers } = await setup();
    const other = createAgent({ db: await otherProcess(), clock });
    onTestFinished(() => other.stop());
    await say('你好');
    clock.advance(1_000);
    // The other process sees the unfollow; the follow that came after it was lost.
    await (await other.receive(msg({ kind: 'unfollow' }))).answer;
    clock.advance(1_000);
    await say('女装');
    const s = (await subscribers.get(accountId('default'), userId(user)))!;
    expect(s.subscribed).toBe(true);
    expect(s.lastMessageAt).toBe(clock.now());
  });

  it('records the location of a location message sent right after a text one', async () => {
    const { user, msg, agent, say, clock, subscribers } = await setup();
    await say('酒店');
    clock.advance(2_000);
    await (await agent.receive(msg({ kind: 'location', lat: 31.2, lng: 121.4, scale: 15, label: '' }))).answer;
    const s = (await subscribers.get(accountId('default'), userId(user)))!;
    expect(s.lastLocation).toMatchObject({ lat: 31.2, lng: 121.4, at: clock.now() });
    expect(s.lastMessageAt).toBe(clock.now() - 2_000); // within the minute's resolution of the text before
  });
});

describe('retries of one delivery', () => {
  function counting(delayMs = 0) {
    let runs = 0;
    const step: Step = async (ctx, next) => {
      if (ctx.command !== 'count') return next();
      runs++;
      if (delayMs) await sleep(delayMs);
      ctx.answer({ type: 'text', text: `run ${runs}` }, 'custom:count');
    };
    return { step, runs: () => runs };
  }

  it('gives a retry of a handled message the stored answer without running it again', async () => {
    const c = counting();
    const { agent } = await setup([c.step]);
    const m = inbound({ kind: 'text', text: 'count' });
    const first = (await agent.receive(m));
    expect(textOf(await first.answer)).toBe('run 1');
    const retry = (await agent.receive(m));
    expect(retry.duplicate).toBe(true);
    expect(retry.attempt).toBe(2);
    expect(textOf(await retry.answer)).toBe('run 1');
    expect(c.runs()).toBe(1);
  });

  it('makes a retry of a message still being handled wait for that answer', async () => {
    const c = counting(100);
    const { agent } = await setup([c.step]);
    const m = inbound({ kind: 'text', text: 'count' });
    const first = (await agent.receive(m));
    const retry = (await agent.receive(m));
    expect(await Promise.all([first.answer, retry.answer])).toEqual([{ type: 'text', text: 'run 1' }, { type: 'text', text: 'run 1' }]);
    expect(c.runs()).toBe(1);
  });

  it('remembers handled messages across a restart (a new agent on the same file)', async () => {
    const c = counting();
    const { database } = await sharedDatabase();
    const m = inbound({ kind: 'text', text: 'count' });
    const db1 = await reopen(database);
    expect(textOf(await (await createAgent({ db: db1, skills: [c.step] }).receive(m)).answer)).toBe('run 1');
    await db1.close();
    const db2 = await reopen(database);
    const again = (await createAgent({ db: db2, skills: [c.step] }).receive(m));
    expect(again.duplicate).toBe(true);
    expect(textOf(await again.answer)).toBe('run 1');
    expect(c.runs()).toBe(1);
    await db2.close();
  });

  it('lets a retry in another process wait for the answer the first process is still working on', async () => {
    const slow = counting(150);
    const a = createAgent({ db: (await sharedDatabase()).sql, skills: [slow.step] });
    const b = createAgent({ db: await otherProcess(), skills: [slow.step] });
    const m = inbound({ kind: 'text', text: 'count' });
    const first = (await a.receive(m));
    const retry = (await b.receive(m));
    expect(retry.duplicate).toBe(true);
    expect(textOf(await retry.answer)).toBe('run 1');
    expect(textOf(await first.answer)).toBe('run 1');
    expect(slow.runs()).toBe(1);
  });

  it('takes over a message whose first handler died before answering', async () => {
    const c = counting();
    const dead = await otherProcess();
    const clock = manualClock(Date.UTC(2026, 10, 1));
    const m = inbound({ kind: 'text', text: 'count' });
    // A process claims the message and dies: the claim stays pending.
    await dead.run(`INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at)
                  VALUES ('default', ?, 'pending', 'dead-process', ?, ?)`, [m.dedupKey, clock.now(), clock.now()]);
    clock.advance(30_000);
    const agent = createAgent({ db: (await sharedDatabase()).sql, clock, skills: [c.step], dedup: { staleMs: 20_000 } });
    expect(textOf(await (await agent.receive(m)).answer)).toBe('run 1');
    expect(c.runs()).toBe(1);
  });

  it('does not run side effects again for a retry after the handler failed', async () => {
    let runs = 0;
    const boom: Step = () => {
      runs++;
      throw new Error('boom');
    };
    const { agent } = await setup([boom]);
    const m = inbound({ kind: 'text', text: 'anything' });
    await expect((await agent.receive(m)).answer).rejects.toThrow('boom');
    expect((await (await agent.receive(m)).answer).type).toBe('none');
    expect(runs).toBe(1);
  });

  it('keeps a 64-bit MsgId exact as the dedup key', async () => {
    const c = counting();
    const { msg, agent } = await setup([c.step]);
    await (await agent.receive(msg({ kind: 'text', text: 'count' }, { dedupKey: '6054768590064713728' }))).answer;
    const other = (await agent.receive(msg({ kind: 'text', text: 'count' }, { dedupKey: '6054768590064713729' })));
    expect(other.duplicate).toBe(false);
    await other.answer;
    expect(c.runs()).toBe(2);
  });
});
