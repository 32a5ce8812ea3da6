/**
 * What merchants read: what followers ask, what went unanswered, which rules answer, how questions split
 * by intent per day, the service questions by topic and the messages that need a person. Read-only queries over the answer log (every text and location message, with how it
 * was understood and what was shown) and the rule hit counts. Days are Beijing days.
 */
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import type { Db } from '../db/db.ts';
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

const DAY_SQL = `date((created_at + ${SHANGHAI_OFFSET_MS}) / 1000, 'unixepoch')`;

/**
 * @example createReports(db).topQueries('default', { from: Date.now() - 7 * 86400_000, to: Date.now() }, 20)
 */
export function createReports(db: Db) {
  type CountRow = { query: string; count: number; followers: number; last: number };
  const top = db.prepare<[string, number, number, number], CountRow>(`
    SELECT lower(trim(text)) AS query, count(*) AS count, count(DISTINCT user_id) AS followers, max(created_at) AS last
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND ${REAL}
    GROUP BY query ORDER BY count DESC, last DESC LIMIT ?`);
  const zero = db.prepare<[string, number, number, number], CountRow & { reason: ZeroResult['reason'] }>(`
    SELECT lower(trim(text)) AS query,
      CASE WHEN intent IN ('product', 'hotel', 'deal') THEN 'no_results' ELSE 'not_understood' END AS reason,
      count(*) AS count, count(DISTINCT user_id) AS followers, max(created_at) AS last
    FROM answer_log
    WHERE account = ? AND created_at >= ? AND created_at < ? AND ${REAL}
      AND (
        (intent IN ('product', 'hotel', 'deal') AND (result_ids IS NULL OR result_ids = '[]'))
        OR ((intent IS NULL OR intent = 'none') AND (answered_by = '${'fallback' satisfies BuiltinAnswer}' OR answered_by LIKE '${RULE_ANSWER_PREFIX}%'))
      )
    GROUP BY query, reason ORDER BY count DESC, last DESC LIMIT ?`);
  const hits = db.prepare<[string, string, string], { rule: number; name: string | null; event: string | null; match: string | null; deleted: number | null; hits: number }>(`
    SELECT h.rule_id AS rule, r.name, r.event, r.match, r.deleted, sum(h.hits) AS hits
    FROM rule_hits h LEFT JOIN rules r ON r.id = h.rule_id
    WHERE h.account = ? AND h.day >= ? AND h.day <= ?
    GROUP BY h.rule_id ORDER BY hits DESC, h.rule_id`);
  const intents = db.prepare<[string, number, number], { day: string; intent: string; count: number }>(`
    SELECT ${DAY_SQL} AS day, COALESCE(intent, 'none') AS intent, count(*) AS count
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND ${REAL}
    GROUP BY day, intent ORDER BY day, intent`);

  const service = db.prepare<[string, number, number], { topic: string | null; count: number; followers: number }>(`
    SELECT json_extract(slots, '$.topic') AS topic, count(*) AS count, count(DISTINCT user_id) AS followers
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND intent = 'service' AND ${REAL}
    GROUP BY topic ORDER BY count DESC, topic`);
  const person = db.prepare<[string, number, number, number], { text: string; user_id: string; channel: string; answered_by: string; handoff: string | null; created_at: number }>(`
    SELECT text, user_id, channel, answered_by, json_extract(slots, '$.handoff') AS handoff, created_at
    FROM answer_log WHERE account = ? AND created_at >= ? AND created_at < ? AND answered_by IN ('${HANDOFF}', '${FLAGGED}') AND ${REAL}
    ORDER BY created_at DESC, id DESC LIMIT ?`);

  const day = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

  return {
    /** The most asked questions in the period. */
    topQueries(account: string, period: Period, limit: number): QueryCount[] {
      return top.all(account, period.from, period.to, limit).map((r) => ({ query: r.query, count: r.count, followers: r.followers, lastAskedAt: r.last }));
    },
    /** What followers asked that nothing answered: understood with no results, or not understood at all. */
    zeroResults(account: string, period: Period, limit: number): ZeroResult[] {
      return zero.all(account, period.from, period.to, limit).map((r) => ({
        query: r.query, reason: r.reason, count: r.count, followers: r.followers, lastAskedAt: r.last,
      }));
    },
    /** Service questions answered in the period, by topic, most asked first. */
    serviceQuestions(account: string, period: Period): ServiceQuestionCount[] {
      return service.all(account, period.from, period.to).map((r) => ({ topic: r.topic ?? 'unknown', count: r.count, followers: r.followers }));
    },
    /** The latest messages that need a person: 人工 and complaints, newest first. */
    needsPerson(account: string, period: Period, limit: number): NeedsPerson[] {
      return person.all(account, period.from, period.to, limit).map((r) => ({
        text: r.text, user: r.user_id, channel: r.channel, reason: r.answered_by === FLAGGED ? 'complaint' : 'asked_for_person',
        handoff: r.handoff === 'transfer' ? 'transfer' : 'text', at: r.created_at,
      }));
    },
    /** Answers per rule in the period (whole Beijing days), events included. */
    ruleHits(account: string, period: Period) {
      return hits.all(account, day(period.from), day(period.to - 1)).map((r) => ({
        rule: r.rule,
        name: r.name,
        kind: r.match ? `keyword (${r.match})` : r.event ? `event (${r.event})` : null,
        deleted: r.deleted === 1 || r.name === null,
        hits: r.hits,
      }));
    },
    /** Questions per Beijing day by intent (product, hotel, deal, rule, none …). */
    intentsPerDay(account: string, period: Period) {
      const days = new Map<string, { day: string; total: number; intents: Record<string, number> }>();
      for (const r of intents.all(account, period.from, period.to)) {
        let d = days.get(r.day);
        if (!d) days.set(r.day, (d = { day: r.day, total: 0, intents: {} }));
        d.intents[r.intent] = r.count;
        d.total += r.count;
      }
      return [...days.values()];
    },
  };
}
