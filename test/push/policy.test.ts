import { describe, expect, it } from 'vitest';
import { movesAfterPlanning, parseBroadcast, parseFrozenMessage, statusAfterRun, type Broadcast } from '../../src/push/model.ts';
import {
  DEFAULT_PUSH_SETTINGS, dueOccurrence, inAudience, massBatchCount, plan, sendableAt, skipReason, type Recipient, type PolicyContext,
} from '../../src/push/policy.ts';

const H = 3600_000;
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-01-05T10:00:00+08:00'); // a Monday
const base: Recipient = { user: 'o1', channel: 'wechat', subscribed: true, optedOut: false, lastMessageAt: NOW - H, pushesThisWeek: 0, massThisMonth: 0, customSinceLastMessage: 0 };
const ctx: PolicyContext = { now: NOW, sendAt: NOW, channel: 'custom', accountType: 'service', weeklyCap: 1, massSendsToday: 0 };

describe('broadcast definitions', () => {
  it('accept the issue\'s example and default the time zone to Asia/Shanghai', () => {
    const r = parseBroadcast({ name: '本周新品', message: { type: 'text', content: '本周女装上新，回复「女装」看看' }, audience: { all: true }, channel: 'custom', schedule: { cron: '0 10 * * 1' } });
    expect(r.ok && r.value.schedule).toEqual({ cron: '0 10 * * 1', tz: 'Asia/Shanghai' });
  });
  it('name the field and what it expects when refused', () => {
    const r = parseBroadcast({ name: 'x', message: { type: 'text', content: 'hi' }, audience: {}, channel: 'sms', schedule: { cron: 'nope' } });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.join('\n');
    expect(text).toMatch(/channel: custom/);
    expect(text).toMatch(/audience: say who/);
  });
});

describe('the broadcast lifecycle around a run', () => {
  it('planning moves a broadcast to sending, or straight on when nobody is to be sent', () => {
    expect(movesAfterPlanning('scheduled', 'sending', false)).toEqual(['sending']);
    expect(movesAfterPlanning('sending', 'sending', false)).toEqual([]);
    expect(movesAfterPlanning('draft', 'done', false)).toEqual(['sending', 'done']);
    expect(movesAfterPlanning('scheduled', 'done', true)).toEqual(['scheduled']);
    expect(movesAfterPlanning('scheduled', 'cancelled', false)).toEqual([]);
  });
  it('a finished run ends a one-off broadcast and puts a recurring one back to scheduled; a cancelled one stays', () => {
    const b = (status: Broadcast['status'], schedule?: { cron: string; tz: string }): Broadcast => ({
      id: 1, account: 'default', status, lastOccurrence: null, createdAt: 0, updatedAt: 0,
      definition: { name: 'n', message: { type: 'text', content: 'hi' }, audience: { all: true }, channel: 'custom', ...(schedule ? { schedule } : {}) },
    });
    expect(statusAfterRun(b('sending'), 'failed')).toBe('failed');
    expect(statusAfterRun(b('sending', { cron: '0 10 * * 1', tz: 'Asia/Shanghai' }), 'done')).toBe('scheduled');
    expect(statusAfterRun(b('cancelled'), 'done')).toBeNull();
  });
});

describe('a run\'s frozen message', () => {
  it('is read back through its schema, longer than an operator\'s text may be', () => {
    const long = '本周新品\n'.repeat(200);
    expect(parseFrozenMessage(7, JSON.stringify({ type: 'text', content: long }))).toEqual({ type: 'text', content: long });
  });
  it('refuses what the sender could not send, naming the run', () => {
    expect(() => parseFrozenMessage(7, JSON.stringify({ type: 'product_pick', title: 'x' }))).toThrow(/run 7/);
  });
});

describe('quiet hours (22:00–08:00 Asia/Shanghai by default)', () => {
  it('let a daytime send go now', () => expect(sendableAt(NOW, DEFAULT_PUSH_SETTINGS)).toBe(NOW));
  it('hold a 23:00 send until 08:00 the next morning', () => expect(sendableAt(at('2026-01-05T23:00:00+08:00'), DEFAULT_PUSH_SETTINGS)).toBe(at('2026-01-06T08:00:00+08:00')));
  it('hold a 03:00 send until 08:00 the same morning', () => expect(sendableAt(at('2026-01-06T03:00:00+08:00'), DEFAULT_PUSH_SETTINGS)).toBe(at('2026-01-06T08:00:00+08:00')));
  it('follow the account setting', () => expect(sendableAt(NOW, { quietStart: '09:00', quietEnd: '12:00', tz: 'Asia/Shanghai' })).toBe(at('2026-01-05T12:00:00+08:00')));
});

describe('who may be pushed', () => {
  it('never the unfollowed, the opted out, or Wechaty contacts', () => {
    expect(skipReason({ ...base, subscribed: false }, ctx)).toBe('unfollowed');
    expect(skipReason({ ...base, optedOut: true }, ctx)).toBe('opted_out');
    expect(skipReason({ ...base, channel: 'wechaty' }, ctx)).toBe('unfollowed');
  });
  it('customer-service: only inside the 48-hour window, at most 5 in it', () => {
    expect(skipReason({ ...base, lastMessageAt: NOW - 48 * H }, ctx)).toBe('outside_48h');
    expect(skipReason({ ...base, lastMessageAt: null }, ctx)).toBe('outside_48h');
    expect(skipReason({ ...base, customSinceLastMessage: 5 }, { ...ctx, weeklyCap: 9 })).toBe('platform_limit');
  });
  it('a window that lapses while quiet hours hold the send is a quiet-hours skip', () => {
    expect(skipReason({ ...base, lastMessageAt: NOW - 47 * H }, { ...ctx, sendAt: NOW + 2 * H })).toBe('quiet_hours');
  });
  it('service mass: 4 a month; subscription mass: 1 send a day', () => {
    expect(skipReason({ ...base, massThisMonth: 4 }, { ...ctx, channel: 'mass', weeklyCap: 9 })).toBe('platform_limit');
    expect(skipReason(base, { ...ctx, channel: 'mass', accountType: 'subscription', massSendsToday: 1 })).toBe('platform_limit');
    expect(skipReason({ ...base, lastMessageAt: null }, { ...ctx, channel: 'mass' })).toBeNull();
  });
  it('the weekly cap counts every push in the rolling week', () => {
    expect(skipReason({ ...base, pushesThisWeek: 1 }, ctx)).toBe('capped');
    expect(skipReason({ ...base, pushesThisWeek: 1 }, { ...ctx, weeklyCap: 2 })).toBeNull();
  });
  it('plan counts each follower once, under the first reason', () => {
    const c = plan([base, { ...base, optedOut: true, pushesThisWeek: 3 }, { ...base, pushesThisWeek: 1 }], { all: true }, ctx);
    expect(c).toEqual({ audience: 3, eligible: 1, skipped: { unfollowed: 0, opted_out: 1, outside_48h: 0, quiet_hours: 0, platform_limit: 0, capped: 1 } });
  });
});

describe('audiences', () => {
  it('match tags, stores, cities, interests (category at any level) and recent activity, all given keys together', () => {
    const c = { ...base, tags: ['vip'], store: 's1', city: '上海', interests: ['女装/连衣裙', '红色'] };
    expect(inAudience({ tags: ['vip'] }, c, NOW)).toBe(true);
    expect(inAudience({ stores: ['s2'] }, c, NOW)).toBe(false);
    expect(inAudience({ cities: ['上海市'] }, c, NOW)).toBe(true);
    expect(inAudience({ interests: ['女装'] }, c, NOW)).toBe(true);
    expect(inAudience({ interests: ['男装'] }, c, NOW)).toBe(false);
    expect(inAudience({ active_within_hours: 48, tags: ['vip'] }, c, NOW)).toBe(true);
    expect(inAudience({ active_within_hours: 48 }, { ...c, lastMessageAt: NOW - 49 * H }, NOW)).toBe(false);
  });
});

describe('mass batches', () => {
  it('never leave a batch with a single openid', () => {
    expect(massBatchCount(3, 2)).toBe(1);
    expect(massBatchCount(25_001, 10_000)).toBe(3);
    expect(massBatchCount(1, 10_000)).toBe(1);
  });
});

describe('schedules', () => {
  const monday10 = { cron: '0 10 * * 1', tz: 'Asia/Shanghai' };
  it('a cron occurrence is due at its minute in its time zone', () => {
    expect(dueOccurrence(monday10, NOW - 7 * 24 * H, NOW + 30_000, 6 * H)).toEqual({ kind: 'run', occurrence: NOW });
    expect(dueOccurrence(monday10, NOW, NOW + 60_000, 6 * H)).toEqual({ kind: 'none', next: NOW + 7 * 24 * H });
  });
  it('an occurrence missed while down runs once within the grace period, and is skipped after it', () => {
    expect(dueOccurrence(monday10, NOW - 7 * 24 * H, NOW + 5 * H, 6 * H)).toEqual({ kind: 'run', occurrence: NOW });
    expect(dueOccurrence(monday10, NOW - 7 * 24 * H, NOW + 7 * H, 6 * H)).toEqual({ kind: 'missed', occurrence: NOW });
    expect(dueOccurrence({ at: NOW }, null, NOW + H, 6 * H)).toEqual({ kind: 'run', occurrence: NOW });
    expect(dueOccurrence({ at: NOW }, NOW, NOW + H, 6 * H)).toEqual({ kind: 'none', next: null });
  });
  it('several occurrences missed in a row give the latest, once', () => {
    const daily = { cron: '0 10 * * *', tz: 'Asia/Shanghai' };
    expect(dueOccurrence(daily, NOW - 5 * 24 * H, NOW + H, 6 * H)).toEqual({ kind: 'run', occurrence: NOW });
    expect(dueOccurrence(daily, NOW, NOW + H, 6 * H)).toEqual({ kind: 'none', next: NOW + 24 * H });
  });
  it('looks back 7 days at most: an older occurrence is neither run nor reported', () => {
    const monthly = { cron: '0 10 1 * *', tz: 'Asia/Shanghai' };
    const jan20 = at('2026-01-20T12:00:00+08:00');
    expect(dueOccurrence(monthly, at('2025-12-01T10:00:00+08:00'), jan20, 6 * H)).toEqual({ kind: 'none', next: at('2026-02-01T10:00:00+08:00') });
    expect(dueOccurrence(monthly, at('2025-12-01T10:00:00+08:00'), at('2026-01-08T10:00:00+08:00'), 6 * H)).toEqual({ kind: 'missed', occurrence: at('2026-01-01T10:00:00+08:00') });
    expect(dueOccurrence(monthly, null, at('2026-01-01T11:00:00+08:00'), 6 * H)).toEqual({ kind: 'run', occurrence: at('2026-01-01T10:00:00+08:00') });
  });
});
