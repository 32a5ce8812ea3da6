/**
 * `/api/reports/funnel` and `/api/reports/revenue`: the conversion funnel (asked → list shown → item page
 * viewed → ordered → delivered) per day, store or top query, and revenue per store, referrer or day. Store
 * staff get their own store's numbers only (`scopedStore`).
 */
import { z } from 'zod';
import { createFunnel, FUNNEL_DIMENSIONS } from '../../reports/funnel.ts';
import { createRevenue, REVENUE_DIMENSIONS } from '../../reports/revenue.ts';
import { funnelJson, revenueJson } from '../../reports/conversion-json.ts';
import { createStoreRegistry } from '../../merchant/shops/registry.ts';
import type { AdminApiOptions } from '../options.ts';
import { scopedStore } from '../permissions.ts';
import { isoTime, route, type Route } from '../http.ts';
import { periodOf, periodQuery } from './reports.ts';

const store = z.string().optional().describe('only this store\'s followers, page views and orders (store staff: always their own)');
const funnelQuery = periodQuery.extend({
  by: z.enum(FUNNEL_DIMENSIONS, { error: 'by: day, store or query' }).default('day').describe('one row per Beijing day, per store, or per top query'),
  store,
  limit: z.coerce.number({ error: 'limit: 1 to 100' }).int().min(1, 'limit: 1 to 100').max(100, 'limit: 1 to 100').default(20)
    .describe('by=query: how many of the most asked queries'),
});
const revenueQuery = periodQuery.extend({
  by: z.enum(REVENUE_DIMENSIONS, { error: 'by: store, referrer or day' }).default('store').describe('one row per store, per referrer, or per Beijing day'),
  store,
});

const step = (what: string) =>
  z.strictObject({
    count: z.number().int().describe(what),
    followers: z.number().int().describe('distinct followers who took the step'),
    rate: z.number().nullable().describe('followers as a share of the previous step\'s followers (null for the first step, or after a step nobody took); steps are not nested, so it can exceed 1'),
  });
const funnelCounts = {
  asked: step('followers\' text messages (not locations, not TD/订阅, not the console\'s test followers)'),
  listed: step('answers that showed results'),
  viewed: step('item page views (anonymous ones count as views, not as followers)'),
  ordered: step('orders placed in the period, cancelled or not').extend({ cancelled: z.number().int().describe('of those, cancelled now') }),
  delivered: step('orders placed in the period and delivered now'),
};
const funnel = z.strictObject({
  from: isoTime,
  to: isoTime,
  by: z.enum(FUNNEL_DIMENSIONS),
  store: z.string().nullable().describe('the store counted, or null for the whole account'),
  total: z.strictObject(funnelCounts).describe('the whole period (by=query: every query, not only the top ones)'),
  rows: z.array(z.strictObject({
    key: z.string().nullable().describe('the Beijing day (2026-11-01), the store id (null: followers of no store), or the query (trimmed, lower-cased)'),
    name: z.string().nullable().describe('by=store: the store\'s name'),
    ...funnelCounts,
  })),
});

const revenueCounts = {
  orders: z.number().int().describe('orders placed in the period and not cancelled'),
  cancelled: z.number().int().describe('orders placed in the period and cancelled'),
  items: z.number().int().describe('pieces in the orders not cancelled'),
  revenue_fen: z.number().int().describe('what the orders not cancelled come to, shipping included, in fen'),
  delivered_orders: z.number().int(),
  delivered_fen: z.number().int().describe('what the delivered orders come to, in fen'),
};
const revenue = z.strictObject({
  from: isoTime,
  to: isoTime,
  by: z.enum(REVENUE_DIMENSIONS),
  store: z.string().nullable().describe('the store counted, or null for the whole account'),
  total: z.strictObject(revenueCounts),
  rows: z.array(z.strictObject({
    key: z.string().nullable().describe('the store id or referrer code (null: none), or the Beijing day'),
    name: z.string().nullable().describe('the store\'s or referrer\'s name'),
    ...revenueCounts,
  })),
});

const iso = (ms: number) => new Date(ms).toISOString();

export function conversionRoutes(deps: AdminApiOptions): Route[] {
  const funnels = createFunnel(deps.sql);
  const revenues = createRevenue(deps.sql);
  const stores = createStoreRegistry(deps.sql, deps.clock);
  const tag = 'reports';
  return [
    route({
      method: 'get', path: '/reports/funnel', id: 'reportFunnel', tag, response: funnel, query: funnelQuery,
      summary: 'The conversion funnel (asked → list shown → item page viewed → ordered → delivered) per Beijing day, store or top query',
      handler: async ({ account, query, caller }) => {
        const p = periodOf(query, deps.clock.now());
        const only = scopedStore(caller, query.store);
        const r = await funnels.report(account, p, query.by, { store: only, limit: query.limit });
        const storeNames = query.by === 'store' ? await stores.names(account) : null;
        const name = (key: string | null) => (key === null ? null : (storeNames?.get(key) ?? null));
        return { from: iso(p.from), to: iso(p.to), by: query.by, store: only ?? null, ...funnelJson(r, name) };
      },
    }),
    route({
      method: 'get', path: '/reports/revenue', id: 'reportRevenue', tag, response: revenue, query: revenueQuery,
      summary: 'Revenue of the orders placed in the period (in fen; cancelled orders apart) per store, referrer or Beijing day',
      handler: async ({ account, query, caller }) => {
        const p = periodOf(query, deps.clock.now());
        const only = scopedStore(caller, query.store);
        const r = await revenues.report(account, p, query.by, only);
        return { from: iso(p.from), to: iso(p.to), by: query.by, store: only ?? null, ...revenueJson(r) };
      },
    }),
  ];
}
