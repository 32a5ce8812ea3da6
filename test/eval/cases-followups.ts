/**
 * Follow-ups: a new wish replaces the one it conflicts with, a new topic starts fresh, hidden limits are explained.
 * Over the demo catalogue, grounded in data/*.csv like cases.ts (counts are of products in stock).
 */
import type { EvalCase } from './runner.ts';

export const FOLLOWUPS_CASES: readonly EvalCase[] = [
  // The follow-ups issue 16 names.
  { say: ['女款羽绒服', '红色的', '男款'], expect: { intent: 'product', category: '男装/羽绒服', minResults: 5, replyHas: '「男款 羽绒服」共 27 件', replyLacks: '没有男款' }, note: 'issue 16: the new audience replaces the old; no red men\'s down jacket, so the colour is loosened and said (27 men\'s in stock)' },
  { say: ['运动鞋', '便宜点', '最贵的'], expect: { intent: 'product', category: '鞋靴/运动鞋', sorted: 'price_desc', minYuan: 1099, minResults: 5, replyLacks: '以下' }, note: 'issue 16: 最贵的 drops 便宜点\'s cap (5 dearest sneakers ≥ ¥1099)' },
  { say: ['iphone', 'Nike'], expect: { intent: 'product', answeredBy: 'products_new', brand: '耐克', minResults: 5, replyHas: '为你找到「耐克」共 6 件', replyLacks: '耐克 手机' }, note: 'issue 16: a brand the last category lacks starts a new search' },
  { say: ['牛奶', '三只松鼠'], expect: { intent: 'product', brand: '三只松鼠', minResults: 5, replyHas: '为你找到「三只松鼠」共 14 件', replyLacks: '三只松鼠 牛奶' }, note: 'issue 16: 三只松鼠 sells no milk: a new search' },
  { say: ['给宝宝买卫衣', '送老婆的礼物'], expect: { minResults: 0, titleLacks: '卫衣', replyLacks: ['卫衣', '童装'] }, note: 'issue 16: a gift for someone else is a new topic; nothing of the hoodies is kept' },
  { say: ['口红', '便宜点', '兰蔻'], expect: { intent: 'product', brand: '兰蔻', category: '美妆/口红', replyHas: ['兰蔻 口红', '不限价格有 2 件'] }, note: 'issue 16: the cap 便宜点 set hides one of the two 兰蔻 lipsticks in stock, and says so' },
  { say: ['口红', '100到200的', '兰蔻'], expect: { intent: 'product', answeredBy: 'products_relaxed', brand: '兰蔻', category: '美妆/口红', minResults: 2, replyHas: ['在¥100–¥200之间没有「兰蔻 口红」', '去掉价格限制有 2 件'] }, note: 'issue 16: no 兰蔻 lipstick at ¥100–¥200 (¥59 and ¥449): the limit kept is lifted and said' },
  { say: ['女装', '便宜点'], expect: { intent: 'product', category: '女装', maxYuan: 130, freshResults: true, minResults: 5 }, note: 'issue 16: visibly cheaper — below the median of the page shown (¥139), none of that page first' },

  // 便宜点 and its opposites, as followers type them.
  { say: ['连衣裙', '便宜点'], expect: { intent: 'product', category: '女装/连衣裙', maxYuan: 480, freshResults: true, minResults: 5 }, note: 'visibly cheaper dresses: below the first page\'s average (¥485), which is under its median (¥569)' },
  { say: ['运动鞋', '太贵了'], expect: { intent: 'product', category: '鞋靴/运动鞋', maxYuan: 390, freshResults: true, minResults: 5 }, note: '太贵了 is 便宜点 (below the first page\'s median ¥399; its average is ¥485)' },
  { say: ['运动鞋', '便宜点', '便宜点'], expect: { intent: 'product', category: '鞋靴/运动鞋', maxYuan: 260, minResults: 5 }, note: 'cheaper twice: below the second page\'s average (¥267) and median (¥289); 6 fit, so the page is filled with ones seen' },
  { say: ['女装', '便宜点', '更多'], expect: { intent: 'product', answeredBy: 'more', category: '女装', maxYuan: 130, freshResults: true, minResults: 5 }, note: 'the cheaper list pages under its cap' },
  { say: ['运动鞋', '有没有便宜一点的', '要最贵的'], expect: { intent: 'product', category: '鞋靴/运动鞋', sorted: 'price_desc', minYuan: 1099, minResults: 5 }, note: '要最贵的 lifts the cap 有没有便宜一点的 set' },
  { say: ['300以下的连衣裙', '便宜点', '最贵的'], expect: { intent: 'product', category: '女装/连衣裙', sorted: 'price_desc', maxYuan: 300, minResults: 5, replyHas: '¥300以下' }, note: '最贵的 goes back to the ¥300 the follower said, not to no cap' },
  { say: ['200以下的连衣裙', '最贵的'], expect: { intent: 'product', category: '女装/连衣裙', sorted: 'price_desc', maxYuan: 200, minResults: 5 }, note: 'a cap said in words stays for 最贵的' },
  { say: ['耳机', '贵一点', '最便宜的'], expect: { intent: 'product', category: '数码/耳机', sorted: 'price_asc', maxYuan: 89, minResults: 5 }, note: '最便宜的 drops the floor 贵一点 set (5 cheapest ≤ ¥89)' },
  { say: ['运动鞋', '不要耐克', '便宜点', '最贵的'], expect: { intent: 'product', category: '鞋靴/运动鞋', sorted: 'price_desc', titleLacks: '耐克', minYuan: 1099, replyHas: '不要耐克' }, note: 'the exclusion stays through 便宜点 and 最贵的; the cap does not' },

  // A new length, fit or material replaces the last one, as a colour does; other attributes add up.
  { say: ['羽绒服', '短款的', '长款的'], expect: { intent: 'product', answeredBy: 'products', category: ['女装/羽绒服', '男装/羽绒服', '童装/羽绒服'], titleHas: '长款', titleLacks: '短款', minResults: 5, replyHas: '「长款 羽绒服」共 25 件' }, note: '长款 replaces 短款 (25 long ones in stock, 中长款 included)' },
  { say: ['T恤', '宽松的', '修身的'], expect: { intent: 'product', answeredBy: 'products', titleHas: '修身', titleLacks: '宽松', minResults: 3 }, note: '修身 replaces 宽松 (3 fitted T恤)' },
  { say: ['卫衣', '纯棉的', '宽松的'], expect: { intent: 'product', answeredBy: 'products', titleHas: '纯棉', minResults: 3, replyHas: '宽松 纯棉 卫衣' }, note: 'a fit adds to a material (3 loose cotton hoodies)' },

  // A new audience.
  { say: ['男款羽绒服', '女款'], expect: { intent: 'product', category: '女装/羽绒服', minResults: 5 }, note: 'women\'s down jackets, not men\'s for women' },
  { say: ['给我爸买件羽绒服', '给我妈的呢'], expect: { intent: 'product', category: '女装/羽绒服', minResults: 5 }, note: 'a mother after a father: women\'s down jackets' },
  { say: ['儿童卫衣', '男款'], expect: { intent: 'product', category: '男装/卫衣', minResults: 5 }, note: 'men\'s hoodies after children\'s' },
  { say: ['女款羽绒服', '红色的', '有男款的吗'], expect: { intent: 'product', category: '男装/羽绒服', minResults: 5, replyLacks: '没有男款' }, note: 'the audience asked as a question' },
  { say: ['羽绒服', '不要红色的', '男款'], expect: { intent: 'product', category: '男装/羽绒服', titleLacks: '红色', minResults: 5, replyHas: '不要红色' }, note: 'an audience keeps what was left out' },
  { say: ['羽绒服', '男款', '便宜点'], expect: { intent: 'product', category: '男装/羽绒服', freshResults: true, minResults: 5 }, note: 'cheaper men\'s down jackets' },
  { say: ['连衣裙', '红色的', '男款'], expect: { noResults: true, replyHas: '连衣裙没有男款的' }, note: 'only women\'s dresses exist: said honestly, with what men have' },

  // A brand alone: the same list narrowed when it has the brand, else a new search.
  { say: ['手机', '华为的'], expect: { intent: 'product', category: '数码/手机', brand: '华为', minResults: 2 }, note: '华为 makes phones: narrowed' },
  { say: ['iphone', '华为的有吗'], expect: { intent: 'product', category: '数码/手机', brand: '华为', minResults: 2 }, note: 'another phone brand after iphone' },
  { say: ['耳机', '华为'], expect: { intent: 'product', category: '数码/耳机', brand: '华为', minResults: 4 }, note: '华为 makes earphones' },
  { say: ['零食', '三只松鼠的'], expect: { intent: 'product', category: '食品/零食', brand: '三只松鼠', minResults: 5 }, note: '三只松鼠 snacks' },
  { say: ['连衣裙', '优衣库'], expect: { intent: 'product', category: '女装/连衣裙', brand: '优衣库', minResults: 5 }, note: '优衣库 dresses' },
  { say: ['运动鞋', '那耐克的呢'], expect: { intent: 'product', category: '鞋靴/运动鞋', brand: '耐克', minResults: 5 }, note: '那…的呢 with a brand' },
  { say: ['手机', '三星', '苹果的'], expect: { intent: 'product', category: '数码/手机', brand: '苹果', minResults: 2 }, note: 'the brand replaced again' },
  { say: ['连衣裙', '看看阿迪的'], expect: { intent: 'product', brand: '阿迪达斯', minResults: 5, replyHas: '为你找到「阿迪达斯」', replyLacks: '阿迪达斯 连衣裙' }, note: 'adidas makes no dresses: a new search' },
  { say: ['牛奶', 'nike的呢'], expect: { intent: 'product', brand: '耐克', minResults: 5, replyLacks: '牛奶' }, note: 'a new search, in lower case' },
  { say: ['连衣裙', '不要红色的', 'Nike'], expect: { intent: 'product', brand: '耐克', minResults: 5, replyLacks: '不要红色' }, note: 'a new search drops what the old one left out' },
  { say: ['耐克', '李宁'], expect: { intent: 'product', brand: '李宁', minResults: 5 }, note: 'a brand after a brand: replaced' },
  { say: ['口红', '贵一点', '兰蔻'], expect: { intent: 'product', brand: '兰蔻', category: '美妆/口红', minYuan: 200, replyHas: '不限价格有 2 件' }, note: 'the floor 贵一点 set is kept, and what it hides is counted' },

  // The same for hotels and deals.
  { say: ['上海团购', '便宜点', '最贵的'], expect: { intent: 'deal', city: '上海', sorted: 'price_desc', minYuan: 216, minResults: 5, replyLacks: '以下' }, note: '最贵的 lifts the ¥40 cap 便宜点 set on deals (5 dearest live in 上海: ¥450–¥216)' },
  { say: ['上海 100以下的团购', '便宜点', '最贵的'], expect: { intent: 'deal', city: '上海', sorted: 'price_desc', maxYuan: 100, replyHas: '¥100以下' }, note: 'a deal cap said in words stays' },
  { say: ['上海酒店', '便宜点', '最贵的'], expect: { intent: 'hotel', city: '上海', sorted: 'price_desc', minYuan: 840, minResults: 5 }, note: '最贵的 lifts 便宜点\'s cap on hotels (5 dearest in 上海 from ¥840)' },
  { say: ['杭州酒店', '贵一点', '最便宜的'], expect: { intent: 'hotel', city: '杭州', sorted: 'price_asc', maxYuan: 189, minResults: 5 }, note: '最便宜的 drops 贵一点\'s floor on hotels (5 cheapest in 杭州 to ¥189)' },

  // A new topic.
  { say: ['卫衣', '送女朋友的礼物'], expect: { minResults: 0, titleLacks: '卫衣', replyLacks: '卫衣' }, note: 'a gift is a new topic' },
  { say: ['女装', '不要红色的', '男装'], expect: { intent: 'product', category: '男装', minResults: 5, replyLacks: '不要红色' }, note: 'a new category starts fresh, without the exclusions' },
  { say: ['连衣裙', '不要红色的', '便宜点'], expect: { intent: 'product', category: '女装/连衣裙', titleLacks: '红色', freshResults: true, minResults: 5, replyHas: '不要红色' }, note: 'a refinement keeps the exclusions' },
];
