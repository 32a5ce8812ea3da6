/**
 * The notices outbox on both databases, shared by several workers (instances): each due notice is claimed by
 * one of them, a killed worker's notices are taken over when their lease runs out, and the late worker's outcome
 * is refused.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewNotice } from '../../src/orders/notices/model.ts';
import { createNoticeOutbox, noticesAdded, onNoticeAdded } from '../../src/orders/notices/outbox.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

const T0 = Date.UTC(2026, 11, 4, 2);
const VIAS = ['webhook'] as const;

describe.each(DATABASES)('the notices outbox on $name', (database) => {
  const opened = openAll(database);
  let orderId: number;

  beforeAll(async () => {
    if (database.skip) return;
    const row = await opened.sql.get<{ id: number }>(
      `INSERT INTO orders (account, user_id, channel, source, status, receiver, phone, address, items_fen, total_fen, created_at, updated_at)
       VALUES ('default', 'o-buyer', 'wechat', 'chat', 'placed', '张三', '13800138000', '上海', 100, 100, ?, ?) RETURNING id`,
      [T0, T0],
    );
    orderId = row!.id;
  });
  beforeEach(async () => {
    if (!database.skip) await opened.sql.run('DELETE FROM order_notices');
  });

  const notice = (i: number): NewNotice => ({
    account: 'default', orderId, audience: 'webhook', via: 'webhook', target: 'https://erp.example.com/hook',
    payload: { kind: 'webhook', body: `{"n":${i}}` }, idempotencyKey: `test:${i}`,
  });
  const addAll = (n: number) => opened.sql.transaction(async (tx) => {
    for (let i = 0; i < n; i++) await createNoticeOutbox(opened.sql).add(tx, notice(i), T0);
  });
  const test = it.skipIf(database.skip);

  test('adds a notice once per key', async () => {
    const outbox = createNoticeOutbox(opened.sql);
    expect(await opened.sql.transaction((tx) => outbox.add(tx, notice(1), T0))).toBe(true);
    expect(await opened.sql.transaction((tx) => outbox.add(tx, notice(1), T0))).toBe(false);
    expect(await outbox.dueCount(T0, VIAS)).toBe(1);
  });

  test('two workers on two instances claiming at once take each notice once', async () => {
    await addAll(40);
    const workers = [createNoticeOutbox(opened.sql), createNoticeOutbox(await opened.another())];
    const taken: number[] = [];
    // Every worker claims repeatedly, all at once, until nothing is left.
    await Promise.all(workers.flatMap((w) => [0, 1].map(async () => {
      for (;;) {
        const got = await w.take({ vias: VIAS, now: T0, leaseMs: 60_000, limit: 3 });
        if (got.length === 0 && (await w.dueCount(T0, VIAS)) === 0) return;
        taken.push(...got.map((t) => t.notice.id));
      }
    })));
    expect(taken).toHaveLength(40);
    expect(new Set(taken).size).toBe(40);
    const rows = await opened.sql.all<{ attempts: number }>('SELECT attempts FROM order_notices');
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  test('takes over a killed worker\'s notices after the lease, and refuses the late worker\'s outcome', async () => {
    await addAll(2);
    const killed = createNoticeOutbox(opened.sql);
    const other = createNoticeOutbox(await opened.another());
    const held = await killed.take({ vias: VIAS, now: T0, leaseMs: 60_000, limit: 10 });
    expect(held.map((t) => t.attempt)).toEqual([1, 1]);
    // While the lease runs, nobody else takes them.
    expect(await other.take({ vias: VIAS, now: T0 + 59_999, leaseMs: 60_000, limit: 10 })).toEqual([]);
    const taken = await other.take({ vias: VIAS, now: T0 + 60_000, leaseMs: 60_000, limit: 10 });
    expect(taken.map((t) => [t.notice.id, t.attempt])).toEqual(held.map((t) => [t.notice.id, 2]));
    expect(await other.settle(taken[0]!, { ok: true }, T0 + 61_000)).toBe(true);
    // The first worker wakes up late: its claim (attempt 1) is gone.
    expect(await killed.settle(held[0]!, { ok: true }, T0 + 62_000)).toBe(false);
    expect(await killed.settle(held[1]!, { ok: false, retry: true, error: 'late' }, T0 + 62_000)).toBe(false);
    expect(await other.get(taken[0]!.notice.id)).toMatchObject({ status: 'sent', attempts: 2, sentAt: T0 + 61_000 });
  });

  test('retries on the schedule, then fails; a failed notice can be queued again', async () => {
    await addAll(1);
    const outbox = createNoticeOutbox(opened.sql, { delays: [1000] });
    const [first] = await outbox.take({ vias: VIAS, now: T0, leaseMs: 60_000, limit: 1 });
    expect(await outbox.settle(first!, { ok: false, retry: true, error: 'HTTP 500' }, T0)).toBe(true);
    expect(await outbox.get(first!.notice.id)).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 1000, lastError: 'HTTP 500' });
    const [second] = await outbox.take({ vias: VIAS, now: T0 + 1000, leaseMs: 60_000, limit: 1 });
    expect(await outbox.settle(second!, { ok: false, retry: true, error: 'HTTP 500' }, T0 + 1000)).toBe(true);
    expect(await outbox.get(first!.notice.id)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await outbox.retry('default', first!.notice.id, T0 + 2000)).toBe(true);
    expect(await outbox.list({ account: 'default', status: 'pending', limit: 10 })).toMatchObject([{ id: first!.notice.id, attempts: 0 }]);
    expect(await outbox.storeOf(first!.notice.id)).toBeNull();
  });

  test('tells this process\'s workers when notices were added', async () => {
    let told = 0;
    const stop = onNoticeAdded(opened.sql, () => told++);
    noticesAdded(opened.sql);
    stop();
    noticesAdded(opened.sql);
    expect(told).toBe(1);
  });
});
