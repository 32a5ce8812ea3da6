/**
 * On PostgreSQL a hot-path write that changes nothing writes nothing: an upsert whose ON CONFLICT DO UPDATE
 * leaves the row alone still locks it (a transaction id, a WAL record and a flush at commit), so the session save
 * and the follower's "last message" are only attempted when they would change the row. A locked or updated row
 * carries the locker's transaction in `xmax`; an untouched one keeps 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, userId } from '../../src/core/messages.ts';
import { createSessionStore } from '../../src/db/sessions.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const A = accountId('default');
const T0 = Date.UTC(2026, 11, 4, 12);
const postgres = DATABASES.find((d) => d.name === 'postgres')!;

describe.skipIf(postgres.skip)('unchanged hot-path writes on PostgreSQL', () => {
  let opened: OpenedDatabase;
  let sql: Sql;
  beforeAll(async () => {
    opened = await postgres.open();
    sql = opened.sql;
  });
  afterAll(async () => {
    await opened?.close();
  });
  const xmaxOf = async (table: 'sessions' | 'subscribers', user: string) =>
    (await sql.get<{ xmax: string }>(`SELECT xmax::text AS xmax FROM ${table} WHERE user_id = ?`, [user]))?.xmax;

  it('leaves an unchanged session unlocked, and writes a changed one', async () => {
    const sessions = createSessionStore<{ shown: string }>(sql, 30 * 60_000);
    const user = userId('o_unchanged_session');
    await sessions.save(A, user, { shown: '女装' }, T0);
    await sessions.save(A, user, { shown: '女装' }, T0 + 30_000);
    expect(await xmaxOf('sessions', user)).toBe('0');
    await sessions.save(A, user, { shown: '连衣裙' }, T0 + 40_000);
    expect(await sessions.get(A, user, T0 + 41_000)).toEqual({ shown: '连衣裙' });
    // Unchanged but a minute old: written again, so its expiry moves on.
    await sessions.save(A, user, { shown: '连衣裙' }, T0 + 100_000);
    expect(await sql.get('SELECT updated_at FROM sessions WHERE user_id = ?', [user])).toEqual({ updated_at: T0 + 100_000 });
  });

  it('leaves a follower who wrote within the minute unlocked, and moves the time on after it', async () => {
    const subscribers = createSubscriberStore(sql);
    const who = { account: A, user: userId('o_unchanged_follower') };
    await subscribers.messaged(who, T0);
    await subscribers.messaged(who, T0 + 20_000);
    expect(await xmaxOf('subscribers', who.user)).toBe('0');
    expect((await subscribers.get(A, who.user))?.lastMessageAt).toBe(T0);
    await subscribers.messaged(who, T0 + 61_000);
    expect((await subscribers.get(A, who.user))?.lastMessageAt).toBe(T0 + 61_000);
    await subscribers.unfollowed(who, T0 + 62_000);
    await subscribers.messaged(who, T0 + 63_000);
    expect(await subscribers.get(A, who.user)).toMatchObject({ subscribed: true, lastMessageAt: T0 + 63_000 });
  });
});
