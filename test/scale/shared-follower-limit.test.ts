/**
 * Issue 18, the per-follower rate limit shared across instances on one PostgreSQL database: limiters on separate
 * adapters (as separate instances have) draw from one bucket per follower — the burst holds for the fleet, the
 * refill, the one notice and retries not charged again behave as the in-memory limiter's, concurrent takes admit
 * exactly the burst, a database that cannot answer admits (logged once per burst), idle buckets are pruned — and
 * two servers on the database share it through their webhooks.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMaintenance } from '../../src/app/maintenance.ts';
import { FOLLOWER_LIMITS, RATE_LIMIT_NOTICE, type FollowerAdmission } from '../../src/channels/wechat/follower-limit.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { createSharedFollowerLimiter, pruneFollowerBuckets } from '../../src/channels/wechat/shared-follower-limit.ts';
import { manualClock } from '../../src/core/clock.ts';
import { createLogger, silentLogger } from '../../src/core/log.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { ignoredHealth } from '../../src/db/write-health.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { countingStep } from '../helpers/inbound.ts';
import { testServer, TOKEN } from '../helpers/server.ts';

const LIMITS = FOLLOWER_LIMITS; // a burst of 10, then one a second
const ACCOUNT = 'default';

describe.skipIf(noPostgres)('the follower rate limit shared on PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> };
  let secretKey: string;
  const adapters: Sql[] = [];
  const clock = manualClock(Date.UTC(2026, 0, 1));
  let seq = 0;
  const key = () => `k${++seq}`;

  beforeAll(async () => {
    database = await migratedDatabase();
    secretKey = randomBytes(32).toString('base64');
    // Three instances: three pools on the one database.
    for (let i = 0; i < 3; i++) adapters.push((await openDatabase(database.url, { secretKey, poolSize: 5 })).sql);
  }, 60_000);

  afterAll(async () => {
    for (const sql of adapters) await sql.close();
    await database?.drop();
  });

  const fleet = () => adapters.map((sql) => createSharedFollowerLimiter(sql, LIMITS, clock, silentLogger));

  it('holds the burst across instances: 10 admitted in all, then one notice, then drops; another follower is not affected', async () => {
    const limiters = fleet();
    const got: FollowerAdmission[] = [];
    for (let i = 0; i < 13; i++) got.push(await limiters[i % 3]!.take(ACCOUNT, 'o_fleet_flooder', key()));
    expect(got).toEqual([...Array<FollowerAdmission>(10).fill('admit'), 'notice', 'drop', 'drop']);
    expect(await limiters[1]!.take(ACCOUNT, 'o_fleet_bystander', key())).toBe('admit');
    // Per account: the same openid on another account has a bucket of its own.
    expect(await limiters[2]!.take('other', 'o_fleet_flooder', key())).toBe('admit');
  });

  it('refills one a second, fractions kept, whichever instance takes; a follower admitted again is told again', async () => {
    const [a, b, c] = fleet();
    const user = 'o_fleet_refill';
    for (let i = 0; i < 10; i++) expect(await a!.take(ACCOUNT, user, key())).toBe('admit');
    expect(await b!.take(ACCOUNT, user, key())).toBe('notice');
    clock.advance(1_000);
    expect(await c!.take(ACCOUNT, user, key())).toBe('admit');
    expect(await a!.take(ACCOUNT, user, key())).toBe('notice');
    clock.advance(600);
    expect(await b!.take(ACCOUNT, user, key())).toBe('drop');
    clock.advance(600); // 0.6 + 0.6 of a token: one
    expect(await c!.take(ACCOUNT, user, key())).toBe('admit');
    clock.advance(60_000); // never more than the burst
    const after: FollowerAdmission[] = [];
    for (let i = 0; i < 11; i++) after.push(await [a, b, c][i % 3]!.take(ACCOUNT, user, key()));
    expect(after).toEqual([...Array<FollowerAdmission>(10).fill('admit'), 'notice']);
  });

  it('does not charge a retry of a delivery already taken, on any instance, even after newer ones; within 30 s only', async () => {
    const [a, b, c] = fleet();
    const user = 'o_fleet_retrier';
    const keys = Array.from({ length: 10 }, key);
    for (const k of keys.slice(0, 9)) expect(await a!.take(ACCOUNT, user, k)).toBe('admit');
    expect(await b!.take(ACCOUNT, user, keys[8]!)).toBe('admit'); // the platform retries the 9th on another instance
    expect(await c!.take(ACCOUNT, user, keys[0]!)).toBe('admit'); // and the 1st, eight deliveries later
    expect(await b!.take(ACCOUNT, user, keys[9]!)).toBe('admit'); // the 10th token
    expect(await c!.take(ACCOUNT, user, key())).toBe('notice');
    expect(await a!.take(ACCOUNT, user, keys[3]!)).toBe('admit'); // over the limit, a retry of an admitted one still goes through
    expect(await a!.take(ACCOUNT, user, key())).toBe('drop'); // and did not reset the notice
    clock.advance(31_000); // a full bucket again, and the retry window over
    const again: FollowerAdmission[] = [];
    for (let i = 0; i < 10; i++) again.push(await a!.take(ACCOUNT, user, keys[i]!)); // charged anew
    expect(again).toEqual(Array<FollowerAdmission>(10).fill('admit'));
    expect(await b!.take(ACCOUNT, user, key())).toBe('notice');
  });

  it('never refills twice when an instance\'s clock is behind another\'s', async () => {
    const [ahead] = fleet();
    const behindClock = { now: () => clock.now() - 500 };
    const behind = createSharedFollowerLimiter(adapters[1]!, LIMITS, behindClock, silentLogger);
    const user = 'o_fleet_skew';
    for (let i = 0; i < 11; i++) await ahead!.take(ACCOUNT, user, key()); // empty, told
    expect(await behind.take(ACCOUNT, user, key())).toBe('drop'); // its "now" is before the bucket's last take
    clock.advance(600); // 0.6 s since the last take (1.1 s since the slow clock's "now"): no token yet
    expect(await ahead!.take(ACCOUNT, user, key())).toBe('drop');
    clock.advance(400);
    expect(await ahead!.take(ACCOUNT, user, key())).toBe('admit');
  });

  it('admits exactly the burst of 20 takes at once across three instances', async () => {
    const limiters = fleet();
    const user = 'o_fleet_concurrent';
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => limiters[i % 3]!.take(ACCOUNT, user, key())));
    expect(got.filter((g) => g === 'admit')).toHaveLength(10);
    expect(got.filter((g) => g === 'notice')).toHaveLength(1);
    expect(got.filter((g) => g === 'drop')).toHaveLength(9);
  });

  it('admits while the database cannot answer, logging once per failing burst, and says when it answers again', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as { level: number; msg: string });
        done();
      },
    });
    // A fourth instance whose connection to the database is cut (its pool ended).
    const cut = (await openDatabase(database.url, { secretKey })).sql;
    const limiter = createSharedFollowerLimiter(cut, { ...LIMITS, burst: 1 }, clock, createLogger('info', sink));
    expect(await limiter.take(ACCOUNT, 'o_fleet_cut', key())).toBe('admit');
    await cut.close();
    const during = await Promise.all(Array.from({ length: 5 }, () => limiter.take(ACCOUNT, 'o_fleet_cut', key())));
    expect(during).toEqual(Array<FollowerAdmission>(5).fill('admit'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, expect.stringContaining('cannot reach the database')]]);
  });

  it('says once when a failing database answers again, and then limits again', async () => {
    const lines: { level: number; msg: string; failures?: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as { level: number; msg: string });
        done();
      },
    });
    let down = true;
    const real = adapters[0]!;
    // The database refusing connections for a while, as a failover looks from here.
    const flaky: Sql = { ...real, get: (text, params) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : real.get(text, params)) };
    const limiter = createSharedFollowerLimiter(flaky, { ...LIMITS, burst: 1 }, clock, createLogger('info', sink));
    const user = 'o_fleet_flaky';
    expect([await limiter.take(ACCOUNT, user, key()), await limiter.take(ACCOUNT, user, key())]).toEqual(['admit', 'admit']);
    down = false;
    clock.advance(10_000);
    expect(await limiter.take(ACCOUNT, user, key())).toBe('admit');
    expect(await limiter.take(ACCOUNT, user, key())).toBe('notice');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.level, l.failures])).toEqual([[50, undefined], [40, 2]]);
  });

  it('prunes buckets idle for an hour (the maintenance job does it hourly); a pruned follower starts with a full bucket', async () => {
    const [a] = fleet();
    for (let i = 0; i < 11; i++) await a!.take(ACCOUNT, 'o_fleet_idle', key());
    clock.advance(30 * 60_000);
    await a!.take(ACCOUNT, 'o_fleet_recent', key());
    clock.advance(30 * 60_000 + 1);
    const count = async () => Number((await adapters[0]!.get<{ n: number }>("SELECT COUNT(*) AS n FROM follower_buckets WHERE user_id IN ('o_fleet_idle', 'o_fleet_recent')"))!.n);
    expect(await count()).toBe(2);
    const maintenance = await startMaintenance({
      sql: adapters[1]!, db: null, clock, logger: silentLogger, health: ignoredHealth, sessions: { prune: async () => 0 }, sweep: async () => 0,
    });
    maintenance.stop();
    expect(await count()).toBe(1);
    expect(await pruneFollowerBuckets(adapters[2]!, clock.now() + 30 * 60_000)).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(0);
  });
});

describe.skipIf(noPostgres)('two servers on one PostgreSQL database', () => {
  const counter = countingStep();
  const clock = manualClock(Date.now());
  let players: ReturnType<typeof createWechatPlayer>[] = [];

  beforeAll(async () => {
    const database = await migratedDatabase();
    atFileEnd(database.drop); // an afterAll registered here would never run
    const env = { GUANG_SECRET_KEY: randomBytes(32).toString('base64'), GUANG_SIMULATOR: 'off', WECHAT_FOLLOWER_BURST: '10' };
    const servers = [];
    for (let i = 0; i < 2; i++) servers.push(await testServer({ dbPath: database.url, env, skills: [counter.step], clock }));
    players = servers.map((s) => createWechatPlayer({ url: s.webhook, token: TOKEN }));
  }, 60_000);

  it('share each follower\'s burst through their webhooks: 10 handled in all, one notice, then success', async () => {
    const user = 'o_two_servers_flooder';
    const answers: string[] = [];
    for (let i = 0; i < 13; i++) {
      const res = await players[i % 2]!.text(user, 'count', nextMsgId());
      answers.push(res.reply?.Content ?? res.body);
    }
    expect(answers).toEqual([...Array.from({ length: 10 }, (_, i) => `handled ${i + 1}`), RATE_LIMIT_NOTICE, 'success', 'success']);
    expect(counter.runs(user)).toBe(10);
  }, 30_000);
});
