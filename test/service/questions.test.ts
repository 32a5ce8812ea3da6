/**
 * The service-question recognizer (src/merchant/service/questions.ts): the whole message must be the question,
 * with lead and tail particles around it; sizes carry the size asked about; long complaints are flagged;
 * wishes that merely contain a service word stay searches.
 */
import { describe, expect, it } from 'vitest';
import { normalizeCommand } from '../../src/core/command.ts';
import { COMPLAINT_MIN_CHARS, isComplaint, QUESTION_TOPICS, serviceQuestion, type QuestionTopic } from '../../src/merchant/service/questions.ts';

const topicOf = (text: string) => serviceQuestion(normalizeCommand(text))?.topic ?? null;

describe('service questions', () => {
  const asked: readonly (readonly [string, QuestionTopic])[] = [
    ['人工', 'human'], ['人工客服', 'human'], ['转人工', 'human'], ['找客服', 'human'], ['有人吗', 'human'], ['有人在吗？', 'human'],
    ['客服', 'human'], ['客服在吗', 'human'], ['我要找人工客服', 'human'], ['人呢', 'human'], ['客服几点上班', 'human'],
    ['怎么下单', 'how_to_order'], ['如何购买', 'how_to_order'],
    ['能货到付款吗', 'cod'], ['可以用微信支付吗', 'cod'], ['支持花呗吗', 'cod'],
    ['多久到货', 'shipping_time'], ['几天能到啊', 'shipping_time'], ['发什么快递', 'shipping_time'],
    ['包邮吗', 'shipping_fee'], ['亲，包邮吗？', 'shipping_fee'], ['请问你们包邮吗', 'shipping_fee'],
    ['退货怎么办', 'returns'], ['能换货吗', 'returns'], ['7天无理由吗', 'returns'],
    ['是正品吗', 'authenticity'], ['正品吗', 'authenticity'], ['假货吗', 'authenticity'], ['你们家东西是正品吗', 'authenticity'], ['保真吗', 'authenticity'],
    ['尺码怎么选', 'sizes'], ['穿什么码合适', 'sizes'], ['尺码偏大吗', 'sizes'],
    ['门店在哪', 'stores'], ['你们有实体店吗', 'stores'], ['店在哪里', 'stores'], ['营业时间', 'stores'], ['几点开门', 'stores'],
    ['优惠券', 'coupons'], ['有优惠吗', 'coupons'], ['打折吗', 'coupons'], ['有没有优惠券', 'coupons'], ['最近有活动吗', 'coupons'], ['怎么领优惠券', 'coupons'],
    ['你是谁', 'who_are_you'], ['你是机器人吗', 'who_are_you'], ['你是真人吗', 'who_are_you'], ['你叫什么名字', 'who_are_you'],
    ['今天天气怎么样', 'out_of_scope'], ['北京天气怎么样', 'out_of_scope'], ['明天会下雨吗', 'out_of_scope'], ['讲个笑话吧', 'out_of_scope'], ['你几岁了', 'out_of_scope'],
    ['我要投诉', 'complaint'], ['差评', 'complaint'],
    ['这个多少钱', 'item'], ['多少钱', 'item'], ['那个多少钱？', 'item'], ['这款什么价', 'item'], ['价格多少', 'item'],
    ['有货吗', 'item'], ['这个有现货吗', 'item'], ['还有货吗', 'item'], ['有没有货', 'item'], ['是不是卖完了', 'item'],
    ['发链接', 'item'], ['给我链接', 'item'], ['链接发我', 'item'],
  ];
  it.each(asked)('「%s」 asks %s', (text, topic) => {
    expect(topicOf(text)).toBe(topic);
  });

  it('knows every topic it lists', () => {
    expect(new Set(asked.map(([, t]) => t))).toEqual(new Set(QUESTION_TOPICS));
  });

  it.each([
    '包邮的连衣裙', '正品耐克鞋', '退货率低的手机', 'XL的T恤', '42码的运动鞋', '优惠的口红套装', '女装', '运动鞋', '快递', 'xl', '42码', '红色',
    '天气冷穿什么外套', '真皮包包', '扫地机器人', '客服电话多少的那款手机壳', '便宜点', '能便宜点吗', '在吗', '你好',
    '还有吗', '还有', '100块钱的奶瓶', '价格低的奶瓶', '现货奶粉',
  ])('「%s」 is no service question', (text) => {
    expect(topicOf(text)).toBeNull();
  });

  it('reads the size asked about, or none', () => {
    const size = (text: string) => {
      const q = serviceQuestion(normalizeCommand(text));
      return q?.topic === 'sizes' ? q.size : undefined;
    };
    expect(size('这件有XL吗')).toBe('xl');
    expect(size('42码的有吗')).toBe('42');
    expect(size('有没有M码')).toBe('m');
    expect(size('还有XXL码吗？')).toBe('xxl');
    expect(size('鞋子有38码吗')).toBe('38');
    expect(size('XL有没有')).toBe('xl');
    expect(size('有66码吗')).toBe('66');
    expect(size('73码的还有吗')).toBe('73');
    expect(size('尺码怎么选')).toBeNull();
    // A number without 码 may be a price or a page: not a size.
    expect(size('有42的吗')).toBeUndefined();
  });

  it('reads what is asked about the item shown: its price, its stock or its page', () => {
    const ask = (text: string) => {
      const q = serviceQuestion(normalizeCommand(text));
      return q?.topic === 'item' ? q.ask : undefined;
    };
    expect(ask('这个多少钱')).toBe('price');
    expect(ask('现在什么价格')).toBe('price');
    expect(ask('这个有货吗')).toBe('stock');
    expect(ask('卖完了吗')).toBe('stock');
    expect(ask('发个链接')).toBe('link');
    expect(ask('链接发我一下')).toBe('link');
    expect(ask('有链接吗')).toBe('link');
  });

  it('flags a long message about an order gone wrong as a complaint, not a long wish', () => {
    const complaint = '上个月在你们这里买的羽绒服，收到以后穿了两次拉链就坏了，袖子也开线了，联系了好几次都没人回复，质量太差了，我要求退款，不然就去投诉。';
    expect(complaint.length).toBeGreaterThanOrEqual(COMPLAINT_MIN_CHARS);
    expect(isComplaint(complaint)).toBe(true);
    expect(topicOf(complaint)).toBe('complaint');
    const wish = '我想给我妈妈买一件羽绒服，她今年六十岁了，平时比较怕冷，喜欢颜色素一点的，长款的，最好质量好一点的，价格五百以内，有没有推荐呢谢谢';
    expect(wish.length).toBeGreaterThanOrEqual(COMPLAINT_MIN_CHARS);
    expect(topicOf(wish)).toBeNull();
    // Short, it is a question (退款 → returns), not a complaint.
    expect(isComplaint('怎么退款')).toBe(false);
    expect(topicOf('怎么退款')).toBe('returns');
  });
});
