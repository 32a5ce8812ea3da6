/**
 * Service questions end to end, over a real server, the signed webhook and a real SQLite file: the defaults of a
 * shop without products say nothing of 下单; `/api/service-answers` changes an answer (validated, in Chinese when
 * asked, audited) and a follower asking gets it; 「人工」 is handed to the customer-service staff
 * (transfer_customer_service) when the merchant says people are there, and answered with the text otherwise;
 * a long complaint is answered kindly and listed for a person; 门店在哪 lists the stores with address and hours;
 * the reports count service questions by topic and never file them as zero results.
 */
import { describe, expect, it } from 'vitest';
import { adminServer, within } from '../admin/harness.ts';

const zh = { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } };
const COMPLAINT =
  '上个月在你们这里买的羽绒服，收到以后穿了两次拉链就坏了，袖子也开线了，联系了好几次都没人回复，质量太差了，' +
  '我要求退款，今天再没人处理我就去投诉，订单号和电话我都可以发给你们，请尽快给我一个说法。';

describe('service questions', async () => {
  const s = await adminServer();
  let n = 0;
  const follower = () => `o_service_${n++}`;
  /** The answer log is written in the next group commit: poll the report until `check` holds. */
  const report = async (path: string, check: (items: any[]) => boolean) => {
    let items: any[] = [];
    await within(10_000, async () => check((items = (await s.api('GET', path)).body.items)));
    return items;
  };

  it('answers a shop without products with defaults that never speak of 下单, and a shop with products with its own', async () => {
    const defaults = (await s.api('GET', '/service-answers')).body;
    expect(defaults).toMatchObject({ human_transfer: false, answers: { human: null, sizes: null, complaint: null } });
    expect(defaults.default_answers.human).not.toContain('订单');
    expect(defaults.default_answers.sizes).not.toContain('下单');
    expect((await s.api('GET', '/order-settings')).body.default_answers.how_to_order).toContain('这里不能直接下单');
    expect(await s.say(follower(), '怎么下单')).toContain('这里不能直接下单');
    expect(await s.say(follower(), '尺码怎么选')).toBe(defaults.default_answers.sizes);

    expect((await s.api('PUT', '/products/D1', { sku: 'D1', title: '波点连衣裙', category: '女装/连衣裙', price: '169' })).status).toBe(200);
    // The catalogue is indexed in the background: wait until the bot knows it has products.
    await within(15_000, async () => (await s.api('GET', '/settings')).body.example_queries_effective.includes('女装'));
    expect((await s.api('GET', '/service-answers')).body.default_answers.human).toContain('订单号');
    expect(await s.say(follower(), '怎么下单')).toContain('买第2个');
    expect(await s.say(follower(), '你是谁')).toContain('「女装」');
  });

  it('changes an answer, which followers then get; null puts the default back; refusals in Chinese on their field; every change audited', async () => {
    const asker = follower();
    const changed = await s.api('PATCH', '/service-answers', { answers: { authenticity: '全部专柜正品，支持验货，假一赔十。' } });
    expect(changed.status).toBe(200);
    expect(changed.body.answers).toMatchObject({ authenticity: '全部专柜正品，支持验货，假一赔十。', coupons: null });
    expect(await s.say(asker, '是正品吗')).toBe('全部专柜正品，支持验货，假一赔十。');
    expect(await s.say(asker, '這是正品嗎')).toBe('全部专柜正品，支持验货，假一赔十。');
    // A search that only mentions 正品 is still a search.
    expect(await s.say(asker, '正品连衣裙')).not.toBe('全部专柜正品，支持验货，假一赔十。');

    const refused = await s.api('PATCH', '/service-answers', { answers: { coupons: '   ', weather: '晴' } }, zh);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/回复应按问题填写|不能只有空白/);
    const tooLong = await s.api('PATCH', '/service-answers', { answers: { coupons: '折'.repeat(700) } }, zh);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ path: 'answers.coupons', message: '太长了：最多约 600 个汉字' })]);
    expect((await s.api('PATCH', '/service-answers', { human_transfer: 'yes' }, zh)).body.error.details[0].message).toBe('「转接微信客服」只能是开或关');

    const reset = await s.api('PATCH', '/service-answers', { answers: { authenticity: null } });
    expect(reset.body.answers.authenticity).toBeNull();
    expect(await s.say(asker, '是正品吗')).toBe(reset.body.default_answers.authenticity);

    const audit = (await s.api('GET', '/audit?route=updateServiceAnswers')).body.items;
    expect(audit.length).toBe(2);
    expect(audit.every((e: { who: string; method: string }) => e.who === 'token' && e.method === 'PATCH')).toBe(true);
  });

  it('hands 人工 to the customer-service staff when the merchant says people are there, and lists it for a person', async () => {
    const waiting = follower();
    const text = await s.say(waiting, '人工客服');
    expect(text).toContain('客服上班后会尽快在这里回复你');

    expect((await s.api('PATCH', '/service-answers', { human_transfer: true })).body.human_transfer).toBe(true);
    const handed = follower();
    expect(await s.say(handed, '转人工')).toBe('<transfer_customer_service>');
    // A question the bot can answer is still answered by the bot.
    expect(await s.say(handed, '包邮吗')).toContain('包邮');

    const items = await report('/stats/needs-person', (xs) => xs.some((x) => x.user === handed));
    expect(items.find((x) => x.user === handed)).toMatchObject({ text: '转人工', reason: 'asked_for_person', handoff: 'transfer', channel: 'wechat' });
    expect(items.find((x) => x.user === waiting)).toMatchObject({ text: '人工客服', reason: 'asked_for_person', handoff: 'text' });
    expect((await s.api('PATCH', '/service-answers', { human_transfer: false })).body.human_transfer).toBe(false);
  });

  it('answers a long complaint kindly, never with products, and lists it for a person', async () => {
    const upset = follower();
    const answer = await s.say(upset, COMPLAINT);
    expect(answer).toContain('非常抱歉');
    expect(answer).not.toMatch(/为你找到|没有完全符合|暂时没有|¥/);
    const items = await report('/stats/needs-person', (xs) => xs.some((x) => x.user === upset));
    expect(items.find((x) => x.user === upset)).toMatchObject({ reason: 'complaint', handoff: 'text' });
    expect(items.find((x) => x.user === upset).text.startsWith('上个月在你们这里买的羽绒服')).toBe(true);
  });

  it('counts service questions by topic and never files them as zero results', async () => {
    const asker = follower();
    for (const q of ['包邮吗', '是正品吗', '你是谁', '今天天气怎么样', '有优惠吗', '42码的有吗', '找不到的东西xyz']) await s.say(asker, q);
    const zero = await report('/stats/zero-results', (xs) => xs.some((x) => x.query === '找不到的东西xyz'));
    expect(zero.map((x) => x.query)).not.toEqual(expect.arrayContaining(['包邮吗']));
    for (const q of ['包邮吗', '是正品吗', '你是谁', '今天天气怎么样', '有优惠吗', '42码的有吗', '人工客服', '转人工']) expect(zero.map((x) => x.query)).not.toContain(q);
    const topics = await report('/stats/service-questions', (xs) => xs.some((x) => x.topic === 'coupons'));
    const count = (topic: string) => topics.find((x) => x.topic === topic)?.count ?? 0;
    expect(count('shipping_fee')).toBeGreaterThanOrEqual(2);
    expect(count('who_are_you')).toBeGreaterThanOrEqual(2);
    for (const t of ['authenticity', 'out_of_scope', 'coupons', 'sizes', 'human', 'complaint', 'how_to_order']) expect(count(t), t).toBeGreaterThan(0);
  });

  it('answers 门店在哪 with the stores, their addresses and hours', async () => {
    const created = await s.api('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海', address: '南京西路 1601 号', hours: '每天 10:00–22:00' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ address: '南京西路 1601 号', hours: '每天 10:00–22:00' });
    await s.api('POST', '/stores', { id: 'hz-xihu', name: '西湖店', city: '杭州' });
    // The merchant's store text, when written, follows the list.
    await s.api('PATCH', '/service-answers', { answers: { stores: '两家店都可以停车。' } });
    const answer = await s.say(follower(), '你们门店在哪里');
    expect(answer).toBe('我们的门店：\n· 西湖店：杭州\n· 静安店：上海 南京西路 1601 号（营业时间 每天 10:00–22:00）\n两家店都可以停车。');
    expect((await s.api('PATCH', '/stores/hz-xihu', { address: '   ' }, zh)).status).toBe(400);
  });

  it('documents the API in the OpenAPI document', async () => {
    const doc = await (await fetch(`${s.server.url}/api/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/service-answers', '/api/stats/service-questions', '/api/stats/needs-person']));
    expect(doc.paths['/api/service-answers'].patch.operationId).toBe('updateServiceAnswers');
  });
});
