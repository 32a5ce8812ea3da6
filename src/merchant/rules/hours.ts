/**
 * Beijing time (Asia/Shanghai, UTC+8 all year: China has no daylight saving) for active hours and daily
 * reports. Pure functions of a timestamp from the injected clock.
 */
import type { ActiveHours } from './model.ts';

export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
export const ACTIVE_HOURS_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since midnight and the ISO weekday (1 = Monday) in Beijing time. */
export function shanghaiTime(now: number): { minutes: number; weekday: number } {
  const local = new Date(now + SHANGHAI_OFFSET_MS);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return { minutes: local.getUTCHours() * 60 + local.getUTCMinutes(), weekday };
}

/** `2026-11-01`: the Beijing calendar day of a timestamp. */
export function shanghaiDay(now: number): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * True when `now` falls in the hours (from inclusive, to exclusive). `from` after `to` spans midnight;
 * `days` are checked against the day `now` falls on.
 * @example isActive({ from: '22:00', to: '06:00' }, Date.parse('2026-11-01T23:30:00+08:00')) // true
 */
export function isActive(hours: ActiveHours | null, now: number): boolean {
  if (!hours) return true;
  const { minutes, weekday } = shanghaiTime(now);
  if (hours.days && !hours.days.includes(weekday)) return false;
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

export const describeHours = (hours: ActiveHours): string =>
  `${hours.from}–${hours.to}${hours.days ? ` on days ${hours.days.join(',')}` : ''} (Beijing time)`;
