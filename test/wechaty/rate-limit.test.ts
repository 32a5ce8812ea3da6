import { describe, expect, it } from 'vitest';
import { createRateLimiter, createSendPacer } from '../../src/channels/wechaty/rate-limit.ts';
import { manualClock } from '../../src/core/clock.ts';

const limits = {
  contact: { burst: 2, refillMs: 10_000 },
  room: { burst: 3, refillMs: 5_000 },
  bot: { burst: 6, refillMs: 3_000 },
};

describe('token buckets', () => {
  it('lets a burst through, then one message per refill interval', () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter(limits, clock);
    const take = () => limiter.take({ contact: 'a', room: null });
    expect([take(), take()].every((a) => a.ok)).toBe(true);
    expect(take()).toEqual({ ok: false, scope: 'contact', retryInMs: 10_000 });
    clock.advance(4_000);
    expect(take()).toEqual({ ok: false, scope: 'contact', retryInMs: 6_000 });
    clock.advance(6_000);
    expect(take().ok).toBe(true);
    expect(take().ok).toBe(false);
  });

  it('limits a group across its members, and takes nothing from anyone when one bucket is empty', () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter(limits, clock);
    for (const who of ['a', 'b', 'c']) expect(limiter.take({ contact: who, room: 'g' }).ok).toBe(true);
    expect(limiter.take({ contact: 'd', room: 'g' })).toMatchObject({ ok: false, scope: 'room' });
    // d's own bucket was not drawn by the refused message: d still has a full burst in private.
    expect([limiter.take({ contact: 'd', room: null }).ok, limiter.take({ contact: 'd', room: null }).ok]).toEqual([true, true]);
  });

  it('limits the whole bot, whoever writes', () => {
    const limiter = createRateLimiter(limits, manualClock(0));
    const results = Array.from({ length: 8 }, (_, i) => limiter.take({ contact: `p${i}`, room: null }));
    expect(results.filter((r) => r.ok)).toHaveLength(6);
    expect(results[6]).toMatchObject({ ok: false, scope: 'bot' });
  });

  it('sends one message at a time, at least the gap apart, never all at once', async () => {
    const pace = createSendPacer(30);
    const at: number[] = [];
    await Promise.all([1, 2, 3].map(() => pace(async () => void at.push(performance.now()))));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(30);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(30);
  });
});
