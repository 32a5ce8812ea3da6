/**
 * The bot's own texts and example queries (`/api/settings`) over the webhook: a cosmetics shop's bot
 * suggests cosmetics, never 女装 or hotels; the merchant's texts and examples are used; null puts back the
 * built-in ones; validation answers in Chinese when asked, in English otherwise.
 */
import { describe, expect, it } from 'vitest';
import { adminServer, within } from './harness.ts';
import { deriveOffer } from '../../src/search/offer.ts';

const COSMETICS = [
  { sku: 'C1', title: '丝绒哑光口红', category: '彩妆/口红', price: '199' },
  { sku: 'C2', title: '持妆粉底液', category: '彩妆/粉底', price: '299' },
  { sku: 'C3', title: '保湿面霜', category: '护肤/面霜', price: '259' },
];

describe('deriveOffer', () => {
  it('suggests the biggest categories, then a city with hotels and one with deals, and nothing it does not have', () => {
    expect(deriveOffer({ productRoots: ['彩妆', '护肤'], hotelCities: [], dealCities: [] })).toEqual({
      productRoots: ['彩妆', '护肤'], hotelCity: null, dealCity: null, examples: ['彩妆', '护肤'],
    });
    expect(deriveOffer({ productRoots: ['女装', '数码', '美妆', '家居'], hotelCities: ['杭州', '上海'], dealCities: ['成都'] }).examples).toEqual(['女装', '数码', '杭州酒店', '成都团购']);
    expect(deriveOffer({ productRoots: [], hotelCities: [], dealCities: [] }).examples).toEqual([]);
  });
});

describe('the bot\'s texts and examples', async () => {
  const s = await adminServer();
  for (const p of COSMETICS) expect((await s.api('PUT', `/products/${p.sku}`, p)).status).toBe(200);
  let n = 0;
  const follower = () => `o_bot_${n++}`;

  it('suggests a cosmetics shop\'s own categories in the welcome, greeting, help and fallback, never 女装 or hotels', async () => {
    // The catalogue is indexed in the background (a poll every 500 ms): wait for all three products.
    await within(15_000, async () => (await s.api('GET', '/settings')).body.example_queries_effective.join() === '彩妆,护肤');
    expect((await s.api('GET', '/settings')).body).toMatchObject({ example_queries: null, example_queries_effective: ['彩妆', '护肤'], example_queries_derived: ['彩妆', '护肤'] });
    const answers = [await s.event(follower(), 'subscribe'), await s.say(follower(), '你好'), await s.say(follower(), '帮助'), await s.say(follower(), 'asdfgh')];
    for (const a of answers) {
      expect(a).toContain('「彩妆」「护肤」');
      expect(a).not.toMatch(/女装|酒店|团购/);
    }
  });

  it('uses the merchant\'s texts and examples, with the placeholders filled in, and null puts the built-in ones back', async () => {
    const patch = {
      bot_name: '小美',
      welcome_text: '欢迎来到{account_name}！我是{bot_name}，试试{examples}',
      help_text: '{bot_name}能帮你挑口红和面霜',
      fallback_text: '{bot_name}没懂，换个说法？比如{examples}',
      example_queries: ['口红', '面霜 200以内'],
    };
    const r = await s.api('PATCH', '/settings', patch);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ...patch, example_queries_effective: ['口红', '面霜 200以内'], example_queries_derived: ['彩妆', '护肤'] });
    expect(await s.event(follower(), 'subscribe')).toBe('欢迎来到逛！我是小美，试试「口红」「面霜 200以内」');
    // Opting out stays findable on the official account.
    expect(await s.say(follower(), '帮助')).toBe('小美能帮你挑口红和面霜\n· 不想收推送：回复「TD」；想恢复：回复「订阅」');
    expect(await s.say(follower(), 'asdfgh')).toBe('小美没懂，换个说法？比如「口红」「面霜 200以内」');
    expect(await s.say(follower(), '你好')).toContain('「口红」「面霜 200以内」');

    const reset = await s.api('PATCH', '/settings', { welcome_text: null, help_text: null, fallback_text: null, example_queries: null });
    expect(reset.body).toMatchObject({ bot_name: '小美', welcome_text: null, help_text: null, fallback_text: null, example_queries: null, example_queries_effective: ['彩妆', '护肤'] });
    expect(await s.event(follower(), 'subscribe')).toBe(fillDefault(reset.body.default_texts.lively.welcome_text, '小美', '逛', '「彩妆」「护肤」'));
    expect(await s.say(follower(), 'asdfgh')).toMatch(/^小美还没听懂.*「彩妆」「护肤」/s);
  });

  it('refuses bad texts and examples, in Chinese for the console and in English for scripts, changing nothing', async () => {
    const before = (await s.api('GET', '/settings')).body;
    const bad = { welcome_text: '长'.repeat(700), example_queries: ['口红', '口红', 'x'.repeat(21)] };
    const en = await s.api('PATCH', '/settings', bad);
    expect(en.status).toBe(400);
    expect(en.body.error.details).toEqual(expect.arrayContaining([
      { path: 'welcome_text', message: expect.stringMatching(/^too long for a WeChat text reply \(2048 bytes/) },
      { path: 'example_queries[2]', message: 'at most 20 characters each' },
      { path: 'example_queries', message: 'each example once' },
    ]));
    const zh = await s.api('PATCH', '/settings', bad, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual(expect.arrayContaining([
      { path: 'welcome_text', message: expect.stringMatching(/^太长了：微信文字消息最多 2048 字节/) },
      { path: 'example_queries[2]', message: '每个示例最多 20 个字' },
      { path: 'example_queries', message: '示例不能重复' },
    ]));
    expect(zh.body.error.message).toContain('welcome_text: 太长了');
    const tooMany = await s.api('PATCH', '/settings', { example_queries: ['a', 'b', 'c', 'd', 'e', 'f'] }, { headers: { 'accept-language': 'zh' } });
    expect(tooMany.body.error.details).toEqual([{ path: 'example_queries', message: '最多 5 个示例' }]);
    expect((await s.api('GET', '/settings')).body).toEqual(before);
  });

  it('gives each voice\'s built-in texts for this catalogue, to show as the default', async () => {
    const { body } = await s.api('GET', '/settings');
    expect(Object.keys(body.default_texts)).toEqual(['lively', 'gentle', 'brief']);
    for (const v of ['lively', 'gentle', 'brief']) {
      expect(body.default_texts[v].welcome_text).toContain('{examples}');
      expect(JSON.stringify(body.default_texts[v])).not.toMatch(/酒店|团购|女装/);
    }
    expect(body.default_texts.gentle.sample).not.toBe(body.default_texts.brief.sample);
    expect(body.placeholders).toEqual(['{bot_name}', '{account_name}', '{examples}']);
  });

  it('follows the catalogue: once the shop has hotels in 杭州, its texts suggest 「杭州酒店」 and say how to find hotels', async () => {
    const r = await s.api('PUT', '/hotels/H1', { name: '西湖宾馆', city: '杭州', lat: 30.25, lng: 120.16, price: '399' });
    expect(r.status).toBe(200);
    await within(15_000, async () => (await s.api('GET', '/settings')).body.example_queries_effective.includes('杭州酒店'));
    expect((await s.api('GET', '/settings')).body.example_queries_effective).toEqual(['彩妆', '护肤', '杭州酒店']);
    await within(15_000, async () => (await s.say(follower(), '帮助')).includes('· 找酒店：发送位置，或回复「杭州酒店」'));
    expect(await s.say(follower(), '你好')).toContain('「彩妆」「护肤」「杭州酒店」');
    expect(await s.say(follower(), '酒店')).not.toContain('上海');
  });
});

/** A template as the bot fills it. */
const fillDefault = (t: string, bot: string, account: string, examples: string) =>
  t.replaceAll('{bot_name}', bot).replaceAll('{account_name}', account).replaceAll('{examples}', examples);
