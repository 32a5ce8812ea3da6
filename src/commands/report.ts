/**
 * `guang report funnel [--from DAY] [--to DAY] [--by day|store|query] [--store ID] [--limit N] [--json]` and
 * `guang report revenue [--from DAY] [--to DAY] [--by store|referrer|day] [--store ID] [--json]`: the conversion
 * funnel and the revenue of GUANG_DB, as the admin API answers them (`--json`: the same JSON). Days are Beijing
 * days, both included; the default is the last 7 days. Exit code: 0; 2 on a usage error.
 */
import { openDatabase } from '../db/open.ts';
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import { createStoreRegistry } from '../merchant/shops/registry.ts';
import { createFunnel, FUNNEL_STEPS, type FunnelDimension } from '../reports/funnel.ts';
import { createRevenue, type RevenueDimension } from '../reports/revenue.ts';
import { funnelJson, revenueJson } from '../reports/conversion-json.ts';
import type { Period } from '../reports/reports.ts';
import { databasePath } from './db-path.ts';
import { UsageError } from './usage-error.ts';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface CommonOptions {
  readonly account: string;
  readonly from?: string;
  readonly to?: string;
  readonly store?: string;
  readonly json?: boolean;
}
export interface FunnelOptions extends CommonOptions {
  readonly by: FunnelDimension;
  readonly limit: number;
}
export interface RevenueOptions extends CommonOptions {
  readonly by: RevenueDimension;
}

/** Beijing days `from`..`to` (both included) as [from, to); the default ends today, 7 days long. Pure. */
export function periodOfDays(from: string | undefined, to: string | undefined, now: number): Period {
  const start = (v: string, name: string): number => {
    const t = DAY.test(v) ? Date.parse(`${v}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw new UsageError(`--${name}: ${v} is not a day such as 2026-11-01`);
    return t - SHANGHAI_OFFSET_MS;
  };
  const today = Math.floor((now + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  const end = to === undefined ? today + DAY_MS : start(to, 'to') + DAY_MS;
  const begin = from === undefined ? end - 7 * DAY_MS : start(from, 'from');
  if (begin >= end) throw new UsageError('--from must not be after --to');
  return { from: begin, to: end };
}

const dayText = (p: Period) => {
  const d = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  return `${d(p.from)} to ${d(p.to - 1)} (Beijing)`;
};
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const percent = (r: number | null) => (r === null ? '' : ` (${Math.round(r * 1000) / 10}%)`);
const STEP_NAMES: Readonly<Record<(typeof FUNNEL_STEPS)[number], string>> = {
  asked: 'asked', listed: 'list shown', viewed: 'page viewed', ordered: 'ordered', delivered: 'delivered',
};

export async function funnel(o: FunnelOptions): Promise<number> {
  const period = periodOfDays(o.from, o.to, Date.now());
  const sql = (await openDatabase(databasePath())).sql;
  try {
    const storeNames = o.by === 'store' ? await createStoreRegistry(sql).names(o.account) : null;
    const report = await createFunnel(sql).report(o.account, period, o.by, { store: o.store, limit: o.limit });
    const json = funnelJson(report, (key) => (key !== null ? (storeNames?.get(key) ?? null) : null));
    if (o.json) {
      console.log(JSON.stringify({ from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), by: o.by, store: o.store ?? null, ...json }, null, 2));
      return 0;
    }
    console.log(`Funnel ${dayText(period)}${o.store ? `, store ${o.store}` : ''}: followers (count)`);
    const line = (label: string, c: typeof json.total) =>
      `${label}: ${FUNNEL_STEPS.map((s) => `${STEP_NAMES[s]} ${c[s].followers} (${c[s].count})${percent(c[s].rate)}`).join(' → ')}` +
      (c.ordered.cancelled ? `; ${c.ordered.cancelled} cancelled` : '');
    console.log(line('total', json.total));
    for (const r of json.rows) console.log(line(r.key === null ? '(no store)' : r.name ? `${r.key} 「${r.name}」` : r.key, r));
    return 0;
  } finally {
    await sql.close();
  }
}

export async function revenue(o: RevenueOptions): Promise<number> {
  const period = periodOfDays(o.from, o.to, Date.now());
  const sql = (await openDatabase(databasePath())).sql;
  try {
    const json = revenueJson(await createRevenue(sql).report(o.account, period, o.by, o.store));
    if (o.json) {
      console.log(JSON.stringify({ from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), by: o.by, store: o.store ?? null, ...json }, null, 2));
      return 0;
    }
    console.log(`Revenue ${dayText(period)}${o.store ? `, store ${o.store}` : ''} (orders not cancelled; cash on delivery)`);
    const none = o.by === 'store' ? '(no store)' : '(no referrer)';
    const line = (label: string, r: typeof json.total) =>
      `${label}: ${r.orders} orders, ${r.items} items, ${yuan(r.revenue_fen)}; delivered ${r.delivered_orders}, ${yuan(r.delivered_fen)}; ${r.cancelled} cancelled`;
    for (const r of json.rows) console.log(line(r.key === null ? none : r.name ? `${r.key} 「${r.name}」` : r.key, r));
    console.log(line('total', json.total));
    return 0;
  } finally {
    await sql.close();
  }
}
