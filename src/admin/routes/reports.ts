/** `/api/stats/...`: top queries, zero-result queries, rule hits, intents per day, per-store counts. */
import { z } from 'zod';
import { parseTime } from '../../catalogue/import/rows.ts';
import { createReports, type Period } from '../../reports/reports.ts';
import { SHANGHAI_OFFSET_MS } from '../../merchant/rules/hours.ts';
import { createStoreRegistry } from '../../merchant/shops/registry.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, route, type Route } from '../http.ts';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const periodQuery = z.object({
  from: z.string().optional().describe('start: a Beijing day (2026-11-01) or an ISO 8601 time; default 7 days before `to`'),
  to: z.string().optional().describe('end: a Beijing day (included) or an ISO 8601 time (excluded); default now'),
});
const limitedQuery = periodQuery.extend({
  limit: z.coerce.number({ error: 'limit: 1 to 100' }).int().min(1, 'limit: 1 to 100').max(100, 'limit: 1 to 100').default(20),
});

/** `from`/`to` as [from, to): a day means the whole Beijing day. */
function periodOf(q: { from?: string | undefined; to?: string | undefined }, now: number): Period {
  const at = (v: string, name: string, end: boolean): number => {
    if (DAY.test(v)) {
      const start = Date.parse(`${v}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
      if (Number.isNaN(start)) throw new ApiError(400, 'validation', `${name}: ${v} is not a day`);
      return end ? start + DAY_MS : start;
    }
    const r = parseTime(v, name);
    if (!r.ok) throw new ApiError(400, 'validation', `${r.reason} (or a day such as 2026-11-01)`);
    return r.value;
  };
  const to = q.to ? at(q.to, 'to', true) : now;
  const from = q.from ? at(q.from, 'from', false) : to - 7 * DAY_MS;
  if (from >= to) throw new ApiError(400, 'validation', 'from must be before to');
  return { from, to };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function reportRoutes(deps: AdminApiOptions): Route[] {
  const reports = createReports(deps.db);
  const stores = createStoreRegistry(deps.db, deps.clock);
  const tag = 'reports';
  const window = (p: Period) => ({ from: iso(p.from), to: iso(p.to) });
  return [
    route({
      method: 'get', path: '/stats/top-queries', tag, summary: 'The most asked questions', query: limitedQuery,
      handler: ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        const items = reports.topQueries(account, p, query.limit).map((r) => ({ query: r.query, count: r.count, followers: r.followers, last_asked_at: iso(r.lastAskedAt) }));
        return { ...window(p), items };
      },
    }),
    route({
      method: 'get', path: '/stats/zero-results', tag, summary: 'What followers asked that nothing answered (no results, or not understood)', query: limitedQuery,
      handler: ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        const items = reports.zeroResults(account, p, query.limit).map((r) => ({
          query: r.query, reason: r.reason, count: r.count, followers: r.followers, last_asked_at: iso(r.lastAskedAt),
        }));
        return { ...window(p), items };
      },
    }),
    route({
      method: 'get', path: '/stats/rule-hits', tag, summary: 'Answers per rule (events included), by whole Beijing days', query: periodQuery,
      handler: ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        return { ...window(p), items: reports.ruleHits(account, p) };
      },
    }),
    route({
      method: 'get', path: '/stats/intents', tag, summary: 'Questions per Beijing day by intent (product, hotel, deal, rule, none)', query: periodQuery,
      handler: ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        return { ...window(p), days: reports.intentsPerDay(account, p) };
      },
    }),
    route({
      method: 'get', path: '/stats/stores', tag, summary: 'Per store: follows and scans in the period, followers and active followers (wrote within 30 days) now', query: periodQuery,
      handler: ({ account, query }) => {
        const now = deps.clock.now();
        const p = periodOf(query, now);
        const items = stores.counts(account, p, now).map((c) => ({
          store: c.store, name: c.name, city: c.city, follows: c.follows, scans: c.scans, followers: c.followers, active_followers: c.activeFollowers,
        }));
        return { ...window(p), items };
      },
    }),
  ];
}
