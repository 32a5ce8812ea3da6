/** `/api/stats/...`: top queries, zero-result queries, service questions by topic, messages that need a person, rule hits, intents per day, new and lost followers per day, per-store counts. */
import { z } from 'zod';
import { parseTime } from '../../catalogue/import/rows.ts';
import { createReports, type Period } from '../../reports/reports.ts';
import { createFollowerCounts } from '../../reports/followers.ts';
import { SHANGHAI_OFFSET_MS } from '../../merchant/rules/hours.ts';
import { createStoreRegistry } from '../../merchant/shops/registry.ts';
import type { AdminApiOptions } from '../options.ts';
import { scopedStore } from '../permissions.ts';
import { ApiError, isoTime, route, type Route } from '../http.ts';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const periodQuery = z.object({
  from: z.string().optional().describe('start: a Beijing day (2026-11-01) or an ISO 8601 time; default 7 days before `to`'),
  to: z.string().optional().describe('end: a Beijing day (included) or an ISO 8601 time (excluded); default now'),
});
const limitedQuery = periodQuery.extend({
  limit: z.coerce.number({ error: 'limit: 1 to 100' }).int().min(1, 'limit: 1 to 100').max(100, 'limit: 1 to 100').default(20),
});

/** Every report answers with its period, [from, to), and its rows. */
const report = <T extends z.ZodRawShape>(rows: T) => z.strictObject({ from: isoTime, to: isoTime, ...rows });
const queryCount = {
  query: z.string().describe('as followers typed it, trimmed and lower-cased'),
  count: z.number().int(),
  followers: z.number().int().describe('distinct followers who asked it'),
  last_asked_at: isoTime,
};
const topQueries = report({ items: z.array(z.strictObject(queryCount)) });
const zeroResults = report({
  items: z.array(z.strictObject({ ...queryCount, reason: z.enum(['no_results', 'not_understood']).describe('no_results: understood, nothing matched; not_understood: nothing could answer it') })),
});
const ruleHits = report({
  items: z.array(z.strictObject({
    rule: z.number().int(),
    name: z.string().nullable().describe('null when the rule is gone'),
    kind: z.string().nullable().describe('keyword (contains), event (follow) …'),
    deleted: z.boolean(),
    hits: z.number().int(),
  })),
});
const serviceQuestions = report({
  items: z.array(z.strictObject({
    topic: z.string().describe('human, how_to_order, cod, shipping_time, shipping_fee, returns, authenticity, sizes, stores, coupons, who_are_you, out_of_scope, complaint'),
    count: z.number().int(),
    followers: z.number().int().describe('distinct followers who asked'),
  })),
});
const needsPerson = report({
  items: z.array(z.strictObject({
    text: z.string().describe('what the follower wrote (its first 512 characters)'),
    user: z.string().describe('the follower (openid or Wechaty contact), to find them under 粉丝'),
    channel: z.string(),
    reason: z.enum(['asked_for_person', 'complaint']).describe('asked_for_person: 人工, 找客服 …; complaint: a long complaint (投诉, 退款, 质量太差 …) or 我要投诉'),
    handoff: z.enum(['transfer', 'text']).describe('transfer: handed to the account\'s customer-service staff; text: answered with the service answer'),
    at: isoTime,
  })),
});
const intents = report({
  days: z.array(z.strictObject({ day: z.string().describe('a Beijing day, 2026-11-01'), total: z.number().int(), intents: z.record(z.string(), z.number().int()).describe('questions by intent: product, hotel, deal, rule, none …') })),
});
const storeCounts = report({
  items: z.array(z.strictObject({
    store: z.string(),
    name: z.string(),
    city: z.string().nullable(),
    follows: z.number().int().describe('follows through the store\'s codes in the period'),
    scans: z.number().int().describe('scans by existing followers in the period'),
    followers: z.number().int().describe('followers attributed to the store who still follow'),
    active_followers: z.number().int().describe('of those, who wrote within the last 30 days'),
  })),
});

const followerQuery = periodQuery.extend({ store: z.string().optional().describe('only the followers attributed to this store (store staff: always their own)') });
const followers = report({
  store: z.string().nullable().describe('the store counted, or null for the whole account'),
  following: z.number().int().describe('followers who follow now'),
  days: z.array(z.strictObject({
    day: z.string().describe('a Beijing day, 2026-11-01'),
    follows: z.number().int().describe('new followers: whose latest follow fell on the day'),
    unfollows: z.number().int().describe('lost followers: whose latest unfollow fell on the day'),
  })).describe('only days with a follow or an unfollow'),
});

/** `from`/`to` as [from, to): a day means the whole Beijing day. */
export function periodOf(q: { from?: string | undefined; to?: string | undefined }, now: number): Period {
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
  const reports = createReports(deps.sql);
  const stores = createStoreRegistry(deps.sql, deps.clock);
  const followerCounts = createFollowerCounts(deps.sql);
  const tag = 'reports';
  const window = (p: Period) => ({ from: iso(p.from), to: iso(p.to) });
  return [
    route({
      method: 'get', path: '/stats/top-queries', id: 'reportTopQueries', tag, response: topQueries, summary: 'The most asked questions', query: limitedQuery,
      handler: async ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        const items = (await reports.topQueries(account, p, query.limit)).map((r) => ({ query: r.query, count: r.count, followers: r.followers, last_asked_at: iso(r.lastAskedAt) }));
        return { ...window(p), items };
      },
    }),
    route({
      method: 'get', path: '/stats/zero-results', id: 'reportZeroResults', tag, response: zeroResults, summary: 'What followers asked that nothing answered (no results, or not understood)', query: limitedQuery,
      handler: async ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        const items = (await reports.zeroResults(account, p, query.limit)).map((r) => ({
          query: r.query, reason: r.reason, count: r.count, followers: r.followers, last_asked_at: iso(r.lastAskedAt),
        }));
        return { ...window(p), items };
      },
    }),
    route({
      method: 'get', path: '/stats/service-questions', id: 'reportServiceQuestions', tag, response: serviceQuestions, query: periodQuery,
      summary: 'Service questions answered (人工, 包邮吗, 是正品吗 …) by topic: questions, not catalogue gaps',
      handler: async ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        return { ...window(p), items: await reports.serviceQuestions(account, p) };
      },
    }),
    route({
      method: 'get', path: '/stats/needs-person', id: 'reportNeedsPerson', tag, response: needsPerson, query: limitedQuery,
      summary: 'The latest messages that need a person: followers who asked for one (人工) and complaints, newest first',
      handler: async ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        const items = (await reports.needsPerson(account, p, query.limit)).map((r) => ({ text: r.text, user: r.user, channel: r.channel, reason: r.reason, handoff: r.handoff, at: iso(r.at) }));
        return { ...window(p), items };
      },
    }),
    route({
      method: 'get', path: '/stats/rule-hits', id: 'reportRuleHits', tag, response: ruleHits, summary: 'Answers per rule (events included), by whole Beijing days', query: periodQuery,
      handler: async ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        return { ...window(p), items: await reports.ruleHits(account, p) };
      },
    }),
    route({
      method: 'get', path: '/stats/intents', id: 'reportIntents', tag, response: intents, summary: 'Questions per Beijing day by intent (product, hotel, deal, rule, none)', query: periodQuery,
      handler: async ({ account, query }) => {
        const p = periodOf(query, deps.clock.now());
        return { ...window(p), days: await reports.intentsPerDay(account, p) };
      },
    }),
    route({
      method: 'get', path: '/stats/followers', id: 'reportFollowers', tag, response: followers, query: followerQuery,
      summary: 'New and lost followers per Beijing day, and how many follow now; of the account or one store (store staff: their store\'s)',
      handler: async ({ account, query, caller }) => {
        const p = periodOf(query, deps.clock.now());
        const store = scopedStore(caller, query.store);
        return { ...window(p), store: store ?? null, following: await followerCounts.following(account, store), days: await followerCounts.perDay(account, p, store) };
      },
    }),
    route({
      method: 'get', path: '/stats/stores', id: 'reportStores', tag, response: storeCounts, summary: 'Per store: follows and scans in the period, followers and active followers (wrote within 30 days) now', query: periodQuery,
      handler: async ({ account, query }) => {
        const now = deps.clock.now();
        const p = periodOf(query, now);
        const items = (await stores.counts(account, p, now)).map((c) => ({
          store: c.store, name: c.name, city: c.city, follows: c.follows, scans: c.scans, followers: c.followers, active_followers: c.activeFollowers,
        }));
        return { ...window(p), items };
      },
    }),
  ];
}
