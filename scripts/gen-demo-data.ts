/**
 * Demo catalogue, deterministic: `node bin/run-ts.js scripts/gen-demo-data.ts [DIR]` writes
 * DIR/products.csv, DIR/hotels.csv and DIR/deals.csv (DIR defaults to data/). A seeded PRNG and fixed dates
 * only (no Date.now, no Math.random): the same run writes the same bytes.
 *
 * - products: believable Chinese titles (brand + audience + material/style + product word + season/fit +
 *   colour) over 12 roots and 55 leaf categories, prices by category, some original prices, ~5% sold out;
 * - hotels: chains (如家, 汉庭, 全季, 亚朵…) around real business districts of 6 cities, GCJ-02 coordinates
 *   scattered within ~1.5 km of each district centre;
 * - deals: 美食/电影/KTV/丽人/亲子/休闲娱乐 in the same districts, most live until 2027–2028, ~10% expired
 *   before 2026-10, ~5% sold out.
 *
 * The functions are exported for the import benchmark (100k products).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEMO_SEED = 20260601;

/** mulberry32: small, fast, good enough for demo data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number): boolean => next() < p;
  /** Up to `n` distinct items, in their original order. */
  const some = <T>(items: readonly T[], n: number): T[] => items.filter(() => next() < n / items.length).slice(0, n);
  return { next, int, pick, chance, some };
}
type Rng = ReturnType<typeof prng>;

// ───────────────────────────────────────────── products ─────────────────────────────────────────────

const APPAREL_COLOURS = ['黑色', '白色', '红色', '蓝色', '粉色', '灰色', '卡其色', '藏青色', '绿色', '米白色', '杏色', '酒红色'];
const BAG_COLOURS = ['黑色', '棕色', '卡其色', '白色', '红色', '灰色', '藏青色'];

interface LeafSpec {
  readonly path: string;
  readonly brands: readonly string[];
  /** The product words (each contains the leaf name, so titles name their category). */
  readonly words?: readonly string[];
  /** Audience word after the brand (女装 / 男士 / 儿童…). */
  readonly lead?: readonly string[];
  /** Material / style words just before the product word. */
  readonly pre: readonly string[];
  /** Season / fit / selling words after it; `a|b` are alternatives (at most one of them in a title). */
  readonly post: readonly string[];
  readonly price: readonly [number, number];
  readonly colours?: readonly string[];
  /** Model names by brand (phones, tablets…): `brand model word`. */
  readonly models?: Readonly<Record<string, readonly string[]>>;
}

const LEAVES: readonly LeafSpec[] = [
  // 女装
  { path: '女装/连衣裙', brands: ['优衣库', '太平鸟', 'ZARA', '欧时力', '伊芙丽', '茵曼', '韩都衣舍'], lead: ['女装', '女士'], pre: ['纯棉碎花', '雪纺', '法式复古', '真丝', '针织', '收腰', '波点', '亚麻'], post: ['夏季新款', '中长款', '显瘦', '2026春装', '气质通勤', '小个子'], price: [99, 899], colours: APPAREL_COLOURS },
  { path: '女装/半身裙', brands: ['优衣库', '太平鸟', 'ZARA', '欧时力', '伊芙丽', '茵曼'], lead: ['女装', '女士'], pre: ['百褶', 'A字', '高腰', '牛仔', '针织', '缎面', '格纹'], post: ['中长款', '春秋新款', '显瘦', '通勤', '及膝'], price: [79, 599], colours: APPAREL_COLOURS },
  { path: '女装/T恤', brands: ['优衣库', '太平鸟', 'ZARA', '森马', '茵曼', '韩都衣舍'], lead: ['女装', '女士'], pre: ['纯棉', '宽松', '短袖', '印花', '圆领', '修身', '冰丝'], post: ['夏季新款', '百搭', '上衣', '打底'], price: [39, 299], colours: APPAREL_COLOURS },
  { path: '女装/毛衣', brands: ['优衣库', '太平鸟', '鄂尔多斯', '恒源祥', '欧时力', '伊芙丽'], lead: ['女装', '女士'], pre: ['羊绒', '羊毛', '高领', '宽松', '麻花', '开衫', '慵懒风'], post: ['秋冬新款', '加厚', '针织衫', '内搭'], price: [129, 1299], colours: APPAREL_COLOURS },
  { path: '女装/衬衫', brands: ['优衣库', 'ZARA', '欧时力', '伊芙丽', '茵曼'], lead: ['女装', '女士'], pre: ['真丝', '雪纺', '纯棉', '条纹', '法式', '泡泡袖'], post: ['春季新款', '通勤', '长袖', '宽松'], price: [89, 699], colours: APPAREL_COLOURS },
  { path: '女装/牛仔裤', brands: ['优衣库', 'Levi\'s', 'ZARA', '太平鸟', '森马'], lead: ['女装', '女士'], pre: ['高腰', '直筒', '阔腿', '小脚', '微喇', '破洞'], post: ['显瘦', '九分', '新款', '宽松'], price: [99, 699], colours: ['蓝色', '浅蓝色', '黑色', '白色', '灰色'] },
  { path: '女装/羽绒服', brands: ['波司登', '优衣库', '太平鸟', '雪中飞', '鸭鸭'], lead: ['女装', '女士'], pre: ['白鸭绒', '白鹅绒', '连帽', '轻薄', '加厚'], post: ['长款|短款', '冬季新款', '保暖'], price: [299, 2999], colours: APPAREL_COLOURS },
  { path: '女装/风衣', brands: ['欧时力', '太平鸟', 'ZARA', '伊芙丽', '玛丝菲尔'], lead: ['女装', '女士'], pre: ['双排扣', '英伦', '系带', '中长款'], post: ['春秋新款', '外套', '气质', '宽松'], price: [299, 1999], colours: ['卡其色', '黑色', '米白色', '灰色', '杏色'] },
  // 男装
  { path: '男装/衬衫', brands: ['优衣库', '海澜之家', '雅戈尔', '七匹狼', '杰克琼斯', '太平鸟'], lead: ['男装', '男士'], pre: ['纯棉', '免烫', '牛津纺', '商务', '条纹', '法兰绒'], post: ['长袖', '修身', '正装', '春季新款'], price: [99, 799], colours: ['白色', '蓝色', '黑色', '浅蓝色', '灰色', '粉色'] },
  { path: '男装/夹克', brands: ['七匹狼', '海澜之家', '杰克琼斯', '太平鸟', '优衣库'], lead: ['男装', '男士'], pre: ['立领', '工装', '飞行员', '连帽', '休闲'], post: ['外套', '春秋款', '宽松', '新款'], price: [199, 1299], colours: ['黑色', '卡其色', '藏青色', '军绿色', '灰色'] },
  { path: '男装/T恤', brands: ['优衣库', '海澜之家', '森马', '杰克琼斯', '李宁'], lead: ['男装', '男士'], pre: ['纯棉', '圆领', '短袖', '冰丝', '印花', 'POLO领'], post: ['夏季', '宽松', '半袖', '潮流'], price: [39, 299], colours: APPAREL_COLOURS },
  { path: '男装/休闲裤', brands: ['优衣库', '海澜之家', '七匹狼', '森马', '杰克琼斯'], lead: ['男装', '男士'], pre: ['直筒', '弹力', '工装', '束脚', '商务'], post: ['宽松', '长裤', '春秋款', '九分'], price: [99, 599], colours: ['黑色', '卡其色', '灰色', '藏青色', '军绿色'] },
  { path: '男装/卫衣', brands: ['优衣库', '森马', '李宁', '安踏', '杰克琼斯'], lead: ['男装', '男士'], pre: ['连帽', '圆领', '加绒', '纯棉', '宽松'], post: ['春秋新款', '潮牌', '上衣', '情侣款'], price: [99, 499], colours: APPAREL_COLOURS },
  { path: '男装/羽绒服', brands: ['波司登', '优衣库', '海澜之家', '雪中飞', '鸭鸭'], lead: ['男装', '男士'], pre: ['白鸭绒', '连帽', '轻薄', '加厚', '立领'], post: ['短款|长款', '冬季', '保暖外套'], price: [299, 2999], colours: ['黑色', '藏青色', '灰色', '军绿色', '白色'] },
  // 童装
  { path: '童装/套装', brands: ['巴拉巴拉', '安奈儿', '小猪班纳', '戴维贝拉', '英氏'], lead: ['儿童', '男童', '女童', '宝宝'], pre: ['纯棉', '卡通', '运动', '休闲', '家居服'], post: ['两件套', '春秋款|夏季', '中大童'], price: [69, 399], colours: ['粉色', '蓝色', '黄色', '白色', '灰色'] },
  { path: '童装/羽绒服', brands: ['巴拉巴拉', '安奈儿', '波司登', '小猪班纳'], lead: ['儿童', '男童', '女童'], pre: ['连帽', '加厚', '轻薄', '白鸭绒'], post: ['中长款', '冬季', '保暖', '中大童'], price: [199, 899], colours: ['粉色', '红色', '蓝色', '黑色', '黄色'] },
  { path: '童装/卫衣', brands: ['巴拉巴拉', '安奈儿', '小猪班纳', '戴维贝拉', '优衣库'], lead: ['儿童', '男童', '女童'], pre: ['卡通', '连帽', '加绒', '纯棉'], post: ['春秋款', '上衣', '宽松', '小童|中大童'], price: [59, 299], colours: ['粉色', '蓝色', '黄色', '白色', '灰色'] },
  // 鞋靴
  { path: '鞋靴/运动鞋', brands: ['李宁', '安踏', '耐克', '阿迪达斯', '特步', '361度', '斯凯奇'], lead: ['男款', '女款', '男女同款'], words: ['运动鞋', '跑步运动鞋', '休闲运动鞋'], pre: ['轻便', '透气', '减震', '网面', '缓震'], post: ['新款', '跑鞋', '厚底', '学生'], price: [199, 1299], colours: ['白色', '黑色', '灰色', '蓝色', '红色'] },
  { path: '鞋靴/高跟鞋', brands: ['百丽', '他她', '星期六', '达芙妮', '千百度'], lead: ['女鞋'], pre: ['尖头', '细跟', '粗跟', '玛丽珍', '漆皮'], post: ['单鞋', '春季新款', '通勤', '婚鞋'], price: [199, 899], colours: ['黑色', '裸色', '红色', '米白色', '银色'] },
  { path: '鞋靴/帆布鞋', brands: ['回力', '飞跃', '匡威', 'Vans'], lead: ['男女同款', '女款', '男款'], pre: ['经典', '高帮', '低帮', '厚底'], post: ['学生', '百搭', '小白鞋', '情侣款'], price: [59, 599], colours: ['白色', '黑色', '红色', '蓝色', '米白色'] },
  { path: '鞋靴/靴子', brands: ['百丽', '骆驼', '奥康', '红蜻蜓', '他她'], lead: ['女款', '男款'], words: ['靴子', '马丁靴子', '切尔西靴子'], pre: ['真皮', '加绒', '中筒', '短筒'], post: ['秋冬新款', '保暖', '防滑', '英伦风'], price: [259, 1299], colours: ['黑色', '棕色', '卡其色'] },
  // 箱包
  { path: '箱包/双肩包', brands: ['小米', '新秀丽', '威戈', '爱华仕', '迪卡侬'], lead: ['男女', '学生'], pre: ['大容量', '防水', '商务', '轻便', '旅行'], post: ['电脑包|书包', '15.6英寸', '通勤'], price: [79, 999], colours: BAG_COLOURS },
  { path: '箱包/拉杆箱', brands: ['新秀丽', '外交官', '地平线8号', '美旅', '小米'], lead: ['行李箱'], pre: ['铝框', 'PC', '静音万向轮', '密码锁'], post: ['20英寸登机箱|24英寸|28英寸', '大容量'], price: [199, 2999], colours: ['黑色', '银色', '白色', '蓝色', '粉色'] },
  { path: '箱包/手提包', brands: ['蔻驰', 'MK', '小CK', '稻草人', '金利来'], lead: ['女士', '女包'], pre: ['真皮', '托特', '单肩', '斜挎', '链条'], post: ['大容量', '通勤', '新款', '百搭'], price: [199, 3999], colours: BAG_COLOURS },
  { path: '箱包/钱包', brands: ['七匹狼', '金利来', '蔻驰', '稻草人', '花花公子'], lead: ['男士', '女士'], pre: ['真皮', '长款', '短款', '头层牛皮', '折叠'], post: ['卡包|零钱包', '礼盒装', '多卡位'], price: [59, 1299], colours: ['黑色', '棕色', '红色', '灰色'] },
  // 美妆
  { path: '美妆/口红', brands: ['迪奥', '雅诗兰黛', '完美日记', '花西子', '阿玛尼', '圣罗兰', '兰蔻'], pre: ['哑光', '丝绒', '滋润', '水光', '持久'], post: ['正红色|豆沙色|番茄色|#999', '礼盒装'], price: [59, 459] },
  { path: '美妆/面膜', brands: ['自然堂', '百雀羚', '一叶子', '珀莱雅', '美迪惠尔', '佰草集'], pre: ['补水', '保湿', '玻尿酸', '美白', '舒缓', '睡眠'], post: ['10片装|30片', '女士|男女通用'], price: [29, 299] },
  { path: '美妆/粉底液', brands: ['雅诗兰黛', '阿玛尼', '花西子', '完美日记', '兰蔻', '迪奥'], pre: ['持妆', '遮瑕', '控油', '保湿', '轻薄'], post: ['30ml', '干皮|油皮', '自然色'], price: [99, 699] },
  { path: '美妆/香水', brands: ['香奈儿', '迪奥', '祖玛珑', '兰蔻', '古驰'], pre: ['淡香', '浓香', '花香调', '木质调', '清新'], post: ['50ml|100ml', '礼盒', '女士|男士'], price: [299, 1899] },
  { path: '美妆/眼影', brands: ['完美日记', '花西子', '3CE', '橘朵', '珂拉琪'], words: ['眼影盘', '眼影'], pre: ['大地色', '珠光', '哑光', '九色', '十二色'], post: ['新手', '日常', '持久', '不飞粉'], price: [39, 499] },
  // 个护
  { path: '个护/洗发水', brands: ['海飞丝', '潘婷', '清扬', '阿道夫', '飘柔', '滋源'], pre: ['去屑', '控油', '蓬松', '无硅油', '修护'], post: ['750ml|500ml', '家庭装', '男女'], price: [29, 199] },
  { path: '个护/沐浴露', brands: ['舒肤佳', '六神', '力士', '多芬', '宝宝金水'], pre: ['持久留香', '清爽', '滋润', '沐浴乳', '氨基酸'], post: ['1L|720ml', '家庭装', '男士'], price: [29, 129] },
  { path: '个护/牙膏', brands: ['云南白药', '高露洁', '舒适达', '黑人', '冷酸灵'], pre: ['美白', '清新口气', '抗敏感', '护龈', '薄荷'], post: ['120g|3支装', '家庭装'], price: [19, 99] },
  { path: '个护/电动牙刷', brands: ['飞利浦', '欧乐B', '小米', 'usmile', '舒客'], pre: ['声波', '智能', '充电式', '软毛', '旋转式'], post: ['成人', '情侣套装', '长续航', '送刷头'], price: [99, 1299], colours: ['白色', '黑色', '粉色', '蓝色'] },
  // 数码
  {
    path: '数码/手机', brands: ['小米', '华为', '苹果', 'OPPO', 'vivo', '荣耀', '一加'], pre: [], words: ['5G手机', '手机', '智能手机'],
    post: ['8GB+256GB|12GB+256GB|12GB+512GB|16GB+1TB', '全网通'], price: [999, 8999], colours: ['黑色', '白色', '蓝色', '绿色', '紫色', '银色'],
    models: { 小米: ['14', '14 Pro', 'Redmi K70', 'Redmi Note 13'], 华为: ['Mate 60 Pro', 'P70', 'nova 12', 'Pura 70'], 苹果: ['iPhone 15', 'iPhone 15 Pro', 'iPhone 15 Pro Max'], OPPO: ['Find X7', 'Reno 11', 'A2'], vivo: ['X100', 'S18', 'iQOO 12'], 荣耀: ['Magic6', '100', 'X50'], 一加: ['12', 'Ace 3'] },
  },
  {
    path: '数码/耳机', brands: ['华为', '小米', '苹果', '索尼', '漫步者', '倍思'], pre: ['真无线', '降噪', '运动', '入耳式'], words: ['蓝牙耳机', '耳机', '无线耳机'],
    post: ['主动降噪', '长续航', '游戏低延迟', '新款'], price: [79, 2999], colours: ['白色', '黑色', '蓝色'],
    models: { 华为: ['FreeBuds Pro 3', 'FreeBuds 5i'], 小米: ['Redmi Buds 5', 'Buds 4 Pro'], 苹果: ['AirPods Pro', 'AirPods 3'], 索尼: ['WF-1000XM5', 'WF-C700N'], 漫步者: ['Lolli Pro 2', 'NeoBuds Pro'], 倍思: ['Bowie', 'WM02'] },
  },
  {
    path: '数码/平板电脑', brands: ['华为', '苹果', '小米', '联想'], pre: [], words: ['平板电脑'], post: ['8GB+128GB|8GB+256GB', 'WiFi版', '学习办公'], price: [999, 7999],
    colours: ['灰色', '银色', '蓝色'], models: { 华为: ['MatePad 11', 'MatePad Pro'], 苹果: ['iPad Air', 'iPad mini', 'iPad Pro'], 小米: ['平板6', 'Redmi Pad'], 联想: ['小新Pad', '拯救者Y700'] },
  },
  {
    path: '数码/智能手表', brands: ['华为', '小米', '苹果', '佳明', '荣耀'], pre: ['运动', '血氧心率', 'eSIM独立通话', 'GPS'], words: ['智能手表'], post: ['男女', '长续航', '防水', '新款'], price: [299, 5999],
    colours: ['黑色', '银色', '白色'], models: { 华为: ['WATCH GT 4', 'WATCH 4'], 小米: ['Watch S3', 'Watch 2 Pro'], 苹果: ['Watch S9', 'Watch SE'], 佳明: ['Forerunner 265', 'fenix 7'], 荣耀: ['手表4', 'GS 3'] },
  },
  { path: '数码/充电宝', brands: ['小米', '倍思', '安克', '罗马仕', '品胜'], pre: ['20000毫安', '10000毫安', '磁吸', '快充', '超薄'], post: ['移动电源', '22.5W', '便携', '大容量'], price: [59, 399], colours: ['白色', '黑色', '蓝色'] },
  // 家电
  { path: '家电/电饭煲', brands: ['美的', '苏泊尔', '九阳', '象印', '小米'], pre: ['智能', 'IH', '球釜', '迷你'], post: ['4L|3L|5L', '家用', '预约'], price: [149, 1999] },
  { path: '家电/空气炸锅', brands: ['美的', '九阳', '小熊', '苏泊尔', '飞利浦'], pre: ['可视', '大容量', '无油', '智能'], post: ['5L|6.5L', '家用', '多功能'], price: [199, 999] },
  { path: '家电/吸尘器', brands: ['戴森', '小米', '追觅', '美的', '石头'], pre: ['无线', '手持', '大吸力', '除螨'], post: ['家用', '车载', '长续航', '新款'], price: [299, 4999] },
  { path: '家电/电风扇', brands: ['美的', '格力', '艾美特', '小米', '先锋'], pre: ['落地', '台式', '静音', '直流变频', '遥控'], post: ['家用', '宿舍', '七叶', '摇头'], price: [99, 699], colours: ['白色', '黑色'] },
  { path: '家电/吹风机', brands: ['戴森', '飞利浦', '松下', '小米', '徕芬'], pre: ['负离子', '高速', '大功率', '静音', '折叠'], post: ['家用', '护发', '速干', '便携'], price: [99, 3299], colours: ['白色', '黑色', '粉色', '紫色'] },
  // 食品
  { path: '食品/零食', brands: ['三只松鼠', '良品铺子', '百草味', '来伊份', '卫龙'], words: ['零食大礼包', '零食', '休闲零食'], pre: ['网红', '办公室', '解馋', '麻辣'], post: ['整箱|1kg|30包', '送女友'], price: [29, 199] },
  { path: '食品/坚果', brands: ['三只松鼠', '良品铺子', '百草味', '洽洽'], words: ['每日坚果', '混合坚果', '坚果'], pre: ['原味', '烘焙', '无添加'], post: ['750g/30袋|礼盒|整箱', '孕妇'], price: [39, 259] },
  { path: '食品/茶叶', brands: ['八马', '大益', '竹叶青', '艺福堂', '中茶'], words: ['茶叶', '明前茶叶'], pre: ['西湖龙井', '铁观音', '普洱', '碧螺春', '大红袍'], post: ['礼盒装|250g', '2026新茶', '浓香型'], price: [59, 1299] },
  { path: '食品/咖啡', brands: ['雀巢', '三顿半', '瑞幸', '隅田川', '星巴克'], words: ['咖啡', '速溶咖啡', '挂耳咖啡'], pre: ['美式', '冻干', '黑咖啡', '拿铁', '冷萃'], post: ['24颗|50条', '盒装', '无糖'], price: [29, 299] },
  { path: '食品/牛奶', brands: ['伊利', '蒙牛', '特仑苏', '光明', '认养一头牛'], words: ['纯牛奶', '牛奶', '有机牛奶'], pre: ['全脂', '低脂', '高钙'], post: ['250ml×24盒|整箱|礼盒装'], price: [39, 129] },
  // 家居
  { path: '家居/四件套', brands: ['罗莱', '富安娜', '水星家纺', '梦洁', '网易严选'], words: ['床上四件套', '四件套'], pre: ['全棉', '纯棉', '天丝', '磨毛', '长绒棉'], post: ['1.8m床|1.5m床', '被套床单', '简约'], price: [199, 1999], colours: ['白色', '灰色', '蓝色', '粉色', '绿色'] },
  { path: '家居/枕头', brands: ['罗莱', '富安娜', '水星家纺', '网易严选', '8H'], words: ['枕头', '枕芯'], pre: ['乳胶', '记忆棉', '羽绒', '护颈', '荞麦'], post: ['一对装|单人', '成人', '助眠'], price: [59, 699] },
  { path: '家居/收纳箱', brands: ['茶花', '禧天龙', '网易严选', '天马', '爱丽思'], pre: ['塑料', '透明', '折叠', '大号', '布艺'], post: ['衣物整理', '3个装', '带盖', '家用'], price: [29, 299], colours: ['白色', '灰色', '透明', '蓝色'] },
  { path: '家居/毛巾', brands: ['洁丽雅', '金号', '三利', '网易严选'], words: ['毛巾', '浴巾'], pre: ['纯棉', '加厚', '吸水', '长绒棉', '儿童'], post: ['3条装', '家用', '柔软', '礼盒'], price: [19, 199], colours: ['白色', '灰色', '蓝色', '粉色'] },
  // 运动户外
  { path: '运动户外/瑜伽垫', brands: ['Keep', '李宁', '迪卡侬', '奥义'], pre: ['加厚', '防滑', 'TPE', '加宽', '天然橡胶'], post: ['家用', '健身垫', '10mm', '初学者'], price: [49, 499], colours: ['紫色', '粉色', '蓝色', '绿色', '灰色'] },
  { path: '运动户外/篮球', brands: ['斯伯丁', '李宁', '威尔胜', '摩腾', '安踏'], words: ['篮球'], pre: ['7号', '室外', '耐磨', '比赛', 'PU'], post: ['成人|学生', '训练', '正品'], price: [99, 699] },
  { path: '运动户外/帐篷', brands: ['牧高笛', '骆驼', '探路者', '迪卡侬', '北面'], pre: ['自动', '速开', '防雨', '露营', '双层'], post: ['3-4人', '户外', '野营', '便携'], price: [199, 2999], colours: ['绿色', '卡其色', '灰色', '蓝色'] },
  { path: '运动户外/冲锋衣', brands: ['探路者', '骆驼', '北面', '凯乐石', '迪卡侬'], lead: ['男款', '女款', '男女'], pre: ['三合一', '防水', '防风', '硬壳', '抓绒'], post: ['户外', '登山服', '秋冬', '外套'], price: [299, 2999], colours: ['黑色', '蓝色', '红色', '绿色', '灰色'] },
  { path: '运动户外/跳绳', brands: ['李宁', 'Keep', '迪卡侬', '安踏'], words: ['跳绳', '计数跳绳'], pre: ['无绳', '负重', '钢丝', '专业'], post: ['健身', '中考|学生|成人'], price: [19, 199], colours: ['黑色', '粉色', '蓝色'] },
];

/** Chinese prices end in 9: 29.9, 199, 1999. */
function charm(yuan: number): number {
  if (yuan < 50) return Math.floor(yuan) + 0.9;
  if (yuan < 1000) return Math.max(49, Math.round(yuan / 10) * 10 - 1);
  return Math.round(yuan / 100) * 100 - 1;
}

/** Skewed to the cheaper end, as catalogues are. */
function priceIn(rng: Rng, [min, max]: readonly [number, number]): number {
  return charm(min * Math.pow(max / min, Math.pow(rng.next(), 1.4)));
}

export interface DemoProduct {
  readonly sku: string;
  readonly title: string;
  readonly category: string;
  readonly price: number;
  readonly originalPrice: number | null;
  readonly brand: string;
  readonly tags: readonly string[];
  readonly stock: number;
  readonly imageUrl: string;
  readonly url: string;
}

function productTitle(rng: Rng, leaf: LeafSpec, brand: string, colour: string | null): string {
  const leafName = leaf.path.split('/')[1]!;
  const word = rng.pick(leaf.words ?? [leafName]);
  const model = leaf.models?.[brand];
  const parts: string[] = [brand];
  if (model) parts.push(rng.pick(model));
  if (leaf.lead && rng.chance(0.8)) parts.push(rng.pick(leaf.lead));
  const pre = leaf.pre.length > 0 && rng.chance(0.9) ? rng.pick(leaf.pre) : '';
  parts.push(pre + word);
  parts.push(...rng.some(leaf.post, rng.int(1, 2)).map((w) => rng.pick(w.split('|'))));
  if (colour) parts.push(colour);
  return parts.join(' ');
}

/**
 * `count` products spread evenly over the leaf categories.
 * @example generateProducts(3, DEMO_SEED)[0]!.category // '女装/连衣裙'
 */
export function generateProducts(count: number, seed = DEMO_SEED): DemoProduct[] {
  const rng = prng(seed);
  const out: DemoProduct[] = [];
  for (let i = 0; i < count; i++) {
    const leaf = LEAVES[i % LEAVES.length]!;
    const brand = rng.pick(leaf.brands);
    const colour = leaf.colours && rng.chance(0.85) ? rng.pick(leaf.colours) : null;
    const title = productTitle(rng, leaf, brand, colour);
    const price = priceIn(rng, leaf.price);
    const originalPrice = rng.chance(0.4) ? Math.max(charm(price * (1.2 + rng.next() * 0.8)), price + 10) : null;
    const sku = `P${String(i + 1).padStart(count >= 100_000 ? 7 : 5, '0')}`;
    const tags = [...new Set([colour, ...rng.some([...leaf.pre, ...leaf.post.flatMap((w) => w.split('|'))].filter((w) => title.includes(w)), 2), rng.chance(0.15) ? '包邮' : null, rng.chance(0.1) ? '新品' : null])].filter(
      (t): t is string => t !== null && t !== '',
    );
    out.push({
      sku,
      title,
      category: leaf.path,
      price,
      originalPrice,
      brand,
      tags,
      stock: rng.chance(0.05) ? 0 : rng.int(1, 500),
      imageUrl: `https://shop.example.com/img/${sku}.jpg`,
      url: `https://shop.example.com/p/${sku}`,
    });
  }
  return out;
}

export const PRODUCT_COLUMNS = ['sku', 'title', 'category', 'price', 'original_price', 'brand', 'tags', 'stock', 'image_url', 'url'] as const;

export const productRow = (p: DemoProduct): (string | number | null)[] => [
  p.sku, p.title, p.category, p.price, p.originalPrice, p.brand, p.tags.join('|'), p.stock, p.imageUrl, p.url,
];

// ───────────────────────────────────────────── places ─────────────────────────────────────────────

interface Area {
  readonly name: string;
  readonly district: string;
  /** GCJ-02 centre of the business district. */
  readonly lat: number;
  readonly lng: number;
  readonly streets: readonly string[];
}

interface City {
  readonly name: string;
  readonly phone: string;
  readonly areas: readonly Area[];
}

const CITIES: readonly City[] = [
  {
    name: '上海', phone: '021', areas: [
      { name: '人民广场', district: '黄浦区', lat: 31.2317, lng: 121.4726, streets: ['西藏中路', '南京东路', '九江路', '福州路'] },
      { name: '陆家嘴', district: '浦东新区', lat: 31.2397, lng: 121.4998, streets: ['东方路', '浦东南路', '世纪大道', '崂山路'] },
      { name: '徐家汇', district: '徐汇区', lat: 31.1955, lng: 121.4375, streets: ['漕溪北路', '虹桥路', '天钥桥路', '衡山路'] },
      { name: '静安寺', district: '静安区', lat: 31.2235, lng: 121.4452, streets: ['南京西路', '愚园路', '常德路', '延安中路'] },
      { name: '虹桥', district: '闵行区', lat: 31.1943, lng: 121.3206, streets: ['申长路', '甬虹路', '申虹路', '润虹路'] },
      { name: '五角场', district: '杨浦区', lat: 31.299, lng: 121.5141, streets: ['淞沪路', '国定路', '翔殷路', '政通路'] },
    ],
  },
  {
    name: '北京', phone: '010', areas: [
      { name: '王府井', district: '东城区', lat: 39.911, lng: 116.41, streets: ['王府井大街', '金鱼胡同', '东安门大街', '灯市口大街'] },
      { name: '国贸', district: '朝阳区', lat: 39.9087, lng: 116.4605, streets: ['建国门外大街', '光华路', '东三环中路', '景华南街'] },
      { name: '中关村', district: '海淀区', lat: 39.9835, lng: 116.316, streets: ['中关村大街', '海淀大街', '知春路', '苏州街'] },
      { name: '三里屯', district: '朝阳区', lat: 39.933, lng: 116.454, streets: ['三里屯路', '工人体育场北路', '幸福村中路', '新东路'] },
      { name: '西单', district: '西城区', lat: 39.907, lng: 116.374, streets: ['西单北大街', '宣武门内大街', '灵境胡同', '西绒线胡同'] },
      { name: '北京南站', district: '丰台区', lat: 39.865, lng: 116.3785, streets: ['永定门外大街', '马家堡东路', '南站路', '洋桥西里'] },
    ],
  },
  {
    name: '广州', phone: '020', areas: [
      { name: '体育西', district: '天河区', lat: 23.133, lng: 113.323, streets: ['体育西路', '天河路', '体育东路', '天河北路'] },
      { name: '北京路', district: '越秀区', lat: 23.125, lng: 113.27, streets: ['北京路', '中山五路', '文明路', '惠福东路'] },
      { name: '珠江新城', district: '天河区', lat: 23.119, lng: 113.324, streets: ['花城大道', '华夏路', '金穗路', '珠江东路'] },
      { name: '广州火车站', district: '越秀区', lat: 23.149, lng: 113.257, streets: ['环市西路', '解放北路', '站南路', '站前路'] },
      { name: '琶洲', district: '海珠区', lat: 23.099, lng: 113.366, streets: ['新港东路', '阅江中路', '琶洲大道'] },
    ],
  },
  {
    name: '深圳', phone: '0755', areas: [
      { name: '福田CBD', district: '福田区', lat: 22.541, lng: 114.058, streets: ['深南大道', '福华路', '金田路', '益田路'] },
      { name: '华强北', district: '福田区', lat: 22.544, lng: 114.088, streets: ['华强北路', '振华路', '深南中路', '燕南路'] },
      { name: '罗湖口岸', district: '罗湖区', lat: 22.532, lng: 114.118, streets: ['人民南路', '建设路', '嘉宾路', '春风路'] },
      { name: '科技园', district: '南山区', lat: 22.54, lng: 113.953, streets: ['科苑路', '高新南一道', '深南大道', '科技中二路'] },
      { name: '宝安中心', district: '宝安区', lat: 22.555, lng: 113.883, streets: ['新安六路', '宝安大道', '创业一路', '新湖路'] },
    ],
  },
  {
    name: '杭州', phone: '0571', areas: [
      { name: '西湖湖滨', district: '上城区', lat: 30.257, lng: 120.163, streets: ['延安路', '平海路', '湖滨路', '东坡路'] },
      { name: '武林广场', district: '拱墅区', lat: 30.274, lng: 120.164, streets: ['体育场路', '环城北路', '中山北路', '武林路'] },
      { name: '钱江新城', district: '上城区', lat: 30.246, lng: 120.211, streets: ['富春路', '新业路', '市民街', '民心路'] },
      { name: '杭州东站', district: '上城区', lat: 30.291, lng: 120.213, streets: ['天城路', '新塘路', '东宁路', '全福桥路'] },
      { name: '滨江', district: '滨江区', lat: 30.208, lng: 120.211, streets: ['江南大道', '滨盛路', '长河路', '江汉路'] },
    ],
  },
  {
    name: '成都', phone: '028', areas: [
      { name: '春熙路', district: '锦江区', lat: 30.657, lng: 104.081, streets: ['春熙路', '总府路', '红星路', '暑袜北街'] },
      { name: '天府广场', district: '青羊区', lat: 30.657, lng: 104.066, streets: ['人民南路', '顺城大街', '东御街', '西御街'] },
      { name: '宽窄巷子', district: '青羊区', lat: 30.67, lng: 104.053, streets: ['长顺上街', '金河路', '下同仁路', '同仁路'] },
      { name: '高新区', district: '武侯区', lat: 30.545, lng: 104.066, streets: ['天府大道', '天府三街', '益州大道', '锦城大道'] },
      { name: '成都东站', district: '成华区', lat: 30.629, lng: 104.141, streets: ['邛崃山路', '迎晖路', '双庆路', '成渝立交'] },
    ],
  },
];

/** A point within ~`km` of a centre (a little denser near it). 0.009° of latitude ≈ 1 km. */
function near(rng: Rng, area: Area, km: number): { lat: number; lng: number } {
  const r = (km / 111) * Math.sqrt(rng.next());
  const angle = rng.next() * 2 * Math.PI;
  const lat = area.lat + r * Math.cos(angle);
  const lng = area.lng + (r * Math.sin(angle)) / Math.cos((area.lat * Math.PI) / 180);
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

const address = (rng: Rng, area: Area): string => `${area.district}${rng.pick(area.streets)}${rng.int(1, 999)}号`;

// ───────────────────────────────────────────── hotels ─────────────────────────────────────────────

interface Chain {
  readonly name: string;
  readonly price: readonly [number, number];
  readonly stars: number;
  readonly rating: readonly [number, number];
}

const CHAINS: readonly Chain[] = [
  { name: '如家酒店', price: [150, 260], stars: 2, rating: [3.5, 4.4] },
  { name: '汉庭酒店', price: [160, 280], stars: 2, rating: [3.6, 4.5] },
  { name: '7天连锁酒店', price: [150, 240], stars: 2, rating: [3.5, 4.3] },
  { name: '锦江之星', price: [160, 270], stars: 2, rating: [3.6, 4.4] },
  { name: '格林豪泰酒店', price: [150, 260], stars: 2, rating: [3.5, 4.3] },
  { name: '全季酒店', price: [320, 560], stars: 3, rating: [4.3, 4.8] },
  { name: '亚朵酒店', price: [380, 680], stars: 4, rating: [4.5, 4.9] },
  { name: '桔子酒店', price: [330, 580], stars: 3, rating: [4.3, 4.8] },
  { name: '维也纳酒店', price: [280, 520], stars: 3, rating: [4.1, 4.7] },
  { name: '智选假日酒店', price: [360, 620], stars: 3, rating: [4.3, 4.8] },
  { name: '喜来登酒店', price: [800, 1200], stars: 5, rating: [4.5, 4.9] },
  { name: '皇冠假日酒店', price: [700, 1150], stars: 5, rating: [4.4, 4.9] },
];

const HOTEL_TAGS = ['免费WiFi', '近地铁', '含早餐', '免费停车', '健身房', '24小时前台', '行李寄存', '亲子房', '商务中心'];

export interface DemoHotel {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly lat: number;
  readonly lng: number;
  readonly district: string;
  readonly address: string;
  readonly price: number;
  readonly rating: number;
  readonly stars: number;
  readonly phone: string;
  readonly url: string;
  readonly imageUrl: string;
  readonly tags: readonly string[];
}

/** Six hotels per business district (six different chains), 32 districts in 6 cities. */
export function generateHotels(seed = DEMO_SEED): DemoHotel[] {
  const rng = prng(seed + 1);
  const out: DemoHotel[] = [];
  for (const city of CITIES) {
    for (const area of city.areas) {
      const chains = [...CHAINS];
      for (let k = 0; k < 6; k++) {
        const chain = chains.splice(rng.int(0, chains.length - 1), 1)[0]!;
        const id = `H${String(out.length + 1).padStart(4, '0')}`;
        out.push({
          id,
          name: `${chain.name}(${city.name}${area.name}店)`,
          city: city.name,
          ...near(rng, area, 1.5),
          district: area.district,
          address: address(rng, area),
          price: rng.int(chain.price[0] / 10 + 1, chain.price[1] / 10) * 10 - (rng.chance(0.5) ? 1 : 0),
          rating: Math.round((chain.rating[0] + rng.next() * (chain.rating[1] - chain.rating[0])) * 10) / 10,
          stars: chain.stars,
          phone: `${city.phone}-${rng.int(5, 8)}${String(rng.int(0, 9999999)).padStart(7, '0')}`,
          url: `https://shop.example.com/h/${id}`,
          imageUrl: `https://shop.example.com/img/h/${id}.jpg`,
          tags: rng.some(HOTEL_TAGS, rng.int(2, 4)),
        });
      }
    }
  }
  return out;
}

export const HOTEL_COLUMNS = ['id', 'name', 'city', 'lat', 'lng', 'district', 'address', 'price', 'rating', 'stars', 'phone', 'url', 'image_url', 'tags'] as const;

export const hotelRow = (h: DemoHotel): (string | number | null)[] => [
  h.id, h.name, h.city, h.lat, h.lng, h.district, h.address, h.price, h.rating, h.stars, h.phone, h.url, h.imageUrl, h.tags.join('|'),
];

// ───────────────────────────────────────────── deals ─────────────────────────────────────────────

interface DealSpec {
  readonly category: string;
  readonly merchant: string;
  readonly title: string;
  readonly price: readonly [number, number];
}

const DEAL_SPECS: readonly DealSpec[] = [
  { category: '美食', merchant: '海底捞火锅', title: '海底捞 4人套餐', price: [368, 458] },
  { category: '美食', merchant: '海底捞火锅', title: '海底捞 双人套餐', price: [198, 258] },
  { category: '美食', merchant: '西贝莜面村', title: '西贝莜面村 3-4人餐', price: [288, 358] },
  { category: '美食', merchant: '外婆家', title: '外婆家 双人餐', price: [118, 158] },
  { category: '美食', merchant: '必胜客', title: '必胜客 超值双人套餐', price: [129, 169] },
  { category: '美食', merchant: '太二酸菜鱼', title: '太二酸菜鱼 2-3人餐', price: [168, 208] },
  { category: '美食', merchant: '绿茶餐厅', title: '绿茶餐厅 4人餐', price: [228, 288] },
  { category: '美食', merchant: '木屋烧烤', title: '木屋烧烤 4人畅享套餐', price: [258, 318] },
  { category: '美食', merchant: '星巴克', title: '星巴克 大杯饮品券', price: [29, 35] },
  { category: '美食', merchant: '喜茶', title: '喜茶 双杯饮品券', price: [39, 49] },
  { category: '电影', merchant: '万达影城', title: '万达影城 单人观影券', price: [35, 45] },
  { category: '电影', merchant: '万达影城', title: '万达影城 IMAX 双人观影券', price: [99, 129] },
  { category: '电影', merchant: 'CGV影城', title: 'CGV影城 双人观影券', price: [69, 89] },
  { category: '电影', merchant: '金逸影城', title: '金逸影城 单人2D/3D通兑券', price: [33, 42] },
  { category: 'KTV', merchant: '好乐迪KTV', title: '好乐迪KTV 欢唱3小时 中包', price: [98, 168] },
  { category: 'KTV', merchant: '纯K', title: '纯K 午场欢唱4小时 小包', price: [58, 88] },
  { category: 'KTV', merchant: '唱吧麦颂KTV', title: '唱吧麦颂KTV 黄金场 中包+果盘', price: [128, 198] },
  { category: '丽人', merchant: '小红唇美甲', title: '小红唇美甲 日式单色美甲', price: [68, 98] },
  { category: '丽人', merchant: '永琪美容美发', title: '永琪美容美发 洗剪吹套餐', price: [38, 68] },
  { category: '丽人', merchant: '思妍丽', title: '思妍丽 面部深层补水护理', price: [168, 298] },
  { category: '亲子', merchant: '奈尔宝家庭中心', title: '奈尔宝家庭中心 亲子畅玩票', price: [168, 238] },
  { category: '亲子', merchant: '汤姆熊欢乐世界', title: '汤姆熊欢乐世界 200币套餐', price: [88, 128] },
  { category: '亲子', merchant: '乐高探索中心', title: '乐高探索中心 1大1小门票', price: [198, 268] },
  { category: '休闲娱乐', merchant: '谜题密室逃脱', title: '谜题密室逃脱 4人主题场', price: [256, 356] },
  { category: '休闲娱乐', merchant: '御足堂足道', title: '御足堂足道 中式足疗60分钟', price: [98, 158] },
  { category: '休闲娱乐', merchant: '我是谜剧本杀', title: '我是谜剧本杀 6人本 单人票', price: [88, 128] },
];

export interface DemoDeal {
  readonly id: string;
  readonly title: string;
  readonly city: string;
  readonly price: number;
  readonly originalPrice: number;
  readonly merchant: string;
  readonly district: string;
  readonly category: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly stock: number;
  readonly url: string;
  readonly imageUrl: string;
  readonly lat: number;
  readonly lng: number;
}

const iso = (y: number, m: number, d: number, time: string): string =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${time}+08:00`;

/** Five deals per business district (160 in all): ~10% expired before 2026-10, ~5% sold out, the rest live until 2027–2028. */
export function generateDeals(seed = DEMO_SEED): DemoDeal[] {
  const rng = prng(seed + 2);
  const out: DemoDeal[] = [];
  for (const city of CITIES) {
    for (const area of city.areas) {
      const used = new Set<string>();
      for (let k = 0; k < 5; k++) {
        let spec = rng.pick(DEAL_SPECS);
        while (used.has(spec.title)) spec = rng.pick(DEAL_SPECS);
        used.add(spec.title);
        const id = `D${String(out.length + 1).padStart(4, '0')}`;
        const n = out.length;
        const expired = n % 10 === 3;
        const soldOut = !expired && n % 20 === 7;
        const price = rng.int(spec.price[0], spec.price[1]);
        const startsAt = expired ? iso(2025, rng.int(1, 12), rng.int(1, 28), '00:00:00') : iso(rng.int(2025, 2026), rng.int(1, 6), rng.int(1, 28), '00:00:00');
        const endsAt = expired ? iso(2026, rng.int(1, 9), rng.int(1, 28), '23:59:59') : iso(rng.int(2027, 2028), rng.int(3, 12), rng.int(1, 28), '23:59:59');
        out.push({
          id,
          title: spec.title,
          city: city.name,
          price,
          originalPrice: Math.round((price * (1.25 + rng.next() * 0.6)) / 10) * 10 + 8,
          merchant: `${spec.merchant}(${area.name}店)`,
          district: area.district,
          category: spec.category,
          startsAt,
          endsAt,
          stock: soldOut ? 0 : rng.int(20, 2000),
          url: `https://shop.example.com/d/${id}`,
          imageUrl: `https://shop.example.com/img/d/${id}.jpg`,
          ...near(rng, area, 1.2),
        });
      }
    }
  }
  return out;
}

export const DEAL_COLUMNS = [
  'id', 'title', 'city', 'price', 'original_price', 'merchant', 'district', 'category', 'starts_at', 'ends_at', 'stock', 'url', 'image_url', 'lat', 'lng',
] as const;

export const dealRow = (d: DemoDeal): (string | number | null)[] => [
  d.id, d.title, d.city, d.price, d.originalPrice, d.merchant, d.district, d.category, d.startsAt, d.endsAt, d.stock, d.url, d.imageUrl, d.lat, d.lng,
];

// ───────────────────────────────────────────── output ─────────────────────────────────────────────

const csvValue = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV with a header row and `\n` line ends. */
export function toCsv(columns: readonly string[], rows: Iterable<(string | number | null)[]>): string {
  let out = columns.join(',') + '\n';
  for (const row of rows) out += row.map(csvValue).join(',') + '\n';
  return out;
}

export const DEMO_PRODUCT_COUNT = 1650;

/** Writes the three demo files into `dir`; returns their paths and row counts. */
export function writeDemoData(dir: string): { file: string; rows: number }[] {
  mkdirSync(dir, { recursive: true });
  const products = generateProducts(DEMO_PRODUCT_COUNT);
  const hotels = generateHotels();
  const deals = generateDeals();
  const files = [
    { file: path.join(dir, 'products.csv'), text: toCsv(PRODUCT_COLUMNS, products.map(productRow)), rows: products.length },
    { file: path.join(dir, 'hotels.csv'), text: toCsv(HOTEL_COLUMNS, hotels.map(hotelRow)), rows: hotels.length },
    { file: path.join(dir, 'deals.csv'), text: toCsv(DEAL_COLUMNS, deals.map(dealRow)), rows: deals.length },
  ];
  for (const f of files) writeFileSync(f.file, f.text);
  return files.map(({ file, rows }) => ({ file, rows }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dir = process.argv[2] ?? path.resolve(import.meta.dirname, '../data');
  for (const { file, rows } of writeDemoData(dir)) console.log(`${file}: ${rows} rows`);
}
