import { buildRuleSet, compileRule, type RuleSet } from '../../src/merchant/rules/match.ts';
import type { Rule } from '../../src/merchant/rules/model.ts';
import { parseRuleInput } from '../../src/merchant/rules/schema.ts';

/** A stored rule from what a merchant writes (validated like the API validates it). */
export function rule(id: number, input: Record<string, unknown>): Rule {
  const r = parseRuleInput({ replies: [{ type: 'text', content: `reply of ${id}` }], ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const v = r.value;
  return {
    id,
    account: 'default',
    name: v.name,
    match: v.match ?? null,
    event: v.event ?? null,
    keywords: v.match ? (v.keywords ?? []) : (v.keys ?? []),
    replies: v.replies,
    replyMode: v.reply_mode,
    priority: v.priority,
    enabled: v.enabled,
    activeHours: v.active_hours ?? null,
    createdAt: 0,
    updatedAt: 0,
  };
}

export function ruleSet(...rules: Rule[]): RuleSet {
  return buildRuleSet(
    rules.map((r) => {
      const c = compileRule(r);
      if (!c.ok) throw new Error(c.reason);
      return c.compiled;
    }),
  );
}

/** 2026-11-02 is a Monday. `at('10:30')` is that Monday 10:30 Beijing time. */
export const at = (hhmm: string, day = '2026-11-02') => Date.parse(`${day}T${hhmm}:00+08:00`);
