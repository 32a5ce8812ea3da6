/**
 * A small catalogue vocabulary mirroring the demo catalogue (data/products.csv, hotels.csv, deals.csv): its
 * 58 category paths over twelve roots, some of its brands, its six cities and its deal categories.
 */
import { buildVocabulary, type CatalogueWords, type Vocabulary } from '../../src/search/understand/vocabulary.ts';

export const CATEGORY_PATHS = [
  '女装/连衣裙', '女装/半身裙', '女装/T恤', '女装/毛衣', '女装/衬衫', '女装/羽绒服', '女装/牛仔裤', '女装/风衣',
  '男装/T恤', '男装/衬衫', '男装/夹克', '男装/卫衣', '男装/羽绒服', '男装/休闲裤',
  '童装/卫衣', '童装/羽绒服', '童装/套装',
  '鞋靴/运动鞋', '鞋靴/帆布鞋', '鞋靴/靴子', '鞋靴/高跟鞋',
  '箱包/双肩包', '箱包/手提包', '箱包/拉杆箱', '箱包/钱包',
  '美妆/口红', '美妆/粉底液', '美妆/眼影', '美妆/面膜', '美妆/香水',
  '个护/洗发水', '个护/沐浴露', '个护/牙膏', '个护/电动牙刷',
  '数码/手机', '数码/耳机', '数码/平板电脑', '数码/充电宝', '数码/智能手表',
  '家电/电饭煲', '家电/空气炸锅', '家电/吹风机', '家电/吸尘器', '家电/电风扇',
  '食品/零食', '食品/坚果', '食品/茶叶', '食品/咖啡', '食品/牛奶',
  '家居/四件套', '家居/收纳箱', '家居/枕头', '家居/毛巾',
  '运动户外/瑜伽垫', '运动户外/帐篷', '运动户外/冲锋衣', '运动户外/篮球', '运动户外/跳绳',
];

export const BRANDS = [
  '优衣库', '耐克', '阿迪达斯', '李宁', '安踏', '小米', '华为', '苹果', 'OPPO', '美的', '戴森', '兰蔻', '完美日记',
  '三只松鼠', '良品铺子', "Levi's", 'ZARA', 'Vans', '北面', '海飞丝', '波司登', '361度',
];

export const CITIES = ['上海', '北京', '广州', '深圳', '杭州', '成都'];

export const DEAL_CATEGORIES = ['美食', '电影', 'KTV', '丽人', '亲子', '休闲娱乐'];

export const CATALOGUE: CatalogueWords = {
  categoryPaths: CATEGORY_PATHS,
  brands: BRANDS,
  cities: CITIES,
  dealCategories: DEAL_CATEGORIES,
};

let shared: Vocabulary | null = null;

/** Built once per test file: construction is the expensive part. */
export function fixtureVocabulary(): Vocabulary {
  shared ??= buildVocabulary(CATALOGUE);
  return shared;
}
