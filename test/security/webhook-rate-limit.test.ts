/**
 * Issue 10, "rate limits per follower (webhook)": a token bucket per (account, openid) after verification
 * and before the agent — a burst of 10, then one a second. A follower over it gets one short notice, then
 * `success`, and the agent does not run; a retry of a delivery already taken is not charged again.
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createFollowerLimiter, RATE_LIMIT_NOTICE, RETRY_WINDOW_MS } from '../../src/channels/wechat/follower-limit.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { manualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { countingStep } from '../helpers/inbound.ts';
import { TOKEN } from '../helpers/server.ts';
import { RUN_DB, runDatabase } from '../helpers/run-database.ts';

const counter = countingStep();

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const clock = manualClock(Date.now());
// The defaults, as a deployment that sets nothing gets them (no WECHAT_FOLLOWER_* variables).
const database = await runDatabase();
const config = loadConfig({ PORT: '0', GUANG_DB: database.dbPath, ...database.env, WECHAT_TOKEN: TOKEN, GUANG_LOG_LEVEL: 'warn' });
// A reply budget no busy machine runs past: a turn answered late ('success', then sent) would let the next
// message's turn run first, and the counts here are of turns in order.
const server = await startServer({ config, clock, host: '127.0.0.1', logger: createLogger('warn', sink), skills: [counter.step], budgetMs: 4_000 });
afterAll(() => server.close());
const player = createWechatPlayer({ url: `${server.url}/wechat`, token: TOKEN });

describe('per-follower rate limit on the webhook', () => {
  it('answers a burst of 10, then one notice, then success without running the agent; a second follower is not affected', async () => {
    const flooder = 'o_rate_flooder_00000001';
    const answers: string[] = [];
    for (let i = 0; i < 13; i++) {
      const res = await player.text(flooder, 'count');
      answers.push(res.reply?.Content ?? res.body);
    }
    expect(answers.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `handled ${i + 1}`));
    expect(answers.slice(10)).toEqual([RATE_LIMIT_NOTICE, 'success', 'success']);
    expect(counter.runs(flooder)).toBe(10);

    expect((await player.text('o_rate_bystander_000002', 'count')).reply!.Content).toBe('handled 1');

    clock.advance(1_000); // one more a second
    expect((await player.text(flooder, 'count')).reply!.Content).toBe('handled 11');
    expect((await player.text(flooder, 'count')).reply!.Content).toBe(RATE_LIMIT_NOTICE);
  });

  it('logs the limited follower at warn, masked, once per episode (with the notice)', () => {
    const limited = lines.map((l) => JSON.parse(l) as { level: number; msg: string; user?: string }).filter((l) => l.msg.includes('rate limit'));
    expect(limited.map((l) => [l.level, l.user])).toEqual([[40, 'o_ra…0001'], [40, 'o_ra…0001']]);
    expect(lines.join('\n')).not.toContain('o_rate_flooder_00000001');
  });

  it('does not charge a retry of a delivery already taken', async () => {
    const user = 'o_rate_retrier_00000003';
    const msgIds = Array.from({ length: 10 }, () => nextMsgId());
    for (const msgId of msgIds.slice(0, 9)) await player.text(user, 'count', msgId);
    // The platform retries the 9th (same MsgId, fresh request): the stored answer, no token spent.
    expect((await player.text(user, 'count', msgIds[8])).reply!.Content).toBe('handled 9');
    expect((await player.text(user, 'count', msgIds[9])).reply!.Content).toBe('handled 10');
    expect(counter.runs(user)).toBe(10);
  });

  it('never holds back what the platform reports (an unfollow from a flooder is recorded)', async () => {
    const user = 'o_rate_leaver_000000004';
    for (let i = 0; i < 11; i++) await player.text(user, 'count');
    expect((await player.event(user, 'unsubscribe')).status).toBe(200);
    const row = await server.sql.get<{ subscribed: number }>('SELECT subscribed FROM subscribers WHERE user_id = ?', [user]);
    expect(row?.subscribed).toBe(0);
  });

  it('never holds back an opt-out: TD from a follower over the limit is taken and confirmed', async () => {
    const user = 'o_rate_optout_000000005';
    for (let i = 0; i < 11; i++) await player.text(user, 'count'); // the burst, then the notice
    expect((await player.text(user, 'count')).body).toBe('success'); // over the limit, already told
    const res = await player.text(user, 'TD');
    expect(res.reply?.Content).toBeTruthy();
    expect(res.reply?.Content).not.toBe(RATE_LIMIT_NOTICE);
    const row = await server.sql.get<{ opted_out: number }>('SELECT opted_out FROM subscribers WHERE user_id = ?', [user]);
    expect(row?.opted_out).toBe(1);
  });

  it('keeps the buckets in memory on SQLite (the shared table is never written), in the shared table on PostgreSQL', async () => {
    const { n } = (await server.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM follower_buckets'))!;
    // On PostgreSQL every instance of a fleet reads the same buckets: this file's followers have theirs there.
    if (RUN_DB === 'sqlite') expect(n).toBe(0);
    else expect(n).toBeGreaterThan(0);
  });

  it('is configured by WECHAT_FOLLOWER_BURST (0: off) and WECHAT_FOLLOWER_REFILL_SECONDS', () => {
    const base = { WECHAT_TOKEN: TOKEN };
    expect(loadConfig(base).followerLimit).toEqual({ burst: 10, refillMs: 1000 });
    expect(loadConfig({ ...base, WECHAT_FOLLOWER_BURST: '20', WECHAT_FOLLOWER_REFILL_SECONDS: '0.5' }).followerLimit).toEqual({ burst: 20, refillMs: 500 });
    expect(loadConfig({ ...base, WECHAT_FOLLOWER_BURST: '0' }).followerLimit).toBeNull();
    expect(() => loadConfig({ ...base, WECHAT_FOLLOWER_BURST: 'lots' })).toThrow(/WECHAT_FOLLOWER_BURST/);
    // Rounded to 0 ms, the refill was NaN and every follower was dropped after one message, for good.
    expect(() => loadConfig({ ...base, WECHAT_FOLLOWER_REFILL_SECONDS: '0.0001' })).toThrow(/WECHAT_FOLLOWER_REFILL_SECONDS/);
    expect(loadConfig({ ...base, WECHAT_FOLLOWER_REFILL_SECONDS: '0.001' }).followerLimit).toEqual({ burst: 10, refillMs: 1 });
  });

  it('recognises a retry of any delivery charged within the retry window, not only the last; later it is charged again', () => {
    const c = manualClock(0);
    const limiter = createFollowerLimiter({ burst: 3, refillMs: 60_000, maxFollowers: 10 }, c);
    expect(['m1', 'm2', 'm3'].map((m) => limiter.take('default', 'u', m))).toEqual(['admit', 'admit', 'admit']);
    c.advance(10_000);
    expect(limiter.take('default', 'u', 'm1')).toBe('admit'); // a retry: no token spent
    expect(limiter.take('default', 'u', 'm4')).toBe('notice'); // the bucket is empty
    c.advance(RETRY_WINDOW_MS);
    expect(limiter.take('default', 'u', 'm2')).toBe('drop'); // past the window: a new delivery, and over the limit
  });

  it('keeps bounded memory: beyond maxFollowers the least recently seen are forgotten (and start full again)', () => {
    const c = manualClock(0);
    const limiter = createFollowerLimiter({ burst: 1, refillMs: 60_000, maxFollowers: 3 }, c);
    for (const u of ['a', 'b', 'c']) expect(limiter.take('default', u, `${u}1`)).toBe('admit');
    expect(limiter.take('default', 'a', 'a2')).toBe('notice'); // a is remembered, and now the most recent
    expect(limiter.take('default', 'd', 'd1')).toBe('admit'); // b, the least recently seen, is forgotten
    expect(limiter.take('default', 'b', 'b2')).toBe('admit');
    expect(limiter.take('default', 'a', 'a3')).toBe('drop');
  });
});

