/**
 * The rule store on both databases, and with two instances writing at once (issue 18): names stay unique,
 * the 200-rule limit holds, and a reader polling the revision sees every change exactly once, in order.
 */
import { describe, expect, it } from 'vitest';
import { MerchantError } from '../../src/core/errors.ts';
import { createRuleStore } from '../../src/merchant/rules/rule-store.ts';
import { createSettingsStore } from '../../src/merchant/settings.ts';
import { parseRuleInput } from '../../src/merchant/rules/schema.ts';
import type { RuleInput } from '../../src/merchant/rules/model.ts';
import { DATABASES, openEach } from '../helpers/databases.ts';

const rule = (name: string, keyword = name): RuleInput => {
  const parsed = parseRuleInput({ name, match: 'contains', keywords: [keyword], replies: [{ type: 'text', content: `关于${keyword}` }] });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.value;
};

describe.each(DATABASES)('rules on $name', (database) => {
  const opened = openEach(database);

  it.skipIf(database.skip)('creates, lists, replaces, reorders and deletes, each change seen once by a reader polling the revision', async () => {
    const rules = createRuleStore(opened.sql);
    const reader = createRuleStore(await opened.another());
    const a = await rules.create('default', rule('优惠'));
    const b = await rules.create('default', rule('客服'));
    let seen = await reader.changesSince(0);
    expect(seen.upserted.map((r) => r.name)).toEqual(['优惠', '客服']);
    expect(await rules.list('default', { kind: 'keyword', limit: 10 })).toHaveLength(2);
    await rules.replace('default', a.id, rule('优惠', '折扣'));
    await rules.reorder('default', [b.id, a.id]);
    expect(await rules.remove('default', b.id)).toBe(true);
    expect(await rules.remove('default', b.id)).toBe(false);
    const next = await reader.changesSince(seen.rev);
    expect(next.upserted.map((r) => [r.name, r.keywords])).toEqual([['优惠', ['折扣']]]);
    expect(next.deleted).toEqual([{ account: 'default', id: b.id }]);
    seen = await reader.changesSince(next.rev);
    expect(seen).toEqual({ rev: next.rev, upserted: [], deleted: [] });
    await rules.recordHit('default', a.id, Date.UTC(2026, 11, 4, 2));
    await rules.recordHit('default', a.id, Date.UTC(2026, 11, 4, 3));
    expect(await opened.sql.get('SELECT hits FROM rule_hits WHERE rule_id = ?', [a.id])).toEqual({ hits: 2 });
  });

  it.skipIf(database.skip)('keeps a name to one rule when two instances create it at once', async () => {
    const one = createRuleStore(opened.sql);
    const two = createRuleStore(await opened.another());
    const outcomes = await Promise.allSettled([one.create('default', rule('同名')), two.create('default', rule('同名')), one.create('default', rule('同名'))]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(MerchantError);
    expect(await one.count('default')).toBe(1);
  });

  it.skipIf(database.skip)('imports all or nothing, and settles settings patches from two instances field by field', async () => {
    const rules = createRuleStore(opened.sql);
    await expect(rules.upsertByName('default', Array.from({ length: 201 }, (_, i) => rule(`r${i}`)))).rejects.toThrow(MerchantError);
    expect(await rules.count('default')).toBe(0);
    expect(await rules.upsertByName('default', [rule('a'), rule('b')])).toMatchObject({ created: 2, updated: 0 });
    expect(await rules.upsertByName('default', [rule('a', 'x'), rule('c')])).toMatchObject({ created: 1, updated: 1 });

    const s1 = createSettingsStore(opened.sql);
    const s2 = createSettingsStore(await opened.another());
    await Promise.all([s1.update('default', { bot_name: '小美' }), s2.update('default', { account_name: '逛逛' })]);
    expect(await s1.get('default')).toMatchObject({ botName: '小美', accountName: '逛逛' });
  });
});
