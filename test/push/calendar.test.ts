/** The calendar's weeks and occurrences: Monday to Sunday in the account's zone, across a daylight-saving change too. */
import { describe, expect, it } from 'vitest';
import { calendar, occurrences } from '../../src/push/calendar.ts';
import type { Broadcast, BroadcastDefinition } from '../../src/push/model.ts';
import { DEFAULT_PUSH_SETTINGS } from '../../src/push/policy.ts';

const local = (ms: number, tz: string) => new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
const broadcast = (id: number, schedule: BroadcastDefinition['schedule'], status: Broadcast['status'] = 'scheduled'): Broadcast => ({
  id, account: 'default', status, lastOccurrence: null, createdAt: 0, updatedAt: 0,
  definition: { name: `b${id}`, message: { type: 'text', content: 'x' }, audience: { all: true }, channel: 'custom', ...(schedule ? { schedule } : {}) },
});

describe('the broadcast calendar', () => {
  it('groups the occurrences of scheduled broadcasts by week, Monday to Sunday', () => {
    const from = Date.parse('2030-01-09T00:00:00+08:00'); // a Wednesday
    const to = from + 21 * 86_400_000;
    const weeks = calendar([
      broadcast(1, { cron: '0 10 * * 1,4', tz: 'Asia/Shanghai' }),
      broadcast(2, { at: '2030-01-12T09:00:00+08:00' }),
      broadcast(3, { cron: '0 10 * * *', tz: 'Asia/Shanghai' }, 'cancelled'),
      broadcast(4, undefined, 'draft'),
    ], () => [], DEFAULT_PUSH_SETTINGS, from, to, from);
    expect(weeks.map((w) => local(w.start, 'Asia/Shanghai'))).toEqual(['Mon, 01/07, 00:00', 'Mon, 01/14, 00:00', 'Mon, 01/21, 00:00', 'Mon, 01/28, 00:00']);
    expect(weeks.map((w) => w.entries.map((e) => `${e.broadcast} ${local(e.at, 'Asia/Shanghai')}`))).toEqual([
      ['1 Thu, 01/10, 10:00', '2 Sat, 01/12, 09:00'],
      ['1 Mon, 01/14, 10:00', '1 Thu, 01/17, 10:00'],
      ['1 Mon, 01/21, 10:00', '1 Thu, 01/24, 10:00'],
      ['1 Mon, 01/28, 10:00'],
    ]);
    expect(weeks.map((w) => w.pushes)).toEqual([2, 2, 2, 1]);
  });

  it('keeps weeks from Monday midnight across a daylight-saving change', () => {
    const tz = 'America/New_York';
    const from = Date.parse('2030-10-28T12:00:00-04:00');
    const weeks = calendar([broadcast(1, { cron: '30 9 * * 1', tz })], () => [], { ...DEFAULT_PUSH_SETTINGS, tz }, from, from + 14 * 86_400_000, from);
    expect(weeks.map((w) => local(w.start, tz))).toEqual(['Mon, 10/28, 00:00', 'Mon, 11/04, 00:00', 'Mon, 11/11, 00:00']);
    expect(weeks.flatMap((w) => w.entries).map((e) => local(e.at, tz))).toEqual(['Mon, 11/04, 09:30', 'Mon, 11/11, 09:30']);
  });

  it('lists the next occurrences of a schedule, none of an `at` already past', () => {
    const now = Date.parse('2030-01-09T00:00:00+08:00');
    expect(occurrences({ cron: '0 10 * * 1', tz: 'Asia/Shanghai' }, now, Infinity, 3).map((t) => local(t, 'Asia/Shanghai'))).toEqual(['Mon, 01/14, 10:00', 'Mon, 01/21, 10:00', 'Mon, 01/28, 10:00']);
    expect(occurrences({ at: '2030-01-01T10:00:00+08:00' }, now, Infinity, 3)).toEqual([]);
  });
});
