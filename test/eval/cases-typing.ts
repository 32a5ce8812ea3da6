/**
 * Other ways followers type: English, emoji, 謝謝, spoken ordinals, a typo in any character, and no false matches (劳力士 is not 力士).
 * Over the demo catalogue, grounded in data/*.csv like cases.ts.
 */
import type { EvalCase } from './runner.ts';

const 不是女鞋 = ['高跟', '女款', '女鞋'];

export const TYPING_CASES: readonly EvalCase[] = [
  // ── English shopping words and price phrases ───────────────────────────────────────────────
  { say: 'dress under 200', expect: { intent: 'product', category: '女装/连衣裙', maxYuan: 200, minResults: 3 }, note: 'English: dress + under 200 (12 dresses ≤ ¥200)' },
  { say: 'shoes for men', expect: { intent: 'product', category: '鞋靴', titleLacks: 不是女鞋, minResults: 5 }, note: 'English: shoes + men, no women\'s heels' },
  { say: 'cheap phone', expect: { intent: 'product', category: '数码/手机', sorted: 'price_asc', minResults: 3 }, note: 'English: cheap → cheapest first (was 苹果 via phone → iphone)' },
  { say: 'red dress', expect: { intent: 'product', category: '女装/连衣裙', titleHas: '红', minResults: 1 }, note: 'English colour + category (太平鸟 针织连衣裙 红色)' },
  { say: "women's jacket", expect: { intent: 'product', category: ['女装', '运动户外/冲锋衣'], titleLacks: ['男款', '男士'], minResults: 5 }, note: 'English: women\'s + jacket (外套: 风衣, 羽绒服, 冲锋衣)' },
  { say: 'lipstick', expect: { intent: 'product', category: '美妆/口红', minResults: 5 }, note: 'English category word' },
  { say: 'coffee', expect: { intent: 'product', category: '食品/咖啡', minResults: 5 }, note: 'English category word' },
  { say: 'Lipstick please', expect: { intent: 'product', category: '美妆/口红', minResults: 5 }, note: 'English filler dropped' },
  { say: 'show me some sneakers', expect: { intent: 'product', category: '鞋靴/运动鞋', minResults: 5 }, note: 'English phrase with filler' },
  { say: 'backpack under 300', expect: { intent: 'product', category: '箱包/双肩包', maxYuan: 300, minResults: 5 }, note: 'English price phrase (20 backpacks ≤ ¥300)' },
  { say: 'cheapest headphones', expect: { intent: 'product', category: '数码/耳机', sorted: 'price_asc', minResults: 5 }, note: 'English superlative' },
  { say: 'phone over 5000', expect: { intent: 'product', category: '数码/手机', minYuan: 5000, minResults: 2 }, note: 'English floor (5 phones ≥ ¥5000)' },
  { say: 'Rice cooker less than 300', expect: { intent: 'product', category: '家电/电饭煲', maxYuan: 300, minResults: 5 }, note: 'two-word English category, less than' },
  { say: 'nike shoes', expect: { intent: 'product', brand: '耐克', category: '鞋靴', minResults: 3 }, note: 'brand alias + English category' },
  { say: 'kids down jacket', expect: { intent: 'product', category: '童装/羽绒服', minResults: 5 }, note: 'English audience narrows 羽绒服 to children\'s' },
  { say: 'black jeans', expect: { intent: 'product', category: '女装/牛仔裤', titleHas: '黑', minResults: 2 }, note: 'English colour + category' },
  { say: 'air fryer', expect: { intent: 'product', category: '家电/空气炸锅', minResults: 5 }, note: 'two-word English category' },
  { say: 'hotel in shanghai', expect: { intent: 'hotel', city: '上海', minResults: 3 }, note: 'English with pinyin city' },
  { say: "levi's jeans", expect: { intent: 'product', brand: "Levi's", category: '女装/牛仔裤', minResults: 2 }, note: 'a brand spelt in English is kept as the brand, the English word beside it rewritten' },

  // ── emoji ──────────────────────────────────────────────────────────────────────────────────
  { say: '👗', expect: { intent: 'product', category: '女装/连衣裙', minResults: 5 }, note: 'emoji alone' },
  { say: '👟', expect: { intent: 'product', category: '鞋靴/运动鞋', minResults: 5 }, note: 'emoji alone' },
  { say: '💄', expect: { intent: 'product', category: '美妆/口红', minResults: 5 }, note: 'emoji alone' },
  { say: '👠', expect: { intent: 'product', category: '鞋靴/高跟鞋', minResults: 5 }, note: 'emoji alone' },
  { say: '📱', expect: { intent: 'product', category: '数码/手机', minResults: 5 }, note: 'emoji alone' },
  { say: '☕', expect: { intent: 'product', category: '食品/咖啡', minResults: 5 }, note: 'emoji alone' },
  { say: '👶', expect: { intent: 'product', category: '童装', minResults: 5 }, note: 'emoji alone: children\'s clothes' },
  { say: '🎒', expect: { intent: 'product', category: '箱包/双肩包', minResults: 5 }, note: 'emoji alone' },
  { say: '🎧', expect: { intent: 'product', category: '数码/耳机', minResults: 5 }, note: 'emoji alone' },
  { say: '👗200以下', expect: { intent: 'product', category: '女装/连衣裙', maxYuan: 200, minResults: 3 }, note: 'emoji + price' },
  { say: '💄 最便宜的', expect: { intent: 'product', category: '美妆/口红', sorted: 'price_asc', minResults: 5 }, note: 'emoji + sort' },
  { say: '👟👟男款', expect: { intent: 'product', category: '鞋靴/运动鞋', titleLacks: ['女款'], minResults: 3 }, note: 'emoji + audience' },

  // ── traditional small talk ─────────────────────────────────────────────────────────────────
  { say: '謝謝', expect: { answeredBy: 'thanks' }, note: 'traditional 谢谢' },
  { say: '謝謝你～', expect: { answeredBy: 'thanks' }, note: 'traditional 谢谢你' },
  { say: '哈囉', expect: { answeredBy: 'greeting' }, note: 'traditional 哈啰' },

  // ── spoken ordinals ────────────────────────────────────────────────────────────────────────
  { say: ['女装', '嗯那个就是第二个吧'], expect: { answeredBy: 'pick', card: true }, note: 'hesitation before, particle after' },
  { say: ['连衣裙', '就是第二个吧'], expect: { answeredBy: 'pick', card: true }, note: 'spoken ordinal' },
  { say: ['女装', '第2个吧'], expect: { answeredBy: 'pick', card: true }, note: 'digit ordinal + particle' },
  { say: ['口红', '那就第三个'], expect: { answeredBy: 'pick', card: true }, note: 'spoken ordinal' },
  { say: ['手机', '嗯…第一个吧'], expect: { answeredBy: 'pick', card: true }, note: 'ellipsis after the hesitation' },
  { say: ['女装', '要第三个'], expect: { answeredBy: 'order_ask', replyHas: '要哪个' }, note: '要 + ordinal: the third item, asked for (its size)' },

  // ── a typo in any character of a catalogue word ───────────────────────────────────────────
  { say: '双间包', expect: { intent: 'product', category: '箱包/双肩包', minResults: 5 }, note: 'middle character (was 「暂时没有「间包」」)' },
  { say: '霜肩包', expect: { intent: 'product', category: '箱包/双肩包', minResults: 5 }, note: 'first character, homophone' },
  { say: '双肩宝', expect: { intent: 'product', category: '箱包/双肩包', minResults: 5 }, note: 'last character' },
  { say: '空气炸过', expect: { intent: 'product', category: '家电/空气炸锅', minResults: 5 }, note: 'last character of four' },
  { say: '电饭堡', expect: { intent: 'product', category: '家电/电饭煲', minResults: 5 }, note: 'homophone' },
  { say: '吸尘气', expect: { intent: 'product', category: '家电/吸尘器', minResults: 5 }, note: 'homophone' },
  { say: '双间包 200以下', expect: { intent: 'product', category: '箱包/双肩包', maxYuan: 200, minResults: 3 }, note: 'typo + price' },

  // ── no false matches ──────────────────────────────────────────────────────────────────────
  { say: '劳力士', expect: { intent: 'product', noResults: true, replyHas: '劳力士' }, note: 'not 力士 shower gel' },
  { say: '劳力士手表', expect: { intent: 'product', category: '数码/智能手表', titleLacks: '力士', replyHas: '没有完全符合' }, note: 'no Rolex: says so, shows the watches there are' },
  { say: '力士', expect: { intent: 'product', brand: '力士', minResults: 3 }, note: 'the brand itself still matches' },
  { say: '力士沐浴露', expect: { intent: 'product', brand: '力士', category: '个护/沐浴露', minResults: 3 }, note: 'brand + category' },
  { say: '青苹果', expect: { noResults: true, replyHas: '青苹果' }, note: 'not the brand 苹果' },
  { say: '咖啡机', expect: { intent: 'product', noResults: true, replyHas: '咖啡机' }, note: 'a coffee machine is not coffee (no 咖啡机 in the demo)' },
  { say: 'coffee machine', expect: { intent: 'product', noResults: true, replyHas: '咖啡机' }, note: 'English, same' },
  { say: '毛衣链', expect: { intent: 'product', noResults: true }, note: 'a sweater chain is not a sweater' },
  { say: '厚毛衣', expect: { intent: 'product', category: '女装/毛衣', minResults: 5 }, note: 'a character before a category only qualifies it' },
  { say: '正品', expect: { answeredBy: 'service', noResults: true, replyHas: '正品' }, note: 'padding alone is no product (was basketballs titled 正品); alone it asks about authenticity' },
  { say: '新款', expect: { intent: 'none', noResults: true }, note: 'padding alone (was 143 products titled 新款)' },
  { say: '热卖', expect: { intent: 'none', noResults: true, replyLacks: '暂时没有' }, note: 'padding alone' },
  { say: '正品篮球', expect: { intent: 'product', category: '运动户外/篮球', minResults: 1 }, note: 'padding beside a category is only a wish' },
  { say: ['连衣裙', '新款'], expect: { category: '女装/连衣裙', minResults: 1 }, note: 'padding still refines a list' },

  // ── honest nearest ────────────────────────────────────────────────────────────────────────
  { say: '扫地机器人', expect: { answeredBy: 'products_nearest', category: '家电/吸尘器', replyHas: ['没有扫地机器人', '吸尘器'], minResults: 5 }, note: 'was silently handheld vacuums' },
  { say: '扫地机', expect: { answeredBy: 'products_nearest', category: '家电/吸尘器', replyHas: '没有扫地机' }, note: 'short name' },
  { say: 'robot vacuum', expect: { answeredBy: 'products_nearest', category: '家电/吸尘器', replyHas: '没有扫地机器人' }, note: 'English' },
  { say: '扫地机器人 500以下', expect: { answeredBy: 'products_nearest', category: '家电/吸尘器', maxYuan: 500, replyHas: '没有扫地机器人' }, note: 'nearest keeps the price' },

  // ── audience ──────────────────────────────────────────────────────────────────────────────
  { say: '男生的鞋子', expect: { intent: 'product', category: '鞋靴', titleLacks: 不是女鞋, minResults: 5 }, note: 'men\'s shoes never show women\'s heels' },
  { say: '男鞋 300以下', expect: { intent: 'product', category: '鞋靴', titleLacks: 不是女鞋, maxYuan: 300, minResults: 3 }, note: 'men\'s shoes + price' },
  { say: '男款高跟鞋', expect: { intent: 'product', noResults: true, replyHas: '没有男款' }, note: 'caveat, not women\'s heels' },
];
