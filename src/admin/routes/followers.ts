/**
 * `/api/subscribers`: followers — the filtered list, one follower, their page (messages and answers, orders,
 * the send ledger, what is left of their 48-hour window), and the merchant's tags on them. Store staff see and
 * tag their own store's followers only: another store's follower is not found, as if it did not exist.
 */
import { z } from 'zod';
import { createFollowerTags, tagNameProblem } from '../../merchant/follower-tags.ts';
import { createFollowerActivity } from '../../reports/follower-activity.ts';
import { createSubscriberQueries, subscriberToJson, type SubscriberView } from '../../reports/subscribers.ts';
import type { Lang } from '../../core/lang.ts';
import type { AdminApiOptions } from '../options.ts';
import { scopedStore } from '../permissions.ts';
import { ApiError, decodeCursor, isoTime, notFound, page, pageOf, pageQuery, route, type Caller, type Route } from '../http.ts';

const subscriberJson = z.strictObject({
  openid: z.string(),
  channel: z.string(),
  subscribed: z.boolean(),
  opted_out: z.boolean().describe('replied TD: no broadcasts'),
  store: z.string().nullable(),
  tags: z.array(z.string()),
  first_scene: z.string().nullable(),
  last_scene: z.string().nullable(),
  subscribed_at: isoTime.nullable(),
  last_message_at: isoTime.nullable(),
  orders: z.number().int().describe('orders placed, any status'),
});

const yesNo = (name: string) => z.enum(['true', 'false'], { error: `${name}: true or false` }).optional();
const subscriberQuery = pageQuery.extend({
  store: z.string().optional(),
  tag: z.string().optional(),
  subscribed: yesNo('subscribed'),
  opted_out: yesNo('opted_out'),
  has_ordered: yesNo('has_ordered'),
  active_days: z.coerce.number({ error: 'active_days: a number of days, 1 to 3650' }).int('active_days: a whole number of days')
    .min(1, 'active_days: a number of days, 1 to 3650').max(3650, 'active_days: a number of days, 1 to 3650').optional()
    .describe('only followers whose last message is at most this many days old'),
});

const messageJson = z.strictObject({
  id: z.number().int(),
  at: isoTime,
  text: z.string().describe('what the follower sent'),
  intent: z.string().nullable(),
  answered_by: z.string().nullable().describe('rule:<id>, store:<id>, a skill or a built-in step (null: not answered)'),
  rule: z.strictObject({ id: z.number().int(), name: z.string() }).nullable(),
  shown: z.array(z.strictObject({ id: z.string(), title: z.string().nullable() })).describe('the catalogue items the answer showed'),
});
const activityJson = z.strictObject({
  subscriber: subscriberJson,
  messages: z.array(messageJson).describe('the last 20, newest first'),
  orders: z.array(z.strictObject({
    id: z.number().int(), status: z.string(), total_fen: z.number().int(), items: z.string(), store: z.string().nullable(), created_at: isoTime,
  })).describe('the last 10, newest first'),
  orders_total: z.number().int(),
  pushes: z.array(z.strictObject({
    id: z.number().int(), at: isoTime, kind: z.enum(['push', 'answer']), channel: z.enum(['custom', 'mass']), outcome: z.enum(['sent', 'unknown']),
    broadcast: z.strictObject({ id: z.number().int(), name: z.string() }).nullable(),
    what: z.string().describe('a push: the start of its text or its article\'s title; an answer: what sent it (late_answer, rule_reply)'),
  })).describe('the send ledger\'s last 20 for the follower, newest first'),
  window: z.strictObject({
    ends_at: isoTime.nullable().describe('48 hours after their last message (null: they never wrote)'),
    open: z.boolean(),
    customer_service_used: z.number().int(),
    customer_service_left: z.number().int().describe('customer-service messages the platform still allows in this window (0 when closed)'),
    customer_service_quota: z.number().int(),
  }),
  week: z.strictObject({ pushes: z.number().int().describe('broadcast pushes in the last 7 days'), cap: z.number().int().describe('the account\'s weekly cap') }),
});
const tagsJson = z.strictObject({ openid: z.string(), tags: z.array(z.string()) });

const iso = (ms: number) => new Date(ms).toISOString();
const flag = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');

export function followerRoutes(deps: AdminApiOptions): Route[] {
  const sql = deps.sql;
  const subscribers = createSubscriberQueries(sql);
  const activity = createFollowerActivity(sql);
  const tags = createFollowerTags(sql);
  const tag = 'stores';
  /** The follower, if the caller may see them (store staff: their store's only; others are not found). */
  const follower = async (account: string, openid: string, caller: Caller): Promise<SubscriberView> => {
    const s = await subscribers.get(account, openid);
    if (!s || (scopedStore(caller, undefined) ?? s.store) !== s.store) throw notFound(`follower ${openid}`);
    return s;
  };
  const tagName = (raw: string, lang: Lang): string => {
    const problem = tagNameProblem(raw, lang);
    if (problem) throw new ApiError(400, 'validation', `tag: ${problem}`, [{ path: 'tag', message: problem }]);
    return raw;
  };
  return [
    route({
      method: 'get', path: '/subscribers', id: 'listSubscribers', tag,
      summary: 'List followers (by openid) with filters: store, tag, (un)subscribed, opted out, active within N days, has ordered; with the total (store staff: their store\'s only)',
      query: subscriberQuery, response: pageOf(subscriberJson).extend({ total: z.number().int().describe('followers matching the filters, every page together') }),
      handler: async ({ account, query, caller }) => {
        const filter = {
          store: scopedStore(caller, query.store), tag: query.tag, subscribed: flag(query.subscribed), optedOut: flag(query.opted_out),
          hasOrdered: flag(query.has_ordered), activeSince: query.active_days === undefined ? undefined : deps.clock.now() - query.active_days * 86_400_000,
        };
        const [rows, total] = await Promise.all([
          subscribers.list(account, filter, { limit: query.limit + 1, after: decodeCursor<string>(query.cursor, 'string') }),
          subscribers.count(account, filter),
        ]);
        return { ...page(rows, query.limit, (s) => s.openid, subscriberToJson), total };
      },
    }),
    route({
      method: 'get', path: '/subscribers/:openid', id: 'getSubscriber', tag, summary: 'Read a follower (store staff: one of their store\'s)', response: subscriberJson,
      handler: async ({ account, params, caller }) => subscriberToJson(await follower(account, params.openid!, caller)),
    }),
    route({
      method: 'get', path: '/subscribers/:openid/activity', id: 'getSubscriberActivity', tag,
      summary: 'A follower\'s page: last messages with the bot\'s answers, last orders, pushes received, what is left of the 48-hour window and its quota (store staff: their store\'s)',
      response: activityJson,
      handler: async ({ account, params, caller }) => {
        const s = await follower(account, params.openid!, caller);
        const now = deps.clock.now();
        const [a, o, messages, pushes] = await Promise.all([
          activity.allowance(account, s.lastMessageAt, s.openid, now),
          activity.orders(account, s.openid),
          activity.messages(account, s.openid),
          activity.pushes(account, s.openid),
        ]);
        return {
          subscriber: subscriberToJson(s),
          messages: messages.map((m) => ({
            id: m.id, at: iso(m.at), text: m.text, intent: m.intent, answered_by: m.answeredBy, rule: m.rule, shown: [...m.shown],
          })),
          orders: o.orders.map((x) => ({ id: x.id, status: x.status, total_fen: x.totalFen, items: x.items, store: x.store, created_at: iso(x.createdAt) })),
          orders_total: o.total,
          pushes: pushes.map((p) => ({
            id: p.id, at: iso(p.at), kind: p.kind, channel: p.channel, outcome: p.outcome, broadcast: p.broadcast, what: p.what,
          })),
          window: {
            ends_at: a.windowEndsAt === null ? null : iso(a.windowEndsAt), open: a.windowOpen,
            customer_service_used: a.customerServiceUsed, customer_service_left: a.customerServiceLeft, customer_service_quota: a.customerServiceQuota,
          },
          week: { pushes: a.pushesThisWeek, cap: a.weeklyCap },
        };
      },
    }),
    route({
      method: 'put', path: '/subscribers/:openid/tags/:tag', id: 'tagSubscriber', tag,
      summary: 'Give a follower a tag (1–30 letters, digits, _ - . ·; not store:<id>); answers their tags (store staff: their store\'s followers)',
      response: tagsJson,
      handler: async ({ account, params, caller, lang }) => {
        const name = tagName(params.tag!, lang);
        const s = await follower(account, params.openid!, caller);
        await tags.add(account, s.openid, name, deps.clock.now());
        return { openid: s.openid, tags: (await follower(account, s.openid, caller)).tags };
      },
    }),
    route({
      method: 'delete', path: '/subscribers/:openid/tags/:tag', id: 'untagSubscriber', tag,
      summary: 'Take a tag off a follower (not a store:<id> tag); answers their tags (store staff: their store\'s followers)',
      response: tagsJson,
      handler: async ({ account, params, caller, lang }) => {
        const name = tagName(params.tag!, lang);
        const s = await follower(account, params.openid!, caller);
        await tags.remove(account, s.openid, name);
        return { openid: s.openid, tags: (await follower(account, s.openid, caller)).tags };
      },
    }),
  ];
}
