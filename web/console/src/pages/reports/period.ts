/** The 数据 screen's period: today, the last 7 or 30 Beijing days, or a range the merchant picks. */
import { beijingDayBefore } from '../../time.ts';

export type PeriodKind = 'today' | '7' | '30' | 'custom';

export interface Period {
  /** Beijing days as the API takes them (2026-11-01), both included. */
  readonly from: string;
  readonly to: string;
}

/** The period a choice means now; `custom` keeps the range picked (today alone until one is). */
export function periodOf(kind: PeriodKind, now: number, custom: Period | null): Period {
  const today = beijingDayBefore(now, 0);
  switch (kind) {
    case 'today':
      return { from: today, to: today };
    case '7':
    case '30':
      return { from: beijingDayBefore(now, Number(kind) - 1), to: today };
    case 'custom':
      return custom ?? { from: today, to: today };
  }
}

/** Every Beijing day of the period, oldest first (the intent chart shows quiet days too). */
export function daysOf(p: Period): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${p.from}T00:00:00Z`); t <= Date.parse(`${p.to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The query string of a report call: `from=…&to=…`. */
export const periodQuery = (p: Period) => `from=${p.from}&to=${p.to}`;
