/**
 * The stores every message passes through, on both databases and with several instances on one database
 * (issue 18): the dedup claim, the conversation session, the follower record, the webhook's replay record,
 * process liveness and the answer log — and the agent itself, with three instances taking one delivery.
 */
import { describe, expect, it, vi } from 'vitest';
import { createAgent } from '../../src/agent/agent.ts';
import type { Step } from '../../src/agent/pipeline.ts';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId, type Reply } from '../../src/core/messages.ts';
import { createAnswerLog } from '../../src/db/answer-log.ts';
import { createHandledMessageStore } from '../../src/db/handled-messages.ts';
import { createLiveness } from '../../src/db/liveness.ts';
import { createSessionStore } from '../../src/db/sessions.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { createWebhookRequestStore } from '../../src/db/webhook-requests.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';
import { inbound } from '../helpers/inbound.ts';

const A = accountId('default');
const T0 = Date.UTC(2026, 11, 4, 2);

describe.each(DATABASES)('the hot path on $name', (database) => {
  /** Three instances on one database. */
  const opened = openAll(database, { instances: 3 });

  it.skipIf(database.skip)('claims a delivery once across instances, counts every retry, and delivers its answer once', async () => {
    const stores = opened.instances.map(createHandledMessageStore);
    const claims = await Promise.all(stores.map((s, i) => s.claim(A, 'msg-1', `owner-${i}`, T0)));
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    const attempts = claims.flatMap((c) => (c.claimed ? [] : [c.record.attempts])).sort();
    expect(attempts).toEqual([2, 3]);
    const reply: Reply = { type: 'text', text: '有这些女装' };
    await stores[1]!.answered(A, 'msg-1', reply, T0 + 5);
    expect(await stores[2]!.get(A, 'msg-1')).toMatchObject({ status: 'answered', reply, attempts: 3, createdAt: T0 });
    const marks = await Promise.all(stores.map((s, i) => s.delivered(A, 'msg-1', i === 0 ? 'passive' : 'customer_service')));
    expect(marks.filter(Boolean)).toHaveLength(1);
    expect((await stores[0]!.get(A, 'msg-1'))?.delivered).not.toBeNull();
  });

  it.skipIf(database.skip)('lets one instance take over an orphaned claim, and closes what nobody will answer', async () => {
    const stores = opened.instances.map(createHandledMessageStore);
    await stores[0]!.claim(A, 'msg-2', 'dead:1:x', T0);
    const stale = { owner: 'dead:1:x', updatedAt: T0 };
    const won = await Promise.all(stores.map((s, i) => s.takeOver(A, 'msg-2', stale, `owner-${i}`, T0 + 100)));
    expect(won.filter(Boolean)).toHaveLength(1);
    await stores[0]!.claim(A, 'msg-3', 'dead:1:x', T0 + 1);
    expect((await stores[1]!.pending()).map((p) => p.key)).toEqual(['msg-2', 'msg-3']);
    expect(await stores[1]!.abandon(A, 'msg-3', 'someone-else', T0 + 50)).toBe(false);
    expect(await stores[1]!.abandon(A, 'msg-3', 'dead:1:x', T0 + 50)).toBe(true);
    expect(await stores[2]!.get(A, 'msg-3')).toMatchObject({ status: 'failed' });
    expect(await stores[0]!.prune(T0 + 1)).toBe(2); // msg-1 and msg-2, claimed at T0
    expect(await stores[0]!.get(A, 'msg-1')).toBeNull();
  });

  it.skipIf(database.skip)('keeps a session until it expires, writes an unchanged one only after a minute, and forgets it', async () => {
    const [s1, s2] = opened.instances.map((s) => createSessionStore<{ shown: string }>(s, 30 * 60_000));
    const user = userId('o_session');
    const updatedAt = async () => (await opened.sql.get<{ updated_at: number }>('SELECT updated_at FROM sessions WHERE user_id = ?', [user]))?.updated_at;
    await s1!.save(A, user, { shown: '女装' }, T0);
    await s2!.save(A, user, { shown: '女装' }, T0 + 30_000);
    expect(await updatedAt()).toBe(T0);
    await s2!.save(A, user, { shown: '连衣裙' }, T0 + 40_000);
    expect(await updatedAt()).toBe(T0 + 40_000);
    expect(await s1!.get(A, user, T0 + 41_000)).toEqual({ shown: '连衣裙' });
    expect(await s1!.get(A, user, T0 + 40_000 + 30 * 60_000)).toBeNull();
    expect(await s2!.prune(T0 + 40_000 + 30 * 60_000)).toBe(1);
    await s1!.save(A, user, { shown: '女装' }, T0);
    await s2!.forget(A, user);
    expect(await s1!.get(A, user, T0)).toBeNull();
  });

  it.skipIf(database.skip)('records a follower in one row whichever instances write at once', async () => {
    const [a, b] = opened.instances.map(createSubscriberStore);
    const who = { account: A, user: userId('o_follower') };
    await Promise.all([a!.followed(who, 'store_1', T0), b!.messaged(who, T0)]);
    await b!.scanned(who, 'store_2', T0 + 1);
    await a!.located(who, 31.2, 121.4, T0 + 2);
    expect(await b!.get(A, who.user)).toMatchObject({
      subscribed: true, optedOut: false, firstScene: 'store_1', lastScene: 'store_2', lastMessageAt: T0, lastLocation: { lat: 31.2, lng: 121.4, at: T0 + 2 },
    });
    await b!.messaged(who, T0 + 59_000); // within the minute's resolution: not moved
    expect((await a!.get(A, who.user))?.lastMessageAt).toBe(T0);
    await b!.messaged(who, T0 + 60_000);
    expect((await a!.get(A, who.user))?.lastMessageAt).toBe(T0 + 60_000);
    await a!.setOptedOut(who, true, T0 + 3);
    await b!.unfollowed(who, T0 + 4);
    expect(await a!.get(A, who.user)).toMatchObject({ subscribed: false, optedOut: true, firstScene: 'store_1' });
    await a!.messaged(who, T0 + 61_000); // only a follower can write: following again
    expect((await b!.get(A, who.user))?.subscribed).toBe(true);
    expect((await opened.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM subscribers WHERE user_id = ?', [who.user]))?.n).toBe(1);
  });

  it.skipIf(database.skip)('refuses a replayed request with another body on any instance, takes the platform\'s exact retry', async () => {
    const [a, b] = opened.instances.map(createWebhookRequestStore);
    expect(await a!.admit(A, 1_000, 'sig-1', 'body-1')).toBe(true);
    expect(await b!.admit(A, 1_000, 'sig-1', 'body-1')).toBe(true);
    expect(await b!.admit(A, 1_000, 'sig-1', 'body-2')).toBe(false);
    expect(await a!.admit(accountId('shop2'), 1_000, 'sig-1', 'body-2')).toBe(true);
    for (let i = 0; i < 3; i++) await a!.admit(A, 500 + i, `old-${i}`, 'b');
    expect(await b!.prune(502)).toBe(2);
    expect(await a!.admit(A, 1_000, 'sig-1', 'body-2')).toBe(false);
  });

  it.skipIf(database.skip)('sees another instance alive while its lease runs, gone once it lapses or it stops', async () => {
    const clock = manualClock(T0);
    const one = createLiveness(opened.instances[0]!, { clock, owner: 'elsewhere:1:a', leaseMs: 4_000 });
    const two = createLiveness(opened.instances[1]!, { clock, owner: 'elsewhere:2:b', leaseMs: 4_000 });
    expect(await two.isGone('elsewhere:1:a')).toBe(true); // never announced
    await one.beat();
    expect(await two.isGone('elsewhere:1:a')).toBe(false);
    clock.advance(4_000);
    expect(await two.isGone('elsewhere:1:a')).toBe(true);
    await one.beat();
    expect(await two.isGone('elsewhere:1:a')).toBe(false);
    await one.forget();
    expect(await two.isGone('elsewhere:1:a')).toBe(true);
  });

  it.skipIf(database.skip)('logs answers with their slots and results, newest first', async () => {
    const log = createAnswerLog(opened.instances[1]!);
    const base = { account: A, user: userId('o_log'), channel: 'wechat' as const, answeredBy: 'products' as const, latencyMs: 1.25 };
    await log.record({ ...base, text: '女装', intent: 'product', slots: { categories: ['女装'], price: null }, resultIds: ['P1', 'P2'], at: T0 });
    await log.record({ ...base, text: '嗯嗯', intent: null, slots: null, resultIds: [], at: T0 + 1 });
    expect(await createAnswerLog(opened.instances[2]!).recent(A, 2)).toEqual([
      { text: '嗯嗯', intent: null, slots: null, resultIds: [], answeredBy: 'products', latencyMs: 1.25 },
      { text: '女装', intent: 'product', slots: { categories: ['女装'] }, resultIds: ['P1', 'P2'], answeredBy: 'products', latencyMs: 1.25 },
    ]);
  });

  it.skipIf(database.skip)('answers one delivery reaching three instances once: one handling, the same answer for all', async () => {
    let handled = 0;
    const slow: Step = async (ctx, next) => {
      if (ctx.command !== '慢慢来') return next();
      handled++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      ctx.answer({ type: 'text', text: `第${handled}次处理` }, 'custom:slow');
    };
    const agents = opened.instances.map((db, i) => createAgent({ db, skills: [slow], dedup: { heartbeatMs: 50 }, budget: { ms: 60_000 } }));
    const message = inbound({ kind: 'text', text: '慢慢来' }, { user: 'o_three', dedupKey: 'three-deliveries' });
    const turns = await Promise.all(agents.map((agent) => agent.receive(message)));
    const answers = await Promise.all(turns.map((t) => t.answer));
    expect(handled).toBe(1);
    expect(answers).toEqual([answers[0], answers[0], answers[0]]);
    expect(answers[0]).toEqual({ type: 'text', text: '第1次处理' });
    expect(turns.filter((t) => !t.duplicate)).toHaveLength(1);
    // The answer log is written after the answer, not before it.
    await vi.waitFor(async () => expect((await opened.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM answer_log WHERE user_id = 'o_three'"))?.n).toBe(1));
    for (const agent of agents) await agent.stop();
  });
});
