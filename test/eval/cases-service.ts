/**
 * Service questions (人工, 包邮吗, 是正品吗, 你是谁…): answered, never searched.
 * Over the demo catalogue, grounded in data/*.csv like cases.ts. The demo account has products (so it takes
 * orders), no stores, the default service answers and no hand-off to WeChat's customer service; clothes come in
 * S/M/L/XL, men's shoes in 39–43 and women's in 35–39, make-up in no sizes (catalogue/demo.ts).
 */
import type { EvalCase } from './runner.ts';

/** What a service answer never is: a search's lead line or a miss (「暂时没有「是谁」」). */
const NOT_A_SEARCH = ['暂时没有', '为你找到', '没有完全符合'];

const COMPLAINT =
  '你们这里的羽绒服我上个月买了一件，收到以后穿了两次发现袖子那里开线了，然后拉链也坏了，联系了好几次都没人回复，' +
  '我真的很失望，这么贵的衣服质量太差了，怎么会这样？我要求退款，如果今天还没有人处理我就去投诉，给差评，' +
  '希望你们尽快给我一个说法，订单是上周五下的，收货人是我本人，电话也留了，快递单号也有，我等了三天了，麻烦尽快处理一下，谢谢。';

export const SERVICE_CASES: readonly EvalCase[] = [
  // ── the issue's examples ───────────────────────────────────────────────────────────────────────
  { say: '人工客服', expect: { answeredBy: 'service_handoff', noResults: true, replyHas: '客服', replyLacks: NOT_A_SEARCH }, note: 'human help' },
  { say: '人工', expect: { answeredBy: 'service_handoff', noResults: true, replyLacks: NOT_A_SEARCH }, note: 'human help, one word' },
  { say: '怎么下单', expect: { answeredBy: 'order_service', noResults: true, replyHas: '买第' }, note: 'how to order' },
  { say: '能货到付款吗', expect: { answeredBy: 'order_service', noResults: true, replyHas: '货到付款' }, note: 'cash on delivery' },
  { say: '我的订单呢', expect: { answeredBy: 'my_orders', replyLacks: NOT_A_SEARCH }, note: 'orders from the order data' },
  { say: '发货了吗', expect: { answeredBy: 'my_orders', replyLacks: NOT_A_SEARCH }, note: 'orders from the order data' },
  { say: '退货怎么办', expect: { answeredBy: 'order_service', noResults: true, replyHas: '退换' }, note: 'returns' },
  { say: '多久到货', expect: { answeredBy: 'order_service', noResults: true, replyHas: '发货' }, note: 'shipping time' },
  { say: '你是谁', expect: { answeredBy: 'service', noResults: true, replyHas: '小逛', replyLacks: NOT_A_SEARCH }, note: 'who are you' },
  { say: '你是机器人吗', expect: { answeredBy: 'service', noResults: true, replyHas: ['机器人', '人工'], replyLacks: NOT_A_SEARCH }, note: 'who are you' },
  { say: '今天天气怎么样', expect: { answeredBy: 'service', noResults: true, replyHas: '帮助', replyLacks: [...NOT_A_SEARCH, '是谁'] }, note: 'out of scope, answered politely' },
  { say: '包邮吗', expect: { answeredBy: 'order_service', noResults: true, replyHas: '包邮' }, note: 'shipping cost' },
  { say: '这件有XL吗', expect: { answeredBy: 'service', noResults: true, replyHas: '尺码', replyLacks: NOT_A_SEARCH }, note: 'size, nothing shown yet: the size answer' },
  { say: '42码的有吗', expect: { answeredBy: 'service', noResults: true, replyHas: '尺码', replyLacks: NOT_A_SEARCH }, note: 'size, nothing shown yet' },
  { say: '是正品吗', expect: { answeredBy: 'service', noResults: true, replyHas: '正品', replyLacks: NOT_A_SEARCH }, note: 'authenticity, not basketballs titled 正品' },
  { say: COMPLAINT, expect: { answeredBy: 'service_flagged', noResults: true, replyHas: '抱歉', replyLacks: NOT_A_SEARCH }, note: 'a 200-character complaint: kind, flagged, never searched' },

  // ── sizes from what the conversation shows ───────────────────────────────────────────────────
  { say: ['连衣裙', '1', '这件有XL吗'], expect: { answeredBy: 'service', replyHas: ['有的', 'XL 码', '我要这个'] }, note: 'size of the card shown: from its variants' },
  { say: ['连衣裙', '2', '有xxl吗'], expect: { answeredBy: 'service', replyHas: ['没有 XXL', 'S / M / L / XL'] }, note: 'a size the card shown lacks' },
  { say: ['连衣裙', '1', '还有M码吗？'], expect: { answeredBy: 'service', replyHas: ['有的', 'M 码'] }, note: 'size with 还有 and a full-width question mark' },
  { say: ['连衣裙', '1', '尺码怎么选'], expect: { answeredBy: 'service', replyHas: ['可选', 'S / M / L / XL'] }, note: 'sizes of the card shown' },
  { say: ['女装', '有M码吗'], expect: { answeredBy: 'service', replyHas: '这几件都有 M 码' }, note: 'size over the list shown (every piece of clothing comes in M)' },
  { say: ['口红', '1', '有XL吗'], expect: { answeredBy: 'service', replyHas: '尺码' }, note: 'a product without sizes: the size answer' },
  { say: '尺码怎么选', expect: { answeredBy: 'service', noResults: true, replyHas: '身高' }, note: 'sizes, nothing shown' },
  { say: '這件有XL嗎', expect: { answeredBy: 'service', noResults: true, replyLacks: NOT_A_SEARCH }, note: 'traditional characters' },

  // ── human help, complaints ───────────────────────────────────────────────────────────────────
  { say: '转人工', expect: { answeredBy: 'service_handoff', noResults: true }, note: 'human help' },
  { say: '找客服', expect: { answeredBy: 'service_handoff', noResults: true }, note: 'human help' },
  { say: '有人吗？', expect: { answeredBy: 'service_handoff', noResults: true }, note: 'human help' },
  { say: '客服在吗', expect: { answeredBy: 'service_handoff', noResults: true }, note: 'human help' },
  { say: '我要找人工客服', expect: { answeredBy: 'service_handoff', noResults: true }, note: 'human help with 我要' },
  { say: '我要投诉', expect: { answeredBy: 'service_flagged', noResults: true, replyHas: '抱歉' }, note: 'a short complaint' },

  // ── the other topics, as followers type them ─────────────────────────────────────────────────
  { say: '亲，包邮吗？', expect: { answeredBy: 'order_service', noResults: true, replyHas: '包邮' }, note: 'lead particle 亲' },
  { say: '请问是正品吗', expect: { answeredBy: 'service', noResults: true, replyHas: '正品' }, note: 'lead 请问' },
  { say: '你们家东西是正品吗', expect: { answeredBy: 'service', noResults: true, replyHas: '正品' }, note: 'lead 你们家 东西' },
  { say: '会不会是假货', expect: { answeredBy: 'service', noResults: true, replyHas: '正品' }, note: 'authenticity, asked the other way' },
  { say: '保真吗', expect: { answeredBy: 'service', noResults: true }, note: 'authenticity' },
  { say: '有没有优惠券', expect: { answeredBy: 'service', noResults: true, replyHas: '优惠' }, note: 'coupons' },
  { say: '有优惠吗', expect: { answeredBy: 'service', noResults: true, replyHas: '优惠' }, note: 'discounts' },
  { say: '打折吗', expect: { answeredBy: 'service', noResults: true }, note: 'discounts' },
  { say: '最近有活动吗', expect: { answeredBy: 'service', noResults: true }, note: 'promotions' },
  { say: '怎么领优惠券', expect: { answeredBy: 'service', noResults: true }, note: 'coupons' },
  { say: '门店在哪', expect: { answeredBy: 'service', noResults: true, replyHas: '线上' }, note: 'stores: the demo has none' },
  { say: '你们有实体店吗', expect: { answeredBy: 'service', noResults: true, replyHas: '门店' }, note: 'stores' },
  { say: '几点开门', expect: { answeredBy: 'service', noResults: true }, note: 'opening hours' },
  { say: '你叫什么名字', expect: { answeredBy: 'service', noResults: true, replyHas: '小逛' }, note: 'who are you' },
  { say: '你是真人吗', expect: { answeredBy: 'service', noResults: true, replyHas: '机器人' }, note: 'who are you: a bot, and how to reach a person' },
  { say: '你是誰', expect: { answeredBy: 'service', noResults: true, replyHas: '小逛' }, note: 'traditional 誰' },
  { say: '北京天气怎么样', expect: { answeredBy: 'service', noResults: true, replyLacks: NOT_A_SEARCH }, note: 'weather in a deal city: not deals' },
  { say: '讲个笑话吧', expect: { answeredBy: 'service', noResults: true }, note: 'out of scope' },
  { say: '可以用微信支付吗', expect: { answeredBy: 'order_service', noResults: true }, note: 'payment' },
  { say: '发什么快递', expect: { answeredBy: 'order_service', noResults: true }, note: 'shipping' },
  { say: '能换货吗', expect: { answeredBy: 'order_service', noResults: true, replyHas: '退换' }, note: 'exchanges' },
  { say: '7天无理由吗', expect: { answeredBy: 'order_service', noResults: true }, note: 'returns' },

  // ── not questions: these stay searches ───────────────────────────────────────────────────────
  { say: '包邮的连衣裙', expect: { intent: 'product', category: '女装/连衣裙' }, note: 'a wish with 包邮 in it' },
  { say: '正品耐克鞋', expect: { intent: 'product', brand: '耐克', category: '鞋靴' }, note: 'a wish with 正品 in it' },
  { say: '退货率低的手机', expect: { intent: 'product', category: '数码/手机' }, note: 'a wish with 退货 in it' },
  { say: 'XL的T恤', expect: { intent: 'product', category: ['女装/T恤', '男装/T恤'] }, note: 'a size as a filter, not a question' },
  {
    say: '我想给我妈妈买一件羽绒服，她今年六十岁了，平时比较怕冷，喜欢颜色素一点的，长款的，最好质量好一点的，有没有推荐',
    expect: { intent: 'product', category: ['女装/羽绒服', '男装/羽绒服', '童装/羽绒服'] },
    note: 'a long wish is not a complaint',
  },
];
