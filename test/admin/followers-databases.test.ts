/**
 * The followers' list and one follower's page (src/reports/subscribers.ts, follower-activity.ts) on both
 * databases: the filters, the tags as a list, the rule that answered (matched by its id in answered_by), the
 * orders' items in one line, and the customer-service window's counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createFollowerTags } from '../../src/merchant/follower-tags.ts';
import { createFollowerActivity } from '../../src/reports/follower-activity.ts';
import { createSubscriberQueries } from '../../src/reports/subscribers.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

const T0 = Date.UTC(2026, 11, 4, 2);
const HOUR = 3_600_000;

async function seed(sql: Sql): Promise<number> {
  const rule = (await sql.get<{ id: number }>(
    "INSERT INTO rules (account, name, match, keywords, replies, reply_mode, priority, enabled, rev, created_at, updated_at) VALUES ('default', '营业时间', 'contains', '[\"几点\"]', '[]', 'all', 100, 1, 1, ?, ?) RETURNING id",
    [T0, T0],
  ))!.id;
  for (const [user, subscribed, last] of [['o_a', 1, T0 - HOUR], ['o_b', 0, T0 - 10 * 24 * HOUR], ['console-mei', 1, T0]] as const) {
    await sql.run('INSERT INTO subscribers (account, user_id, subscribed, last_message_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', ['default', user, subscribed, last, T0, T0]);
  }
  await sql.run("INSERT INTO store_followers (account, user_id, store_id, via, attributed_at) VALUES ('default', 'o_a', 'sh-1', 'scan', ?)", [T0]);
  await sql.run("INSERT INTO products (account, sku, title, category, price_fen, rev, updated_at) VALUES ('default', 'SKU-1', '碎花连衣裙', '女装', 19900, 1, ?)", [T0]);
  const answer = "INSERT INTO answer_log (account, user_id, channel, text, latency_ms, created_at, answered_by, result_ids) VALUES ('default', 'o_a', 'wechat', ?, 1.5, ?, ?, ?)";
  await sql.run(answer, ['几点开门', T0 - 3 * HOUR, `rule:${rule}`, null]);
  await sql.run(answer, ['连衣裙', T0 - 2 * HOUR, 'store:sh-1', '["SKU-1","SKU-GONE"]']);
  const order = (await sql.get<{ id: number }>(
    "INSERT INTO orders (account, user_id, channel, source, status, receiver, phone, address, items_fen, total_fen, created_at, updated_at) VALUES ('default', 'o_a', 'wechat', 'chat', 'placed', '王', '13800000000', '上海', 39800, 39800, ?, ?) RETURNING id",
    [T0 - HOUR, T0 - HOUR],
  ))!.id;
  const item = 'INSERT INTO order_items (order_id, line, sku, title, variant, unit_fen, quantity) VALUES (?, ?, ?, ?, ?, ?, ?)';
  await sql.run(item, [order, 1, 'SKU-1', '碎花连衣裙', 'M', 19900, 1]);
  await sql.run(item, [order, 2, 'SKU-2', '帆布包', null, 9950, 2]);
  const ledger = "INSERT INTO push_ledger (account, user_id, kind, channel, outcome, source, sent_at) VALUES ('default', 'o_a', ?, ?, 'sent', ?, ?)";
  await sql.run(ledger, ['answer', 'custom', 'late_answer', T0 - HOUR / 2]);
  await sql.run(ledger, ['answer', 'custom', 'rule_reply', T0 - 2 * HOUR]);
  await sql.run(ledger, ['push', 'mass', null, T0 - 2 * 24 * HOUR]);
  return rule;
}

describe.each(DATABASES)('followers on $name', (database) => {
  const opened = openAll(database);
  let rule = 0;
  beforeAll(async () => {
    if (database.skip) return;
    rule = await seed(opened.sql);
    await createFollowerTags(opened.sql).add('default', 'o_a', 'vip', T0);
    await createFollowerTags(opened.sql).add('default', 'o_a', '老客户', T0);
  });

  it.skipIf(database.skip)('lists real followers with their tags, store and orders, by each filter, with the count', async () => {
    const q = createSubscriberQueries(opened.sql);
    const all = await q.list('default', {}, { limit: 10 });
    expect(all.map((s) => [s.openid, s.store, s.tags, s.orders, s.subscribed])).toEqual([['o_a', 'sh-1', ['vip', '老客户'], 1, true], ['o_b', null, [], 0, false]]);
    const openids = async (f: Parameters<typeof q.list>[1]) => (await q.list('default', f, { limit: 10 })).map((s) => s.openid);
    expect(await openids({ tag: 'vip' })).toEqual(['o_a']);
    expect(await openids({ store: 'sh-1' })).toEqual(['o_a']);
    expect(await openids({ subscribed: false })).toEqual(['o_b']);
    expect(await openids({ optedOut: false, hasOrdered: false })).toEqual(['o_b']);
    expect(await openids({ hasOrdered: true, activeSince: T0 - 2 * HOUR })).toEqual(['o_a']);
    expect(await q.list('default', {}, { limit: 1, after: 'o_a' })).toMatchObject([{ openid: 'o_b' }]);
    expect([await q.count('default', {}), await q.count('default', { tag: 'nope' })]).toEqual([2, 0]);
    expect(await q.get('default', 'o_b')).toMatchObject({ openid: 'o_b', tags: [], lastMessageAt: T0 - 10 * 24 * HOUR });
    expect(await q.get('default', 'o_none')).toBeNull();
  });

  it.skipIf(database.skip)('shows a follower\'s messages with the answering rule and what was shown, orders, pushes and window', async () => {
    const page = createFollowerActivity(opened.sql);
    expect(await page.messages('default', 'o_a')).toEqual([
      { id: expect.any(Number), at: T0 - 2 * HOUR, text: '连衣裙', intent: null, answeredBy: 'store:sh-1', rule: null, shown: [{ id: 'SKU-1', title: '碎花连衣裙' }, { id: 'SKU-GONE', title: null }] },
      { id: expect.any(Number), at: T0 - 3 * HOUR, text: '几点开门', intent: null, answeredBy: `rule:${rule}`, rule: { id: rule, name: '营业时间' }, shown: [] },
    ]);
    const orders = await page.orders('default', 'o_a');
    expect(orders.total).toBe(1);
    expect(orders.orders[0]!.items.split('、').sort()).toEqual(['帆布包 ×2', '碎花连衣裙（M） ×1']);
    expect((await page.pushes('default', 'o_a')).map((p) => [p.kind, p.what])).toEqual([['answer', 'late_answer'], ['answer', 'rule_reply'], ['push', '']]);
    // The window opened by the last message (an hour ago): one custom send since; one push this week.
    expect(await page.allowance('default', T0 - HOUR, 'o_a', T0)).toMatchObject({ windowOpen: true, customerServiceUsed: 1, customerServiceLeft: 4, pushesThisWeek: 1 });
    expect(await page.allowance('default', null, 'o_a', T0)).toMatchObject({ windowEndsAt: null, windowOpen: false, customerServiceUsed: 0, pushesThisWeek: 1 });
  });
});
