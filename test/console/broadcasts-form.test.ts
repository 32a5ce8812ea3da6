/**
 * The 群发 editor's pure helpers: the definition its form values make (accepted by push's own validator), the
 * weekly and daily picker's cron, where an API problem lands on the form, and the schedule and the nobody
 * warning in words.
 */
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { parseBroadcast } from '../../src/push/model.ts';
import { definitionOf, fieldOf, NEW_VALUES, type EditorValues } from '../../web/console/src/pages/broadcasts/editor-form.ts';
import { nobodyText, pickedCron, scheduleText } from '../../web/console/src/pages/broadcasts/model.ts';

const values = (over: Partial<EditorValues>): EditorValues => ({ ...NEW_VALUES, name: '本周新品', content: '本周女装上新', ...over });

describe('the broadcast editor', () => {
  it('makes the cron of a weekly or daily pick, and a definition push accepts', () => {
    expect(pickedCron('10:00', [4, 1])).toBe('0 10 * * 1,4');
    expect(pickedCron('09:30', null)).toBe('30 9 * * *');
    const weekly = definitionOf(values({ repeat: 'weekly', days: [4, 1], time: dayjs('2026-01-01T10:00:00'), audienceMode: 'filter', stores: ['sh-jingan'] }));
    expect(weekly).toEqual({
      name: '本周新品', message: { type: 'text', content: '本周女装上新' }, audience: { stores: ['sh-jingan'] }, channel: 'custom',
      schedule: { cron: '0 10 * * 1,4', tz: 'Asia/Shanghai' },
    });
    expect(parseBroadcast(weekly).ok).toBe(true);
    const once = definitionOf(values({ repeat: 'once', at: dayjs('2026-12-08T10:00:00') }));
    expect(once.schedule).toEqual({ at: '2026-12-08T10:00:00+08:00' });
    expect(parseBroadcast(once).ok).toBe(true);
    const advanced = definitionOf(values({ repeat: 'cron', cron: '0 9 1 * *' }));
    expect(advanced.schedule).toEqual({ cron: '0 9 1 * *', tz: 'Asia/Shanghai' });
    expect(definitionOf(values({})).schedule).toBeUndefined();
  });

  it('sends a product pick, an article and collected replies as push defines them', () => {
    const pick = definitionOf(values({ kind: 'product_pick', pick: { title: '女装新品', category: '女装', tag: '', limit: 3 } }));
    expect(pick.message).toEqual({ type: 'product_pick', title: '女装新品', category: '女装', limit: 3 });
    const news = definitionOf(values({ kind: 'news', article: { title: '上新', url: 'https://shop.example.com/new', description: '' }, collect: true, replies: { keyword: '试用', window_hours: 72, confirm: '' } }));
    expect(news.message).toEqual({ type: 'news', article: { title: '上新', url: 'https://shop.example.com/new' } });
    expect(news.replies).toEqual({ keyword: '试用', window_hours: 72 });
    expect(parseBroadcast(pick).ok && parseBroadcast(news).ok).toBe(true);
  });

  it('puts each API problem on its field', () => {
    const text = values({});
    expect(fieldOf('message.content', text)).toEqual(['content']);
    expect(fieldOf('message.url', values({ kind: 'news' }))).toEqual(['article', 'url']);
    expect(fieldOf('message.title', values({ kind: 'product_pick' }))).toEqual(['pick', 'title']);
    expect(fieldOf('audience', text)).toEqual(['audienceMode']);
    expect(fieldOf('audience.stores', values({ audienceMode: 'filter' }))).toEqual(['stores']);
    expect(fieldOf('schedule.cron', values({ repeat: 'cron' }))).toEqual(['cron']);
    expect(fieldOf('schedule.at', values({ repeat: 'once' }))).toEqual(['at']);
    expect(fieldOf('replies.keyword', text)).toEqual(['replies', 'keyword']);
    expect(fieldOf('', text)).toBeNull();
  });

  it('says a schedule and why nobody would receive it in words', () => {
    const t = (iso: string) => iso.slice(0, 16);
    expect(scheduleText({ cron: '0 10 * * 1,4' }, t)).toBe('每周一、周四 10:00');
    expect(scheduleText({ cron: '30 9 * * *' }, t)).toBe('每天 09:30');
    expect(scheduleText({ cron: '0 9 1 * *' }, t)).toBe('cron 0 9 1 * *');
    expect(scheduleText(undefined, t)).toBe('不定时（手动发送）');
    const skipped = { unfollowed: 0, opted_out: 1, outside_48h: 3, quiet_hours: 0, platform_limit: 0, capped: 0 };
    expect(nobodyText({ audience: 4, to_send: 0, skipped })).toBe('现在发送不会送达任何人：受众 4 人中，超出 48 小时互动窗口 3 人，已退订 1 人。');
    expect(nobodyText({ audience: 4, to_send: 1, skipped })).toBeNull();
  });
});
