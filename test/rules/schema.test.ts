import { describe, expect, it } from 'vitest';
import { describeProblems } from '../../src/core/problems.ts';
import { parseRuleInput } from '../../src/merchant/rules/schema.ts';

const base = { name: '优惠', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '满100减20' }] };
const problems = (input: Record<string, unknown>) => {
  const r = parseRuleInput({ ...base, ...input });
  if (r.ok) throw new Error('expected problems');
  return describeProblems(r.problems);
};

describe('rule validation, in words a merchant can act on', () => {
  it('accepts a rule and fills the defaults', () => {
    const r = parseRuleInput(base);
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ reply_mode: 'all', priority: 0, enabled: true, active_hours: null, keywords: ['优惠'] }) });
  });

  it('refuses a pattern RE2 cannot run: backreferences, lookaround, bad syntax', () => {
    expect(problems({ match: 'regex', keywords: ['(\\w)\\1'] })).toMatch(/keywords: pattern `\(\\w\)\\1`: backreferences .* not supported \(RE2\)/);
    expect(problems({ match: 'regex', keywords: ['优惠(?=券)'] })).toMatch(/lookahead and lookbehind .* not supported/);
    expect(problems({ match: 'regex', keywords: ['(?<!不)优惠'] })).toMatch(/lookahead and lookbehind/);
    expect(problems({ match: 'regex', keywords: ['[优惠'] })).toMatch(/keywords: bad pattern `\[优惠`: missing closing \]/);
  });

  it('refuses a pattern too big to match in bounded time', () => {
    expect(problems({ match: 'regex', keywords: ['a.{500}b'] })).toMatch(/repetition count of at most 100/);
    expect(problems({ match: 'regex', keywords: Array.from({ length: 10 }, (_, i) => `${i}.{90}x`) })).toMatch(/too complex \(\d+ steps; at most 400 per rule\)/);
  });

  it('refuses more than 10 keywords (the platform\'s limit)', () => {
    expect(problems({ keywords: Array.from({ length: 11 }, (_, i) => `k${i}`) })).toMatch(/keywords: too many keywords: at most 10 per rule .*got 11/);
  });

  it('refuses a text reply over 2048 bytes, counting UTF-8 bytes', () => {
    expect(problems({ replies: [{ type: 'text', content: '优'.repeat(683) }] })).toMatch(/replies\[0\]\.content: reply over 2048 bytes: this text is 2049 bytes/);
    expect(parseRuleInput({ ...base, replies: [{ type: 'text', content: '优'.repeat(682) }] }).ok).toBe(true);
  });

  it('refuses an empty reply and a rule with no reply', () => {
    expect(problems({ replies: [{ type: 'text', content: '  ' }] })).toMatch(/replies\[0\]\.content: empty reply/);
    expect(problems({ replies: [] })).toMatch(/replies: empty reply: a rule needs at least one reply/);
    expect(problems({ replies: [{ type: 'news', articles: [] }] })).toMatch(/replies\[0\]\.articles: empty reply/);
  });

  it('refuses an unknown reply type, naming the ones there are', () => {
    expect(problems({ replies: [{ type: 'video', media_id: 'x' }] })).toMatch(/replies\[0\]\.type: unknown reply type "video": use text, news or image/);
  });

  it('refuses more than 5 replies (the platform\'s limit)', () => {
    expect(problems({ replies: Array.from({ length: 6 }, () => ({ type: 'text', content: 'x' })) })).toMatch(/replies: at most 5 replies per rule/);
  });

  it('checks news articles and image replies', () => {
    expect(problems({ replies: [{ type: 'news', articles: [{ title: 't', url: 'javascript:alert(1)' }] }] })).toMatch(/replies\[0\]\.articles\[0\]\.url: a web address starting with http/);
    expect(parseRuleInput({ ...base, replies: [{ type: 'image', media_id: 'MEDIA_1' }] }).ok).toBe(true);
  });

  it('keeps TD, 退订 and 订阅 for opting out and in', () => {
    expect(problems({ match: 'exact', keywords: ['TD'] })).toMatch(/「td」 is the opt-out \/ opt-in command/);
    expect(problems({ match: 'exact', keywords: ['退订'] })).toMatch(/opt-out/);
  });

  it('needs either match with keywords or an event, not both', () => {
    expect(problems({ event: 'follow' })).toMatch(/either match .* or event .*not both/);
    const { match: _m, keywords: _k, ...noMatch } = base;
    expect(describeProblems((parseRuleInput(noMatch) as unknown as { problems: never[] }).problems)).toMatch(/say what the rule answers/);
    expect(describeProblems((parseRuleInput({ ...noMatch, event: 'click' }) as unknown as { problems: never[] }).problems)).toMatch(/keys: the menu keys it answers/);
  });

  it('names a misspelt field and a bad match mode', () => {
    expect(problems({ reply_mod: 'random' })).toMatch(/unknown field "reply_mod"/);
    expect(problems({ match: 'fuzzy' })).toMatch(/match: one of exact, contains, regex/);
  });

  it('checks active hours', () => {
    expect(problems({ active_hours: { from: '9:00', to: '18:00' } })).toMatch(/active_hours\.from: a time such as 09:00/);
    expect(problems({ active_hours: { from: '09:00', to: '09:00' } })).toMatch(/from and to are the same/);
    expect(problems({ active_hours: { from: '09:00', to: '18:00', days: [0] } })).toMatch(/days\[0\]: 1 \(Monday\) to 7 \(Sunday\)/);
  });
});
