import { describe, expect, it } from 'vitest';
import { isActive } from '../../src/merchant/rules/hours.ts';
import { chooseReplies, explainText, matchEvent, matchText, MAX_MATCH_CHARS } from '../../src/merchant/rules/match.ts';
import { at, rule, ruleSet } from './fixtures.ts';

const answer = (set: ReturnType<typeof ruleSet>, text: string, now = at('10:00')) => matchText(set, text, now).match?.rule.id ?? null;

describe('match modes', () => {
  it('exact (全匹配) answers the whole message only, after the same normalisation as commands', () => {
    const set = ruleSet(rule(1, { name: 'hi', match: 'exact', keywords: ['你好', 'Hello'] }));
    for (const t of ['你好', ' 你好！', 'HELLO', 'ｈｅｌｌｏ', 'hello。']) expect(answer(set, t), t).toBe(1);
    for (const t of ['你好呀', '说你好', 'hello there']) expect(answer(set, t), t).toBeNull();
  });

  it('contains (半匹配) answers a message that contains a keyword anywhere', () => {
    const set = ruleSet(rule(1, { name: 'deal', match: 'contains', keywords: ['优惠', 'Coupon'] }));
    for (const t of ['有优惠吗', '优惠', '我要 COUPON 码']) expect(answer(set, t), t).toBe(1);
    expect(answer(set, '有折扣吗')).toBeNull();
  });

  it('regex answers a message the RE2 pattern finds (case-insensitive, full-width folded)', () => {
    const set = ruleSet(rule(1, { name: 'phone', match: 'regex', keywords: ['1[3-9]\\d{9}', '^订单\\s*[A-Z]\\d+$'] }));
    expect(answer(set, '我的手机 13812345678')).toBe(1);
    expect(answer(set, '订单 a123')).toBe(1);
    expect(answer(set, '订单ｂ４５６')).toBe(1);
    expect(answer(set, '12345')).toBeNull();
  });

  it('says which keyword matched', () => {
    const set = ruleSet(rule(1, { name: 'deal', match: 'contains', keywords: ['优惠', '折扣'] }));
    expect(matchText(set, '有折扣吗', at('10:00')).match?.keyword).toBe('折扣');
  });
});

describe('priority', () => {
  it('tries higher priority first, then exact before contains before regex, then the older rule', () => {
    const set = ruleSet(
      rule(1, { name: 'old contains', match: 'contains', keywords: ['优惠'] }),
      rule(2, { name: 'regex', match: 'regex', keywords: ['优惠'] }),
      rule(3, { name: 'exact', match: 'exact', keywords: ['优惠'] }),
      rule(4, { name: 'new contains', match: 'contains', keywords: ['优惠'] }),
      rule(5, { name: 'high regex', match: 'regex', keywords: ['优惠券'], priority: 10 }),
    );
    expect(answer(set, '优惠')).toBe(3);
    expect(answer(set, '有优惠吗')).toBe(1);
    expect(answer(set, '优惠券')).toBe(5);
    expect(explainText(set, '有优惠吗', at('10:00')).map((c) => [c.rule.id, c.status])).toEqual([
      [1, 'answers'], [4, 'outranked'], [2, 'outranked'],
    ]);
  });

  it('passes over a disabled rule to the next one', () => {
    const set = ruleSet(
      rule(1, { name: 'off', match: 'contains', keywords: ['优惠'], priority: 9, enabled: false }),
      rule(2, { name: 'on', match: 'contains', keywords: ['优惠'] }),
    );
    expect(answer(set, '优惠')).toBe(2);
  });
});

describe('active hours (Beijing time, from the injected clock)', () => {
  const day = rule(1, { name: 'office', match: 'contains', keywords: ['客服'], active_hours: { from: '09:00', to: '18:00' } });
  const night = rule(2, { name: 'night', match: 'contains', keywords: ['客服'], active_hours: { from: '22:00', to: '06:00' } });
  const weekend = rule(3, { name: 'weekend', match: 'contains', keywords: ['周末'], active_hours: { from: '00:00', to: '23:59', days: [6, 7] } });
  const set = ruleSet(day, night, weekend);

  it('answers within the hours and not outside them (from inclusive, to exclusive)', () => {
    expect(answer(set, '客服', at('09:00'))).toBe(1);
    expect(answer(set, '客服', at('17:59'))).toBe(1);
    expect(answer(set, '客服', at('18:00'))).toBeNull();
    expect(answer(set, '客服', at('08:59'))).toBeNull();
  });

  it('spans midnight when from is later than to', () => {
    expect(answer(set, '客服', at('23:30'))).toBe(2);
    expect(answer(set, '客服', at('05:59'))).toBe(2);
    expect(answer(set, '客服', at('06:00'))).toBeNull();
  });

  it('keeps to the days given (1 = Monday … 7 = Sunday)', () => {
    expect(answer(set, '周末', at('12:00', '2026-11-02'))).toBeNull(); // Monday
    expect(answer(set, '周末', at('12:00', '2026-11-07'))).toBe(3); // Saturday
    expect(answer(set, '周末', at('12:00', '2026-11-08'))).toBe(3); // Sunday
  });

  it('uses Beijing time, not the machine\'s zone: 01:00 UTC is 09:00 in Shanghai', () => {
    expect(isActive({ from: '09:00', to: '10:00' }, Date.UTC(2026, 10, 2, 1, 0))).toBe(true);
  });

  it('tells an out-of-hours match apart in the explanation', () => {
    expect(explainText(set, '客服', at('12:00')).map((c) => [c.rule.id, c.status])).toEqual([[1, 'answers'], [2, 'outside_hours']]);
  });
});

describe('replies', () => {
  const replies = [1, 2, 3].map((n) => ({ type: 'text', content: `r${n}` }));

  it('sends every reply in order with reply_mode all', () => {
    const r = rule(1, { name: 'all', match: 'exact', keywords: ['x'], replies });
    expect(chooseReplies(r, () => 0.99).map((x) => (x.type === 'text' ? x.content : ''))).toEqual(['r1', 'r2', 'r3']);
  });

  it('sends one reply picked by the injected random source with reply_mode random', () => {
    const r = rule(1, { name: 'random', match: 'exact', keywords: ['x'], replies, reply_mode: 'random' });
    const pick = (x: number) => chooseReplies(r, () => x).map((y) => (y.type === 'text' ? y.content : ''));
    expect(pick(0)).toEqual(['r1']);
    expect(pick(0.5)).toEqual(['r2']);
    expect(pick(0.999)).toEqual(['r3']);
  });
});

describe('event rules', () => {
  const set = ruleSet(
    rule(1, { name: 'welcome', event: 'follow' }),
    rule(2, { name: 'better welcome', event: 'follow', priority: 3 }),
    rule(3, { name: 'poster', event: 'scene', keys: ['poster_2027', 'flyer'] }),
    rule(4, { name: 'deals menu', event: 'click', keys: ['MENU_DEALS'] }),
    rule(5, { name: 'fallback', event: 'fallback', active_hours: { from: '22:00', to: '08:00' } }),
  );

  it('finds the follow, scene, click and fallback rules by event and key', () => {
    expect(matchEvent(set, 'follow', at('10:00'))?.id).toBe(2);
    expect(matchEvent(set, 'scene', at('10:00'), 'flyer')?.id).toBe(3);
    expect(matchEvent(set, 'scene', at('10:00'), 'other')).toBeNull();
    expect(matchEvent(set, 'click', at('10:00'), 'MENU_DEALS')?.id).toBe(4);
    expect(matchEvent(set, 'fallback', at('23:00'))?.id).toBe(5);
    expect(matchEvent(set, 'fallback', at('10:00'))).toBeNull();
  });

  it('never answers a text message with an event rule', () => {
    expect(answer(set, 'MENU_DEALS')).toBeNull();
  });
});

describe('the regex guard', () => {
  // Each of these takes a backtracking engine (JavaScript's RegExp) seconds to forever on the inputs below:
  // `(a+)+$` on 'a' × 30 + '!' already needs 2^30 steps. RE2 runs them in time linear in the input.
  const pathological = ['(a+)+$', '(a|aa)+$', '(a|a?)+b', '(.*a){10}$', '([a-z]+)*[0-9]', '(x+x+)+y', '(\\w+\\s?)+$', '^(a+)+$', '(.*)*c', '(a*)*b'];

  it('answers within 50 ms with 200 rules of catastrophic-backtracking patterns, whatever the message', () => {
    const rules = Array.from({ length: 200 }, (_, i) => rule(i + 1, { name: `evil ${i}`, match: 'regex', keywords: pathological.map((p) => `${p}|z${i}q`) }));
    const set = ruleSet(...rules);
    // Under 512 characters (what rules look at), so the final '!' is seen and nothing matches.
    const messages = ['a'.repeat(500) + '!', 'x'.repeat(500) + '!', 'ad '.repeat(165) + '!', '你'.repeat(5000)];
    for (const m of messages) {
      expect(matchText(set, m, at('10:00')).match).toBeNull();
      // Best of three: the bound is about the engine, not about the machine being busy with other test files.
      const times = [0, 1, 2].map(() => {
        const started = performance.now();
        matchText(set, m, at('10:00'));
        return performance.now() - started;
      });
      expect(Math.min(...times), `${m.slice(0, 10)}…`).toBeLessThan(50);
    }
  });

  it('looks at the first 512 characters of a message only', () => {
    const set = ruleSet(rule(1, { name: 'tail', match: 'contains', keywords: ['尾巴'] }));
    expect(answer(set, 'x'.repeat(MAX_MATCH_CHARS - 2) + '尾巴')).toBe(1);
    expect(answer(set, 'x'.repeat(MAX_MATCH_CHARS) + '尾巴')).toBeNull();
  });

  it('skips the regex rules left once the budget is spent, and says how many', () => {
    const set = ruleSet(
      rule(1, { name: 'a', match: 'regex', keywords: ['zzz'], priority: 2 }),
      rule(2, { name: 'b', match: 'regex', keywords: ['yyy'], priority: 1 }),
      rule(3, { name: 'c', match: 'contains', keywords: ['yyy'] }),
    );
    let t = 0;
    const slow = () => (t += 30); // every look at the clock: 30 ms later
    expect(matchText(set, 'yyy', at('10:00'), { elapsed: slow, budgetMs: 20 })).toEqual({ match: expect.objectContaining({ rule: expect.objectContaining({ id: 3 }) }), skipped: 2 });
  });
});
