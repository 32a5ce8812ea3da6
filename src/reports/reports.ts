/**
 * What merchants read: what followers ask, what went unanswered, which rules answer, how questions split
 * by intent per day, the service questions by topic and the messages that need a person. Read-only queries over the answer log (every text and location message, with how it
 * was understood and what was shown) and the rule hit counts. Days are Beijing days.
 */
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import type { Db } from '../db/db.ts';
import { dayOf, jsonField } from '../db/sql/fragments.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Sql } from '../db/sql/sql.ts';
import { realFollowerSql } from '../core/test-follower.ts';
import { RULE_ANSWER_PREFIX, type BuiltinAnswer, type ServiceAnswer } from '../core/answered-by.ts';

/** [from, to) in ms since the epoch. */
export interface Period {
  readonly from: number;
  readonly to: number;
}

export interface QueryCount {
  /** The question as followers typed it (trimmed, lower-cased: 「Nike」 and 「nike 」 count together). */
  readonly query: string;
  readonly count: number;
  /** Distinct followers who asked it. */
  readonly followers: number;
  readonly lastAskedAt: number;
}

export interface ZeroResult extends QueryCount {
  /** no_results: understood (product, hotel, deal) but nothing matched; not_understood: nothing could answer it. */
  readonly reason: 'no_results' | 'not_understood';
}

/** Service questions by topic (人工, shipping_fee, authenticity …): questions answered, not catalogue gaps. */
export interface ServiceQuestionCount {
  readonly topic: string;
  readonly count: number;
  readonly followers: number;
}

/** A message a person should look at: the follower asked for one (人工), or complained at length. */
export interface NeedsPerson {
  readonly text: string;
  readonly user: string;
  readonly channel: string;
  readonly reason: 'asked_for_person' | 'complaint';
  /** How it was handled: handed to the account's customer-service staff, or answered with the text. */
  readonly handoff: 'transfer' | 'text';
  readonly at: number;
}

const HANDOFF: ServiceAnswer = 'service_handoff';
const FLAGGED: ServiceAnswer = 'service_flagged';

/** The console's test followers are not followers (core/test-follower.ts). */
const REAL = realFollowerSql('user_id');

/**
 * @example await createReports(db).topQueries('default', { from: Date.now() - 7 * 86400_000, to: Date.now() }, 20)
 */
export function createReports(db: Db | Sql) {
  const sql = asSql(db);
  const { dialect } = sql;
  type CountRow = { query: string; count: number; followers: number; last: number };
  const TOP = `
    SELECT lower(trim(text)) AS query, count(*) AS count, count(DISTINCT user_id) AS followers, max(created_at) AS last
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND ${REAL}
    GROUP BY lower(trim(text)) ORDER BY count DESC, last DESC LIMIT ?`;
  const REASON = "CASE WHEN intent IN ('product', 'hotel', 'deal') THEN 'no_results' ELSE 'not_understood' END";
  const ZERO = `
    SELECT lower(trim(text)) AS query, ${REASON} AS reason,
      count(*) AS count, count(DISTINCT user_id) AS followers, max(created_at) AS last
    FROM answer_log
    WHERE account = ? AND created_at >= ? AND created_at < ? AND ${REAL}
      AND (
        (intent IN ('product', 'hotel', 'deal') AND (result_ids IS NULL OR result_ids = '[]'))
        OR ((intent IS NULL OR intent = 'none') AND (answered_by = '${'fallback' satisfies BuiltinAnswer}' OR answered_by LIKE '${RULE_ANSWER_PREFIX}%'))
      )
    GROUP BY lower(trim(text)), ${REASON} ORDER BY count DESC, last DESC LIMIT ?`;
  const HITS = `
    SELECT h.rule_id AS rule, r.name, r.event, r.match, r.deleted, sum(h.hits) AS hits
    FROM rule_hits h LEFT JOIN rules r ON r.id = h.rule_id
    WHERE h.account = ? AND h.day >= ? AND h.day <= ?
    GROUP BY h.rule_id, r.name, r.event, r.match, r.deleted ORDER BY hits DESC, h.rule_id`;
  const DAY = dayOf(dialect, 'created_at', SHANGHAI_OFFSET_MS);
  const INTENTS = `
    SELECT ${DAY} AS day, COALESCE(intent, 'none') AS intent, count(*) AS count
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND ${REAL}
    GROUP BY ${DAY}, COALESCE(intent, 'none') ORDER BY day, intent`;
  const TOPIC = jsonField(dialect, 'slots', 'topic');
  const SERVICE = `
    SELECT ${TOPIC} AS topic, count(*) AS count, count(DISTINCT user_id) AS followers
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND intent = 'service' AND ${REAL}
    GROUP BY ${TOPIC} ORDER BY count DESC, topic`;
  const PERSON = `
    SELECT text, user_id, channel, answered_by, ${jsonField(dialect, 'slots', 'handoff')} AS handoff, created_at
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND answered_by IN ('${HANDOFF}', '${FLAGGED}') AND ${REAL}
    ORDER BY created_at DESC, id DESC LIMIT ?`;

  const day = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

  return {
    /** The most asked questions in the period. */
    async topQueries(account: string, period: Period, limit: number): Promise<QueryCount[]> {
      return (await sql.all<CountRow>(TOP, [account, period.from, period.to, limit])).map((r) => ({ query: r.query, count: r.count, followers: r.followers, lastAskedAt: r.last }));
    },
    /** What followers asked that nothing answered: understood with no results, or not understood at all. */
    async zeroResults(account: string, period: Period, limit: number): Promise<ZeroResult[]> {
      return (await sql.all<CountRow & { reason: ZeroResult['reason'] }>(ZERO, [account, period.from, period.to, limit])).map((r) => ({
        query: r.query, reason: r.reason, count: r.count, followers: r.followers, lastAskedAt: r.last,
      }));
    },
    /** Service questions answered in the period, by topic, most asked first. */
    async serviceQuestions(account: string, period: Period): Promise<ServiceQuestionCount[]> {
      return (await sql.all<{ topic: string | null; count: number; followers: number }>(SERVICE, [account, period.from, period.to])).map((r) => ({ topic: r.topic ?? 'unknown', count: r.count, followers: r.followers }));
    },
    /** The latest messages that need a person: 人工 and complaints, newest first. */
    async needsPerson(account: string, period: Period, limit: number): Promise<NeedsPerson[]> {
      const rows = await sql.all<{ text: string; user_id: string; channel: string; answered_by: string; handoff: string | null; created_at: number }>(
        PERSON, [account, period.from, period.to, limit]);
      return rows.map((r) => ({
        text: r.text, user: r.user_id, channel: r.channel, reason: r.answered_by === FLAGGED ? 'complaint' : 'asked_for_person',
        handoff: r.handoff === 'transfer' ? 'transfer' : 'text', at: r.created_at,
      }));
    },
    /** Answers per rule in the period (whole Beijing days), events included. */
    async ruleHits(account: string, period: Period) {
      const rows = await sql.all<{ rule: number; name: string | null; event: string | null; match: string | null; deleted: number | null; hits: number }>(
        HITS, [account, day(period.from), day(period.to - 1)]);
      return rows.map((r) => ({
        rule: r.rule,
        name: r.name,
        kind: r.match ? `keyword (${r.match})` : r.event ? `event (${r.event})` : null,
        deleted: r.deleted === 1 || r.name === null,
        hits: r.hits,
      }));
    },
    /** Questions per Beijing day by intent (product, hotel, deal, rule, none …). */
    async intentsPerDay(account: string, period: Period) {
      const days = new Map<string, { day: string; total: number; intents: Record<string, number> }>();
      for (const r of await sql.all<{ day: string; intent: string; count: number }>(INTENTS, [account, period.from, period.to])) {
        let d = days.get(r.day);
        if (!d) days.set(r.day, (d = { day: r.day, total: 0, intents: {} }));
        d.intents[r.intent] = r.count;
        d.total += r.count;
      }
      return [...days.values()];
    },
  };
}
