/**
 * Trying the bot from the console, over a real server: the dry run (`testRule`) answers as the webhook would and
 * leaves nothing behind; the test follower's chat (`chatAsFollower`) goes through the live pipeline, keeps its
 * conversation, and stays out of the reports, the rule hits and the broadcast audience.
 */
import { describe, expect, it } from 'vitest';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const s = await adminServer({ demo: true });
const text = (t: string) => ({ type: 'text', text: t });
/** A rule's reply as rules are written. */
const says = (t: string) => ({ type: 'text', content: t });

/** Everything a dry run could leave behind: rule hits, the answer log, sessions, subscribers, handled messages, the audit log. */
async function footprint(): Promise<Record<string, number>> {
  const number = async (text: string) => (await s.server.sql.get<{ n: number }>(text))!.n;
  const counts = await Promise.all(['answer_log', 'sessions', 'subscribers', 'handled_messages', 'audit_log'].map(async (t) => [t, await number(`SELECT count(*) AS n FROM ${t}`)] as const));
  return { hits: await number('SELECT coalesce(sum(hits), 0) AS n FROM rule_hits'), ...Object.fromEntries(counts) };
}

describe('POST /api/rules/test (testRule)', () => {
  it('answers as the webhook does, names the rule, and saves nothing', async () => {
    const rule = await s.api('POST', '/rules', { name: '优惠券规则', match: 'contains', keywords: ['优惠券'], replies: [says('本周满 100 减 20'), says('还有新人券')], reply_mode: 'all' });
    expect(rule.status).toBe(201);
    // A session of the follower, so a change to it would show.
    expect(await s.say('o_dry_1', '女装')).toMatch(/^为你找到「女装」/);
    const before = await footprint();

    const r = await s.api('POST', '/rules/test', { text: '有优惠券吗', follower: 'o_dry_1' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      answered_by: `rule:${rule.body.id}`, rule: { id: rule.body.id, name: '优惠券规则' },
      reply: text('本周满 100 减 20'), follow_ups: [text('还有新人券')], follower: 'o_dry_1',
      candidates: [{ rule: { id: rule.body.id, name: '优惠券规则' }, keyword: '优惠券', status: 'answers' }],
    });
    expect(r.body.explanation[0]).toMatch(/^Answered by rule #\d+ 「优惠券规则」/);
    // The console asks for Chinese: the same explanation, in Chinese.
    const zh = await s.api('POST', '/rules/test', { text: '有优惠券吗', follower: 'o_dry_1' }, { headers: { 'accept-language': 'zh-CN' } });
    expect(zh.body.explanation[0]).toBe(`由规则 #${rule.body.id}「优惠券规则」（包含 「优惠券」，优先级 0，2 条回复，全部发送）回答。`);
    expect(zh.body.explanation.at(-1)).toMatch(/^（试运行于北京时间 .*没有保存也没有发送任何内容。）$/);
    // The follower's conversation is used: 「更多」 pages the search they made through the webhook.
    const more = await s.api('POST', '/rules/test', { text: '更多', follower: 'o_dry_1' });
    expect(more.body.answered_by).toMatch(/^more/);
    const product = await s.api('POST', '/rules/test', { text: '女装' });
    expect(product.body).toMatchObject({ answered_by: 'products', rule: null, intent: 'product', reply: { type: 'text' } });
    expect(product.body.follower).toBe('console-token');

    expect(await footprint()).toEqual(before);
    // And the webhook answers the same.
    expect(await s.say('o_dry_2', '有优惠券吗')).toBe('本周满 100 减 20');
  });

  it('tests active hours at the time given, and events', async () => {
    const night = await s.api('POST', '/rules', { name: '夜间客服', match: 'exact', keywords: ['客服'], replies: [says('客服已下班')], active_hours: { from: '22:00', to: '08:00' } });
    expect(night.status).toBe(201);
    const atNight = await s.api('POST', '/rules/test', { text: '客服', at: '2027-03-01T23:30:00+08:00' });
    expect(atNight.body).toMatchObject({ answered_by: `rule:${night.body.id}`, reply: text('客服已下班'), at: '2027-03-01T15:30:00.000Z' });
    const atNoon = await s.api('POST', '/rules/test', { text: '客服', at: '2027-03-01 12:00' });
    expect(atNoon.body.answered_by).not.toBe(`rule:${night.body.id}`);
    expect(atNoon.body.candidates).toEqual([expect.objectContaining({ status: 'outside_hours' })]);
    const atNoonZh = await s.api('POST', '/rules/test', { text: '客服', at: '2027-03-01 12:00' }, { headers: { 'accept-language': 'zh-CN' } });
    expect(atNoonZh.body.explanation).toContain(`  规则 #${night.body.id}「夜间客服」（完全匹配 「客服」，优先级 0，生效时间 22:00–08:00，1 条回复，全部发送）：匹配，但现在不在它的生效时间内。`);

    const follow = await s.api('POST', '/rules/test', { event: 'follow' });
    expect(follow.body).toMatchObject({ answered_by: 'welcome', reply: { type: 'text' } });
    const click = await s.api('POST', '/rules/test', { event: 'click', key: 'NO_SUCH_KEY' });
    expect(click.body).toMatchObject({ answered_by: 'fallback', reply: { type: 'none' } });
  });

  it('refuses what is not a message, field by field, in Chinese when asked', async () => {
    const none = await s.api('POST', '/rules/test', {});
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ code: 'validation', details: [{ path: 'text' }] });
    expect(none.body.error.message).toMatch(/type something/);
    const both = await s.api('POST', '/rules/test', { text: '你好', event: 'follow' }, { headers: { 'accept-language': 'zh-CN' } });
    expect(both.body.error.details).toEqual([{ path: 'event', message: 'event：消息和事件只能选一个' }]);
    const bad = await s.api('POST', '/rules/test', { event: 'scan', at: '明天' }, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['key', 'at']);
    expect(bad.body.error.message).toMatch(/^请求有误/);
    expect((await s.api('POST', '/rules/test', { text: '  ' })).status).toBe(400);
    expect((await s.api('POST', '/rules/test', { text: 'x', extra: 1 })).status).toBe(400);
  });

  it('is open to a read-only user, and not audited', async () => {
    await addUser(s.server.sql, 'viewer1', 'viewer', 'viewer-password-123');
    const viewer = await signIn(s.server.url, 'viewer1', 'viewer-password-123');
    const audits = (await footprint()).audit_log;
    const r = await viewer.call('POST', '/rules/test', { text: '女装' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.follower).toBe('console-viewer1');
    expect((await viewer.call('POST', '/rules', { name: 'x', match: 'exact', keywords: ['x'], replies: [says('x')] })).status).toBe(403);
    expect((await footprint()).audit_log).toBe(audits);
  });
});

describe('POST /api/chat (chatAsFollower)', () => {
  it('keeps the conversation: 「女装」 then 「更多」 continues the same search, 「重新开始」 forgets it', async () => {
    const first = await s.api('POST', '/chat', { text: '女装' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.follower).toBe('console-token');
    expect(first.body.messages).toEqual([{ answered_by: 'products', rule: null, follow_up: false, reply: { type: 'text', text: expect.stringMatching(/^为你找到「女装」/) } }]);
    const linksOf = (m: { reply: { text: string } }) => [...m.reply.text.matchAll(/\/p\/(\w+)"/g)].map((x) => x[1]);
    const shown = linksOf(first.body.messages[0]);
    expect(shown.length).toBeGreaterThan(1);
    const more = await s.api('POST', '/chat', { text: '更多' });
    expect(more.body.messages[0].answered_by).toBe('more');
    const next = linksOf(more.body.messages[0]);
    expect(next.length).toBeGreaterThan(1);
    expect(next.filter((t) => shown.includes(t))).toEqual([]);

    expect((await s.api('DELETE', '/chat')).status).toBe(204);
    const again = await s.api('POST', '/chat', { text: '更多' });
    expect(again.body.messages[0].answered_by).toBe('more_nothing');
  });

  it('returns a rule\'s further replies, events and locations', async () => {
    const r = await s.api('POST', '/chat', { text: '有优惠券吗' });
    expect(r.body.messages.map((m: { reply: unknown; follow_up: boolean; rule: { name: string } }) => [m.reply, m.follow_up, m.rule.name])).toEqual([
      [text('本周满 100 减 20'), false, '优惠券规则'],
      [text('还有新人券'), true, '优惠券规则'],
    ]);
    const follow = await s.api('POST', '/chat', { event: 'follow' });
    expect(follow.body.messages[0]).toMatchObject({ answered_by: 'welcome', reply: { type: 'text' } });
    const here = await s.api('POST', '/chat', { location: { lat: 31.2304, lng: 121.4737, label: '上海人民广场' } });
    expect(here.status).toBe(200);
    expect(here.body.messages).toHaveLength(1);
    const bad = await s.api('POST', '/chat', { text: '你好', event: 'follow' }, { headers: { 'accept-language': 'zh-CN' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].message).toMatch(/^text：/);
    expect((await s.api('POST', '/chat', { location: { lat: 91, lng: 0 } })).status).toBe(400);
    expect((await s.api('POST', '/chat', { event: 'click' })).status).toBe(400);
  });

  it('leaves the test follower out of the reports, the rule hits and the broadcast audience', async () => {
    const day = { from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };
    const q = `?from=${day.from}&to=${day.to}`;
    const hitsBefore = (await s.api('GET', `/stats/rule-hits${q}`)).body.items;
    await s.api('POST', '/chat', { text: '测试专用词语abc' });
    await s.api('POST', '/chat', { text: '有优惠券吗' });
    await s.api('POST', '/chat', { event: 'follow' });
    await s.server.agent.drain();
    // The chat did reach the live pipeline: its turns are in the answer log and it is a subscriber…
    const logged = await s.server.sql.get<{ n: number }>("SELECT count(*) AS n FROM answer_log WHERE user_id = 'console-token'");
    expect(logged!.n).toBeGreaterThan(0);
    // …but no report counts it.
    const top = await s.api('GET', `/stats/top-queries${q}`);
    expect(top.status, JSON.stringify(top.body)).toBe(200);
    const queries = top.body.items.map((i: { query: string }) => i.query);
    expect(queries).toContain('有优惠券吗'); // asked by real followers above
    expect(queries).not.toContain('测试专用词语abc');
    expect((await s.api('GET', `/stats/zero-results${q}`)).body.items.map((i: { query: string }) => i.query)).not.toContain('测试专用词语abc');
    expect((await s.api('GET', `/stats/rule-hits${q}`)).body.items).toEqual(hitsBefore);
    const subscribers = await s.server.sql.all<{ user_id: string }>('SELECT user_id FROM subscribers WHERE subscribed = 1');
    expect(subscribers.map((r) => r.user_id)).toContain('console-token');

    await s.event('o_real_follower', 'subscribe');
    const broadcast = await s.api('POST', '/broadcasts', { name: '上新', message: says('本周女装上新'), audience: { all: true }, channel: 'custom' });
    expect(broadcast.status, JSON.stringify(broadcast.body)).toBe(201);
    const preview = await s.api('GET', `/broadcasts/${broadcast.body.id}/preview`);
    const real = await s.server.sql.get<{ n: number }>("SELECT count(*) AS n FROM subscribers WHERE channel = 'wechat' AND user_id NOT LIKE 'console-%'");
    expect(preview.body.audience).toBe(real!.n);
  });
});
