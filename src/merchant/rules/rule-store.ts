/**
 * Rules in the database. Every write is one transaction that takes the next merchant revision and stamps the rows
 * it touches with it; deletions are soft, so `changesSince(rev)` tells a reader in any process exactly which
 * rules to recompile. Inputs arrive validated (schema.ts); this module enforces what needs the database:
 * unique names and the platform's 200 rules per account.
 */
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Db } from '../../db/db.ts';
import { asSql } from '../../db/sql/sqlite.ts';
import type { Sql, Tx } from '../../db/sql/sql.ts';
import { MerchantError } from '../../core/errors.ts';
import { wordsIn, type Lang } from '../../core/lang.ts';
import { shanghaiDay } from './hours.ts';
import { currentRevision, nextRevision } from '../../db/merchant-revision.ts';
import { orderPriorities, orderProblem } from './order.ts';
import { RULE_WORDS } from './words.ts';
import { LIMITS, type ActiveHours, type MatchMode, type ReplyMode, type Rule, type RuleEvent, type RuleInput, type RuleReply } from './model.ts';

interface Row {
  id: number;
  account: string;
  name: string;
  match: MatchMode | null;
  event: RuleEvent | null;
  keywords: string;
  replies: string;
  reply_mode: ReplyMode;
  priority: number;
  enabled: number;
  active_hours: string | null;
  deleted: number;
  rev: number;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): Rule => ({
  id: r.id,
  account: r.account,
  name: r.name,
  match: r.match,
  event: r.event,
  keywords: JSON.parse(r.keywords) as string[],
  replies: JSON.parse(r.replies) as RuleReply[],
  replyMode: r.reply_mode,
  priority: r.priority,
  enabled: r.enabled === 1,
  activeHours: r.active_hours ? (JSON.parse(r.active_hours) as ActiveHours) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The stored columns of a rule, in the order of COLUMNS. */
const values = (input: RuleInput) => [
  input.name,
  input.match ?? null,
  input.event ?? null,
  JSON.stringify(input.match ? (input.keywords ?? []) : (input.keys ?? [])),
  JSON.stringify(input.replies),
  input.reply_mode,
  input.priority,
  input.enabled ? 1 : 0,
  input.active_hours ? JSON.stringify(input.active_hours) : null,
];
const COLUMNS = 'name, match, event, keywords, replies, reply_mode, priority, enabled, active_hours';

export interface RuleChanges {
  readonly rev: number;
  readonly upserted: Rule[];
  readonly deleted: { readonly account: string; readonly id: number }[];
}

export interface RuleListOptions {
  /** `keyword` rules or `event` rules; both when absent. */
  readonly kind?: 'keyword' | 'event' | undefined;
  readonly limit: number;
  /** List rules with an id above this one (the previous page's last id). */
  readonly after?: number | undefined;
}

/**
 * @example
 * const rules = createRuleStore(db);
 * const rule = rules.create(account, parsed.value);   // throws MerchantError('conflict') on a taken name
 */
export function createRuleStore(db: Db | Sql, clock: Clock = systemClock) {
  const sql = asSql(db);
  const GET = 'SELECT * FROM rules WHERE account = ? AND id = ? AND deleted = 0';
  const BY_NAME = 'SELECT * FROM rules WHERE account = ? AND name = ? AND deleted = 0';

  const nameTaken = async (tx: Tx, account: string, name: string, except: number | null, lang: Lang) => {
    const other = await tx.get<Row>(BY_NAME, [account, name]);
    if (other && other.id !== except) {
      const message = wordsIn(RULE_WORDS, lang).nameTaken(name, other.id);
      throw new MerchantError('conflict', message, [{ path: 'name', message }]);
    }
  };
  const roomFor = async (tx: Tx, account: string, more: number, lang: Lang) => {
    const n = (await tx.get<{ n: number }>('SELECT count(*) AS n FROM rules WHERE account = ? AND deleted = 0', [account]))!.n;
    if (n + more > LIMITS.rulesPerAccount) throw new MerchantError('limit', wordsIn(RULE_WORDS, lang).tooManyRules(LIMITS.rulesPerAccount, n));
  };

  async function createIn(tx: Tx, account: string, input: RuleInput, rev: number, now: number, lang: Lang = 'en'): Promise<Rule> {
    await nameTaken(tx, account, input.name, null, lang);
    await roomFor(tx, account, 1, lang);
    const row = await tx.get<Row>(
      `INSERT INTO rules (account, ${COLUMNS}, rev, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [account, ...values(input), rev, now, now],
    );
    return fromRow(row!);
  }

  async function replaceIn(tx: Tx, account: string, id: number, input: RuleInput, rev: number, now: number, lang: Lang = 'en'): Promise<Rule | null> {
    await nameTaken(tx, account, input.name, id, lang);
    const row = await tx.get<Row>(
      `UPDATE rules SET name = ?, match = ?, event = ?, keywords = ?, replies = ?, reply_mode = ?, priority = ?, enabled = ?, active_hours = ?,
        rev = ?, updated_at = ? WHERE account = ? AND id = ? AND deleted = 0 RETURNING *`,
      [...values(input), rev, now, account, id],
    );
    return row ? fromRow(row) : null;
  }

  // The revision's row lock serialises rule writes across instances, so the name and count checks hold.
  const write = <R>(fn: (tx: Tx, rev: number, now: number) => Promise<R>): Promise<R> =>
    sql.transaction(async (tx) => fn(tx, await nextRevision(tx), clock.now()));

  return {
    async get(account: string, id: number): Promise<Rule | null> {
      const row = await sql.get<Row>(GET, [account, id]);
      return row ? fromRow(row) : null;
    },
    /** A page of the account's rules by id. */
    async list(account: string, options: RuleListOptions): Promise<Rule[]> {
      const kind = options.kind === 'keyword' ? 1 : options.kind === 'event' ? 2 : 0;
      const rows = await sql.all<Row>(
        `SELECT * FROM rules WHERE account = ? AND deleted = 0 AND id > ?
          AND (? = 0 OR (CASE WHEN match IS NOT NULL THEN 1 ELSE 0 END) = ?)
        ORDER BY id LIMIT ?`,
        [account, options.after ?? 0, kind, kind === 1 ? 1 : 0, options.limit],
      );
      return rows.map(fromRow);
    },
    count: async (account: string): Promise<number> =>
      (await sql.get<{ n: number }>('SELECT count(*) AS n FROM rules WHERE account = ? AND deleted = 0', [account]))!.n,
    /** Creates a rule. Throws MerchantError: conflict (name taken), limit (200 rules). */
    create: (account: string, input: RuleInput, lang: Lang = 'en'): Promise<Rule> => write((tx, rev, now) => createIn(tx, account, input, rev, now, lang)),
    /** Replaces a rule's fields; null when there is no such rule. */
    replace: (account: string, id: number, input: RuleInput, lang: Lang = 'en'): Promise<Rule | null> =>
      write((tx, rev, now) => replaceIn(tx, account, id, input, rev, now, lang)),
    /** Deletes a rule; false when there was none. */
    remove: (account: string, id: number): Promise<boolean> =>
      write(async (tx, rev, now) => (await tx.run('UPDATE rules SET deleted = 1, rev = ?, updated_at = ? WHERE account = ? AND id = ? AND deleted = 0', [rev, now, account, id])).changes > 0),
    /**
     * Creates or replaces rules by name, all in one transaction (the import): all land, or none.
     * @example await rules.upsertByName(account, [a, b]) // { created: 1, updated: 1, rules: [...] }
     */
    upsertByName(account: string, inputs: readonly RuleInput[], lang: Lang = 'en'): Promise<{ created: number; updated: number; rules: Rule[] }> {
      return write(async (tx, rev, now) => {
        let fresh = 0;
        for (const i of inputs) if (!(await tx.get<Row>(BY_NAME, [account, i.name]))) fresh++;
        await roomFor(tx, account, fresh, lang);
        let created = 0;
        let updated = 0;
        const rules: Rule[] = [];
        for (const input of inputs) {
          const existing = await tx.get<Row>(BY_NAME, [account, input.name]);
          if (existing) {
            updated++;
            rules.push((await replaceIn(tx, account, existing.id, input, rev, now, lang))!);
          } else {
            created++;
            rules.push(await createIn(tx, account, input, rev, now, lang));
          }
        }
        return { created, updated, rules };
      });
    },
    /**
     * Puts the account's keyword rules in the order of `ids` (each of them exactly once, else MerchantError
     * validation in `lang`, nothing changed) by rewriting their priorities, all in one transaction.
     * @example await rules.reorder(account, [12, 7, 9])
     */
    reorder(account: string, ids: readonly number[], lang: Lang = 'en'): Promise<void> {
      return write(async (tx, rev, now) => {
        const keyword = await tx.all<{ id: number }>('SELECT id FROM rules WHERE account = ? AND deleted = 0 AND match IS NOT NULL ORDER BY id', [account]);
        const problem = orderProblem(ids, keyword.map((r) => r.id), lang);
        if (problem) throw new MerchantError('validation', problem, [{ path: 'ids', message: problem.replace(/^ids: /, '') }]);
        for (const [id, priority] of orderPriorities(ids)) {
          await tx.run('UPDATE rules SET priority = ?, rev = ?, updated_at = ? WHERE account = ? AND id = ? AND deleted = 0', [priority, rev, now, account, id]);
        }
      });
    },
    /**
     * Every rule written after `rev`, across accounts; `rev` is the revision to poll from next. The revision is
     * read first: revisions commit in order (revision.ts), so every write up to it is visible to the read after.
     */
    async changesSince(after: number): Promise<RuleChanges> {
      const rev = await currentRevision(sql);
      const upserted: Rule[] = [];
      const deleted: { account: string; id: number }[] = [];
      for (const row of await sql.all<Row>('SELECT * FROM rules WHERE rev > ? AND rev <= ? ORDER BY rev, id', [after, rev])) {
        if (row.deleted) deleted.push({ account: row.account, id: row.id });
        else upserted.push(fromRow(row));
      }
      return { rev, upserted, deleted };
    },
    currentRev: (): Promise<number> => currentRevision(sql),
    /** Counts a rule's answer for the day (Beijing time) it happened. */
    async recordHit(account: string, ruleId: number, at: number): Promise<void> {
      await sql.run(
        'INSERT INTO rule_hits (account, rule_id, day, hits) VALUES (?, ?, ?, 1) ON CONFLICT (account, rule_id, day) DO UPDATE SET hits = rule_hits.hits + 1',
        [account, ruleId, shanghaiDay(at)],
      );
    },
  };
}
export type RuleStore = ReturnType<typeof createRuleStore>;
