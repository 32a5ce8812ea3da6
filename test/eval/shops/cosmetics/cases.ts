/**
 * A cosmetics shop like 美肤汇 (products.csv: 64 products under 护肤 / 彩妆 / 套装, no hotels, no deals), as its
 * followers type: short, with typos and pinyin, the names people use rather than the shop's (化妆水 for its
 * 爽肤水, 洗面奶 for its 洁面), gifts, prices and follow-ups.
 *
 * synonyms.csv holds one synonym the merchant added (as 数据 › 零结果 or /api/synonyms would).
 *
 * Every label is grounded in products.csv: a condition is written only where in-stock products satisfy it
 * (MF052 兰蔻 菁纯口红 is sold out), and `noResults` only where none do.
 */
import type { EvalCase } from '../../runner.ts';

const 爽肤水 = '护肤/爽肤水';
const 洁面 = '护肤/洁面';
const 口红 = '彩妆/口红';
/** What a shop without hotels or deals, or the demo's clothes, must never suggest. */
const NOT_HERE = ['酒店', '团购', '女装'];

export const COSMETICS_CASES: readonly EvalCase[] = [
  // ── the shop's names and the names people use ───────────────────────────────────────────────
  { say: '化妆水', expect: { intent: 'product', category: 爽肤水, minResults: 5 }, note: '化妆水 = 爽肤水 (6 in stock, none titled 化妆水)' },
  { say: '爽肤水', expect: { intent: 'product', category: 爽肤水, minResults: 5 }, note: 'the shop\'s own leaf' },
  { say: '有没有化妆水', expect: { intent: 'product', category: 爽肤水, minResults: 5 } },
  { say: '我想买瓶化妆水', expect: { intent: 'product', category: 爽肤水, minResults: 5 } },
  { say: '柔肤水', expect: { intent: 'product', category: 爽肤水, minResults: 5 }, note: 'another name for toner' },
  { say: '洗面奶', expect: { intent: 'product', category: 洁面, minResults: 5 }, note: '洗面奶 = 洁面: 4 of 6 cleansers are not titled 洗面奶' },
  { say: '洁面', expect: { intent: 'product', category: 洁面, minResults: 5 } },
  { say: '洗面乃', expect: { intent: 'product', category: 洁面, minResults: 5 }, note: 'typo' },
  { say: 'ximiannai', expect: { intent: 'product', category: 洁面, minResults: 5 }, note: 'pinyin' },
  { say: '洗面奶100以下', expect: { intent: 'product', category: 洁面, maxYuan: 100, minResults: 3 }, note: '¥89, ¥39.9, ¥45' },
  { say: '男士洗面奶', expect: { intent: 'product', category: 洁面, replyHas: '男士控油洗面奶' }, note: 'MF011 among them; the others are for anyone' },
  { say: '温和的洗面奶', expect: { intent: 'product', category: 洁面, replyHas: '「洁面 温和」共 2 件' }, note: 'a tag word, not 温 + 和: MF007, MF012 tagged 温和' },
  { say: '有没有氨基酸洗面奶', expect: { intent: 'product', category: 洁面, titleHas: '氨基酸', minResults: 2 }, note: 'MF007 洁面乳, MF010 洗面奶' },
  { say: '精华', expect: { intent: 'product', category: '护肤/精华', minResults: 5 } },
  { say: '精华液', expect: { intent: 'product', category: '护肤/精华', minResults: 5 } },
  { say: '美白精华', expect: { intent: 'product', category: '护肤/精华', minResults: 1 }, note: 'MF017 (title), MF015 (tag)' },
  { say: '面霜', expect: { intent: 'product', category: '护肤/面霜', minResults: 5 } },
  { say: '面霜300以下', expect: { intent: 'product', category: '护肤/面霜', maxYuan: 300, minResults: 4 }, note: '¥295 ¥299 ¥79 ¥268' },
  { say: '1000以上的面霜', expect: { intent: 'product', category: '护肤/面霜', minYuan: 1000, minResults: 2 }, note: '兰蔻 ¥1450, 海蓝之谜 ¥1550' },
  { say: '最贵的面霜', expect: { intent: 'product', category: '护肤/面霜', sorted: 'price_desc', minResults: 3 } },
  { say: '乳液', expect: { intent: 'product', category: '护肤/乳液', minResults: 3 } },
  { say: '眼霜', expect: { intent: 'product', category: '护肤/眼霜', minResults: 3 } },
  { say: '防晒', expect: { intent: 'product', category: '护肤/防晒', minResults: 5 } },
  { say: '防晒霜', expect: { intent: 'product', category: '护肤/防晒', minResults: 4 }, note: 'people say 防晒霜 for every sunscreen, most titled 防晒乳' },
  { say: '防曬霜', expect: { intent: 'product', category: '护肤/防晒', minResults: 4 }, note: 'traditional' },
  { say: 'fangshai', expect: { intent: 'product', category: '护肤/防晒', minResults: 4 }, note: 'pinyin' },
  { say: '敏感肌防晒', expect: { intent: 'product', category: '护肤/防晒', titleHas: '敏感肌', minResults: 2 }, note: 'MF033, MF036' },
  { say: '面膜', expect: { intent: 'product', category: '护肤/面膜', minResults: 5 } },
  { say: '面摸', expect: { intent: 'product', category: '护肤/面膜', minResults: 5 }, note: 'typo' },
  { say: '100块以内的面膜', expect: { intent: 'product', category: '护肤/面膜', maxYuan: 100, minResults: 2 }, note: '¥59.9, ¥89' },
  { say: '补水面膜', expect: { intent: 'product', category: '护肤/面膜', minResults: 2 } },
  { say: '卸妆', expect: { intent: 'product', category: '护肤/卸妆', minResults: 4 } },
  { say: '卸妆水', expect: { intent: 'product', category: '护肤/卸妆', minResults: 1 } },
  { say: '有卸妆膏吗', expect: { intent: 'product', category: '护肤/卸妆', titleHas: '卸妆膏' }, note: 'MF044' },
  { say: '口红', expect: { intent: 'product', category: 口红, minResults: 5 }, note: '6 in stock' },
  { say: '口紅', expect: { intent: 'product', category: 口红, minResults: 5 }, note: 'traditional' },
  { say: '唇膏', expect: { intent: 'product', category: 口红, minResults: 5 } },
  { say: '口红200以内', expect: { intent: 'product', category: 口红, maxYuan: 200, minResults: 2 }, note: '¥89, ¥189' },
  { say: '最便宜的口红', expect: { intent: 'product', category: 口红, sorted: 'price_asc', minResults: 3 } },
  { say: '正红色口红', expect: { intent: 'product', category: 口红, titleHas: '正红' }, note: 'MF046 迪奥 999' },
  { say: '迪奥口红', expect: { intent: 'product', brand: '迪奥' }, note: 'MF046 (titled 唇膏) and the 迪奥 口红礼盒' },
  { say: 'ysl口红', expect: { intent: 'product', brand: '圣罗兰', category: 口红 } },
  { say: 'mac', expect: { intent: 'product', brand: 'MAC' } },
  { say: '粉底', expect: { intent: 'product', category: '彩妆/粉底', minResults: 4 } },
  { say: '粉底液', expect: { intent: 'product', category: '彩妆/粉底', titleHas: '粉底液', minResults: 3 } },
  { say: '气垫', expect: { intent: 'product', category: '彩妆/粉底', titleHas: '气垫' }, note: 'MF055' },
  { say: '眼影', expect: { intent: 'product', category: '彩妆/眼影', minResults: 2 } },
  { say: '眉笔', expect: { intent: 'product', category: '彩妆/眉笔' } },
  { say: '护肤', expect: { intent: 'product', category: '护肤', minResults: 5 }, note: 'a root the shop\'s texts suggest' },
  { say: '彩妆', expect: { intent: 'product', category: '彩妆', minResults: 5 }, note: 'a root the shop\'s texts suggest' },
  { say: '护肤品', expect: { intent: 'product', category: '护肤', minResults: 5 } },
  { say: '化妆品', expect: { intent: 'product', minResults: 5 }, note: 'everything here is' },

  { say: '求推荐一款保湿面霜', expect: { intent: 'product', category: '护肤/面霜', titleHas: '保湿', minResults: 3 }, note: 'not corrected to 保湿霜' },
  { say: '有木有便宜点的面膜', expect: { intent: 'product', category: '护肤/面膜', sorted: 'price_asc', minResults: 3 } },
  { say: 'kouhong', expect: { intent: 'product', category: 口红, minResults: 5 }, note: 'pinyin' },
  { say: '200左右的口红', expect: { intent: 'product', category: 口红, minYuan: 160, maxYuan: 240, minResults: 2 }, note: '¥230, ¥189' },
  { say: '适合油皮的粉底液', expect: { intent: 'product', titleHas: '油皮' }, note: 'MF053' },
  { say: '防晒喷雾', expect: { intent: 'product', category: '护肤/防晒', minResults: 3 }, note: 'no spray: the sunscreens' },

  // ── brands and product lines ────────────────────────────────────────────────────────────────
  { say: '兰蔻', expect: { intent: 'product', brand: '兰蔻', minResults: 4 } },
  { say: '兰蔻的粉水', expect: { intent: 'product', brand: '兰蔻', titleHas: '粉水' }, note: 'a nickname in the title' },
  { say: 'lankou', expect: { intent: 'product', brand: '兰蔻', minResults: 4 }, note: 'pinyin' },
  { say: '兰寇', expect: { intent: 'product', brand: '兰蔻', minResults: 4 }, note: 'typo' },
  { say: '雅诗兰黛', expect: { intent: 'product', brand: '雅诗兰黛', minResults: 4 } },
  { say: '小棕瓶', expect: { intent: 'product', brand: '雅诗兰黛', titleHas: '小棕瓶', minResults: 2 }, note: 'a product line named in titles' },
  { say: '小黑瓶', expect: { intent: 'product', brand: '兰蔻', titleHas: '小黑瓶', minResults: 1 } },
  { say: '薇诺娜', expect: { intent: 'product', brand: '薇诺娜', minResults: 5 } },
  { say: '微诺娜', expect: { intent: 'product', brand: '薇诺娜', minResults: 5 }, note: 'homophone typo' },
  { say: 'sk2', expect: { intent: 'product', brand: 'SK-II' }, note: 'how people write SK-II' },
  { say: '珀莱雅红宝石', expect: { intent: 'product', brand: '珀莱雅', titleHas: '红宝石', minResults: 3 } },
  { say: '早C晚A', expect: { intent: 'product', category: '护肤/精华', minResults: 5 }, note: 'the merchant\'s own synonym (synonyms.csv: 早C晚A → 精华); not understood without it' },
  { say: '敏感肌', expect: { intent: 'product', minResults: 5 } },
  { say: '学生党', expect: { intent: 'product', maxYuan: 200, minResults: 3 }, note: 'tagged 学生党, all cheap' },

  // ── gifts ──────────────────────────────────────────────────────────────────────────────────
  { say: '送女朋友的礼物', expect: { intent: 'product', category: '套装', minResults: 3 }, note: 'gift sets tagged 送女友' },
  { say: '送女友', expect: { intent: 'product', category: '套装', minResults: 3 } },
  { say: '送女朋友的生日礼物', expect: { intent: 'product', category: '套装', minResults: 3 }, note: 'the occasion is loosened, the gift kept' },
  { say: '送女朋友 500以内', expect: { intent: 'product', category: '套装', maxYuan: 500, minResults: 1 }, note: 'MF064 ¥399' },
  { say: '送妈妈', expect: { intent: 'product', category: '套装/护肤套装', minResults: 2 }, note: 'MF061, MF062 tagged 送妈妈' },
  { say: '礼盒', expect: { intent: 'product', category: '套装', minResults: 3 } },
  { say: '口红礼盒', expect: { intent: 'product', category: '套装/彩妆套装', minResults: 2 } },
  { say: '套装', expect: { intent: 'product', category: '套装', minResults: 4 }, note: 'a root the shop\'s texts suggest' },
  { say: '水乳套装', expect: { intent: 'product', category: '套装', titleHas: '水乳' } },

  // ── follow-ups ──────────────────────────────────────────────────────────────────────────────
  { say: ['化妆水', '200以下的'], expect: { intent: 'product', category: 爽肤水, maxYuan: 200, minResults: 4 }, note: '¥139 ¥168 ¥99 ¥69' },
  { say: ['面霜', '便宜点'], expect: { intent: 'product', category: '护肤/面霜', minResults: 1 } },
  { say: ['口红', '迪奥的'], expect: { intent: 'product', brand: '迪奥' } },
  { say: ['精华', '敏感肌的'], expect: { intent: 'product', category: '护肤/精华', titleHas: '敏感肌' }, note: 'MF018' },
  { say: ['洗面奶', '有没有氨基酸的'], expect: { intent: 'product', category: 洁面, titleHas: '氨基酸', minResults: 2 } },
  { say: ['护肤', '更多'], expect: { answeredBy: 'more', category: '护肤', freshResults: true } },
  { say: ['防晒', '2'], expect: { answeredBy: 'pick', card: true } },

  // ── what the shop does not sell, and its own texts ─────────────────────────────────────────
  { say: '香水', expect: { noResults: true, replyHas: '店里有', replyLacks: NOT_HERE }, note: 'not sold: say so, suggest what is' },
  { say: '睫毛膏', expect: { noResults: true, replyHas: '店里有', replyLacks: NOT_HERE }, note: 'not sold' },
  { say: '冰箱', expect: { noResults: true, replyHas: ['护肤', '彩妆'], replyLacks: NOT_HERE }, note: 'not sold: the shop\'s own categories' },
  { say: '帮助', expect: { answeredBy: 'help', replyHas: '护肤', replyLacks: NOT_HERE }, note: 'help suggests this shop\'s categories' },
  { say: '你好', expect: { replyHas: '护肤', replyLacks: NOT_HERE } },
  { say: 'asdfgh', expect: { answeredBy: 'fallback', replyHas: '护肤', replyLacks: NOT_HERE }, note: 'fallback suggests this shop\'s categories' },
  { say: ['帮助', '彩妆'], expect: { intent: 'product', category: '彩妆', minResults: 5 }, note: 'following a suggestion answers' },
  { say: ['asdfgh', '套装'], expect: { intent: 'product', category: '套装', minResults: 4 }, note: 'following a suggestion answers' },
  { say: { location: [31.2317, 121.4726, '人民广场'] }, expect: { answeredBy: 'fallback', replyHas: '护肤', replyLacks: NOT_HERE }, note: 'no hotels to find near a location' },
  { say: '我的订单', expect: { replyHas: '「护肤」', replyLacks: NOT_HERE }, note: 'no orders yet: the example is this shop\'s' },
  { say: '五星级', expect: { replyLacks: ['发个位置', '城市'] }, note: 'a hotel word in a shop without hotels' },
  { say: '酒店', expect: { replyLacks: ['发个位置', '城市'] }, note: 'no hotels here: never asks where' },
  { say: '团购', expect: { replyLacks: ['哪个城市', '城市名'] }, note: 'no deals here: never asks for a city' },
];
