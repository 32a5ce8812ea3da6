import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cronProblem, cronWindow } from '../../src/push/cron-schedule.ts';
import { parseBroadcast } from '../../src/push/model.ts';
import { dueOccurrence } from '../../src/push/policy.ts';
import { expressionOf, firstByScan, latestByScan, matches, type CronSets } from './cron-reference.ts';

const H = 3600_000;
const DAY = 24 * H;
const at = (iso: string) => Date.parse(iso);
const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('cron occurrences', () => {
  it('weekly: the latest Monday 10:00 in Shanghai, and next Monday once it is handled', () => {
    const now = at('2026-01-07T15:00:00+08:00'); // a Wednesday
    expect(cronWindow('0 10 * * 1', SH, now - 7 * DAY, now)).toEqual({ latest: at('2026-01-05T10:00:00+08:00') });
    expect(cronWindow('0 10 * * 1', SH, at('2026-01-05T10:00:00+08:00'), now)).toEqual({ latest: null, next: at('2026-01-12T10:00:00+08:00') });
  });

  it('weekly in another zone: the same expression falls at that zone\'s 10:00', () => {
    const now = at('2026-01-07T15:00:00+08:00');
    expect(cronWindow('0 10 * * 1', NY, now - 7 * DAY, now)).toEqual({ latest: at('2026-01-05T10:00:00-05:00') });
    expect(cronWindow('0 10 * * mon', 'UTC', now - 7 * DAY, now)).toEqual({ latest: at('2026-01-05T10:00:00Z') });
  });

  it('daily: today\'s 09:30 once past it, tomorrow\'s next', () => {
    const now = at('2026-01-07T09:30:00+08:00');
    expect(cronWindow('30 9 * * *', SH, now - DAY, now)).toEqual({ latest: now });
    expect(cronWindow('30 9 * * *', SH, now - 2 * DAY, now - 1)).toEqual({ latest: now - DAY });
    expect(cronWindow('30 9 * * *', SH, now, now + 60_000)).toEqual({ latest: null, next: now + DAY });
  });

  it('monthly: the 1st, the last day of the month (L) and the first Monday (1#1)', () => {
    const now = at('2026-03-10T12:00:00+08:00');
    expect(cronWindow('0 10 1 * *', SH, now - 40 * DAY, now)).toEqual({ latest: at('2026-03-01T10:00:00+08:00') });
    expect(cronWindow('0 10 L * *', SH, now - 40 * DAY, now)).toEqual({ latest: at('2026-02-28T10:00:00+08:00') });
    expect(cronWindow('0 10 L * *', SH, at('2026-02-28T10:00:00+08:00'), now)).toEqual({ latest: null, next: at('2026-03-31T10:00:00+08:00') });
    expect(cronWindow('0 10 * * 1#1', SH, now - 40 * DAY, now)).toEqual({ latest: at('2026-03-02T10:00:00+08:00') });
  });

  it('both day fields restricted: either one matches (standard cron)', () => {
    // The 1st of February 2026 is a Sunday; "the 1st or Mondays".
    const now = at('2026-02-01T12:00:00+08:00');
    expect(cronWindow('0 10 1 * 1', SH, now - 7 * DAY, now)).toEqual({ latest: at('2026-02-01T10:00:00+08:00') });
  });

  it('catching up: several occurrences missed give the latest only', () => {
    const now = at('2026-01-07T15:00:00+08:00');
    expect(cronWindow('*/15 * * * *', SH, now - 3 * DAY, now)).toEqual({ latest: now });
    expect(cronWindow('0 * * * *', SH, now - 3 * DAY, now + 59 * 60_000)).toEqual({ latest: now });
  });
});

describe('daylight saving time (America/New_York)', () => {
  // 2026-03-08: 02:00 EST → 03:00 EDT, so 02:30 does not exist that day.
  it('an occurrence at a skipped local time runs once, an hour later on the wall clock (03:30 EDT)', () => {
    const dayBefore = at('2026-03-07T02:30:00-05:00');
    const shifted = at('2026-03-08T03:30:00-04:00');
    expect(cronWindow('30 2 * * *', NY, dayBefore, shifted - 60_000)).toEqual({ latest: null, next: shifted });
    expect(cronWindow('30 2 * * *', NY, dayBefore, shifted + 5 * 60_000)).toEqual({ latest: shifted });
    expect(cronWindow('30 2 * * *', NY, shifted, at('2026-03-08T23:00:00-04:00'))).toEqual({ latest: null, next: at('2026-03-09T02:30:00-04:00') });
    const six = 6 * H;
    expect(dueOccurrence({ cron: '30 2 * * *', tz: NY }, dayBefore, shifted + 60_000, six)).toEqual({ kind: 'run', occurrence: shifted });
  });

  // 2026-11-01: 02:00 EDT → 01:00 EST, so 01:00–01:59 happens twice.
  it('an occurrence at a repeated local time runs once, at its first instance (01:30 EDT)', () => {
    const first = at('2026-11-01T01:30:00-04:00');
    const second = at('2026-11-01T01:30:00-05:00');
    expect(cronWindow('30 1 * * *', NY, first - DAY, first + 60_000)).toEqual({ latest: first });
    expect(cronWindow('30 1 * * *', NY, first, second + 60_000)).toEqual({ latest: null, next: at('2026-11-02T01:30:00-05:00') });
  });

  it('a schedule that does not name the hour follows real time through the repeated hour', () => {
    const first = at('2026-11-01T01:30:00-04:00');
    const second = at('2026-11-01T01:30:00-05:00');
    expect(cronWindow('30 * * * *', NY, first, second + 60_000)).toEqual({ latest: second });
  });
});

describe('cron expressions at creation', () => {
  const definition = (cron: string) => ({ name: 'x', message: { type: 'text', content: 'hi' }, audience: { all: true }, channel: 'custom', schedule: { cron } });
  const problems = (cron: string) => {
    const r = parseBroadcast(definition(cron));
    return r.ok ? [] : r.problems;
  };

  it('accepts standard five-field expressions, names, nicknames, L and #, and a seconds field of 0', () => {
    for (const cron of ['0 10 * * 1', '*/15 9-18 * * 1-5', '0 10 * * thu', '0 10 L * *', '0 10 * * 5#2', '@weekly', '0 0 10 * * 1', '0 10 ? * 1']) {
      expect(problems(cron), cron).toEqual([]);
    }
  });

  it('refuses what cannot be evaluated, naming the field and the reason', () => {
    // "15W" and "L-2" passed the old check (node-cron's) but no evaluator ever ran them.
    for (const [cron, reason] of [
      ['nope', /cannot resolve alias/],
      ['0 10 15W * *', /15W/],
      ['0 10 L-2 * *', /L-2|range/],
      ['60 10 * * 1', /expected range 0-59/],
      ['0 10 30 2 *', /day of month/],
      ['0 10 * * 1 2027', /expected range 0-7/],
      ['', /it is empty/], // cron-parser alone would read it as every minute
    ] as const) {
      const p = problems(cron);
      expect(p, cron).toHaveLength(1);
      expect(p[0], cron).toMatch(/^schedule\.cron: a cron expression such as "0 10 \* \* 1"/);
      expect(p[0], cron).toMatch(reason);
    }
  });

  it('refuses seconds and hashed values: the scheduler works to the minute, and H would move at every evaluation', () => {
    expect(problems('30 0 10 * * 1')).toEqual(['schedule.cron: broadcasts are scheduled to the minute: five fields (minute hour day-of-month month weekday), no seconds']);
    expect(problems('@secondly')).toHaveLength(1);
    expect(problems('H 10 * * 1')[0]).toMatch(/H \(a hashed value\) is not supported/);
  });

  it('an expression accepted at creation evaluates; one refused is refused with a schedule.cron message', () => {
    const token = fc.oneof(
      fc.constantFrom('*', '?', 'L', 'W', 'H', '#', '/', '-', ',', 'mon', 'FRI', 'jan', 'dec', 'LW', '15W', 'L-2', '5L', '1#2', '1#6', 'x'),
      fc.integer({ min: 0, max: 61 }).map(String),
      fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => `${a}-${b}`),
      fc.tuple(fc.constantFrom('*', '0', '5', '1-20'), fc.integer({ min: 0, max: 40 })).map(([a, b]) => `${a}/${b}`),
    );
    const field = fc.array(token, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(','));
    const expr = fc.oneof(
      fc.array(field, { minLength: 4, maxLength: 7 }).map((fs) => fs.join(' ')),
      fc.constantFrom('@yearly', '@monthly', '@weekly', '@daily', '@hourly', '@minutely', '@secondly', '@weekdays', '@weekends', '@never', ''),
    );
    const tz = fc.constantFrom(SH, NY, 'UTC', 'Asia/Kolkata', 'Europe/London');
    const when = fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2028-12-31T00:00:00Z') });
    fc.assert(fc.property(expr, tz, when, (cron, zone, now) => {
      const problem = cronProblem(cron);
      const r = parseBroadcast({ ...definition(cron), schedule: { cron, tz: zone } });
      expect(r.ok).toBe(problem === null);
      if (problem !== null) {
        expect(problem).toMatch(/^schedule\.cron: /);
        return;
      }
      const w = cronWindow(cron, zone, now - 7 * DAY, now);
      if (w.latest !== null) expect(w.latest).toBeLessThanOrEqual(now);
      else expect(w.next).toBeGreaterThan(now);
    }), { numRuns: 400 });
  });
});

describe('cron occurrences against a minute-by-minute scan', () => {
  const subset = (min: number, max: number, most: number) =>
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: most }).map((xs) => xs.sort((a, b) => a - b));
  const sets: fc.Arbitrary<CronSets> = fc.record({
    minute: subset(0, 59, 3),
    hour: fc.option(subset(0, 23, 3), { freq: 3 }),
    dayOfMonth: fc.option(subset(1, 31, 2), { freq: 1 }),
    month: fc.option(subset(1, 12, 4), { freq: 1 }),
    dayOfWeek: fc.option(subset(0, 6, 3), { freq: 2 }),
  }) as fc.Arbitrary<CronSets>;
  // Zones without DST in these periods (New York in winter only): there the scan is the plain definition.
  const zoneAndNow = fc.oneof(
    fc.tuple(fc.constantFrom(SH, 'UTC', 'Asia/Kolkata', 'Asia/Kathmandu'), fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') })),
    fc.tuple(fc.constant(NY), fc.integer({ min: at('2026-01-10T00:00:00Z'), max: at('2026-02-25T00:00:00Z') })),
  );
  const LOOKBACK = 3 * DAY;

  it('the latest occurrence due, or the first to come, is the scan\'s', () => {
    fc.assert(fc.property(sets, zoneAndNow, fc.integer({ min: 0, max: 4 * DAY }), (s, [tz, now], ago) => {
      const cron = expressionOf(s);
      fc.pre(cronProblem(cron) === null);
      const after = Math.max(now - ago, now - LOOKBACK - 1);
      const w = cronWindow(cron, tz, after, now);
      const expected = latestByScan(s, tz, after, now);
      expect(w.latest, `${cron} in ${tz}`).toBe(expected);
      if (w.latest === null) {
        expect(w.next).toBeGreaterThan(now);
        expect(matches(s, w.next, tz)).toBe(true);
        expect(firstByScan(s, tz, now, Math.min(w.next, now + 2 * DAY))).toBeNull();
      }
    }), { numRuns: 150 });
  });
});
