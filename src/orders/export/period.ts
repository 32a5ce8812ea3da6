/**
 * The period of an order list or export, as merchants give it: a Beijing day (2026-12-01: the whole day, `to`
 * included) or an ISO 8601 time (`to` excluded). Pure; the API and the CLI share it, so both read dates alike.
 */
import { parseTime } from '../../catalogue/import/rows.ts';
import { SHANGHAI_OFFSET_MS } from '../../merchant/rules/hours.ts';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** [from, to) in ms; an end left open is undefined. */
export interface OrderPeriod {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

export type PeriodResult = { readonly ok: true; readonly period: OrderPeriod } | { readonly ok: false; readonly en: string; readonly zh: string; readonly field: 'from' | 'to' };

function instant(v: string, name: 'from' | 'to'): number | { en: string; zh: string } {
  const t = v.trim();
  if (DAY.test(t)) {
    const start = Date.parse(`${t}T00:00:00Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== t) return { en: `${name}: ${t} is not a day`, zh: `${t} 不是有效日期` };
    return start - SHANGHAI_OFFSET_MS + (name === 'to' ? DAY_MS : 0);
  }
  const r = parseTime(t, name);
  if (!r.ok) return { en: `${name}: a day such as 2026-12-01 or an ISO time such as 2026-12-01T08:00:00+08:00`, zh: '日期应形如 2026-12-01（或 2026-12-01T08:00:00+08:00）' };
  return r.value;
}

/**
 * @example orderPeriod('2026-12-01', '2026-12-03') // Beijing 12-01 00:00 up to 12-04 00:00
 */
export function orderPeriod(from: string | undefined, to: string | undefined): PeriodResult {
  const out: { from?: number; to?: number } = {};
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (v === undefined || v.trim() === '') continue;
    const at = instant(v, name);
    if (typeof at !== 'number') return { ok: false, field: name, ...at };
    out[name] = at;
  }
  if (out.from !== undefined && out.to !== undefined && out.from >= out.to) {
    return { ok: false, field: 'to', en: 'to: must be after from', zh: '结束日期应晚于开始日期' };
  }
  return { ok: true, period: out };
}

/** The Beijing day of an instant: 2026-12-01. */
export const beijingDay = (ms: number): string => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** The Beijing time of an instant as a spreadsheet shows it: 2026-12-01 09:30:00. */
export const beijingTime = (ms: number): string => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/** The period in a file name: 2026-12-01_2026-12-03 (the last day included), `until-…`, `from-…`, or `all`. */
export function periodLabel(p: OrderPeriod): string {
  const first = p.from !== undefined ? beijingDay(p.from) : null;
  // `to` is excluded: the last day covered is the one before it (an ISO time mid-day keeps its own day).
  const last = p.to !== undefined ? beijingDay(p.to - 1) : null;
  if (first && last) return first === last ? first : `${first}_${last}`;
  if (first) return `from-${first}`;
  if (last) return `until-${last}`;
  return 'all';
}
