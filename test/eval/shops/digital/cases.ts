/**
 * A phone-accessories shop (数码配件): 61 products — cases and screen protectors per phone model, chargers, cables,
 * power banks, earphones, stands, car accessories (products.csv); no phones, no hotels, no deals. Cases written as
 * its followers type — model names in every spelling (苹果15, iphone15, Mate60), 快充头, typec线 — and labelled by
 * what a shopper expects, checked against products.csv: a case for one model never answers for another. Facts used
 * below (in stock): cases for iPhone 14/15/15 Pro/16/16 Pro Max, Mate 60/60 Pro, Pura 70 Pro, 小米 14, vivo X100 —
 * none for Samsung or iPhone 13; chargers 49–199 (GaN: 5); power banks 79–199 (the 30000mAh one sold out).
 */
import type { EvalCase } from '../../runner.ts';

const 手机壳 = '手机壳膜/手机壳';
const 钢化膜 = '手机壳膜/钢化膜';
const 充电器 = '充电/充电器';
const 数据线 = '充电/数据线';
const 充电宝 = '充电/充电宝';
/** What a shop that sells neither says nothing about. */
const NOT_OURS = ['酒店', '团购', '女装'];

export const DIGITAL_CASES: readonly EvalCase[] = [
  // ── cases and screen protectors, per phone model ────────────────────────────────────────────
  { say: '手机壳', expect: { intent: 'product', category: 手机壳, minResults: 5 } },
  { say: '苹果15的壳', expect: { intent: 'product', category: 手机壳, titleHas: 'iPhone 15', minResults: 1 }, note: 'the brand names the phone, not the maker' },
  { say: 'iphone15手机壳', expect: { intent: 'product', category: 手机壳, titleHas: 'iPhone 15', minResults: 1 } },
  { say: 'iPhone 15 Pro 手机壳', expect: { intent: 'product', category: 手机壳, titleHas: 'iPhone 15 Pro', minResults: 1 } },
  { say: '苹果16手机壳', expect: { intent: 'product', category: 手机壳, titleHas: 'iPhone 16', minResults: 3 } },
  { say: 'iphone 16 pro max 壳', expect: { intent: 'product', category: 手机壳, titleHas: 'iPhone 16 Pro Max', minResults: 1 } },
  { say: '华为mate60手机壳', expect: { intent: 'product', category: 手机壳, titleHas: 'Mate 60', minResults: 2 }, note: 'glued model code' },
  { say: 'mate60pro的壳', expect: { intent: 'product', category: 手机壳, titleHas: 'Mate 60 Pro', minResults: 1 } },
  { say: '小米14手机壳', expect: { intent: 'product', category: 手机壳, titleHas: '小米 14', minResults: 1 } },
  { say: '透明手机壳', expect: { intent: 'product', category: 手机壳, titleHas: '透明', minResults: 4 } },
  { say: '手机套', expect: { intent: 'product', category: 手机壳, minResults: 5 }, note: 'another word for 手机壳' },
  { say: '有没有三星的手机壳', expect: { replyHas: ['没有', '三星'], category: 手机壳, minResults: 0 }, note: 'a model not sold: say so' },
  { say: 'iphone13手机壳', expect: { replyHas: '没有', category: 手机壳, titleLacks: ['iPhone 15', 'iPhone 16'], minResults: 0 }, note: 'a model not sold: never another model as if it were' },
  { say: '钢化膜', expect: { intent: 'product', category: 钢化膜, minResults: 5 } },
  { say: '苹果15钢化膜', expect: { intent: 'product', category: 钢化膜, titleHas: 'iPhone 15', minResults: 1 } },
  { say: '防窥膜', expect: { intent: 'product', category: 钢化膜, titleHas: '防窥', minResults: 1 } },
  { say: '手机膜', expect: { intent: 'product', category: ['手机壳膜/钢化膜', '手机壳膜/镜头膜'], minResults: 3 } },
  { say: '贴膜 mate60pro', expect: { intent: 'product', category: 钢化膜, titleHas: 'Mate 60 Pro', minResults: 1 } },
  { say: '镜头膜', expect: { intent: 'product', titleHas: '镜头膜', minResults: 1 } },

  // ── chargers and cables ─────────────────────────────────────────────────────────────────────
  { say: '充电器', expect: { intent: 'product', category: [充电器, '充电/无线充电器'], minResults: 5 } },
  { say: '快充头', expect: { intent: 'product', category: 充电器, minResults: 3 } },
  { say: '充电头', expect: { intent: 'product', category: 充电器, minResults: 3 } },
  { say: '20w快充', expect: { intent: 'product', category: 充电器, titleHas: '20W', minResults: 2 } },
  { say: '65W氮化镓', expect: { intent: 'product', category: 充电器, titleHas: '65W', minResults: 2 } },
  { say: '氮化镓充电器', expect: { intent: 'product', category: 充电器, titleHas: '氮化镓', minResults: 4 } },
  { say: '适合华为的充电器', expect: { intent: 'product', category: 充电器, minResults: 1 } },
  { say: '苹果充电器', expect: { intent: 'product', category: [充电器, '充电/无线充电器'], minResults: 2 } },
  { say: '笔记本充电器', expect: { intent: 'product', category: 充电器, minResults: 1 } },
  { say: '充电器100以内', expect: { intent: 'product', category: 充电器, maxYuan: 100, minResults: 3 } },
  { say: '数据线', expect: { intent: 'product', category: 数据线, minResults: 5 } },
  { say: 'typec线', expect: { intent: 'product', category: 数据线, titleHas: 'Type-C', minResults: 3 } },
  { say: 'type-c数据线', expect: { intent: 'product', category: 数据线, titleHas: 'Type-C', minResults: 3 } },
  { say: '充电线', expect: { intent: 'product', category: 数据线, minResults: 5 } },
  { say: '苹果数据线', expect: { intent: 'product', category: 数据线, minResults: 2 } },
  { say: 'lightning线', expect: { intent: 'product', category: 数据线, titleHas: 'Lightning', minResults: 2 } },
  { say: '一拖三数据线', expect: { intent: 'product', category: 数据线, titleHas: '一拖三', minResults: 1 } },
  { say: '绿联数据线', expect: { intent: 'product', category: 数据线, brand: '绿联', minResults: 2 } },
  { say: '无线充', expect: { intent: 'product', category: ['充电/无线充电器', '车载/车载支架'], minResults: 2 } },
  { say: 'magsafe', expect: { intent: 'product', titleHas: 'MagSafe', minResults: 2 } },

  // ── power banks ─────────────────────────────────────────────────────────────────────────────
  { say: '充电宝', expect: { intent: 'product', category: 充电宝, minResults: 4 } },
  { say: '充电宝100以内', expect: { intent: 'product', category: 充电宝, maxYuan: 100, minResults: 3 } },
  { say: '磁吸充电宝', expect: { intent: 'product', category: 充电宝, titleHas: '磁吸', minResults: 1 } },
  { say: '20000毫安的充电宝', expect: { intent: 'product', category: 充电宝, titleHas: '20000', minResults: 1 }, note: '毫安 = mAh' },
  { say: '冲电宝', expect: { intent: 'product', category: 充电宝, minResults: 4 }, note: 'homophone typo' },
  { say: 'chongdianbao', expect: { intent: 'product', category: 充电宝, minResults: 4 }, note: 'pinyin' },

  // ── earphones ───────────────────────────────────────────────────────────────────────────────
  { say: '耳机', expect: { intent: 'product', category: '耳机', minResults: 5 } },
  { say: '蓝牙耳机', expect: { intent: 'product', category: '耳机/蓝牙耳机', minResults: 5 } },
  { say: '降噪耳机', expect: { intent: 'product', category: '耳机', titleHas: '降噪', minResults: 3 } },
  { say: 'airpods', expect: { intent: 'product', titleHas: 'AirPods', minResults: 2 } },
  { say: 'airpods pro', expect: { intent: 'product', titleHas: 'AirPods Pro', minResults: 1 } },
  { say: '华为耳机', expect: { intent: 'product', category: '耳机', brand: '华为', minResults: 1 } },
  { say: '苹果耳机', expect: { intent: 'product', category: '耳机', brand: 'Apple', minResults: 3 } },
  { say: '有线耳机', expect: { intent: 'product', category: '耳机/有线耳机', minResults: 2 } },
  { say: '耳机200以下', expect: { intent: 'product', category: '耳机', maxYuan: 200, minResults: 4 } },
  { say: '头戴式耳机', expect: { intent: 'product', category: '耳机', titleHas: '头戴', minResults: 1 } },
  { say: '耳几', expect: { intent: 'product', category: '耳机', minResults: 5 }, note: 'typo' },

  // ── stands, car, the rest ───────────────────────────────────────────────────────────────────
  { say: '手机支架', expect: { intent: 'product', category: ['支架/桌面支架', '车载/车载支架'], minResults: 3 } },
  { say: '懒人支架', expect: { intent: 'product', titleHas: '懒人支架', minResults: 1 } },
  { say: '车载支架', expect: { intent: 'product', category: '车载/车载支架', minResults: 3 } },
  { say: '车载充电器', expect: { intent: 'product', category: '车载/车充', minResults: 2 } },
  { say: '车充', expect: { intent: 'product', category: '车载/车充', minResults: 2 } },
  { say: '车载', expect: { intent: 'product', category: '车载', minResults: 4 } },
  { say: '拓展坞', expect: { intent: 'product', titleHas: '扩展坞', minResults: 1 }, note: 'the other spelling' },
  { say: '自拍杆', expect: { intent: 'product', titleHas: '自拍杆', minResults: 1 } },
  { say: '安克', expect: { intent: 'product', brand: '安克', minResults: 3 } },
  { say: 'anker充电器', expect: { intent: 'product', brand: '安克', category: 充电器, minResults: 2 } },

  // ── follow-ups ──────────────────────────────────────────────────────────────────────────────
  { say: ['充电器', '氮化镓的'], expect: { intent: 'product', category: 充电器, titleHas: '氮化镓', minResults: 4 } },
  { say: ['充电器', '华为的'], expect: { intent: 'product', category: 充电器, minResults: 1 } },
  { say: ['耳机', '降噪的'], expect: { intent: 'product', category: '耳机', titleHas: '降噪', minResults: 3 } },
  { say: ['耳机', '更多'], expect: { answeredBy: 'more', category: '耳机', freshResults: true } },
  { say: ['数据线', '3'], expect: { answeredBy: 'pick', card: true } },
  { say: ['充电宝', '便宜点'], expect: { intent: 'product', category: 充电宝, minResults: 1 } },

  // ── the shop's own texts ────────────────────────────────────────────────────────────────────
  { say: '帮助', expect: { answeredBy: 'help', replyLacks: NOT_OURS }, note: 'examples from this catalogue' },
  { say: 'asdfgh', expect: { answeredBy: 'fallback', replyLacks: NOT_OURS } },
  { say: '深圳', expect: { noResults: true, replyLacks: ['想看哪个城市', '团购'] }, note: 'no deals here' },
  { say: '酒店', expect: { noResults: true, replyLacks: ['想住哪儿', '发个位置'] }, note: 'no hotels here' },
];
