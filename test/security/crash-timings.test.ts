/**
 * Issue 10, item 3, the decisions behind the kill test: which delivery a retry is, how long it may wait,
 * and when a claim's owner is gone — pure functions over the platform's schedule (~0, ~5, ~10 s, each
 * delivery dropped after 5 s), and the dedup taking over a dead owner's claim at once.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../src/agent/agent.ts';
import type { Step } from '../../src/agent/pipeline.ts';
import { claimOutlivedWindow, moreDeliveriesExpected, planLateAnswer, retryWaitMs } from '../../src/channels/wechat/reply-budget.ts';
import { manualClock } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { ownerIsGone } from '../../src/db/liveness.ts';
import { inbound } from '../helpers/inbound.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { runDatabase } from '../helpers/run-database.ts';

/** A new database of the run's kind, opened (closed after the file's tests, before it is dropped). */
async function newDatabase(): Promise<Sql> {
  const database = await runDatabase();
  const { sql } = await openDatabase(database.dbPath, database.env.GUANG_SECRET_KEY ? { secretKey: database.env.GUANG_SECRET_KEY } : {});
  atFileEnd(() => sql.close());
  return sql;
}

describe('the platform schedule, from the claim\'s age', () => {
  it('expects another delivery after the first and the ~5 s one, none after the ~10 s one', () => {
    expect(moreDeliveriesExpected({ attempt: 1, claimAgeMs: 0 })).toBe(true);
    expect(moreDeliveriesExpected({ attempt: 2, claimAgeMs: 5_100 })).toBe(true);
    expect(moreDeliveriesExpected({ attempt: 3, claimAgeMs: 10_050 })).toBe(false);
  });

  it('knows the ~10 s delivery is the last even when an earlier one never reached a server (attempt count 2)', () => {
    // The second delivery hit a dead server and was never counted: the record says 2, the age says 3rd.
    expect(moreDeliveriesExpected({ attempt: 2, claimAgeMs: 9_800 })).toBe(false);
    expect(planLateAnswer({ attempt: 2, claimAgeMs: 9_800, customerService: false, opensWindow: true })).toBe('give_up');
  });

  it('holds every delivery but the last for the platform\'s retry when customer service is off', () => {
    for (const [attempt, age] of [[1, 0], [2, 0], [2, 1_000], [2, 3_000], [2, 5_000], [2, 7_000]] as const) {
      expect(planLateAnswer({ attempt, claimAgeMs: age, customerService: false, opensWindow: true })).toBe('hold_for_retry');
    }
    expect(planLateAnswer({ attempt: 3, claimAgeMs: 10_000, customerService: false, opensWindow: true })).toBe('give_up');
  });

  it('hands a late answer to customer service on any delivery when the account can use it', () => {
    for (const age of [0, 1_000, 3_000, 5_000, 7_000, 10_000]) {
      expect(planLateAnswer({ attempt: 2, claimAgeMs: age, customerService: true, opensWindow: true })).toBe('customer_service');
    }
  });

  it('lets a retry wait until the last delivery\'s window has closed, not a fixed time after it arrived', () => {
    // The last delivery (~10 s) is dropped at ~15 s: a retry 0 s after the claim waits longer than one 10 s after.
    expect(retryWaitMs(0)).toBeGreaterThanOrEqual(15_000);
    expect(retryWaitMs(10_000)).toBeGreaterThanOrEqual(5_000);
    expect(retryWaitMs(10_000)).toBeLessThan(retryWaitMs(0));
    expect(retryWaitMs(60_000)).toBe(0);
    expect(claimOutlivedWindow(10_000)).toBe(false);
    expect(claimOutlivedWindow(20_000)).toBe(true);
  });
});

describe('whether a claim\'s owner is gone', () => {
  const now = 1_000_000;
  const lease = { host: 'h', pid: 42, leaseUntil: now + 2_000 };
  it('is gone with no lease, a lapsed lease, or a dead local process; alive otherwise', () => {
    expect(ownerIsGone({ lease: null, now, localProcessExists: null })).toBe(true);
    expect(ownerIsGone({ lease: { ...lease, leaseUntil: now - 1 }, now, localProcessExists: null })).toBe(true);
    expect(ownerIsGone({ lease, now, localProcessExists: false })).toBe(true);
    expect(ownerIsGone({ lease, now, localProcessExists: true })).toBe(false);
    expect(ownerIsGone({ lease, now, localProcessExists: null })).toBe(false); // another host, lease running
  });
});

describe('a retry finding a pending claim', () => {
  let runs = 0;
  const count: Step = async (ctx, next) => {
    if (ctx.command !== 'count') return next();
    runs++;
    ctx.answer({ type: 'text', text: `run ${runs}` }, 'custom:count');
  };

  /** A claim made `ageMs` ago by `owner`, whose lease (if any) runs until `leaseUntil`. */
  async function claimedBy(sql: Sql, key: string, owner: string, now: number, lease: { host: string; pid: number; leaseUntil: number } | null) {
    await sql.run(`INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at) VALUES ('default', ?, 'pending', ?, ?, ?)`, [key, owner, now, now]);
    if (lease) await sql.run('INSERT INTO process_leases (owner, host, pid, started_at, lease_until) VALUES (?, ?, ?, ?, ?)', [owner, lease.host, lease.pid, now, lease.leaseUntil]);
  }

  it('takes over at once, 1 s after the claim, when the owner was a process on this host that has died', async () => {
    const sql = await newDatabase();
    const clock = manualClock(Date.UTC(2026, 10, 1));
    const m = inbound({ kind: 'text', text: 'count' });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const owner = `${hostname()}:${dead}:abcd1234`;
    await claimedBy(sql, m.dedupKey, owner, clock.now(), { host: hostname(), pid: Number(dead), leaseUntil: clock.now() + 4_000 });
    clock.advance(1_000);
    const before = runs;
    const agent = createAgent({ db: sql, clock, skills: [count] });
    const turn = await agent.receive(m);
    expect(turn.duplicate).toBe(true);
    expect(turn.claimAgeMs).toBe(1_000);
    expect(await turn.answer).toEqual({ type: 'text', text: `run ${before + 1}` });
    await agent.stop();
  });

  it('takes over once the lease of an owner on another host has lapsed, and not before', async () => {
    const sql = await newDatabase();
    const clock = manualClock(Date.UTC(2026, 10, 1));
    const m = inbound({ kind: 'text', text: 'count' });
    await claimedBy(sql, m.dedupKey, 'elsewhere:1:x', clock.now(), { host: 'elsewhere', pid: 1, leaseUntil: clock.now() + 4_000 });
    clock.advance(1_000);
    const before = runs;
    const agent = createAgent({ db: sql, clock, skills: [count] });
    const turn = await agent.receive(m);
    let settled = false;
    void turn.answer.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false); // the owner may still answer: wait
    expect(runs).toBe(before);
    clock.advance(3_500); // the lease lapses (no heartbeat came)
    expect(await turn.answer).toEqual({ type: 'text', text: `run ${before + 1}` });
    await agent.stop();
  });
});

describe('a claim no retry came for', () => {
  it('is closed as failed once past the platform\'s window when its owner is gone, and left alone while its owner lives', async () => {
    const sql = await newDatabase();
    const clock = manualClock(Date.UTC(2026, 10, 1));
    const claim = (key: string, owner: string, at: number) =>
      sql.run(`INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at) VALUES ('default', ?, 'pending', ?, ?, ?)`, [key, owner, at, at]);
    await claim('m-dead', 'gone:1:x', clock.now());
    await claim('m-live', 'elsewhere:1:y', clock.now());
    await claim('m-young', 'gone:1:x', clock.now() + 10_000);
    clock.advance(20_000);
    await sql.run('INSERT INTO process_leases (owner, host, pid, started_at, lease_until) VALUES (?, ?, ?, ?, ?)', ['elsewhere:1:y', 'elsewhere', 1, 0, clock.now() + 4_000]);
    const agent = createAgent({ db: sql, clock });
    expect(await agent.sweep()).toBe(1);
    const status = async (key: string) => (await sql.get<{ status: string }>('SELECT status FROM handled_messages WHERE dedup_key = ?', [key]))?.status;
    expect([await status('m-dead'), await status('m-live'), await status('m-young')]).toEqual(['failed', 'pending', 'pending']);
    await agent.stop();
  });
});
