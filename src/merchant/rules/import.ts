/**
 * Importing rules from JSON (`guang import rules FILE.json` and `POST /api/rules/import`): the same
 * validation as the API, rule by rule. A bad rule is reported with its position and name and does not stop
 * the good ones; the good ones land together, in one transaction, created or replaced by name.
 */
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../db/db.ts';
import type { Sql } from '../../db/sql/sql.ts';
import { MerchantError } from '../../core/errors.ts';
import { wordsIn, type Lang } from '../../core/lang.ts';
import type { RuleInput } from './model.ts';
import { describeProblems } from '../../core/problems.ts';
import { parseRuleInput } from './schema.ts';
import { createRuleStore } from './rule-store.ts';
import { RULE_WORDS } from './words.ts';

interface RuleImportFailure {
  /** Position in the file's array, from 0. */
  readonly index: number;
  readonly name: string | null;
  readonly reason: string;
}

export interface RuleImportResult {
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly failed: RuleImportFailure[];
}

/** The rules of a JSON text: an array, or `{ "rules": [...] }`. Throws MerchantError (in `lang`) when it is neither. */
export function readRulesJson(text: string, lang: Lang = 'en'): unknown[] {
  const t = wordsIn(RULE_WORDS, lang);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new MerchantError('validation', t.notJson((err as Error).message));
  }
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object' && Array.isArray((value as { rules?: unknown }).rules)) return (value as { rules: unknown[] }).rules;
  throw new MerchantError('validation', t.notRuleList);
}

/**
 * @example await importRules({ db, account: 'default', rules: readRulesJson(text) }) // { total: 3, created: 2, updated: 0, failed: [{ index: 1, … }] }
 */
export async function importRules(options: { db: Db | Sql; account: string; rules: readonly unknown[]; clock?: Clock; lang?: Lang }): Promise<RuleImportResult> {
  const { db, account, rules } = options;
  const lang = options.lang ?? 'en';
  const t = wordsIn(RULE_WORDS, lang);
  const failed: RuleImportFailure[] = [];
  const good: RuleInput[] = [];
  const firstIndex = new Map<string, number>();
  rules.forEach((raw, index) => {
    const name = raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name.trim() : null;
    const parsed = parseRuleInput(raw, lang);
    if (!parsed.ok) {
      failed.push({ index, name, reason: describeProblems(parsed.problems) });
      return;
    }
    const seen = firstIndex.get(parsed.value.name);
    if (seen !== undefined) {
      failed.push({ index, name, reason: t.nameTwice(parsed.value.name, seen, index) });
      return;
    }
    firstIndex.set(parsed.value.name, index);
    good.push(parsed.value);
  });
  if (good.length === 0) return { total: rules.length, created: 0, updated: 0, failed };
  const { created, updated } = await createRuleStore(db, options.clock).upsertByName(account, good, lang);
  return { total: rules.length, created, updated, failed };
}
