/**
 * A mother-and-baby shop (母婴): 84 products under 奶粉, 纸尿裤, 喂养, 洗护, 孕产, 出行, 童装, 童鞋, 玩具, 家居, 营养,
 * 礼盒 (products.csv), no hotels, no deals. Cases written as parents type — 尿不湿 for diapers, formula stages as
 * 一段/1段/二段, WeChat stickers ([微笑]) and emoji (🍼) in the message — labelled by what a shopper expects, checked
 * against products.csv. Prices in yuan. Facts used below: formula by stage — 1段 in stock: 飞鹤, 爱他美, 美赞臣, 君乐宝,
 * 雀巢 (BB001/4/6/9/10); 2段: 飞鹤 (爱他美 2段 sold out); 3段: 飞鹤, 惠氏, a2 (a2's brand name has a 2 in it); diapers
 * 纸尿裤 39.9–169 and 拉拉裤 89–159 (花王 XL sold out); bottles 109–189 (Hegen sold out); 润肤乳 under 洗护/润肤.
 */
import type { EvalCase } from '../../runner.ts';

const 奶粉 = '奶粉';
const 尿裤 = ['纸尿裤/纸尿裤', '纸尿裤/拉拉裤'];
const 奶瓶 = '喂养/奶瓶';
/** What a shop that sells neither says nothing about. */
const NOT_OURS = ['酒店', '团购', '女装'];

export const BABY_CASES: readonly EvalCase[] = [
  // ── what parents call things ───────────────────────────────────────────────────────────────
  { say: '奶粉', expect: { intent: 'product', category: 奶粉, minResults: 5 } },
  { say: '纸尿裤', expect: { intent: 'product', category: '纸尿裤/纸尿裤', minResults: 5 } },
  { say: '尿不湿', expect: { intent: 'product', category: 尿裤, minResults: 5 }, note: 'the everyday word for diapers' },
  { say: '有尿不湿吗', expect: { intent: 'product', category: 尿裤, minResults: 5 } },
  { say: 'niaobushi', expect: { intent: 'product', category: 尿裤, minResults: 5 }, note: 'pinyin' },
  { say: '尿片', expect: { intent: 'product', category: 尿裤, minResults: 5 } },
  { say: '帮宝适尿不湿', expect: { intent: 'product', category: 尿裤, brand: '帮宝适', minResults: 3 } },
  { say: '拉拉裤', expect: { intent: 'product', category: '纸尿裤/拉拉裤', minResults: 2 } },
  { say: '学步裤', expect: { intent: 'product', category: '纸尿裤/拉拉裤', minResults: 2 } },
  { say: '紙尿褲', expect: { intent: 'product', category: '纸尿裤/纸尿裤', minResults: 5 }, note: 'traditional' },
  { say: '奶瓶', expect: { intent: 'product', category: 奶瓶, minResults: 4 } },
  { say: 'nai ping', expect: { intent: 'product', category: 奶瓶, minResults: 4 }, note: 'pinyin, spaced' },
  { say: '奶平', expect: { intent: 'product', category: 奶瓶, minResults: 4 }, note: 'homophone' },
  { say: '🍼', expect: { intent: 'product', category: 奶瓶, minResults: 4 }, note: 'a baby bottle is a bottle, not children\'s clothes' },
  { say: '奶瓶🍼', expect: { intent: 'product', category: 奶瓶, minResults: 4 } },
  { say: '防胀气奶瓶', expect: { intent: 'product', category: 奶瓶, titleHas: '防胀气', minResults: 2 } },
  { say: '婴儿车', expect: { intent: 'product', category: '出行/婴儿车', minResults: 2 } },
  { say: '宝宝推车', expect: { intent: 'product', category: '出行/婴儿车', minResults: 2 } },
  { say: '嬰兒推車', expect: { intent: 'product', category: '出行/婴儿车', minResults: 2 }, note: 'traditional' },
  { say: '儿童座椅', expect: { intent: 'product', category: '出行/安全座椅', minResults: 1 } },
  { say: '婴儿润肤露', expect: { intent: 'product', category: '洗护/润肤', minResults: 1 }, note: '润肤露 for the 润肤乳 the shop sells' },
  { say: '宝宝身体乳', expect: { intent: 'product', category: '洗护/润肤', minResults: 1 } },
  { say: '吸乳器', expect: { intent: 'product', category: '孕产/吸奶器', minResults: 2 } },
  { say: '孕妇衣服', expect: { intent: 'product', category: '孕产/孕妇装', minResults: 2 } },
  { say: '湿纸巾', expect: { intent: 'product', category: '洗护/湿巾', minResults: 2 } },
  { say: '宝宝湿巾', expect: { intent: 'product', category: '洗护/湿巾', minResults: 2 } },

  // ── formula by stage: 一段 = 1段 ────────────────────────────────────────────────────────────
  { say: '1段奶粉', expect: { intent: 'product', category: 奶粉, titleHas: '1段', minResults: 4 }, note: 'the stage is what matters' },
  { say: '一段奶粉', expect: { intent: 'product', category: 奶粉, titleHas: '1段', minResults: 4 } },
  { say: '奶粉一段', expect: { intent: 'product', category: 奶粉, titleHas: '1段', minResults: 4 } },
  { say: '三段奶粉', expect: { intent: 'product', category: 奶粉, titleHas: '3段', minResults: 3 } },
  { say: '飞鹤三段', expect: { intent: 'product', brand: '飞鹤', titleHas: '3段', minResults: 1 } },
  { say: '飞鹤2段', expect: { intent: 'product', brand: '飞鹤', titleHas: '2段', minResults: 1 } },
  { say: '爱他美2段', expect: { noResults: true, titleLacks: '1段' }, note: 'sold out: never another stage as if it were' },
  { say: ['奶粉', '要一段的'], expect: { intent: 'product', category: 奶粉, titleHas: '1段', minResults: 4 }, note: 'stage as a follow-up' },
  { say: '新生儿奶粉', expect: { intent: 'product', category: 奶粉, minResults: 3 } },
  { say: '进口奶粉', expect: { intent: 'product', category: 奶粉, minResults: 3 } },
  { say: '用了一段时间就坏了', expect: { replyLacks: '1段' }, note: '一段时间 is no formula stage' },

  // ── stickers and emoji as WeChat sends them ────────────────────────────────────────────────
  { say: '奶瓶[呲牙]', expect: { intent: 'product', category: 奶瓶, minResults: 4 }, note: 'a WeChat sticker arrives as [呲牙]' },
  { say: '[微笑]', expect: { noResults: true, replyLacks: '微笑' }, note: 'a sticker alone is no search' },
  { say: '你好[微笑]', expect: { noResults: true, replyLacks: '微笑' } },
  { say: '有尿不湿吗[捂脸]', expect: { intent: 'product', category: 尿裤, minResults: 5 } },

  // ── prices, brands, exclusions ─────────────────────────────────────────────────────────────
  { say: '一百以内的奶瓶', expect: { noResults: true, replyHas: ['没有', '109'] }, note: 'impossible price: says the range' },
  { say: '150以内的奶瓶', expect: { intent: 'product', category: 奶瓶, maxYuan: 150, minResults: 3 } },
  { say: '50-100的湿巾', expect: { intent: 'product', category: '洗护/湿巾', minYuan: 50, maxYuan: 100, minResults: 2 } },
  { say: '便宜的推车', expect: { intent: 'product', category: '出行/婴儿车', sorted: 'price_asc', minResults: 2 } },
  { say: '贝亲奶瓶', expect: { intent: 'product', category: 奶瓶, brand: '贝亲', minResults: 2 } },
  { say: 'feihe', expect: { intent: 'product', brand: '飞鹤', minResults: 3 }, note: 'brand in pinyin' },
  { say: '不要玻璃的奶瓶', expect: { intent: 'product', category: 奶瓶, titleLacks: '玻璃', minResults: 2 } },
  { say: ['奶瓶', '不要玻璃的'], expect: { intent: 'product', category: 奶瓶, titleLacks: '玻璃', minResults: 2 } },
  { say: ['纸尿裤', '帮宝适'], expect: { intent: 'product', brand: '帮宝适', minResults: 2 } },

  // ── follow-ups, service, a shop without hotels or deals ───────────────────────────────────
  { say: ['奶粉', '更多'], expect: { answeredBy: 'more', category: 奶粉, freshResults: true } },
  { say: ['奶瓶', '2'], expect: { answeredBy: 'pick', card: true } },
  { say: '包邮吗', expect: { answeredBy: 'order_service', noResults: true } },
  { say: ['推车', '1', '这个多少钱'], expect: { answeredBy: 'service', replyHas: ['好孩子', '¥599', '原价¥799'] }, note: 'the price of the card shown' },
  { say: ['推车', '1', '有货吗'], expect: { answeredBy: 'service', replyHas: '有货', replyLacks: '卖完' } },
  { say: ['推车', '1', '发个链接'], expect: { answeredBy: 'service', replyHas: ['好孩子', '/p/BB050'] }, note: 'the card\'s page' },
  { say: ['奶瓶', '还有货吗'], expect: { answeredBy: 'service', replyHas: '都有货' } },
  { say: ['连体衣', '1', '有66码吗'], expect: { answeredBy: 'service', replyHas: '有 66 码' }, note: 'baby sizes: 52, 59, 66, 73, 80' },
  { say: ['连体衣', '有59码吗'], expect: { answeredBy: 'service', replyHas: '都有 59 码' } },
  { say: '多少钱', expect: { answeredBy: 'service', noResults: true, replyHas: ['哪件', '奶粉'] }, note: 'nothing shown yet: which one?' },
  { say: '酒店', expect: { replyLacks: '想住哪' } },
  { say: '上海', expect: { replyLacks: '团购' } },
  { say: '你好', expect: { noResults: true, replyHas: '奶粉', replyLacks: NOT_OURS } },
];
