import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollEvery, type Poll } from '../src/core/poll.ts';
import { pollWithNotices, type ChangeNotices, type ChangeTopic } from '../src/db/change-notices.ts';

/** A refresh whose runs are counted and finish only when told to. */
function gatedRefresh() {
  const pending: (() => void)[] = [];
  let started = 0;
  return {
    refresh: () => {
      started++;
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    started: () => started,
    finish: async () => {
      pending.shift()?.();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe('pollEvery', () => {
  const polls: Poll[] = [];
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => {
    for (const p of polls.splice(0)) p.stop();
    vi.useRealTimers();
  });
  const poll = (...args: Parameters<typeof pollEvery>) => {
    const p = pollEvery(...args);
    polls.push(p);
    return p;
  };

  it('looks every ms, timing the next look from the end of the last', async () => {
    const r = gatedRefresh();
    poll(100, r.refresh, () => {});
    await vi.advanceTimersByTimeAsync(99);
    expect(r.started()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started()).toBe(1);
    // A slow look: no second one is stacked on it.
    await vi.advanceTimersByTimeAsync(500);
    expect(r.started()).toBe(1);
    await r.finish();
    await vi.advanceTimersByTimeAsync(99);
    expect(r.started()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started()).toBe(2);
  });

  it('looks at once when woken, and once more after the look under way when woken during it', async () => {
    const r = gatedRefresh();
    const p = poll(10_000, r.refresh, () => {});
    p.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.started()).toBe(1);
    p.wake();
    p.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.started()).toBe(1);
    await r.finish();
    expect(r.started()).toBe(2);
    await r.finish();
    // Then back to its pace, timed from the last look.
    await vi.advanceTimersByTimeAsync(9_999);
    expect(r.started()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started()).toBe(3);
  });

  it('reads its pace before each wait', async () => {
    let pace = 100;
    const r = gatedRefresh();
    poll(() => pace, r.refresh, () => {});
    await vi.advanceTimersByTimeAsync(100);
    expect(r.started()).toBe(1);
    pace = 1_000;
    await r.finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(r.started()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started()).toBe(2);
  });

  it('hands a failure to onError and carries on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    poll(50, async () => {
      if (++calls === 1) throw new Error('database away');
    }, (err) => errors.push(err));
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database away');
  });

  it('with 0 looks only when woken; once stopped, never', async () => {
    const refresh = vi.fn(async () => {});
    const p = poll(0, refresh, () => {});
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh).not.toHaveBeenCalled();
    p.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    p.stop();
    p.wake();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});

/** Notices the test sends by hand. */
function handNotices(listening: boolean) {
  const followers = new Map<ChangeTopic, Set<() => void>>();
  const notices = {
    listening,
    subscribe(topic: ChangeTopic, wake: () => void) {
      if (!followers.has(topic)) followers.set(topic, new Set());
      followers.get(topic)!.add(wake);
      return () => void followers.get(topic)!.delete(wake);
    },
  };
  return {
    notices: { subscribe: notices.subscribe, listening: () => notices.listening } satisfies ChangeNotices,
    send: (topic: ChangeTopic) => followers.get(topic)?.forEach((wake) => wake()),
    setListening: (on: boolean) => void (notices.listening = on),
    followers: (topic: ChangeTopic) => followers.get(topic)?.size ?? 0,
  };
}

describe('pollWithNotices', () => {
  const polls: Poll[] = [];
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => {
    for (const p of polls.splice(0)) p.stop();
    vi.useRealTimers();
  });

  it('looks at once on a notice of its topic, not on another topic\'s', async () => {
    const hand = handNotices(true);
    const refresh = vi.fn(async () => {});
    polls.push(pollWithNotices({ pollMs: 10_000, notices: hand.notices, topic: 'merchant' }, refresh, () => {}));
    hand.send('catalogue');
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).not.toHaveBeenCalled();
    hand.send('merchant');
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('takes a burst of notices as one look now and one a moment later', async () => {
    const hand = handNotices(true);
    const refresh = vi.fn(async () => {});
    polls.push(pollWithNotices({ pollMs: 10_000, notices: hand.notices, topic: 'catalogue' }, refresh, () => {}));
    for (let i = 0; i < 20; i++) hand.send('catalogue');
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('polls slower while notices arrive, and at its own pace while they do not', async () => {
    const hand = handNotices(true);
    const refresh = vi.fn(async () => {});
    polls.push(pollWithNotices({ pollMs: 250, notices: hand.notices, topic: 'merchant' }, refresh, () => {}));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    // The listener drops its connection: it wakes its followers, which go back to their own pace.
    hand.setListening(false);
    hand.send('merchant');
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('stops following its topic when stopped', async () => {
    const hand = handNotices(true);
    const p = pollWithNotices({ pollMs: 250, notices: hand.notices, topic: 'merchant' }, async () => {}, () => {});
    expect(hand.followers('merchant')).toBe(1);
    p.stop();
    expect(hand.followers('merchant')).toBe(0);
  });
});
