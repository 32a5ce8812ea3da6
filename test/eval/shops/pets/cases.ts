/**
 * A pet-supplies shop (宠物用品): 62 products under 猫咪/… and 狗狗/… (products.csv), no hotels, no deals. Cases
 * written as its followers type — short, messy, pinyin, typos, price phrases, follow-ups — and labelled by what a
 * shopper expects, checked against products.csv: cat things never answer a dog question and the other way round.
 * Prices in yuan. Facts used below (in stock): cat food 79–398 (under 100: 79, 99; 比瑞吉老年猫粮 sold out); dog food
 * 39.9–599 (240–360: 245, 329, 358); litter 59–99; cat trees 89, 239, 459; 疯狂小狗 makes dog things only.
 */
import type { EvalCase } from '../../runner.ts';

const 猫粮 = '猫咪/主粮';
const 狗粮 = '狗狗/主粮';
const 猫砂 = '猫咪/猫砂';
/** What a shop that sells neither says nothing about. */
const NOT_OURS = ['酒店', '团购', '女装'];

export const PETS_CASES: readonly EvalCase[] = [
  // ── food: cats and dogs never mixed ─────────────────────────────────────────────────────────
  { say: '猫粮', expect: { intent: 'product', category: 猫粮, minResults: 5 } },
  { say: '狗粮', expect: { intent: 'product', category: 狗粮, minResults: 5 } },
  { say: '有没有猫粮', expect: { intent: 'product', category: 猫粮, minResults: 5 } },
  { say: '狗粮有吗', expect: { intent: 'product', category: 狗粮, minResults: 5 } },
  { say: '猫咪吃的粮', expect: { intent: 'product', category: 猫粮, minResults: 3 }, note: 'spoken' },
  { say: '幼猫吃的', expect: { intent: 'product', category: '猫咪', titleHas: '幼猫', minResults: 2 }, note: 'age, no category word' },
  { say: '幼猫粮', expect: { intent: 'product', category: 猫粮, titleHas: '幼猫', minResults: 2 } },
  { say: '幼犬狗粮', expect: { intent: 'product', category: 狗粮, titleHas: '幼犬', minResults: 3 } },
  { say: '幼犬吃什么', expect: { intent: 'product', category: '狗狗', titleHas: '幼犬', minResults: 3 } },
  { say: '大型犬成犬粮', expect: { intent: 'product', category: 狗粮, titleHas: '大型犬', minResults: 2 } },
  { say: '金毛吃的狗粮', expect: { intent: 'product', category: 狗粮, minResults: 1 }, note: 'breed as a tag' },
  { say: '泰迪狗粮', expect: { intent: 'product', category: 狗粮, minResults: 1 }, note: 'breed as a tag' },
  { say: '适合柯基的狗粮', expect: { intent: 'product', category: 狗粮, minResults: 1 } },
  { say: '布偶猫吃什么猫粮', expect: { intent: 'product', category: 猫粮, minResults: 3 }, note: 'a breed the shop does not tag' },
  { say: '老年犬', expect: { intent: 'product', category: '狗狗', titleHas: '老年犬', minResults: 1 } },
  { say: '老年猫粮', expect: { replyHas: '没有', category: 猫粮, minResults: 0 }, note: 'the only one is sold out: say so, at most other cat food' },
  { say: '无谷猫粮', expect: { intent: 'product', category: 猫粮, titleHas: '无谷', minResults: 1 } },
  { say: '奶糕', expect: { intent: 'product', titleHas: '奶糕', minResults: 2 } },
  { say: '猫粮100以内', expect: { intent: 'product', category: 猫粮, maxYuan: 100, minResults: 2 } },
  { say: '200以下的猫粮', expect: { intent: 'product', category: 猫粮, maxYuan: 200, minResults: 4 } },
  { say: '三百左右的狗粮', expect: { intent: 'product', category: 狗粮, minYuan: 240, maxYuan: 360, minResults: 3 } },
  { say: '猫粮50以下', expect: { intent: 'product', noResults: true, replyHas: ['没有', '79'] }, note: 'impossible price: says the range' },
  { say: '皇家猫粮', expect: { intent: 'product', brand: '皇家', category: 猫粮, minResults: 2 } },
  { say: '皇家狗粮 幼犬', expect: { intent: 'product', brand: '皇家', category: 狗粮, titleHas: '幼犬', minResults: 1 } },
  { say: '渴望猫粮', expect: { intent: 'product', brand: '渴望', category: 猫粮, minResults: 1 } },
  { say: 'royal canin', expect: { intent: 'product', brand: '皇家', minResults: 3 }, note: 'English brand name' },
  { say: '疯狂小狗猫粮', expect: { replyHas: ['没有', '疯狂小狗'], category: 猫粮, minResults: 0 }, note: 'dog-only brand: say so, offer cat food' },
  { say: '不要皇家的猫粮', expect: { intent: 'product', category: 猫粮, titleLacks: '皇家', minResults: 3 } },

  // ── wet food, freeze-dried, treats ──────────────────────────────────────────────────────────
  { say: '猫罐头', expect: { intent: 'product', category: '猫咪/罐头', minResults: 3 } },
  { say: '狗罐头', expect: { intent: 'product', category: '狗狗/罐头', minResults: 2 } },
  { say: '罐头', expect: { intent: 'product', category: ['猫咪/罐头', '狗狗/罐头'], minResults: 5 } },
  { say: '主食罐', expect: { intent: 'product', category: '猫咪/罐头', minResults: 1 } },
  { say: '冻干', expect: { intent: 'product', titleHas: '冻干', minResults: 3 }, note: "the shop's own category 猫咪/冻干" },
  { say: '猫咪冻干', expect: { intent: 'product', category: '猫咪', titleHas: '冻干', minResults: 3 } },
  { say: '狗狗冻干', expect: { intent: 'product', category: '狗狗', titleHas: '冻干', minResults: 1 } },
  { say: '猫零食', expect: { intent: 'product', category: '猫咪', minResults: 3 } },
  { say: '狗零食', expect: { intent: 'product', category: '狗狗/零食', minResults: 3 } },
  { say: '猫条', expect: { intent: 'product', titleHas: '猫条', minResults: 1 } },
  { say: '磨牙棒', expect: { intent: 'product', category: '狗狗', titleHas: '磨牙', minResults: 1 } },
  { say: '化毛膏', expect: { intent: 'product', titleHas: '化毛膏', minResults: 1 } },
  { say: '金枪鱼', expect: { intent: 'product', category: '猫咪', titleHas: '金枪鱼', minResults: 2 } },

  // ── litter ──────────────────────────────────────────────────────────────────────────────────
  { say: '猫砂', expect: { intent: 'product', category: 猫砂, minResults: 4 } },
  { say: '豆腐猫砂', expect: { intent: 'product', category: 猫砂, titleHas: '豆腐', minResults: 3 } },
  { say: '豆腐砂', expect: { intent: 'product', category: 猫砂, titleHas: '豆腐', minResults: 3 } },
  { say: '膨润土猫砂', expect: { intent: 'product', category: 猫砂, titleHas: '膨润土', minResults: 2 } },
  { say: '猫砂 100以内', expect: { intent: 'product', category: 猫砂, maxYuan: 100, minResults: 4 } },
  { say: '最便宜的猫砂', expect: { intent: 'product', category: 猫砂, sorted: 'price_asc', minResults: 4 } },
  { say: '猫沙', expect: { intent: 'product', category: 猫砂, minResults: 4 }, note: 'typo' },
  { say: 'maosha', expect: { intent: 'product', category: 猫砂, minResults: 4 }, note: 'pinyin' },
  { say: 'mao liang', expect: { intent: 'product', category: 猫粮, minResults: 5 }, note: 'spaced pinyin' },
  { say: '貓糧', expect: { intent: 'product', category: 猫粮, minResults: 5 }, note: 'traditional' },

  // ── toys, trees, beds, walking ──────────────────────────────────────────────────────────────
  { say: '狗狗玩具', expect: { intent: 'product', category: '狗狗/玩具', minResults: 3 } },
  { say: '猫玩具', expect: { intent: 'product', category: '猫咪/玩具', minResults: 3 } },
  { say: '逗猫棒', expect: { intent: 'product', titleHas: '逗猫棒', minResults: 1 } },
  { say: '耐咬的狗玩具', expect: { intent: 'product', category: '狗狗/玩具', titleHas: '耐咬', minResults: 1 } },
  { say: '猫抓板', expect: { intent: 'product', titleHas: '猫抓板', minResults: 1 } },
  { say: '猫爬架', expect: { intent: 'product', category: '猫咪/猫爬架', minResults: 3 } },
  { say: '猫爬架200以下', expect: { intent: 'product', category: '猫咪/猫爬架', maxYuan: 200, minResults: 1 } },
  { say: '实木猫爬架', expect: { intent: 'product', category: '猫咪/猫爬架', titleHas: '实木', minResults: 1 } },
  { say: '最贵的猫爬架', expect: { intent: 'product', category: '猫咪/猫爬架', sorted: 'price_desc', minResults: 3 } },
  { say: '猫窝', expect: { intent: 'product', category: '猫咪', minResults: 1 } },
  { say: '狗窝', expect: { intent: 'product', category: '狗狗/窝垫', minResults: 1 } },
  { say: '冰垫', expect: { intent: 'product', titleHas: '冰垫', minResults: 1 } },
  { say: '牵引绳', expect: { intent: 'product', category: '狗狗/出行', titleHas: '牵引绳', minResults: 3 } },
  { say: '大型犬牵引绳', expect: { intent: 'product', category: '狗狗/出行', titleHas: '大型犬', minResults: 1 } },
  { say: '遛狗绳', expect: { intent: 'product', category: '狗狗/出行', minResults: 2 }, note: 'the word shoppers say for 牵引绳' },
  { say: '有猫包吗', expect: { intent: 'product', titleHas: '猫包', minResults: 1 } },

  // ── deworming and grooming ──────────────────────────────────────────────────────────────────
  { say: '驱虫', expect: { intent: 'product', category: ['狗狗/驱虫', '猫咪/驱虫'], minResults: 5 } },
  { say: '猫咪驱虫', expect: { intent: 'product', category: '猫咪/驱虫', minResults: 3 } },
  { say: '狗狗驱虫药', expect: { intent: 'product', category: '狗狗/驱虫', minResults: 2 } },
  { say: '体内驱虫', expect: { intent: 'product', titleHas: '体内', minResults: 3 } },
  { say: '大宠爱', expect: { intent: 'product', brand: '大宠爱', minResults: 2 } },
  { say: '大宠爱猫用的', expect: { intent: 'product', brand: '大宠爱', category: '猫咪', minResults: 1 } },
  { say: '福来恩 狗', expect: { intent: 'product', brand: '福来恩', category: '狗狗', minResults: 1 } },
  { say: '洗护', expect: { intent: 'product', category: ['狗狗/洗护', '猫咪/洗护'], minResults: 4 } },
  { say: '狗狗沐浴露', expect: { intent: 'product', category: '狗狗/洗护', titleHas: '沐浴露', minResults: 1 } },
  { say: '猫咪洗澡用的', expect: { intent: 'product', category: '猫咪/洗护', minResults: 1 }, note: 'what it is for, not its name' },
  { say: '指甲剪', expect: { intent: 'product', titleHas: '指甲剪', minResults: 1 } },

  // ── follow-ups ──────────────────────────────────────────────────────────────────────────────
  { say: ['猫粮', '更多'], expect: { answeredBy: 'more', category: 猫粮, freshResults: true } },
  { say: ['猫砂', '2'], expect: { answeredBy: 'pick', card: true } },
  { say: ['猫粮', '幼猫的'], expect: { intent: 'product', category: 猫粮, titleHas: '幼猫', minResults: 2 } },
  { say: ['狗粮', '皇家的'], expect: { intent: 'product', category: 狗粮, brand: '皇家', minResults: 3 } },
  { say: ['猫粮', '便宜点'], expect: { intent: 'product', category: 猫粮, minResults: 1 } },
  { say: ['猫砂', '豆腐的'], expect: { intent: 'product', category: 猫砂, titleHas: '豆腐', minResults: 3 } },

  // ── the shop's own words and texts ──────────────────────────────────────────────────────────
  { say: '猫咪', expect: { intent: 'product', category: '猫咪', minResults: 5 }, note: 'a category the bot suggests' },
  { say: '狗狗', expect: { intent: 'product', category: '狗狗', minResults: 5 }, note: 'a category the bot suggests' },
  { say: '猫', expect: { intent: 'product', category: '猫咪', minResults: 5 } },
  { say: '狗', expect: { intent: 'product', category: '狗狗', minResults: 5 } },
  { say: '喵粮', expect: { intent: 'product', category: 猫粮, minResults: 5 }, note: "the merchant's synonym 喵粮 = 猫粮 (sets.ts)" },
  { say: '帮助', expect: { answeredBy: 'help', replyHas: '猫咪', replyLacks: NOT_OURS }, note: 'examples from this catalogue' },
  { say: '你好', expect: { replyLacks: NOT_OURS } },
  { say: 'asdfgh', expect: { answeredBy: 'fallback', replyHas: '猫咪', replyLacks: NOT_OURS } },
  { say: '附近的酒店', expect: { noResults: true, replyLacks: ['想住哪儿', '发个位置'] }, note: 'no hotels here: never asks where' },
  { say: { location: [31.2317, 121.4726, '人民广场'] }, expect: { noResults: true, replyHas: '猫咪', replyLacks: NOT_OURS }, note: 'no hotels near anything here' },
  { say: '北京', expect: { noResults: true, replyLacks: ['想看哪个城市', '团购'] }, note: 'no deals here' },
];
