/** The funnel and revenue reports as the admin API and `guang report --json` print them (snake_case, rates added). */
import { FUNNEL_STEPS, stepRate, type FunnelCounts, type FunnelReport } from './funnel.ts';
import type { RevenueCounts, RevenueRow } from './revenue.ts';

/** Each step with its rate over the previous step's followers. */
const funnelCountsJson = (c: FunnelCounts) =>
  Object.fromEntries(FUNNEL_STEPS.map((s) => [s, { ...c[s], rate: stepRate(c, s) }])) as { [K in keyof FunnelCounts]: FunnelCounts[K] & { rate: number | null } };

/** `name`: a row key's name (a store's), or null. */
export const funnelJson = (r: FunnelReport, name: (key: string | null) => string | null) => ({
  total: funnelCountsJson(r.total),
  rows: r.rows.map((row) => ({ key: row.key, name: name(row.key), ...funnelCountsJson(row) })),
});

const revenueCountsJson = (r: RevenueCounts) => ({
  orders: r.orders, cancelled: r.cancelled, items: r.items, revenue_fen: r.revenueFen, delivered_orders: r.deliveredOrders, delivered_fen: r.deliveredFen,
});

export const revenueJson = (r: { total: RevenueCounts; rows: readonly RevenueRow[] }) => ({
  total: revenueCountsJson(r.total),
  rows: r.rows.map((row) => ({ key: row.key, name: row.name, ...revenueCountsJson(row) })),
});
