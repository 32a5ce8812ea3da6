/**
 * The conversion funnel: asked → list shown → item page viewed → ordered → delivered, for a period, in total
 * and per Beijing day, per store or per top query. Read-only queries over the answer log, the page views and
 * the orders. What each step counts:
 *
 * - asked: followers' text messages (not location messages, not TD/订阅 — the opt-out/opt-in answers — and
 *   never the console's test followers);
 * - listed: of those, the answers that showed results (result ids not empty);
 * - viewed: item page views (anonymous views count as views, but not as followers);
 * - ordered: every order placed in the period, whatever became of it (the cancelled ones are also given
 *   apart); revenue leaves the cancelled out (revenue.ts);
 * - delivered: of the orders placed in the period, those delivered now (a cohort: delivered ≤ ordered).
 *
 * Each step has `count` (messages, answers, views, orders) and `followers` (distinct followers who took the
 * step). The funnel's rates are over followers: people move down a funnel, messages do not. The steps are not
 * nested: a follower who opens a page from a broadcast without asking counts as a viewer, so a rate can
 * exceed 100 %.
 *
 * The store of a message is the follower's store (QR attribution, store_followers); of a page view the store
 * the page helper recorded, else the follower's; of an order the order's store. The query of a message is its
 * text normalised as the top queries are (trimmed, lower-cased); page views and orders carry the query that
 * led to them, normalised the same way.
 */
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import type { Db } from '../db/db.ts';
import { countIf, dayOf, jsonTexts } from '../db/sql/fragments.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Param, Sql } from '../db/sql/sql.ts';
import { realFollowerSql } from '../core/test-follower.ts';
import type { BuiltinAnswer } from '../core/answered-by.ts';
import type { Period } from './reports.ts';

export const FUNNEL_DIMENSIONS = ['day', 'store', 'query'] as const;
export type FunnelDimension = (typeof FUNNEL_DIMENSIONS)[number];

interface StepCount {
  /** Messages, answers, views or orders. */
  readonly count: number;
  /** Distinct followers who took the step. */
  readonly followers: number;
}

export interface FunnelCounts {
  readonly asked: StepCount;
  readonly listed: StepCount;
  readonly viewed: StepCount;
  /** Orders placed, `cancelled`: how many of them are cancelled now. */
  readonly ordered: StepCount & { readonly cancelled: number };
  readonly delivered: StepCount;
}

interface FunnelRow extends FunnelCounts {
  /** The Beijing day (2026-11-01), the store id (null: no store), or the normalised query. */
  readonly key: string | null;
}

export interface FunnelReport {
  readonly total: FunnelCounts;
  readonly rows: readonly FunnelRow[];
}

export interface FunnelOptions {
  /** Only this store's followers, page views and orders (store staff: always their own). */
  readonly store?: string | undefined;
  /** How many top queries `by: 'query'` answers (default 20). */
  readonly limit?: number | undefined;
}

/** The steps in order, for whoever draws or prints them. */
export const FUNNEL_STEPS = ['asked', 'listed', 'viewed', 'ordered', 'delivered'] as const;

type Dialect = Sql['dialect'];
const normalised = (column: string) => `lower(trim(${column}))`;
const NOISE: readonly BuiltinAnswer[] = ['opt_out', 'opt_in'];
// The answer log keeps a location message as 「[位置] label」 (agent.ts): not a question.
const LOCATION_PREFIX = '[位置]';
const LISTED = "a.result_ids IS NOT NULL AND a.result_ids <> '[]'";

/**
 * Where each source keeps its time, follower, store and query. `where` takes the account, from and to, in that
 * order; every statement binds them first.
 */
const SOURCES = {
  answers: {
    from: 'answer_log a LEFT JOIN store_followers f ON f.account = a.account AND f.user_id = a.user_id',
    where: `a.account = ? AND a.created_at >= ? AND a.created_at < ? AND ${realFollowerSql('a.user_id')}
      AND (a.answered_by IS NULL OR a.answered_by NOT IN (${NOISE.map((n) => `'${n}'`).join(', ')}))
      AND substr(a.text, 1, ${LOCATION_PREFIX.length}) <> '${LOCATION_PREFIX}'`,
    time: 'a.created_at',
    store: 'f.store_id',
    query: normalised('a.text'),
    counts: `count(*) AS asked, count(DISTINCT a.user_id) AS asked_followers,
      sum(${countIf(LISTED)}) AS listed,
      count(DISTINCT CASE WHEN ${LISTED} THEN a.user_id END) AS listed_followers`,
  },
  views: {
    from: 'page_views v LEFT JOIN store_followers f ON f.account = v.account AND f.user_id = v.user_id',
    where: `v.account = ? AND v.at >= ? AND v.at < ? AND (v.user_id IS NULL OR ${realFollowerSql('v.user_id')})`,
    time: 'v.at',
    store: 'coalesce(v.store_id, f.store_id)',
    query: normalised('v.query'),
    counts: 'count(*) AS viewed, count(DISTINCT v.user_id) AS viewed_followers',
  },
  orders: {
    from: 'orders o',
    where: `o.account = ? AND o.created_at >= ? AND o.created_at < ? AND ${realFollowerSql('o.user_id')}`,
    time: 'o.created_at',
    store: 'o.store_id',
    query: normalised('o.query'),
    counts: `count(*) AS ordered, count(DISTINCT o.user_id) AS ordered_followers, sum(${countIf("o.status = 'cancelled'")}) AS cancelled,
      sum(${countIf("o.status = 'delivered'")}) AS delivered, count(DISTINCT CASE WHEN o.status = 'delivered' THEN o.user_id END) AS delivered_followers`,
  },
} as const;
type SourceName = keyof typeof SOURCES;

type Grouping = FunnelDimension | 'total';
type CountRow = { key: string | null } & Partial<Record<string, number | null>>;

/**
 * The statement counting one source's steps, grouped by `by`. Parameters: account, from, to, then the store
 * when `store`, then (`by: 'query'`) the queries counted as a JSON array. One shape with and one without the
 * store, rather than `? IS NULL OR …`: each plans for what it filters on (and PostgreSQL cannot type a bare `? IS NULL`).
 */
function sourceSql(dialect: Dialect, name: SourceName, by: Grouping, store: boolean): string {
  const s = SOURCES[name];
  const key = by === 'total' ? 'NULL' : by === 'day' ? dayOf(dialect, s.time, SHANGHAI_OFFSET_MS) : by === 'store' ? s.store : s.query;
  const onlyStore = store ? ` AND ${s.store} = ?` : '';
  const onlyQueries = by === 'query' ? ` AND ${s.query} IN (${jsonTexts(dialect)})` : '';
  return `SELECT ${key} AS key, ${s.counts} FROM ${s.from}
    WHERE ${s.where}${onlyStore}${onlyQueries}
    GROUP BY 1`;
}

const n = (v: number | null | undefined): number => v ?? 0;

/** The five steps from the three sources' rows for one key (absent: nobody took the step). */
function countsOf(answers: CountRow | undefined, views: CountRow | undefined, orders: CountRow | undefined): FunnelCounts {
  return {
    asked: { count: n(answers?.asked), followers: n(answers?.asked_followers) },
    listed: { count: n(answers?.listed), followers: n(answers?.listed_followers) },
    viewed: { count: n(views?.viewed), followers: n(views?.viewed_followers) },
    ordered: { count: n(orders?.ordered), followers: n(orders?.ordered_followers), cancelled: n(orders?.cancelled) },
    delivered: { count: n(orders?.delivered), followers: n(orders?.delivered_followers) },
  };
}

/**
 * @example await createFunnel(sql).report('default', { from, to }, 'store') // { total, rows: [{ key: 'sh-jingan', asked: … }] }
 */
export function createFunnel(db: Db | Sql) {
  const sql = asSql(db);
  const texts = new Map<string, string>();
  const statement = (name: SourceName, by: Grouping, store: boolean): string => {
    const id = `${name}:${by}:${store}`;
    let text = texts.get(id);
    if (text === undefined) texts.set(id, (text = sourceSql(sql.dialect, name, by, store)));
    return text;
  };
  // The top queries: asked most (then by more followers), as the 热门问题 report orders them.
  const topQueries = (store: boolean) => `
    SELECT ${SOURCES.answers.query} AS key FROM ${SOURCES.answers.from}
    WHERE ${SOURCES.answers.where}${store ? ` AND ${SOURCES.answers.store} = ?` : ''}
    GROUP BY 1 ORDER BY count(*) DESC, count(DISTINCT a.user_id) DESC, max(a.created_at) DESC LIMIT ?`;
  const TOP = { all: topQueries(false), store: topQueries(true) };

  /** Each source's rows by key; the three read at once (on PostgreSQL, on three connections). */
  const grouped = async (by: Grouping, base: readonly Param[], store: string | undefined, queries?: string) => {
    const params = [...base, ...(store === undefined ? [] : [store]), ...(queries === undefined ? [] : [queries])];
    const read = async (name: SourceName) => new Map((await sql.all<CountRow>(statement(name, by, store !== undefined), params)).map((r) => [r.key, r]));
    const [answers, views, orders] = await Promise.all([read('answers'), read('views'), read('orders')]);
    return { answers, views, orders };
  };

  return {
    /** The funnel of the period in total and one row per day, store or top query. */
    async report(account: string, period: Period, by: FunnelDimension, options: FunnelOptions = {}): Promise<FunnelReport> {
      const base: Param[] = [account, period.from, period.to];
      const { store } = options;
      const t = await grouped('total', base, store);
      const total = countsOf(t.answers.get(null), t.views.get(null), t.orders.get(null));
      let keys: (string | null)[];
      let queries: string | undefined;
      if (by === 'query') {
        const top = await sql.all<{ key: string }>(store === undefined ? TOP.all : TOP.store, [...base, ...(store === undefined ? [] : [store]), options.limit ?? 20]);
        keys = top.map((r) => r.key);
        queries = JSON.stringify(keys);
      }
      const g = await grouped(by, base, store, queries);
      if (by !== 'query') {
        keys = [...new Set([...g.answers.keys(), ...g.views.keys(), ...g.orders.keys()])];
        keys.sort(by === 'day' ? (a, b) => (a! < b! ? -1 : 1) : storeOrder(g.answers));
      }
      const rows = keys!.map((key) => ({ key, ...countsOf(g.answers.get(key), g.views.get(key), g.orders.get(key)) }));
      return { total, rows };
    },
  };
}

/** Stores by who asked most, then by id; the followers of no store last. */
const storeOrder = (answers: Map<string | null, CountRow>) => (a: string | null, b: string | null): number => {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const d = n(answers.get(b)?.asked_followers) - n(answers.get(a)?.asked_followers);
  return d !== 0 ? d : a < b ? -1 : 1;
};

/** A step's share of the previous step's followers (0..1, and above 1 when more took it), null after a step nobody took. */
export function stepRate(counts: FunnelCounts, step: (typeof FUNNEL_STEPS)[number]): number | null {
  const i = FUNNEL_STEPS.indexOf(step);
  if (i === 0) return null;
  const before = counts[FUNNEL_STEPS[i - 1]!].followers;
  return before === 0 ? null : counts[step].followers / before;
}
