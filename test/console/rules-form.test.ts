/**
 * The rule editor's pure helpers: where an API problem's path lands in the form, the body it sends (only what
 * the rule's kind and reply types use), pasted keyword lists, and active hours in words.
 */
import { describe, expect, it } from 'vitest';
import { fieldOf, newRuleValues, ruleInput, valuesOf } from '../../web/console/src/pages/rules/form.ts';
import { LINE_SEPARATORS, hoursText, previewOf, splitList } from '../../web/console/src/pages/rules/model.ts';

describe('the rule form', () => {
  it('puts each API path on its field, and leaves the rest to the alert', () => {
    expect(fieldOf('name')).toEqual(['name']);
    expect(fieldOf('keywords[2]')).toEqual(['keywords']);
    expect(fieldOf('replies[0].content')).toEqual(['replies', 0, 'content']);
    expect(fieldOf('replies[1].articles[3].url')).toEqual(['replies', 1, 'articles', 3, 'url']);
    expect(fieldOf('active_hours.from')).toEqual(['active_hours', 'from']);
    expect(fieldOf('active_hours.days[0]')).toEqual(['active_hours', 'days']);
    for (const path of ['', 'replies', 'active_hours', 'priority', 'replies[0]', 'colour']) expect(fieldOf(path), path).toBeNull();
  });

  it('sends what the rule uses: keywords or the event (keys for scene and click), each reply\'s own fields', () => {
    const v = { ...newRuleValues('连衣裙'), replies: [{ type: 'news' as const, articles: [{ title: 'T', description: '', url: 'https://x.cn', image_url: '' }] }] };
    expect(ruleInput(v, 0)).toEqual({
      name: '连衣裙', match: 'contains', keywords: ['连衣裙'], replies: [{ type: 'news', articles: [{ title: 'T', url: 'https://x.cn' }] }],
      reply_mode: 'all', priority: 0, enabled: true, active_hours: null,
    });
    const follow = ruleInput({ ...v, kind: 'event', event: 'follow', keys: ['x'], all_day: false, active_hours: { from: '09:00', to: '18:00', days: [] } }, 3);
    expect(follow).toMatchObject({ event: 'follow', priority: 3, active_hours: { from: '09:00', to: '18:00' } });
    expect(follow).not.toHaveProperty('keys');
    expect(follow).not.toHaveProperty('keywords');
    expect(ruleInput({ ...v, kind: 'event', event: 'click', keys: ['MENU_1'] }, 0)).toMatchObject({ event: 'click', keys: ['MENU_1'] });
  });

  it('starts a click rule for a menu key (the menu editor\'s link), named after the button', () => {
    expect(ruleInput(newRuleValues(null, { key: 'TODAY', name: '今日推荐' }), 0)).toMatchObject({ name: '今日推荐', event: 'click', keys: ['TODAY'] });
    expect(newRuleValues(null, { key: 'TODAY', name: ' ' }).name).toBe('TODAY');
    expect(newRuleValues('连衣裙', { key: ' ', name: 'x' })).toMatchObject({ kind: 'keyword', keywords: ['连衣裙'] });
  });

  it('reads a stored rule back into the form unchanged', () => {
    const rule = {
      id: 7, name: '菜单', event: 'click' as const, keys: ['M1'], replies: [{ type: 'image' as const, media_id: 'MEDIA' }], reply_mode: 'random' as const,
      priority: 2, enabled: false, active_hours: { from: '22:00', to: '06:00', days: [6, 7] }, created_at: '', updated_at: '',
    };
    expect(ruleInput(valuesOf(rule), rule.priority)).toEqual({
      name: '菜单', event: 'click', keys: ['M1'], replies: [{ type: 'image', media_id: 'MEDIA' }], reply_mode: 'random', priority: 2, enabled: false,
      active_hours: { from: '22:00', to: '06:00', days: [6, 7] },
    });
  });

  it('splits pasted lists and says active hours in words', () => {
    expect(splitList('优惠，折扣、活动\n满减, 优惠')).toEqual(['优惠', '折扣', '活动', '满减']);
    expect(splitList('1\\d{10,11}\n优惠券?', LINE_SEPARATORS)).toEqual(['1\\d{10,11}', '优惠券?']);
    expect(hoursText(null)).toBe('全天');
    expect(hoursText({ from: '09:00', to: '18:00', days: [1, 2, 3, 4, 5] })).toBe('09:00–18:00 周一至周五');
    expect(hoursText({ from: '22:00', to: '06:00', days: [6, 7] })).toBe('22:00–06:00（次日） 周六、周日');
    expect(previewOf({ type: 'text', content: '  ' })).toEqual({ type: 'none' });
  });
});
