/**
 * The planner's read of every follower's ledger counts, the same on both databases (SQLite probes the ledger per
 * follower, PostgreSQL counts a page's range of the ledger in one pass): pushes this week (answers not counted),
 * mass messages this month, customer-service messages since the follower's last message (answers counted, from that
 * very millisecond on, and only inside the 48-hour window) — for followers on either side of a page boundary, with
 * ledger rows of followers outside the page and of another account around them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/sql/sql.ts';
import { recordSends, type LedgerEntry } from '../../src/push/ledger.ts';
import { pushOutbox } from '../../src/push/outbox.ts';
import type { PushChannel } from '../../src/push/model.ts';
import type { Recipient } from '../../src/push/policy.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const T0 = Date.UTC(2026, 0, 15, 2);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACCOUNT = 'shop';
const WINDOWS = { weekFrom: T0 - 7 * DAY, monthFrom: T0 - 14 * DAY, windowFrom: T0 - 48 * HOUR, interestsFrom: T0 };

/** Each follower's last message (hours before T0; null: never wrote). */
const FOLLOWERS: Record<string, number | null> = { f_a: 1, f_b: 10, f_c: 60, f_d: null, f_e: 5 };

const push = (user: string, channel: PushChannel, at: number, account = ACCOUNT): LedgerEntry =>
  ({ kind: 'push', account, user, broadcast: 1, run: 1, channel, outcome: 'sent', at });
const answer = (user: string, at: number): LedgerEntry => ({ kind: 'answer', account: ACCOUNT, user, source: 'late_answer', outcome: 'sent', at });

describe.each(DATABASES)('reading the audience on $name', (database) => {
  let opened: OpenedDatabase;
  let sql: Sql;
  beforeAll(async () => {
    if (database.skip) return;
    opened = await database.open();
    sql = opened.sql;
    for (const [user, hoursAgo] of Object.entries(FOLLOWERS)) {
      await sql.run(
        "INSERT INTO subscribers (account, user_id, channel, subscribed, opted_out, last_message_at, created_at, updated_at) VALUES (?, ?, 'wechat', 1, 0, ?, ?, ?)",
        [ACCOUNT, user, hoursAgo === null ? null : T0 - hoursAgo * HOUR, T0, T0],
      );
    }
    const lastOf = (user: string) => T0 - FOLLOWERS[user]! * HOUR;
    await recordSends(sql, [
      // f_a: two pushes this week (one of them customer-service, after their last message), one the week before, an answer.
      push('f_a', 'custom', T0 - 30 * 60_000), push('f_a', 'mass', T0 - 3 * DAY), push('f_a', 'custom', T0 - 8 * DAY), answer('f_a', T0 - 20 * 60_000),
      // f_b: customer-service messages at their last message's very millisecond and before it; a mass message 10 days ago.
      push('f_b', 'custom', lastOf('f_b')), push('f_b', 'custom', lastOf('f_b') - 1), answer('f_b', T0 - HOUR), push('f_b', 'mass', T0 - 10 * DAY),
      // f_c: wrote 60 hours ago (outside the window): its customer-service count is 0 whatever the ledger holds.
      push('f_c', 'custom', T0 - 50 * HOUR), answer('f_c', T0 - 40 * HOUR), push('f_c', 'mass', T0 - 20 * DAY),
      // f_e: sends to the same openid in another account, which count for nothing here.
      push('f_e', 'custom', T0 - HOUR, 'elsewhere'), push('f_e', 'mass', T0 - DAY, 'elsewhere'),
    ]);
  });
  afterAll(async () => {
    if (!database.skip) await opened.close();
  });

  const read = async (channel: PushChannel, pageSize: number): Promise<{ pages: string[][]; facts: Map<string, Recipient> }> => {
    const pages: string[][] = [];
    const facts = new Map<string, Recipient>();
    for await (const page of pushOutbox(sql).recipients({ account: ACCOUNT, channel, needs: { tags: false, store: false, city: false, interests: false }, ...WINDOWS, pageSize })) {
      pages.push(page.map((r) => r.user));
      for (const r of page) facts.set(r.user, r);
    }
    return { pages, facts };
  };
  const counts = (facts: Map<string, Recipient>) =>
    Object.fromEntries([...facts].map(([u, r]) => [u, [r.pushesThisWeek, r.massThisMonth, r.customSinceLastMessage]]));

  it.skipIf(database.skip)('counts pushes this week and customer-service messages since the last message, page by page', async () => {
    const { pages, facts } = await read('custom', 2);
    expect(pages).toEqual([['f_a', 'f_b'], ['f_c', 'f_d'], ['f_e']]);
    // [pushes this week, mass this month (a custom run does not ask), customer-service since the last message]
    expect(counts(facts)).toEqual({ f_a: [2, 0, 2], f_b: [2, 0, 2], f_c: [1, 0, 0], f_d: [0, 0, 0], f_e: [0, 0, 0] });
    expect(facts.get('f_b')!.lastMessageAt).toBe(T0 - 10 * HOUR);
  });

  it.skipIf(database.skip)('counts mass messages this month for a mass run, whatever the page size', async () => {
    const byTwo = await read('mass', 2);
    const byOne = await read('mass', 1);
    expect(byOne.pages).toEqual([['f_a'], ['f_b'], ['f_c'], ['f_d'], ['f_e'], []]); // a full page is followed by a look for more
    expect(counts(byTwo.facts)).toEqual({ f_a: [2, 1, 0], f_b: [2, 1, 0], f_c: [1, 0, 0], f_d: [0, 0, 0], f_e: [0, 0, 0] });
    expect(counts(byOne.facts)).toEqual(counts(byTwo.facts));
  });
});
