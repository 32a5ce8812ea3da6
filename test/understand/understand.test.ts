import { describe, expect, it } from 'vitest';
import { excludesAny, type Audience, type Intent, type PriceRange, type Sort } from '../../src/search/types.ts';
import { createUnderstander } from '../../src/search/understand/understand.ts';
import { buildVocabulary } from '../../src/search/understand/vocabulary.ts';
import { CATALOGUE, fixtureVocabulary } from './fixture.ts';

const { understand } = createUnderstander(fixtureVocabulary());

const DRESS = '女装/连衣裙';
const SKIRT = '女装/半身裙';
const SHOES = ['鞋靴/运动鞋', '鞋靴/帆布鞋', '鞋靴/靴子', '鞋靴/高跟鞋'];
const TEES = ['女装/T恤', '男装/T恤'];
const max = (yuan: number): PriceRange => ({ minFen: null, maxFen: yuan * 100 });
const min = (yuan: number): PriceRange => ({ minFen: yuan * 100, maxFen: null });
const range = (low: number, high: number): PriceRange => ({ minFen: low * 100, maxFen: high * 100 });
/** 「X左右」 is X ± 20 %. */
const around = (yuan: number): PriceRange => ({ minFen: Math.round(yuan * 80), maxFen: Math.round(yuan * 120) });

interface Expected {
  /** Exactly these paths, in any order. */
  categories?: readonly string[];
  brands?: readonly string[];
  audience?: Audience | null;
  /** At least these. */
  attributes?: readonly string[];
  price?: PriceRange | null;
  relativePrice?: 'cheaper' | 'pricier' | null;
  sort?: Sort | null;
  city?: string | null;
  /** The place's name (陆家嘴), or null for none. */
  place?: string | null;
  hotel?: boolean;
  deal?: boolean;
  dealCategory?: string | null;
  /** At least these. */
  keywords?: readonly string[];
  /** Corrected to these words (at least). */
  correctedTo?: readonly string[];
}

type Case = readonly [text: string, intent: Intent, expected: Expected];

/** Messages as followers type them, with the slots that matter for each. */
const CASES: readonly Case[] = [
  // The issue's own examples.
  ['上海酒店', 'hotel', { city: '上海', hotel: true }],
  ['北京团购', 'deal', { city: '北京', deal: true }],
  ['深圳 美食', 'deal', { city: '深圳', dealCategory: '美食', deal: true }],
  ['200元以下的连衣裙', 'product', { categories: [DRESS], price: max(200) }],
  ['裙子', 'product', { categories: [DRESS, SKIRT] }],
  ['男士衬衫', 'product', { categories: ['男装/衬衫'], audience: 'men' }],
  ['nvzhuang', 'product', { categories: ['女装'], correctedTo: ['女装'] }],
  ['連衣裙', 'product', { categories: [DRESS] }],
  ['👗连衣裙！！', 'product', { categories: [DRESS] }],
  ['红色的连衣裙 300以内', 'product', { categories: [DRESS], attributes: ['红色'], price: max(300) }],

  // Categories, one-to-many and synonyms.
  ['鞋', 'product', { categories: SHOES }],
  ['想买双鞋子', 'product', { categories: SHOES }],
  ['连衣裙', 'product', { categories: [DRESS] }],
  ['裙装', 'product', { categories: [DRESS] }],
  ['半身裙', 'product', { categories: [SKIRT] }],
  ['百褶裙', 'product', { categories: [SKIRT] }],
  ['T恤', 'product', { categories: TEES }],
  ['体恤', 'product', { categories: TEES }],
  ['短袖', 'product', { categories: TEES }],
  ['短袖衬衫', 'product', { categories: ['女装/衬衫', '男装/衬衫'], attributes: ['短袖'] }],
  ['卫衣', 'product', { categories: ['男装/卫衣', '童装/卫衣'] }],
  ['羽绒服', 'product', { categories: ['女装/羽绒服', '男装/羽绒服', '童装/羽绒服'] }],
  ['跑鞋', 'product', { categories: ['鞋靴/运动鞋'] }],
  ['球鞋', 'product', { categories: ['鞋靴/运动鞋'] }],
  ['手机', 'product', { categories: ['数码/手机'] }],
  ['蓝牙耳机', 'product', { categories: ['数码/耳机'] }],
  ['口红', 'product', { categories: ['美妆/口红'] }],
  ['唇膏推荐一下', 'product', { categories: ['美妆/口红'] }],
  ['有没有零食', 'product', { categories: ['食品/零食'] }],
  ['双肩包', 'product', { categories: ['箱包/双肩包'] }],
  ['电饭锅', 'product', { categories: ['家电/电饭煲'] }],
  ['女装', 'product', { categories: ['女装'], audience: 'women' }],
  ['行李箱 24寸', 'product', { categories: ['箱包/拉杆箱'] }],
  ['四件套 纯棉', 'product', { categories: ['家居/四件套'], attributes: ['纯棉'] }],
  ['落地扇', 'product', { categories: ['家电/电风扇'] }],
  ['登山服', 'product', { categories: ['运动户外/冲锋衣'] }],
  ['纯牛奶 整箱', 'product', { categories: ['食品/牛奶'] }],
  ['高跟鞋', 'product', { categories: ['鞋靴/高跟鞋'] }],
  ['外套', 'product', { categories: ['女装/风衣', '男装/夹克', '女装/羽绒服', '男装/羽绒服', '童装/羽绒服', '运动户外/冲锋衣'] }],
  ["levi's 牛仔裤", 'product', { brands: ["Levi's"], categories: ['女装/牛仔裤'] }],
  ['李维斯', 'product', { brands: ["Levi's"] }],
  ['童装', 'product', { categories: ['童装'], audience: 'kids' }],

  // Audience.
  ['男款羽绒服 加厚', 'product', { categories: ['男装/羽绒服'], audience: 'men', attributes: ['加厚'] }],
  ['女生卫衣', 'product', { categories: ['男装/卫衣'], audience: 'women' }],
  ['宽松毛衣 女', 'product', { categories: ['女装/毛衣'], audience: 'women', attributes: ['宽松'] }],
  ['纯棉T恤 白色 男', 'product', { categories: ['男装/T恤'], audience: 'men', attributes: ['纯棉', '白色'] }],
  ['宝宝衣服', 'product', { categories: ['童装'], audience: 'kids' }],
  ['给孩子买件羽绒服', 'product', { categories: ['童装/羽绒服'], audience: 'kids' }],
  ['男童 卫衣', 'product', { categories: ['童装/卫衣'], audience: 'kids' }],
  ['女鞋', 'product', { categories: SHOES, audience: 'women' }],
  ['老公用的电动牙刷', 'product', { categories: ['个护/电动牙刷'], audience: 'men' }],

  // Brands and aliases.
  ['优衣库', 'product', { brands: ['优衣库'] }],
  ['uniqlo 卫衣', 'product', { brands: ['优衣库'], categories: ['男装/卫衣', '童装/卫衣'] }],
  ['耐克运动鞋', 'product', { brands: ['耐克'], categories: ['鞋靴/运动鞋'] }],
  ['NIKE跑鞋', 'product', { brands: ['耐克'], categories: ['鞋靴/运动鞋'] }],
  ['ｎｉｋｅ　运动鞋', 'product', { brands: ['耐克'], categories: ['鞋靴/运动鞋'] }],
  ['阿迪 球鞋', 'product', { brands: ['阿迪达斯'], categories: ['鞋靴/运动鞋'] }],
  ['adidas', 'product', { brands: ['阿迪达斯'] }],
  ['小米手机', 'product', { brands: ['小米'], categories: ['数码/手机'] }],
  ['xiaomi', 'product', { brands: ['小米'] }],
  ['华为手机5000以内', 'product', { brands: ['华为'], categories: ['数码/手机'], price: max(5000) }],
  ['huawei shouji', 'product', { brands: ['华为'], categories: ['数码/手机'], correctedTo: ['手机'] }],
  ['苹果手机', 'product', { brands: ['苹果'], categories: ['数码/手机'] }],
  ['iphone15', 'product', { brands: ['苹果'], keywords: ['15'] }],
  ['小米14', 'product', { brands: ['小米'], keywords: ['14'] }],
  ['兰蔻口红', 'product', { brands: ['兰蔻'], categories: ['美妆/口红'] }],
  ['三只松鼠坚果', 'product', { brands: ['三只松鼠'], categories: ['食品/坚果'] }],
  ['歐萊雅洗髮水', 'product', { brands: ['欧莱雅'], categories: ['个护/洗发水'] }],

  // Typos, homophones and pinyin.
  ['连衣群', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['连依裙', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['连衣君', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['牛仔库', 'product', { categories: ['女装/牛仔裤'], correctedTo: ['牛仔裤'] }],
  ['衬杉', 'product', { categories: ['女装/衬衫', '男装/衬衫'], correctedTo: ['衬衫'] }],
  ['红色连依裙', 'product', { categories: [DRESS], attributes: ['红色'], correctedTo: ['连衣裙'] }],
  ['lianyiqun', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['lian yi qun', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['lianyiqum', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['nuzhuang', 'product', { categories: ['女装'] }],
  ['yundongxie', 'product', { categories: ['鞋靴/运动鞋'] }],
  ['kouhong', 'product', { categories: ['美妆/口红'] }],
  ['adidsa', 'product', { brands: ['阿迪达斯'] }],
  ['uniqo', 'product', { brands: ['优衣库'] }],
  ['shanghai jiudian', 'hotel', { city: '上海', hotel: true, correctedTo: ['酒店'] }],
  ['beijing tuangou', 'deal', { city: '北京', deal: true }],

  // Prices.
  ['２００以下', 'none', { price: max(200) }],
  ['连衣裙 200以内', 'product', { categories: [DRESS], price: max(200) }],
  ['200块以下的裙子', 'product', { categories: [DRESS, SKIRT], price: max(200) }],
  ['不超过200的耳机', 'product', { categories: ['数码/耳机'], price: max(200) }],
  ['两百以内的口红', 'product', { categories: ['美妆/口红'], price: max(200) }],
  ['200元起的手机', 'product', { categories: ['数码/手机'], price: min(200) }],
  ['一千以上的手机', 'product', { categories: ['数码/手机'], price: min(1000) }],
  ['200元左右的连衣裙', 'product', { categories: [DRESS], price: around(200) }],
  ['三百五左右的鞋', 'product', { categories: SHOES, price: around(350) }],
  ['300到500的运动鞋', 'product', { categories: ['鞋靴/运动鞋'], price: range(300, 500) }],
  ['300-500 冲锋衣', 'product', { categories: ['运动户外/冲锋衣'], price: range(300, 500) }],
  ['男士羽绒服300~500', 'product', { categories: ['男装/羽绒服'], audience: 'men', price: range(300, 500) }],
  ['手机 2000至3000', 'product', { categories: ['数码/手机'], price: range(2000, 3000) }],
  ['手机 两千块左右', 'product', { categories: ['数码/手机'], price: around(2000) }],
  ['2k以下的耳机', 'product', { categories: ['数码/耳机'], price: max(2000) }],
  ['99.9元以下的零食', 'product', { categories: ['食品/零食'], price: { minFen: null, maxFen: 9990 } }],
  ['1-3岁童装', 'product', { categories: ['童装'], price: null }],
  // A formula stage (奶粉 1段) is a word of its own, in digits however it is typed: 二段 = 2段.
  ['1段牛奶', 'product', { categories: ['食品/牛奶'], keywords: ['1段'] }],
  ['牛奶 二段', 'product', { categories: ['食品/牛奶'], keywords: ['2段'] }],
  ['三段的牛奶', 'product', { categories: ['食品/牛奶'], keywords: ['3段'] }],
  ['便宜点', 'none', { relativePrice: 'cheaper' }],
  ['再便宜一点的', 'none', { relativePrice: 'cheaper' }],
  ['有没有便宜一些的', 'none', { relativePrice: 'cheaper' }],
  ['贵一点', 'none', { relativePrice: 'pricier' }],
  ['要好一点的', 'none', { relativePrice: 'pricier' }],
  ['最便宜的耳机', 'product', { categories: ['数码/耳机'], sort: 'price_asc' }],
  ['最贵的口红', 'product', { categories: ['美妆/口红'], sort: 'price_desc' }],
  ['300以内的', 'none', { price: max(300) }],

  // Bare numbers are item picks, never prices.
  ['2', 'none', { price: null, keywords: [] }],
  ['10', 'none', { price: null, keywords: [] }],
  ['３', 'none', { price: null }],

  // Hotels.
  ['酒店', 'hotel', { hotel: true, city: null }],
  ['上海宾馆', 'hotel', { city: '上海', hotel: true }],
  ['杭州 住哪', 'hotel', { city: '杭州', hotel: true }],
  ['在成都找个住的地方', 'hotel', { city: '成都', hotel: true }],
  ['沪 酒店', 'hotel', { city: '上海', hotel: true }],
  ['魔都快捷酒店', 'hotel', { city: '上海', hotel: true }],
  ['附近的酒店', 'hotel', { hotel: true, sort: 'distance' }],
  ['离我最近的宾馆', 'hotel', { hotel: true, sort: 'distance' }],
  ['广州 200以下 酒店', 'hotel', { city: '广州', hotel: true, price: max(200) }],
  ['深圳评分最高的酒店', 'hotel', { city: '深圳', hotel: true, sort: 'rating' }],
  ['成都宽窄巷子附近的民宿', 'hotel', { city: '成都', place: '宽窄巷子', hotel: true, keywords: [] }],
  ['北京有什么客栈', 'hotel', { city: '北京', hotel: true }],
  ['上海住宿', 'hotel', { city: '上海', hotel: true }],

  // Deals and bare cities.
  ['上海', 'deal', { city: '上海' }],
  ['上海市', 'deal', { city: '上海' }],
  ['沪', 'deal', { city: '上海' }],
  ['申城', 'deal', { city: '上海' }],
  ['帝都', 'deal', { city: '北京' }],
  ['穗', 'deal', { city: '广州' }],
  ['shenzhen', 'deal', { city: '深圳' }],
  ['hangzhou', 'deal', { city: '杭州' }],
  ['團購', 'deal', { deal: true, city: null }],
  ['上海 团购', 'deal', { city: '上海', deal: true }],
  ['杭州美食', 'deal', { city: '杭州', dealCategory: '美食' }],
  ['成都火锅', 'deal', { city: '成都', dealCategory: '美食', keywords: ['火锅'] }],
  ['广州有什么好吃的', 'deal', { city: '广州', dealCategory: '美食' }],
  ['附近有什么好吃的', 'deal', { dealCategory: '美食', sort: 'distance' }],
  ['北京 看电影', 'deal', { city: '北京', dealCategory: '电影' }],
  ['深圳KTV', 'deal', { city: '深圳', dealCategory: 'KTV' }],
  ['唱k 优惠', 'deal', { dealCategory: 'KTV', deal: true }],
  ['上海 美甲', 'deal', { city: '上海', dealCategory: '丽人' }],
  ['周末遛娃去哪 杭州', 'deal', { city: '杭州', dealCategory: '亲子' }],
  ['深圳足疗套餐', 'deal', { city: '深圳', dealCategory: '休闲娱乐', keywords: ['足疗'] }],
  ['北京 烤鸭', 'deal', { city: '北京', keywords: ['烤鸭'] }],
  ['上海吃饭的优惠券', 'deal', { city: '上海', dealCategory: '美食', deal: true }],

  // Product with a generic deal word stays a product search.
  ['有优惠的连衣裙', 'product', { categories: [DRESS], deal: true }],

  // Filler only.
  ['你好', 'none', {}],
  ['在吗', 'none', {}],
  ['更多', 'none', {}],
  ['我想买个保温杯', 'product', { keywords: ['保温杯'] }],
  ['帮我找一下白色的运动鞋', 'product', { categories: ['鞋靴/运动鞋'], attributes: ['白色'] }],
  ['最近有什么新款连衣裙', 'product', { categories: [DRESS], attributes: ['新款'], sort: null }],
  ['網紅裙子', 'product', { categories: [DRESS, SKIRT], keywords: ['网红'], attributes: [] }],
  ['面包', 'product', { keywords: ['面包'], categories: [] }],

  // An attribute glued to a category word is split off.
  ['碎花裙', 'product', { categories: [DRESS, SKIRT], attributes: ['碎花'] }],
  ['碎花连衣裙', 'product', { categories: [DRESS], attributes: ['碎花'] }],
  ['红裙子', 'product', { categories: [DRESS, SKIRT], attributes: ['红色'] }],
  ['长袖T恤', 'product', { categories: TEES, attributes: ['长袖'] }],
  ['纯棉T恤', 'product', { categories: TEES, attributes: ['纯棉'] }],
  ['格子衬衫', 'product', { categories: ['女装/衬衫', '男装/衬衫'], attributes: ['格子'] }],
  ['长款连衣裙', 'product', { categories: [DRESS], attributes: ['长款'] }],

  // Length and fit, as titles write them.
  ['长款羽绒服', 'product', { categories: ['女装/羽绒服', '男装/羽绒服', '童装/羽绒服'], attributes: ['长款'] }],
  ['短款羽绒服 女', 'product', { categories: ['女装/羽绒服'], attributes: ['短款'] }],
  ['中长款风衣', 'product', { categories: ['女装/风衣'], attributes: ['中长款'] }],
  ['修身款衬衫', 'product', { categories: ['女装/衬衫', '男装/衬衫'], attributes: ['修身'] }],
  ['oversize卫衣', 'product', { categories: ['男装/卫衣', '童装/卫衣'], attributes: ['宽松'] }],
  ['宽松版T恤', 'product', { categories: TEES, attributes: ['宽松'] }],
  ['九分裤', 'product', { attributes: ['九分'] }],

  // Amounts in thousands and ten-thousands.
  ['3千以下的手机', 'product', { categories: ['数码/手机'], price: max(3000) }],
  ['3k以下的手机', 'product', { categories: ['数码/手机'], price: max(3000) }],
  ['3K以内', 'none', { price: max(3000) }],
  ['三千以下的手机', 'product', { categories: ['数码/手机'], price: max(3000) }],
  ['两千五以内的手机', 'product', { categories: ['数码/手机'], price: max(2500) }],
  ['手机 3千5以内', 'product', { categories: ['数码/手机'], price: max(3500) }],
  ['1.5万以下', 'none', { price: max(15000) }],
  ['预算1万', 'none', { price: max(10000) }],
  ['手机 2千到3千', 'product', { categories: ['数码/手机'], price: range(2000, 3000) }],

  // Models name their brand and what they are.
  ['iPhone', 'product', { brands: ['苹果'], categories: ['数码/手机'] }],
  ['iphone 15 pro', 'product', { brands: ['苹果'], categories: ['数码/手机'], keywords: ['15', 'pro'] }],
  ['ipad', 'product', { brands: ['苹果'], categories: ['数码/平板电脑'] }],
  ['AirPods', 'product', { brands: ['苹果'], categories: ['数码/耳机'] }],
  ['iphone 耳机', 'product', { brands: ['苹果'], categories: ['数码/耳机'] }],
  ['华为mate60', 'product', { brands: ['华为'], categories: ['数码/手机'], keywords: ['60'] }],
  ['华为手机', 'product', { brands: ['华为'], categories: ['数码/手机'] }],
  ['苹果', 'product', { brands: ['苹果'], categories: [] }],

  // Characters typed with spaces between.
  ['连 衣 裙', 'product', { categories: [DRESS], keywords: [] }],
  ['我 要 连 衣 裙', 'product', { categories: [DRESS] }],
  ['连 衣 群', 'product', { categories: [DRESS], correctedTo: ['连衣裙'] }],
  ['上 海 酒 店', 'hotel', { city: '上海', hotel: true }],
  ['深 圳 美 食', 'deal', { city: '深圳', dealCategory: '美食' }],

  // A deal category word yields to a product category without a city or a deal word.
  ['有什么好吃的零食推荐吗', 'product', { categories: ['食品/零食'], dealCategory: null, deal: false }],
  ['好吃的坚果', 'product', { categories: ['食品/坚果'], dealCategory: null }],
  ['上海 好吃的', 'deal', { city: '上海', dealCategory: '美食' }],
  ['好吃的 团购', 'deal', { dealCategory: '美食', deal: true }],

  // Landmarks and districts: the place, its city, not a keyword.
  ['陆家嘴酒店', 'hotel', { city: '上海', place: '陆家嘴', hotel: true, keywords: [] }],
  ['春熙路附近住宿', 'hotel', { city: '成都', place: '春熙路', hotel: true, keywords: [] }],
  ['国贸附近的宾馆', 'hotel', { city: '北京', place: '国贸', hotel: true }],
  ['天河城 酒店', 'hotel', { city: '广州', place: '天河城', hotel: true }],
  ['北京路酒店', 'hotel', { city: '广州', place: '北京路', hotel: true }],
  ['南山科技园住宿', 'hotel', { city: '深圳', place: '科技园', hotel: true }],
  ['上海外滩酒店', 'hotel', { city: '上海', place: '外滩', hotel: true }],
  ['陆家嘴', 'deal', { city: '上海', place: '陆家嘴', keywords: [] }],
  ['三里屯 美食', 'deal', { city: '北京', place: '三里屯', dealCategory: '美食' }],
  ['北京 外滩', 'deal', { city: '北京', place: null, keywords: ['外滩'] }],
  ['西湖龙井', 'product', { place: null, city: null, keywords: ['西湖龙井'] }],
  ['上海酒店', 'hotel', { city: '上海', place: null }],

  // Latin strings that are no word, brand, pinyin or model are not a search.
  ['asdfgh', 'none', { keywords: [] }],
  ['zzzzzz', 'none', { keywords: [] }],
  ['qwerty', 'none', { keywords: [] }],
  ['nike', 'product', { brands: ['耐克'] }],
  ['nike air', 'product', { brands: ['耐克'], keywords: ['air'] }],
  ['5G手机', 'product', { categories: ['数码/手机'], attributes: ['5g'] }],
  ['小米14 pro', 'product', { brands: ['小米'], keywords: ['14', 'pro'] }],
  ['mate60pro', 'product', { brands: ['华为'], categories: ['数码/手机'] }],
  ['t恤 asdf', 'product', { categories: TEES, keywords: [] }],

  // English shopping words and price phrases, and emoji, read as the Chinese words they stand for.
  ['dress under 200', 'product', { categories: [DRESS], price: max(200), keywords: [] }],
  ['shoes for men', 'product', { categories: SHOES, audience: 'men', keywords: [] }],
  ['cheap phone', 'product', { categories: ['数码/手机'], sort: 'price_asc', brands: [] }],
  ['red dress', 'product', { categories: [DRESS], attributes: ['红色'] }],
  ['phone over 5000', 'product', { categories: ['数码/手机'], price: min(5000) }],
  ['nike shoes for kids', 'product', { brands: ['耐克'], categories: SHOES, audience: 'kids', keywords: [] }],
  ['👗200以下', 'product', { categories: [DRESS], price: max(200) }],
  ['☕', 'product', { categories: ['食品/咖啡'] }],
  ['👟男款', 'product', { categories: ['鞋靴/运动鞋'], audience: 'men' }],

  // A typo in any character of a word, the first one even where it makes a filler character (双).
  ['双间包', 'product', { categories: ['箱包/双肩包'], keywords: [], correctedTo: ['双肩包'] }],
  ['霜肩包', 'product', { categories: ['箱包/双肩包'], correctedTo: ['双肩包'] }],
  ['双肩宝', 'product', { categories: ['箱包/双肩包'], correctedTo: ['双肩包'] }],

  // A brand inside a longer name is not the brand; padding alone is no product.
  ['青苹果', 'product', { brands: [], keywords: ['青苹果'] }],
  ['苹果手机', 'product', { brands: ['苹果'], categories: ['数码/手机'] }],
  ['华为新手机', 'product', { brands: ['华为'], categories: ['数码/手机'] }],
  ['李宁牌', 'product', { brands: ['李宁'] }],
  ['咖啡机', 'product', { categories: [], keywords: ['咖啡机'] }],
  ['毛衣链', 'product', { categories: [], keywords: ['毛衣链'] }],
  ['厚毛衣', 'product', { categories: ['女装/毛衣'] }],
  ['裤子啦', 'product', { categories: ['女装/牛仔裤', '男装/休闲裤'], keywords: [] }],
  ['正品', 'none', {}],
  ['新款', 'none', {}],
  ['热卖', 'none', {}],
  ['正品 连衣裙', 'product', { categories: [DRESS] }],
];

describe('understand: follower messages', () => {
  it('covers at least 80 messages', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });

  it.each(CASES)('%s → %s', (text, intent, e) => {
    const { slots, intent: actual } = understand(text);
    expect(actual).toBe(intent);
    if (e.categories) expect([...slots.categories].sort()).toEqual([...e.categories].sort());
    if (e.brands) expect(slots.brands).toEqual(e.brands);
    if (e.audience !== undefined) expect(slots.audience).toBe(e.audience);
    if (e.attributes) {
      expect(slots.attributes).toEqual(expect.arrayContaining([...e.attributes]));
      if (e.attributes.length === 0) expect(slots.attributes).toEqual([]);
    }
    if (e.price !== undefined) expect(slots.price).toEqual(e.price);
    if (e.relativePrice !== undefined) expect(slots.relativePrice).toBe(e.relativePrice);
    if (e.sort !== undefined) expect(slots.sort).toBe(e.sort);
    if (e.city !== undefined) expect(slots.city).toBe(e.city);
    if (e.place !== undefined) expect(slots.place?.name ?? null).toBe(e.place);
    if (e.hotel !== undefined) expect(slots.hotel).toBe(e.hotel);
    if (e.deal !== undefined) expect(slots.deal).toBe(e.deal);
    if (e.dealCategory !== undefined) expect(slots.dealCategory).toBe(e.dealCategory);
    if (e.keywords) {
      expect(slots.keywords).toEqual(expect.arrayContaining([...e.keywords]));
      if (e.keywords.length === 0) expect(slots.keywords).toEqual([]);
    }
    if (e.correctedTo) expect(slots.corrections.map((c) => c.to)).toEqual(expect.arrayContaining([...e.correctedTo]));
  });
});

describe('understand: behaviours', () => {
  it('keeps the words that named the categories, as corrected', () => {
    expect(understand('裙子').slots.categoryWords).toEqual(['裙子']);
    expect(understand('连依裙').slots.categoryWords).toEqual(['连衣裙']);
    expect(understand('短袖').slots.categoryWords).toEqual(['短袖']);
    expect(understand('红色').slots.categoryWords).toEqual([]);
  });

  it('reports the normalised text', () => {
    expect(understand('２００元以下的連衣裙！！👗').normalized).toBe('200元以下的连衣裙');
  });

  it('records what was typed and what it was read as', () => {
    expect(understand('连衣群').slots.corrections).toEqual([{ from: '连衣群', to: '连衣裙' }]);
    expect(understand('lian yi qun').slots.corrections).toEqual([{ from: 'lian yi qun', to: '连衣裙' }]);
  });

  it('does not count an alias as a correction', () => {
    expect(understand('uniqlo').slots.corrections).toEqual([]);
    expect(understand('new balance').slots.brands).toEqual(['新百伦']);
    expect(understand('new balance').slots.corrections).toEqual([]);
  });

  it('leaves ordinary words alone', () => {
    for (const text of ['衣架', '下装', '生日礼物', '大容量', '正品', '通勤']) {
      expect(understand(text).slots.corrections, text).toEqual([]);
    }
  });

  it('does not split a word on a one-character word inside it', () => {
    expect(understand('面包').slots.categories).toEqual([]);
    expect(understand('网红').slots.attributes).toEqual([]);
  });

  it('keeps a one-character city alias for messages where it stands alone', () => {
    expect(understand('京').slots.city).toBe('北京');
    expect(understand('京东').slots.city).toBeNull();
  });

  it('reads 最近 as "nearest" only for places', () => {
    expect(understand('最近的酒店').slots.sort).toBe('distance');
    expect(understand('最近流行的口红').slots.sort).toBeNull();
  });

  it('combines a lower and an upper bound', () => {
    expect(understand('200以上300以下的鞋').slots.price).toEqual(range(200, 300));
  });

  it('narrows shared leaves to the audience only when the audience has them', () => {
    expect(understand('男士连衣裙').slots.categories).toEqual([DRESS]);
    expect(understand('女士衬衫').slots.categories).toEqual(['女装/衬衫']);
  });

  it('prefers the specific path over its root (女装 衬衫 → 女装/衬衫)', () => {
    expect(understand('女装 衬衫').slots.categories).toEqual(['女装/衬衫']);
  });

  it('gives a place its city and GCJ-02 centre', () => {
    const { place, city } = understand('陆家嘴酒店').slots;
    expect(city).toBe('上海');
    expect(place).toEqual({ name: '陆家嘴', city: '上海', lat: expect.closeTo(31.24, 1), lng: expect.closeTo(121.5, 1) });
  });

  it('reads a place by its pinyin and its aliases', () => {
    expect(understand('lujiazui jiudian').slots.place?.name).toBe('陆家嘴');
    expect(understand('体育西路附近的酒店').slots.place?.name).toBe('天河城');
  });

  it('joins spaced characters only into a word', () => {
    expect(understand('深圳 美食').slots.keywords).toEqual([]);
    expect(understand('红 裙 子').slots.attributes).toEqual(['红色']);
  });

  it('names a kind the catalogue lacks, searched for as itself, with the nearest categories (扫地机器人 → 吸尘器)', () => {
    const u = understand('扫地机器人');
    expect(u.intent).toBe('product');
    expect(u.slots.categories).toEqual([]);
    expect(u.slots.keywords).toEqual(['扫地机器人']);
    expect(u.slots.nearest).toEqual({ word: '扫地机器人', categories: ['家电/吸尘器'] });
    expect(understand('吸尘器').slots.nearest).toBeUndefined();
    // A catalogue that has the kind sells it under its own name.
    const withRobots = createUnderstander(buildVocabulary({ ...CATALOGUE, categoryPaths: [...CATALOGUE.categoryPaths, '家电/扫地机器人'] }));
    expect(withRobots.understand('扫地机').slots).toMatchObject({ categories: ['家电/扫地机器人'], keywords: [] });
    expect(withRobots.understand('扫地机').slots.nearest).toBeUndefined();
  });

  it('keeps padding as a wish beside a product, and as something to refine a list with (新款 after 连衣裙)', () => {
    expect(understand('新款').slots.attributes).toEqual(['新款']);
    expect(understand('新款连衣裙').intent).toBe('product');
    expect(understand('正品 200以下').intent).toBe('product');
  });

  it('reports the message as typed, not as rewritten', () => {
    expect(understand('👗200以下').normalized).toBe('200以下');
    expect(understand('dress under 200').normalized).toBe('dress under 200');
  });

  it('keeps Latin title words as keywords when the catalogue brings them', () => {
    const withTitles = createUnderstander(buildVocabulary({ ...CATALOGUE, titleWords: ['Pro', 'Watch', '纯棉T恤'] }));
    expect(withTitles.understand('watch').slots.keywords).toEqual(['watch']);
    expect(withTitles.understand('watch').intent).toBe('product');
    expect(withTitles.understand('14 pro').slots.keywords).toEqual(['pro']);
    expect(withTitles.understand('asdfgh').intent).toBe('none');
    // A title word made of known words still splits into its slots.
    expect(withTitles.understand('纯棉T恤').slots.attributes).toEqual(['纯棉']);
    // Without the titles, a Latin word is a search only when the English lexicon knows it (watch → 智能手表).
    expect(understand('pro').intent).toBe('none');
    expect(understand('watch').slots.categories).toEqual(['数码/智能手表']);
  });

  describe('negation', () => {
    const x = (t: string) => understand(t).slots.excluded;
    it('excludes what follows 不要 / 除了 / 非, not wishing for it', () => {
      expect(understand('不要红色的').slots.attributes).toEqual([]);
      expect(x('不要红色的')).toMatchObject({ attributes: ['红色'], brands: [], categories: [], audience: null });
      expect(x('非红色')).toMatchObject({ attributes: ['红色'] });
      expect(x('除了耐克')).toMatchObject({ brands: ['耐克'] });
      expect(x('别给我推荐华为')).toMatchObject({ brands: ['华为'] });
      expect(x('不要男款的')).toMatchObject({ audience: 'men' });
      expect(x('不要连衣裙')).toMatchObject({ categories: [DRESS] });
    });

    it('runs to the next category word: 不要红色的连衣裙 wants dresses, only not red ones', () => {
      const u = understand('不要红色的连衣裙');
      expect(u.intent).toBe('product');
      expect(u.slots.categories).toEqual([DRESS]);
      expect(u.slots.excluded).toMatchObject({ attributes: ['红色'], categories: [] });
      expect(understand('连衣裙不要黑色').slots.excluded).toMatchObject({ attributes: ['黑色'] });
      expect(understand('除了耐克的运动鞋').slots).toMatchObject({ categories: ['鞋靴/运动鞋'], brands: [], excluded: { brands: ['耐克'] } });
    });

    it('keeps excluding over filler (不要红色和黑色的), and reads 不要太贵 as cheaper', () => {
      expect(x('不要红色和黑色的').attributes).toEqual(['红色', '黑色']);
      expect(understand('不要太贵的').slots.relativePrice).toBe('cheaper');
      expect(excludesAny(x('不要太贵的'))).toBe(false);
    });

    it('leaves words that only contain a negation alone (非常好看的裙子)', () => {
      expect(excludesAny(x('非常好看的裙子'))).toBe(false);
      expect(understand('非常好看的裙子').slots.categories).toEqual([DRESS, SKIRT]);
      expect(excludesAny(x('红色连衣裙'))).toBe(false);
    });
  });
});
