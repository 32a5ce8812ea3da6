/**
 * Rules in SQLite. Every write is one transaction that takes the next merchant revision and stamps the rows
 * it touches with it; deletions are soft, so `changesSince(rev)` tells a reader in any process exactly which
 * rules to recompile. Inputs arrive validated (schema.ts); this module enforces what needs the database:
 * unique names and the platform's 200 rules per account.
 */
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Db } from '../../db/db.ts';
import { MerchantError } from '../../core/errors.ts';
import { wordsIn, type Lang } from '../../core/lang.ts';
import { shanghaiDay } from './hours.ts';
import { createRevision } from '../revision.ts';
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

const params = (input: RuleInput) => ({
  name: input.name,
  match: input.match ?? null,
  event: input.event ?? null,
  keywords: JSON.stringify(input.match ? (input.keywords ?? []) : (input.keys ?? [])),
  replies: JSON.stringify(input.replies),
  reply_mode: input.reply_mode,
  priority: input.priority,
  enabled: input.enabled ? 1 : 0,
  active_hours: input.active_hours ? JSON.stringify(input.active_hours) : null,
});

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
export function createRuleStore(db: Db, clock: Clock = systemClock) {
  const revision = createRevision(db);
  const get = db.prepare<[string, number], Row>('SELECT * FROM rules WHERE account = ? AND id = ? AND deleted = 0');
  const byName = db.prepare<[string, string], Row>('SELECT * FROM rules WHERE account = ? AND name = ? AND deleted = 0');
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM rules WHERE account = ? AND deleted = 0');
  const list = db.prepare<[string, number, number, number, number], Row>(`
    SELECT * FROM rules WHERE account = ? AND deleted = 0 AND id > ?
      AND (? = 0 OR (match IS NOT NULL) = (? = 1))
    ORDER BY id LIMIT ?`);
  const insert = db.prepare<Record<string, unknown>, Row>(`
    INSERT INTO rules (account, name, match, event, keywords, replies, reply_mode, priority, enabled, active_hours, rev, created_at, updated_at)
    VALUES (@account, @name, @match, @event, @keywords, @replies, @reply_mode, @priority, @enabled, @active_hours, @rev, @now, @now)
    RETURNING *`);
  const update = db.prepare<Record<string, unknown>, Row>(`
    UPDATE rules SET name = @name, match = @match, event = @event, keywords = @keywords, replies = @replies,
      reply_mode = @reply_mode, priority = @priority, enabled = @enabled, active_hours = @active_hours, rev = @rev, updated_at = @now
    WHERE account = @account AND id = @id AND deleted = 0
    RETURNING *`);
  const softDelete = db.prepare<[number, number, string, number]>('UPDATE rules SET deleted = 1, rev = ?, updated_at = ? WHERE account = ? AND id = ? AND deleted = 0');
  const keywordIds = db.prepare<[string], { id: number }>('SELECT id FROM rules WHERE account = ? AND deleted = 0 AND match IS NOT NULL ORDER BY id');
  const setPriority = db.prepare<[number, number, number, string, number]>('UPDATE rules SET priority = ?, rev = ?, updated_at = ? WHERE account = ? AND id = ? AND deleted = 0');
  const since = db.prepare<[number], Row>('SELECT * FROM rules WHERE rev > ? ORDER BY rev, id');
  const hit = db.prepare(`
    INSERT INTO rule_hits (account, rule_id, day, hits) VALUES (?, ?, ?, 1)
    ON CONFLICT (account, rule_id, day) DO UPDATE SET hits = hits + 1`);

  const nameTaken = (account: string, name: string, except: number | null, lang: Lang) => {
    const other = byName.get(account, name);
    if (other && other.id !== except) {
      const message = wordsIn(RULE_WORDS, lang).nameTaken(name, other.id);
      throw new MerchantError('conflict', message, [{ path: 'name', message }]);
    }
  };
  const roomFor = (account: string, more: number, lang: Lang) => {
    const n = count.get(account)!.n;
    if (n + more > LIMITS.rulesPerAccount) throw new MerchantError('limit', wordsIn(RULE_WORDS, lang).tooManyRules(LIMITS.rulesPerAccount, n));
  };

  function createIn(account: string, input: RuleInput, rev: number, now: number, lang: Lang = 'en'): Rule {
    nameTaken(account, input.name, null, lang);
    roomFor(account, 1, lang);
    return fromRow(insert.get({ account, ...params(input), rev, now })!);
  }

  function replaceIn(account: string, id: number, input: RuleInput, rev: number, now: number, lang: Lang = 'en'): Rule | null {
    nameTaken(account, input.name, id, lang);
    const row = update.get({ account, id, ...params(input), rev, now });
    return row ? fromRow(row) : null;
  }

  const write = <R>(fn: (rev: number, now: number) => R): R => db.transaction(() => fn(revision.next(), clock.now())).immediate();

  return {
    get(account: string, id: number): Rule | null {
      const row = get.get(account, id);
      return row ? fromRow(row) : null;
    },
    /** A page of the account's rules by id. */
    list(account: string, options: RuleListOptions): Rule[] {
      const kind = options.kind === 'keyword' ? 1 : options.kind === 'event' ? 2 : 0;
      return list.all(account, options.after ?? 0, kind, kind === 1 ? 1 : 0, options.limit).map(fromRow);
    },
    count: (account: string): number => count.get(account)!.n,
    /** Creates a rule. Throws MerchantError: conflict (name taken), limit (200 rules). */
    create: (account: string, input: RuleInput, lang: Lang = 'en'): Rule => write((rev, now) => createIn(account, input, rev, now, lang)),
    /** Replaces a rule's fields; null when there is no such rule. */
    replace: (account: string, id: number, input: RuleInput, lang: Lang = 'en'): Rule | null => write((rev, now) => replaceIn(account, id, input, rev, now, lang)),
    /** Deletes a rule; false when there was none. */
    remove: (account: string, id: number): boolean => write((rev, now) => softDelete.run(rev, now, account, id).changes > 0),
    /**
     * Creates or replaces rules by name, all in one transaction (the import): all land, or none.
     * @example rules.upsertByName(account, [a, b]) // { created: 1, updated: 1, rules: [...] }
     */
    upsertByName(account: string, inputs: readonly RuleInput[], lang: Lang = 'en'): { created: number; updated: number; rules: Rule[] } {
      return write((rev, now) => {
        const fresh = inputs.filter((i) => !byName.get(account, i.name));
        roomFor(account, fresh.length, lang);
        let created = 0;
        let updated = 0;
        const rules = inputs.map((input) => {
          const existing = byName.get(account, input.name);
          if (existing) {
            updated++;
            return replaceIn(account, existing.id, input, rev, now, lang)!;
          }
          created++;
          return createIn(account, input, rev, now, lang);
        });
        return { created, updated, rules };
      });
    },
    /**
     * Puts the account's keyword rules in the order of `ids` (each of them exactly once, else MerchantError
     * validation in `lang`, nothing changed) by rewriting their priorities, all in one transaction.
     * @example rules.reorder(account, [12, 7, 9])
     */
    reorder(account: string, ids: readonly number[], lang: Lang = 'en'): void {
      write((rev, now) => {
        const problem = orderProblem(ids, keywordIds.all(account).map((r) => r.id), lang);
        if (problem) throw new MerchantError('validation', problem, [{ path: 'ids', message: problem.replace(/^ids: /, '') }]);
        for (const [id, priority] of orderPriorities(ids)) setPriority.run(priority, rev, now, account, id);
      });
    },
    /** Every rule written after `rev`, across accounts, from one snapshot; `rev` is the revision to poll from next. */
    changesSince: db.transaction((after: number): RuleChanges => {
      const upserted: Rule[] = [];
      const deleted: { account: string; id: number }[] = [];
      for (const row of since.all(after)) {
        if (row.deleted) deleted.push({ account: row.account, id: row.id });
        else upserted.push(fromRow(row));
      }
      return { rev: revision.current(), upserted, deleted };
    }),
    currentRev: (): number => revision.current(),
    /** Counts a rule's answer for the day (Beijing time) it happened. */
    recordHit(account: string, ruleId: number, at: number): void {
      hit.run(account, ruleId, shanghaiDay(at));
    },
  };
}
export type RuleStore = ReturnType<typeof createRuleStore>;
