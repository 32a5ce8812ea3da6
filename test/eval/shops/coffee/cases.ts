/**
 * A coffee chain like 太平洋咖啡 (products.csv: 41 products — beans by roast, drip bags, capsules but no
 * capsule machine, bottled coffee, drink vouchers and cards, cups, brewing gear, gift boxes; no hotels, no
 * deals), as its followers type: short, with typos and pinyin, roasts, drinks, gifts, prices and follow-ups.
 *
 * synonyms.csv holds one synonym the merchant added (as 数据 › 零结果 or /api/synonyms would).
 *
 * Every label is grounded in products.csv: a condition is written only where in-stock products satisfy it
 * (PC032 吸管冷饮随行杯 is sold out), and `noResults` only where none do.
 */
import type { EvalCase } from '../../runner.ts';

const 豆 = '咖啡/咖啡豆';
const 挂耳 = '咖啡/挂耳咖啡';
const 胶囊 = '咖啡/胶囊咖啡';
const 杯子 = '周边/杯子';
/** Gifts live in 礼盒, and the 情侣 cups in 杯子. */
const 礼物 = ['礼盒', 杯子];
/** What a shop without hotels or deals, or the demo's clothes, must never suggest. */
const NOT_HERE = ['酒店', '团购', '女装'];

export const COFFEE_CASES: readonly EvalCase[] = [
  // ── beans and roasts ───────────────────────────────────────────────────────────────────────
  { say: '咖啡豆', expect: { intent: 'product', category: 豆, minResults: 5 } },
  { say: '咖啡', expect: { intent: 'product', category: '咖啡', minResults: 5 }, note: 'a root the shop\'s texts suggest' },
  { say: '浅烘的豆子', expect: { intent: 'product', category: 豆, titleHas: '浅烘', minResults: 2 }, note: 'PC001, PC002' },
  { say: '浅烘', expect: { intent: 'product', titleHas: '浅烘', minResults: 3 } },
  { say: '浅焙咖啡豆', expect: { intent: 'product', category: 豆, titleHas: '浅烘', minResults: 2 }, note: '浅焙 = 浅烘' },
  { say: '中烘', expect: { intent: 'product', titleHas: '中烘', minResults: 3 } },
  { say: '深烘咖啡豆', expect: { intent: 'product', category: 豆, titleHas: '深烘', minResults: 2 } },
  { say: '有没有深度烘焙的豆子', expect: { intent: 'product', category: 豆, titleHas: '深烘', minResults: 2 } },
  { say: '不要深烘的咖啡豆', expect: { intent: 'product', category: 豆, titleLacks: '深烘', minResults: 3 } },
  { say: '耶加雪菲', expect: { intent: 'product', titleHas: '耶加雪菲', minResults: 2, replyHas: '「耶加雪菲」共' }, note: 'the merchant\'s synonym 耶加 → 耶加雪菲 leaves the full name alone' },
  { say: '耶加', expect: { intent: 'product', titleHas: '耶加雪菲', minResults: 2, replyHas: '「耶加雪菲」共' }, note: 'the merchant\'s own synonym (synonyms.csv)' },
  { say: '曼特宁', expect: { intent: 'product', titleHas: '曼特宁', minResults: 2 } },
  { say: '云南咖啡豆', expect: { intent: 'product', category: 豆, titleHas: '云南' } },
  { say: '意式拼配', expect: { intent: 'product', titleHas: '意式' } },
  { say: '低因', expect: { intent: 'product', titleHas: '低因', minResults: 2 } },
  { say: '咖啡豆100以下', expect: { intent: 'product', category: 豆, maxYuan: 100, minResults: 5 } },
  { say: '深烘 便宜的', expect: { intent: 'product', sorted: 'price_asc', minResults: 4 }, note: 'titled or tagged 深烘 (PC014 capsules by tag)' },
  { say: '最便宜的咖啡豆', expect: { intent: 'product', category: 豆, sorted: 'price_asc', minResults: 3 } },
  { say: 'kafeidou', expect: { intent: 'product', category: 豆, minResults: 5 }, note: 'pinyin' },
  { say: '咖啡逗', expect: { intent: 'product', category: 豆, minResults: 5 }, note: 'typo' },

  // ── drip bags and capsules ─────────────────────────────────────────────────────────────────
  { say: '挂耳', expect: { intent: 'product', category: 挂耳, minResults: 5 } },
  { say: '挂耳咖啡', expect: { intent: 'product', category: 挂耳, minResults: 5 } },
  { say: 'guaer', expect: { intent: 'product', category: 挂耳, minResults: 5 }, note: 'pinyin' },
  { say: '来包挂耳', expect: { intent: 'product', answeredBy: 'products', category: 挂耳, minResults: 5 } },
  { say: '挂耳包', expect: { intent: 'product', category: 挂耳, minResults: 5 } },
  { say: '50块以下的挂耳', expect: { intent: 'product', category: 挂耳, maxYuan: 50, minResults: 2 }, note: '¥49, ¥45' },
  { say: '胶囊', expect: { intent: 'product', category: 胶囊, minResults: 4 } },
  { say: '胶囊咖啡', expect: { intent: 'product', category: 胶囊, minResults: 4 } },
  { say: '有没有胶囊咖啡', expect: { intent: 'product', category: 胶囊, minResults: 4 } },
  { say: '胶囊咖啡机', expect: { category: 胶囊, replyHas: ['没有', '咖啡机'] }, note: 'no machine: say so, offer the capsules' },
  { say: '咖啡机', expect: { replyHas: ['没有', '咖啡机'] }, note: 'not sold: say so honestly' },

  // ── drinks: bottled, vouchers, cards ───────────────────────────────────────────────────────
  { say: '美式', expect: { intent: 'product', titleHas: '美式', minResults: 2, replyLacks: ['团购', '城市'] }, note: 'was 「想看哪个城市的团购？」' },
  { say: '来杯美式', expect: { intent: 'product', titleHas: '美式', minResults: 2 }, note: '杯 here is no cup' },
  { say: '一杯拿铁', expect: { intent: 'product', titleHas: '拿铁', minResults: 3 } },
  { say: '大杯拿铁', expect: { intent: 'product', titleHas: '大杯拿铁' }, note: 'PC023 券' },
  { say: '中杯美式', expect: { intent: 'product', titleHas: '中杯美式' }, note: 'PC022 券; 中杯 is not 中烘' },
  { say: '拿铁多少钱', expect: { intent: 'product', titleHas: '拿铁', minResults: 3 } },
  { say: '美式咖啡', expect: { intent: 'product', titleHas: '美式', minResults: 2 } },
  { say: '冰美式', expect: { intent: 'product', titleHas: '美式' } },
  { say: '拿铁', expect: { intent: 'product', titleHas: '拿铁', minResults: 3 } },
  { say: '拿贴', expect: { intent: 'product', titleHas: '拿铁', minResults: 3 }, note: 'typo' },
  { say: 'natie', expect: { intent: 'product', titleHas: '拿铁', minResults: 3 }, note: 'pinyin' },
  { say: '燕麦拿铁', expect: { intent: 'product', titleHas: '燕麦拿铁' } },
  { say: '瓶装美式', expect: { intent: 'product', category: '咖啡/即饮咖啡', titleHas: '美式' } },
  { say: '即饮咖啡', expect: { intent: 'product', category: '咖啡/即饮咖啡', minResults: 3 } },
  { say: '冷萃', expect: { intent: 'product', titleHas: '冷萃' } },
  { say: '美式券', expect: { intent: 'product', category: '卡券', titleHas: '美式', minResults: 2 } },
  { say: '拿铁券', expect: { intent: 'product', category: '卡券', titleHas: '拿铁', minResults: 2 } },
  { say: '咖啡券', expect: { intent: 'product', category: '卡券/饮品券', minResults: 3 } },
  { say: '电子券', expect: { intent: 'product', category: '卡券/饮品券', minResults: 3 } },
  { say: '储值卡', expect: { intent: 'product', category: '卡券/储值卡' } },
  { say: '礼品卡', expect: { intent: 'product', category: '卡券/储值卡' } },
  { say: '卡券', expect: { intent: 'product', category: '卡券', minResults: 4 }, note: 'a root the shop\'s texts suggest' },

  // ── cups and gear ──────────────────────────────────────────────────────────────────────────
  { say: '杯子', expect: { intent: 'product', category: 杯子, minResults: 4 } },
  { say: '咖啡杯', expect: { intent: 'product', category: 杯子, minResults: 3 } },
  { say: '马克杯', expect: { intent: 'product', titleHas: '马克杯', minResults: 2 } },
  { say: '情侣杯', expect: { intent: 'product', category: 杯子, titleHas: '情侣', minResults: 2 }, note: 'PC029 情侣杯, PC033 情侣款对杯' },
  { say: '保温杯', expect: { intent: 'product', titleHas: '保温杯', minResults: 2 } },
  { say: '随行杯', expect: { intent: 'product', titleHas: '随行杯' }, note: 'PC030 (PC032 sold out)' },
  { say: '玻璃杯', expect: { intent: 'product', titleHas: '玻璃杯' } },
  { say: '周边', expect: { intent: 'product', category: '周边', minResults: 5 }, note: 'a root the shop\'s texts suggest' },
  { say: '手冲壶', expect: { intent: 'product', titleHas: '手冲壶' } },
  { say: '手冲', expect: { intent: 'product', category: ['周边/器具', '礼盒'], minResults: 2 } },
  { say: '磨豆机', expect: { intent: 'product', titleHas: '磨豆机' } },
  { say: '滤杯', expect: { intent: 'product', titleHas: '滤杯' } },
  { say: '法压壶', expect: { intent: 'product', titleHas: '法压壶' } },
  { say: 'hario', expect: { intent: 'product', brand: 'Hario', minResults: 2 } },

  // ── gifts ──────────────────────────────────────────────────────────────────────────────────
  { say: '礼盒', expect: { intent: 'product', category: 礼物, minResults: 3 } },
  { say: '咖啡礼盒', expect: { intent: 'product', category: 礼物, minResults: 3 } },
  { say: '200以内的礼盒', expect: { intent: 'product', category: 礼物, maxYuan: 200, minResults: 3 } },
  { say: '送女朋友的礼物', expect: { intent: 'product', category: 礼物, minResults: 3 }, note: 'tagged 送女友' },
  { say: '送男朋友', expect: { intent: 'product', category: 礼物, minResults: 2 }, note: 'PC029, PC041 tagged 送男友' },
  { say: '马克杯送男朋友', expect: { intent: 'product', titleHas: '马克杯' }, note: 'PC029 情侣杯, tagged 送男友' },
  { say: '送同事', expect: { intent: 'product', minResults: 2 }, note: 'PC026, PC039 tagged 送同事' },

  // ── follow-ups ──────────────────────────────────────────────────────────────────────────────
  { say: ['咖啡豆', '浅烘的'], expect: { intent: 'product', category: 豆, titleHas: '浅烘', minResults: 2 } },
  { say: ['挂耳', '深烘的有吗'], expect: { intent: 'product', category: 挂耳, titleHas: '深烘' } },
  { say: ['咖啡豆', '便宜点'], expect: { intent: 'product', category: 豆 } },
  { say: ['咖啡豆', '2'], expect: { answeredBy: 'pick', card: true } },
  { say: ['咖啡', '更多'], expect: { answeredBy: 'more', category: '咖啡', freshResults: true } },
  { say: ['杯子', '情侣的'], expect: { intent: 'product', category: 杯子, titleHas: '情侣' } },

  // ── what the shop does not sell, and its own texts ─────────────────────────────────────────
  { say: '奶茶', expect: { noResults: true, replyHas: '店里有', replyLacks: NOT_HERE }, note: 'not sold' },
  { say: '蛋糕', expect: { noResults: true, replyHas: '店里有', replyLacks: NOT_HERE }, note: 'not sold' },
  { say: '帮助', expect: { answeredBy: 'help', replyHas: '咖啡', replyLacks: NOT_HERE }, note: 'help suggests this shop\'s categories' },
  { say: '你好', expect: { replyHas: '咖啡', replyLacks: NOT_HERE } },
  { say: 'asdfgh', expect: { answeredBy: 'fallback', replyHas: '咖啡', replyLacks: NOT_HERE } },
  { say: ['帮助', '周边'], expect: { intent: 'product', category: '周边', minResults: 5 }, note: 'following a suggestion answers' },
  { say: ['asdfgh', '卡券'], expect: { intent: 'product', category: '卡券', minResults: 4 }, note: 'following a suggestion answers' },
  { say: '上海五星级酒店', expect: { replyLacks: ['发个位置', '城市名'] }, note: 'no hotels here' },
  { say: '附近的团购', expect: { replyLacks: ['发个位置', '城市名'] }, note: 'no deals here: never asks where' },
];
