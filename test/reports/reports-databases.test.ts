/**
 * The reports on both databases (issue 18): the same seeded answers and followers give the same numbers,
 * with Beijing days and JSON slots read the same way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createFollowerCounts } from '../../src/reports/followers.ts';
import { createReports } from '../../src/reports/reports.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

/** 2026-12-03 23:30 Beijing = 15:30 UTC: the Beijing day is the 3rd; an hour later it is the 4th. */
const LATE_ON_THE_3RD = Date.UTC(2026, 11, 3, 15, 30);
const EARLY_ON_THE_4TH = LATE_ON_THE_3RD + 3600_000;
const period = { from: Date.UTC(2026, 11, 1), to: Date.UTC(2026, 11, 5) };

describe.each(DATABASES)('reports on $name', (database) => {
  const opened = openAll(database);
  beforeAll(async () => {
    if (database.skip) return;
    const answer = (user: string, text: string, intent: string | null, at: number, extra: { slots?: object; results?: string; by?: string } = {}) =>
      opened.sql.run(
        'INSERT INTO answer_log (account, user_id, channel, text, intent, slots, result_ids, answered_by, latency_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['default', user, 'wechat', text, intent, extra.slots ? JSON.stringify(extra.slots) : null, extra.results ?? null, extra.by ?? 'skill:products', 1.5, at],
      );
    await answer('o_a', '女装', 'product', LATE_ON_THE_3RD, { results: '["A1"]' });
    await answer('o_b', ' 女装 ', 'product', EARLY_ON_THE_4TH, { results: '["A1"]' });
    await answer('o_a', '火星酒店', 'hotel', EARLY_ON_THE_4TH, { results: '[]' });
    await answer('o_c', '包邮吗', 'service', EARLY_ON_THE_4TH, { slots: { topic: 'shipping' }, by: 'service:shipping' });
    await answer('o_c', '人工', 'service', EARLY_ON_THE_4TH + 1, { slots: { topic: 'person', handoff: 'transfer' }, by: 'service_handoff' });
    await answer('console-admin', '女装', 'product', EARLY_ON_THE_4TH, { results: '["A1"]' }); // the console's test follower: left out
    for (const [user, at] of [['o_a', LATE_ON_THE_3RD], ['o_b', EARLY_ON_THE_4TH]] as const) {
      await opened.sql.run('INSERT INTO subscribers (account, user_id, subscribed, subscribed_at, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)', ['default', user, at, at, at]);
    }
    await opened.sql.run('INSERT INTO subscribers (account, user_id, subscribed, subscribed_at, unsubscribed_at, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?, ?)',
      ['default', 'o_gone', LATE_ON_THE_3RD, EARLY_ON_THE_4TH, LATE_ON_THE_3RD, EARLY_ON_THE_4TH]);
  });

  it.skipIf(database.skip)('counts questions, the unanswered, service topics and who needs a person', async () => {
    const reports = createReports(opened.sql);
    expect((await reports.topQueries('default', period, 10))[0]).toEqual({ query: '女装', count: 2, followers: 2, lastAskedAt: EARLY_ON_THE_4TH });
    expect(await reports.zeroResults('default', period, 10)).toEqual([{ query: '火星酒店', reason: 'no_results', count: 1, followers: 1, lastAskedAt: EARLY_ON_THE_4TH }]);
    expect(await reports.serviceQuestions('default', period)).toEqual([
      { topic: 'person', count: 1, followers: 1 },
      { topic: 'shipping', count: 1, followers: 1 },
    ]);
    expect(await reports.needsPerson('default', period, 10)).toEqual([
      { text: '人工', user: 'o_c', channel: 'wechat', reason: 'asked_for_person', handoff: 'transfer', at: EARLY_ON_THE_4TH + 1 },
    ]);
  });

  it.skipIf(database.skip)('buckets by Beijing day', async () => {
    const days = await createReports(opened.sql).intentsPerDay('default', period);
    expect(days.map((d) => [d.day, d.total])).toEqual([['2026-12-03', 1], ['2026-12-04', 4]]);
    expect(days[1]!.intents).toEqual({ product: 1, hotel: 1, service: 2 });
    const followers = createFollowerCounts(opened.sql);
    expect(await followers.perDay('default', period, undefined)).toEqual([
      { day: '2026-12-03', follows: 2, unfollows: 0 },
      { day: '2026-12-04', follows: 1, unfollows: 1 },
    ]);
    expect(await followers.following('default', undefined)).toBe(2);
  });
});
