/**
 * The push room's store on both databases, and what it promises with several instances on one database: two
 * adapters (`opened.another()`) stand for two servers. On PostgreSQL these run concurrently under READ
 * COMMITTED; on SQLite the file's write lock serialises them (the same assertions must hold).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/sql/sql.ts';
import type { Run } from '../../src/push/model.ts';
import { pushOutbox, type Lease, type OutboxRow, type PushOutbox } from '../../src/push/outbox.ts';
import { recordCustomerServiceSend } from '../../src/push/ledger.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const T0 = Date.UTC(2026, 0, 5, 2); // Monday 10:00 in Shanghai
const LEASE_MS = 1_000;
const skipped = { unfollowed: 0, opted_out: 0, outside_48h: 0, quiet_hours: 0, platform_limit: 0, capped: 0 };
const users = (n: number, prefix = 'o_') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
const lease = (owner: string, now = T0): Lease => ({ owner, now, leaseMs: LEASE_MS });
const claimLease = (o: PushOutbox, run: Run, l: Lease) => o.claimLease(run, l, { retryUnknown: false, canTakeOver: () => false });

describe.each(DATABASES)('the push outbox on $name', (database) => {
  let opened: OpenedDatabase;
  let sql: Sql;
  let other: Sql;
  let a: PushOutbox;
  let b: PushOutbox;
  let gate: Sql;
  let made = 0;

  beforeAll(async () => {
    if (database.skip) return;
    opened = await database.open();
    sql = opened.sql;
    other = await opened.another();
    a = pushOutbox(sql);
    b = pushOutbox(other);
    gate = await opened.another();
  });
  afterAll(async () => {
    if (!database.skip) await opened.close();
  });

  /** A broadcast and a run planned for `recipients` (custom: one row each; mass: `batches` batches). */
  async function planned(recipients: readonly string[], channel: 'custom' | 'mass' = 'custom', batches = 0): Promise<Run> {
    const def = { name: `b${++made}`, message: { type: 'text' as const, content: 'hi' }, audience: { all: true as const }, channel };
    const broadcast = await a.create('default', def, T0);
    return a.recordRun({
      broadcast, occurrence: `manual:${made}`, channel, message: { type: 'text', content: 'hi' },
      counts: { audience: recipients.length, planned: recipients.length, skipped }, notBefore: T0,
      users: recipients, lastMessageAt: recipients.map(() => T0 - 3_600_000), batches,
    }, T0);
  }
  const ledgerOf = async (runId: number) =>
    (await sql.all<{ user_id: string; outcome: string }>('SELECT user_id, outcome FROM push_ledger WHERE run_id = ? ORDER BY user_id, id', [runId]));
  /**
   * Runs `race` while a third instance holds the run's row (PostgreSQL): both racers have read before either may
   * write, the interleaving that lets two instances take one lease unless the read locks the row. (SQLite's write
   * lock serialises them anyway.)
   */
  async function heldOpen<T>(run: Run, race: () => Promise<T>): Promise<T> {
    if (database.name !== 'postgres') return race();
    let raced!: Promise<T>;
    await gate.transaction(async (tx) => {
      await tx.get('SELECT id FROM broadcast_runs WHERE id = ? FOR UPDATE', [run.id]);
      raced = race();
      await new Promise((r) => setTimeout(r, 200));
    });
    return raced;
  }
  const sent = (rows: readonly OutboxRow[]) => rows.map((r) => ({ user: r.user_id, state: 'sent' as const, code: null, nextAt: 0 }));

  it.skipIf(database.skip)('plans a run with its rows and moves the broadcast to sending, in one transaction', async () => {
    const run = await planned(users(600)); // more rows than one multi-row INSERT takes
    expect(run).toMatchObject({ status: 'sending', channel: 'custom' });
    expect(await a.outboxCounts(run.id)).toMatchObject({ pending: 600, sending: 0 });
    expect((await a.broadcast(run.broadcastId))!.status).toBe('sending');
  });

  it.skipIf(database.skip)('writes each follower of a large run once, with its batch and last message time', async () => {
    // More followers than one statement writes on either database (SQLite 256, PostgreSQL 5,000), some never seen.
    const everyone = Array.from({ length: 10_007 }, (_, i) => `o_big_${String(i).padStart(5, '0')}`); // in the order ORDER BY reads them
    const lastMessageAt = everyone.map((_, i) => (i % 7 === 0 ? null : T0 - i * 1_000));
    const rowsOf = async (channel: 'custom' | 'mass', batches: number) => {
      const broadcast = await a.create('default', { name: `b${++made}`, message: { type: 'text', content: 'hi' }, audience: { all: true }, channel }, T0);
      const run = await a.recordRun({
        broadcast, occurrence: `manual:${made}`, channel, message: { type: 'text', content: 'hi' },
        counts: { audience: everyone.length, planned: everyone.length, skipped }, notBefore: T0, users: everyone, lastMessageAt, batches,
      }, T0);
      return sql.all<{ user_id: string; batch: number; last_message_at: number | null; state: string }>(
        'SELECT user_id, batch, last_message_at, state FROM push_outbox WHERE run_id = ? ORDER BY user_id', [run.id]);
    };
    const expected = (batchOf: (i: number) => number) =>
      everyone.map((user_id, i) => ({ user_id, batch: batchOf(i), last_message_at: lastMessageAt[i], state: 'pending' }));
    expect(await rowsOf('custom', 0)).toEqual(expected((i) => i)); // a customer-service row's batch is its place in the run
    expect(await rowsOf('mass', 3)).toEqual(expected((i) => Math.floor((i * 3) / everyone.length)));
  });

  it.skipIf(database.skip)('gives the lease to one of two instances racing for it', async () => {
    const run = await planned(users(3));
    const pair = await heldOpen(run, () => Promise.all([claimLease(a, run, lease('server-a')), claimLease(b, run, lease('server-b'))]));
    expect(pair.filter((c) => c.ok)).toHaveLength(1);
    expect(pair.find((c) => !c.ok)).toMatchObject({ ok: false, status: 'busy' });
  });

  it.skipIf(database.skip)('hands out disjoint rows to workers claiming under one lease at once', async () => {
    const everyone = users(40);
    const run = await planned(everyone);
    expect((await claimLease(a, run, lease('pool'))).ok).toBe(true);
    const claims = await Promise.all([a, b, a, b, a, b, a, b].map((o) => o.claimRows(run, lease('pool'), 5)));
    const claimed = claims.flatMap((rows) => rows!.map((r) => r.user_id));
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed).size).toBe(40);
    expect(await a.claimRows(run, lease('pool'), 5)).toEqual([]);
    expect(claims[0]![0]).toMatchObject({ attempts: 0 });
  });

  it.skipIf(database.skip)('hands out each mass batch to one worker', async () => {
    const run = await planned(users(12), 'mass', 4);
    expect((await claimLease(a, run, lease('pool'))).ok).toBe(true);
    const claims = await Promise.all([a, b, a, b, a, b].map((o) => o.claimRows(run, lease('pool'), 1)));
    const batches = claims.filter((rows) => rows!.length > 0).map((rows) => new Set(rows!.map((r) => r.batch)));
    expect(batches).toHaveLength(4);
    for (const set of batches) expect(set.size).toBe(1);
    expect(new Set(batches.map((s) => [...s][0])).size).toBe(4);
    expect(claims.flat().map((r) => r!.user_id).sort()).toEqual(users(12));
  });

  it.skipIf(database.skip)('plans an occurrence once when two schedulers plan it at once', async () => {
    const def = { name: 'weekly', message: { type: 'text' as const, content: 'hi' }, audience: { all: true as const }, channel: 'custom' as const, schedule: { cron: '0 10 * * 1', tz: 'Asia/Shanghai' } };
    const broadcast = await a.create('default', def, T0 - 7 * 86_400_000);
    const marked = await Promise.all([a.markOccurrence(broadcast.id, T0, T0), b.markOccurrence(broadcast.id, T0, T0)]);
    expect(marked.filter(Boolean)).toHaveLength(1);
    const plan = {
      broadcast, occurrence: `cron:${T0}`, channel: 'custom' as const, message: { type: 'text' as const, content: 'hi' },
      counts: { audience: 5, planned: 5, skipped }, notBefore: T0, users: users(5), lastMessageAt: users(5).map(() => T0), batches: 0,
    };
    const [one, two] = await Promise.all([a.recordRun(plan, T0), b.recordRun(plan, T0)]);
    expect(one.id).toBe(two.id);
    expect(await a.runs(broadcast.id)).toHaveLength(1);
    expect(await a.outboxCounts(one.id)).toMatchObject({ pending: 5 });
    expect((await a.broadcast(broadcast.id))!.status).toBe('sending');
  });

  it.skipIf(database.skip)('takes over a run whose lease expired, and sends no row twice', async () => {
    const everyone = users(10);
    const run = await planned(everyone);
    expect((await claimLease(a, run, lease('dying', T0))).ok).toBe(true);
    const inFlight = (await a.claimRows(run, lease('dying', T0), 3))!;
    expect(inFlight).toHaveLength(3);
    // Within the lease the other instance is refused; after it, it takes over.
    expect(await claimLease(b, run, lease('heir', T0 + LEASE_MS / 2))).toMatchObject({ ok: false, status: 'busy' });
    const later = T0 + 2 * LEASE_MS;
    expect((await claimLease(b, run, lease('heir', later))).ok).toBe(true);
    // The rows left mid-call may have arrived: unknown, in the ledger once, never re-sent.
    expect(await a.outboxCounts(run.id)).toMatchObject({ unknown: 3, sending: 0, pending: 7 });
    // The former holder comes back late: its outcomes change nothing, and its lease is gone.
    await a.recordOutcomes(run, sent(inFlight), null, later);
    expect(await a.claimRows(run, lease('dying', later), 3)).toBeNull();
    const resent: string[] = [];
    for (;;) {
      const rows = (await b.claimRows(run, lease('heir', later), 4))!;
      if (rows.length === 0) break;
      resent.push(...rows.map((r) => r.user_id));
      await b.recordOutcomes(run, sent(rows), null, later);
    }
    expect(resent.filter((u) => inFlight.some((r) => r.user_id === u))).toEqual([]);
    expect(resent.sort()).toEqual(everyone.filter((u) => !inFlight.some((r) => r.user_id === u)));
    await b.finishRun(run, 'done', later);
    const ledger = await ledgerOf(run.id);
    expect(ledger.map((l) => l.user_id)).toEqual(everyone); // each follower once
    expect(ledger.filter((l) => l.outcome === 'unknown').map((l) => l.user_id).sort()).toEqual(inFlight.map((r) => r.user_id).sort());
    expect((await a.run(run.id))!.status).toBe('done');
    expect((await a.broadcast(run.broadcastId))!.status).toBe('done');
  });

  it.skipIf(database.skip)('streams the followers page by page with their tags, store and ledger counts', async () => {
    const account = `acct${database.name}`;
    for (const u of users(7, 'f_')) {
      await sql.run('INSERT INTO subscribers (account, user_id, channel, subscribed, opted_out, last_message_at, created_at, updated_at) VALUES (?, ?, ?, 1, 0, ?, ?, ?)', [account, u, 'wechat', T0 - 3_600_000, T0, T0]);
    }
    await sql.run("INSERT INTO subscribers (account, user_id, channel, created_at, updated_at) VALUES (?, 'wxid_chat', 'wechaty', ?, ?)", [account, T0, T0]);
    await sql.run('INSERT INTO subscriber_tags (account, user_id, tag, created_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)', [account, 'f_001', 'vip', T0, account, 'f_001', '女装', T0]);
    await sql.run("INSERT INTO stores (account, id, name, city, created_at, updated_at) VALUES (?, 's1', '一店', '杭州', ?, ?)", [account, T0, T0]);
    await sql.run("INSERT INTO store_followers (account, user_id, store_id, via, attributed_at) VALUES (?, 'f_002', 's1', 'scan', ?)", [account, T0]);
    await recordCustomerServiceSend(sql, { account, user: 'f_003', at: T0 - 60_000, source: 'late_answer' });
    const pages: string[][] = [];
    const facts = [];
    for await (const page of a.recipients({
      account, channel: 'custom', needs: { tags: true, store: true, city: true, interests: false },
      weekFrom: T0 - 7 * 86_400_000, monthFrom: T0 - 4 * 86_400_000, windowFrom: T0 - 48 * 3_600_000, interestsFrom: T0, pageSize: 3,
    })) {
      pages.push(page.map((r) => r.user));
      facts.push(...page);
    }
    expect(pages).toEqual([['f_000', 'f_001', 'f_002'], ['f_003', 'f_004', 'f_005'], ['f_006']]);
    expect([...facts.find((r) => r.user === 'f_001')!.tags!].sort()).toEqual(['vip', '女装'].sort());
    expect(facts.find((r) => r.user === 'f_000')!.tags).toEqual([]);
    expect(facts.find((r) => r.user === 'f_002')).toMatchObject({ store: 's1', city: '杭州' });
    expect(facts.find((r) => r.user === 'f_003')).toMatchObject({ customSinceLastMessage: 1, pushesThisWeek: 0 });
  });
});
